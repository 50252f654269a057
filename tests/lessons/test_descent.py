"""Gradient descent's record and the scaling comparison, on a learner's file."""

import numpy as np
import pytest
import sklearn.linear_model

from benchlearn.lessons.lesson1 import descent, own_data


def test_standardising_own_x_lets_gradient_descent_reach_the_exact_loss(plate):
    X, y = own_data.own_line_data(plate, "A562", "conc_ug_per_ml")
    table = descent.standardised_scaling_comparison(X, y)
    z = (X["conc_ug_per_ml"] - X["conc_ug_per_ml"].mean()) / X["conc_ug_per_ml"].std()
    for name, column in [("as given", X["conc_ug_per_ml"]), ("standardised", z)]:
        design = np.column_stack([np.ones(len(column)), column])
        assert table.loc[name, "condition_number"] == pytest.approx(np.linalg.cond(design))
    exact = sklearn.metrics.mean_squared_error(
        y, sklearn.linear_model.LinearRegression().fit(X, y).predict(X)
    )
    np.testing.assert_allclose(table["exact_loss"], exact, rtol=1e-9)
    assert table.loc["standardised", "loss_after_steps"] == pytest.approx(exact, rel=1e-6)
    assert table.loc["as given", "loss_after_steps"] > 10 * exact  # µg/mL: a narrow valley


def test_every_learning_rate_fitted_ahead_is_the_pages_own_run():
    import pandas as pd

    from benchlearn import LinearRegression
    from benchlearn.lessons.shared import kept

    def never():
        raise AssertionError("not fitted ahead")

    # data of this test only (the runs are kept for the whole process, by data and rate)
    X = pd.DataFrame({"x": [0.0, 0.5, 1.0, 1.5, 2.0]})
    y = pd.Series([0.1, 0.6, 1.1, 1.4, 2.1], name="y")
    descent.descend_ahead(X, y, (0.05, 3.0), 30).join(timeout=60)
    assert descent.descend_ahead(X, y, (0.05, 3.0), 30) is None  # once per data set
    for rate in (0.05, 3.0):  # 3.0 diverges: the run stops early, as on the page
        ahead = kept(descent.descent_key(X, y, rate), never)
        page = LinearRegression(solver="gd", learning_rate=rate, max_iter=30, tol=1e-12)
        with pytest.warns(Warning):
            page.fit(X, y)
        pd.testing.assert_frame_equal(ahead.history_, page.history_)
    assert ahead.diverged_


def test_the_pages_descent_cell_keeps_its_run_under_the_key_fitted_ahead():
    from benchlearn.lessons.lesson1.app import app

    (code,) = [c.code for c in app._cell_manager.cell_data() if "gd_model" in c.cell.defs]
    assert "kept(descent.descent_key(X_line, y_line, learning_rate.value), _descend)" in code
    assert "max_iter=settings.MAX_STEPS" in code and "tol=1e-12" in code
    assert "descent.descend_ahead(X_line, y_line, line.learning_rates, settings.MAX_STEPS)" in code


def test_the_divergence_limit_kept_per_data_set_is_each_data_sets_own():
    import pandas as pd

    x = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
    y = pd.Series([0.1, 0.6, 1.1, 1.4, 2.1], name="y")
    for scale in (1.0, 3.0):  # steeper valley, lower limit: a kept limit must not carry over
        X = pd.DataFrame({"x_limit_test": scale * x})
        design = np.column_stack([np.ones(len(x)), scale * x])
        limit = 2 / np.linalg.eigvalsh(2 * design.T @ design / len(x)).max()
        for steps in (0, 3):  # asked again: the same limit
            assert descent.descend(X, y, 0.01, steps).limit == pytest.approx(limit, rel=1e-10)
