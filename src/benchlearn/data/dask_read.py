"""A Dask DataFrame of a table's numeric columns, read by the data layer's rules.

Each partition is a byte range of a text file (cut at line ends, its first line number counted
by the client) or a row group of a Parquet file, read with the same layout (encoding, delimiter,
preamble, header) and the same :class:`~benchlearn.data.numbers.ColumnRule` as
:class:`~benchlearn.data.blocks.BlockReader`. A partition decides its columns' decimal marks
from its own cells; a first pass checks that all partitions agree (not needed when the mark is
stated with ``decimal=``). Empty or non-finite cells are refused with their row, since rows
cannot be dropped silently.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

import numpy as np

from benchlearn.data.blocks import BlockReader, _parquet_values, _parse, _read_column
from benchlearn.data.numbers import MIXED_FIX, ColumnRule
from benchlearn.errors import DataError, UsageError

_PARTITION_BYTES = 64 << 20


def dask_frame(
    path: str | Path, *, y: str, x: list[str] | None = None, decimal: str | None = None
) -> tuple[Any, list[str]]:
    """The columns ``y`` and ``x`` (default: all others) of the file(s) as a Dask DataFrame."""
    import dask
    import dask.dataframe as dd

    files = sorted(glob.glob(str(path))) if glob.has_magic(str(path)) else [str(path)]
    if not files:
        raise DataError(
            "no file matches this pattern", where=f"file {path}", fix="Check the name and folder"
        )
    readers = [BlockReader(f, decimal=decimal) for f in files]
    available = readers[0].columns
    features = [c for c in available if c != y] if x is None else list(x)
    names = [y, *features]
    for reader in readers:
        reader.check_columns(names)
    parts = [spec for reader in readers for spec in _partitions(reader)]
    import dask.array as da

    # A first pass counts each partition's rows (Dask needs the lengths) and, unless the mark
    # was stated, checks that all partitions read their columns with the same decimal mark.
    marks = dask.compute(*[dask.delayed(_marks)(spec, names) for spec in parts])
    if decimal is None:
        _check_marks_agree(marks, names)
    blocks = [
        da.from_delayed(
            dask.delayed(_partition)(spec, names), shape=(m["__rows__"], len(names)), dtype=float
        )
        for spec, m in zip(parts, marks, strict=True)
    ]
    frame = dd.from_dask_array(da.concatenate(blocks, axis=0), columns=names)
    return frame, features


def _partitions(reader: BlockReader) -> list[tuple]:
    if reader._parquet is not None:
        metadata = reader._parquet.metadata
        first = 1
        specs = []
        for group in range(metadata.num_row_groups):
            specs.append(("parquet", str(reader.path), group, first, reader.decimal))
            first += metadata.row_group(group).num_rows
        return specs
    if reader._encoding not in ("utf-8", "utf-8-sig") or reader._cr_only:
        raise UsageError(
            "Dask reads text files in UTF-8 with LF or CRLF line ends; this one is "
            + ("in " + reader._encoding if not reader._cr_only else "in old Mac line ends (CR)"),
            where=f"file {reader.source}",
            fix="Fit it with --stream (which reads it by the same rules), or save it as UTF-8 CSV",
        )
    layout = reader._layout
    bom = 3 if reader._encoding == "utf-8-sig" else 0
    size = reader.path.stat().st_size
    specs, start, line = [], bom + layout.data_offset, layout.data_line
    with reader.path.open("rb") as stream:
        while start < size:
            stream.seek(start + _PARTITION_BYTES)
            rest = stream.readline()
            end = min(size, start + _PARTITION_BYTES + len(rest))
            specs.append(("text", str(reader.path), (start, end, line), layout, reader.decimal))
            stream.seek(start)
            line += _count_lines(stream, end - start)
            start = end
    return specs


def _count_lines(stream: Any, length: int) -> int:
    count = 0
    while length > 0:
        piece = stream.read(min(length, 1 << 24))
        if not piece:
            break
        count += piece.count(b"\n")
        length -= len(piece)
    return count


def _read(spec: tuple, names: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray], dict]:
    kind, file, where, extra, decimal = spec
    source = Path(file).name
    rules = {name: ColumnRule(decimal=decimal) for name in names}
    if kind == "parquet":
        reader = BlockReader(file, decimal=decimal)
        batch = reader._parquet.read_row_group(where, columns=names)
        rows = np.arange(extra, extra + batch.num_rows)
        values = {n: _parquet_values(batch.column(n), rules[n], rows, n, source) for n in names}
        return rows, values, rules
    start, end, line = where
    with open(file, "rb") as stream:
        stream.seek(start)
        chunk = stream.read(end - start)
    layout = extra
    positions = [layout.keep[[layout.names[j] for j in layout.keep].index(n)] for n in names]
    rows, cells = _parse(chunk, line, layout, positions, source)
    values = {
        n: _read_column(rules[n], c, rows, n, source) for n, c in zip(names, cells, strict=True)
    }
    return rows, values, rules


def _partition(spec: tuple, names: list[str]) -> np.ndarray:
    rows, values, _ = _read(spec, names)
    source = Path(spec[1]).name
    for name in names:
        bad = ~np.isfinite(values[name])
        if bad.any():
            at = int(np.flatnonzero(bad)[0])
            raise DataError(
                "the cell is empty" if np.isnan(values[name][at]) else "the value is infinite",
                path=source,
                row=int(rows[at]),
                column=name,
                fix="Fill it in, or clean the file first (rows cannot be dropped silently)",
            )
    return np.column_stack([values[name] for name in names]).reshape(len(rows), len(names))


def _marks(spec: tuple, names: list[str]) -> dict[str, Any]:
    rows, _, rules = _read(spec, names)
    marks: dict[str, Any] = {
        n: (rules[n].point_seen, rules[n].comma_seen, Path(spec[1]).name) for n in names
    }
    marks["__rows__"] = len(rows)
    return marks


def _check_marks_agree(marks: tuple[dict, ...], names: list[str]) -> None:
    for name in names:
        points = [(m[name][0], m[name][2]) for m in marks if m[name][0] is not None]
        commas = [(m[name][1], m[name][2]) for m in marks if m[name][1] is not None]
        if points and commas:
            raise DataError(
                f"the column uses decimal points in one part of the data ({points[0][0]!r} in "
                f"{points[0][1]}) and decimal commas in another ({commas[0][0]!r} in "
                f"{commas[0][1]})",
                column=name,
                fix=MIXED_FIX,
            )
