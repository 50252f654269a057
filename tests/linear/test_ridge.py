"""Ridge against scikit-learn's Ridge."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge as SklearnRidge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchlearn import Ridge


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    return X, y


@pytest.mark.parametrize("alpha", [0.01, 1.0, 100.0])
def test_exact_ridge_equals_scikit_learn(diabetes, alpha):
    X, y = diabetes
    ours = Ridge(alpha=alpha).fit(X, y)
    theirs = SklearnRidge(alpha=alpha, solver="svd").fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=1e-10)


def test_weighted_ridge_equals_scikit_learn(diabetes):
    X, y = diabetes
    w = np.linspace(0.5, 2.0, len(y))
    ours = Ridge(alpha=0.5).fit(X, y, sample_weight=w)
    theirs = SklearnRidge(alpha=0.5, solver="svd").fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10)


def test_gradient_descent_ridge_reaches_the_closed_form(diabetes):
    X, y = diabetes
    Xs = StandardScaler().fit_transform(X)
    exact = Ridge(alpha=10.0).fit(Xs, y)
    descent = Ridge(alpha=10.0, solver="gd", max_iter=20_000, tol=1e-8).fit(Xs, y)
    np.testing.assert_allclose(descent.coef_, exact.coef_, rtol=1e-6)
    assert "loss" in descent.history_.columns


def test_works_in_grid_search_over_alpha(diabetes):
    X, y = diabetes
    search = GridSearchCV(make_pipeline(StandardScaler(), Ridge()), {"ridge__alpha": [0.1, 1, 10]})
    search.fit(X, y)
    assert search.best_params_["ridge__alpha"] in (0.1, 1, 10)


def test_passes_scikit_learn_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(Ridge())
