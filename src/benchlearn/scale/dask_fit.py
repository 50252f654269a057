"""The same least-squares fit on a Dask array or DataFrame, on whatever scheduler is active.

Each chunk of rows is reduced to the R factor of its ``[D | y]`` rows on the worker that holds
it; the small factors are merged pairwise in a tree (tall-skinny QR), and only the final
(p+2)×(p+2) matrix comes back. With a ``dask.distributed.Client`` the work runs on its cluster;
without one, on Dask's local threads.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchlearn.errors import UsageError
from benchlearn.scale.streaming import adopt_augmented_r
from benchlearn.scale.tsqr import augmented_rows, merge, r_factor


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


def fit_linear_regression(model: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """Fit ``model`` (a LinearRegression) to Dask collections; called by ``model.fit``."""
    dask = _require_dask()
    import dask.array as da

    if model.solver != "exact":
        raise UsageError(
            f"solver={model.solver!r} is not available on Dask data",
            fix="Use the exact solver (the default) for Dask arrays and DataFrames",
        )
    features = [str(c) for c in X.columns] if hasattr(X, "columns") else None
    X_arr = X.to_dask_array(lengths=True) if hasattr(X, "to_dask_array") else da.asarray(X)
    y_arr = y.to_dask_array(lengths=True) if hasattr(y, "to_dask_array") else da.asarray(y)
    if sample_weight is not None:
        w_arr = (
            sample_weight.to_dask_array(lengths=True)
            if hasattr(sample_weight, "to_dask_array")
            else da.asarray(sample_weight)
        )
    else:
        w_arr = None
    X_arr = X_arr.astype(float).rechunk({1: -1})
    y_arr = y_arr.astype(float).rechunk((X_arr.chunks[0],))
    fit_intercept = model.fit_intercept

    def block_factor(X_block: np.ndarray, y_block: np.ndarray, w_block: Any = None) -> np.ndarray:
        rows = augmented_rows(
            X_block, y_block.ravel(), None if w_block is None else w_block.ravel(), fit_intercept
        )
        return r_factor(rows)

    x_blocks = X_arr.to_delayed().ravel()
    y_blocks = y_arr.to_delayed().ravel()
    if w_arr is not None:
        w_blocks = w_arr.astype(float).rechunk((X_arr.chunks[0],)).to_delayed().ravel()
        factors = [
            dask.delayed(block_factor)(a, b, c)
            for a, b, c in zip(x_blocks, y_blocks, w_blocks, strict=True)
        ]
        n_used = int((w_arr > 0).sum().compute())
    else:
        factors = [
            dask.delayed(block_factor)(a, b) for a, b in zip(x_blocks, y_blocks, strict=True)
        ]
        n_used = int(X_arr.shape[0])
    while len(factors) > 1:  # pairwise tree: depth log2(number of chunks)
        factors = [dask.delayed(merge)(*factors[i : i + 2]) for i in range(0, len(factors), 2)]
    (T,) = dask.compute(factors[0])
    names = features or [f"x{i}" for i in range(X_arr.shape[1])]
    fitted = adopt_augmented_r(T, n_used, names, fit_intercept)
    model.__dict__.update(fitted.__dict__ | {"fit_intercept": fit_intercept})
    return model


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
