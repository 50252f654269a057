"""Lack-of-fit F-test and runs test: hand computations, statsmodels anova_lm and runstest_1samp."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.formula.api import ols, wls
from statsmodels.sandbox.stats.runs import runstest_1samp
from statsmodels.stats.anova import anova_lm

from benchlearn import LinearRegression, PolynomialRegression
from benchlearn.errors import DataError
from benchlearn.evaluate import lack_of_fit_test, runs_test
from benchlearn.evaluate.lack_of_fit import replicate_levels, residuals_in_x_order
from benchlearn.report.shape_checks import lack_of_fit_sentence, runs_sentence


def replicated(seed=0, curve=0.0, levels=(0.5, 1, 2, 4, 6, 8), reps=3):
    rng = np.random.default_rng(seed)
    x = np.repeat(np.asarray(levels, float), reps)
    y = 0.2 + 0.5 * x + curve * x**2 + rng.normal(0, 0.1, x.size)
    return pd.DataFrame({"conc": x, "signal": y})


def test_lack_of_fit_equals_the_hand_computation():
    # Line: slope Sxy/Sxx = 4.4/4 = 1.1, intercept 14.9/6 - 2.2; level means 1.1, 3.05, 3.3 lie
    # -17/60, 34/60, -17/60 from it, so SS_lof = 2 * 1734/3600 = 289/300 on 3 - 2 = 1 df.
    # Pure error: 0.1² * 2 + 0.05² * 2 + 0.1² * 2 = 0.045 on 6 - 3 = 3 df. F = (289/300)/0.015.
    x = np.array([[1.0], [1.0], [2.0], [2.0], [3.0], [3.0]])
    y = np.array([1.0, 1.2, 3.0, 3.1, 3.2, 3.4])
    result = lack_of_fit_test(LinearRegression().fit(x, y), x, y)
    assert result.ss_pure_error == pytest.approx(0.045, rel=1e-12)
    assert result.ss_lack_of_fit == pytest.approx(289 / 300, rel=1e-12)
    assert result.f == pytest.approx(578 / 9, rel=1e-12)
    assert (result.df1, result.df2, result.n_levels, result.n_params) == (1, 3, 3, 2)
    assert result.p_value == pytest.approx(stats.f.sf(578 / 9, 1, 3), rel=1e-12)


@pytest.mark.parametrize("curve", [0.0, 0.03])
def test_lack_of_fit_of_a_line_equals_anova_lm_against_x_as_a_factor(curve):
    frame = replicated(curve=curve)
    model = LinearRegression().fit(frame[["conc"]], frame["signal"])
    ours = lack_of_fit_test(model, frame[["conc"]], frame["signal"])
    table = anova_lm(ols("signal ~ conc", frame).fit(), ols("signal ~ C(conc)", frame).fit())
    assert ours.f == pytest.approx(table.loc[1, "F"], rel=1e-10)
    assert (ours.df1, ours.df2) == (table.loc[1, "df_diff"], table.loc[1, "df_resid"])
    assert ours.p_value == pytest.approx(table.loc[1, "Pr(>F)"], rel=1e-9)
    assert ours.ss_pure_error == pytest.approx(table.loc[1, "ssr"], rel=1e-10)


def test_curvature_is_detected_by_lack_of_fit_of_a_line_but_not_of_a_quadratic():
    frame = replicated(curve=0.05, seed=2)
    X, y = frame[["conc"]], frame["signal"]
    line = lack_of_fit_test(LinearRegression().fit(X, y), X, y)
    quadratic = lack_of_fit_test(PolynomialRegression(degree=2).fit(X, y), X, y)
    table = anova_lm(
        ols("signal ~ conc + I(conc**2)", frame).fit(), ols("signal ~ C(conc)", frame).fit()
    )
    assert quadratic.f == pytest.approx(table.loc[1, "F"], rel=1e-9)
    assert quadratic.df1 == 6 - 3
    assert line.p_value < 0.001 < quadratic.p_value
    assert "misses a real pattern" in lack_of_fit_sentence(line)


def test_weighted_lack_of_fit_equals_anova_lm_of_weighted_fits():
    frame = replicated(seed=5, curve=0.01)
    w = 1.0 / frame["conc"] ** 2
    model = LinearRegression().fit(frame[["conc"]], frame["signal"], sample_weight=w)
    ours = lack_of_fit_test(model, frame[["conc"]], frame["signal"], sample_weight=w)
    small = wls("signal ~ conc", frame, weights=w).fit()
    big = wls("signal ~ C(conc)", frame, weights=w).fit()
    table = anova_lm(small, big)
    assert ours.f == pytest.approx(table.loc[1, "F"], rel=1e-10)
    assert ours.p_value == pytest.approx(table.loc[1, "Pr(>F)"], rel=1e-9)


def test_rows_of_zero_weight_are_left_out_as_in_the_fit():
    frame = replicated(seed=6)
    w = np.ones(len(frame))
    w[:3] = 0.0  # the whole lowest level
    model = LinearRegression().fit(frame[["conc"]], frame["signal"], sample_weight=w)
    ours = lack_of_fit_test(model, frame[["conc"]], frame["signal"], sample_weight=w)
    kept = frame.iloc[3:]
    table = anova_lm(ols("signal ~ conc", kept).fit(), ols("signal ~ C(conc)", kept).fit())
    assert ours.f == pytest.approx(table.loc[1, "F"], rel=1e-10)
    assert (ours.n_samples, ours.n_levels) == (15, 5)


def test_lack_of_fit_without_replicates_is_a_clear_data_error():
    x = np.arange(6.0)[:, None]
    y = np.array([0.1, 1.2, 1.9, 3.2, 3.9, 5.1])
    with pytest.raises(DataError, match="measured once, so there is no replicate scatter"):
        lack_of_fit_test(LinearRegression().fit(x, y), x, y)


def test_lack_of_fit_with_no_more_levels_than_parameters_is_refused():
    x = np.array([[1.0], [1.0], [2.0], [2.0]])
    y = np.array([1.0, 1.1, 2.0, 2.2])
    with pytest.raises(DataError, match="2 distinct x settings for a model of 2 parameters"):
        lack_of_fit_test(LinearRegression().fit(x, y), x, y)


def brute_force_runs_pvalue(n_pos, n_neg, observed):
    """Two-sided p by listing every order of the signs (each equally likely)."""
    counts = []
    n = n_pos + n_neg
    for positives in itertools.combinations(range(n), n_pos):
        signs = np.full(n, -1)
        signs[list(positives)] = 1
        counts.append(1 + int(np.sum(signs[1:] != signs[:-1])))
    counts = np.array(counts)
    return min(1.0, 2 * min(np.mean(counts <= observed), np.mean(counts >= observed)))


@pytest.mark.parametrize(
    "signs",
    [
        [1, 1, 1, 1, -1, -1, -1, -1, -1, 1, 1],  # 3 runs: too few
        [1, -1, 1, -1, 1, -1, 1, -1, 1, -1, -1],  # 10 runs: too many
        [1, 1, -1, 1, -1, -1, 1, -1, -1, 1, 1, -1],
    ],
)
def test_exact_runs_pvalue_equals_listing_every_order(signs):
    residuals = np.array(signs) * np.linspace(0.1, 1.0, len(signs))
    result = runs_test(residuals)
    n_pos, n_neg = signs.count(1), signs.count(-1)
    expected_runs = 1 + sum(a != b for a, b in itertools.pairwise(signs))
    assert (result.n_runs, result.n_positive, result.n_negative) == (expected_runs, n_pos, n_neg)
    assert result.method == "exact"
    assert result.p_value == pytest.approx(
        brute_force_runs_pvalue(n_pos, n_neg, expected_runs), rel=1e-12
    )
    assert result.expected == pytest.approx(1 + 2 * n_pos * n_neg / (n_pos + n_neg), rel=1e-15)


@pytest.mark.parametrize("n", [20, 80, 300])
def test_runs_z_equals_statsmodels_runstest_without_correction(n):
    residuals = np.random.default_rng(n).normal(size=n)
    z, p = runstest_1samp(residuals, cutoff=0, correction=False)
    result = runs_test(residuals)
    assert result.z == pytest.approx(z, rel=1e-12)
    if result.method == "normal":
        assert result.p_value == pytest.approx(p, rel=1e-10)
    assert result.method == ("exact" if n <= 50 else "normal")


def test_zero_residuals_are_dropped_and_counted():
    result = runs_test([0.5, 0.0, -0.2, 0.0, 0.3, 0.1])
    assert (result.n_runs, result.n_zero, result.n_positive, result.n_negative) == (3, 2, 3, 1)


def test_residuals_of_one_sign_are_a_data_error():
    with pytest.raises(DataError, match="all have the same sign"):
        runs_test([0.1, 0.0, 0.3])


def test_a_line_through_curved_data_leaves_too_few_runs():
    x = np.linspace(0, 10, 30)
    y = 0.1 * x**2 + np.random.default_rng(1).normal(0, 0.2, x.size)
    frame = pd.DataFrame({"x": x[::-1], "y": y[::-1]})  # file order is not x order
    model = LinearRegression().fit(frame[["x"]], frame["y"])
    ordered = residuals_in_x_order(model, frame[["x"]], frame["y"])
    np.testing.assert_allclose(ordered, (y - model.predict(pd.DataFrame({"x": x}))), rtol=1e-12)
    result = runs_test(ordered)
    assert result.n_runs < result.expected and result.p_value < 0.001
    assert "long stretches" in runs_sentence(result)
    assert math.isfinite(result.to_dict()["z"])


def test_replicate_levels_group_the_rows_numpy_unique_groups():
    rng = np.random.default_rng(19)
    # Few values per column, so that rows tie in some columns and not others; -0.0 is 0.0.
    design = rng.choice([-1.5, -0.0, 0.0, 2.0], size=(400, 3))
    design[::7, 2] = 1e300  # huge values must not overflow the numbering
    level, m = replicate_levels(design)
    _, unique_level = np.unique(design, axis=0, return_inverse=True)
    assert m == int(unique_level.max()) + 1 < 400
    # The same partition: each of our levels is exactly one of numpy's.
    pairs = np.unique(np.column_stack([level, unique_level.ravel()]), axis=0)
    assert len(pairs) == m
    assert level.min() == 0 and level.max() == m - 1


def test_rows_equal_in_every_column_but_one_are_different_levels():
    design = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 4.0], [1.0, 2.0, 3.0], [0.0, 2.0, 3.0]])
    level, m = replicate_levels(design)
    assert level.tolist() == [0, 1, 0, 2] and m == 3


def test_rows_distinct_in_the_first_column_stay_distinct_whatever_the_others():
    design = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    level, m = replicate_levels(design)
    assert level.tolist() == [0, 1, 2] and m == 3
