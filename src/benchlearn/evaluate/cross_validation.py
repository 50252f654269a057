"""Cross-validation: fit on k-1 folds, score on the held-out fold, k times."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from benchlearn.errors import UsageError
from benchlearn.evaluate import metrics
from benchlearn.evaluate.splits import KFold, _take

Scorer = Callable[[Any, Any], float]

SCORERS: dict[str, Scorer] = {
    "r2": metrics.r2_score,
    "neg_mean_squared_error": lambda y, p: -metrics.mean_squared_error(y, p),
    "neg_root_mean_squared_error": lambda y, p: -metrics.root_mean_squared_error(y, p),
    "neg_mean_absolute_error": lambda y, p: -metrics.mean_absolute_error(y, p),
    "mse": metrics.mean_squared_error,
    "rmse": metrics.root_mean_squared_error,
    "mae": metrics.mean_absolute_error,
}


def cross_validate(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    cv: int | Any = 5,
    scoring: str | Sequence[str] | dict[str, Scorer] = ("r2", "rmse"),
    return_train_score: bool = False,
) -> pd.DataFrame:
    """Score a model on each fold it did not see during fitting.

    Parameters
    ----------
    estimator
        Any scikit-learn compatible estimator; a fresh copy is fitted per fold.
    X, y
        Data (arrays or DataFrames).
    cv
        Number of folds (unshuffled :class:`KFold`), or any splitter with ``split(X, y)``.
    scoring
        Names from ``SCORERS`` (``"r2"``, ``"rmse"``, ``"mse"``, ``"mae"`` and scikit-learn's
        ``"neg_..."`` names), or a dict ``name -> function(y_true, y_pred)``.
    return_train_score
        Also score each fitted model on its own training folds (to see over-fitting).

    Returns
    -------
    DataFrame
        One row per fold: ``fold``, ``n_train``, ``n_test``, ``fit_time``, then
        ``test_<score>`` (and ``train_<score>``) columns.

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import LinearRegression
    >>> X = np.arange(20.0).reshape(-1, 1); y = 3 * X[:, 0] + 1
    >>> bool(cross_validate(LinearRegression(), X, y, cv=4)["test_rmse"].max() < 1e-9)
    True
    """
    splitter = KFold(cv) if isinstance(cv, int) else cv
    scorers = _resolve(scoring)
    rows = []
    for fold, (train, test) in enumerate(splitter.split(X, y)):
        model = clone(estimator)
        start = time.perf_counter()
        model.fit(_take(X, train), _take(y, train))
        row: dict[str, float] = {
            "fold": fold,
            "n_train": len(train),
            "n_test": len(test),
            "fit_time": time.perf_counter() - start,
        }
        for part, index in [("test", test)] + ([("train", train)] if return_train_score else []):
            predicted = model.predict(_take(X, index))
            for name, scorer in scorers.items():
                row[f"{part}_{name}"] = scorer(np.asarray(_take(y, index)), predicted)
        rows.append(row)
    return pd.DataFrame(rows)


def _resolve(scoring: str | Sequence[str] | dict[str, Scorer]) -> dict[str, Scorer]:
    if isinstance(scoring, dict):
        return dict(scoring)
    names = [scoring] if isinstance(scoring, str) else list(scoring)
    unknown = [n for n in names if n not in SCORERS]
    if unknown:
        raise UsageError(
            f"unknown scoring {', '.join(map(repr, unknown))}",
            fix=f"Use any of {', '.join(SCORERS)}, or pass a dict of functions",
        )
    return {n: SCORERS[n] for n in names}
