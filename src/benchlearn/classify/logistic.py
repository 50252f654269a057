"""``LogisticRegression``: classification by a linear score squashed into a probability.

For two classes the model says ``P(class 1 | x) = sigmoid(b0 + x·b)``, with
``sigmoid(z) = 1 / (1 + e^-z)``. For K classes each class k has its own score ``z_k`` and
``P(k | x) = softmax(z)_k = e^{z_k} / sum_j e^{z_j}``. Training minimises the cross-entropy (the
average of ``-log P(true class)``) plus an L2 penalty on the slopes::

    loss(W) = mean_i( -log P(y_i | x_i) ) + ||W||² / (2 C n)

which has the same minimiser as scikit-learn's ``LogisticRegression(C=C)``. The gradient is
``Dᵀ (P - Y) / n + W / (C n)``: predicted minus observed, weighted by the inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from benchlearn.errors import UsageError
from benchlearn.optim import gradient_descent

SOLVERS = ("newton", "gd", "sgd", "minibatch")


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary and multinomial logistic regression with an L2 penalty.

    Parameters
    ----------
    C : float, default=1.0
        Inverse penalty strength, as in scikit-learn (larger C = weaker penalty).
    fit_intercept : bool, default=True
        Fit an unpenalised intercept per class.
    solver : {"newton", "gd", "sgd", "minibatch"}, default="newton"
        ``"newton"``: Newton's method (iteratively reweighted least squares), which uses the
        loss's curvature and converges in a handful of steps. The others: gradient descent.
    learning_rate : float or "auto", default="auto"
        Gradient-descent step; "auto" = 1/L from a bound on the loss's curvature.
    max_iter : int, default=100
        Newton steps, gradient steps or epochs.
    tol : float, default=1e-8
        Stop when the gradient's length is below this.
    batch_size : int or None
        Rows per step for "minibatch" (default 32).
    random_state : int or None
        Seed for the stochastic solvers.

    Attributes
    ----------
    classes_ : ndarray
    coef_ : ndarray of shape (1, n_features) for two classes, (n_classes, n_features) otherwise
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : ndarray of shape (1,)
    history_ : DataFrame
        Every step: step, loss, grad_norm, and the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    >>> model = LogisticRegression(C=100).fit(X, [0, 0, 1, 0, 1, 1])
    >>> model.predict([[0.5], [4.5]]).tolist()
    [0, 1]
    """

    def __init__(
        self,
        *,
        C: float = 1.0,
        fit_intercept: bool = True,
        solver: str = "newton",
        learning_rate: float | str = "auto",
        max_iter: int = 100,
        tol: float = 1e-8,
        batch_size: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.batch_size = batch_size
        self.random_state = random_state

    # ------------------------------------------------------------------ the maths
    def _design(self, X: np.ndarray) -> np.ndarray:
        return np.hstack([np.ones((X.shape[0], 1)), X]) if self.fit_intercept else X

    def _loss_and_grad(self, D: np.ndarray, Y: np.ndarray, n_total: int):
        """Cross-entropy + penalty, and its gradient, for parameters W of shape (p, K)."""
        penalty = np.ones(D.shape[1])
        if self.fit_intercept:
            penalty[0] = 0.0
        K = Y.shape[1]
        binary = K == 1

        def loss_and_grad(theta: np.ndarray, rows: np.ndarray | None) -> tuple[float, np.ndarray]:
            W = theta.reshape(D.shape[1], K)
            Dr, Yr = (D, Y) if rows is None else (D[rows], Y[rows])
            Z = Dr @ W
            if binary:
                P = expit(Z)
                log_likelihood = Yr * -np.logaddexp(0, -Z) + (1 - Yr) * -np.logaddexp(0, Z)
            else:
                P = softmax(Z, axis=1)
                log_likelihood = Yr * log_softmax(Z, axis=1)
            loss = -log_likelihood.sum() / len(Dr)
            loss += np.sum(penalty[:, None] * W**2) / (2 * self.C * n_total)
            grad = Dr.T @ (P - Yr) / len(Dr) + penalty[:, None] * W / (self.C * n_total)
            return float(loss), grad.ravel()

        return loss_and_grad

    def _newton(self, D: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, pd.DataFrame, int]:
        n, p = D.shape
        K = Y.shape[1]
        f = self._loss_and_grad(D, Y, n)
        penalty = np.ones(p)
        if self.fit_intercept:
            penalty[0] = 0.0
        theta = np.zeros(p * K)
        records = []
        step = 0
        for step in range(self.max_iter + 1):
            loss, grad = f(theta, None)
            records.append([step, loss, float(np.linalg.norm(grad)), *theta])
            if np.linalg.norm(grad) < self.tol or step == self.max_iter:
                break
            H = self._hessian(D, theta.reshape(p, K), penalty, n)
            # Least-squares solve: with K classes the unpenalised intercepts can all shift
            # together without changing the loss; the minimum-norm step leaves that alone.
            direction = np.linalg.lstsq(H, grad, rcond=None)[0]
            rate = 1.0
            while f(theta - rate * direction, None)[0] > loss and rate > 1e-10:
                rate /= 2  # step halving keeps every Newton step downhill
            theta = theta - rate * direction
        else:  # pragma: no cover - loop always breaks
            pass
        if np.linalg.norm(grad) >= self.tol:
            import warnings

            warnings.warn(
                f"Newton's method did not converge in {self.max_iter} steps (gradient length "
                f"{np.linalg.norm(grad):.3g}); increase max_iter.",
                ConvergenceWarning,
                stacklevel=3,
            )
        return (
            theta,
            pd.DataFrame(records, columns=["step", "loss", "grad_norm", *self._names(K)]),
            step,
        )

    def _hessian(self, D: np.ndarray, W: np.ndarray, penalty: np.ndarray, n: int) -> np.ndarray:
        p, K = W.shape
        Z = D @ W
        if K == 1:
            P = expit(Z[:, 0])
            H = (D * (P * (1 - P))[:, None]).T @ D / n
        else:
            P = softmax(Z, axis=1)
            H = np.empty((p * K, p * K))
            for a in range(K):
                for b in range(K):
                    weight = P[:, a] * ((a == b) - P[:, b])
                    H[a::K, b::K] = (D * weight[:, None]).T @ D / n
        return H + np.diag(np.repeat(penalty, K)) / (self.C * n)

    # ------------------------------------------------------------------ estimator API
    def fit(self, X: Any, y: Any) -> LogisticRegression:
        """Fit the classifier.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels (numbers or text).
        """
        if self.solver not in SOLVERS:
            raise UsageError(
                f"solver={self.solver!r} is not one of {', '.join(SOLVERS)}",
                fix="Use 'newton' (fast, exact) or a gradient-descent solver",
            )
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"This solver needs samples of at least 2 classes in the data, but the data "
                f"contain only one class: {self.classes_[0]!r}"
            )
        K = 1 if len(self.classes_) == 2 else len(self.classes_)
        Y = encoded[:, None].astype(float) if K == 1 else np.eye(K)[encoded]
        D = self._design(X)
        n, p = D.shape
        if self.solver == "newton":
            theta, history, n_iter = self._newton(D, Y)
        else:
            row_scale = 0.25 if K == 1 else 0.5
            L = row_scale * np.linalg.norm(D, 2) ** 2 / n + 1 / (self.C * n)
            batch = {"gd": None, "sgd": 1, "minibatch": self.batch_size or 32}[self.solver]
            if self.learning_rate == "auto":
                rate = (
                    1 / L
                    if batch is None
                    else 1 / (row_scale * np.max(np.sum(D**2, 1)) + 1 / (self.C * n))
                )
            else:
                rate = float(self.learning_rate)
            result = gradient_descent(
                self._loss_and_grad(D, Y, n),
                np.zeros(p * K),
                n_samples=n,
                learning_rate=rate,
                max_iter=self.max_iter,
                tol=self.tol,
                batch_size=batch,
                random_state=self.random_state,
                param_names=self._names(K),
                lipschitz=L,
            )
            theta, history, n_iter = result.theta, result.history, result.n_iter
        W = theta.reshape(p, K)
        self.history_ = history
        self.n_iter_ = np.array([max(n_iter, 1)])
        start = 1 if self.fit_intercept else 0
        self.coef_ = W[start:].T.copy()
        self.intercept_ = W[0].copy() if self.fit_intercept else np.zeros(K)
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Linear scores: the log-odds of class 1 (two classes), or one score per class."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each class, columns in the order of ``classes_``."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p1 = expit(scores)
            return np.column_stack([1 - p1, p1])
        return softmax(scores, axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def _names(self, K: int) -> list[str]:
        features = getattr(self, "feature_names_in_", None)
        features = (
            [str(f) for f in features]
            if features is not None
            else [f"x{i}" for i in range(self.n_features_in_)]
        )
        names = (["intercept"] if self.fit_intercept else []) + features
        if K == 1:
            return names
        return [f"{name}[{c}]" for name in names for c in self.classes_]
