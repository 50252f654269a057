"""Shape checks of a fitted table: what is tested, in which order, and when one is not computed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from patsy import dmatrix
from statsmodels.formula.api import ols
from statsmodels.stats.anova import anova_lm

from benchlearn import LinearRegression
from benchlearn.analysis.shape_checks import group_shape_checks, shape_checks
from benchlearn.linear.compare import separate_lines_design
from benchlearn.report.shape_checks import check_sentences


def count_runs(values):
    signs = np.sign(np.asarray(values))
    signs = signs[signs != 0]
    return 1 + int(np.sum(signs[1:] != signs[:-1]))


@pytest.fixture(scope="module")
def plates():
    rng = np.random.default_rng(4)
    x = np.tile(np.repeat([1.0, 2.0, 4.0, 8.0], 2), 3)
    plate = np.repeat(["P1", "P2", "P3"], 8)
    y = 0.2 + np.repeat([1.0, 1.1, 0.9], 8) * x + 0.02 * x**2 + rng.normal(0, 0.1, x.size)
    return pd.DataFrame({"conc": x, "signal": y, "plate": plate})


def test_replicates_are_averaged_before_counting_runs_in_x_order():
    x = np.repeat([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2)
    y = 0.3 * x**2 + np.random.default_rng(1).normal(0, 0.2, x.size)
    frame = pd.DataFrame({"x": x[::-1], "y": y[::-1]})
    model = LinearRegression().fit(frame[["x"]], frame["y"])
    result = shape_checks(model, frame[["x"]], frame["y"], settings=frame[["x"]])
    checks = result.to_dict()
    ref = sm.OLS(frame["y"], sm.add_constant(frame["x"])).fit()
    level_means = ref.resid.groupby(frame["x"]).mean().sort_index()
    assert checks["runs_test"]["n_runs"] == count_runs(level_means)
    assert checks["runs_test"]["order"] == "mean residual of each x setting, in order of x"


def test_several_predictors_read_residuals_in_order_of_the_fitted_value():
    rng = np.random.default_rng(2)
    X = pd.DataFrame(rng.normal(size=(30, 2)), columns=["a", "b"])
    y = 1 + X["a"] - X["b"] + rng.normal(0, 0.5, 30)
    result = shape_checks(LinearRegression().fit(X, y), X, y)
    checks = result.to_dict()
    ref = sm.OLS(y, sm.add_constant(X)).fit()
    ordered = ref.resid.to_numpy()[np.argsort(ref.fittedvalues.to_numpy(), kind="stable")]
    assert checks["runs_test"]["n_runs"] == count_runs(ordered)
    assert checks["lack_of_fit"] == {
        "computed": False,
        "reason": "every one of the 30 x settings was measured once, so there is no replicate "
        "scatter (pure error) to compare the lack of fit with",
    }
    assert check_sentences(result)[0].startswith("Lack-of-fit test not computed: every one")


@pytest.mark.parametrize(
    ("through_origin", "formula"), [(False, "conc * C(plate)"), (True, "conc:C(plate) - 1")]
)
def test_separate_lines_design_spans_the_same_model_as_patsy(plates, through_origin, formula):
    ours = separate_lines_design(plates, "conc", "plate", through_origin).to_numpy()
    theirs = np.asarray(dmatrix(formula, plates))
    if not through_origin:
        ours = np.column_stack([np.ones(len(plates)), ours])
    # Same column space: each design reproduces the other exactly by least squares.
    for a, b in [(ours, theirs), (theirs, ours)]:
        coef = np.linalg.lstsq(a, b, rcond=None)[0]
        np.testing.assert_allclose(a @ coef, b, atol=1e-10)
    assert ours.shape[1] == theirs.shape[1]


def test_group_lack_of_fit_uses_each_plate_and_conc_pair_as_replicates(plates):
    result = group_shape_checks(plates, plates["signal"], "conc", "plate", False, None)
    checks = result.to_dict()
    table = anova_lm(ols("signal ~ conc * C(plate)", plates).fit(),
                     ols("signal ~ C(plate):C(conc)", plates).fit())  # fmt: skip
    lof = checks["lack_of_fit"]
    assert lof["F"] == pytest.approx(table.loc[1, "F"], rel=1e-10)
    assert (lof["df1"], lof["df2"]) == (6, 12)
    assert lof["model"] == "a separate line for each plate"
    assert check_sentences(result)[0] == (
        "Both checks are of the model with a separate line for each plate."
    )
