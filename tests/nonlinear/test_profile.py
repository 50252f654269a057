"""Profile-likelihood intervals: each end is where the constrained refit's RSS reaches the
F-test's bound, checked against an independent constrained fit by SciPy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.optimize import curve_fit

from benchlearn import NonlinearRegression
from benchlearn.data import load_dnase, load_puromycin
from benchlearn.errors import UsageError
from benchlearn.nonlinear import ExtrapolationWarning
from benchlearn.nonlinear.profile import profile_interval


def constrained_rss(function, x, y, p0, fixed_index, value) -> float:
    """Smallest RSS with parameter ``fixed_index`` held at ``value`` (SciPy, independent)."""
    free = [i for i in range(len(p0)) if i != fixed_index]

    def reduced(x, *free_params):
        params = np.empty(len(p0))
        params[free] = free_params
        params[fixed_index] = value
        return function(x, *params)

    p, _ = curve_fit(
        reduced, x, y, p0=np.asarray(p0)[free], xtol=1e-14, ftol=1e-14, gtol=1e-14, maxfev=20000
    )
    residual = reduced(x, *p) - y
    return float(residual @ residual)


@pytest.mark.parametrize(
    ("dataset", "model", "parameter"),
    [("dnase", "4pl", "EC50"), ("dnase", "4pl", "hill"), ("puromycin", "michaelis-menten", "Km")],
)
def test_each_end_is_where_the_refit_rss_reaches_the_f_bound(dataset, model, parameter):
    if dataset == "dnase":
        frame = load_dnase().frame
        frame = frame[frame["Run"] == 1]
        x, y = frame["conc"].to_numpy(), frame["density"].to_numpy()
    else:
        frame = load_puromycin().frame
        frame = frame[frame["state"] == "treated"]
        x, y = frame["conc"].to_numpy(), frame["rate"].to_numpy().astype(float)
    fit = NonlinearRegression(model=model).fit(x.reshape(-1, 1), y)
    lower, upper = profile_interval(fit, parameter, 0.95)
    t = stats.t.ppf(0.975, fit.dof_resid_)
    bound = fit.rss_ + fit.residual_std_**2 * t**2
    index = fit.param_names_.index(parameter)
    for end in (lower, upper):
        rss = constrained_rss(fit._fitted_model().function, x, y, fit.coef_, index, end)
        assert rss == pytest.approx(bound, rel=1e-6)
    estimate = fit.coef_[index]
    assert lower < estimate < upper


def test_the_profile_interval_of_a_concentration_is_lopsided_where_wald_is_symmetric():
    frame = load_puromycin().frame
    frame = frame[frame["state"] == "untreated"]
    fit = NonlinearRegression(model="michaelis-menten").fit(frame[["conc"]], frame["rate"])
    profile = fit.conf_int(method="profile").loc["Km"]
    wald = fit.conf_int().loc["Km"]
    km = fit.coef_[1]
    assert km - wald["lower"] == pytest.approx(wald["upper"] - km)
    assert (profile["upper"] - km) / (km - profile["lower"]) > 1.2


def test_an_end_the_data_do_not_reach_is_infinite():
    # Substrate only up to half of Km: as Vmax and Km grow together the curve tends to the
    # straight line rate = slope · conc, whose RSS stays inside the F bound, so no Vmax is too
    # large for these data.
    rng = np.random.default_rng(3)
    conc = np.repeat([0.05, 0.1, 0.2, 0.3, 0.5], 2)
    rate = 100 * conc / (1.0 + conc) + rng.normal(0, 1.5, conc.size)
    with pytest.warns(ExtrapolationWarning, match="Km"):
        fit = NonlinearRegression(model="michaelis-menten").fit(conc.reshape(-1, 1), rate)
    lower, upper = profile_interval(fit, "Vmax", 0.95)
    slope = (conc @ rate) / (conc @ conc)
    line_rss = float(np.sum((rate - slope * conc) ** 2))
    bound = fit.rss_ + fit.residual_std_**2 * stats.t.ppf(0.975, fit.dof_resid_) ** 2
    assert line_rss < bound
    assert np.isfinite(lower) and lower < fit.coef_[0]
    assert upper == np.inf


def test_asking_for_a_parameter_that_was_not_fitted_is_refused():
    frame = load_puromycin().frame
    fit = NonlinearRegression(model="michaelis-menten", fixed={"Vmax": 200.0})
    fit.fit(frame[["conc"]], frame["rate"])
    with pytest.raises(UsageError, match="Km"):
        profile_interval(fit, "Vmax")
    with pytest.raises(UsageError, match="wald"):
        fit.conf_int(method="bootstrap")
