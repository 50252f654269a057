"""The exact least-squares engine: R from one pass over row blocks, refinement from more passes.

One engine serves every place a linear model is fitted exactly: arrays in memory, files streamed
batch by batch, and Dask collections on a cluster. It never holds more than one block of rows
(and never copies the whole design), because everything it needs is a sum over rows:

1. **Factor.** One pass sums the Gram matrix ``AᵀA`` of ``A = [D | y]`` over row blocks (BLAS
   does this at the speed of the machine). The columns are scaled by powers of two, which
   changes no digit, so that their lengths are near 1; then the Cholesky factor ``R`` of the
   design's part gives ``DᵀD = RᵀR``. Forming ``DᵀD`` squares the condition number, so this is
   used only when the scaled condition number is small (at most ``CHOLESKY_MAX_CONDITION``,
   where ``R`` is as good as a Householder one). Otherwise a second kind of pass builds ``R`` of
   ``[D | y]`` by Householder QR of each block, merged block by block (tall-skinny QR), which
   is accurate whatever the conditioning.
2. **Refine.** Each further pass computes the residuals ``r = y - D b`` and ``g = Dᵀr`` block by
   block; ``R δ = R⁻ᵀ g`` gives the correction (corrected semi-normal equations). On small or
   ill-conditioned problems the residuals and sums are carried in double-double (about 32
   digits), which is what makes the answer correct to nearly every float64 digit.
3. On small problems (known after the first pass) the first refinement pass also sums the Gram
   matrix exactly, and ``R`` is corrected so that ``RᵀR`` equals it: the standard errors then
   have the accuracy of the coefficients.

The three kinds of pass are plain functions of a block of rows that return small sums, so a
cluster runs them as a map over its chunks followed by a tree of additions (:class:`Passes`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import scipy.linalg

from benchlearn.linear import extended
from benchlearn.linear.qr import find_aliased_columns, refine_r_from_gram

_EPS = np.finfo(float).eps

# With a Cholesky R the refinement contracts by about eps·κ² per pass and the covariance
# R⁻¹R⁻ᵀ carries a relative error of about eps·κ²: at κ = 100 that is 1e-12, as good as the
# standard errors of a Householder R on real data. Beyond it, Householder blocks are used.
CHOLESKY_MAX_CONDITION = 1e2
# Double-double residuals cost ~25 float64 operations per entry: always used on small or
# ill-conditioned problems, where they buy the last digits; skipped on tall well-conditioned
# ones, where float64 residuals give full accuracy after one pass.
EXTENDED_MAX_ENTRIES = 2_000_000
EXTENDED_MIN_CONDITION = 1e4
# Summing DᵀD exactly (to correct R) costs n·p² double-double products.
EXACT_GRAM_MAX_WORK = 20_000_000
# Rows per block: about 2 MiB of [D | y], which stays in cache while BLAS works on it.
BLOCK_BYTES = 1 << 21


def block_rows(n_columns: int) -> int:
    """Rows per cache-sized block for a design of ``n_columns`` columns (plus y)."""
    return max(256, BLOCK_BYTES // (8 * (n_columns + 1)))


# ---------------------------------------------------------------- what one pass sums
@dataclass(frozen=True)
class GramSums:
    """Sums of the first pass: ``gram = AᵀA`` over the rows of ``A = [D | y]``, and ``n`` rows."""

    gram: np.ndarray
    n: int

    def __add__(self, other: GramSums) -> GramSums:
        return GramSums(self.gram + other.gram, self.n + other.n)


@dataclass(frozen=True)
class ResidualSums:
    """Sums of a refinement pass at coefficients ``b``: ``g = Dᵀr``, ``Σr²`` and the centred
    total sum of squares (``tss_raw - tss_shift² / weight_sum`` with an intercept); ``g`` and
    ``Σr²`` as double-double pairs ``(hi, lo)``. When asked for, ``gram_hi + gram_lo`` is
    ``DᵀD`` summed to about 32 digits (to correct R on small problems)."""

    g_hi: np.ndarray
    g_lo: np.ndarray
    sse_hi: float
    sse_lo: float
    tss_raw: float
    tss_shift: float
    gram_hi: np.ndarray | None = None
    gram_lo: np.ndarray | None = None

    def __add__(self, other: ResidualSums) -> ResidualSums:
        gram_hi = gram_lo = None
        if self.gram_hi is not None and other.gram_hi is not None:
            gram_hi, gram_lo = _dd_add(self.gram_hi, self.gram_lo, other.gram_hi, other.gram_lo)
        g_hi, g_lo = _dd_add(self.g_hi, self.g_lo, other.g_hi, other.g_lo)
        sse_hi, sse_lo = _dd_add(
            np.array(self.sse_hi), np.array(self.sse_lo), other.sse_hi, other.sse_lo
        )
        return ResidualSums(
            g_hi,
            g_lo,
            float(sse_hi),
            float(sse_lo),
            self.tss_raw + other.tss_raw,
            self.tss_shift + other.tss_shift,
            gram_hi,
            gram_lo,
        )


def gram_of_block(A: np.ndarray) -> GramSums:
    """First-pass sums of one block of rows of ``[D | y]`` (weighted rows)."""
    return GramSums(A.T @ A, A.shape[0])


def exact_gram_of_block(D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``DᵀD`` of one block as a double-double pair, each product split exactly."""
    k = D.shape[1]
    hi, lo = np.zeros((k, k)), np.zeros((k, k))
    for i in range(k):
        p, e = extended.two_product(D[:, i : i + 1], D[:, i:])
        s, t = _dd_sum(p, e)
        hi[i, i:], lo[i, i:] = s, t
        hi[i:, i], lo[i:, i] = s, t
    return hi, lo


def householder_of_block(A: np.ndarray) -> np.ndarray:
    """The square (k, k) R factor of a block of ``[D | y]`` by Householder QR.

    A block with fewer rows than columns gives a zero-padded R. Stacking two R factors and
    factoring again gives the R factor of all their rows (:func:`merge_r`): the orthogonal
    factors are never needed, which is what lets R be built block by block (tall-skinny QR).
    """
    A = np.asarray(A, dtype=float)
    n, k = A.shape
    if n == 0:
        return np.zeros((k, k))
    R = np.triu(scipy.linalg.qr(A, mode="r", check_finite=False)[0][:k])
    if R.shape[0] < k:
        R = np.vstack([R, np.zeros((k - R.shape[0], k))])
    return R


def merge_r(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The R factor of the rows behind two R factors."""
    return householder_of_block(np.vstack([first, second]))


def residuals_of_block(
    A: np.ndarray,
    coef_hi: np.ndarray,
    coef_lo: np.ndarray,
    *,
    extended_precision: bool,
    y_mean: float | None,
    exact_gram: bool = False,
) -> ResidualSums:
    """Refinement-pass sums of one block of ``[D | y]`` at coefficients ``coef_hi + coef_lo``.

    ``y_mean`` is the (weighted) mean response with an intercept (column 0 holds the
    square-root weights then), ``None`` without one. ``exact_gram`` adds ``DᵀD`` summed exactly.
    """
    p = A.shape[1] - 1
    D, y = A[:, :p], A[:, p]
    if extended_precision:
        r_hi, r_lo = extended.residual_pair(D, y, coef_hi, coef_lo)
        prod, err = extended.two_product(D, r_hi[:, None])
        g_hi, g_lo = _dd_sum(prod, err + D * r_lo[:, None])
        sq, sq_err = extended.two_product(r_hi, r_hi)
        sse_hi, sse_lo = _dd_sum(sq[:, None], (sq_err + 2 * r_hi * r_lo)[:, None])
        sse_hi, sse_lo = float(sse_hi[0]), float(sse_lo[0])
    else:
        r = y - D @ coef_hi
        g_hi, g_lo = D.T @ r, np.zeros(p)
        sse_hi, sse_lo = float(r @ r), 0.0
    if y_mean is None:
        deviation, shift = y, 0.0
    else:
        deviation = y - y_mean * D[:, 0]
        shift = float(D[:, 0] @ deviation)
    gram_hi, gram_lo = exact_gram_of_block(D) if exact_gram else (None, None)
    return ResidualSums(
        g_hi, g_lo, sse_hi, sse_lo, float(deviation @ deviation), shift, gram_hi, gram_lo
    )


# ---------------------------------------------------------------- how the passes run
class Passes(Protocol):
    """Runs one kind of pass over all rows and returns the summed result.

    In memory and on files the blocks are visited one after another; on a cluster each chunk
    is reduced where it lives and the small results are added in a tree.
    """

    def gram(self) -> GramSums: ...

    def householder(self) -> tuple[np.ndarray, int]: ...

    def residuals(
        self,
        coef_hi: np.ndarray,
        coef_lo: np.ndarray,
        extended_precision: bool,
        y_mean: float | None,
        exact_gram: bool,
    ) -> ResidualSums: ...


class SequentialPasses:
    """Passes over a re-readable sequence of row blocks of ``[D | y]``, one block at a time.

    Parameters
    ----------
    blocks
        Called once per pass; returns the blocks (arrays of shape (rows, p + 1), weighted).
    """

    def __init__(self, blocks: Callable[[], Iterable[np.ndarray]]) -> None:
        self._blocks = blocks

    def gram(self) -> GramSums:
        total: GramSums | None = None
        for A in self._blocks():
            part = gram_of_block(A)
            total = part if total is None else total + part
        if total is None:
            raise ValueError("no rows")
        return total

    def householder(self) -> tuple[np.ndarray, int]:
        T: np.ndarray | None = None
        n = 0
        for A in self._blocks():
            T = householder_of_block(A if T is None else np.vstack([T, A]))
            n += len(A)
        if T is None:
            raise ValueError("no rows")
        return T, n

    def residuals(
        self,
        coef_hi: np.ndarray,
        coef_lo: np.ndarray,
        extended_precision: bool,
        y_mean: float | None,
        exact_gram: bool,
    ) -> ResidualSums:
        total: ResidualSums | None = None
        for A in self._blocks():
            part = residuals_of_block(
                A,
                coef_hi,
                coef_lo,
                extended_precision=extended_precision,
                y_mean=y_mean,
                exact_gram=exact_gram,
            )
            total = part if total is None else total + part
        if total is None:
            raise ValueError("no rows")
        return total


def array_blocks(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None,
    fit_intercept: bool,
    rows: int | None = None,
) -> Callable[[], Iterator[np.ndarray]]:
    """Row blocks of ``[D | y]`` built from arrays in memory, one cache-sized block at a time.

    The design is never formed whole: each block (intercept column, the rows of ``X``, ``y``,
    all times ``sqrt(weight)``) is written into one reused buffer, so the memory above the
    input is one block. A consumer must not keep a block beyond its turn.
    """
    n, q = X.shape
    k = q + (1 if fit_intercept else 0) + 1
    rows = rows or block_rows(k - 1)

    def blocks() -> Iterator[np.ndarray]:
        buffer = np.empty((min(rows, max(n, 1)), k))
        for start in range(0, n, rows):
            stop = min(n, start + rows)
            A = buffer[: stop - start]
            if fit_intercept:
                A[:, 0] = 1.0
            A[:, k - 1 - q : k - 1] = X[start:stop]
            A[:, k - 1] = y[start:stop]
            if weights is not None:
                A *= np.sqrt(weights[start:stop])[:, np.newaxis]
            yield A

    return blocks


# ---------------------------------------------------------------- the solver
@dataclass(frozen=True)
class ExactFit:
    """What the engine found (see :class:`benchlearn.linear.qr.QRLeastSquares` for the fields
    shared with the in-memory Householder solver).

    Attributes
    ----------
    coef, coef_low : ndarray of shape (p,)
        Coefficients (0 where aliased) and their low-order parts (double-double refinement).
    R : ndarray of shape (k, k)
        Upper-triangular factor of the estimable columns of the weighted design.
    sse, tss : float
        Residual and total (centred with an intercept) weighted sums of squares.
    n_samples : int
    aliased : ndarray of bool
    scaled_condition_number : float
    n_refinements : int
        Refinement passes whose correction was applied.
    extended : bool
        Whether refinement ran in double-double.
    factorization : {"cholesky", "householder"}
        How ``R`` was obtained.
    n_passes : int
        Passes over the data, the first included.
    """

    coef: np.ndarray
    coef_low: np.ndarray
    R: np.ndarray
    sse: float
    tss: float
    n_samples: int
    aliased: np.ndarray
    scaled_condition_number: float
    n_refinements: int
    extended: bool
    factorization: str
    n_passes: int


def solve_in_passes(
    passes: Passes,
    *,
    fit_intercept: bool,
    refine: bool = True,
    extended_precision: bool | None = None,
    max_refinements: int = 10,
) -> ExactFit:
    """Minimise ``||y - D b||`` (weighted rows) with passes over the rows of ``[D | y]``.

    Parameters
    ----------
    passes
        Runs each pass (:class:`SequentialPasses` in memory and on files; the Dask fit has its
        own).
    fit_intercept
        Whether column 0 is the intercept (the square-root weights); the total sum of squares
        is then centred.
    refine
        ``False``: one pass only, a Householder R of ``[D | y]`` read off directly (no
        refinement; accurate to about ``eps · κ`` instead of nearly every digit).
    extended_precision
        Refine in double-double; ``None`` decides from size and conditioning.
    max_refinements
        Most refinement passes.
    """
    if not refine:
        T, n = passes.householder()
        return _one_pass(T, n, T.shape[1] - 1, fit_intercept)
    sums = passes.gram()
    n = sums.n
    passes_done = 1
    G = sums.gram
    p = G.shape[0] - 1
    scales = _scales(np.diag(G)[:p])
    R_scaled = _cholesky(G[:p, :p] * np.outer(scales, scales))
    condition = _condition(R_scaled)
    aliased = np.zeros(p, dtype=bool)
    if condition <= CHOLESKY_MAX_CONDITION:
        factorization = "cholesky"
        R = R_scaled / scales[np.newaxis, :]
        coef = scipy.linalg.cho_solve((R_scaled, False), scales * G[:p, p]) * scales
        keep = ~aliased
    else:
        factorization = "householder"
        T, _ = passes.householder()
        passes_done += 1
        R_full = np.triu(T[:p, :p])
        aliased = find_aliased_columns(R_full * scales, n)
        keep = ~aliased
        if aliased.any():
            R = _refactor(R_full[:, keep])
            coef = np.zeros(p)
            coef[keep] = scipy.linalg.lstsq(R_full[:, keep], T[:p, p])[0]
        else:
            R = R_full
            coef = scipy.linalg.solve_triangular(R, T[:p, p], check_finite=False)
        condition = _condition(R * scales[keep])
    exact_gram = n * (p + 1) ** 2 <= EXACT_GRAM_MAX_WORK
    if extended_precision is None:
        extended_precision = n * p <= EXTENDED_MAX_ENTRIES or condition >= EXTENDED_MIN_CONDITION
    # Expected shrinkage of the error per refinement pass (see CHOLESKY_MAX_CONDITION).
    contraction = 10 * p * _EPS * (condition**2 if factorization == "cholesky" else condition)
    target = _EPS / 64 if extended_precision else _EPS
    y_mean = G[0, p] / G[0, 0] if fit_intercept and G[0, 0] > 0 else None

    coef_hi, coef_lo = coef, np.zeros(p)
    previous = np.inf
    steps = 0
    sse = tss = math.nan
    for _ in range(max(1, max_refinements)):
        part = passes.residuals(coef_hi, coef_lo, extended_precision, y_mean, exact_gram)
        passes_done += 1
        if part.gram_hi is not None:  # small problem: make RᵀR equal DᵀD summed exactly
            index = np.ix_(keep, keep)
            R = refine_r_from_gram(R, part.gram_hi[index], part.gram_lo[index])
            exact_gram = False
        sse = part.sse_hi + part.sse_lo
        tss = part.tss_raw - (part.tss_shift**2 / G[0, 0] if y_mean is not None else 0.0)
        g = (part.g_hi + part.g_lo)[keep]
        delta = np.zeros(p)
        delta[keep] = _semi_normal_solve(R, g)
        size = float(np.max(np.abs(delta), initial=0.0))
        if size >= 0.5 * previous or not np.all(np.isfinite(delta)):
            break  # stalled: the correction is rounding noise
        coef_hi, coef_lo = _add(coef_hi, coef_lo, delta, extended_precision)
        sse = max(sse - float(g @ delta[keep]), 0.0)  # ||r - Dδ||² with Dᵀr = g, RᵀRδ = g
        steps += 1
        previous = size
        if contraction * size <= target * np.max(np.abs(coef_hi), initial=0.0) or size == 0:
            break
    return ExactFit(
        coef=np.where(aliased, 0.0, coef_hi),
        coef_low=np.where(aliased, 0.0, coef_lo),
        R=R,
        sse=float(sse),
        tss=float(tss),
        n_samples=int(n),
        aliased=aliased,
        scaled_condition_number=float(condition),
        n_refinements=steps,
        extended=bool(extended_precision),
        factorization=factorization,
        n_passes=passes_done,
    )


def _one_pass(T: np.ndarray, n: int, p: int, fit_intercept: bool) -> ExactFit:
    """Everything read off the Householder R of ``[D | y]``, without refinement."""
    R_full = np.triu(T[:p, :p])
    scales = _scales(np.einsum("ij,ij->j", R_full, R_full))
    aliased = find_aliased_columns(R_full * scales, n)
    keep = ~aliased
    qty = T[:p, p]
    coef = np.zeros(p)
    if aliased.any():
        coef[keep] = scipy.linalg.lstsq(R_full[:, keep], qty)[0]
        R = _refactor(R_full[:, keep])
        sse = float(T[p, p] ** 2 + np.sum((qty - R_full[:, keep] @ coef[keep]) ** 2))
    else:
        coef = scipy.linalg.solve_triangular(R_full, qty, check_finite=False)
        R = R_full
        sse = float(T[p, p] ** 2)
    tss = float(np.sum(T[1:, p] ** 2) if fit_intercept else np.sum(T[:, p] ** 2))
    return ExactFit(
        coef=coef,
        coef_low=np.zeros(p),
        R=R,
        sse=sse,
        tss=tss,
        n_samples=int(n),
        aliased=aliased,
        scaled_condition_number=_condition(R * scales[keep]),
        n_refinements=0,
        extended=False,
        factorization="householder",
        n_passes=1,
    )


def _semi_normal_solve(R: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``δ`` with ``RᵀR δ = g``: two triangular solves."""
    h = scipy.linalg.solve_triangular(R, g, trans="T", check_finite=False)
    return scipy.linalg.solve_triangular(R, h, check_finite=False)


def _scales(squared_norms: np.ndarray) -> np.ndarray:
    """Powers of two bringing each column's length near 1 (from its squared length)."""
    exponents = np.zeros(len(squared_norms))
    positive = np.isfinite(squared_norms) & (squared_norms > 0)
    exponents[positive] = -np.round(np.log2(squared_norms[positive]) / 2)
    return np.exp2(exponents)


def _cholesky(M: np.ndarray) -> np.ndarray | None:
    try:
        return scipy.linalg.cholesky(M, lower=False, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return None


def _condition(R: np.ndarray | None) -> float:
    if R is None or not np.all(np.isfinite(R)):
        return np.inf
    if R.size == 0:
        return 1.0
    sv = scipy.linalg.svdvals(R, check_finite=False)
    return float(sv[0] / sv[-1]) if sv[-1] > 0 else np.inf


def _refactor(M: np.ndarray) -> np.ndarray:
    return np.triu(scipy.linalg.qr(M, mode="r")[0][: M.shape[1], :])


def _add(
    hi: np.ndarray, lo: np.ndarray, delta: np.ndarray, extended_precision: bool
) -> tuple[np.ndarray, np.ndarray]:
    if not extended_precision:
        return hi + delta, lo
    s, e = extended.two_sum(hi, delta)
    return extended.two_sum(s, e + lo)


def _dd_sum(hi: np.ndarray, lo: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column sums of ``hi + lo`` (shape (n, k)) as double-double pairs, pairwise."""
    hi = np.asarray(hi, dtype=float)
    lo = np.asarray(lo, dtype=float)
    if hi.shape[0] == 0:
        return np.zeros(hi.shape[1:]), np.zeros(hi.shape[1:])
    while hi.shape[0] > 1:
        if hi.shape[0] % 2:
            hi = np.concatenate([hi, np.zeros((1, *hi.shape[1:]))])
            lo = np.concatenate([lo, np.zeros((1, *lo.shape[1:]))])
        s, e = extended.two_sum(hi[0::2], hi[1::2])
        hi, lo = s, lo[0::2] + lo[1::2] + e
    return extended.two_sum(hi[0], lo[0])


def _dd_add(
    a_hi: np.ndarray, a_lo: np.ndarray, b_hi: np.ndarray, b_lo: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    s, e = extended.two_sum(np.asarray(a_hi, float), np.asarray(b_hi, float))
    return extended.two_sum(s, e + a_lo + b_lo)
