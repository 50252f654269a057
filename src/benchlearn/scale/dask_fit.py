"""The same least-squares fit on a Dask array or DataFrame, on whatever scheduler is active.

The exact engine of :mod:`benchlearn.linear.exact`, distributed: every pass (the Gram pass that
factors, a Householder pass on ill-conditioned data, the refinement passes) reduces each chunk
of rows on the worker that holds it to a small sum ((p+1)×(p+1) at most), and those are added
(or, for Householder R factors, merged) pairwise in a tree; only the final sum comes back. With a
``dask.distributed.Client`` the work runs on its cluster; without one, on Dask's local threads.
The result has the in-memory fit's digits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchlearn.errors import UsageError
from benchlearn.linear.exact import merge_r
from benchlearn.linear.solution import LinearSolution


def _require_dask() -> Any:
    try:
        import dask
        import dask.array
    except ImportError as error:  # pragma: no cover - dask is installed with the dev extra
        raise UsageError(
            "Dask is not installed",
            fix="Install the extra: pip install 'benchlearn[dask]'",
        ) from error
    return dask


def dask_solution(
    X: Any, y: Any, sample_weight: Any = None, *, fit_intercept: bool = True
) -> LinearSolution:
    """The exact least-squares solution of Dask collections; ``LinearRegression.fit`` calls it.

    The engine of :mod:`benchlearn.linear.exact`, with each pass a map over the row chunks
    (where they live) and a pairwise tree of additions: a Gram pass (or, on ill-conditioned
    data, a Householder pass merging R factors), then refinement passes.

    Parameters
    ----------
    X, y, sample_weight
        Dask arrays or DataFrames / Series (rechunked to ``X``'s row chunks).
    fit_intercept
        Include an intercept column.
    """
    _require_dask()
    import dask.array as da

    from benchlearn.linear.exact import solve_in_passes

    def as_array(values: Any) -> Any:
        if hasattr(values, "to_dask_array"):
            return values.to_dask_array(lengths=True)
        return da.asarray(values)

    features = [str(c) for c in X.columns] if hasattr(X, "columns") else None
    X_arr = as_array(X).astype(float).rechunk({1: -1})
    y_arr = as_array(y).astype(float).rechunk((X_arr.chunks[0],))
    w_arr = None
    if sample_weight is not None:
        w_arr = as_array(sample_weight).astype(float).rechunk((X_arr.chunks[0],))
    q = X_arr.shape[1]
    passes = DaskPasses(
        X_arr.to_delayed().ravel(),
        y_arr.to_delayed().ravel(),
        None if w_arr is None else w_arr.to_delayed().ravel(),
        fit_intercept=fit_intercept,
    )
    fit = solve_in_passes(passes, fit_intercept=fit_intercept)
    names = features or [f"x{i}" for i in range(q)]
    return LinearSolution(
        coef=fit.coef,
        R=fit.R,
        sse=fit.sse,
        tss=fit.tss,
        n_samples=fit.n_samples,
        param_names=(["intercept"] if fit_intercept else []) + names,
        fit_intercept=fit_intercept,
        condition_number=_condition_number(fit.R, fit.aliased),
        aliased=fit.aliased,
        n_refinements=fit.n_refinements,
    )


class DaskPasses:
    """The engine's passes on Dask: each chunk reduced where it lives, results added in a tree.

    Within a chunk the rows are visited in cache-sized blocks, exactly as in memory
    (:class:`benchlearn.linear.exact.SequentialPasses`); only (p+1)×(p+1) matrices and
    p-vectors travel between workers.
    """

    def __init__(
        self,
        x_chunks: Any,
        y_chunks: Any,
        w_chunks: Any,
        *,
        fit_intercept: bool,
    ) -> None:
        weights = [None] * len(x_chunks) if w_chunks is None else list(w_chunks)
        self._chunks = list(zip(x_chunks, y_chunks, weights, strict=True))
        self._intercept = fit_intercept

    def _run(self, method: str, *args: Any) -> Any:
        import dask

        parts = [
            dask.delayed(_chunk_pass)(x, y, w, self._intercept, method, args)
            for x, y, w in self._chunks
        ]
        combine = _merge_householder if method == "householder" else _add
        while len(parts) > 1:  # pairwise tree: depth log2(number of chunks)
            parts = [
                dask.delayed(combine)(*parts[i : i + 2]) if i + 1 < len(parts) else parts[i]
                for i in range(0, len(parts), 2)
            ]
        (total,) = dask.compute(parts[0])
        if total is None:
            raise ValueError("no rows")
        return total

    def gram(self) -> Any:
        return self._run("gram")

    def householder(self) -> tuple[np.ndarray, int]:
        return self._run("householder")

    def residuals(
        self,
        coef_hi: np.ndarray,
        coef_lo: np.ndarray,
        extended_precision: bool,
        y_mean: float | None,
        exact_gram: bool,
    ) -> Any:
        return self._run("residuals", coef_hi, coef_lo, extended_precision, y_mean, exact_gram)


def _chunk_pass(
    X: np.ndarray, y: np.ndarray, w: np.ndarray | None, intercept: bool, method: str, args: tuple
) -> Any:
    """One pass over one chunk (on the worker holding it); ``None`` for a chunk of no rows."""
    from benchlearn.linear.exact import SequentialPasses, array_blocks

    y = np.asarray(y, dtype=float).ravel()
    if w is not None:
        w = np.asarray(w, dtype=float).ravel()
        keep = w > 0
        if not keep.all():
            X, y, w = X[keep], y[keep], w[keep]
    if len(y) == 0:
        return None
    passes = SequentialPasses(array_blocks(np.asarray(X, dtype=float), y, w, intercept))
    return getattr(passes, method)(*args)


def _add(first: Any, second: Any) -> Any:
    if first is None or second is None:
        return second if first is None else first
    return first + second


def _merge_householder(first: Any, second: Any) -> Any:
    if first is None or second is None:
        return second if first is None else first
    return merge_r(first[0], second[0]), first[1] + second[1]


def _condition_number(R: np.ndarray, aliased: np.ndarray) -> float:
    import scipy.linalg

    if aliased.any():
        return float("inf")
    sv = scipy.linalg.svdvals(R)
    return float(sv[0] / sv[-1]) if sv[-1] > 0 else float("inf")


def fit_file_with_dask(
    path: str,
    *,
    y: str,
    x: list[str] | None = None,
    address: str | None = None,
    fit_intercept: bool = True,
    decimal: str | None = None,
) -> Any:
    """Read a CSV or Parquet file (or a glob of them) with Dask and fit it.

    The files are read by the data layer's rules, as the in-memory reader reads them (see
    :mod:`benchlearn.data.blocks`): each Dask partition is a byte range of a text file or a
    row group of a Parquet file, and an error names the file, row and column.

    Parameters
    ----------
    path
        File or glob pattern (``data/part-*.parquet``).
    y, x
        Response and predictor columns (default: every other column).
    address
        A Dask scheduler such as ``tcp://10.0.0.5:8786``; default: the local machine.
    fit_intercept
        Include an intercept.
    decimal
        The decimal mark, ``"."`` or ``","``, when the cells cannot settle it.
    """
    _require_dask()
    from benchlearn.data.dask_read import dask_frame
    from benchlearn.linear import LinearRegression

    client = _connect(address) if address else None
    try:
        frame, features = dask_frame(path, y=y, x=x, decimal=decimal)
        return LinearRegression(fit_intercept=fit_intercept).fit(frame[features], frame[y])
    finally:
        if client is not None:
            client.close()


def _connect(address: str) -> Any:
    """A client of the scheduler at ``address``, or a clear error within seconds."""
    from distributed import Client

    try:
        return Client(address, timeout="10s")
    except (OSError, ValueError, TypeError) as error:  # TimeoutError is an OSError
        raise UsageError(
            f"cannot reach a Dask scheduler at {address!r} ({type(error).__name__}: {error})",
            where="option --dask",
            fix="Give the scheduler's address as tcp://HOST:PORT (printed when it starts), "
            "check that it is running and reachable, or use --dask local",
        ) from error
