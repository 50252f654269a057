"""Levenberg–Marquardt, written small enough to read: least squares for a curve that bends.

For a straight line the best parameters come from one calculation (the normal equations). For a
curve such as the four-parameter logistic they do not: some parameters sit inside a power or an
exponential, so setting the loss's slopes to zero gives equations with no solution in closed
form. The way round is to repeat one idea:

1. At the current parameters, ask how each prediction moves when each parameter moves a little
   (the Jacobian ``J``, one row per point, one column per parameter).
2. Pretend the curve is straight in its parameters near here, and solve that small linear least
   squares problem exactly: the step ``delta`` with ``(JᵀJ) delta = Jᵀ r``, ``r`` the residuals
   (Gauss–Newton).
3. Take the step if it lowers the loss. If it does not, the straight-line picture was too
   optimistic: add ``damping · diag(JᵀJ)`` to ``JᵀJ``, which shortens the step and turns it
   towards plain downhill, and try again (Levenberg–Marquardt). After a good step the damping
   is relaxed again, so near the answer the steps are Gauss–Newton's, which converge fast.

The loss is the mean squared error, as for the straight line, so the history reads the same
way. Every accepted step is written down; the loss never rises from one row to the next.
:class:`benchlearn.NonlinearRegression` does the same job with SciPy's ``least_squares`` (and
adds starting values, several starts and inference); this one is for watching the steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

CurveFunction = Callable[..., np.ndarray]


@dataclass(frozen=True)
class LevenbergMarquardtResult:
    """What a Levenberg–Marquardt run did.

    Attributes
    ----------
    params : ndarray
        The parameters at the end.
    history : DataFrame
        One row per accepted step: ``step`` (0 is the start), ``loss`` (mean squared error),
        ``damping`` (after the step), ``refused`` (trial steps refused because they raised the
        loss, before this one was accepted), then one column per parameter.
    converged : bool
        The run stopped because the steps became negligible (``xtol``, ``ftol``) or no step
        could lower the loss any further, rather than because it ran out of steps.
    """

    params: np.ndarray
    history: pd.DataFrame
    converged: bool


def mean_squared_error_of(f: CurveFunction, x: np.ndarray, y: np.ndarray, params) -> float:
    """The loss: ``mean((y - f(x, *params))²)``; NaN where the curve cannot be computed."""
    with np.errstate(all="ignore"):
        return float(np.mean((y - f(x, *params)) ** 2))


def _damped_step(J: np.ndarray, r: np.ndarray, damping: np.ndarray) -> np.ndarray:
    """The step ``delta`` with ``(JᵀJ + diag(damping)) delta = Jᵀr``.

    Solved as the stacked least-squares problem it is, ``[J; diag(√damping)] delta ≈ [r; 0]``,
    which keeps the digits that multiplying ``J`` by itself would lose.
    """
    stacked = np.vstack([J, np.diag(np.sqrt(damping))])
    with np.errstate(all="ignore"):
        return np.linalg.lstsq(stacked, np.r_[r, np.zeros(J.shape[1])], rcond=None)[0]


def levenberg_marquardt(
    f: CurveFunction,
    jacobian: CurveFunction,
    x: np.ndarray,
    y: np.ndarray,
    start: Sequence[float],
    *,
    param_names: Sequence[str] | None = None,
    max_steps: int = 100,
    damping: float = 1e-3,
    xtol: float = 1e-10,
    ftol: float = 1e-12,
    max_refusals: int = 30,
) -> LevenbergMarquardtResult:
    """Fit ``y ≈ f(x, *params)`` by least squares from ``start``, recording every step.

    Parameters
    ----------
    f
        The curve: ``f(x, *params)`` -> predictions.
    jacobian
        ``jacobian(x, *params)`` -> (n, p) derivatives of the predictions by the parameters.
    x, y
        The data.
    start
        Starting parameters.
    param_names
        Names of the parameter columns of ``history`` (default ``theta0, theta1, ...``).
    max_steps
        Most accepted steps.
    damping
        The starting damping (small: the first step is nearly Gauss–Newton's).
    xtol
        Stop when no parameter moves by more than this fraction of its size.
    ftol
        Stop when a step lowers the loss by less than this fraction of it.
    max_refusals
        Stop when this many damped trial steps in a row fail to lower the loss.

    Returns
    -------
    LevenbergMarquardtResult

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 2.0, 3.0])
    >>> y = 2.0 * np.exp(0.5 * x)
    >>> f = lambda x, a, k: a * np.exp(k * x)
    >>> jac = lambda x, a, k: np.column_stack([np.exp(k * x), a * x * np.exp(k * x)])
    >>> fit = levenberg_marquardt(f, jac, x, y, [1.0, 0.1])
    >>> np.round(fit.params, 6).tolist(), fit.converged
    ([2.0, 0.5], True)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    params = np.array(start, dtype=float)
    names = list(param_names or [f"theta{i}" for i in range(params.size)])
    loss = mean_squared_error_of(f, x, y, params)
    start_damping = damping
    rows = [(0, loss, damping, 0, *params)]
    converged = False
    for step in range(1, max_steps + 1):
        J = jacobian(x, *params)  # how each prediction moves with each parameter
        r = y - f(x, *params)  # measured minus predicted
        # Marquardt's damping scales with each parameter's own curvature, diag(JᵀJ); the floor
        # keeps a parameter that no prediction depends on from making the system singular.
        curvature = np.sum(J**2, axis=0)
        scale = np.maximum(curvature, 1e-12 * np.max(curvature, initial=1.0))
        refused, trial_loss = 0, np.nan
        while refused < max_refusals:
            delta = _damped_step(J, r, damping * scale)
            trial_loss = mean_squared_error_of(f, x, y, params + delta)
            if trial_loss < loss:  # False for NaN too: a curve that cannot be computed
                break
            damping *= 10  # too bold: shorten the step and try again
            refused += 1
        if not trial_loss < loss:
            converged = True  # no step lowers the loss: we are at the bottom
            break
        # a step is only "negligible" when it is (nearly) Gauss–Newton's, not merely damped short
        small = damping <= start_damping and np.all(np.abs(delta) <= xtol * (np.abs(params) + xtol))
        small = small or loss - trial_loss <= ftol * loss
        params, loss, damping = params + delta, trial_loss, damping / 10
        rows.append((step, loss, damping, refused, *params))
        if small:
            converged = True
            break
    history = pd.DataFrame(rows, columns=["step", "loss", "damping", "refused", *names])
    return LevenbergMarquardtResult(params=params, history=history, converged=converged)
