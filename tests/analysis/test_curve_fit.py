"""fit_curve: a curve that bends, its parameters in the lab's words, bands, groups, potency."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.optimize import curve_fit

from benchlearn.analysis import fit_curve
from benchlearn.data import load_dnase, load_puromycin
from benchlearn.errors import FitError, UsageError
from benchlearn.nonlinear import NonlinearRegression
from benchlearn.nonlinear.compare import relative_potency


@pytest.fixture(scope="module")
def puromycin() -> pd.DataFrame:
    return load_puromycin().frame


@pytest.fixture(scope="module")
def dnase() -> pd.DataFrame:
    return load_dnase().frame


@pytest.fixture(scope="module")
def treated(puromycin):
    return fit_curve(
        puromycin[puromycin["state"] == "treated"], "rate", "conc", model="michaelis-menten"
    )


def test_michaelis_menten_parameters_match_r_nls_for_treated_puromycin(treated):
    # R, ?Puromycin: nls(rate ~ SSmicmen(conc, Vm, K), PurTrt): Vm 212.7 (SE 6.947),
    # K 0.06412 (SE 0.008281), residual standard error 10.93 on 10 degrees of freedom.
    p = treated.parameters
    assert p["label"].tolist() == ["Vmax", "Km"]
    assert p.loc["Vmax", "estimate"] == pytest.approx(212.7, abs=0.05)
    assert p.loc["Vmax", "std_error"] == pytest.approx(6.947, abs=5e-4)
    assert p.loc["Km", "estimate"] == pytest.approx(0.06412, abs=5e-6)
    assert p.loc["Km", "std_error"] == pytest.approx(0.008281, abs=5e-7)
    assert treated.residual_std == pytest.approx(10.93, abs=5e-3)
    assert treated.dof_resid == 10


def test_km_gets_the_profile_interval_and_vmax_the_wald_interval(treated):
    p = treated.parameters
    profile = treated.model.conf_int(method="profile")
    assert p.loc["Km", "interval"] == "profile"
    assert [p.loc["Km", "ci_lower"], p.loc["Km", "ci_upper"]] == pytest.approx(
        profile.loc["Km"].tolist(), rel=1e-10
    )
    assert p.loc["Vmax", "interval"] == "Wald"
    wald = treated.model.conf_int()
    assert [p.loc["Vmax", "ci_lower"], p.loc["Vmax", "ci_upper"]] == pytest.approx(
        wald.loc["Vmax"].tolist(), rel=1e-12
    )
    # the profile interval of Km is lopsided: further above the estimate than below
    est = p.loc["Km", "estimate"]
    assert p.loc["Km", "ci_upper"] - est > est - p.loc["Km", "ci_lower"]


def test_intervals_follow_the_level(puromycin):
    rows = puromycin[puromycin["state"] == "treated"]
    fit = fit_curve(rows, "rate", "conc", model="mm", level=0.99, profile=False)
    p = fit.parameters
    q = stats.t.ppf(0.995, fit.dof_resid)
    expected = p["estimate"] + q * p["std_error"]
    np.testing.assert_allclose(p["ci_upper"], expected, rtol=1e-12)


def test_bands_hold_the_fit_and_the_prediction_band_is_wider(treated):
    band = treated.band
    x = band[["x"]].rename(columns={"x": "conc"})
    direct = treated.model.predict_interval(x, kind="confidence", level=0.95)
    np.testing.assert_allclose(band["conf_lower"], direct["lower"], rtol=1e-12)
    assert np.all(band["pred_upper"] - band["pred_lower"] > band["conf_upper"] - band["conf_lower"])
    assert band["x"].min() == pytest.approx(0.02) and band["x"].max() == pytest.approx(1.1)


def test_4pl_parameters_are_named_as_the_lab_names_them(dnase):
    fit = fit_curve(dnase[dnase["Run"] == 1], "density", "conc", model="dose-response")
    assert fit.curve == "4pl"
    assert fit.parameters["label"].tolist() == ["bottom", "top", "EC50", "Hill slope"]
    assert fit.parameters.loc["EC50", "interval"] == "profile"
    # replicated concentrations: lack-of-fit test on 8 levels, 4 parameters
    assert (fit.checks.lack_of_fit.df1, fit.checks.lack_of_fit.df2) == (4, 8)


def test_log_x_fits_the_same_curve_with_log10_ec50(dnase):
    run = dnase[dnase["Run"] == 1]
    plain = fit_curve(run, "density", "conc", model="4pl", profile=False)
    logged = fit_curve(run, "density", "conc", model="4pl", log_x=True, profile=False)
    assert logged.curve == "4pl-log"
    assert logged.parameters.loc["logEC50", "label"] == "log10 EC50"
    assert 10 ** logged.parameters.loc["logEC50", "estimate"] == pytest.approx(
        plain.parameters.loc["EC50", "estimate"], rel=1e-7
    )
    assert logged.rss == pytest.approx(plain.rss, rel=1e-9)


def test_fixed_parameters_are_reported_as_held(dnase):
    fit = fit_curve(dnase[dnase["Run"] == 1], "density", "conc", model="4pl", fixed={"bottom": 0.0})
    assert fit.parameters.loc["bottom", "interval"] == "fixed"
    assert fit.parameters.loc["bottom", "estimate"] == 0.0
    assert fit.dof_resid == 16 - 3


def test_whole_result_is_json_safe(treated):
    text = json.dumps(treated.to_dict(), allow_nan=False)
    assert json.loads(text)["parameters"]["Km"]["interval"] == "profile"


# ---------------------------------------------------------------- groups
def joint_rss(conc, rate, treated_rows, shared_km: bool) -> float:
    """Independent check: both states fitted by curve_fit as one model."""
    t = treated_rows.astype(float)

    def separate(x, v1, k1, v2, k2):
        return np.where(t == 1, v1 * x / (k1 + x), v2 * x / (k2 + x))

    def shared(x, v1, v2, k):
        return separate(x, v1, k, v2, k)

    f, p0 = (shared, [200, 160, 0.06]) if shared_km else (separate, [200, 0.06, 160, 0.05])
    p, _ = curve_fit(f, conc, rate, p0=p0, xtol=1e-14, ftol=1e-14, gtol=1e-14)
    return float(np.sum((rate - f(conc, *p)) ** 2))


def test_is_km_the_same_with_and_without_puromycin_checked_by_curve_fit(puromycin):
    fit = fit_curve(puromycin, "rate", "conc", model="michaelis-menten", group="state")
    groups = fit.groups
    assert groups.labels == ("treated", "untreated")
    km_test = next(t for t in groups.tests if t.shared == ("Km",))
    conc, rate = puromycin["conc"].to_numpy(), puromycin["rate"].to_numpy()
    is_treated = (puromycin["state"] == "treated").to_numpy()
    rss_sep = joint_rss(conc, rate, is_treated, shared_km=False)
    rss_shared = joint_rss(conc, rate, is_treated, shared_km=True)
    f = (rss_shared - rss_sep) / (rss_sep / (23 - 4))
    assert km_test.comparison.f == pytest.approx(f, rel=1e-6)
    assert km_test.comparison.p_value == pytest.approx(stats.f.sf(f, 1, 19), rel=1e-6)
    assert groups.parameters["untreated"].loc["Vmax", "estimate"] == pytest.approx(160.28, abs=0.01)
    assert groups.potency == ()  # relative potency is for sigmoids


def test_two_runs_are_compared_and_their_relative_potency_is_the_engines(dnase):
    rows = dnase[dnase["Run"].isin([1, 2])]
    fit = fit_curve(rows, "density", "conc", model="4pl", group="Run", reference="2")
    assert fit.groups.labels == ("1", "2")
    assert [t.shared for t in fit.groups.tests] == [("bottom", "top", "EC50", "hill"), ("EC50",)]
    (potency,) = fit.groups.potency
    labels = rows["Run"].astype(int).astype(str).to_numpy()
    direct = relative_potency(
        NonlinearRegression(model="4pl"), rows[["conc"]], rows["density"], labels, "2"
    )
    assert (potency.reference, potency.test) == ("2", "1")
    assert potency.potency == pytest.approx(direct.potency, rel=1e-9)
    assert potency.lower == pytest.approx(direct.lower, rel=1e-9)


def test_shared_must_name_a_parameter(puromycin):
    with pytest.raises(UsageError, match="Vmax, Km"):
        fit_curve(puromycin, "rate", "conc", model="mm", group="state", shared=["EC50"])


def test_a_curve_the_data_cannot_hold_is_a_fit_error_saying_what_to_check():
    flat = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "y": [5, 5.1, 4.9, 5.05, 4.95, 5.02]})
    with pytest.raises(FitError) as caught:
        fit_curve(flat, "y", "x", model="michaelis-menten")
    message = caught.value.message
    assert "michaelis-menten curve of `y` against `x`" in message
    assert "--model" in message and "p0" not in message


def test_log_x_is_refused_for_a_curve_of_x_itself(puromycin):
    with pytest.raises(UsageError, match="Drop --log-x"):
        fit_curve(puromycin, "rate", "conc", model="michaelis-menten", log_x=True)


def test_a_column_of_weights_is_the_same_fit_as_the_rule_it_holds(dnase):
    run = dnase[dnase["Run"] == 1].copy()
    run["w"] = 1.0 / run["density"] ** 2
    by_column = fit_curve(run, "density", "conc", model="4pl", weights="w", profile=False)
    by_rule = fit_curve(run, "density", "conc", model="4pl", weight_by="1/y2", profile=False)
    np.testing.assert_allclose(
        by_column.parameters["estimate"], by_rule.parameters["estimate"], rtol=1e-9
    )
    assert by_column.weighting.column == "w" and by_column.rss == pytest.approx(by_rule.rss)
    # the prediction band of a weighted fit is for a reading weighted as the standards nearby
    assert np.all(np.isfinite(by_column.band[["pred_lower", "pred_upper"]].to_numpy()))


def test_a_group_whose_curve_cannot_be_fitted_is_explained(puromycin):
    flat = pd.DataFrame(
        {"conc": [0.02, 0.06, 0.11, 0.22, 0.56, 1.1], "rate": [50.0] * 6, "state": "flat"}
    )
    flat["rate"] += [0.5, -0.4, 0.3, -0.2, 0.1, -0.3]
    table = pd.concat([puromycin[puromycin["state"] == "treated"], flat], ignore_index=True)
    with pytest.raises(FitError) as caught:
        fit_curve(table, "rate", "conc", model="mm", group="state")
    assert "comparing the state groups' curves" in caught.value.message
