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
