"""Gradient descent: walk downhill on the loss, one step at a time, and write every step down.

The whole algorithm is one line, ``theta <- theta - learning_rate * gradient(theta)``. The
gradient points uphill, so stepping against it lowers the loss, as long as the step is not too
long. How long is too long is set by the loss's curvature ``L`` (the largest eigenvalue of its
Hessian): steps of ``1/L`` always go downhill, and steps longer than ``2/L`` overshoot the valley
further each time, so the loss grows without bound (divergence).

- ``batch_size=None`` ("gd"): each step uses the gradient over all rows.
- ``batch_size=1`` ("sgd"): each step uses one row, in a freshly shuffled order every pass.
- ``batch_size=k`` ("minibatch"): each step uses k rows.

One pass over the rows is an *epoch*. The stochastic variants shrink their step as epochs go by
(``learning_rate / (1 + epoch / 10)``): noisy single-row gradients would otherwise keep the
parameters jittering around the answer instead of settling on it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from benchlearn.errors import DivergenceWarning

LossAndGradient = Callable[[np.ndarray, np.ndarray | None], tuple[float, np.ndarray]]

# A loss this many times above where it started has not been "a bit unlucky": it is running away.
_DIVERGENCE_FACTOR = 1e6


@dataclass(frozen=True)
class OptimizeResult:
    """What a gradient-descent run did.

    Attributes
    ----------
    theta : ndarray
        The parameters at the end.
    history : DataFrame
        One row per recorded step: ``step``, ``loss``, ``grad_norm`` (length of the full
        gradient), then one column per parameter. Step 0 is the starting point. Full-batch
        descent records every step; the stochastic variants record the end of every epoch.
    n_iter : int
        Steps (gd) or epochs (sgd, minibatch) taken.
    converged : bool
        The gradient's length fell below ``tol``.
    diverged : bool
        The loss ran away (became non-finite or grew a million-fold) and the run was stopped.
    learning_rate : float
        The step size used (the starting one, for the stochastic variants).
    """

    theta: np.ndarray
    history: pd.DataFrame
    n_iter: int
    converged: bool
    diverged: bool
    learning_rate: float


def lipschitz_constant_least_squares(
    D: np.ndarray, sample_weight: np.ndarray | None = None
) -> float:
    """Curvature ``L`` of the mean squared error ``mean(w·(y - D·theta)²) / mean(w)``.

    Its Hessian is ``2 Dᵀ W D / sum(w)``; ``L`` is its largest eigenvalue, i.e.
    ``2 σ_max(√W D)² / sum(w)``. Steps of ``1/L`` are safe, steps above ``2/L`` diverge.
    """
    w = np.ones(D.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
    sigma_max = np.linalg.norm(D * np.sqrt(w)[:, None], ord=2)
    return float(2 * sigma_max**2 / w.sum())


def gradient_descent(
    loss_and_grad: LossAndGradient,
    theta0: np.ndarray,
    *,
    n_samples: int,
    learning_rate: float,
    max_iter: int = 1000,
    tol: float = 1e-6,
    batch_size: int | None = None,
    random_state: int | None = None,
    param_names: Sequence[str] | None = None,
    lipschitz: float | None = None,
    record_parameters: bool = True,
) -> OptimizeResult:
    """Minimise a loss by (stochastic) gradient descent, recording the path.

    Parameters
    ----------
    loss_and_grad
        ``loss_and_grad(theta, rows)`` returns the loss and its gradient computed on the given
        row indices (``rows=None``: all rows).
    theta0
        Starting parameters.
    n_samples
        Number of rows the loss is defined on.
    learning_rate
        Step size.
    max_iter
        Most steps (full batch) or epochs (stochastic).
    tol
        Stop when the full gradient's length is below this.
    batch_size
        ``None`` for full batch, 1 for stochastic, k for mini-batches of k rows.
    random_state
        Seed of the shuffling.
    param_names
        Names for the parameter columns of ``history`` (default ``theta0, theta1, ...``).
    lipschitz
        The loss's curvature ``L``, if known: quoted in the divergence warning.
    record_parameters
        Keep every parameter in ``history`` (switch off for models with thousands of weights,
        such as neural networks: then only step, loss and grad_norm are kept).

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> def loss_and_grad(theta, rows):
    ...     return float((theta[0] - 3.0) ** 2), np.array([2 * (theta[0] - 3.0)])
    >>> result = gradient_descent(loss_and_grad, np.zeros(1), n_samples=1, learning_rate=0.25)
    >>> round(float(result.theta[0]), 6), result.converged
    (3.0, True)
    """
    theta = np.array(theta0, dtype=float)
    names = (
        list(param_names) if param_names is not None else [f"theta{i}" for i in range(theta.size)]
    )
    rng = np.random.default_rng(random_state)
    records: list[list[float]] = []

    def record(step: int) -> tuple[float, float]:
        loss, grad = loss_and_grad(theta, None)
        grad_norm = float(np.linalg.norm(grad))
        records.append([step, float(loss), grad_norm, *(theta if record_parameters else [])])
        return float(loss), grad_norm

    first_loss, grad_norm = record(0)
    converged = grad_norm < tol
    diverged = False
    step = 0
    while not converged and not diverged and step < max_iter:
        step += 1
        if batch_size is None:
            _, grad = loss_and_grad(theta, None)
            theta = theta - learning_rate * grad
        else:
            rate = learning_rate / (1 + (step - 1) / 10)
            order = rng.permutation(n_samples)
            for start in range(0, n_samples, batch_size):
                _, grad = loss_and_grad(theta, order[start : start + batch_size])
                theta = theta - rate * grad
                if not np.all(np.isfinite(theta)):
                    break
        with np.errstate(over="ignore", invalid="ignore"):
            loss, grad_norm = record(step)
        converged = grad_norm < tol
        diverged = not np.isfinite(loss) or loss > _DIVERGENCE_FACTOR * max(first_loss, 1e-300)

    if diverged:
        limit = (
            f" The curvature L is {lipschitz:.4g}, so the limit 2/L is {2 / lipschitz:.4g}."
            if lipschitz
            else ""
        )
        warnings.warn(
            f"Gradient descent diverged: with learning rate {learning_rate:.4g} each step "
            f"overshoots the minimum and the loss grew from {first_loss:.4g} to {loss:.4g} in "
            f"{step} steps, so it was stopped.{limit} Use a smaller learning rate (or "
            "learning_rate='auto').",
            DivergenceWarning,
            stacklevel=2,
        )
    elif not converged:
        warnings.warn(
            f"Gradient descent did not converge in {max_iter} "
            f"{'steps' if batch_size is None else 'epochs'}: the gradient's length is still "
            f"{grad_norm:.3g} (tolerance {tol:.3g}). Increase max_iter, or standardise the "
            "features (put them on similar scales) so the loss valley is rounder and descent "
            "is faster.",
            ConvergenceWarning,
            stacklevel=2,
        )
    columns = ["step", "loss", "grad_norm", *(names if record_parameters else [])]
    history = pd.DataFrame(records, columns=columns)
    history["step"] = history["step"].astype(int)
    return OptimizeResult(
        theta=theta,
        history=history,
        n_iter=step,
        converged=bool(converged),
        diverged=bool(diverged),
        learning_rate=float(learning_rate),
    )
