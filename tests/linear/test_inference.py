"""The public inference accessors equal statsmodels' on the same data, weighted and unweighted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.datasets import load_diabetes

from benchlearn import LinearRegression, PolynomialRegression, Ridge
from benchlearn.errors import UsageError
from benchlearn.linear import LinearSolution, inference
from benchlearn.linear.inference import f_test_from_sums, nested_f_test

RTOL = 1e-10


@pytest.fixture(scope="module")
def diabetes() -> tuple[pd.DataFrame, pd.Series]:
    data = load_diabetes(as_frame=True, scaled=False)
    return data.data, data.target


@pytest.fixture(scope="module", params=["unweighted", "weighted"])
def fits(request, diabetes):
    X, y = diabetes
    if request.param == "unweighted":
        weights = None
        reference = sm.OLS(y, sm.add_constant(X)).fit()
    else:
        weights = 1.0 / X["bmi"].to_numpy() ** 2
        reference = sm.WLS(y, sm.add_constant(X), weights=weights).fit()
    ours = LinearRegression().fit(X, y, sample_weight=weights)
    return ours, reference, weights


def test_conf_int_at_99_percent_equals_statsmodels(fits):
    ours, reference, _ = fits
    table = ours.conf_int(0.99)
    expected = reference.conf_int(alpha=0.01)
    assert list(table.columns) == ["lower", "upper"]
    assert list(table.index) == ["intercept", *reference.params.index[1:]]
    np.testing.assert_allclose(table["lower"], expected[0], rtol=RTOL)
    np.testing.assert_allclose(table["upper"], expected[1], rtol=RTOL)


def test_conf_int_at_95_percent_is_the_params_table_interval(fits):
    ours, _, _ = fits
    np.testing.assert_array_equal(ours.conf_int()["lower"], ours.params_["ci_lower"])


def test_cov_params_equals_statsmodels(fits):
    ours, reference, _ = fits
    cov = ours.cov_params()
    np.testing.assert_allclose(cov.to_numpy(), reference.cov_params().to_numpy(), rtol=RTOL)
    assert list(cov.columns) == list(ours.params_.index)


def test_unscaled_cov_params_is_statsmodels_normalized_covariance(fits):
    ours, reference, _ = fits
    np.testing.assert_allclose(
        ours.cov_params(scale=1.0).to_numpy(), reference.normalized_cov_params, rtol=RTOL
    )


@pytest.mark.parametrize("kind", ["confidence", "prediction"])
def test_predict_interval_standard_errors_equal_statsmodels(fits, diabetes, kind):
    ours, reference, weights = fits
    X, _ = diabetes
    new = X.iloc[5:12]
    new_weights = None if weights is None else weights[5:12]
    frame = reference.get_prediction(
        sm.add_constant(new, has_constant="add"), weights=new_weights
    ).summary_frame(alpha=0.01)
    table = ours.predict_interval(new, kind=kind, level=0.99, sample_weight=new_weights)
    assert list(table.columns) == ["mean", "se", "lower", "upper"]
    if kind == "confidence":
        np.testing.assert_allclose(table["se"], frame["mean_se"], rtol=RTOL)
        np.testing.assert_allclose(table["lower"], frame["mean_ci_lower"], rtol=RTOL)
    else:
        scale = reference.scale / (1.0 if new_weights is None else new_weights)
        np.testing.assert_allclose(table["se"], np.sqrt(frame["mean_se"] ** 2 + scale), rtol=RTOL)
        np.testing.assert_allclose(table["upper"], frame["obs_ci_upper"], rtol=RTOL)


def test_leverage_of_the_fitted_rows_equals_statsmodels_hat_values(fits, diabetes):
    ours, reference, weights = fits
    X, _ = diabetes
    design = sm.add_constant(X).to_numpy()
    w = np.ones(len(X)) if weights is None else weights
    hat = w * np.einsum("ij,jk,ik->i", design, reference.normalized_cov_params, design)
    np.testing.assert_allclose(ours.leverage(X, sample_weight=weights), hat, rtol=1e-9)


def test_nested_f_test_equals_statsmodels_compare_f_test(diabetes):
    X, y = diabetes
    small_columns = ["age", "sex", "bmi", "bp"]
    small = LinearRegression().fit(X[small_columns], y)
    big = LinearRegression().fit(X, y)
    ref_small = sm.OLS(y, sm.add_constant(X[small_columns])).fit()
    ref_big = sm.OLS(y, sm.add_constant(X)).fit()
    f, p, df1 = ref_big.compare_f_test(ref_small)
    test = nested_f_test(small, big)
    assert test.f == pytest.approx(f, rel=RTOL)
    assert test.p_value == pytest.approx(p, rel=1e-8)
    assert (test.df1, test.df2) == (int(df1), int(ref_big.df_resid))
    assert nested_f_test(small.solution_, big.solution_) == test


def test_f_test_refuses_models_given_in_the_wrong_order():
    with pytest.raises(UsageError, match="not nested"):
        f_test_from_sums(10.0, 20, 12.0, 25)


def test_polynomial_conf_int_and_cov_params_equal_statsmodels():
    rng = np.random.default_rng(4)
    x = np.linspace(0.5, 8.0, 40)
    y = 0.3 + 1.2 * x - 0.08 * x**2 + rng.normal(0, 0.05, x.size)
    weights = 1.0 / x
    ours = PolynomialRegression(degree=2).fit(x.reshape(-1, 1), y, sample_weight=weights)
    reference = sm.WLS(y, np.column_stack([np.ones_like(x), x, x**2]), weights=weights).fit()
    np.testing.assert_allclose(ours.conf_int(0.99).to_numpy(), reference.conf_int(0.01), rtol=1e-9)
    np.testing.assert_allclose(ours.cov_params().to_numpy(), reference.cov_params(), rtol=1e-9)
    band = ours.predict_interval(np.array([[1.0], [4.0]]), level=0.99)
    frame = reference.get_prediction(np.array([[1, 1.0, 1.0], [1, 4.0, 16.0]])).summary_frame()
    np.testing.assert_allclose(band["se"], frame["mean_se"], rtol=1e-9)


def test_aliased_parameters_have_nan_covariance_and_interval():
    X = np.column_stack([np.arange(10.0), 2 * np.arange(10.0)])
    y = 1 + np.arange(10.0) + np.sin(np.arange(10.0))
    with pytest.warns(UserWarning, match="rank deficient"):
        model = LinearRegression().fit(X, y)
    cov = model.cov_params()
    assert np.isnan(cov.loc["x1"]).all() and np.isnan(cov["x1"]).all()
    assert np.isfinite(cov.loc[["intercept", "x0"], ["intercept", "x0"]]).all().all()
    assert np.isnan(model.conf_int().loc["x1"]).all()


def test_from_solution_gives_the_fit_the_solution_came_from(diabetes):
    X, y = diabetes
    fitted = LinearRegression().fit(X, y)
    rebuilt = LinearRegression.from_solution(fitted.solution_)
    pd.testing.assert_frame_equal(rebuilt.params_, fitted.params_)
    assert list(rebuilt.feature_names_in_) == list(X.columns)
    np.testing.assert_allclose(rebuilt.predict(X.iloc[:3]), fitted.predict(X.iloc[:3]))


def test_from_solution_with_unnamed_columns_takes_arrays():
    solution = LinearSolution(
        coef=np.array([1.0, 2.0]),
        R=np.array([[2.0, 1.0], [0.0, 3.0]]),
        sse=4.0,
        tss=40.0,
        n_samples=12,
        param_names=["intercept", "x0"],
        fit_intercept=True,
        condition_number=2.0,
    )
    model = LinearRegression.from_solution(solution)
    assert not hasattr(model, "feature_names_in_")
    assert model.predict(np.array([[1.0]]))[0] == pytest.approx(3.0)


@pytest.mark.parametrize(
    "make",
    [
        lambda: LinearRegression(False),
        lambda: Ridge(1.0, False),
        lambda: PolynomialRegression(2, False),
    ],
)
def test_estimator_options_are_keyword_only_as_in_scikit_learn(make):
    with pytest.raises(TypeError):
        make()


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("model", [LinearRegression(), PolynomialRegression(degree=2)])
def test_predict_and_leverage_in_row_blocks_equal_the_whole_design_at_once(
    model, weighted, monkeypatch
):
    rng = np.random.default_rng(19)
    X = rng.normal(size=(53, 1 if isinstance(model, PolynomialRegression) else 3))
    y = X.sum(axis=1) + rng.normal(size=53)
    weights = rng.uniform(0.5, 2.0, size=53) if weighted else None
    model.fit(X, y, sample_weight=weights)
    D = model.design_matrix(X)
    expected_fit = D @ model.solution_.coef
    scaled = D if weights is None else D * np.sqrt(weights)[:, None]
    whole = scaled @ model._inference.R_inverse
    expected_leverage = np.einsum("ij,ij->i", whole, whole)
    # Blocks of 2 rows and a last block of 1 (BLAS may sum a lone row in another order).
    monkeypatch.setattr(inference, "ROW_BLOCK_BYTES", 2 * 8 * D.shape[1])
    assert len(inference.row_blocks(len(X), D.shape[1])) == 27
    leverage = model.leverage(X, sample_weight=weights)
    np.testing.assert_allclose(leverage, expected_leverage, rtol=1e-14, atol=0)
    assert leverage.sum() == pytest.approx(model.rank_)  # the trace of the hat matrix
    if type(model) is LinearRegression:  # PolynomialRegression predicts in its own basis
        np.testing.assert_allclose(model.predict(X), expected_fit, rtol=0, atol=1e-14)
