"""Residual diagnostics: which observations the fit does not explain, and which ones drive it.

- **Leverage** ``h_i`` (between 0 and 1): how unusual row i's predictors are. Far-out x values
  pull the line towards themselves. Computed from the fit's R factor: ``h_i = ||R⁻ᵀ d_i||²``.
- **Standardized residual**: the residual divided by its own standard deviation,
  ``sigma·sqrt(1 - h_i)`` (high-leverage points have smaller residuals by construction).
- **Studentized residual**: the same, with sigma estimated without row i; roughly a t value, so
  beyond ±3 it is an outlier worth a second look at the bench.
- **Cook's distance**: how much all the fitted values move if row i is left out. Above 4/n a
  point is influential: the conclusions lean on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

OUTLIER_STUDENTIZED = 3.0


def residual_diagnostics(model: Any, X: Any, y: Any, *, sample_weight: Any = None) -> pd.DataFrame:
    """Per-observation diagnostics of a fitted linear model.

    Parameters
    ----------
    model
        A fitted :class:`~benchlearn.LinearRegression` (or ``PolynomialRegression``).
    X, y
        The data it was fitted on.
    sample_weight
        The weights of a weighted fit.

    Returns
    -------
    DataFrame
        Indexed like ``X`` (a DataFrame's index: the user's row numbers): ``fitted``,
        ``residual``, ``leverage``, ``standardized_residual``, ``studentized_residual``,
        ``cooks_distance``, and flags ``outlier`` (|studentized| > 3), ``influential``
        (Cook's distance > 4/n) and ``high_leverage`` (leverage > 2p/n).
    """
    solution = model.solution_
    y = np.asarray(y, dtype=float).ravel()
    w = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, float).ravel()
    root_w = np.sqrt(w)
    fitted = model.predict(X)
    residual = y - fitted
    weighted_residual = root_w * residual
    leverage = model.leverage(X, sample_weight=w)
    n, p = solution.n_samples, solution.rank
    dof = n - p
    sigma = model.residual_std_
    with np.errstate(divide="ignore", invalid="ignore"):
        standardized = weighted_residual / (sigma * np.sqrt(1 - leverage))
        sigma_without_i2 = (dof * sigma**2 - weighted_residual**2 / (1 - leverage)) / (dof - 1)
        studentized = weighted_residual / np.sqrt(sigma_without_i2 * (1 - leverage))
        cooks = standardized**2 * leverage / (p * (1 - leverage))
    index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(y))
    return pd.DataFrame(
        {
            "fitted": fitted,
            "residual": residual,
            "leverage": leverage,
            "standardized_residual": standardized,
            "studentized_residual": studentized,
            "cooks_distance": cooks,
            "outlier": np.abs(studentized) > OUTLIER_STUDENTIZED,
            "influential": cooks > 4 / n,
            "high_leverage": leverage > 2 * p / n,
        },
        index=index,
    )


def rows_worth_looking_at(table: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """The flagged rows (outlier or influential) that matter most, at most ``limit`` of them.

    A large fit flags many rows by the 4/n rule (about 5% of a million rows); a report lists the
    ones that move the fit most: largest Cook's distance first, then largest absolute
    studentized residual. The number of flagged rows is ``(table.outlier |
    table.influential).sum()``.

    Parameters
    ----------
    table
        From :func:`residual_diagnostics`.
    limit
        How many rows at most.

    Returns
    -------
    DataFrame
        The chosen rows of ``table``, in that order, with their row labels as index.

    Examples
    --------
    >>> table = pd.DataFrame({"cooks_distance": [0.1, 2.0, 0.5], "outlier": [True, False, False],
    ...                       "influential": [True, True, False],
    ...                       "studentized_residual": [4.0, -1.0, 0.2]}, index=[3, 4, 5])
    >>> rows_worth_looking_at(table, limit=1).index.tolist()
    [4]
    """
    flagged = table[table["outlier"] | table["influential"]]
    order = np.lexsort((-flagged["studentized_residual"].abs().to_numpy(),
                        -flagged["cooks_distance"].to_numpy()))  # fmt: skip
    return flagged.iloc[order[:limit]]
