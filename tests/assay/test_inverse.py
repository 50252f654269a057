"""Inverse prediction by named convention, against Miller & Miller's worked examples."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats

from benchlearn import LinearRegression
from benchlearn.assay.inverse import (
    INTERVAL_METHODS,
    WeightWarning,
    calibration_statistics,
    inverse_prediction,
    inverse_predictions,
    multiple_use_factors,
)
from benchlearn.assay.line import StraightLine, straight_line
from benchlearn.errors import UsageError

# Miller, J. N. & Miller, J. C., Statistics and Chemometrics for Analytical Chemistry
# (5th ed., Pearson 2005), Examples 5.3.1-5.6.1: fluorescence of standard solutions.
# Printed: b = 1.93, a = 1.52, s_y/x = 0.4329, r = 0.9989, s_b = 0.0409, s_a = 0.2950;
# y0 = 2.9, 13.5, 23.0 give x0 = 0.72, 6.21, 11.13 pg/ml with s_x0 = 0.26, 0.24, 0.26;
# 95% limits for x0 = 6.21: 6.21 ± 0.62; with four readings of 13.5, s_x0 = 0.14.
MM_X = np.array([0.0, 2, 4, 6, 8, 10, 12])
MM_Y = np.array([2.1, 5.0, 9.0, 12.6, 17.3, 21.0, 24.7])


@pytest.fixture(scope="module")
def miller():
    return LinearRegression().fit(MM_X.reshape(-1, 1), MM_Y)


def test_calibration_statistics_reproduce_miller_and_miller(miller):
    table = calibration_statistics(miller)
    assert round(table["slope"].value, 2) == 1.93
    assert round(table["intercept"].value, 2) == 1.52
    assert table["residual_sd"].value == pytest.approx(0.4329, abs=6e-5)  # printed rounded
    assert round(table["r"].value, 4) == 0.9989
    assert round(table["slope"].std_error, 4) == 0.0409
    assert table["intercept"].std_error == pytest.approx(0.2950, abs=1e-4)  # from s = 0.4329
    # Method SD s_x0 = s_y/x / b and its relative form s_x0 / x̄ (x̄ = 6).
    assert table["method_sd"].value == pytest.approx(table["residual_sd"].value / 1.930357, 1e-6)
    assert table["relative_method_sd"].value == pytest.approx(table["method_sd"].value / 6)
    assert table["r"].value ** 2 == pytest.approx(table["r2"].value)


def test_every_statistic_names_its_convention_and_formula(miller):
    for key, entry in calibration_statistics(miller).to_dict()["quantities"].items():
        assert entry["convention"] and entry["formula"], key


@pytest.mark.parametrize(
    ("y0", "x0", "s_x0"), [(2.9, 0.72, 0.26), (13.5, 6.21, 0.24), (23.0, 11.13, 0.26)]
)
def test_symmetric_interval_reproduces_miller_and_miller(miller, y0, x0, s_x0):
    result = inverse_prediction(miller, y0, interval="symmetric")
    assert round(result.estimate.value, 2) == x0
    assert round(result.std_error.value, 2) == s_x0
    t = stats.t.ppf(0.975, 5)
    assert result.estimate.upper - result.estimate.value == pytest.approx(
        t * result.std_error.value
    )
    assert result.estimate.convention == INTERVAL_METHODS["symmetric"]["convention"]


def test_symmetric_half_width_is_the_printed_0_62_and_replicates_shrink_s_x0(miller):
    single = inverse_prediction(miller, 13.5, interval="symmetric").estimate
    assert round(single.upper - single.value, 2) == 0.62
    four = inverse_prediction(miller, 13.5, n_replicates=4, interval="symmetric")
    assert round(four.std_error.value, 2) == 0.14


def fieller_by_hand(x, y, y0, m, t):
    """Draper & Smith, Applied Regression Analysis (3rd ed.), §3.2, with g = t²s²/(b²Sxx)."""
    n, xbar = len(x), x.mean()
    sxx = np.sum((x - xbar) ** 2)
    b = np.sum((x - xbar) * (y - y.mean())) / sxx
    a = y.mean() - b * xbar
    s = np.sqrt(np.sum((y - a - b * x) ** 2) / (n - 2))
    x0 = (y0 - a) / b
    g = t**2 * s**2 / (b**2 * sxx)
    centre = xbar + (x0 - xbar) / (1 - g)
    half = t * s / (b * (1 - g)) * np.sqrt((1 - g) * (1 / m + 1 / n) + (x0 - xbar) ** 2 / sxx)
    return centre - abs(half), centre + abs(half)


@pytest.mark.parametrize(("y0", "m"), [(2.9, 1), (13.5, 3), (23.0, 2)])
def test_fieller_interval_equals_the_textbook_formula(miller, y0, m):
    result = inverse_prediction(miller, y0, n_replicates=m, interval="fieller").estimate
    lower, upper = fieller_by_hand(MM_X, MM_Y, y0, m, stats.t.ppf(0.975, 5))
    assert result.lower == pytest.approx(lower, rel=1e-10)
    assert result.upper == pytest.approx(upper, rel=1e-10)


def test_symmetric_approximates_fieller_near_the_centre_but_not_at_the_ends(miller):
    centre = [
        inverse_prediction(miller, 13.5, interval=k).estimate for k in ("symmetric", "fieller")
    ]
    assert centre[0].lower == pytest.approx(centre[1].lower, abs=2e-3)
    end = [inverse_prediction(miller, 2.9, interval=k).estimate for k in ("symmetric", "fieller")]
    assert abs(end[0].lower - end[1].lower) > 0.01


def test_multiple_use_interval_contains_fieller_and_its_ends_lie_on_the_band(miller):
    line = straight_line(miller)
    c_line, c_scatter = multiple_use_factors(line, 0.95, 0.95)
    for y0 in (2.9, 13.5, 23.0):
        multi = inverse_prediction(miller, y0, interval="multiple-use").estimate
        single = inverse_prediction(miller, y0, interval="fieller").estimate
        assert multi.lower < single.lower < single.upper < multi.upper
        for end in (multi.lower, multi.upper):
            half = line.s * (c_line * np.sqrt(line.leverage(end)) + c_scatter)
            assert abs(y0 - line.a - line.b * end) == pytest.approx(half, rel=1e-9)


def test_multiple_use_intervals_cover_the_stated_fraction_with_the_stated_confidence():
    # Lieberman, Miller & Hamilton (1967): with probability ≥ level over calibrations, at
    # least a fraction `coverage` of future readings fall inside the band (so their
    # inverted intervals hold the true x). Checked by simulation, fixed seed.
    rng = np.random.default_rng(20261130)
    x = np.repeat(np.linspace(0, 10, 6), 2)
    future_x = rng.uniform(0, 10, 400)
    good = 0
    D = np.column_stack([np.ones_like(x), x])
    C = np.linalg.inv(D.T @ D)
    for _ in range(300):
        y = 1 + 2 * x + rng.normal(0, 0.5, x.size)
        (a, b), sse = np.linalg.lstsq(D, y, rcond=None)[:2]
        line = StraightLine(
            a, b, float(np.sqrt(sse[0] / (x.size - 2))), x.size - 2, x.size, C, True
        )
        c_line, c_scatter = multiple_use_factors(line, 0.90, 0.90)
        future_y = 1 + 2 * future_x + rng.normal(0, 0.5, future_x.size)
        half = line.s * (c_line * np.sqrt(line.leverage(future_x)) + c_scatter)
        covered = np.mean(np.abs(future_y - line.a - line.b * future_x) <= half)
        good += covered >= 0.90
    assert good / 300 >= 0.90


def test_weighted_fit_without_the_readings_weight_warns_and_says_so():
    x = np.array([1.0, 2, 5, 10, 20, 50])
    y = np.array([1.1, 1.9, 5.2, 9.7, 20.8, 49.0])
    model = LinearRegression().fit(x.reshape(-1, 1), y, sample_weight=1 / x**2)
    with pytest.warns(WeightWarning, match="weight 1 is assumed"):
        assumed = inverse_prediction(model, 5.0)
    assert assumed.weight_source.startswith("assumed 1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ruled = inverse_prediction(model, 5.0, weight_rule="1/x2")
    assert ruled.reading_weight == pytest.approx(1 / ruled.estimate.value**2)
    assert "rule 1/x2" in ruled.weight_source
    assert (
        ruled.estimate.upper - ruled.estimate.lower
        > assumed.estimate.upper - assumed.estimate.lower
    )


def test_unweighted_fit_needs_no_weight_and_does_not_warn(miller):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = inverse_prediction(miller, 13.5)
    assert result.weight_source == "1: unweighted fit"


def test_table_of_several_signals_carries_convention_columns(miller):
    table = inverse_predictions(miller, [2.9, 13.5], interval="symmetric")
    assert list(table["estimate"].round(2)) == [0.72, 6.21]
    assert set(table["convention"]) == {INTERVAL_METHODS["symmetric"]["convention"]}


def test_flat_calibration_gives_an_unbounded_fieller_interval_with_a_note():
    x = np.array([0.0, 1, 2, 3, 4])
    model = LinearRegression().fit(x.reshape(-1, 1), np.array([1.0, 1.3, 0.8, 1.2, 1.1]))
    result = inverse_prediction(model, 1.1).estimate
    assert np.isinf(result.lower) and np.isinf(result.upper)
    assert "unbounded" in result.note


@pytest.mark.parametrize(
    ("options", "match"),
    [({"interval": "wald"}, "not one of"), ({"level": 95}, "between 0 and 1"),
     ({"n_replicates": 0}, "whole number"), ({"weight_rule": "1/z"}, "not one of"),
     ({"reading_weight": -1.0}, "positive")],
)  # fmt: skip
def test_bad_options_are_refused_with_a_message(miller, options, match):
    with pytest.raises(UsageError, match=match):
        inverse_prediction(miller, 13.5, **options)


def test_a_model_with_two_predictors_is_refused():
    X = np.random.default_rng(0).normal(size=(10, 2))
    model = LinearRegression().fit(X, X @ [1.0, 2.0])
    with pytest.raises(UsageError, match="one predictor"):
        inverse_prediction(model, 1.0)


# Miller & Miller (5th ed.), Example 5.10.1: absorbance standards with their SDs, fitted with
# weights 1/s² (normalised to mean 1). Printed: weighted b = 0.0738, a = 0.0091, and test
# samples of absorbance 0.100 and 0.600 read as 1.23 and 8.01 µg/ml (unweighted: 1.20, 8.09).
MM_WX = np.array([0.0, 2, 4, 6, 8, 10])
MM_WY = np.array([0.009, 0.158, 0.301, 0.472, 0.577, 0.739])
MM_WS = np.array([0.001, 0.004, 0.010, 0.013, 0.017, 0.022])


def test_weighted_calibration_reproduces_miller_and_miller_example_5_10_1():
    weights = MM_WS**-2 / np.mean(MM_WS**-2)
    model = LinearRegression().fit(MM_WX.reshape(-1, 1), MM_WY, sample_weight=weights)
    # Weights with mean 1 look unweighted to the line alone, so the fit is declared weighted.
    table = calibration_statistics(model, weighted=True)
    assert round(table["slope"].value, 4) == 0.0738
    assert round(table["intercept"].value, 4) == 0.0091
    estimates = [inverse_prediction(model, y0, reading_weight=1.0).estimate.value
                 for y0 in (0.100, 0.600)]  # fmt: skip
    assert [round(v, 2) for v in estimates] == [1.23, 8.01]
    unweighted = LinearRegression().fit(MM_WX.reshape(-1, 1), MM_WY)
    assert [round(inverse_prediction(unweighted, y0).estimate.value, 2)
            for y0 in (0.100, 0.600)] == [1.20, 8.09]  # fmt: skip
    assert table.notes and "weight 1" in table.notes[0]
    with pytest.warns(WeightWarning):
        inverse_prediction(model, 0.1, weighted=True)


def test_weighted_s_x0_equals_the_formula_from_statsmodels_wls():
    import statsmodels.api as sm

    weights = MM_WS**-2 / np.mean(MM_WS**-2)
    model = LinearRegression().fit(MM_WX.reshape(-1, 1), MM_WY, sample_weight=weights)
    ref = sm.WLS(MM_WY, sm.add_constant(MM_WX), weights=weights).fit()
    a, b = ref.params
    s = np.sqrt(ref.scale)
    xw = np.sum(weights * MM_WX) / weights.sum()
    sxx = np.sum(weights * (MM_WX - xw) ** 2)
    for y0, w0 in ((0.100, 2.0), (0.600, 0.02)):
        expected = s / b * np.sqrt(1 / w0 + 1 / weights.sum()
                                   + (y0 - (a + b * xw)) ** 2 / (b**2 * sxx))  # fmt: skip
        result = inverse_prediction(model, y0, reading_weight=w0, interval="symmetric")
        assert result.std_error.value == pytest.approx(expected, rel=1e-10)
        assert result.weight_source == "given"


def test_standards_at_one_concentration_are_refused():
    x = np.array([2.0, 2.0, 2.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LinearRegression().fit(x.reshape(-1, 1), np.array([1.0, 1.1, 0.9, 1.05]))
    with pytest.raises(UsageError, match="two different concentrations"):
        calibration_statistics(model)
