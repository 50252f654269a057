"""bending_standard_curve: unknowns read back through a 4PL/5PL curve, flags, LOD and LOQ."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import curve_fit

from benchlearn.analysis import bending_standard_curve, fit_curve
from benchlearn.data import load_dnase
from benchlearn.nonlinear.standard_curve import detection_limits


@pytest.fixture(scope="module")
def run1() -> pd.DataFrame:
    frame = load_dnase().frame
    return frame[frame["Run"] == 1].reset_index(drop=True)


def four_pl(x, bottom, top, ec50, hill):
    return bottom + (top - bottom) / (1 + (ec50 / x) ** hill)


@pytest.fixture(scope="module")
def scipy_fit(run1):
    p, _ = curve_fit(
        four_pl,
        run1["conc"],
        run1["density"],
        p0=[0, 2.4, 4.5, 1],
        xtol=1e-14,
        ftol=1e-14,
        gtol=1e-14,
    )
    return p


@pytest.fixture(scope="module")
def unknowns(scipy_fit) -> pd.DataFrame:
    # a: the curve's signal at 1 ng/mL read twice; b: at 5 ng/mL; c: near the top plateau;
    # d: above the top (no concentration gives it)
    a, b = four_pl(np.array([1.0, 5.0]), *scipy_fit)
    top = scipy_fit[1]
    return pd.DataFrame(
        {"sample": ["a", "a", "b", "c", "d"], "density": [a, a, b, top - 0.01, top + 0.5]}
    )


@pytest.fixture(scope="module")
def curve(run1, unknowns):
    return bending_standard_curve(run1, "conc", "density", model="4pl", unknowns=unknowns)


def test_unknowns_on_the_curve_read_back_to_their_concentration(curve):
    table = curve.unknowns.set_index("sample")
    assert table.loc["a", "n_replicates"] == 2
    assert table.loc["a", "estimate"] == pytest.approx(1.0, rel=1e-6)
    assert table.loc["b", "estimate"] == pytest.approx(5.0, rel=1e-6)
    assert table.loc["a", "lower"] < 1.0 < table.loc["a", "upper"]
    assert table.loc["a", "flag"] == "" and table.loc["b", "flag"] == ""


def test_readings_near_or_beyond_a_plateau_are_flagged(curve):
    table = curve.unknowns.set_index("sample")
    assert "near a plateau" in table.loc["c", "flag"]
    assert table.loc["c", "upper"] == np.inf
    assert "beyond the curve's plateau" in table.loc["d", "flag"]
    assert np.isnan(table.loc["d", "estimate"])


def test_replicates_narrow_the_interval(run1, scipy_fit):
    signal = four_pl(2.0, *scipy_fit)
    frame = pd.DataFrame({"sample": ["one", "two", "two", "two", "two"], "density": [signal] * 5})
    table = bending_standard_curve(run1, "conc", "density", unknowns=frame).unknowns
    widths = (table["upper"] - table["lower"]).to_numpy()
    assert widths[1] < widths[0]


def test_limits_are_the_engines_detection_limits(curve):
    direct = detection_limits(curve.model, level=0.95, max_cv=0.2)
    assert curve.detection_limits.lod == pytest.approx(direct.lod, rel=1e-12)
    assert curve.detection_limits.lloq == pytest.approx(direct.lloq, rel=1e-12)
    assert 0.04 < curve.detection_limits.lod < curve.detection_limits.lloq < 12.5


def test_an_unknown_outside_the_limits_of_quantification_is_flagged(run1, curve, scipy_fit):
    low = curve.detection_limits.lloq
    below = four_pl(0.7 * low, *scipy_fit)
    frame = pd.DataFrame({"density": [below]})
    table = bending_standard_curve(run1, "conc", "density", unknowns=frame).unknowns
    assert table.loc[0, "sample"] == "row 0"
    assert table.loc[0, "estimate"] == pytest.approx(0.7 * low, rel=1e-6)
    assert table.loc[0, "flag"].startswith("outside the limits of quantification")


def test_log_x_reads_the_same_concentrations(run1, unknowns, curve):
    logged = bending_standard_curve(run1, "conc", "density", log_x=True, unknowns=unknowns)
    np.testing.assert_allclose(
        logged.unknowns["estimate"].iloc[:2], curve.unknowns["estimate"].iloc[:2], rtol=1e-6
    )
    assert logged.calibrated_range == pytest.approx(curve.calibrated_range)
    assert logged.detection_limits.lod == pytest.approx(curve.detection_limits.lod, rel=1e-6)


def test_to_dict_is_json_safe_with_open_intervals(curve):
    numbers = json.loads(json.dumps(curve.to_dict(), allow_nan=False))
    d = next(u for u in numbers["unknowns"] if u["sample"] == "d")
    assert d["estimate"] is None
    assert numbers["detection_limits"]["lod"] == pytest.approx(curve.detection_limits.lod)


def test_weighted_fit_equals_curve_fit_with_sigma(run1):
    # --weight-by 1/y2: variance proportional to the signal squared, i.e. sigma = y
    fit = fit_curve(run1, "density", "conc", model="4pl", weight_by="1/y2", profile=False)
    y = run1["density"].to_numpy()
    p, pcov = curve_fit(
        four_pl, run1["conc"], y, p0=fit.model.coef_, sigma=y, xtol=1e-14, ftol=1e-14, gtol=1e-14
    )
    np.testing.assert_allclose(
        (fit.parameters["estimate"] - p) / fit.parameters["std_error"], 0, atol=1e-6
    )
    np.testing.assert_allclose(fit.parameters["std_error"], np.sqrt(np.diag(pcov)), rtol=1e-5)
    assert fit.weighting.rule == "1/y2"
    assert np.all(np.isfinite(fit.band["pred_upper"]))


def test_weighted_curve_reads_unknowns_with_each_readings_own_variance(run1):
    # 1/y2: a reading of mean m has variance s²·m². The interval's ends are where the
    # prediction band of such a reading meets the signal.
    frame = pd.DataFrame({"sample": ["u"], "density": [0.5]})
    curve = bending_standard_curve(run1, "conc", "density", weight_by="1/y2", unknowns=frame)
    row = curve.unknowns.iloc[0]
    model = curve.model
    for end, side in [(row["lower"], "upper"), (row["upper"], "lower")]:
        at = pd.DataFrame({"conc": [end]})
        weight = 1.0 / model.predict(at) ** 2
        band = model.predict_interval(at, kind="prediction", sample_weight=weight)
        assert band[side].iloc[0] == pytest.approx(0.5, rel=1e-8)
    assert curve.detection_limits is None and "weighted" in curve.detection_limits_note
