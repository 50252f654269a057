"""How far predictions are from measurements: the regression metrics.

- MSE, the mean squared error: the average of (measured - predicted)². The loss least squares
  minimises. Its units are the response's units squared.
- RMSE: the square root of the MSE, back in the response's units ("typically off by about ...").
- MAE: the mean absolute error; less swayed by a few large misses than the RMSE.
- R²: the share of the response's variation (around its mean) that the model accounts for.
  1 is perfect; 0 is no better than always predicting the mean; on new data it can be negative.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchlearn.errors import DataError


def _paired(y_true: Any, y_pred: Any, sample_weight: Any) -> tuple[np.ndarray, ...]:
    y_true = np.asarray(y_true, dtype=float).ravel()
    y_pred = np.asarray(y_pred, dtype=float).ravel()
    if y_true.shape != y_pred.shape:
        raise DataError(
            f"{len(y_true)} measured values but {len(y_pred)} predictions",
            fix="Pass one prediction per measured value",
        )
    if y_true.size == 0:
        raise DataError("there are no values to compare", fix="Pass at least one value")
    w = np.ones_like(y_true) if sample_weight is None else np.asarray(sample_weight, float).ravel()
    return y_true, y_pred, w


def mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """Mean of the squared residuals, ``sum(w·(y - ŷ)²) / sum(w)``.

    Examples
    --------
    >>> mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.3333333333333333
    """
    y, yhat, w = _paired(y_true, y_pred, sample_weight)
    return float(w @ (y - yhat) ** 2 / w.sum())


def root_mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """Square root of the MSE, in the response's own units.

    Examples
    --------
    >>> root_mean_squared_error([0.0, 0.0], [3.0, 4.0])
    3.5355339059327378
    """
    return float(np.sqrt(mean_squared_error(y_true, y_pred, sample_weight=sample_weight)))


def mean_absolute_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """Mean of the absolute residuals, ``sum(w·|y - ŷ|) / sum(w)``.

    Examples
    --------
    >>> mean_absolute_error([1.0, 2.0, 3.0], [2.0, 2.0, 1.0])
    1.0
    """
    y, yhat, w = _paired(y_true, y_pred, sample_weight)
    return float(w @ np.abs(y - yhat) / w.sum())


def r2_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """Coefficient of determination, ``1 - SS_residual / SS_total`` (about the mean).

    Examples
    --------
    >>> r2_score([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.8])
    0.98
    """
    y, yhat, w = _paired(y_true, y_pred, sample_weight)
    mean = w @ y / w.sum()
    ss_total = w @ (y - mean) ** 2
    ss_residual = w @ (y - yhat) ** 2
    if ss_total == 0:
        return 1.0 if ss_residual == 0 else 0.0  # scikit-learn's convention for constant y
    return float(1 - ss_residual / ss_total)
