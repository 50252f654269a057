"""A small multilayer perceptron: the deep-learning end of the AI / ML / DL comparison.

A layer computes ``z = a W + b`` and passes it through a non-linear function ``a' = f(z)``
(ReLU: ``max(0, z)``; tanh). Stacking layers lets the network bend its decision boundary;
the last layer gives a probability per class (softmax) or a number (regression).

Training is gradient descent on the loss. The gradient comes from **backpropagation**, the chain
rule applied layer by layer from the output back to the input:

    delta_L = (output - target) / n                          (output layer)
    dW_l    = a_{l-1}ᵀ delta_l + alpha W_l / n,   db_l = sum of delta_l over samples
    delta_{l-1} = (delta_l W_lᵀ) * f'(z_{l-1})                (one layer back)
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from scipy.special import expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from benchlearn.errors import UsageError
from benchlearn.optim import gradient_descent

ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(float)),
    "tanh": (np.tanh, lambda z, a: 1.0 - a**2),
}


class _MLP(BaseEstimator):
    def __init__(
        self,
        hidden_layer_sizes: tuple[int, ...] = (32,),
        activation: str = "relu",
        *,
        alpha: float = 1e-4,
        solver: str = "minibatch",
        learning_rate: float = 0.05,
        max_iter: int = 200,
        tol: float = 1e-5,
        batch_size: int | None = 32,
        random_state: int | None = None,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.alpha = alpha
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.batch_size = batch_size
        self.random_state = random_state

    # ------------------------------------------------------------------ the network
    def _init_weights(self, sizes: list[int], rng: np.random.Generator) -> np.ndarray:
        """Glorot-uniform weights (bound sqrt(6 / (fan_in + fan_out))), zero biases, flattened."""
        parts = []
        for fan_in, fan_out in itertools.pairwise(sizes):
            bound = np.sqrt(6.0 / (fan_in + fan_out))
            parts += [rng.uniform(-bound, bound, fan_in * fan_out), np.zeros(fan_out)]
        return np.concatenate(parts)

    def _unpack(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        layers, start = [], 0
        for fan_in, fan_out in itertools.pairwise(self._sizes):
            W = theta[start : start + fan_in * fan_out].reshape(fan_in, fan_out)
            start += fan_in * fan_out
            b = theta[start : start + fan_out]
            start += fan_out
            layers.append((W, b))
        return layers

    def _forward(self, layers: list, X: np.ndarray) -> tuple[list, list]:
        """Every layer's pre-activation z and activation a (a[0] is the input)."""
        f = ACTIVATIONS[self.activation][0]
        activations, pre = [X], []
        for index, (W, b) in enumerate(layers):
            z = activations[-1] @ W + b
            pre.append(z)
            last = index == len(layers) - 1
            activations.append(self._output(z) if last else f(z))
        return pre, activations

    def loss_and_grad(self, theta: np.ndarray, X: np.ndarray, Y: np.ndarray, n_total: int):
        """The loss on ``(X, Y)`` and its gradient by backpropagation."""
        layers = self._unpack(theta)
        pre, activations = self._forward(layers, X)
        n = len(X)
        loss = self._data_loss(pre[-1], activations[-1], Y)
        loss += self.alpha * sum(np.sum(W**2) for W, _ in layers) / (2 * n_total)
        derivative = ACTIVATIONS[self.activation][1]
        delta = (activations[-1] - Y) / n
        grads = []
        for index in range(len(layers) - 1, -1, -1):
            W, _ = layers[index]
            grads.append(
                (activations[index].T @ delta + self.alpha * W / n_total, delta.sum(axis=0))
            )
            if index > 0:
                delta = (delta @ W.T) * derivative(pre[index - 1], activations[index])
        flat = [part.ravel() for dW, db in reversed(grads) for part in (dW, db)]
        return float(loss), np.concatenate(flat)

    def _train(self, X: np.ndarray, Y: np.ndarray) -> None:
        if self.activation not in ACTIVATIONS:
            raise UsageError(
                f"activation={self.activation!r} is not one of relu, tanh",
                fix="Use 'relu' or 'tanh'",
            )
        rng = np.random.default_rng(self.random_state)
        self._sizes = [X.shape[1], *self.hidden_layer_sizes, Y.shape[1]]
        theta0 = self._init_weights(self._sizes, rng)
        n = len(X)
        batch = {"gd": None, "sgd": 1, "minibatch": self.batch_size or 32}.get(self.solver)
        if self.solver not in ("gd", "sgd", "minibatch"):
            raise UsageError(
                f"solver={self.solver!r} is not one of gd, sgd, minibatch",
                fix="Use solver='minibatch'",
            )

        def loss_and_grad(theta: np.ndarray, rows: np.ndarray | None):
            if rows is None:
                return self.loss_and_grad(theta, X, Y, n)
            return self.loss_and_grad(theta, X[rows], Y[rows], n)

        result = gradient_descent(
            loss_and_grad,
            theta0,
            n_samples=n,
            learning_rate=self.learning_rate,
            max_iter=self.max_iter,
            tol=self.tol,
            batch_size=batch,
            random_state=int(rng.integers(2**31)),
            record_parameters=False,
        )
        self._theta = result.theta
        self.history_ = result.history
        self.loss_curve_ = result.history["loss"].to_numpy()[1:]
        self.n_iter_ = result.n_iter
        layers = self._unpack(result.theta)
        self.coefs_ = [W for W, _ in layers]
        self.intercepts_ = [b for _, b in layers]

    def _raw(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self._forward(self._unpack(self._theta), X)[1][-1]


class MLPClassifier(ClassifierMixin, _MLP):
    """A multilayer perceptron classifier (softmax output, cross-entropy loss).

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(32,)
        Neurons per hidden layer.
    activation : {"relu", "tanh"}, default="relu"
    alpha : float, default=1e-4
        L2 penalty on the weights (as scikit-learn's ``alpha``).
    solver : {"gd", "sgd", "minibatch"}, default="minibatch"
    learning_rate : float, default=0.05
    max_iter : int, default=200
        Epochs (passes over the data).
    tol : float, default=1e-5
    batch_size : int, default=32
    random_state : int or None
        Seed of the initial weights and the shuffling.

    Attributes
    ----------
    classes_, coefs_, intercepts_, loss_curve_, history_, n_iter_

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2)); y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR-like
    >>> model = MLPClassifier((16,), max_iter=300, random_state=0).fit(X, y)
    >>> bool(model.score(X, y) > 0.9)
    True
    """

    def _output(self, z: np.ndarray) -> np.ndarray:
        return softmax(z, axis=1) if z.shape[1] > 1 else expit(z)

    def _data_loss(self, z: np.ndarray, a: np.ndarray, Y: np.ndarray) -> float:
        if z.shape[1] == 1:
            return float(np.mean(Y * np.logaddexp(0, -z) + (1 - Y) * np.logaddexp(0, z)))
        return float(-np.sum(Y * log_softmax(z, axis=1)) / len(z))

    def fit(self, X: Any, y: Any) -> MLPClassifier:
        """Train the network on labelled samples."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError("The data contain only one class: there is nothing to separate.")
        Y = (
            encoded[:, None].astype(float)
            if len(self.classes_) == 2
            else np.eye(len(self.classes_))[encoded]
        )
        self._train(X, Y)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each class."""
        out = self._raw(X)
        return np.column_stack([1 - out[:, 0], out[:, 0]]) if out.shape[1] == 1 else out

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class MLPRegressor(RegressorMixin, _MLP):
    """A multilayer perceptron for a numeric response (identity output, squared loss).

    Parameters are those of :class:`MLPClassifier`. The loss is half the mean squared error
    (scikit-learn's convention) plus the L2 penalty.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.linspace(-2, 2, 100).reshape(-1, 1)
    >>> model = MLPRegressor((32,), activation="tanh", learning_rate=0.2, max_iter=500,
    ...                      random_state=0)
    >>> bool(model.fit(X, X[:, 0] ** 2).score(X, X[:, 0] ** 2) > 0.9)
    True
    """

    def _output(self, z: np.ndarray) -> np.ndarray:
        return z

    def _data_loss(self, z: np.ndarray, a: np.ndarray, Y: np.ndarray) -> float:
        return float(0.5 * np.mean(np.sum((a - Y) ** 2, axis=1)))

    def fit(self, X: Any, y: Any) -> MLPRegressor:
        """Train the network on samples with a numeric response."""
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
        self._train(X, y.reshape(-1, 1))
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predicted response."""
        return self._raw(X)[:, 0]
