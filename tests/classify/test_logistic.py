import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression
from sklearn.preprocessing import StandardScaler

from benchlearn import LogisticRegression


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return pd.DataFrame(StandardScaler().fit_transform(X), columns=X.columns), y


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
def test_binary_coefficients_equal_scikit_learn(cancer, C):
    X, y = cancer
    ours = LogisticRegression(C=C).fit(X, y)
    theirs = SklearnLogisticRegression(C=C, solver="newton-cholesky", tol=1e-12).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)


def test_multinomial_coefficients_equal_scikit_learn(iris):
    X, y = iris
    ours = LogisticRegression(C=1.0).fit(X, y)
    theirs = SklearnLogisticRegression(C=1.0, solver="newton-cg", tol=1e-12).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)


@pytest.mark.parametrize(
    ("solver", "max_iter", "atol", "every"),
    # SGD takes one Python step per row: every 3rd biopsy (190) x 50 epochs, error 0.3-0.5 of
    # atol over seeds 0-4, instead of all 569 x 100 epochs
    [("gd", 3000, 1e-6, 1), ("sgd", 50, 5e-3, 3)],
)
def test_gradient_descent_solvers_approach_the_newton_answer(cancer, solver, max_iter, atol, every):
    X, y = cancer
    X, y = X.iloc[::every], y.iloc[::every]
    newton = LogisticRegression(C=0.05).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        descent = LogisticRegression(C=0.05, solver=solver, max_iter=max_iter, random_state=0)
        descent.fit(X, y)
    np.testing.assert_allclose(descent.coef_, newton.coef_, atol=atol)
    losses = descent.history_["loss"].to_numpy()
    assert losses[-1] < losses[0]


def test_history_is_named_by_feature_and_newton_takes_few_steps(cancer):
    X, y = cancer
    model = LogisticRegression().fit(X, y)
    assert list(model.history_.columns[:5]) == [
        "step",
        "loss",
        "grad_norm",
        "intercept",
        "mean_radius".replace("_", " "),
    ]
    assert model.n_iter_[0] < 15


def test_text_labels_are_kept():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    model = LogisticRegression().fit(X, ["benign", "benign", "malignant", "malignant"])
    assert list(model.classes_) == ["benign", "malignant"]
    assert model.predict([[3.0]])[0] == "malignant"


def test_passes_scikit_learn_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(LogisticRegression())
