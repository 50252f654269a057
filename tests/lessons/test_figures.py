"""Figure functions draw from explicit arguments; the loss-surface grid is the MSE."""

import numpy as np
import pytest
import sklearn.metrics
from matplotlib.figure import Figure

from benchlearn import PolynomialRegression
from benchlearn.lessons.lesson1 import (
    blocks,
    data,
    descent,
    figures,
    overfitting,
    own_data,
    settings,
)


def test_mse_grid_is_scikit_learns_mse_at_every_grid_point():
    X, y = data.assay_line_data()
    x = X.iloc[:, 0].to_numpy()
    b0, b1 = np.array([-0.2, 0.1, 0.6]), np.array([0.0, 1.1])
    grid = figures.mse_grid(x, y, b0, b1)
    assert grid.shape == (2, 3)
    for i, slope in enumerate(b1):
        for j, intercept in enumerate(b0):
            expected = sklearn.metrics.mean_squared_error(y, intercept + slope * x)
            assert grid[i, j] == pytest.approx(expected, rel=1e-12)


def test_every_lesson_figure_renders_at_the_default_widget_values():
    X, y = data.assay_line_data()
    x = X.iloc[:, 0]
    history = descent.descend(X, y, settings.DEFAULT_LEARNING_RATE, 5).history
    X_train, X_test, y_train, y_test = overfitting.curve_split()
    model = PolynomialRegression(degree=2).fit(X_train, y_train)
    drawn = [
        figures.nesting_diagram(),
        figures.line_with_residuals(x, y, settings.DEFAULT_B0, settings.DEFAULT_B1),
        figures.loss_surface(
            x, y, settings.DEFAULT_B0, settings.DEFAULT_B1, path=history, exact=(0.1, 1.1)
        ),
        figures.loss_per_step(history, 1e-4),
        figures.clusters_map(
            np.random.default_rng(0).normal(size=(6, 2)),
            [1, 1, 2, 2, 1, 2],
            ["benign", "malignant"] * 3,
        ),
        figures.residual_plot([1.0, 2.0], [0.5, -0.5]),
        figures.polynomial_fit(model, X_train, y_train, X_test, y_test),
        figures.error_by_degree(overfitting.overfitting_table().loc[:3], 2),
    ]
    for fig in drawn:
        assert isinstance(fig, Figure)
        assert blocks.figure_html(fig, "a figure").startswith('<img src="data:image/png;base64,')


def test_readouts_carry_a_stable_test_id_and_escape_their_text():
    html = blocks.readout_html("MSE = 0.0123 <ok>", "mse")
    assert 'data-testid="readout-mse"' in html and "MSE = 0.0123 &lt;ok&gt;" in html
    assert blocks.percent(0.9580419) == "95.8%"


def test_loss_surface_of_the_largest_allowed_table_is_the_mse_at_every_grid_point():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1000, own_data.MAX_OWN_ROWS)
    y = 0.1 + 0.001 * x + rng.normal(0, 0.02, x.size)
    b0, b1 = np.linspace(-1, 1, 121), np.linspace(-0.001, 0.003, 121)
    grid = figures.mse_grid(x, y, b0, b1)  # one slope at a time: ~10 MB, not 1.2 GB
    for i, j in [(0, 0), (60, 70), (120, 3)]:
        expected = sklearn.metrics.mean_squared_error(y, b0[j] + b1[i] * x)
        assert grid[i, j] == pytest.approx(expected, rel=1e-12)
