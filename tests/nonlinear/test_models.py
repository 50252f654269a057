"""The built-in curves: derivatives, and automatic starting values on every model's test data.

A built-in model must fit its test data with no starting values from the user and reach the
best minimum that SciPy's ``curve_fit`` finds from several scattered starts.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import curve_fit

from benchlearn.data import load_dnase, load_puromycin, simulate_dose_response
from benchlearn.errors import UsageError
from benchlearn.nonlinear import MODELS, NonlinearRegression, get_model, model_names
from benchlearn.nonlinear.jacobian import central_difference_jacobian

from .test_nist import NLS_DIR

POINTS = {
    "4pl": [0.1, 2.0, 3.0, 1.3],
    "4pl-log": [0.1, 2.0, 0.4, -1.3],
    "5pl": [0.1, 2.0, 3.0, 1.3, 0.6],
    "5pl-log": [0.1, 2.0, 0.4, 1.3, 2.5],
    "inhibition": [5.0, 100.0, 1e-6, 0.9],
    "michaelis-menten": [200.0, 0.07],
    "exponential": [10.0, 2.0, 0.3],
}
X_VALUES = {
    "4pl": np.array([0.0, 0.05, 0.4, 3.0, 12.5, 1e4]),
    "4pl-log": np.array([-3.0, -1.0, 0.4, 1.1, 4.0]),
    "5pl": np.array([0.0, 0.05, 0.4, 3.0, 12.5]),
    "5pl-log": np.array([-3.0, -1.0, 0.4, 1.1]),
    "inhibition": np.array([0.0, 1e-9, 1e-7, 1e-6, 1e-5, 1e-3]),
    "michaelis-menten": np.array([0.0, 0.02, 0.1, 1.1]),
    "exponential": np.array([0.0, 0.5, 3.0, 20.0]),
}


def test_every_model_has_a_point_to_check_derivatives_at():
    assert sorted(POINTS) == model_names()


@pytest.mark.parametrize("name", sorted(POINTS))
def test_analytic_derivatives_match_central_differences(name):
    curve = get_model(name)
    x, params = X_VALUES[name], np.array(POINTS[name])
    analytic = curve.jacobian(x, *params)
    numeric = central_difference_jacobian(curve.function, x, params)
    assert np.all(np.isfinite(analytic))  # also at x = 0 and far beyond the plateaus
    scale = np.max(np.abs(analytic), axis=0)
    np.testing.assert_allclose(analytic / scale, numeric / scale, atol=1e-7)


def test_half_way_response_is_at_ec50_for_the_5pl_whatever_the_asymmetry():
    curve = get_model("5pl")
    for asymmetry in (0.3, 1.0, 4.0):
        assert curve.function(np.array([3.0]), 0.0, 2.0, 3.0, 1.4, asymmetry)[0] == pytest.approx(
            1.0
        )


def test_aliases_name_the_same_curve_and_unknown_names_are_refused():
    assert get_model("dose-response") is get_model("4PL") is MODELS["4pl"]
    assert get_model("Michaelis_Menten") is get_model("mm")
    with pytest.raises(UsageError, match="michaelis-menten"):
        get_model("michaelis")


# ---------------------------------------------------------------- automatic starting values
def best_curve_fit_rss(function, x, y, starts) -> float:
    """Smallest RSS SciPy reaches from the given starts (those it can fit at all)."""
    best = np.inf
    for p0 in starts:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                p, _ = curve_fit(function, x, y, p0=p0, maxfev=20000)
            except (RuntimeError, ValueError):
                continue
        residual = function(x, *p) - y
        if np.all(np.isfinite(residual)):
            best = min(best, float(residual @ residual))
    return best


def scattered_sigmoid_starts(x, y, n_params, log_x):
    low, high = np.min(y), np.max(y)
    centres = x if log_x else x[x > 0]
    starts = []
    for centre in np.quantile(centres, [0.25, 0.5, 0.75]):
        for hill in (0.5, 1.0, 2.0):
            start = [low, high, centre, hill] + ([1.0] if n_params == 5 else [])
            starts.append(start)
    return starts


DNASE_RUNS = list(range(1, 12))


@pytest.fixture(scope="module")
def dnase() -> pd.DataFrame:
    return load_dnase().frame


@pytest.mark.parametrize("model", ["4pl", "4pl-log", "5pl", "5pl-log"])
def test_sigmoids_fit_all_eleven_dnase_runs_without_starting_values(dnase, model):
    curve = get_model(model)
    for run in DNASE_RUNS:
        data = dnase[dnase["Run"] == run]
        x = data["conc"].to_numpy()
        if curve.log_x:
            x = np.log10(x)
        y = data["density"].to_numpy()
        fit = NonlinearRegression(model=model).fit(x.reshape(-1, 1), y)
        starts = scattered_sigmoid_starts(x, y, len(curve.param_names), curve.log_x)
        reference = best_curve_fit_rss(curve.function, x, y, starts)
        assert fit.rss_ <= reference * (1 + 1e-7), (run, fit.rss_, reference)


@pytest.mark.parametrize("seed", range(6))
def test_inhibition_curve_fits_simulated_screens_and_recovers_the_ic50(seed):
    data = simulate_dose_response(seed).frame
    fit = NonlinearRegression(model="inhibition").fit(data[["dose_molar"]], data["activity_pct"])
    low, high = fit.conf_int().loc["IC50"]
    assert low < 1e-6 < high  # the simulation's IC50 is 1 µM
    assert fit.params_.loc["hill", "estimate"] > 0  # falling curve, positive Hill slope


@pytest.mark.parametrize("state", ["treated", "untreated"])
def test_michaelis_menten_fits_both_puromycin_states_without_starting_values(state):
    data = load_puromycin().frame
    data = data[data["state"] == state]
    fit = NonlinearRegression(model="michaelis-menten").fit(data[["conc"]], data["rate"])
    reference = best_curve_fit_rss(
        get_model("michaelis-menten").function,
        data["conc"].to_numpy(),
        data["rate"].to_numpy(),
        [[100, 0.01], [200, 0.1], [300, 1.0]],
    )
    assert fit.rss_ <= reference * (1 + 1e-9)


@pytest.mark.parametrize("name", ["Misra1a", "BoxBOD"])
def test_exponential_rise_reaches_nist_certified_values_without_starting_values(name):
    # NIST's y = b1 (1 - exp(-b2 x)) is the exponential curve with y0 held at 0 (plateau = b1,
    # k = b2); BoxBOD is rated of higher difficulty.
    path = NLS_DIR / "certified.json"
    if not path.exists():
        pytest.skip(f"NIST StRD nonlinear data not found at {NLS_DIR}")
    spec = json.loads(path.read_text())[name]
    data = pd.read_csv(NLS_DIR / f"{name}.csv")
    fit = NonlinearRegression(model="exponential", fixed={"y0": 0.0}).fit(data[["x"]], data["y"])
    np.testing.assert_allclose(fit.params_["estimate"], np.array(spec["params"], float), rtol=1e-6)
    np.testing.assert_allclose(
        fit.params_["std_error"], np.array(spec["std_errors"], float), rtol=1e-6
    )


@pytest.mark.parametrize(
    ("y0", "plateau", "k"), [(100.0, 5.0, 0.5), (0.0, 80.0, 1.2), (10.0, -3.0, 0.05)]
)
def test_exponential_fits_decays_and_rises_without_starting_values(y0, plateau, k):
    rng = np.random.default_rng(0)
    x = np.linspace(0, 10, 25)
    y = plateau + (y0 - plateau) * np.exp(-k * x) + rng.normal(0, 1, x.size)
    fit = NonlinearRegression(model="exponential").fit(x.reshape(-1, 1), y)
    reference = best_curve_fit_rss(
        get_model("exponential").function, x, y, [[y[0], y[-1], r] for r in (0.01, 0.1, 1, 10)]
    )
    assert fit.rss_ <= reference * (1 + 1e-9)
