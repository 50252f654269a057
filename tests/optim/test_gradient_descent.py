"""The gradient-descent optimizer on problems whose answers are known in closed form."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from benchlearn.optim import DivergenceWarning, gradient_descent, lipschitz_constant_least_squares


def quadratic(center: np.ndarray, curvature: np.ndarray):
    """loss = sum(curvature/2 · (theta - center)²): minimum at center, L = max(curvature)."""

    def loss_and_grad(theta, rows):
        diff = theta - center
        return float(0.5 * curvature @ diff**2), curvature * diff

    return loss_and_grad


def test_full_batch_descent_reaches_the_minimum_and_records_every_step():
    f = quadratic(np.array([1.0, -2.0]), np.array([1.0, 4.0]))
    result = gradient_descent(f, np.zeros(2), n_samples=1, learning_rate=0.25, tol=1e-10,
                              param_names=["a", "b"])  # fmt: skip
    np.testing.assert_allclose(result.theta, [1.0, -2.0], atol=1e-9)
    assert result.converged and not result.diverged
    assert list(result.history.columns) == ["step", "loss", "grad_norm", "a", "b"]
    assert len(result.history) == result.n_iter + 1
    assert result.history["loss"].is_monotonic_decreasing


def test_gradient_descent_diverges_when_learning_rate_exceeds_two_over_L():
    L = 4.0
    f = quadratic(np.array([1.0, -2.0]), np.array([1.0, L]))
    with pytest.warns(DivergenceWarning, match=r"limit 2/L is 0\.5"):
        result = gradient_descent(
            f, np.zeros(2), n_samples=1, learning_rate=1.05 * 2 / L, max_iter=10_000, lipschitz=L
        )
    assert result.diverged and not result.converged
    assert result.n_iter < 10_000  # stopped early instead of running to max_iter
    losses = result.history["loss"].to_numpy()
    assert losses[-1] > 1e6 * losses[0]


def test_learning_rate_just_below_two_over_L_still_converges():
    L = 4.0
    f = quadratic(np.array([1.0, -2.0]), np.array([1.0, L]))
    result = gradient_descent(f, np.zeros(2), n_samples=1, learning_rate=0.95 * 2 / L,
                              max_iter=5000, tol=1e-8)  # fmt: skip
    assert result.converged


def test_too_few_steps_warns_about_convergence_and_suggests_scaling():
    f = quadratic(np.array([1.0, -2.0]), np.array([1e-3, 1.0]))
    with pytest.warns(ConvergenceWarning, match="standardise"):
        result = gradient_descent(f, np.zeros(2), n_samples=1, learning_rate=1.0, max_iter=20)
    assert not result.converged


def test_lipschitz_constant_is_the_largest_hessian_eigenvalue_of_the_mse():
    rng = np.random.default_rng(0)
    D = rng.normal(size=(40, 3))
    hessian = 2 * D.T @ D / 40
    assert lipschitz_constant_least_squares(D) == pytest.approx(np.linalg.eigvalsh(hessian)[-1])


def test_stochastic_runs_are_reproducible_with_a_seed():
    rng = np.random.default_rng(1)
    D, y = rng.normal(size=(50, 2)), rng.normal(size=50)

    def f(theta, rows):
        Dr, yr = (D, y) if rows is None else (D[rows], y[rows])
        r = yr - Dr @ theta
        return float(r @ r / len(yr)), -2 * Dr.T @ r / len(yr)

    with pytest.warns(ConvergenceWarning, match="did not converge in 5 epochs"):  # tol=0
        a = gradient_descent(f, np.zeros(2), n_samples=50, learning_rate=0.05, max_iter=5,
                             batch_size=1, random_state=3, tol=0)  # fmt: skip
    with pytest.warns(ConvergenceWarning, match="did not converge in 5 epochs"):
        b = gradient_descent(f, np.zeros(2), n_samples=50, learning_rate=0.05, max_iter=5,
                             batch_size=1, random_state=3, tol=0)  # fmt: skip
    np.testing.assert_array_equal(a.theta, b.theta)
