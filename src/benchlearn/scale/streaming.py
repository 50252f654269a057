"""Fitting files larger than memory: one pass over the rows, in batches, with bounded memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchlearn.errors import DataError, UsageError
from benchlearn.scale.tsqr import RunningR

Progress = Callable[[int], None]


def fit_streaming(
    source: str | Path | Iterable[tuple[Any, Any]],
    *,
    y: str | None = None,
    x: Sequence[str] | None = None,
    fit_intercept: bool = True,
    sample_weight: str | None = None,
    batch_rows: int = 65_536,
    progress: Progress | None = None,
) -> Any:
    """Fit a :class:`~benchlearn.LinearRegression` to data read in batches, never all at once.

    Memory is one batch plus a (p+2)×(p+2) matrix, whatever the number of rows. The result has
    the same coefficients, standard errors, R², intervals and summary as an in-memory fit.

    Parameters
    ----------
    source
        A CSV or Parquet file, or an iterable of ``(X, y)`` chunks (arrays or DataFrames).
    y, x
        Files only: the response column and the predictor columns (default: all others).
    fit_intercept
        Include an intercept.
    sample_weight
        Files only: a column of weights for weighted least squares.
    batch_rows
        Rows read per batch.
    progress
        Called with the number of rows done after every batch (for a progress bar).

    Returns
    -------
    LinearRegression
        Fitted, with full inference.
    """
    if isinstance(source, str | Path):
        if y is None:
            raise UsageError("the response column is missing", fix="Pass y='column name'")
        chunks, names = _file_batches(Path(source), y, x, sample_weight, batch_rows)
    else:
        chunks, names = _chunk_batches(source)
    running: RunningR | None = None
    n_used = 0
    for x_columns, y_block, w_block in chunks:
        if running is None:
            running = RunningR(len(x_columns) + (2 if fit_intercept else 1))
        if w_block is not None:
            keep = w_block > 0
            x_columns = [c[keep] for c in x_columns]
            y_block, w_block = y_block[keep], w_block[keep]
        columns = ([1.0] if fit_intercept else []) + list(x_columns) + [y_block]
        running.add_columns(columns, None if w_block is None else np.sqrt(w_block))
        n_used += len(y_block)
        if progress is not None:
            progress(running.n_rows)
    if running is None or n_used == 0:
        raise DataError("there are no rows to fit", fix="Check that the file has data rows")
    return adopt_augmented_r(running.R, n_used, names(), fit_intercept)


def adopt_augmented_r(
    T: np.ndarray, n_samples: int, features: list[str], fit_intercept: bool
) -> Any:
    """A fitted LinearRegression from the R factor of ``[D | y]``."""
    from benchlearn.linear import LinearRegression, LinearSolution

    names = (["intercept"] if fit_intercept else []) + list(features)
    solution = LinearSolution.from_augmented_r(
        T, n_samples=n_samples, param_names=names, fit_intercept=fit_intercept
    )
    return LinearRegression.from_solution(solution)


def _chunk_batches(chunks: Iterable[tuple[Any, Any]]) -> tuple[Iterator, Callable[[], list[str]]]:
    seen: dict[str, list[str]] = {}

    def generate() -> Iterator[tuple[np.ndarray, np.ndarray, None]]:
        for X, y in chunks:
            if "names" not in seen:
                columns = getattr(X, "columns", None)
                seen["names"] = (
                    [str(c) for c in columns]
                    if columns is not None
                    else [f"x{i}" for i in range(np.shape(X)[1])]
                )
            X = np.asarray(X, dtype=float)
            yield [X[:, j] for j in range(X.shape[1])], np.asarray(y, dtype=float).ravel(), None

    return generate(), lambda: seen["names"]


def _file_batches(
    path: Path, y: str, x: Sequence[str] | None, weight: str | None, batch_rows: int
) -> tuple[Iterator, Callable[[], list[str]]]:
    import pyarrow as pa

    if not path.exists():
        raise DataError(
            "the file does not exist", where=f"file {path}", fix="Check the name and folder"
        )
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        # Without pre-buffering and with a small read buffer, pyarrow keeps only the current
        # batch in memory; its defaults hold on to every row group read so far.
        handle = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
        available = handle.schema_arrow.names
        header_lines = 0
    elif suffix in (".csv", ".tsv", ".txt"):
        import pyarrow.csv as pcsv

        delimiter = "\t" if suffix == ".tsv" else ","
        handle = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=1 << 22),
            parse_options=pcsv.ParseOptions(delimiter=delimiter),
        )
        available = handle.schema.names
        header_lines = 1
    else:
        raise UsageError(
            f"streaming reads .csv, .tsv and .parquet files, not '{suffix}'",
            where=f"file {path.name}",
            fix="Convert the file, or fit it without --stream",
        )
    features = [c for c in available if c not in (y, weight)] if x is None else list(x)
    for column in [y, *features, *([weight] if weight else [])]:
        if column not in available:
            raise UsageError(
                f"there is no column named `{column}`",
                where=f"file {path.name}",
                fix=f"The columns are: {', '.join(f'`{c}`' for c in available)}",
            )

    def batches() -> Iterator[pa.RecordBatch]:
        if header_lines == 0:
            yield from handle.iter_batches(
                batch_size=batch_rows, columns=[y, *features, *([weight] if weight else [])]
            )
        else:
            for batch in handle:
                for start in range(0, batch.num_rows, batch_rows):
                    yield batch.slice(start, batch_rows)

    def generate() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
        offset = 0
        for batch in batches():
            columns = {
                name: _numeric(batch, name, path.name, offset + header_lines)
                for name in [y, *features, *([weight] if weight else [])]
            }
            yield [columns[f] for f in features], columns[y], columns[weight] if weight else None
            offset += batch.num_rows

    return generate(), lambda: features


def _numeric(batch: Any, name: str, source: str, first_row: int) -> np.ndarray:
    import pyarrow as pa

    column = batch.column(batch.schema.get_field_index(name))
    if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
        raise DataError(
            f"the column holds {column.type} values, not numbers",
            path=source,
            column=name,
            fix="Every value of a column used in the fit must be a number",
        )
    values = column.to_numpy(zero_copy_only=False).astype(float, copy=False)
    if not np.isfinite(values).all():
        bad = ~np.isfinite(values)
        where = int(np.flatnonzero(bad)[0])
        raise DataError(
            "the cell is empty or not a finite number",
            path=source,
            row=first_row + where + 1,
            column=name,
            fix="Fill it in, or clean the file before streaming (rows cannot be dropped silently)",
        )
    return values
