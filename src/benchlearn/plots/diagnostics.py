"""Residual diagnostic figures, drawn from :func:`benchlearn.evaluate.residual_diagnostics`.

Above :data:`~benchlearn.plots.points.POINT_LIMIT` rows the points become a density and the Q-Q
plot draws :data:`~benchlearn.plots.points.QUANTILE_LIMIT` evenly spaced order statistics, so a
million-row fit gives figures of a few hundred kilobytes (see :mod:`benchlearn.plots.points`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from benchlearn.plots.points import draw_points, label_rows, quantile_positions

FIGSIZE = (5.0, 3.6)


def _label_flagged(ax, table: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> None:
    flagged = (table["outlier"] | table["influential"]).to_numpy()
    extremeness = table["cooks_distance"].to_numpy()[flagged]
    label_rows(ax, table.index[flagged], x[flagged], y[flagged], extremeness)


def residuals_vs_fitted(table: pd.DataFrame) -> Figure:
    """Residuals against fitted values: no pattern means the straight-line model is adequate."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    x, y = table["fitted"].to_numpy(), table["residual"].to_numpy()
    ax.axhline(0, color="#636363", lw=1, ls="--")
    draw_points(ax, x, y, color="#3182bd")
    _label_flagged(ax, table, x, y)
    ax.set_xlabel("fitted value")
    ax.set_ylabel("residual (measured - fitted)")
    ax.set_title("Residuals vs fitted", fontsize=10)
    fig.tight_layout()
    return fig


def normal_qq(table: pd.DataFrame) -> Figure:
    """Standardized residuals against normal quantiles: a straight line means normal noise."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    r = table["standardized_residual"].to_numpy()
    n = len(r)
    ranks = quantile_positions(n)
    r = np.sort(r)[ranks] if len(ranks) == n else np.partition(r, ranks)[ranks]
    theoretical = stats.norm.ppf((ranks + 0.5) / n)
    ax.plot(theoretical, theoretical, color="#636363", lw=1, ls="--")
    ax.scatter(theoretical, r, s=16, color="#3182bd")
    if len(ranks) < n:
        ax.text(0.99, 0.01, f"{len(ranks):,} evenly spaced quantiles of {n:,} rows",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=7,
                color="#636363")  # fmt: skip
    ax.set_xlabel("normal quantile")
    ax.set_ylabel("standardized residual")
    ax.set_title("Normal Q-Q", fontsize=10)
    fig.tight_layout()
    return fig


def leverage_cooks(table: pd.DataFrame, n_params: int) -> Figure:
    """Standardized residual against leverage, with Cook's distance 0.5 and 1 contours."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    h = table["leverage"].to_numpy()
    r = table["standardized_residual"].to_numpy()
    draw_points(ax, h, r, color="#3182bd")
    grid = np.linspace(max(h.min(), 1e-3) * 0.9, min(0.99, h.max() * 1.1 + 0.01), 100)
    for distance, style in [(0.5, ":"), (1.0, "--")]:
        # Cook's D = r² h / (p (1 - h))  =>  r = ±sqrt(D p (1 - h) / h)
        bound = np.sqrt(distance * n_params * (1 - grid) / grid)
        ax.plot(grid, bound, color="#de2d26", ls=style, lw=1, label=f"Cook's distance {distance}")
        ax.plot(grid, -bound, color="#de2d26", ls=style, lw=1)
    ax.set_ylim(min(r.min(), -3) * 1.1, max(r.max(), 3) * 1.1)
    _label_flagged(ax, table, h, r)
    ax.set_xlabel("leverage")
    ax.set_ylabel("standardized residual")
    ax.set_title("Leverage and influence", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
