import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.preprocessing import StandardScaler

from benchlearn import MLPClassifier, MLPRegressor


@pytest.mark.parametrize(
    ("model", "targets"),
    [
        (MLPClassifier((5, 4), activation="tanh", alpha=0.1), np.eye(3)[[0, 1, 2, 1, 0, 2]]),
        (
            MLPClassifier((6,), activation="relu", alpha=0.0),
            np.array([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]]),
        ),
        (MLPRegressor((4, 3), activation="tanh", alpha=0.05), np.arange(6.0).reshape(-1, 1)),
    ],
)
def test_backpropagation_matches_finite_differences(model, targets):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 3))
    model._sizes = [3, *model.hidden_layer_sizes, targets.shape[1]]
    theta = model._init_weights(model._sizes, rng) + rng.normal(
        0, 0.1, sum(a * b + b for a, b in zip(model._sizes[:-1], model._sizes[1:], strict=True))
    )
    _, grad = model.loss_and_grad(theta, X, targets, 6)
    numeric = np.empty_like(theta)
    h = 1e-6
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        numeric[i] = (
            model.loss_and_grad(theta + step, X, targets, 6)[0]
            - model.loss_and_grad(theta - step, X, targets, 6)[0]
        ) / (2 * h)
    relative = np.linalg.norm(grad - numeric) / np.linalg.norm(grad + numeric)
    assert relative < 1e-6


def test_classifier_accuracy_is_within_two_points_of_scikit_learn_on_breast_cancer():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    ours = MLPClassifier((32,), random_state=0).fit(X_train, y_train).score(X_test, y_test)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SklearnMLPClassifier(hidden_layer_sizes=(32,), random_state=0, max_iter=500).fit(
            X_train, y_train
        )
    assert abs(ours - theirs.score(X_test, y_test)) <= 0.02
    assert ours > 0.93


def test_regressor_fits_a_curve_about_as_well_as_scikit_learn():
    X = np.linspace(-2, 2, 200).reshape(-1, 1)
    y = np.sin(2 * X[:, 0]) + np.random.default_rng(0).normal(0, 0.05, 200)
    ours = (
        MLPRegressor((32,), activation="tanh", learning_rate=0.2, max_iter=400, random_state=0)
        .fit(X, y)
        .score(X, y)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SklearnMLPRegressor(
            hidden_layer_sizes=(32,), activation="tanh", random_state=0, max_iter=2000
        ).fit(X, y)
    assert ours > 0.95 and ours > theirs.score(X, y) - 0.03


def test_loss_curve_goes_down():
    X, y = load_breast_cancer(return_X_y=True)
    model = MLPClassifier((8,), max_iter=30, random_state=0).fit(
        StandardScaler().fit_transform(X), y
    )
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    assert list(model.history_.columns) == ["step", "loss", "grad_norm"]


# The checks test the scikit-learn contract, not convergence: a few epochs per fit (scikit-learn
# caps its own iterative estimators the same way) are enough for the checks that score a fit.
@pytest.mark.parametrize(
    "estimator",
    [
        MLPClassifier((8,), max_iter=20, random_state=0),
        MLPRegressor((8,), max_iter=25, random_state=0),
    ],
)
def test_passes_scikit_learn_estimator_checks(estimator):
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(estimator)
