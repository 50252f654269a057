"""Many rows make a density and a stated number of quantiles and labels, so figures stay small."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure

from benchlearn import LinearRegression
from benchlearn.evaluate import residual_diagnostics
from benchlearn.plots import diagnostics, regression
from benchlearn.plots.points import (
    LABEL_LIMIT,
    POINT_LIMIT,
    QUANTILE_LIMIT,
    draw_points,
    quantile_positions,
)
from benchlearn.plots.render import figure_to_svg

BIG = 20_000


def axes():
    return Figure().subplots()


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_up_to_the_limit_every_row_is_a_point():
    ax = axes()
    draw_points(ax, np.arange(POINT_LIMIT), np.arange(POINT_LIMIT), color="#3182bd")
    (points,) = ax.collections
    assert isinstance(points, PathCollection) and len(points.get_offsets()) == POINT_LIMIT


def test_above_the_limit_rows_become_a_rasterized_density_that_says_so():
    rng = np.random.default_rng(1)
    ax = axes()
    draw_points(ax, rng.normal(size=BIG), rng.normal(size=BIG), color="#d94801", label="measured")
    density = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(density) == 1 and density[0].get_rasterized()
    assert density[0].get_array().sum() == BIG  # every row counted in some cell
    legend = [h.get_label() for h in ax.collections if isinstance(h, PathCollection)]
    assert legend == [f"measured: {BIG:,} rows as a density (darker = more)"]


def test_a_density_leaves_out_rows_that_are_not_numbers():
    x = np.r_[np.arange(POINT_LIMIT + 10.0), np.nan]
    ax = axes()
    draw_points(ax, x, x, color="#3182bd")
    (density,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert density.get_array().sum() == POINT_LIMIT + 10
    assert texts(ax) == [f"{POINT_LIMIT + 10:,} rows as a density (darker = more)"]


def test_quantile_positions_are_all_ranks_or_evenly_spaced_ones_with_both_ends():
    assert quantile_positions(7).tolist() == list(range(7))
    ranks = quantile_positions(BIG)
    assert len(ranks) == QUANTILE_LIMIT and ranks[0] == 0 and ranks[-1] == BIG - 1
    assert np.all(np.diff(ranks) > 0)


@pytest.fixture(scope="module")
def big_fit():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"conc": rng.uniform(0, 10, BIG)})
    y = pd.Series(1 + 0.5 * X["conc"] + rng.standard_t(3, BIG), name="signal")
    model = LinearRegression().fit(X, y)
    return model, X, y, residual_diagnostics(model, X, y)


def test_the_qq_plot_of_many_rows_draws_exact_order_statistics_at_stated_ranks(big_fit):
    *_, table = big_fit
    ax = diagnostics.normal_qq(table).axes[0]
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    drawn = points.get_offsets()[:, 1]
    ranks = quantile_positions(BIG)
    np.testing.assert_array_equal(drawn, np.sort(table["standardized_residual"])[ranks])
    assert texts(ax) == [f"{QUANTILE_LIMIT:,} evenly spaced quantiles of {BIG:,} rows"]


def test_only_the_most_influential_flagged_rows_are_labelled(big_fit):
    *_, table = big_fit
    ax = diagnostics.leverage_cooks(table, 2).axes[0]
    labels = [a.get_text() for a in ax.texts if a.get_text().startswith("row ")]
    flagged = table[table["outlier"] | table["influential"]]
    top = flagged["cooks_distance"].nlargest(LABEL_LIMIT).index
    assert sorted(labels) == sorted(f"row {r}" for r in top)
    assert f"the {LABEL_LIMIT} most extreme of {len(flagged):,} flagged rows" in texts(ax)[-1]


def test_the_figures_of_a_big_fit_stay_small(big_fit):
    model, X, y, table = big_fit
    figures = [
        regression.fit_with_bands(model, X["conc"], y),
        regression.observed_vs_predicted(model, X, y),
        diagnostics.residuals_vs_fitted(table),
        diagnostics.normal_qq(table),
        diagnostics.leverage_cooks(table, model.rank_),
    ]
    sizes = [len(figure_to_svg(figure)) for figure in figures]
    assert max(sizes) < 400_000, sizes
