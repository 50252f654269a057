"""Derivatives of a user's model function, exact to rounding where the function allows it.

A finite difference ``(f(θ + h) - f(θ)) / h`` loses about half the digits to cancellation, and
the standard errors of a nonlinear fit inherit that loss (NIST's Hahn1 keeps two digits with
it). The *complex step* ``Im f(θ + i·h) / h`` has no subtraction, so it is exact to rounding
even with ``h = 1e-20``; it needs only that the function, written with NumPy, also accepts
complex numbers (``np.exp``, powers, ``np.arctan``, ... do; ``abs`` and comparisons do not).
When the function refuses complex input, central differences are used instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

COMPLEX_STEP = 1e-20


def complex_step_works(function: Callable[..., np.ndarray], x: np.ndarray, params) -> bool:
    """True if ``function`` carries an imaginary perturbation of each parameter through."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            with np.errstate(all="ignore"):
                for j in range(len(params)):
                    shifted = np.asarray(params, dtype=complex)
                    shifted[j] += 1j * COMPLEX_STEP
                    value = np.asarray(function(x, *shifted))
                    if not np.iscomplexobj(value):
                        return False
    except (TypeError, ValueError, np.exceptions.ComplexWarning):
        return False
    return True


def complex_step_jacobian(
    function: Callable[..., np.ndarray], x: np.ndarray, params: np.ndarray
) -> np.ndarray:
    """``d function(x, *params) / d params`` by the complex step, shape (n, p)."""
    params = np.asarray(params, dtype=float)
    columns = []
    for j in range(params.size):
        step = COMPLEX_STEP * max(abs(params[j]), 1.0)
        shifted = params.astype(complex)
        shifted[j] += 1j * step
        with np.errstate(all="ignore"):
            columns.append(np.imag(np.asarray(function(x, *shifted))).ravel() / step)
    return np.column_stack(columns)


def central_difference_jacobian(
    function: Callable[..., np.ndarray], x: np.ndarray, params: np.ndarray
) -> np.ndarray:
    """``d function(x, *params) / d params`` by central differences (step eps^(1/3)·|param|)."""
    params = np.asarray(params, dtype=float)
    columns = []
    for j in range(params.size):
        step = np.finfo(float).eps ** (1 / 3) * (abs(params[j]) or 1.0)
        up, down = params.copy(), params.copy()
        up[j] += step
        down[j] -= step
        with np.errstate(all="ignore"):
            difference = np.asarray(function(x, *up), float) - np.asarray(function(x, *down), float)
        columns.append(difference.ravel() / (up[j] - down[j]))
    return np.column_stack(columns)
