"""The teaching Levenberg–Marquardt loop: where it ends, and that its loss only ever falls."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchlearn import NonlinearRegression
from benchlearn.data import load_dnase
from benchlearn.nonlinear import get_model
from benchlearn.optim import levenberg_marquardt

FOUR_PL = get_model("4pl")
NAMES = list(FOUR_PL.param_names)
# Starts from near to hopeless: read off the plot, the engine's automatic one, a curve that
# falls instead of rising, an EC50 a thousand times the top standard, one far below the lowest.
STARTS = {
    "read off the plot": [0.017, 1.73, 0.78, 1.0],
    "falling curve": [0.0, 2.0, 0.1, -1.0],
    "EC50 far above": [0.0, 2.0, 1000.0, 1.0],
    "EC50 far below": [0.0, 2.0, 0.001, 1.0],
    "steep": [0.5, 1.0, 3.0, 5.0],
}


@pytest.fixture(scope="module")
def run1() -> tuple[np.ndarray, np.ndarray]:
    frame = load_dnase().frame
    frame = frame[frame["Run"] == 1]
    return frame["conc"].to_numpy(float), frame["density"].to_numpy(float)


@pytest.fixture(scope="module")
def engine_fit(run1) -> NonlinearRegression:
    x, y = run1
    return NonlinearRegression(model="4pl").fit(pd.DataFrame({"conc": x}), y)


def lm(x, y, start, **options):
    return levenberg_marquardt(
        FOUR_PL.function, FOUR_PL.jacobian, x, y, start, param_names=NAMES, **options
    )


@pytest.mark.parametrize("start", ["read off the plot", "automatic", "EC50 far above", "steep"])
def test_history_ends_at_nonlinear_regressions_4pl_estimates(run1, engine_fit, start):
    x, y = run1
    vector = FOUR_PL.starts(x, y)[0] if start == "automatic" else STARTS[start]
    fit = lm(x, y, vector)
    assert fit.converged
    last = fit.history.iloc[-1]
    estimates = engine_fit.params_["estimate"]
    # in units of each parameter's standard error: a bottom near 0 has no relative digits
    np.testing.assert_allclose(
        (last[NAMES].to_numpy(float) - estimates) / engine_fit.params_["std_error"], 0, atol=1e-6
    )
    np.testing.assert_allclose(fit.params, last[NAMES].to_numpy(float))
    assert last["loss"] == pytest.approx(engine_fit.rss_ / len(y), rel=1e-10)


def test_end_matches_rs_published_fits_of_dnase_run_1(run1):
    x, y = run1
    # R, ?DNase: fm2 <- nls(density ~ SSfpl(log(conc), A, B, xmid, scal), subset = Run == 1)
    # prints A -0.007897, B 2.377239, xmid 1.507403, scal 1.062579 (EC50 = exp(xmid),
    # Hill slope = 1/scal), residual standard error 0.01981 on 12 degrees of freedom.
    bottom, top, ec50, hill = lm(x, y, STARTS["read off the plot"]).params
    assert (bottom, top) == (pytest.approx(-0.007897, abs=1e-6), pytest.approx(2.377239, abs=1e-6))
    assert np.log(ec50) == pytest.approx(1.507403, abs=1e-6)
    assert 1 / hill == pytest.approx(1.062579, abs=1e-6)
    rss = np.sum((y - FOUR_PL.function(x, bottom, top, ec50, hill)) ** 2)
    assert np.sqrt(rss / 12) == pytest.approx(0.01981, abs=5e-6)


def test_end_matches_rs_published_three_parameter_logistic(run1):
    # The reference tests/nonlinear uses: R, ?nls, nls(density ~ SSlogis(log(conc), Asym, xmid,
    # scal), DNase1) prints Asym 2.34518, xmid 1.48309, scal 1.04146; residual SE 0.01919 (13 df)
    x, y = run1
    t = np.log(x)

    def logistic(t, asym, xmid, scal):
        return asym / (1 + np.exp((xmid - t) / scal))

    def jacobian(t, asym, xmid, scal):
        s = 1 / (1 + np.exp((xmid - t) / scal))
        slope = asym * s * (1 - s)
        return np.column_stack([s, -slope / scal, -slope * (t - xmid) / scal**2])

    fit = levenberg_marquardt(logistic, jacobian, t, y, [3.0, 0.0, 1.0])
    # R stops at a relative-offset tolerance of 1e-5: agreement to the printed digits within it
    np.testing.assert_allclose(fit.params, [2.34518, 1.48309, 1.04146], atol=1e-5)
    assert np.sqrt(fit.history["loss"].iloc[-1] * len(y) / 13) == pytest.approx(0.01919, abs=5e-6)


@pytest.mark.parametrize("start", list(STARTS))
def test_loss_never_increases_across_accepted_steps(run1, start):
    x, y = run1
    loss = lm(x, y, STARTS[start], max_steps=60).history["loss"].to_numpy()
    assert np.all(np.isfinite(loss))
    assert np.all(np.diff(loss) < 0)  # every accepted step strictly lowers it


def test_a_step_that_would_raise_the_loss_is_refused_and_the_damping_grows(run1):
    x, y = run1
    history = lm(x, y, STARTS["EC50 far above"]).history
    refused = history[history["refused"] > 0]
    assert len(refused) > 0
    # each refusal multiplied the damping by 10 before the accepted step divided it by 10
    first = refused.index[0]
    expected = history.loc[first - 1, "damping"] * 10.0 ** (history.loc[first, "refused"] - 1)
    assert history.loc[first, "damping"] == pytest.approx(expected)


def test_a_step_to_a_negative_ec50_is_refused_not_taken(run1):
    # From EC50 = 0.001 the first full Gauss-Newton step lands at a negative EC50, where the
    # curve cannot be computed (NaN loss): the loop shortens it instead.
    x, y = run1
    history = lm(x, y, STARTS["EC50 far below"], max_steps=5).history
    assert history.loc[1, "refused"] > 0
    assert (history["EC50"] > 0).all()
    assert np.isfinite(history["loss"]).all()


def test_a_start_far_from_the_answer_takes_many_more_steps_or_stops_short(run1):
    x, y = run1
    near = lm(x, y, STARTS["read off the plot"], max_steps=50)
    far = lm(x, y, STARTS["EC50 far below"], max_steps=50)
    assert near.converged and len(near.history) < 20
    assert not far.converged and len(far.history) == 51
    assert far.history["loss"].iloc[-1] > 10 * near.history["loss"].iloc[-1]


def test_parameters_no_prediction_depends_on_do_not_make_the_step_singular(run1):
    # bottom == top: the curve is flat, so EC50 and the Hill slope move nothing (zero columns)
    x, y = run1
    fit = lm(x, y, [0.8, 0.8, 1.0, 1.0], max_steps=200)
    assert np.isfinite(fit.history["loss"]).all()
    assert np.all(np.diff(fit.history["loss"]) < 0)


def _nist_problem(name: str) -> tuple[dict, pd.DataFrame]:
    shared = [Path(os.environ["BENCHLEARN_SHARED"])] if os.environ.get("BENCHLEARN_SHARED") else []
    shared += [folder / "shared" for folder in Path(__file__).resolve().parents[2].parents]
    for folder in shared:
        directory = folder / "data" / "nist_nls"
        if (directory / "certified.json").is_file():
            spec = json.loads((directory / "certified.json").read_text())[name]
            return spec, pd.read_csv(directory / f"{name}.csv")
    pytest.skip("NIST StRD data not found: ../shared/data/nist_nls is absent")


@pytest.mark.parametrize("start", ["start1", "start2"])
def test_nist_misra1a_reaches_the_certified_values_from_both_starts(start):
    spec, data = _nist_problem("Misra1a")
    x, y = data["x"].to_numpy(float), data["y"].to_numpy(float)

    def f(x, b1, b2):
        return b1 * (1 - np.exp(-b2 * x))

    def jacobian(x, b1, b2):
        return np.column_stack([1 - np.exp(-b2 * x), b1 * x * np.exp(-b2 * x)])

    fit = levenberg_marquardt(f, jacobian, x, y, spec[start], max_steps=500)
    assert fit.converged
    np.testing.assert_allclose(fit.params, [float(v) for v in spec["params"]], rtol=1e-7)
    certified_rss = float(spec["residual_sum_of_squares"])
    assert fit.history["loss"].iloc[-1] * len(y) == pytest.approx(certified_rss, rel=1e-9)


def test_running_out_of_steps_is_not_convergence(run1):
    x, y = run1
    fit = lm(x, y, STARTS["read off the plot"], max_steps=2)
    assert not fit.converged
    assert list(fit.history["step"]) == [0, 1, 2]
    assert list(fit.history.columns) == ["step", "loss", "damping", "refused", *NAMES]
