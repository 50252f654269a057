"""Standard-curve maths against textbook formulas computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from benchlearn import LinearRegression, PolynomialRegression
from benchlearn.data import simulate_protein_assay, simulate_qpcr_standard_curve
from benchlearn.linear.calibration import (
    detection_limits,
    inverse_predict,
    linear_range,
    qpcr_efficiency,
    slope_test,
)


def fieller_by_hand(x, y, y0, m, level=0.95):
    """Calibration interval as printed in Draper & Smith, Applied Regression Analysis, §3.2."""
    n = len(x)
    xbar = x.mean()
    sxx = np.sum((x - xbar) ** 2)
    b = np.sum((x - xbar) * (y - y.mean())) / sxx
    a = y.mean() - b * xbar
    s = np.sqrt(np.sum((y - a - b * x) ** 2) / (n - 2))
    t = stats.t.ppf(0.5 + level / 2, n - 2)
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
    assert "outside the calibrated range 0 to 1000" in row["note"]


def test_flat_curve_gives_an_open_interval_with_a_reason():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 10, 8)
    model = LinearRegression().fit(x.reshape(-1, 1), 1.0 + rng.normal(0, 0.5, 8))
    row = inverse_predict(model, 1.2).iloc[0]
    assert row["lower"] == -np.inf and row["upper"] == np.inf
    assert "not clearly non-zero" in row["note"]


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
    assert limits["lod"] == pytest.approx(3.3 * model.residual_std_ / model.coef_[0])
    assert limits["loq"] == pytest.approx(10 * model.residual_std_ / model.coef_[0])


def test_qpcr_efficiency_and_its_interval_come_from_the_slope():
    data = simulate_qpcr_standard_curve(random_state=0, efficiency=0.9)
    model = LinearRegression().fit(data.X, data.y)
    result = qpcr_efficiency(model)
    slope = model.params_.loc["log10_copies"]
    assert result["efficiency"] == pytest.approx(10 ** (-1 / slope["estimate"]) - 1)
    assert result["efficiency_lower"] < 0.9 < result["efficiency_upper"]
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
