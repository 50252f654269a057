"""Reading unknowns back through a bending standard curve, LOD and LOQ (DNase ELISA run 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from benchlearn import NonlinearRegression
from benchlearn.data import load_dnase
from benchlearn.errors import UsageError
from benchlearn.nonlinear.standard_curve import detection_limits, inverse_predict


@pytest.fixture(scope="module")
def standards() -> pd.DataFrame:
    frame = load_dnase().frame
    return frame[frame["Run"] == 1].reset_index(drop=True)


@pytest.fixture(scope="module")
def curve(standards) -> NonlinearRegression:
    return NonlinearRegression(model="4pl").fit(standards[["conc"]], standards["density"])


@pytest.mark.parametrize("model", ["4pl", "5pl", "inhibition", "michaelis-menten"])
def test_the_concentration_read_back_from_a_fitted_response_is_the_concentration(standards, model):
    fit = NonlinearRegression(model=model).fit(standards[["conc"]], standards["density"])
    conc = np.array([0.3, 1.0, 5.0])
    responses = fit.predict(pd.DataFrame({"conc": conc}))
    table = inverse_predict(fit, responses)
    np.testing.assert_allclose(table["estimate"], conc, rtol=1e-9)


def test_interval_ends_are_where_the_prediction_band_meets_the_reading(curve):
    table = inverse_predict(curve, [0.3, 1.0], level=0.9)
    for _, row in table.iterrows():
        ends = pd.DataFrame({"conc": [row["lower"], row["upper"]]})
        band = curve.predict_interval(ends, kind="prediction", level=0.9)
        # rising curve: the upper band meets the reading at the low end, the lower at the high
        assert band["upper"].iloc[0] == pytest.approx(row["response"], abs=1e-9)
        assert band["lower"].iloc[1] == pytest.approx(row["response"], abs=1e-9)
        assert row["lower"] < row["estimate"] < row["upper"]
        assert row["flag"] == ""


def test_replicate_readings_narrow_the_interval(curve):
    one = inverse_predict(curve, [1.0]).iloc[0]
    three = inverse_predict(curve, [1.0], replicates=3).iloc[0]
    assert three["upper"] - three["lower"] < one["upper"] - one["lower"]


def test_a_weighted_curve_reads_unknowns_with_their_own_weight(standards):
    density = standards["density"].to_numpy()
    weights = 1 / np.maximum(density, 0.02) ** 2  # constant CV
    fit = NonlinearRegression(model="4pl").fit(standards[["conc"]], density, sample_weight=weights)
    reading, weight = 0.5, 1 / 0.5**2
    row = inverse_predict(fit, [reading], sample_weight=weight, level=0.9).iloc[0]
    unweighted = inverse_predict(fit, [reading], level=0.9).iloc[0]
    ends = pd.DataFrame({"conc": [row["lower"], row["upper"]]})
    band = fit.predict_interval(ends, kind="prediction", level=0.9, sample_weight=[weight] * 2)
    assert band["upper"].iloc[0] == pytest.approx(reading, abs=1e-9)
    assert band["lower"].iloc[1] == pytest.approx(reading, abs=1e-9)
    assert row["upper"] - row["lower"] < unweighted["upper"] - unweighted["lower"]


def test_readings_near_or_beyond_the_plateaus_are_flagged(curve):
    table = inverse_predict(curve, [0.01, 1.9, 2.3, 2.6]).set_index("response")
    assert "plateau" in table.loc[0.01, "flag"] and table.loc[0.01, "lower"] == 0
    assert "above the highest standard" in table.loc[1.9, "flag"]
    assert "plateau" in table.loc[2.3, "flag"] and table.loc[2.3, "upper"] == np.inf
    assert np.isnan(table.loc[2.6, "estimate"]) and "beyond" in table.loc[2.6, "flag"]


def test_log_x_curve_reads_back_log_concentrations_consistently(standards, curve):
    log_fit = NonlinearRegression(model="4pl-log")
    log_fit.fit(np.log10(standards[["conc"]]), standards["density"])
    on_log = inverse_predict(log_fit, [0.3, 1.0])
    on_conc = inverse_predict(curve, [0.3, 1.0])
    np.testing.assert_allclose(10 ** on_log["estimate"], on_conc["estimate"], rtol=1e-7)
    np.testing.assert_allclose(10 ** on_log["lower"], on_conc["lower"], rtol=1e-6)


def test_lod_is_where_the_curve_reaches_the_blanks_upper_prediction_limit(curve):
    limits = detection_limits(curve, level=0.95)
    bottom = curve.coef_[0]
    se_bottom = curve.params_.loc["bottom", "std_error"]
    t = stats.t.ppf(0.95, curve.dof_resid_)
    critical = bottom + t * np.sqrt(curve.residual_std_**2 + se_bottom**2)
    assert limits.critical_response == pytest.approx(critical, rel=1e-9)
    at_lod = curve.predict(pd.DataFrame({"conc": [limits.lod]}))[0]
    assert at_lod == pytest.approx(critical, rel=1e-9)
    assert 0 < limits.lod < limits.lloq < limits.uloq <= 12.5


def test_lloq_is_where_the_back_calculated_cv_falls_to_the_limit(curve):
    limits = detection_limits(curve, max_cv=0.2)
    x0 = limits.lloq
    # CV of one reading read back at x0, by the delta method with a numerical slope
    h = 1e-6 * x0
    grid = pd.DataFrame({"conc": [x0 - h, x0, x0 + h]})
    mean = curve.predict(grid)
    slope = (mean[2] - mean[0]) / (2 * h)
    band = curve.predict_interval(grid.iloc[[1]], kind="prediction")
    sd = (band["upper"].iloc[0] - band["mean"].iloc[0]) / stats.t.ppf(0.975, curve.dof_resid_)
    assert sd / slope / x0 == pytest.approx(0.2, rel=1e-5)


def test_a_user_function_cannot_be_read_back(standards):
    fit = NonlinearRegression(model=lambda x, a, b: a + b * x, p0=[0, 1])
    fit.fit(standards[["conc"]], standards["density"])
    with pytest.raises(UsageError, match="built-in"):
        inverse_predict(fit, [1.0])


def simulated_plate(falling: bool) -> tuple[np.ndarray, np.ndarray]:
    """Blanks (conc 0) and eight standards in duplicate, 4PL with EC50 5 and Hill 1.2."""
    rng = np.random.default_rng(1)
    conc = np.repeat(np.r_[0.0, np.geomspace(0.1, 100, 8)], 2)
    with np.errstate(divide="ignore"):
        rise = 2 / (1 + (5 / conc) ** 1.2)
    signal = (2.05 - rise if falling else 0.05 + rise) + rng.normal(0, 0.02, conc.size)
    return conc, signal


@pytest.mark.parametrize("falling", [False, True])
def test_blanks_at_zero_and_falling_curves_give_consistent_limits(falling):
    conc, signal = simulated_plate(falling)
    fit = NonlinearRegression(model="4pl").fit(conc.reshape(-1, 1), signal)
    assert fit.coef_[0] < fit.coef_[1]  # bottom below top, the Hill slope's sign is the direction
    assert (fit.coef_[3] < 0) == falling
    limits = detection_limits(fit)
    assert limits.blank == pytest.approx(2.05 if falling else 0.05, abs=0.02)
    assert (limits.critical_response < limits.blank) == falling
    assert 0.1 <= limits.lloq < 1.0 and 0 < limits.lod < limits.lloq
    assert limits.uloq <= 100
