"""The exact least-squares solver: scaled Householder QR with iterative refinement.

The steps, as a learner would do them on a whiteboard:

1. **Scale** every column of the design ``D`` by a power of two so that its length is close to 1.
   Powers of two change no digit of the data (only the exponent), yet make the columns comparable,
   which is what keeps QR accurate when one column is in millions and another in thousandths.
2. **Factor** the scaled design as ``Q R`` with Householder reflections (LAPACK ``dgeqrf``):
   ``Q`` has orthonormal columns, ``R`` is upper triangular. ``Q`` is never formed; it is applied
   to a vector through the stored reflections (``dormqr``), which costs one pass over the data.
3. **Solve** ``R x = Qᵀ y`` by back-substitution.
4. **Refine**: compute the residual ``r = y - D b`` in double-double precision (about 32 digits),
   solve ``R δ = Qᵀ r`` for a correction and add it, until the correction stops changing ``b``.
   Because the residual is exact to float64's last bit, the refined ``b`` is accurate to nearly
   all 16 digits even for designs whose columns are nearly collinear.

Columns that are linear combinations of earlier ones (to machine precision) are *aliased*: their
coefficients cannot be estimated from the data. They are reported, never silently truncated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import scipy.linalg
from scipy.linalg import lapack

from benchlearn.linear import extended

_EPS = np.finfo(float).eps

# Double-double residuals cost ~25 float64 operations per entry of D: always worth it on small or
# ill-conditioned problems, and skipped on tall well-conditioned ones where float64 residuals
# already give full accuracy after one refinement step.
_EXTENDED_MAX_ENTRIES = 2_000_000
_EXTENDED_MIN_CONDITION = 1e4
# Refining R itself needs the Gram matrix DᵀD summed exactly: n·p² products.
_GRAM_REFINEMENT_MAX_WORK = 20_000_000


@dataclass(frozen=True)
class QRLeastSquares:
    """What the exact solver found.

    Attributes
    ----------
    coef : ndarray of shape (p,)
        Coefficients in the columns' order; 0 for aliased columns.
    coef_low : ndarray of shape (p,)
        Low-order parts: ``coef + coef_low`` is the solution to about 32 digits when refinement
        ran in double-double (zeros otherwise). Used to convert bases without losing digits.
    R : ndarray of shape (k, k)
        Upper-triangular factor of the design's estimable columns (``D[:, ~aliased] = Q R``).
    residuals : ndarray of shape (n,)
        ``y - D @ coef``, accurate to float64's last bit when refinement was extended.
    aliased : ndarray of bool, shape (p,)
        True for columns that are (numerically) linear combinations of earlier columns.
    scaled_condition_number : float
        2-norm condition number of the design after power-of-two column scaling: what governs
        the accuracy the solver can reach.
    n_refinements : int
        Refinement steps taken.
    extended : bool
        Whether residuals were computed in double-double.
    """

    coef: np.ndarray
    coef_low: np.ndarray
    R: np.ndarray
    residuals: np.ndarray
    aliased: np.ndarray
    scaled_condition_number: float
    n_refinements: int
    extended: bool


def power_of_two_scales(D: np.ndarray) -> np.ndarray:
    """Per-column factors ``2**-k`` that bring each column's Euclidean length near 1."""
    norms = np.sqrt(np.einsum("ij,ij->j", D, D))
    exponents = np.zeros(D.shape[1])
    positive = np.isfinite(norms) & (norms > 0)
    exponents[positive] = -np.round(np.log2(norms[positive]))
    return np.exp2(exponents)


class _Factorization:
    """Householder QR of a scaled design, applying ``Qᵀ`` without forming ``Q``."""

    def __init__(self, D: np.ndarray, scales: np.ndarray) -> None:
        # Scaled straight into Fortran order so LAPACK factors it in place, without a copy.
        Ds = np.empty(D.shape, order="F")
        np.multiply(D, scales, out=Ds)
        (self._qr, self._tau), self.R = scipy.linalg.qr(
            Ds, mode="raw", overwrite_a=True, check_finite=False
        )
        self.R = np.triu(self.R[: Ds.shape[1], :])
        self._lwork = max(
            1,
            int(lapack.dormqr("L", "T", self._qr, self._tau, np.zeros((Ds.shape[0], 1)), -1)[1][0]),
        )

    def apply(self, v: np.ndarray, transpose: bool) -> np.ndarray:
        """``Qᵀ v`` (``transpose=True``) or ``Q v`` with the full n×n orthogonal ``Q``."""
        out, _, info = lapack.dormqr(
            "L",
            "T" if transpose else "N",
            self._qr,
            self._tau,
            np.asarray(v, dtype=float).reshape(-1, 1),
            self._lwork,
        )
        if info != 0:  # pragma: no cover - LAPACK argument error would be a bug here
            raise RuntimeError(f"LAPACK dormqr failed with info={info}")
        return out[:, 0]

    def solve(self, v: np.ndarray) -> np.ndarray:
        """Least-squares solution of ``Ds x = v``: ``x = R⁻¹ (Qᵀ v)[:p]``."""
        p = self.R.shape[0]
        return scipy.linalg.solve_triangular(self.R, self.apply(v, True)[:p], check_finite=False)

    def refine_step(self, f: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Solve the augmented system ``[[I, Ds], [Dsᵀ, 0]] [dr, dx] = [f, g]`` (Björck).

        Refining the residual together with the solution keeps refinement converging when
        the residuals are large, where refining the solution alone stalls.
        """
        p = self.R.shape[0]
        h = scipy.linalg.solve_triangular(self.R, g, trans="T", check_finite=False)
        d = self.apply(f, True)
        dx = scipy.linalg.solve_triangular(self.R, d[:p] - h, check_finite=False)
        dr = self.apply(np.concatenate([h, d[p:]]), False)
        return dr, dx


def find_aliased_columns(R_scaled: np.ndarray, n_samples: int) -> np.ndarray:
    """Columns whose part orthogonal to the earlier columns vanishes at machine precision.

    With columns scaled to length about 1, ``|R[j, j]|`` is the length of what column ``j`` adds
    beyond the columns before it. Below ``max(n, p) * eps`` that is rounding noise.
    """
    p = R_scaled.shape[0]
    tolerance = max(n_samples, p) * _EPS
    return np.abs(np.diag(R_scaled)) <= tolerance


def solve_least_squares(
    D: np.ndarray,
    y: np.ndarray,
    *,
    D_low: np.ndarray | None = None,
    extended_precision: bool | None = None,
    max_refinements: int = 10,
) -> QRLeastSquares:
    """Minimise ``||y - D b||`` by scaled Householder QR with iterative refinement.

    Parameters
    ----------
    D
        Design matrix (n, p), float64 (already multiplied by sqrt(weights) for weighted fits).
    y
        Response (n,).
    D_low
        Optional low-order parts of ``D`` when the design is known beyond float64 (polynomial
        bases formed in double-double); refinement then solves the problem for ``D + D_low``.
    extended_precision
        Compute refinement residuals in double-double. ``None`` decides from the problem's size
        and conditioning.
    max_refinements
        Upper bound on refinement steps.

    Returns
    -------
    QRLeastSquares
    """
    D = np.asarray(D, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = D.shape
    if n < p:
        # Fewer rows than columns: zero rows change no sum of squares, and make R square; the
        # columns the data cannot determine then show up as aliased.
        result = solve_least_squares(
            np.vstack([D, np.zeros((p - n, p))]),
            np.concatenate([y, np.zeros(p - n)]),
            D_low=None if D_low is None else np.vstack([D_low, np.zeros((p - n, p))]),
            extended_precision=extended_precision,
            max_refinements=max_refinements,
        )
        return dataclasses.replace(result, residuals=result.residuals[:n])
    scales = power_of_two_scales(D)
    factor = _Factorization(D, scales)
    aliased = find_aliased_columns(factor.R, n)
    if aliased.any():
        keep = ~aliased
        D, scales = D[:, keep], scales[keep]
        D_low = None if D_low is None else D_low[:, keep]
        factor = _Factorization(D, scales)

    singular_values = scipy.linalg.svdvals(factor.R, check_finite=False) if D.shape[1] else [1.0]
    scaled_condition = (
        float(singular_values[0] / singular_values[-1]) if singular_values[-1] > 0 else np.inf
    )
    if extended_precision is None:
        extended_precision = (
            D.size <= _EXTENDED_MAX_ENTRIES
            or scaled_condition >= _EXTENDED_MIN_CONDITION
            or D_low is not None
        )

    coef_hi = scales * factor.solve(y)
    coef_lo = np.zeros_like(coef_hi)
    steps = 0
    if extended_precision:
        r = extended.residual(D, y, coef_hi, coef_lo, D_low)
        previous = np.inf
        while steps < max_refinements:
            f = extended.residual(
                D, y - r, coef_hi, coef_lo, D_low, y_low=extended.two_sum(y, -r)[1]
            )
            g = -extended.transposed_product(D, r, D_low)
            dr, dx_scaled = factor.refine_step(f, g * scales)
            delta = scales * dx_scaled
            size = float(np.max(np.abs(delta), initial=0.0))
            if size >= 0.5 * previous:  # stalled: the last correction was rounding noise
                break
            coef_hi, coef_lo = _add(coef_hi, coef_lo, delta, True)
            r = r + dr
            steps += 1
            previous = size
            if size <= _EPS**2 * np.max(np.abs(coef_hi), initial=0.0):
                break
        residuals = extended.residual(D, y, coef_hi, coef_lo, D_low)
        R_design = factor.R / scales[np.newaxis, :]
        if D.shape[0] * D.shape[1] ** 2 <= _GRAM_REFINEMENT_MAX_WORK:
            R_design = refine_r_factor(D, R_design, D_low)
    else:
        # Tall, well-conditioned data: one refinement step with float64 residuals is enough.
        delta = scales * factor.solve(y - D @ coef_hi)
        coef_hi = coef_hi + delta
        steps = 1
        residuals = y - D @ coef_hi
        R_design = factor.R / scales[np.newaxis, :]

    full_coef = np.zeros(p)
    full_low = np.zeros(p)
    full_coef[~aliased] = coef_hi
    full_low[~aliased] = coef_lo
    return QRLeastSquares(
        coef=full_coef,
        coef_low=full_low,
        R=R_design,
        residuals=residuals,
        aliased=aliased,
        scaled_condition_number=scaled_condition,
        n_refinements=steps,
        extended=bool(extended_precision),
    )


def refine_r_factor(D: np.ndarray, R: np.ndarray, D_low: np.ndarray | None = None) -> np.ndarray:
    """One Newton step that makes ``RᵀR`` match ``DᵀD`` summed exactly.

    Householder QR gives an ``R`` whose errors grow with the design's condition number; the
    standard errors are computed from ``R⁻¹``, so those errors reach them. With
    ``E = DᵀD - RᵀR`` formed exactly (each entry one correctly rounded sum) and
    ``F = R⁻ᵀ E R⁻¹``, the correction ``ΔR = Φ(F) R`` (``Φ`` keeps the upper triangle and halves
    the diagonal) satisfies ``(R + ΔR)ᵀ(R + ΔR) = DᵀD`` up to second-order terms.
    """
    import math

    p = R.shape[0]
    E = np.empty((p, p))
    for i in range(p):
        for j in range(i, p):
            a, ea = extended.two_product(D[:, i], D[:, j])
            b, eb = extended.two_product(R[:, i], R[:, j])
            terms = [a, ea, -b, -eb]
            if D_low is not None:
                terms += [D_low[:, i] * D[:, j], D[:, i] * D_low[:, j]]
            E[i, j] = E[j, i] = math.fsum(np.concatenate(terms))
    left = scipy.linalg.solve_triangular(R, E, trans="T", check_finite=False)
    F = scipy.linalg.solve_triangular(R, left.T, trans="T", check_finite=False).T
    phi = np.triu(F)
    phi[np.diag_indices(p)] /= 2
    return R + phi @ R


def refine_r_from_gram(R: np.ndarray, gram_hi: np.ndarray, gram_lo: np.ndarray) -> np.ndarray:
    """As :func:`refine_r_factor`, with ``DᵀD`` given already summed as ``gram_hi + gram_lo``.

    The row-block engine sums the Gram matrix exactly block by block (without keeping the
    design), then corrects ``R`` here.
    """
    import math

    p = R.shape[0]
    E = np.empty((p, p))
    for i in range(p):
        for j in range(i, p):
            b, eb = extended.two_product(R[:, i], R[:, j])
            E[i, j] = E[j, i] = math.fsum(np.concatenate([[gram_hi[i, j], gram_lo[i, j]], -b, -eb]))
    left = scipy.linalg.solve_triangular(R, E, trans="T", check_finite=False)
    F = scipy.linalg.solve_triangular(R, left.T, trans="T", check_finite=False).T
    phi = np.triu(F)
    phi[np.diag_indices(p)] /= 2
    return R + phi @ R


def _add(
    hi: np.ndarray, lo: np.ndarray, delta: np.ndarray, extended_precision: bool
) -> tuple[np.ndarray, np.ndarray]:
    if not extended_precision:
        return hi + delta, lo
    s, e = extended.two_sum(hi, delta)
    return extended.two_sum(s, e + lo)
