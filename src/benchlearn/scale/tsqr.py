"""Tall-skinny QR: the R factor of a tall matrix, built from pieces that each fit in memory.

If ``A = [A1; A2]`` (rows split in two) and ``Ai = Qi Ri``, then ``A`` has the same R factor as
the small stacked matrix ``[R1; R2]`` (up to row signs): the orthogonal Q factors never need to
be kept. So the R factor of data of any length is obtained by factoring a block, stacking its R
on the next block, factoring again, and so on (streaming), or by merging blocks' R factors pairwise
in a tree (Dask). Applied to ``[D | y]`` (design and response side by side) the last R holds
everything the regression needs (see :class:`benchlearn.linear.LinearSolution`), computed with
orthogonal transformations only, as accurately as the in-memory QR; the normal equations, which
square the condition number, are never formed.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.linalg.lapack


def r_factor(block: np.ndarray) -> np.ndarray:
    """The square upper-triangular R factor of ``block`` (zero-padded if it has fewer rows)."""
    block = np.asarray(block, dtype=float)
    n, p = block.shape
    if n == 0:
        return np.zeros((p, p))
    R = scipy.linalg.qr(block, mode="r", check_finite=False)[0]
    R = np.triu(R[:p])
    if R.shape[0] < p:
        R = np.vstack([R, np.zeros((p - R.shape[0], p))])
    return R


def merge(*factors: np.ndarray) -> np.ndarray:
    """The R factor of the rows behind several R factors stacked on each other."""
    return r_factor(np.vstack(factors))


class RunningR:
    """Accumulates the R factor of a matrix fed in row blocks, in memory proportional to p².

    Examples
    --------
    >>> import numpy as np
    >>> A = np.random.default_rng(0).normal(size=(1000, 3))
    >>> running = RunningR(3)
    >>> for start in range(0, 1000, 128):
    ...     running.add(A[start:start + 128])
    >>> bool(np.allclose(np.abs(running.R), np.abs(r_factor(A))))
    True
    """

    def __init__(self, n_columns: int) -> None:
        self.R = np.zeros((n_columns, n_columns))
        self.n_rows = 0

    def add(self, block: np.ndarray) -> None:
        """Fold the rows of ``block`` into the running factor."""
        block = np.asarray(block, dtype=float)
        self.add_columns([block[:, j] for j in range(block.shape[1])])

    def add_columns(
        self, columns: list[np.ndarray | float], row_scale: np.ndarray | None = None
    ) -> None:
        """Fold in a block given column by column (a float stands for a constant column).

        ``row_scale`` multiplies every row (``sqrt(weight)`` for weighted least squares).
        """
        p = self.R.shape[0]
        n = next(len(c) for c in columns if not np.isscalar(c))
        # R and the block go straight into one Fortran-ordered array that LAPACK factors in
        # place: no intermediate copies of the batch.
        stacked = np.empty((p + n, p), order="F")
        stacked[:p] = self.R
        for j, column in enumerate(columns):
            if row_scale is None:
                stacked[p:, j] = column
            else:
                np.multiply(column, row_scale, out=stacked[p:, j])
        factored, _, _, info = scipy.linalg.lapack.dgeqrf(stacked, overwrite_a=True)
        if info != 0:  # pragma: no cover - argument errors would be a bug here
            raise RuntimeError(f"LAPACK dgeqrf failed with info={info}")
        self.R = np.triu(factored[:p])
        self.n_rows += n


def augmented_rows(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray | None, fit_intercept: bool
) -> np.ndarray:
    """Rows of ``[D | y]`` (intercept column first), multiplied by sqrt(weight) if weighted."""
    parts = ([np.ones((X.shape[0], 1))] if fit_intercept else []) + [X, y.reshape(-1, 1)]
    A = np.hstack(parts)
    if weights is not None:
        A *= np.sqrt(weights)[:, None]
    return A
