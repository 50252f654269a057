"""LinearRegression against statsmodels OLS/WLS and scikit-learn on real data."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression as SklearnLinearRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchlearn import LinearRegression
from benchlearn.errors import UsageError
from benchlearn.linear import CollinearityWarning

RTOL = 1e-10


@pytest.fixture(scope="module")
def diabetes() -> tuple[pd.DataFrame, pd.Series]:
    data = load_diabetes(as_frame=True, scaled=False)
    return data.data, data.target


@pytest.fixture(scope="module")
def fitted(diabetes):
    X, y = diabetes
    ours = LinearRegression().fit(X, y)
    reference = sm.OLS(y, sm.add_constant(X)).fit()
    return ours, reference


def test_estimates_and_standard_errors_equal_statsmodels(fitted):
    ours, ref = fitted
    np.testing.assert_allclose(ours.params_["estimate"], ref.params, rtol=RTOL)
    np.testing.assert_allclose(ours.params_["std_error"], ref.bse, rtol=RTOL)
    np.testing.assert_allclose(ours.params_["t"], ref.tvalues, rtol=RTOL)
    np.testing.assert_allclose(ours.params_["p_value"], ref.pvalues, rtol=1e-8, atol=1e-300)


def test_confidence_intervals_of_parameters_equal_statsmodels(fitted):
    ours, ref = fitted
    ci = ref.conf_int(alpha=0.05)
    np.testing.assert_allclose(ours.params_["ci_lower"], ci[0], rtol=RTOL)
    np.testing.assert_allclose(ours.params_["ci_upper"], ci[1], rtol=RTOL)


def test_fit_statistics_equal_statsmodels(fitted):
    ours, ref = fitted
    assert ours.r2_ == pytest.approx(ref.rsquared, rel=RTOL)
    assert ours.r2_adj_ == pytest.approx(ref.rsquared_adj, rel=RTOL)
    assert ours.f_statistic_ == pytest.approx(ref.fvalue, rel=RTOL)
    assert ours.f_pvalue_ == pytest.approx(ref.f_pvalue, rel=1e-8)
    assert ours.residual_std_ == pytest.approx(np.sqrt(ref.scale), rel=RTOL)
    assert ours.condition_number_ == pytest.approx(ref.condition_number, rel=1e-8)
    assert ours.n_samples_ == ref.nobs and ours.dof_resid_ == ref.df_resid


@pytest.mark.parametrize("kind", ["confidence", "prediction"])
def test_intervals_equal_statsmodels(fitted, diabetes, kind):
    ours, ref = fitted
    X, _ = diabetes
    new = X.iloc[::37]
    frame = ref.get_prediction(sm.add_constant(new, has_constant="add")).summary_frame(alpha=0.1)
    column = "mean_ci" if kind == "confidence" else "obs_ci"
    table = ours.predict_interval(new, kind=kind, level=0.9)
    np.testing.assert_allclose(table["mean"], frame["mean"], rtol=RTOL)
    np.testing.assert_allclose(table["lower"], frame[f"{column}_lower"], rtol=RTOL)
    np.testing.assert_allclose(table["upper"], frame[f"{column}_upper"], rtol=RTOL)
    assert list(table.index) == list(new.index)


def test_coefficients_equal_scikit_learn(diabetes):
    X, y = diabetes
    ours = LinearRegression().fit(X, y)
    theirs = SklearnLinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=RTOL)
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), rel=RTOL)


def test_weighted_fit_equals_statsmodels_wls(diabetes):
    X, y = diabetes
    weights = 1.0 / (1.0 + (X["age"] - X["age"].mean()) ** 2 / 100.0)
    ours = LinearRegression().fit(X, y, sample_weight=weights)
    ref = sm.WLS(y, sm.add_constant(X), weights=weights).fit()
    np.testing.assert_allclose(ours.params_["estimate"], ref.params, rtol=RTOL)
    np.testing.assert_allclose(ours.params_["std_error"], ref.bse, rtol=RTOL)
    assert ours.r2_ == pytest.approx(ref.rsquared, rel=RTOL)
    assert ours.r2_adj_ == pytest.approx(ref.rsquared_adj, rel=RTOL)
    assert ours.f_statistic_ == pytest.approx(ref.fvalue, rel=RTOL)
    new = X.iloc[:5]
    frame = ref.get_prediction(sm.add_constant(new, has_constant="add")).summary_frame()
    conf = ours.predict_interval(new)
    np.testing.assert_allclose(conf["lower"], frame["mean_ci_lower"], rtol=RTOL)
    # statsmodels' default new weight is 1; a weighted fit asks for it (else a WeightWarning)
    pred = ours.predict_interval(new, kind="prediction", sample_weight=np.ones(len(new)))
    np.testing.assert_allclose(pred["upper"], frame["obs_ci_upper"], rtol=RTOL)


@pytest.mark.parametrize("level", [0.95, 0.9])
def test_weighted_intervals_of_both_kinds_equal_statsmodels_wls(diabetes, level):
    X, y = diabetes
    weights = 1.0 / X["bmi"] ** 2
    ours = LinearRegression().fit(X, y, sample_weight=weights)
    ref = sm.WLS(y, sm.add_constant(X), weights=weights).fit()
    new = X.iloc[10:16]
    new_weights = 1.0 / new["bmi"].to_numpy() ** 2
    frame = ref.get_prediction(
        sm.add_constant(new, has_constant="add"), weights=new_weights
    ).summary_frame(alpha=1 - level)
    conf = ours.predict_interval(new, kind="confidence", level=level)
    np.testing.assert_allclose(conf["mean"], frame["mean"], rtol=RTOL)
    np.testing.assert_allclose(conf["lower"], frame["mean_ci_lower"], rtol=RTOL)
    np.testing.assert_allclose(conf["upper"], frame["mean_ci_upper"], rtol=RTOL)
    pred = ours.predict_interval(new, kind="prediction", level=level, sample_weight=new_weights)
    np.testing.assert_allclose(pred["lower"], frame["obs_ci_lower"], rtol=RTOL)
    np.testing.assert_allclose(pred["upper"], frame["obs_ci_upper"], rtol=RTOL)


def test_no_intercept_fit_equals_statsmodels_uncentred(diabetes):
    X, y = diabetes
    ours = LinearRegression(fit_intercept=False).fit(X, y)
    ref = sm.OLS(y, X).fit()
    np.testing.assert_allclose(ours.params_["estimate"], ref.params, rtol=RTOL)
    np.testing.assert_allclose(ours.params_["std_error"], ref.bse, rtol=RTOL)
    assert ours.r2_ == pytest.approx(ref.rsquared, rel=RTOL)
    assert ours.r2_adj_ == pytest.approx(ref.rsquared_adj, rel=RTOL)
    assert ours.intercept_ == 0.0


def test_params_are_named_after_dataframe_columns_with_intercept_first(fitted, diabetes):
    ours, _ = fitted
    assert list(ours.params_.index) == ["intercept", *diabetes[0].columns]
    assert list(ours.params_.columns) == [
        "estimate", "std_error", "t", "p_value", "ci_lower", "ci_upper"
    ]  # fmt: skip


def test_arrays_get_sklearn_style_names():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    model = LinearRegression().fit(X, X @ [1.0, 2.0] + rng.normal(size=20))
    assert list(model.params_.index) == ["intercept", "x0", "x1"]


def test_rank_deficient_design_warns_naming_the_aliased_column():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"conc": rng.normal(size=30), "dilution": rng.normal(size=30)})
    X["total"] = X["conc"] + X["dilution"]
    y = X["conc"] * 2 + rng.normal(size=30)
    with pytest.warns(CollinearityWarning, match="total") as record:
        model = LinearRegression().fit(X, y)
    assert "rank deficient" in str(record[0].message)
    assert model.rank_ == 3
    assert np.isnan(model.params_.loc["total", "estimate"])
    reduced = LinearRegression().fit(X[["conc", "dilution"]], y)
    np.testing.assert_allclose(model.predict(X), reduced.predict(X[["conc", "dilution"]]))


def test_nearly_collinear_design_warns_naming_the_involved_columns():
    rng = np.random.default_rng(2)
    a = rng.normal(size=50)
    X = pd.DataFrame({"a": a, "b": a + 1e-6 * rng.normal(size=50), "c": rng.normal(size=50)})
    with pytest.warns(CollinearityWarning, match="nearly singular") as record:
        LinearRegression().fit(X, a + rng.normal(size=50))
    message = str(record[0].message)
    assert "a" in message and "b" in message and ", c" not in message


def test_more_parameters_than_rows_reports_aliased_columns_instead_of_guessing():
    with pytest.warns(CollinearityWarning, match="rank deficient"):
        model = LinearRegression().fit(np.eye(3), [1.0, 2.0, 3.0])
    assert model.rank_ == 3
    assert model.params_["estimate"].isna().sum() == 1
    assert np.isnan(model.params_["std_error"]).all()  # no degrees of freedom left for noise


def test_all_zero_weights_is_refused():
    with pytest.raises(ValueError, match="non-zero"):
        LinearRegression().fit([[1.0], [2.0]], [1.0, 2.0], sample_weight=[0.0, 0.0])


def test_unknown_solver_is_a_usage_error():
    with pytest.raises(UsageError, match="solver='newton'"):
        LinearRegression(solver="newton").fit([[1.0], [2.0], [3.0]], [1.0, 2.0, 2.5])


def test_interval_kind_must_be_confidence_or_prediction(fitted, diabetes):
    ours, _ = fitted
    with pytest.raises(UsageError, match="kind='tolerance'"):
        ours.predict_interval(diabetes[0].iloc[:2], kind="tolerance")


def test_design_matrix_has_intercept_column_first_and_r_factor_reproduces_gram(fitted, diabetes):
    ours, _ = fitted
    D = ours.design_matrix(diabetes[0])
    assert np.all(D[:, 0] == 1.0)
    np.testing.assert_allclose(ours.R_.T @ ours.R_, D.T @ D, rtol=1e-10)


def test_exact_line_through_standard_curve_points_recovers_slope():
    conc = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
    signal = 0.05 + 0.6 * conc
    model = LinearRegression().fit(conc.reshape(-1, 1), signal)
    assert model.coef_[0] == pytest.approx(0.6, rel=1e-15)
    assert model.intercept_ == pytest.approx(0.05, rel=1e-14)


def test_works_in_pipeline_and_grid_search(diabetes):
    X, y = diabetes
    search = GridSearchCV(
        make_pipeline(StandardScaler(), LinearRegression()),
        {"linearregression__fit_intercept": [True, False]},
        cv=3,
    ).fit(X, y)
    assert search.best_params_ == {"linearregression__fit_intercept": True}


def test_passes_scikit_learn_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(LinearRegression())
