"""PolynomialRegression against statsmodels on raw powers, and its basis handling."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold

from benchlearn import PolynomialRegression
from benchlearn.errors import UsageError


@pytest.fixture(scope="module")
def assay():
    rng = np.random.default_rng(7)
    conc = np.repeat(np.linspace(0, 2000, 9), 3)  # µg/mL BSA, triplicates
    absorbance = 0.1 + 1.1e-3 * conc - 1.6e-7 * conc**2 + rng.normal(0, 0.02, conc.size)
    return pd.DataFrame({"conc": conc}), pd.Series(absorbance, name="A562")


def test_quadratic_matches_statsmodels_on_raw_powers(assay):
    X, y = assay
    model = PolynomialRegression(degree=2).fit(X, y)
    raw = np.column_stack([np.ones(len(y)), X["conc"], X["conc"] ** 2])
    ref = sm.OLS(y.to_numpy(), raw).fit()
    np.testing.assert_allclose(model.params_["estimate"], ref.params, rtol=1e-9)
    np.testing.assert_allclose(model.params_["std_error"], ref.bse, rtol=1e-9)
    assert model.r2_ == pytest.approx(ref.rsquared, rel=1e-12)
    new = pd.DataFrame({"conc": [100.0, 1500.0]})
    frame = ref.get_prediction(
        np.column_stack([np.ones(2), new["conc"], new["conc"] ** 2])
    ).summary_frame()
    band = model.predict_interval(new, kind="prediction")
    np.testing.assert_allclose(band["lower"], frame["obs_ci_lower"], rtol=1e-9)
    np.testing.assert_allclose(model.predict(new), frame["mean"], rtol=1e-9)


def test_parameters_are_named_in_powers_of_the_predictor(assay):
    X, y = assay
    model = PolynomialRegression(degree=3).fit(X, y)
    assert list(model.params_.index) == ["intercept", "conc", "conc^2", "conc^3"]
    assert model.coef_.shape == (3,)


def test_design_matrix_holds_raw_powers(assay):
    X, y = assay
    model = PolynomialRegression(degree=2).fit(X, y)
    D = model.design_matrix(X.iloc[:2])
    np.testing.assert_array_equal(D[:, 2], X["conc"].iloc[:2] ** 2)


def test_several_predictors_give_an_additive_polynomial_matching_statsmodels():
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"dose": rng.uniform(0, 50, 40), "hours": rng.uniform(1, 48, 40)})
    y = 2 + 0.3 * X["dose"] - 4e-3 * X["dose"] ** 2 + 0.1 * X["hours"] + rng.normal(0, 0.1, 40)
    model = PolynomialRegression(degree=2).fit(X, y)
    assert list(model.params_.index) == ["intercept", "dose", "dose^2", "hours", "hours^2"]
    raw = sm.add_constant(np.column_stack([X["dose"], X["dose"] ** 2, X["hours"], X["hours"] ** 2]))
    ref = sm.OLS(y.to_numpy(), raw).fit()
    np.testing.assert_allclose(model.params_["estimate"], ref.params, rtol=1e-9)
    np.testing.assert_allclose(model.params_["std_error"], ref.bse, rtol=1e-9)
    np.testing.assert_allclose(model.predict(X), ref.fittedvalues, rtol=1e-10)
    band = model.predict_interval(X.iloc[:3], kind="confidence")
    frame = ref.get_prediction(raw[:3]).summary_frame()
    np.testing.assert_allclose(band["upper"], frame["mean_ci_upper"], rtol=1e-9)


def test_passes_scikit_learns_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(PolynomialRegression())


def test_degree_must_be_a_positive_whole_number():
    with pytest.raises(UsageError, match="degree=0"):
        PolynomialRegression(degree=0).fit(np.arange(5.0).reshape(-1, 1), np.arange(5.0))


def test_is_a_scikit_learn_estimator_in_grid_search_over_degree(assay):
    X, y = assay
    search = GridSearchCV(
        PolynomialRegression(), {"degree": [1, 2, 3]}, cv=KFold(3, shuffle=True, random_state=0)
    )
    search.fit(X, y)
    assert search.best_params_["degree"] == 2
    restored = pickle.loads(pickle.dumps(search.best_estimator_))
    np.testing.assert_array_equal(restored.predict(X), search.best_estimator_.predict(X))
    assert clone(PolynomialRegression(degree=4)).get_params() == {
        "degree": 4,
        "fit_intercept": True,
    }
