"""``Ridge``: least squares with a penalty on the size of the slopes.

Ridge regression minimises ``sum_i w_i (y_i - b0 - x_i·b)² + alpha·||b||²``: the usual squared
error plus ``alpha`` times the squared length of the slopes (the intercept is not penalised).
Larger ``alpha`` pulls the slopes towards zero, trading a little bias for much less variance —
useful with many correlated predictors (gene expression, molecular descriptors).

The exact solution is ordinary least squares on an augmented problem: centre the data, then
append ``sqrt(alpha)·I`` below the design and zeros below ``y``; the squared residuals of the
extra rows are exactly the penalty. So the same QR solver does the work.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from benchlearn.errors import UsageError
from benchlearn.linear.iterative import solve_iteratively
from benchlearn.linear.qr import solve_least_squares


class Ridge(RegressorMixin, BaseEstimator):
    """Ridge regression (L2-penalised least squares), exact or by gradient descent.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength (same objective as scikit-learn's ``Ridge``).
    fit_intercept : bool, default=True
        Fit an unpenalised intercept.
    solver : {"exact", "gd", "sgd", "minibatch"}, default="exact"
        Closed form by QR of the augmented system, or gradient descent.
    learning_rate, max_iter, tol, batch_size, random_state
        Gradient-descent settings, as in :class:`~benchlearn.LinearRegression`.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    history_ : DataFrame
        Gradient-descent solvers: every recorded step.
    n_iter_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import Ridge
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]])
    >>> model = Ridge(alpha=1.0).fit(X, [1.0, 2.0, 4.0, 5.0])
    >>> np.round(model.coef_, 4)
    array([1.1176, 0.2941])
    """

    def __init__(
        self,
        alpha: float = 1.0,
        *,
        fit_intercept: bool = True,
        solver: str = "exact",
        learning_rate: float | str = "auto",
        max_iter: int = 1000,
        tol: float = 1e-6,
        batch_size: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.batch_size = batch_size
        self.random_state = random_state

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Ridge:
        """Fit the penalised model.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
        """
        if not (isinstance(self.alpha, int | float) and self.alpha >= 0):
            raise UsageError(f"alpha={self.alpha!r} must be a number >= 0", fix="e.g. alpha=1.0")
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
        w = _check_sample_weight(sample_weight, X, dtype=np.float64)
        p = X.shape[1]
        if self.fit_intercept:
            x_mean = w @ X / w.sum()
            y_mean = w @ y / w.sum()
        else:
            x_mean, y_mean = np.zeros(p), 0.0
        Xc, yc = X - x_mean, y - y_mean
        names = self._feature_names()
        if self.solver == "exact":
            root_w = np.sqrt(w)
            augmented = np.vstack([Xc * root_w[:, None], np.sqrt(self.alpha) * np.eye(p)])
            target = np.concatenate([yc * root_w, np.zeros(p)])
            coef = solve_least_squares(augmented, target).coef
            self.n_iter_ = 1
        elif self.solver in ("gd", "sgd", "minibatch"):
            result = solve_iteratively(
                Xc,
                yc,
                solver=self.solver,
                learning_rate=self.learning_rate,
                max_iter=self.max_iter,
                tol=self.tol,
                batch_size=self.batch_size,
                random_state=self.random_state,
                param_names=names,
                sample_weight=w,
                alpha=self.alpha,
                penalize=np.ones(p, dtype=bool),
            )
            coef = result.coef
            self.history_ = result.history
            self.n_iter_ = result.n_iter
        else:
            raise UsageError(
                f"solver={self.solver!r} is not one of exact, gd, sgd, minibatch",
                fix="Use solver='exact' for the closed form",
            )
        self.coef_ = np.asarray(coef, dtype=float)
        self.intercept_ = float(y_mean - x_mean @ self.coef_) if self.fit_intercept else 0.0
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predicted response."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_

    def _feature_names(self) -> list[str]:
        names = getattr(self, "feature_names_in_", None)
        if names is not None:
            return [str(c) for c in names]
        return [f"x{i}" for i in range(self.n_features_in_)]
