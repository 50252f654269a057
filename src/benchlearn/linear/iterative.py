"""Least squares by gradient descent: the loss, its gradient, and the step size rule.

The loss is the (weighted) mean squared error, plus the ridge penalty when ``alpha > 0``::

    loss(theta) = [ sum_i w_i (y_i - d_i·theta)² + alpha·||theta_penalised||² ] / sum_i w_i

and its gradient is ``-2 Dᵀ W (y - D theta) / sum(w) + 2 alpha theta_penalised / sum(w)``. Its
minimiser is the same as scikit-learn's ``Ridge`` objective (and, with ``alpha = 0``, ordinary
least squares), so gradient descent and the exact solver can be compared number for number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from benchlearn.errors import UsageError
from benchlearn.optim import OptimizeResult, gradient_descent, lipschitz_constant_least_squares

BATCH_SIZES = {"gd": None, "sgd": 1, "minibatch": 32}


def solve_iteratively(
    D: np.ndarray,
    y: np.ndarray,
    *,
    solver: str,
    learning_rate: float | str = "auto",
    max_iter: int = 1000,
    tol: float = 1e-6,
    batch_size: int | None = None,
    random_state: int | None = None,
    param_names: Sequence[str] | None = None,
    sample_weight: np.ndarray | None = None,
    alpha: float = 0.0,
    penalize: np.ndarray | None = None,
    theta0: np.ndarray | None = None,
) -> OptimizeResult:
    """Fit ``y ≈ D theta`` by gradient descent on the mean squared error.

    Parameters
    ----------
    D
        Design matrix (intercept column included, if any).
    y
        Response.
    solver
        ``"gd"`` (full batch), ``"sgd"`` (one row per step) or ``"minibatch"``.
    learning_rate
        A number, or ``"auto"``: ``1/L`` for "gd", and for the stochastic solvers ``1/L_row``
        with ``L_row`` the largest curvature a single row can have (a batch is never more curved
        than its most curved row, so that step is safe).
    max_iter, tol, random_state
        See :func:`benchlearn.optim.gradient_descent`.
    batch_size
        Rows per step for "minibatch" (default 32).
    param_names
        Names of the parameters, for the history's columns.
    sample_weight
        Row weights (default all 1).
    alpha
        Ridge penalty strength (0: ordinary least squares).
    penalize
        Which parameters the penalty applies to (default: all but a leading column of ones).
    theta0
        Starting point (default zeros).

    Returns
    -------
    OptimizeResult
        With ``.coef`` as an alias of ``.theta``.
    """
    if solver not in BATCH_SIZES:
        raise UsageError(
            f"solver={solver!r} is not a gradient-descent solver",
            fix="Use 'gd', 'sgd' or 'minibatch'",
        )
    D = np.asarray(D, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = D.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    total_weight = w.sum()
    if penalize is None:
        penalize = np.ones(p, dtype=bool)
        if p and np.all(D[:, 0] == 1.0):
            penalize[0] = False
    penalty = alpha * penalize.astype(float)

    def loss_and_grad(theta: np.ndarray, rows: np.ndarray | None) -> tuple[float, np.ndarray]:
        Dr, yr, wr = (D, y, w) if rows is None else (D[rows], y[rows], w[rows])
        residual = yr - Dr @ theta
        scale = wr.sum()
        loss = (wr @ residual**2) / scale + (penalty @ theta**2) / total_weight
        grad = -2 * Dr.T @ (wr * residual) / scale + 2 * penalty * theta / total_weight
        return float(loss), grad

    L = lipschitz_constant_least_squares(D, w) + 2 * alpha / total_weight
    batch = batch_size if solver == "minibatch" and batch_size else BATCH_SIZES[solver]
    if learning_rate == "auto":
        if batch is None:
            rate = 1.0 / L
        else:
            row_curvature = 2 * np.max(np.einsum("ij,ij->i", D, D)) + 2 * alpha / total_weight
            rate = 1.0 / row_curvature
    elif isinstance(learning_rate, int | float) and learning_rate > 0:
        rate = float(learning_rate)
    else:
        raise UsageError(
            f"learning_rate={learning_rate!r} is not a positive number or 'auto'",
            fix="Use e.g. learning_rate=0.01, or 'auto' for 1/L",
        )
    result = gradient_descent(
        loss_and_grad,
        np.zeros(p) if theta0 is None else theta0,
        n_samples=n,
        learning_rate=rate,
        max_iter=max_iter,
        tol=tol,
        batch_size=batch,
        random_state=random_state,
        param_names=param_names,
        lipschitz=L,
    )
    return _WithCoef(result)


class _WithCoef:
    """An OptimizeResult that also answers to ``.coef`` (the regression's name for theta)."""

    def __init__(self, result: OptimizeResult) -> None:
        self._result = result

    def __getattr__(self, name: str):
        return getattr(self._result, name)

    @property
    def coef(self) -> np.ndarray:
        return self._result.theta
