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
    decimal: str | None = None,
) -> Any:
    """Fit a :class:`~benchlearn.LinearRegression` to data read in batches, never all at once.

    Memory is one batch plus a (p+2)×(p+2) matrix, whatever the number of rows. The result has
    the same coefficients, standard errors, R², intervals and summary as an in-memory fit.

    Parameters
    ----------
    source
        A CSV/TSV/text or Parquet file (read by the same rules as
        :func:`benchlearn.data.read_table`: encoding, delimiter, preamble, decimal mark, row
        numbers in errors), or an iterable of ``(X, y)`` chunks (arrays or DataFrames).
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
    decimal
        Files only: the decimal mark, ``"."`` or ``","``, when the cells cannot settle it (as
        for :func:`benchlearn.data.read_table`).

    Returns
    -------
    LinearRegression
        Fitted, with full inference.
    """
    if isinstance(source, str | Path):
        if y is None:
            raise UsageError("the response column is missing", fix="Pass y='column name'")
        chunks, names = _file_batches(Path(source), y, x, sample_weight, batch_rows, decimal)
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
    """A fitted LinearRegression from the R factor of ``[D | y]`` (shared with the Dask fit)."""
    from benchlearn.linear import LinearRegression, LinearSolution

    model = LinearRegression(fit_intercept=fit_intercept)
    model.n_features_in_ = len(features)
    if not all(f.startswith("x") and f[1:].isdigit() for f in features):
        model.feature_names_in_ = np.asarray(features, dtype=object)
    names = (["intercept"] if fit_intercept else []) + list(features)
    solution = LinearSolution.from_augmented_r(
        T, n_samples=n_samples, param_names=names, fit_intercept=fit_intercept
    )
    model.n_iter_ = 1
    return model._adopt_solution(solution)


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
    path: Path,
    y: str,
    x: Sequence[str] | None,
    weight: str | None,
    batch_rows: int,
    decimal: str | None = None,
) -> tuple[Iterator, Callable[[], list[str]]]:
    """The file's blocks, read by the data layer's rules (as the in-memory reader reads it)."""
    from benchlearn.data.blocks import BlockReader

    reader = BlockReader(path, decimal=decimal)
    available = reader.columns
    features = [c for c in available if c not in (y, weight)] if x is None else list(x)
    names = [y, *features, *([weight] if weight else [])]
    reader.check_columns(names)

    def generate() -> Iterator[tuple[list[np.ndarray], np.ndarray, np.ndarray | None]]:
        for block in reader.blocks(names, block_rows=batch_rows):
            for name in names:
                _check_finite(block.values[name], block.rows, name, path.name)
            yield (
                [block.values[f] for f in features],
                block.values[y],
                block.values[weight] if weight else None,
            )

    return generate(), lambda: features


def _check_finite(values: np.ndarray, rows: np.ndarray, name: str, source: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        where = int(np.flatnonzero(bad)[0])
        empty = np.isnan(values[where])
        raise DataError(
            "the cell is empty" if empty else "the value is infinite",
            path=source,
            row=int(rows[where]),
            column=name,
            fix="Fill it in, or clean the file before streaming (rows cannot be dropped silently)",
        )
