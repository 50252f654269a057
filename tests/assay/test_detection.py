"""LOD/LOQ conventions: Miller & Miller's worked example and independent implementations."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, stats

from benchlearn import LinearRegression
from benchlearn.assay.detection import LOD_METHODS, detection_limits
from benchlearn.errors import DataError, UsageError

# Miller & Miller, Statistics and Chemometrics for Analytical Chemistry (5th ed.), Example
# 5.7.1 (data of Example 5.3.1): y_LOD = a + 3·s_y/x = 1.52 + 3 × 0.4329 = 2.82, which
# corresponds to 0.67 pg/ml.
MM_X = np.array([0.0, 2, 4, 6, 8, 10, 12])
MM_Y = np.array([2.1, 5.0, 9.0, 12.6, 17.3, 21.0, 24.7])


@pytest.fixture(scope="module")
def miller():
    return LinearRegression().fit(MM_X.reshape(-1, 1), MM_Y)


@pytest.fixture(scope="module")
def ols():
    return sm.OLS(MM_Y, sm.add_constant(MM_X)).fit()


def test_blank_plus_3s_reproduces_miller_and_miller(miller):
    table = detection_limits(miller, "blank-3s")
    assert round(table["lod_signal"].value, 2) == 2.82
    assert round(table["lod"].value, 2) == 0.67


def test_ich_conventions_use_their_sigma(miller, ols):
    slope = ols.params[1]
    residual = detection_limits(miller, "ich-residual-sd")
    assert residual["lod"].value == pytest.approx(3.3 * np.sqrt(ols.scale) / slope, rel=1e-10)
    assert residual["loq"].value == pytest.approx(10 * np.sqrt(ols.scale) / slope, rel=1e-10)
    intercept = detection_limits(miller, "ich-intercept-se")
    assert intercept["lod"].value == pytest.approx(3.3 * ols.bse[0] / slope, rel=1e-10)
    blanks = [2.0, 2.3, 1.9, 2.2, 2.1]
    blank = detection_limits(miller, "ich-blank-sd", blanks=blanks)
    assert blank["loq"].value == pytest.approx(10 * np.std(blanks, ddof=1) / slope, rel=1e-10)


def test_din32645_critical_value_and_detection_limit_match_prediction_intervals_at_zero(
    miller, ols
):
    # The DIN 32645 calibration method reads its limits off the one-sided prediction band
    # at x = 0 (as R's chemCal::lod(method = "din") does): y_k is the upper 1 - α limit,
    # the detection limit adds the 1 - β half-width.
    alpha, beta = 0.01, 0.05
    at_zero = np.array([[1.0, 0.0]])
    y_k = ols.get_prediction(at_zero).summary_frame(alpha=2 * alpha)["obs_ci_upper"][0]
    half_beta = ols.get_prediction(at_zero).summary_frame(alpha=2 * beta)
    delta = half_beta["obs_ci_upper"][0] - half_beta["mean"][0]
    a, b = ols.params
    table = detection_limits(miller, "din32645", alpha=alpha, beta=beta)
    assert table["critical_signal"].value == pytest.approx(y_k, rel=1e-10)
    assert table["critical_value"].value == pytest.approx((y_k - a) / b, rel=1e-10)
    assert table["lod"].value == pytest.approx((y_k + delta - a) / b, rel=1e-10)


def test_din32645_detection_limit_is_twice_the_critical_value_when_alpha_equals_beta(miller):
    table = detection_limits(miller, "din32645", alpha=0.01)
    assert table["lod"].value == pytest.approx(2 * table["critical_value"].value, rel=1e-12)


@pytest.mark.parametrize(("k", "m"), [(3, 1), (2, 3)])
def test_din32645_quantification_limit_has_relative_uncertainty_one_over_k(miller, ols, k, m):
    # x_BG solves x = k·t(1-α/2)·s_x0(x), s_x0 from the textbook formula (chemCal::loq).
    b = ols.params[1]
    s = np.sqrt(ols.scale)
    sxx = np.sum((MM_X - MM_X.mean()) ** 2)
    t = stats.t.ppf(1 - 0.01 / 2, 5)

    def gap(x):
        s_x0 = s / b * np.sqrt(1 / m + 1 / 7 + (x - MM_X.mean()) ** 2 / sxx)
        return x - k * t * s_x0

    expected = optimize.brentq(gap, 1e-6, 100)
    table = detection_limits(miller, "din32645", alpha=0.01, k=k, n_replicates=m)
    assert table["loq"].value == pytest.approx(expected, rel=1e-10)


def test_every_method_is_registered_with_a_convention_and_formulas(miller):
    for name, spec in LOD_METHODS.items():
        table = detection_limits(miller, name, blanks=[2.0, 2.2, 2.1])
        for entry in table.to_dict()["quantities"].values():
            assert entry["convention"] == spec.convention
            assert entry["formula"]


def test_unknown_method_missing_blanks_and_weighted_fits_are_refused(miller):
    with pytest.raises(UsageError, match="not one of"):
        detection_limits(miller, "3-sigma")
    with pytest.raises(UsageError, match="blank"):
        detection_limits(miller, "ich-blank-sd")
    with pytest.raises(DataError, match="at least two"):
        detection_limits(miller, "ich-blank-sd", blanks=[2.0])
    weighted = LinearRegression().fit(MM_X[1:].reshape(-1, 1), MM_Y[1:],
                                      sample_weight=1 / MM_X[1:] ** 2)  # fmt: skip
    with pytest.raises(UsageError, match="unweighted"):
        detection_limits(weighted)
