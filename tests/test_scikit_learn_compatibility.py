"""Every benchlearn estimator works inside scikit-learn's Pipeline and GridSearchCV.

(Each estimator's own test module runs ``check_estimator``; this checks the two tools a
computational biologist combines them with, on real data, against scikit-learn's own models.)
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sk_linear
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchlearn import (
    PCA,
    KMeans,
    LinearRegression,
    LogisticRegression,
    MLPClassifier,
    MLPRegressor,
    NonlinearRegression,
    PolynomialRegression,
    Ridge,
)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True, as_frame=True)


@pytest.fixture(scope="module")
def biopsies():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X.iloc[:, :10], y


def test_linear_regression_in_a_pipeline_predicts_like_scikit_learn(diabetes):
    X, y = diabetes
    ours = make_pipeline(StandardScaler(), LinearRegression())
    ours.set_output(transform="pandas")  # the scaler passes the column names on
    ours.fit(X, y)
    theirs = make_pipeline(StandardScaler(), sk_linear.LinearRegression()).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-10)
    assert list(ours[-1].params_.index[1:]) == list(X.columns)


def test_ridge_grid_search_picks_the_same_alpha_as_scikit_learn(diabetes):
    X, y = diabetes
    grid = {"ridge__alpha": [0.01, 0.1, 1.0, 10.0, 100.0]}
    folds = KFold(5, shuffle=True, random_state=0)
    ours = GridSearchCV(make_pipeline(StandardScaler(), Ridge()), grid, cv=folds).fit(X, y)
    theirs = GridSearchCV(make_pipeline(StandardScaler(), sk_linear.Ridge()), grid, cv=folds)
    theirs.fit(X, y)
    assert ours.best_params_ == theirs.best_params_
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_score"], theirs.cv_results_["mean_test_score"], rtol=1e-9
    )


def test_polynomial_degree_is_chosen_by_grid_search_over_a_pipeline():
    rng = np.random.default_rng(1)
    conc = rng.uniform(0, 2000, 60).reshape(-1, 1)
    signal = 0.1 + 1.1e-3 * conc[:, 0] - 1.6e-7 * conc[:, 0] ** 2 + rng.normal(0, 0.01, 60)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), PolynomialRegression()),
        {"polynomialregression__degree": [1, 2, 3]},
        cv=KFold(5, shuffle=True, random_state=0),
        scoring="neg_mean_squared_error",
    ).fit(conc, signal)
    assert search.best_params_["polynomialregression__degree"] in (2, 3)
    assert search.best_params_["polynomialregression__degree"] != 1


def test_logistic_regression_in_a_pipeline_with_grid_search(biopsies):
    X, y = biopsies
    search = GridSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression()),
        {"logisticregression__C": [0.1, 1.0]},
        cv=KFold(3, shuffle=True, random_state=0),
    ).fit(X, y)
    assert search.best_score_ > 0.9
    assert search.predict_proba(X).shape == (len(X), 2)


def test_pca_then_kmeans_and_pca_then_classifier_chain_in_pipelines(biopsies):
    X, y = biopsies
    clusters = make_pipeline(StandardScaler(), PCA(n_components=2), KMeans(2, random_state=0))
    labels = clusters.fit_predict(X)
    assert set(np.unique(labels)) == {0, 1}
    reduced = make_pipeline(StandardScaler(), PCA(n_components=3), LogisticRegression()).fit(X, y)
    assert reduced.score(X, y) > 0.85


def test_neural_networks_in_pipelines(biopsies, diabetes):
    X, y = biopsies
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a short training run does not converge fully
        classifier = make_pipeline(StandardScaler(), MLPClassifier(random_state=0, max_iter=100))
        assert classifier.fit(X, y).score(X, y) > 0.85
        Xd, yd = diabetes
        regressor = make_pipeline(StandardScaler(), MLPRegressor(random_state=0, max_iter=100))
        assert regressor.fit(Xd, yd).predict(Xd).shape == (len(yd),)


def test_grid_search_over_curve_models_of_an_elisa_standard_curve():
    # (A 4PL with hill 1 and bottom 0 is the Michaelis-Menten hyperbola, which DNase run 1
    # nearly is; the one-phase exponential bends the wrong way and loses.)
    from benchlearn.data import load_dnase

    frame = load_dnase().frame
    run = frame[frame["Run"] == 1]
    search = GridSearchCV(
        NonlinearRegression(model="exponential"),
        {"model": ["exponential", "4pl"]},
        cv=KFold(4, shuffle=True, random_state=0),
        scoring="neg_mean_squared_error",
    ).fit(run[["conc"]], run["density"])
    assert search.best_params_ == {"model": "4pl"}
