"""Reading a table in blocks of rows, by the same rules as :func:`benchlearn.data.read_table`.

For files larger than memory (``benchlearn fit --stream``, the Dask fit): the encoding, the
delimiter, the preamble and the header are found the same way, numbers are read by the same
:class:`~benchlearn.data.numbers.ColumnRule` (kept across blocks) and errors name the file, the
row as the user sees it and the column. Memory is one block of the file, whatever its size.

One difference is unavoidable: a block is read before the next is known, so a cell such as
``12,345`` must be settled by the rows read so far (or by ``decimal=``); where the in-memory
reader could still have found the settling cell further down, the block reader says so.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchlearn.data.numbers import DECIMAL_FIX, MIXED_FIX, ColumnRule, NumberRuleError
from benchlearn.data.reader import (
    EXCEL_EXTENSIONS,
    PARQUET_EXTENSIONS,
    TEXT_EXTENSIONS,
    TextLayout,
    _check_column_names,
    _split,
    bare_utf16,
    check_input_file,
    parse_block,
    text_layout,
)
from benchlearn.errors import DataError, UsageError

_BLOCK_BYTES = 1 << 24


@dataclass
class Block:
    """Some consecutive rows: their numbers as the user sees them, and each column's values."""

    rows: np.ndarray
    values: dict[str, np.ndarray]


class BlockReader:
    """A CSV/TSV/text or Parquet file read block by block.

    Parameters
    ----------
    path
        The file.
    decimal
        The decimal mark (``"."`` or ``","``) if stated; default: settled by the cells.

    Attributes
    ----------
    columns
        The table's column names.
    n_rows
        The number of rows if known without reading the file (Parquet), else None.
    """

    def __init__(self, path: str | Path, *, decimal: str | None = None) -> None:
        from benchlearn.data.numbers import check_decimal

        self.path = Path(path)
        self.decimal = check_decimal(decimal)
        self.source = self.path.name
        check_input_file(self.path)
        suffix = self.path.suffix.lower()
        self.n_rows: int | None = None
        if suffix in EXCEL_EXTENSIONS:
            raise UsageError(
                "an Excel workbook is read whole, not in blocks",
                where=f"file {self.source}",
                fix="A sheet fits in memory: fit it without --stream/--dask (or save it as CSV)",
            )
        if suffix in PARQUET_EXTENSIONS:
            self._parquet = _open_parquet(self.path)
            self.columns = list(self._parquet.schema_arrow.names)
            _check_column_names(self.columns, self.source, header_row=None)
            self.n_rows = self._parquet.metadata.num_rows
            self._layout = None
        else:
            assert suffix in TEXT_EXTENSIONS
            self._parquet = None
            self._encoding, self._cr_only, sample = _sniff(self.path)
            self._layout = text_layout(sample, self.source, default_tab=suffix in {".tsv", ".tab"})
            self.columns = [self._layout.names[j] for j in self._layout.keep]

    def check_columns(self, names: Sequence[str]) -> None:
        """A UsageError naming the first of ``names`` that is not a column of the table."""
        for name in names:
            if name not in self.columns:
                raise UsageError(
                    f"there is no column named `{name}`",
                    where=f"file {self.source}",
                    fix=f"The columns are: {', '.join(f'`{c}`' for c in self.columns)}",
                )

    def blocks(self, names: Sequence[str], *, block_rows: int = 65_536) -> Iterator[Block]:
        """The columns ``names`` as floats (NaN = empty cell), block by block."""
        self.check_columns(names)
        rules = {name: ColumnRule(decimal=self.decimal) for name in names}
        if self._parquet is not None:
            yield from self._parquet_blocks(names, rules, block_rows)
        else:
            yield from self._text_blocks(names, rules)

    # ------------------------------------------------------------------ text
    def _text_blocks(self, names: Sequence[str], rules: dict[str, ColumnRule]) -> Iterator[Block]:
        layout = self._layout
        assert layout is not None
        positions = [layout.keep[self.columns.index(name)] for name in names]
        line = layout.data_line
        skip = layout.data_offset
        for chunk in _utf8_chunks(self.path, self._encoding, self._cr_only):
            if skip:
                taken = min(skip, len(chunk))
                chunk, skip = chunk[taken:], skip - taken
                if not chunk:
                    continue
            parsed = _parse(chunk, line, layout, positions, self.source)
            line += chunk.count(b"\n")
            rows, cells = parsed
            if len(rows) == 0:
                continue
            values = {
                name: _read_column(rules[name], column, rows, name, self.source)
                for name, column in zip(names, cells, strict=True)
            }
            yield Block(rows, values)

    # ------------------------------------------------------------------ Parquet
    def _parquet_blocks(
        self, names: Sequence[str], rules: dict[str, ColumnRule], block_rows: int
    ) -> Iterator[Block]:
        import pyarrow as pa

        offset = 0
        batches = self._parquet.iter_batches(batch_size=block_rows, columns=list(names))
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except (OSError, pa.ArrowException) as error:
                raise DataError(
                    f"the Parquet file is damaged or truncated after row {offset}",
                    where=f"file {self.source}",
                    fix="Write the file again",
                ) from error
            rows = np.arange(offset + 1, offset + batch.num_rows + 1)
            values = {}
            for name in names:
                column = batch.column(batch.schema.get_field_index(name))
                values[name] = _parquet_values(column, rules[name], rows, name, self.source)
            offset += batch.num_rows
            yield Block(rows, values)


def _open_parquet(path: Path) -> Any:
    import pyarrow.parquet as pq

    try:
        # Without pre-buffering and with a small read buffer, pyarrow keeps only the current
        # batch in memory; its defaults hold on to every row group read so far.
        return pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
    except Exception as error:  # pyarrow raises several unrelated types for a damaged file
        raise DataError(
            "this is not a readable Parquet file (it is damaged or truncated)",
            where=f"file {path.name}",
            fix="Write the file again",
        ) from error


def _parquet_values(
    column: Any, rule: ColumnRule, rows: np.ndarray, name: str, source: str
) -> np.ndarray:
    import pyarrow as pa

    kind = column.type
    if pa.types.is_boolean(kind):
        raise DataError(
            "the column holds true/false values, not numbers",
            path=source,
            column=name,
            fix="Code them as 0 and 1",
        )
    if pa.types.is_integer(kind):
        import pandas as pd

        from benchlearn.data.validate import _refuse_inexact_integers

        integers = column.to_numpy(zero_copy_only=False)
        _refuse_inexact_integers(pd.Series(integers, index=rows), name, source)
        return integers.astype(float)
    if pa.types.is_floating(kind):
        return column.to_numpy(zero_copy_only=False).astype(float, copy=False)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _read_column(rule, column, rows, name, source)
    raise DataError(
        f"the column holds {kind} values, not numbers",
        path=source,
        column=name,
        fix="Every value of a column used in the fit must be a number",
    )


# ---------------------------------------------------------------------- text helpers
def _sniff(path: Path) -> tuple[str, bool, bytes]:
    """The encoding, whether lines end in a lone CR, and the start of the text as UTF-8."""
    with path.open("rb") as stream:
        head = stream.read(1 << 20)
    if head.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif (bare := bare_utf16(head)) is not None:
        encoding = bare
    elif b"\x00" in head[:4096]:
        raise DataError(
            "this is not a text table (it contains binary data)",
            where=f"file {path.name}",
            fix="If it came from Excel, save it as .xlsx or 'CSV UTF-8'; instrument project "
            "files must be exported as CSV first",
        )
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    cr_only = b"\r" in head and b"\n" not in head
    sample = b""
    for chunk in _utf8_chunks(path, encoding, cr_only):
        sample += chunk
        if len(sample) >= 1 << 20:
            break
    if not sample.strip():
        raise DataError(
            "the file has no data, only blank lines",
            where=f"file {path.name}",
            fix="Export the table again",
        )
    return encoding, cr_only, sample


def _utf8_chunks(path: Path, encoding: str, cr_only: bool) -> Iterator[bytes]:
    """The file as UTF-8 bytes in pieces that each end at a line end (but the last)."""
    decoder = None if encoding == "utf-8" else codecs.getincrementaldecoder(encoding)("replace")
    carry = b""
    first = True
    with path.open("rb") as stream:
        while True:
            raw = stream.read(_BLOCK_BYTES)
            final = not raw
            if decoder is not None:
                raw = decoder.decode(raw, final=final).encode("utf-8")
            if first:
                while raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                first = False
            if cr_only:
                raw = raw.replace(b"\r", b"\n")
            data = carry + raw
            if final:
                if data:
                    yield data
                return
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                carry = data
                continue
            carry = data[cut:]
            yield data[:cut]


def _parse(
    chunk: bytes, line: int, layout: TextLayout, positions: list[int], source: str
) -> tuple[np.ndarray, list[Any]]:
    """Row numbers and the cells of the fields ``positions`` in ``chunk`` (whole lines)."""
    import pyarrow as pa

    parsed = parse_block(chunk, 0, line, layout)
    if parsed is not None:
        rows, kept = parsed
        by_field = dict(zip(layout.keep, kept, strict=True))
        return rows, [by_field[j] for j in positions]
    text = chunk.decode("utf-8", errors="replace")
    records, starts, _ = _split(text, layout.delimiter, source)
    named = len(layout.names)
    rows, cells = [], [[] for _ in positions]
    for record, start in zip(records, starts, strict=True):
        row = line + start - 1
        width = len(record)
        while width and not record[width - 1].strip():
            width -= 1
        if width == 0:
            continue
        if width > named:
            raise DataError(
                f"this row has more cells than the header has names ({width} vs {named})",
                where=f"file {source}, row {row}",
                fix="Check for a stray separator in that row, or give the extra column a name",
            )
        rows.append(row)
        for k, j in enumerate(positions):
            value = record[j].strip() if j < len(record) else ""
            cells[k].append(value or None)
    return np.asarray(rows, dtype=np.int64), [pa.array(c, type=pa.string()) for c in cells]


def _read_column(
    rule: ColumnRule, cells: Any, rows: np.ndarray, name: str, source: str
) -> np.ndarray:
    from benchlearn.data.validate import _raise_not_number

    try:
        return rule.read(cells)
    except NumberRuleError as problem:
        row = int(rows[problem.index])
        if problem.kind == "not_number":
            _raise_not_number(problem.text, row, name, source, (None, None), rule.decimal)
        fix = MIXED_FIX if problem.kind == "mixed" else DECIMAL_FIX
        if problem.kind == "ambiguous":
            fix += " (read in blocks, a cell is settled only by the rows above it)"
        raise DataError(problem.describe(), path=source, row=row, column=name, fix=fix) from None
