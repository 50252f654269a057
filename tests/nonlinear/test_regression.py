"""NonlinearRegression: agreement with R's published fits and SciPy, inference, weights, errors."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import curve_fit

from benchlearn import LinearRegression, NonlinearRegression
from benchlearn.data import load_dnase, load_puromycin
from benchlearn.errors import DataError, FitError, UsageError
from benchlearn.evaluate.lack_of_fit import lack_of_fit_test, residuals_in_x_order, runs_test


@pytest.fixture(scope="module")
def dnase_run1() -> pd.DataFrame:
    frame = load_dnase().frame
    return frame[frame["Run"] == 1].reset_index(drop=True)


@pytest.fixture(scope="module")
def puromycin_treated() -> pd.DataFrame:
    frame = load_puromycin().frame
    return frame[frame["state"] == "treated"].reset_index(drop=True)


def r_logistic(x, Asym, xmid, scal):
    """R's SSlogis: Asym / (1 + exp((xmid - x) / scal))."""
    return Asym / (1 + np.exp((xmid - x) / scal))


def r_four_parameter_logistic(x, A, B, xmid, scal):
    """R's SSfpl: A + (B - A) / (1 + exp((xmid - x) / scal)), x = log(conc)."""
    return A + (B - A) / (1 + np.exp((xmid - x) / scal))


# ---------------------------------------------------------------- R's published fits
def test_dnase_logistic_fit_matches_r_nls_summary(dnase_run1):
    # R, ?nls: nls(density ~ SSlogis(log(conc), Asym, xmid, scal), DNase1) prints
    # Asym 2.34518 (SE 0.07815), xmid 1.48309 (0.08135), scal 1.04146 (0.03227), residual
    # standard error 0.01919 on 13 degrees of freedom. R stops at a relative-offset tolerance of
    # 1e-5, so agreement is to the printed digits within that.
    fit = NonlinearRegression(model=r_logistic, p0=[3.0, 0.0, 1.0])
    fit.fit(np.log(dnase_run1[["conc"]]), dnase_run1["density"])
    published = {"Asym": (2.34518, 0.07815), "xmid": (1.48309, 0.08135), "scal": (1.04146, 0.03227)}
    for name, (estimate, se) in published.items():
        assert fit.params_.loc[name, "estimate"] == pytest.approx(estimate, abs=1e-5)
        assert fit.params_.loc[name, "std_error"] == pytest.approx(se, abs=1e-5)
    assert fit.residual_std_ == pytest.approx(0.01919, abs=1e-5)
    assert fit.dof_resid_ == 13


def test_puromycin_michaelis_menten_fit_matches_r_nls_summary(puromycin_treated):
    # R, ?Puromycin / ?SSmicmen: nls(rate ~ SSmicmen(conc, Vm, K), PurTrt) prints
    # Vm 2.127e+02 (SE 6.947e+00), K 6.412e-02 (SE 8.281e-03), residual standard error 10.93
    # on 10 degrees of freedom (Bates & Watts 1988, section 2.2.1).
    fit = NonlinearRegression(model="michaelis-menten")
    fit.fit(puromycin_treated[["conc"]], puromycin_treated["rate"])
    params = fit.params_
    assert params.loc["Vmax", "estimate"] == pytest.approx(212.7, abs=0.05)
    assert params.loc["Vmax", "std_error"] == pytest.approx(6.947, abs=5e-4)
    assert params.loc["Km", "estimate"] == pytest.approx(0.06412, abs=5e-6)
    assert params.loc["Km", "std_error"] == pytest.approx(0.008281, abs=5e-7)
    assert fit.residual_std_ == pytest.approx(10.93, abs=5e-3)
    assert fit.dof_resid_ == 10


def test_built_in_4pl_is_r_ssfpl_in_lab_units(dnase_run1):
    # The same curve in two parametrisations: EC50 = exp(xmid), hill = 1/scal. At the optimum
    # the Wald standard errors transform exactly by the derivative of the map.
    ours = NonlinearRegression(model="4pl").fit(dnase_run1[["conc"]], dnase_run1["density"])
    r_form = NonlinearRegression(model=r_four_parameter_logistic, p0=[0.0, 2.4, 1.5, 1.0])
    r_form.fit(np.log(dnase_run1[["conc"]]), dnase_run1["density"])
    est, se = ours.params_["estimate"], ours.params_["std_error"]
    r_est, r_se = r_form.params_["estimate"], r_form.params_["std_error"]
    np.testing.assert_allclose([est["bottom"], est["top"]], [r_est["A"], r_est["B"]], rtol=1e-8)
    assert est["EC50"] == pytest.approx(np.exp(r_est["xmid"]), rel=1e-8)
    assert est["hill"] == pytest.approx(1 / r_est["scal"], rel=1e-8)
    assert se["EC50"] == pytest.approx(est["EC50"] * r_se["xmid"], rel=1e-6)
    assert se["hill"] == pytest.approx(r_se["scal"] / r_est["scal"] ** 2, rel=1e-6)
    assert ours.rss_ == pytest.approx(r_form.rss_, rel=1e-10)


# ---------------------------------------------------------------- SciPy
@pytest.mark.parametrize(
    ("model", "function"),
    [
        ("4pl", lambda x, b, t, e, h: b + (t - b) / (1 + (e / x) ** h)),
        ("michaelis-menten", lambda x, v, k: v * x / (k + x)),
    ],
)
def test_estimates_and_covariance_agree_with_scipy_curve_fit(
    model, function, dnase_run1, puromycin_treated
):
    data = dnase_run1 if model == "4pl" else puromycin_treated
    y = data["density"] if model == "4pl" else data["rate"]
    fit = NonlinearRegression(model=model).fit(data[["conc"]], y)
    p, pcov = curve_fit(
        function, data["conc"], y, p0=fit.start_, xtol=1e-14, ftol=1e-14, gtol=1e-14
    )
    # Differences in units of the standard error (a bottom near 0 has no relative digits)
    np.testing.assert_allclose(
        (fit.params_["estimate"] - p) / fit.params_["std_error"], 0, atol=1e-6
    )
    np.testing.assert_allclose(fit.cov_params().to_numpy(), pcov, rtol=1e-5)


def test_weighted_fit_agrees_with_curve_fit_given_sigma(dnase_run1):
    # Constant-CV weighting, 1/y²: curve_fit with sigma = y is the same problem.
    y = dnase_run1["density"].to_numpy()
    weights = 1.0 / np.maximum(y, 0.01) ** 2
    fit = NonlinearRegression(model="4pl").fit(dnase_run1[["conc"]], y, sample_weight=weights)
    p, pcov = curve_fit(
        lambda x, b, t, e, h: b + (t - b) / (1 + (e / x) ** h),
        dnase_run1["conc"],
        y,
        p0=fit.coef_,
        sigma=1 / np.sqrt(weights),
        xtol=1e-14,
        ftol=1e-14,
        gtol=1e-14,
    )
    np.testing.assert_allclose((fit.coef_ - p) / fit.params_["std_error"], 0, atol=1e-6)
    np.testing.assert_allclose(fit.cov_params().to_numpy(), pcov, rtol=1e-5)


def test_integer_weights_act_as_repeated_rows_for_the_estimates(puromycin_treated):
    X, y = puromycin_treated[["conc"]], puromycin_treated["rate"]
    weights = np.tile([1.0, 2.0, 3.0], len(y) // 3)
    weighted = NonlinearRegression(model="michaelis-menten").fit(X, y, sample_weight=weights)
    rows = np.repeat(np.arange(len(y)), weights.astype(int))
    repeated = NonlinearRegression(model="michaelis-menten").fit(X.iloc[rows], y.iloc[rows])
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-9)
    assert weighted.rss_ == pytest.approx(repeated.rss_, rel=1e-9)


# ---------------------------------------------------------------- inference
def test_a_model_linear_in_its_parameters_gives_linear_regressions_inference():
    rng = np.random.default_rng(3)
    x = np.linspace(0, 5, 20)
    y = 1.5 + 0.8 * x + rng.normal(0, 0.3, x.size)
    curve = NonlinearRegression(model=lambda x, a, b: a + b * x, p0=[0.0, 0.0])
    curve.fit(x.reshape(-1, 1), y)
    line = LinearRegression().fit(x.reshape(-1, 1), y)
    np.testing.assert_allclose(curve.params_.to_numpy(), line.params_.to_numpy(), rtol=1e-9)
    grid = np.array([[-1.0], [2.0], [7.0]])
    for kind in ("confidence", "prediction"):
        np.testing.assert_allclose(
            curve.predict_interval(grid, kind=kind, level=0.9).to_numpy(),
            line.predict_interval(grid, kind=kind, level=0.9).to_numpy(),
            rtol=1e-9,
        )
    np.testing.assert_allclose(
        curve.conf_int(method="profile").to_numpy(), curve.conf_int().to_numpy(), rtol=1e-7
    )


def test_bands_contain_the_curve_and_prediction_band_is_wider(dnase_run1):
    fit = NonlinearRegression(model="4pl").fit(dnase_run1[["conc"]], dnase_run1["density"])
    grid = pd.DataFrame({"conc": np.geomspace(0.05, 12.5, 9)})
    confidence = fit.predict_interval(grid)
    prediction = fit.predict_interval(grid, kind="prediction")
    np.testing.assert_allclose(confidence["mean"], fit.predict(grid))
    assert (confidence["lower"] < confidence["mean"]).all()
    assert (
        prediction["upper"] - prediction["lower"] > confidence["upper"] - confidence["lower"]
    ).all()


def test_confidence_band_is_the_delta_method_with_curve_fit_covariance(puromycin_treated):
    X, y = puromycin_treated[["conc"]], puromycin_treated["rate"]
    fit = NonlinearRegression(model="michaelis-menten").fit(X, y)
    v, k = fit.coef_
    _, pcov = curve_fit(lambda x, v, k: v * x / (k + x), X["conc"], y, p0=fit.coef_)
    x0 = np.array([0.05, 0.5])
    gradient = np.column_stack([x0 / (k + x0), -v * x0 / (k + x0) ** 2])
    se = np.sqrt(np.einsum("ij,jk,ik->i", gradient, pcov, gradient))
    band = fit.predict_interval(pd.DataFrame({"conc": x0}), level=0.95)
    from scipy import stats

    half = stats.t.ppf(0.975, fit.dof_resid_) * se
    np.testing.assert_allclose(band["upper"] - band["mean"], half, rtol=1e-5)


def test_conf_int_at_any_level_and_profile_interval_of_km_is_lopsided(puromycin_treated):
    fit = NonlinearRegression(model="michaelis-menten")
    fit.fit(puromycin_treated[["conc"]], puromycin_treated["rate"])
    wald95, wald99 = fit.conf_int(0.95), fit.conf_int(0.99)
    assert (wald99["lower"] < wald95["lower"]).all() and (wald99["upper"] > wald95["upper"]).all()
    np.testing.assert_allclose(wald95.to_numpy(), fit.params_[["ci_lower", "ci_upper"]].to_numpy())
    profile = fit.conf_int(method="profile").loc["Km"]
    km = fit.coef_[1]
    assert km - profile["lower"] < profile["upper"] - km  # longer towards high Km


def test_summary_holds_the_numbers_and_reads_as_a_table(dnase_run1):
    fit = NonlinearRegression(model="4pl", fixed={"bottom": 0.0})
    fit.fit(dnase_run1[["conc"]], dnase_run1["density"])
    summary = fit.summary()
    numbers = summary.to_dict()
    assert set(numbers["parameters"]) == {"top", "EC50", "hill"}
    assert numbers["fixed"] == {"bottom": 0.0}
    assert numbers["dof_resid"] == 16 - 3
    text = str(summary)
    assert "EC50" in text and "bottom = 0" in text


def test_lack_of_fit_and_runs_tests_take_a_nonlinear_fit(dnase_run1):
    X, y = dnase_run1[["conc"]], dnase_run1["density"]
    fit = NonlinearRegression(model="4pl").fit(X, y)
    lof = lack_of_fit_test(fit, X, y)
    assert (lof.df1, lof.df2) == (8 - 4, 16 - 8)
    runs = runs_test(residuals_in_x_order(fit, X, y))
    assert runs.n_positive + runs.n_negative == 16


# ---------------------------------------------------------------- parameters held fixed
def test_fixed_bottom_and_top_leave_ec50_and_hill_to_fit():
    conc = np.repeat(np.geomspace(1e-3, 1e2, 11), 2)
    rng = np.random.default_rng(7)
    response = 100 / (1 + (0.5 / conc) ** 1.2) + rng.normal(0, 2, conc.size)
    fit = NonlinearRegression(model="dose-response", fixed={"bottom": 0, "top": 100})
    fit.fit(conc.reshape(-1, 1), response)
    assert fit.free_names_ == ["EC50", "hill"]
    assert fit.coef_[:2].tolist() == [0.0, 100.0]
    assert fit.params_.loc["EC50", "estimate"] == pytest.approx(0.5, rel=0.15)


# ---------------------------------------------------------------- refusals
def test_a_curve_the_data_cannot_pin_down_is_refused_with_what_to_do():
    conc = np.repeat([1.0, 2.0, 4.0, 8.0], 3)  # a straight rise: no plateau in sight
    signal = 0.1 * conc + np.tile([0.0, 0.01, -0.01], 4)
    with pytest.raises(FitError) as error:
        NonlinearRegression(model="4pl").fit(conc.reshape(-1, 1), signal)
    assert "plateau" in str(error.value) or "Measure" in str(error.value)


def test_a_fit_that_does_not_converge_is_refused():
    x = np.linspace(1, 10, 12)
    y = np.sin(x) * 5
    with pytest.raises(FitError, match="did not converge"):
        NonlinearRegression(model=lambda x, a, b: a * np.exp(b * x), p0=[1.0, 1.0], max_nfev=3).fit(
            x.reshape(-1, 1), y
        )


def test_bad_requests_say_how_to_fix_them():
    X, y = np.linspace(1, 5, 6).reshape(-1, 1), np.arange(6.0)
    with pytest.raises(UsageError, match="p0"):
        NonlinearRegression(model=lambda x, a, b: a + b * x).fit(X, y)
    with pytest.raises(UsageError, match="did you mean '4pl'"):
        NonlinearRegression(model="4p").fit(X, y)
    with pytest.raises(UsageError, match="cannot fix 'Top'"):
        NonlinearRegression(model="4pl", fixed={"Top": 1}).fit(X, y)
    with pytest.raises(DataError, match="one predictor"):
        NonlinearRegression(model="4pl").fit(np.hstack([X, X]), y)
    with pytest.raises(DataError, match="cannot determine 4 parameters"):
        NonlinearRegression(model="4pl").fit(X[:4], y[:4])


# ---------------------------------------------------------------- scikit-learn
def _plane(x, a, b):
    x = np.asarray(x)
    return a + b * (x if x.ndim == 1 else x.sum(axis=1))


def test_passes_scikit_learn_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(
            NonlinearRegression(model=_plane, p0=[0.0, 1.0]),
            expected_failed_checks={
                "check_regressors_train": "a fixed two-parameter curve cannot fit the check's "
                "many-feature linear data well (a score above 0.5 is asked)"
            },
        )


def test_pickles_and_predicts_the_same(dnase_run1):
    fit = NonlinearRegression(model="5pl").fit(dnase_run1[["conc"]], dnase_run1["density"])
    again = pickle.loads(pickle.dumps(fit))
    np.testing.assert_array_equal(
        again.predict(dnase_run1[["conc"]]), fit.predict(dnase_run1[["conc"]])
    )


def test_an_ec50_beyond_the_dilution_series_is_fitted_with_a_warning():
    from benchlearn.nonlinear import ExtrapolationWarning

    conc = np.repeat(np.geomspace(0.01, 1.0, 7), 2)
    rng = np.random.default_rng(2)
    signal = 0.1 + 2.0 / (1 + (1.5 / conc) ** 1.5) + rng.normal(0, 0.01, conc.size)
    with pytest.warns(ExtrapolationWarning, match="EC50 = .* above the highest"):
        NonlinearRegression(model="4pl").fit(conc.reshape(-1, 1), signal)


@pytest.mark.parametrize(
    "model",
    ["4pl", "4pl-log", "5pl", "5pl-log", "inhibition", "michaelis-menten", "exponential"],
)
def test_a_flat_response_is_refused_by_every_built_in_curve(model):
    x = np.linspace(0.0, 1.0, 10).reshape(-1, 1)  # includes a blank at 0
    y = 1.0 + np.tile([0.01, -0.01], 5)
    with pytest.raises(FitError):
        NonlinearRegression(model=model).fit(x, y)


def test_log_doses_given_to_a_concentration_curve_are_refused_with_the_log_model_named():
    log_dose = np.linspace(-9, -4, 12).reshape(-1, 1)
    response = 100 / (1 + 10 ** (log_dose[:, 0] + 6))
    with pytest.raises(DataError, match="model='4pl-log'"):
        NonlinearRegression(model="4pl").fit(log_dose, response)
    fit = NonlinearRegression(model="4pl-log").fit(log_dose, response + np.tile([0.5, -0.5], 6))
    assert fit.params_.loc["logEC50", "estimate"] == pytest.approx(-6, abs=0.05)


def test_ec50_from_the_log_model_and_half_life_from_the_rate_come_with_mapped_intervals(
    dnase_run1,
):
    log_fit = NonlinearRegression(model="4pl-log")
    log_fit.fit(np.log10(dnase_run1[["conc"]]), dnase_run1["density"])
    row = log_fit.params_.loc["logEC50"]
    ec50 = log_fit.derived_.loc["EC50"]
    assert ec50["estimate"] == pytest.approx(10 ** row["estimate"])
    assert ec50["ci_lower"] == pytest.approx(10 ** row["ci_lower"])
    assert ec50["ci_upper"] - ec50["estimate"] > ec50["estimate"] - ec50["ci_lower"]
    assert log_fit.summary().to_dict()["derived"]["EC50"]["estimate"] == pytest.approx(4.515, 1e-3)
    decay = NonlinearRegression(model="exponential").fit(
        dnase_run1[["conc"]], dnase_run1["density"]
    )
    k = decay.params_.loc["k"]
    half_life = decay.derived_.loc["half_life"]
    assert half_life["estimate"] == pytest.approx(np.log(2) / k["estimate"])
    assert half_life["ci_lower"] == pytest.approx(np.log(2) / k["ci_upper"])
