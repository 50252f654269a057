"""Double-double arithmetic on NumPy arrays: sums and products carried with twice float64's digits.

A number is held as an unevaluated pair ``hi + lo`` with ``|lo| <= ulp(hi)/2``. The error-free
transformations below (Knuth's TwoSum, Dekker's split and TwoProduct) return the rounded result
*and* its exact rounding error, so a residual ``y - D @ b`` can be formed with about 106 bits of
precision using only float64 operations. The exact solver uses this to refine its solution.
"""

from __future__ import annotations

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1: splits a float64 into two halves of 26 bits


def two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``s = fl(a + b)`` and the exact error ``e`` with ``a + b = s + e``."""
    s = a + b
    b_virtual = s - a
    e = (a - (s - b_virtual)) + (b - b_virtual)
    return s, e


def split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split ``a`` into ``hi + lo`` whose halves multiply without rounding."""
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``p = fl(a * b)`` and the exact error ``e`` with ``a * b = p + e``."""
    p = a * b
    a_hi, a_lo = split(a)
    b_hi, b_lo = split(b)
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, e


def residual(
    D: np.ndarray,
    y: np.ndarray,
    coef_hi: np.ndarray,
    coef_lo: np.ndarray | None = None,
    D_lo: np.ndarray | None = None,
    y_low: np.ndarray | None = None,
) -> np.ndarray:
    """Residual ``y - (D + D_lo) @ (coef_hi + coef_lo)`` computed in double-double.

    Parameters
    ----------
    D
        Design matrix (n, p), float64.
    y
        Response (n,).
    coef_hi, coef_lo
        The coefficients as a double-double pair (``coef_lo`` may be omitted).
    D_lo
        Optional low parts of the design, when the design itself is known to more than float64
        (e.g. powers of x formed in double-double).
    y_low
        Optional low part of ``y`` (``y`` given as a double-double pair).

    Returns
    -------
    ndarray
        The residual rounded once to float64: accurate to the last bit even when it is many
        orders of magnitude smaller than ``y``.
    """
    s = np.array(y, dtype=float, copy=True)
    c = np.zeros_like(s) if y_low is None else np.array(y_low, dtype=float, copy=True)
    for j in range(D.shape[1]):
        p, p_err = two_product(D[:, j], -coef_hi[j])
        s, s_err = two_sum(s, p)
        c += p_err + s_err
        small = 0.0
        if coef_lo is not None:
            small = small - D[:, j] * coef_lo[j]
        if D_lo is not None:
            small = small - D_lo[:, j] * coef_hi[j]
        c += small
    return s + c


def residual_pair(
    D: np.ndarray, y: np.ndarray, coef_hi: np.ndarray, coef_lo: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Residual ``y - D @ (coef_hi + coef_lo)`` as an unevaluated double-double pair.

    Like :func:`residual`, but the low part is kept, so sums of the residuals (``Dᵀr``, the
    sum of squares) keep the residual's full ~32 digits even when it is large.
    """
    s = np.array(y, dtype=float, copy=True)
    c = np.zeros_like(s)
    for j in range(D.shape[1]):
        p, p_err = two_product(D[:, j], -coef_hi[j])
        s, s_err = two_sum(s, p)
        c += p_err + s_err - D[:, j] * coef_lo[j]
    return two_sum(s, c)


def power_columns(t_hi: np.ndarray, t_lo: np.ndarray, degree: int) -> tuple[np.ndarray, ...]:
    """Columns ``t**0 .. t**degree`` of ``t = t_hi + t_lo``, each as a double-double pair.

    Returns
    -------
    (hi, lo)
        Two arrays of shape (n, degree + 1).
    """
    n = t_hi.shape[0]
    hi = np.empty((n, degree + 1))
    lo = np.empty((n, degree + 1))
    hi[:, 0], lo[:, 0] = 1.0, 0.0
    for k in range(1, degree + 1):
        p, e = two_product(hi[:, k - 1], t_hi)
        e = e + hi[:, k - 1] * t_lo + lo[:, k - 1] * t_hi
        hi[:, k], lo[:, k] = two_sum(p, e)
    return hi, lo


def transposed_product(D: np.ndarray, r: np.ndarray, D_lo: np.ndarray | None = None) -> np.ndarray:
    """``(D + D_lo)ᵀ r`` with each sum correctly rounded (products split exactly, then fsum)."""
    import math

    out = np.empty(D.shape[1])
    for j in range(D.shape[1]):
        p, e = two_product(D[:, j], r)
        terms = [p, e] if D_lo is None else [p, e, D_lo[:, j] * r]
        out[j] = math.fsum(np.concatenate(terms))
    return out
