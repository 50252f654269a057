"""The row-block exact engine: the same answer whatever the blocks, the right factorization for
the conditioning, and no copy of the data."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from benchlearn import LinearRegression
from benchlearn.linear.exact import SequentialPasses, array_blocks, solve_in_passes
from benchlearn.linear.qr import solve_least_squares


def fit(X, y, rows=None, weights=None, **options):
    passes = SequentialPasses(array_blocks(X, y, weights, True, rows=rows))
    return solve_in_passes(passes, fit_intercept=True, **options)


@pytest.fixture(scope="module")
def cubic():
    """A cubic in x on [5, 10]: raw powers make the scaled condition number about 2e3."""
    rng = np.random.default_rng(5)
    x = rng.uniform(5, 10, 3000)
    X = np.column_stack([x, x**2, x**3, rng.normal(size=x.size)])
    y = 1 + X @ [0.5, -0.2, 0.01, 2.0] + rng.normal(0, 0.1, x.size)
    return X, y


@pytest.fixture(scope="module")
def screen():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(5000, 6)) * [1, 10, 100, 0.1, 5, 50]
    y = 2 + X @ rng.normal(size=6) + rng.normal(size=5000)
    return X, y


def householder_reference(X, y):
    return solve_least_squares(np.column_stack([np.ones(len(y)), X]), y)


def test_well_conditioned_data_are_factored_by_cholesky_of_one_gram_pass(screen):
    X, y = screen
    result = fit(X, y)
    assert result.factorization == "cholesky"
    assert result.scaled_condition_number < 100
    np.testing.assert_allclose(result.coef, householder_reference(X, y).coef, rtol=1e-14)


def test_ill_conditioned_data_take_householder_blocks_and_stay_exact(cubic):
    X, y = cubic
    result = fit(X, y, rows=500)
    assert result.factorization == "householder" and result.extended
    reference = householder_reference(X, y)
    np.testing.assert_allclose(result.coef, reference.coef, rtol=1e-13)
    np.testing.assert_allclose(np.abs(result.R), np.abs(reference.R), rtol=1e-12)


@pytest.mark.parametrize("rows", [1, 7, 256, 10_000])
def test_the_answer_does_not_depend_on_the_block_size(cubic, rows):
    X, y = cubic
    if rows == 1:  # a block per row: 300 rows show it as well as 3,000, at a tenth of the cost
        X, y = X[:300], y[:300]
    whole = fit(X, y)
    blocked = fit(X, y, rows=rows)
    np.testing.assert_allclose(blocked.coef, whole.coef, rtol=1e-14)
    assert blocked.sse == pytest.approx(whole.sse, rel=1e-13)
    assert blocked.tss == pytest.approx(whole.tss, rel=1e-13)


def test_tall_data_need_one_float64_refinement_pass(screen):
    X, y = screen
    result = fit(X, y, rows=512, extended_precision=False)
    assert (result.n_passes, result.n_refinements, result.extended) == (2, 1, False)
    np.testing.assert_allclose(result.coef, householder_reference(X, y).coef, rtol=1e-13)


def test_one_pass_fit_reads_once_and_is_close(cubic):
    X, y = cubic
    one_pass = fit(X, y, rows=500, refine=False)
    assert one_pass.n_passes == 1 and one_pass.n_refinements == 0
    np.testing.assert_allclose(one_pass.coef, fit(X, y).coef, rtol=1e-9)


def test_weighted_rows_are_the_square_root_weighted_problem(screen):
    X, y = screen
    w = np.linspace(0.2, 3.0, len(y))
    weighted = fit(X, y, weights=w, rows=300)
    root = np.sqrt(w)
    reference = solve_least_squares(np.column_stack([root, X * root[:, None]]), y * root)
    np.testing.assert_allclose(weighted.coef, reference.coef, rtol=1e-13)


def test_an_aliased_column_is_found_and_the_rest_fitted(screen):
    X, y = screen
    with_copy = np.column_stack([X, X[:, 1] - 2 * X[:, 2]])
    result = fit(with_copy, y, rows=700)
    assert result.factorization == "householder"
    assert list(result.aliased) == [False] * 7 + [True]
    np.testing.assert_allclose(result.coef[:7], fit(X, y).coef, rtol=1e-12)


def test_the_in_memory_fit_holds_no_copy_of_the_data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(60_000, 60))
    y = X @ rng.normal(size=60) + rng.normal(size=60_000)
    tracemalloc.start()
    try:
        LinearRegression().fit(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 0.2 * X.nbytes, (peak, X.nbytes)
