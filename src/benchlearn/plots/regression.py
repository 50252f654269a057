"""Figures of a fitted regression: the data with the fitted line and its bands.

Many rows (above :data:`~benchlearn.plots.points.POINT_LIMIT`) are drawn as a density, so the
figure stays small whatever the size of the fit (see :mod:`benchlearn.plots.points`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from benchlearn.plots.points import draw_points
from benchlearn.plots.render import plain

FIGSIZE = (6.0, 4.0)


def fit_with_bands(
    model: Any,
    x: pd.Series,
    y: pd.Series,
    *,
    level: float = 0.95,
    title: str | None = None,
    log_x: bool = False,
    prediction: bool = True,
) -> Figure:
    """Data, fitted line, confidence band (where the line is) and prediction band (new points).

    Parameters
    ----------
    model
        Fitted on the single predictor ``x``.
    x, y
        The data (named Series give the axis labels).
    level
        Coverage of both bands.
    title
        Figure title.
    log_x
        Label the x axis as log10 of the predictor.
    prediction
        Draw the prediction band (left out for weighted fits, where it depends on the weight).
    """
    grid = np.linspace(float(np.min(x)), float(np.max(x)), 200)
    X_grid = model_input(model, x.name, grid)
    conf = model.predict_interval(X_grid, kind="confidence", level=level)
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    if prediction:
        pred = model.predict_interval(X_grid, kind="prediction", level=level)
        ax.fill_between(grid, pred["lower"], pred["upper"], color="#9ecae1", alpha=0.35,
                        label=f"{100 * level:.0f}% prediction band (new measurements)")  # fmt: skip
    ax.fill_between(grid, conf["lower"], conf["upper"], color="#3182bd", alpha=0.35,
                    label=f"{100 * level:.0f}% confidence band (the line)")  # fmt: skip
    ax.plot(grid, conf["mean"], color="#08519c", lw=2, label="fitted")
    draw_points(ax, x, y, color="#d94801", size=18, label="measured")
    ax.set_xlabel(plain(f"log10 {x.name}" if log_x else str(x.name or "x")))
    ax.set_ylabel(plain(y.name or "y"))
    ax.legend(fontsize=8, loc="best")
    if title:
        ax.set_title(plain(title))
    fig.tight_layout()
    return fig


def model_input(model: Any, name: Any, values: np.ndarray) -> Any:
    """Values of the single predictor as the model takes them: a column named ``name`` if it
    was fitted on a DataFrame, else a one-column array."""
    if getattr(model, "feature_names_in_", None) is not None:
        return pd.DataFrame({name if name is not None else "x": values})
    return values[:, None]


def observed_vs_predicted(model: Any, X: Any, y: pd.Series) -> Figure:
    """Measured against predicted values: points on the diagonal are predicted exactly."""
    predicted = model.predict(X)
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    draw_points(ax, predicted, y, color="#d94801", size=18, label="measured")
    low, high = float(min(predicted.min(), np.min(y))), float(max(predicted.max(), np.max(y)))
    ax.plot([low, high], [low, high], color="#636363", lw=1, ls="--", label="perfect prediction")
    ax.set_xlabel(plain(f"predicted {y.name or 'y'}"))
    ax.set_ylabel(plain(f"measured {y.name or 'y'}"))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
