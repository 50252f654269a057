"""Figure functions draw from explicit arguments; the loss-surface grid is the MSE."""

import numpy as np
import pytest
import sklearn.metrics
from matplotlib.figure import Figure

from benchlearn.lessons.lesson1 import blocks, data, figures, own_data


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
    # Part 3's figures that follow a slider are checked in test_part3_figures.py
    drawn = [
        figures.nesting_diagram(),
        figures.clusters_map(
            np.random.default_rng(0).normal(size=(6, 2)),
            [1, 1, 2, 2, 1, 2],
            ["benign", "malignant"] * 3,
        ),
        figures.residual_plot([1.0, 2.0], [0.5, -0.5]),
    ]
    for fig in drawn:
        assert isinstance(fig, Figure)
        assert blocks.figure_html(fig, "a figure").startswith('<img src="data:image/png;base64,')


def test_a_recoloured_clusters_map_is_the_map_drawn_for_that_clustering():
    # Part 2 recolours one map per data set for every k rather than drawing a new one
    coordinates = np.random.default_rng(1).normal(size=(12, 2))
    diagnosis = ["benign", "malignant"] * 6
    two, three = [1, 2] * 6, [1, 2, 3] * 4
    drawing = figures.ClustersMap(coordinates, three, diagnosis)
    recoloured = blocks.figure_html(drawing.recolour(two), "map")
    assert recoloured == blocks.figure_html(
        figures.clusters_map(coordinates, two, diagnosis), "map"
    )
    assert blocks.figure_html(drawing.recolour(three), "map") != recoloured


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


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("gd_status", {"b0": "0.4512", "b1": "-1.1400", "exact_loss": "0.000123"}),
        ("gd_diverged", {"learning_rate": "0.9", "stop_note": "here it stopped at step 12",
                         "limit": "0.778"}),
        ("under_the_hood", {"steps": 50, "gd_b0": "0.3000", "gd_b1": "1.0500",
                            "exact_b0": "0.4512", "exact_b1": "1.1400"}),
    ],
)  # fmt: skip
def test_a_filled_template_is_the_markdown_of_the_filled_text(key, values):
    import marimo as mo

    from benchlearn.lessons.lesson1 import content

    assert blocks.filled_html(key, **values) == mo.md(content.fill(key, **values)).text
    with pytest.raises(KeyError, match="needs values"):
        blocks.filled_html(key)
