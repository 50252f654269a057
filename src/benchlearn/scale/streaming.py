"""Fitting files larger than memory: passes over the rows in batches, with bounded memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchlearn.errors import DataError, UsageError

Progress = Callable[[int], None]


def fit_streaming(
    source: str | Path | Iterable[tuple[Any, Any]] | Callable[[], Iterable[tuple[Any, Any]]],
    *,
    y: str | None = None,
    x: Sequence[str] | None = None,
    fit_intercept: bool = True,
    sample_weight: str | None = None,
    batch_rows: int = 65_536,
    refine: bool = True,
    progress: Progress | None = None,
    decimal: str | None = None,
) -> Any:
    """Fit a :class:`~benchlearn.LinearRegression` to data read in batches, never all at once.

    Memory is one batch plus a few (p+2)×(p+2) matrices, whatever the number of rows. The
    data are read twice (``refine=True``, the default): a first pass factors them, a second
    refines the solution from its residuals, with the exact in-memory engine
    (:mod:`benchlearn.linear.exact`), so the coefficients, standard errors, R², intervals and
    summary are the in-memory fit's to the last digits. (Ill-conditioned data, scaled condition
    number above 100, take one more pass to factor by Householder QR.)

    Parameters
    ----------
    source
        A CSV/TSV/text or Parquet file (read by the same rules as
        :func:`benchlearn.data.read_table`: encoding, delimiter, preamble, decimal mark, row
        numbers in errors); or ``(X, y)`` chunks (arrays or DataFrames) as a list or as a
        function returning a fresh iterable of them (read once per pass). A one-shot iterator
        (a generator) can be read only once: pass ``refine=False`` for it.
    y, x
        Files only: the response column and the predictor columns (default: all others).
    fit_intercept
        Include an intercept.
    sample_weight
        Files only: a column of weights for weighted least squares.
    batch_rows
        Rows read per batch.
    refine
        ``False`` for the **one-pass fit**: the file is read once and the answer is read off a
        Householder R factor of ``[D | y]`` without refinement. It is accurate to about
        ``1e-16 ×`` the condition number (12 or more digits on well-conditioned data, fewer
        on nearly collinear designs) instead of the in-memory fit's digits.
    progress
        Called with the number of rows read so far after every batch of the first pass.
    decimal
        Files only: the decimal mark, ``"."`` or ``","``, when the cells cannot settle it (as
        for :func:`benchlearn.data.read_table`).

    Returns
    -------
    LinearRegression
        Fitted, with full inference.
    """
    from benchlearn.linear import LinearRegression, LinearSolution
    from benchlearn.linear.exact import SequentialPasses, solve_in_passes

    if isinstance(source, str | Path):
        if y is None:
            raise UsageError("the response column is missing", fix="Pass y='column name'")
        path, response = Path(source), y

        def read() -> tuple[Iterator, Callable[[], list[str]]]:
            return _file_batches(path, response, x, sample_weight, batch_rows, decimal)

    else:
        if not callable(source) and iter(source) is source and refine:  # type: ignore[arg-type]
            raise UsageError(
                "the chunks can be read only once, but the exact fit reads them twice",
                fix="Pass a list of chunks or a function returning them, or refine=False "
                "for the one-pass fit",
            )
        chunks = source

        def read() -> tuple[Iterator, Callable[[], list[str]]]:
            return _chunk_batches(chunks() if callable(chunks) else chunks)  # type: ignore[operator]

    seen: dict[str, Any] = {}

    def blocks() -> Iterator[np.ndarray]:
        batches, names = read()
        first_pass = "names" not in seen
        rows = 0
        for block in _augmented_blocks(batches, fit_intercept):
            if isinstance(block, int):  # end of a batch
                rows += block
                if first_pass and progress is not None:
                    progress(rows)
                continue
            yield block
        if rows:
            seen["names"] = names()

    passes = SequentialPasses(blocks)
    try:
        fit = solve_in_passes(passes, fit_intercept=fit_intercept, refine=refine)
    except ValueError as error:
        if str(error) != "no rows":
            raise
        raise DataError(
            "there are no rows to fit", fix="Check that the file has data rows"
        ) from None
    names = (["intercept"] if fit_intercept else []) + list(seen["names"])
    solution = LinearSolution(
        coef=fit.coef,
        R=fit.R,
        sse=fit.sse,
        tss=fit.tss,
        n_samples=fit.n_samples,
        param_names=names,
        fit_intercept=fit_intercept,
        condition_number=_condition_number(fit.R, fit.aliased),
        aliased=fit.aliased,
        n_refinements=fit.n_refinements,
    )
    return LinearRegression.from_solution(solution)


def _condition_number(R: np.ndarray, aliased: np.ndarray) -> float:
    import scipy.linalg

    if aliased.any():
        return float("inf")
    sv = scipy.linalg.svdvals(R)
    return float(sv[0] / sv[-1]) if sv[-1] > 0 else float("inf")


def _augmented_blocks(
    batches: Iterable[tuple[list[np.ndarray], np.ndarray, np.ndarray | None]], intercept: bool
) -> Iterator[np.ndarray | int]:
    """Cache-sized blocks of ``[D | y]`` (rows times sqrt(weight)) from column batches.

    After each batch its number of rows (zero-weight rows included) is yielded as an int.
    """
    from benchlearn.linear.exact import block_rows

    buffer: np.ndarray | None = None
    for x_columns, y_block, w_block in batches:
        n_read = len(y_block)
        if w_block is not None:
            keep = w_block > 0
            if not keep.all():
                x_columns = [c[keep] for c in x_columns]
                y_block, w_block = y_block[keep], w_block[keep]
        k = len(x_columns) + (2 if intercept else 1)
        rows = block_rows(k - 1)
        if buffer is None or buffer.shape[1] != k:
            buffer = np.empty((rows, k), order="F")  # columns are written whole
        offset = 1 if intercept else 0
        for start in range(0, len(y_block), rows):
            stop = min(len(y_block), start + rows)
            A = buffer[: stop - start]
            if intercept:
                A[:, 0] = 1.0
            for j, column in enumerate(x_columns):
                A[:, offset + j] = column[start:stop]
            A[:, k - 1] = y_block[start:stop]
            if w_block is not None:
                A *= np.sqrt(w_block[start:stop])[:, np.newaxis]
            yield A
        yield n_read


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
