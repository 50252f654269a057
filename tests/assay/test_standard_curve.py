"""Standard-curve maths against textbook formulas computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from benchlearn import LinearRegression, PolynomialRegression
from benchlearn.assay.detection import detection_limits
from benchlearn.assay.qpcr import amplification
from benchlearn.assay.standard_curve import (
    inverse_predict,
    linear_range,
    slope_test,
    turning_points,
)
from benchlearn.data import simulate_protein_assay, simulate_qpcr_standard_curve
from benchlearn.errors import UsageError
from benchlearn.linear.weighting import weight_at, weights_by
from benchlearn.report.assay_wording import (
    detection_quantity_notes,
    slope_test_conclusion,
    unknown_note,
)


def fieller_by_hand(x, y, y0, m, level=0.95, multiplier=None):
    """Calibration interval as printed in Draper & Smith, Applied Regression Analysis, §3.2.

    ``multiplier`` replaces the t quantile (e.g. by the Working-Hotelling one).
    """
    n = len(x)
    xbar = x.mean()
    sxx = np.sum((x - xbar) ** 2)
    b = np.sum((x - xbar) * (y - y.mean())) / sxx
    a = y.mean() - b * xbar
    s = np.sqrt(np.sum((y - a - b * x) ** 2) / (n - 2))
    t = stats.t.ppf(0.5 + level / 2, n - 2) if multiplier is None else multiplier
    x0 = (y0 - a) / b
    g = t**2 * s**2 / (b**2 * sxx)
    centre = xbar + (x0 - xbar) / (1 - g)
    half = t * s / (b * (1 - g)) * np.sqrt((1 - g) * (1 / m + 1 / n) + (x0 - xbar) ** 2 / sxx)
    return x0, centre - abs(half), centre + abs(half)


@pytest.fixture(scope="module")
def standards():
    data = simulate_protein_assay(random_state=5)
    frame = data.frame[data.frame["bsa_ug_per_ml"] <= 1000]
    return frame["bsa_ug_per_ml"].to_numpy(), frame["a562"].to_numpy()


@pytest.mark.parametrize(("y0", "m"), [(0.45, 1), (0.9, 3), (0.15, 2)])
def test_inverse_prediction_equals_fieller_by_hand(standards, y0, m):
    x, y = standards
    model = LinearRegression().fit(x.reshape(-1, 1), y)
    row = inverse_predict(model, y0, n_replicates=m, calibrated_range=(0, 1000)).iloc[0]
    estimate, lower, upper = fieller_by_hand(x, y, y0, m)
    assert row["estimate"] == pytest.approx(estimate, rel=1e-10)
    assert row["lower"] == pytest.approx(lower, rel=1e-9)
    assert row["upper"] == pytest.approx(upper, rel=1e-9)
    assert row["in_range"]


def test_signal_beyond_the_standards_is_flagged_not_silently_extrapolated(standards):
    x, y = standards
    model = LinearRegression().fit(x.reshape(-1, 1), y)
    row = inverse_predict(model, 2.5, calibrated_range=(0, 1000)).iloc[0]
    assert not row["in_range"]
    assert row["issue"] == "extrapolated" and row["interval_issue"] == ""
    assert "outside the calibrated range 0 to 1000" in unknown_note(row, (0, 1000))


def test_flat_curve_gives_an_open_interval_with_a_reason():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 10, 8)
    model = LinearRegression().fit(x.reshape(-1, 1), 1.0 + rng.normal(0, 0.5, 8))
    row = inverse_predict(model, 1.2).iloc[0]
    assert row["lower"] == -np.inf and row["upper"] == np.inf
    assert row["issue"] == "" and row["interval_issue"] == "slope-not-significant"
    assert "not clearly non-zero" in unknown_note(row, (0, 10))
    beyond = inverse_predict(model, 1.2, calibrated_range=(0, 0.5)).iloc[0]
    assert (beyond["issue"], beyond["interval_issue"]) == ("extrapolated",
                                                            "slope-not-significant")  # fmt: skip
    note = unknown_note(beyond, (0, 0.5))
    assert "extrapolated" in note and "not clearly non-zero" in note


def test_non_monotonic_polynomial_returns_every_root_in_range():
    x = np.linspace(-3, 3, 25)
    y = 1.0 - x**2 + np.random.default_rng(1).normal(0, 0.01, x.size)
    model = PolynomialRegression(degree=2).fit(pd.DataFrame({"x": x}), y)
    row = inverse_predict(model, -2.0, calibrated_range=(-3, 3)).iloc[0]
    np.testing.assert_allclose(sorted(row["all_estimates"]), [-np.sqrt(3), np.sqrt(3)], atol=0.02)
    assert row["lower"] < row["estimate"] < row["upper"]


def test_quadratic_interval_contains_points_whose_prediction_band_holds_the_signal():
    data = simulate_protein_assay(random_state=0)
    X, y = data.frame[["bsa_ug_per_ml"]], data.frame["a562"]
    model = PolynomialRegression(degree=2).fit(X, y)
    row = inverse_predict(model, 1.0, calibrated_range=(0, 4000)).iloc[0]
    for x_edge in (row["lower"], row["upper"]):
        band = model.predict_interval(pd.DataFrame({"bsa_ug_per_ml": [x_edge]}), kind="prediction")
        assert min(abs(band["lower"].iloc[0] - 1.0), abs(band["upper"].iloc[0] - 1.0)) < 1e-6


def test_detection_limits_follow_the_stated_ich_formula(standards):
    x, y = standards
    model = LinearRegression().fit(x.reshape(-1, 1), y)
    limits = detection_limits(model)
    assert limits["lod"].value == pytest.approx(3.3 * model.residual_std_ / model.coef_[0])
    assert limits["loq"].value == pytest.approx(10 * model.residual_std_ / model.coef_[0])


def test_qpcr_efficiency_and_its_interval_come_from_the_slope():
    data = simulate_qpcr_standard_curve(random_state=0, efficiency=0.9)
    model = LinearRegression().fit(data.X, data.y)
    efficiency = amplification(model)["efficiency"]
    slope = model.params_.loc["log10_copies"]
    assert efficiency.value == pytest.approx(10 ** (-1 / slope["estimate"]) - 1)
    assert efficiency.lower < 0.9 < efficiency.upper
    # the interval maps the slope's 95% interval (params_) through the formula; steeper, lower
    assert efficiency.lower == pytest.approx(10 ** (-1 / slope["ci_lower"]) - 1, rel=1e-10)
    assert efficiency.upper == pytest.approx(10 ** (-1 / slope["ci_upper"]) - 1, rel=1e-10)
    test = slope_test(model, data.truth["slope"])
    assert test["p_value"] > 0.01


def test_linear_range_stops_where_the_standards_bend():
    data = simulate_protein_assay(random_state=0, replicates=4)
    found = linear_range(data.frame["bsa_ug_per_ml"], data.frame["a562"])
    assert found.high == 4000
    assert 500 <= found.linear_high <= 2000
    assert found.curvature_pvalue < 1e-6
    straight = np.repeat(np.arange(6.0), 3)
    noise = np.random.default_rng(0).normal(0, 0.01, straight.size)
    assert linear_range(straight, 2 * straight + noise).linear_high == 5.0


def test_unknown_inside_the_range_uses_the_t_quantile_and_is_labelled_calibrated(standards):
    x, y = standards
    model = LinearRegression().fit(x.reshape(-1, 1), y)
    row = inverse_predict(model, 0.45, calibrated_range=(0, 1000)).iloc[0]
    assert row["interval_kind"] == "calibrated"
    assert row["multiplier"] == pytest.approx(stats.t.ppf(0.975, len(x) - 2))


@pytest.mark.parametrize("level", [0.95, 0.99])
def test_extrapolated_unknown_gets_the_wider_working_hotelling_interval(standards, level):
    x, y = standards
    model = LinearRegression().fit(x.reshape(-1, 1), y)
    row = inverse_predict(model, 1.6, n_replicates=2, level=level, calibrated_range=(0, 1000))
    row = row.iloc[0]
    # Working-Hotelling: sqrt(2 F(level; 2, n-2)) for a straight line's two parameters.
    q = np.sqrt(2 * stats.f.ppf(level, 2, len(x) - 2))
    estimate, lower, upper = fieller_by_hand(x, y, 1.6, 2, multiplier=q)
    _, t_lower, t_upper = fieller_by_hand(x, y, 1.6, 2, level=level)
    assert not row["in_range"]
    assert row["interval_kind"] == "extrapolated"
    assert row["estimate"] == pytest.approx(estimate, rel=1e-10)
    assert row["lower"] == pytest.approx(lower, rel=1e-9)
    assert row["upper"] == pytest.approx(upper, rel=1e-9)
    assert row["lower"] < t_lower and row["upper"] > t_upper
    assert row["issue"] == "extrapolated"
    assert "Working-Hotelling" in unknown_note(row, (0.0, 1.0))


def test_extrapolated_polynomial_interval_is_wider_than_the_in_range_one():
    data = simulate_protein_assay(random_state=0)
    X, y = data.frame[["bsa_ug_per_ml"]], data.frame["a562"]
    model = PolynomialRegression(degree=2).fit(X, y)
    inside = inverse_predict(model, 1.0, calibrated_range=(0, 4000)).iloc[0]
    outside = inverse_predict(model, 1.0, calibrated_range=(0, 500)).iloc[0]
    assert outside["estimate"] == inside["estimate"]
    assert outside["interval_kind"] == "extrapolated" and inside["interval_kind"] == "calibrated"
    assert outside["lower"] < inside["lower"] and outside["upper"] > inside["upper"]


def test_non_monotonic_quadratic_returns_both_roots_of_the_quadratic_formula():
    rng = np.random.default_rng(1)
    x = np.linspace(-3, 3, 25)
    y = 1.0 - x**2 + 0.3 * x + rng.normal(0, 0.05, x.size)
    c0, c1, c2 = sm.OLS(y, np.column_stack([np.ones_like(x), x, x**2])).fit().params
    y0 = -2.0
    # c2 x² + c1 x + (c0 - y0) = 0 by the quadratic formula.
    disc = np.sqrt(c1**2 - 4 * c2 * (c0 - y0))
    by_hand = sorted([(-c1 - disc) / (2 * c2), (-c1 + disc) / (2 * c2)])
    model = PolynomialRegression(degree=2).fit(pd.DataFrame({"x": x}), y)
    row = inverse_predict(model, y0, calibrated_range=(-3, 3)).iloc[0]
    np.testing.assert_allclose(row["all_estimates"], by_hand, rtol=1e-9)
    assert row["estimate"] == pytest.approx(by_hand[0], rel=1e-9)
    (lo1, hi1), (lo2, hi2) = row["all_intervals"]
    assert lo1 < by_hand[0] < hi1 < lo2 < by_hand[1] < hi2
    assert (row["lower"], row["upper"]) == (lo1, hi1)


def test_signal_reached_only_outside_the_range_still_lists_every_root():
    x = np.linspace(-3, 3, 25)
    y = 1.0 - x**2 + np.random.default_rng(2).normal(0, 0.05, x.size)
    model = PolynomialRegression(degree=2).fit(pd.DataFrame({"x": x}), y)
    row = inverse_predict(model, -15.0, calibrated_range=(-3, 3)).iloc[0]
    c0, c1, c2 = model.params_["estimate"]
    by_hand = np.roots([c2, c1, c0 + 15.0])
    np.testing.assert_allclose(row["all_estimates"], np.sort(by_hand), rtol=1e-9)
    assert row["interval_kind"] == "extrapolated"


def test_detection_limits_equal_the_formula_on_statsmodels_fit(standards):
    x, y = standards
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    sigma, slope = np.sqrt(fit.scale), fit.params[1]
    limits = detection_limits(LinearRegression().fit(x.reshape(-1, 1), y))
    assert limits["sigma"].value == pytest.approx(sigma, rel=1e-10)
    assert limits["lod"].value == pytest.approx(3.3 * sigma / slope, rel=1e-10)
    assert limits["loq"].value == pytest.approx(10 * sigma / slope, rel=1e-10)
    assert "residual SD of the calibration" in limits["lod"].convention
    assert limits["lod"].formula == "LOD = 3.3·σ/S" and limits["loq"].formula == "LOQ = 10·σ/S"


def test_weighted_detection_limits_use_the_sd_of_a_reading_at_the_low_end():
    x, y = weighted_standards()
    w = 1 / x**2
    fit = sm.WLS(y, sm.add_constant(x), weights=w).fit()
    model = LinearRegression().fit(x.reshape(-1, 1), y, sample_weight=w)
    limits = detection_limits(model, reading_weight=1 / x.min() ** 2, weighted=True)
    sigma_low = np.sqrt(fit.scale) * x.min()
    assert limits["lod"].value == pytest.approx(3.3 * sigma_low / fit.params[1], rel=1e-9)
    assert limits.details["sigma_source"] == "low-end-reading"
    assert limits.details["reading_weight"] == pytest.approx(1 / x.min() ** 2)
    assert "σ/√w" in detection_quantity_notes(limits)["sigma"]
    with pytest.raises(UsageError, match="unweighted"):  # the other conventions refuse it
        detection_limits(model, "din32645", reading_weight=1 / x.min() ** 2, weighted=True)


def method_comparison(slope):
    rng = np.random.default_rng(3)
    reference = np.linspace(1, 20, 15)
    return reference, 0.1 + slope * reference + rng.normal(0, 0.3, reference.size)


@pytest.mark.parametrize(("true_slope", "differs"), [(1.0, False), (1.15, True)])
def test_slope_test_equals_statsmodels_t_test(true_slope, differs):
    x, y = method_comparison(true_slope)
    fit = sm.OLS(y, sm.add_constant(pd.DataFrame({"reference": x}))).fit()
    reference = fit.t_test("reference = 1")
    model = LinearRegression().fit(pd.DataFrame({"reference": x}), y)
    result = slope_test(model, 1.0, level=0.9)
    assert result["t"] == pytest.approx(float(reference.tvalue.item()), rel=1e-10)
    assert result["p_value"] == pytest.approx(float(reference.pvalue), rel=1e-8)
    assert result["df"] == fit.df_resid
    lower, upper = fit.conf_int(alpha=0.1).loc["reference"]
    assert (result["ci_lower"], result["ci_upper"]) == pytest.approx((lower, upper), rel=1e-10)
    assert (result["p_value"] < 0.1) is differs
    assert result["decision"] == ("differs" if differs else "no-evidence")
    expected = "differs from 1" if differs else "No evidence that the slope differs from 1"
    assert expected in slope_test_conclusion(result)


def weighted_standards():
    rng = np.random.default_rng(4)
    x = np.repeat([5.0, 10, 25, 50, 100, 200], 3)
    return x, 0.01 + 0.002 * x * (1 + 0.05 * rng.standard_normal(x.size))


def replicate_weight_by_hand(x, y, x0):
    """1/variance of the replicates at each level, interpolated linearly at x0."""
    levels = np.unique(x)
    inverse_variance = [1 / np.var(y[x == level], ddof=1) for level in levels]
    return np.interp(x0, levels, inverse_variance)


@pytest.mark.parametrize(
    ("rule", "w0_by_hand"),
    [
        ("1/x2", lambda x, y, x0, y0: 1 / x0**2),
        ("1/y", lambda x, y, x0, y0: 1 / y0),
        ("replicates", lambda x, y, x0, y0: replicate_weight_by_hand(x, y, x0)),
    ],
)
def test_weighted_inverse_prediction_uses_the_weight_of_the_unknowns_reading(rule, w0_by_hand):
    x, y = weighted_standards()
    w = weights_by(rule, x, y)
    fit = sm.WLS(y, sm.add_constant(x), weights=w).fit()
    (a, b), cov, s2 = fit.params, fit.cov_params(), fit.scale
    model = LinearRegression().fit(x.reshape(-1, 1), y, sample_weight=w)
    y0, m = 0.15, 2
    row = inverse_predict(
        model, y0, n_replicates=m, calibrated_range=(5, 200),
        reading_weight=lambda x0, signal: weight_at(rule, x0, signal, x, w),
    ).iloc[0]  # fmt: skip
    x0 = (y0 - a) / b
    w0 = w0_by_hand(x, y, x0, y0)
    t = stats.t.ppf(0.975, fit.df_resid)
    # (y0 - a - b u)² = t² (s²/(m w0) + Var(a) + 2u Cov(a, b) + u² Var(b)): a quadratic in u.
    quadratic = [
        b**2 - t**2 * cov[1, 1],
        -2 * b * (y0 - a) - 2 * t**2 * cov[0, 1],
        (y0 - a) ** 2 - t**2 * (s2 / (m * w0) + cov[0, 0]),
    ]
    lower, upper = np.sort(np.roots(quadratic))
    assert row["reading_weight"] == pytest.approx(w0, rel=1e-10)
    assert row["estimate"] == pytest.approx(x0, rel=1e-10)
    assert row["lower"] == pytest.approx(lower, rel=1e-8)
    assert row["upper"] == pytest.approx(upper, rel=1e-8)
    unweighted_w0 = inverse_predict(model, y0, n_replicates=m).iloc[0]
    assert unweighted_w0["upper"] - unweighted_w0["lower"] != pytest.approx(upper - lower)


def test_turning_points_are_where_the_derivative_of_the_fitted_cubic_vanishes():
    rng = np.random.default_rng(5)
    x = np.linspace(-2, 3, 30)
    y = x**3 - 1.5 * x**2 - 2 * x + rng.normal(0, 0.05, x.size)
    c = sm.OLS(y, np.column_stack([x**k for k in range(4)])).fit().params
    # d/dx = c1 + 2 c2 x + 3 c3 x²: the quadratic formula gives its two zeros.
    disc = np.sqrt(4 * c[2] ** 2 - 12 * c[3] * c[1])
    by_hand = sorted([(-2 * c[2] - disc) / (6 * c[3]), (-2 * c[2] + disc) / (6 * c[3])])
    model = PolynomialRegression(degree=3).fit(x.reshape(-1, 1), y)
    assert turning_points(model, -2, 3) == pytest.approx(by_hand, rel=1e-9)
    assert turning_points(model, by_hand[0] + 0.01, 3) == pytest.approx(by_hand[1:], rel=1e-9)
    line = LinearRegression().fit(x.reshape(-1, 1), y)
    assert turning_points(line) == []


def test_each_root_of_a_weighted_curve_gets_the_weight_of_a_reading_there():
    rng = np.random.default_rng(6)
    x = np.repeat(np.arange(10.0, 101, 10), 2)
    y = (0.05 + 0.04 * x - 0.0003 * x**2) * (1 + 0.03 * rng.standard_normal(x.size))
    model = PolynomialRegression(degree=2).fit(x.reshape(-1, 1), y, sample_weight=1 / x**2)
    row = inverse_predict(
        model, 1.2, calibrated_range=(10, 100), reading_weight=lambda x0, y0: 1 / x0**2
    ).iloc[0]
    assert len(row["all_estimates"]) == 2
    for k, root in enumerate(row["all_estimates"]):
        fixed = inverse_predict(model, 1.2, calibrated_range=(10, 100), reading_weight=1 / root**2)
        np.testing.assert_allclose(row["all_intervals"][k], fixed.iloc[0]["all_intervals"][k])
    assert row["reading_weight"] == pytest.approx(1 / row["estimate"] ** 2)


def quadratic_inverse_interval_by_hand(x, y, y0, m, multiplier_of_dof, estimate):
    """Ends of { u : (y0 - f(u))² <= q² (s²/m + d(u)ᵀ Cov d(u)) }, d(u) = (1, u, u²).

    Both sides are polynomials in u, so the ends are the real roots of a quartic built from
    statsmodels' estimates and covariance: the nearest one on each side of the estimate.
    """
    fit = sm.OLS(y, np.column_stack([np.ones_like(x), x, x**2])).fit()
    c, cov, s2 = fit.params, fit.cov_params(), fit.scale
    q = multiplier_of_dof(fit.df_resid)
    P = np.polynomial.Polynomial
    g = P([y0 - c[0], -c[1], -c[2]])
    variance = P(
        [sum(cov[i, j] for i in range(3) for j in range(3) if i + j == k) for k in range(5)]
    )
    roots = (g**2 - q**2 * (variance + s2 / m)).roots()
    real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
    return real[real < estimate].max(), real[real > estimate].min()


@pytest.mark.parametrize(("y0", "m", "calibrated"), [(1.0, 1, (0, 4000)), (0.6, 3, (0, 4000)),
                                                      (1.0, 2, (0, 500))])  # fmt: skip
def test_quadratic_inverse_interval_equals_the_quartic_roots_by_hand(y0, m, calibrated):
    data = simulate_protein_assay(random_state=0)
    x, y = data.frame["bsa_ug_per_ml"].to_numpy(), data.frame["a562"].to_numpy()
    model = PolynomialRegression(degree=2).fit(x.reshape(-1, 1), y)
    row = inverse_predict(model, y0, n_replicates=m, calibrated_range=calibrated).iloc[0]
    if row["in_range"]:
        multiplier = lambda df: stats.t.ppf(0.975, df)  # noqa: E731
    else:  # Working-Hotelling for the three parameters of a quadratic
        multiplier = lambda df: np.sqrt(3 * stats.f.ppf(0.95, 3, df))  # noqa: E731
    lower, upper = quadratic_inverse_interval_by_hand(x, y, y0, m, multiplier, row["estimate"])
    assert row["lower"] == pytest.approx(lower, rel=1e-8)
    assert row["upper"] == pytest.approx(upper, rel=1e-8)


@pytest.mark.parametrize("interval", ["fieller", "symmetric", "multiple-use"])
def test_inverse_predict_takes_each_interval_and_s_x0_from_inverse_prediction(standards, interval):
    from benchlearn.assay.inverse import INTERVAL_METHODS, inverse_prediction

    x, y = standards
    model = LinearRegression().fit(x.reshape(-1, 1), y)
    row = inverse_predict(model, 0.9, n_replicates=3, calibrated_range=(0, 1000),
                          interval=interval, level=0.9).iloc[0]  # fmt: skip
    one = inverse_prediction(model, 0.9, n_replicates=3, interval=interval, level=0.9)
    assert row["estimate"] == pytest.approx(one.estimate.value, rel=1e-12)
    assert row["lower"] == pytest.approx(one.estimate.lower, rel=1e-9)
    assert row["upper"] == pytest.approx(one.estimate.upper, rel=1e-9)
    assert row["s_x0"] == pytest.approx(one.std_error.value, rel=1e-12)
    assert row["convention"] == INTERVAL_METHODS[interval]["convention"]


def test_extrapolated_rows_keep_the_working_hotelling_interval_whatever_the_convention(standards):
    x, y = standards
    model = LinearRegression().fit(x.reshape(-1, 1), y)
    rows = [inverse_predict(model, 1.2, calibrated_range=(0, 500), interval=name).iloc[0]
            for name in ("fieller", "symmetric")]  # fmt: skip
    assert rows[0]["lower"] == rows[1]["lower"] and rows[0]["upper"] == rows[1]["upper"]
    assert "Working-Hotelling" in rows[1]["convention"]


def test_a_curve_refuses_the_straight_line_conventions():
    x = np.linspace(0, 4, 9)
    model = PolynomialRegression(degree=2).fit(x.reshape(-1, 1), 1 + 2 * x - 0.1 * x**2 + 0.01)
    with pytest.raises(UsageError, match="straight line"):
        inverse_predict(model, 3.0, interval="symmetric")
    with pytest.raises(UsageError, match="not one of"):
        inverse_predict(model, 3.0, interval="wald")
