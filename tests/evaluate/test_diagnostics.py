import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.datasets import load_diabetes
from statsmodels.stats.outliers_influence import OLSInfluence

from benchlearn import LinearRegression, PolynomialRegression
from benchlearn.evaluate import residual_diagnostics


@pytest.fixture(scope="module")
def diabetes():
    data = load_diabetes(as_frame=True, scaled=False)
    return data.data, data.target


def test_diagnostics_equal_statsmodels_influence(diabetes):
    X, y = diabetes
    table = residual_diagnostics(LinearRegression().fit(X, y), X, y)
    reference = OLSInfluence(sm.OLS(y, sm.add_constant(X)).fit())
    np.testing.assert_allclose(table["leverage"], reference.hat_matrix_diag, rtol=1e-10)
    np.testing.assert_allclose(
        table["standardized_residual"], reference.resid_studentized_internal, rtol=1e-10
    )
    np.testing.assert_allclose(
        table["studentized_residual"], reference.resid_studentized_external, rtol=1e-10
    )
    np.testing.assert_allclose(table["cooks_distance"], reference.cooks_distance[0], rtol=1e-10)


def test_weighted_leverage_equals_statsmodels_wls(diabetes):
    X, y = diabetes
    w = np.linspace(0.5, 1.5, len(y))
    table = residual_diagnostics(LinearRegression().fit(X, y, sample_weight=w), X, y,
                                 sample_weight=w)  # fmt: skip
    # Textbook hat matrix of weighted least squares: W^½ X (XᵀWX)⁻¹ XᵀW^½.
    Xw = sm.add_constant(X).to_numpy() * np.sqrt(w)[:, None]
    hat = np.einsum("ij,ji->i", Xw, np.linalg.solve(Xw.T @ Xw, Xw.T))
    np.testing.assert_allclose(table["leverage"], hat, rtol=1e-10)


def test_a_gross_outlier_is_flagged_by_its_row_label():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"conc": np.linspace(0, 2, 20)}, index=range(2, 22))
    y = 0.05 + 0.6 * X["conc"] + rng.normal(0, 0.01, 20)
    y.loc[9] += 0.5
    table = residual_diagnostics(LinearRegression().fit(X, y), X, y)
    assert table.index[table["outlier"]].tolist() == [9]


def test_works_for_polynomials(diabetes):
    X, y = diabetes
    model = PolynomialRegression(degree=2).fit(X[["bmi"]], y)
    table = residual_diagnostics(model, X[["bmi"]], y)
    raw = np.column_stack([np.ones(len(y)), X["bmi"], X["bmi"] ** 2])
    reference = OLSInfluence(sm.OLS(y, raw).fit())
    np.testing.assert_allclose(table["cooks_distance"], reference.cooks_distance[0], rtol=1e-8)


def test_rows_worth_looking_at_are_the_most_influential_flagged_rows_at_most_limit():
    from benchlearn.evaluate.diagnostics import rows_worth_looking_at

    rng = np.random.default_rng(3)
    n = 50_000
    X = pd.DataFrame({"conc": rng.uniform(0, 10, n)}, index=np.arange(2, n + 2))
    y = 1 + 0.5 * X["conc"] + rng.normal(0, 1, n)
    y.iloc[[10, 20]] += [40.0, -30.0]
    table = residual_diagnostics(LinearRegression().fit(X, y), X, y)
    flagged = table[table["outlier"] | table["influential"]]
    assert len(flagged) > 1000  # the 4/n rule flags many rows of a big fit
    chosen = rows_worth_looking_at(table, limit=20)
    assert len(chosen) == 20 and set(chosen.index[:2]) == {12, 22}
    assert chosen["cooks_distance"].is_monotonic_decreasing
    assert chosen["cooks_distance"].min() >= flagged["cooks_distance"].nlargest(20).min()
