"""Residual diagnostic figures, drawn from :func:`benchlearn.evaluate.residual_diagnostics`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

FIGSIZE = (5.0, 3.6)


def _label_flagged(ax, table: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> None:
    flagged = (table["outlier"] | table["influential"]).to_numpy()
    for label, xi, yi in zip(table.index[flagged], x[flagged], y[flagged], strict=True):
        ax.annotate(f"row {label}", (xi, yi), fontsize=7, xytext=(3, 3),
                    textcoords="offset points")  # fmt: skip


def residuals_vs_fitted(table: pd.DataFrame) -> Figure:
    """Residuals against fitted values: no pattern means the straight-line model is adequate."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    x, y = table["fitted"].to_numpy(), table["residual"].to_numpy()
    ax.axhline(0, color="#636363", lw=1, ls="--")
    ax.scatter(x, y, s=16, color="#3182bd")
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
    r = np.sort(table["standardized_residual"].to_numpy())
    n = len(r)
    theoretical = stats.norm.ppf((np.arange(1, n + 1) - 0.5) / n)
    ax.plot(theoretical, theoretical, color="#636363", lw=1, ls="--")
    ax.scatter(theoretical, r, s=16, color="#3182bd")
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
    ax.scatter(h, r, s=16, color="#3182bd")
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
