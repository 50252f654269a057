"""LinearRegression's gradient-descent solvers reach the exact least-squares answer."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from benchlearn import LinearRegression
from benchlearn.optim import DivergenceWarning


@pytest.fixture(scope="module")
def standardised():
    rng = np.random.default_rng(42)
    X = rng.normal(size=(300, 3))
    y = 2.0 + X @ np.array([1.5, -0.7, 0.3]) + rng.normal(0, 0.05, 300)
    exact = np.linalg.lstsq(np.column_stack([np.ones(300), X]), y, rcond=None)[0]
    return X, y, exact


@pytest.mark.parametrize(
    ("solver", "max_iter", "rtol", "rows"),
    # SGD takes one Python step per row: 100 rows x 200 epochs (error ~0.1-0.2 of rtol over
    # seeds 0-4) instead of 300 x 300
    [("gd", 5000, 1e-6, 300), ("sgd", 200, 1e-3, 100), ("minibatch", 1000, 1e-3, 300)],
)
def test_each_solver_converges_to_the_exact_solution(standardised, solver, max_iter, rtol, rows):
    X, y, exact = standardised
    if rows < len(y):
        X, y = X[:rows], y[:rows]
        exact = np.linalg.lstsq(np.column_stack([np.ones(rows), X]), y, rcond=None)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the stochastic ones stop on max_iter, by design here
        model = LinearRegression(solver=solver, max_iter=max_iter, tol=1e-9, random_state=0)
        model.fit(X, y)
    estimate = np.concatenate([[model.intercept_], model.coef_])
    np.testing.assert_allclose(estimate, exact, rtol=rtol, atol=rtol)


def test_history_has_one_column_per_named_parameter(standardised):
    X, y, _ = standardised
    model = LinearRegression(solver="gd").fit(X, y)
    assert list(model.history_.columns) == [
        "step",
        "loss",
        "grad_norm",
        "intercept",
        "x0",
        "x1",
        "x2",
    ]
    assert model.history_["loss"].iloc[-1] < model.history_["loss"].iloc[0]


def test_gradient_descent_gets_the_same_inference_table_as_the_exact_solver(standardised):
    X, y, _ = standardised
    exact = LinearRegression().fit(X, y)
    descent = LinearRegression(solver="gd", tol=1e-10, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(descent.params_["std_error"], exact.params_["std_error"], rtol=1e-6)


def test_gradient_descent_diverges_when_learning_rate_exceeds_two_over_L(standardised):
    X, y, _ = standardised
    D = np.column_stack([np.ones(len(y)), X])
    L = 2 * np.linalg.norm(D, 2) ** 2 / len(y)
    with pytest.warns(DivergenceWarning, match="diverged"):
        model = LinearRegression(solver="gd", learning_rate=2.2 / L).fit(X, y)
    assert model.diverged_
    assert model.history_["loss"].iloc[-1] > model.history_["loss"].iloc[0]


def test_unscaled_features_make_gradient_descent_slow_and_it_says_so():
    rng = np.random.default_rng(3)
    conc = rng.uniform(0, 2000, 100)  # µg/mL: a large, uncentred scale
    y = 0.05 + 0.0006 * conc + rng.normal(0, 0.01, 100)
    with pytest.warns(UserWarning, match="standardise"):
        LinearRegression(solver="gd", max_iter=200).fit(conc.reshape(-1, 1), y)
