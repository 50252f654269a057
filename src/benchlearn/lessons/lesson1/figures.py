"""Figures of lesson 1. Each takes explicit arguments and returns a matplotlib ``Figure``.

The marimo app's cells call them with the learner's current widget values. Each builder draws
only from its arguments and is marked ``@shared_figure``, so a figure drawn with the same
arguments by another session (or another run) is not rendered again (``blocks.figure_html``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

from benchlearn.lessons.shared import shared_figure

MEASURED = "#d94801"
LINE = "#08519c"
RESIDUAL = "#cb181d"
TRAIN, TEST, CV = "#3182bd", "#d94801", "#31a354"
DIAGNOSIS_COLOURS = {"benign": "#3182bd", "malignant": "#d94801"}
CLUSTER_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")
# The loss surface's axes on the ELISA standards (exact line: b0 = 0.45, b1 = 1.14; gradient
# descent starts at 0, 0; lines through the data's centre have b0 ≈ 0.98 − 0.49·b1)
B0_RANGE = (-0.5, 1.5)
B1_RANGE = (-0.5, 2.5)


@shared_figure
def nesting_diagram() -> Figure:
    """Three nested regions: deep learning inside machine learning inside AI."""
    fig = Figure(figsize=(5.0, 3.2))
    ax = fig.subplots()
    rings = [
        ((0.5, 0.5), 0.96, 0.94, "#deebf7", "Artificial intelligence\n(rules written by people)"),
        ((0.56, 0.42), 0.66, 0.6, "#9ecae1", "Machine learning\n(rules learned from data)"),
        ((0.62, 0.34), 0.36, 0.3, "#4292c6", "Deep learning\n(neural networks)"),
    ]
    for (cx, cy), width, height, colour, label in rings:
        ax.add_patch(Ellipse((cx, cy), width, height, facecolor=colour, edgecolor="#08306b"))
        ax.text(cx, cy + height / 2 - 0.1, label, ha="center", va="center", fontsize=8.5)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


@shared_figure
def line_with_residuals(
    x: Any,
    y: Any,
    b0: float,
    b1: float,
    *,
    xlabel: str = "BSA concentration (mg/mL)",
    ylabel: str = "absorbance at 562 nm (AU)",
    x_name: str = "conc.",
    number_format: str = ".2f",
    points: str = "measured wells",
) -> Figure:
    """The measured standards, the line ``b0 + b1·x`` and each well's residual.

    The keywords label the figure for other data (the learner's own file).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    fig = Figure(figsize=(5.2, 3.6))
    ax = fig.subplots()
    predicted = b0 + b1 * x
    ax.vlines(x, predicted, y, color=RESIDUAL, lw=1.2, label="residuals")
    grid = np.linspace(x.min(), x.max(), 50)
    line_label = f"line: {b0:{number_format}} + {b1:{number_format}} × {x_name}"
    ax.plot(grid, b0 + b1 * grid, color=LINE, lw=2, label=line_label)
    ax.scatter(x, y, color=MEASURED, s=20, zorder=3, label=points)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def mse_grid(x: Any, y: Any, b0: np.ndarray, b1: np.ndarray) -> np.ndarray:
    """MSE of every line ``b0[j] + b1[i]·x`` (rows: b1, columns: b0), for contour plots."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    # one slope at a time: memory len(b0)·n rather than len(b1)·len(b0)·n (a learner's file
    # may have thousands of rows)
    surface = np.empty((len(b1), len(b0)))
    for i, slope in enumerate(b1):
        residuals = y[None, :] - b0[:, None] - slope * x[None, :]
        surface[i] = np.mean(residuals**2, axis=1)
    return surface


@shared_figure
def loss_surface(
    x: Any,
    y: Any,
    b0: float,
    b1: float,
    *,
    path: pd.DataFrame | None = None,
    exact: tuple[float, float] | None = None,
    b0_range: tuple[float, float] = B0_RANGE,
    b1_range: tuple[float, float] = B1_RANGE,
) -> Figure:
    """Contours of the MSE over (b0, b1), the learner's point, and optionally a descent path.

    Parameters
    ----------
    x, y
        The data.
    b0, b1
        The learner's current intercept and slope (drawn as a dot).
    path
        Gradient-descent history with columns ``intercept`` and the slope's column (second
        parameter column after ``step, loss, grad_norm``).
    exact
        The exact least-squares ``(b0, b1)``, drawn as a star.
    b0_range, b1_range
        The axes' extent (the sliders' ranges).
    """
    grid0 = np.linspace(*b0_range, 121)
    grid1 = np.linspace(*b1_range, 121)
    surface = mse_grid(x, y, grid0, grid1)
    fig = Figure(figsize=(5.2, 3.9))
    ax = fig.subplots()
    # floor the levels so a perfect fit (MSE 0) still gets a log scale, whatever the units
    floor = 1e-5 if surface.max() > 1e-3 else surface.max() * 1e-8
    levels = np.geomspace(max(surface.min(), floor), surface.max(), 18)
    contours = ax.contour(grid0, grid1, surface, levels=levels, cmap="viridis", linewidths=0.8)
    fig.colorbar(contours, ax=ax, label="MSE", format="%.2g")
    if path is not None and len(path):
        slope_column = path.columns[4]
        ax.plot(path["intercept"], path[slope_column], "-o", color="#e31a1c", ms=2.5, lw=1,
                label=f"gradient descent ({len(path) - 1} steps)")  # fmt: skip
    if exact is not None:
        ax.plot(*exact, marker="*", color="black", ms=13, ls="none", label="exact answer")
    ax.plot(b0, b1, "o", color="#fd8d3c", mec="black", ms=8, ls="none", label="your sliders")
    ax.set_xlim(*b0_range)
    ax.set_ylim(*b1_range)
    ax.set_xlabel("intercept b0")
    ax.set_ylabel("slope b1")
    ax.legend(fontsize=7.5, loc="upper right")
    fig.tight_layout()
    return fig


@shared_figure
def loss_per_step(history: pd.DataFrame, exact_loss: float) -> Figure:
    """The loss after each gradient-descent step (log scale), with the exact minimum."""
    fig = Figure(figsize=(4.6, 3.2))
    ax = fig.subplots()
    loss = history["loss"].to_numpy(dtype=float)
    finite = np.isfinite(loss)
    ax.semilogy(history["step"][finite], loss[finite], "-o", ms=2.5, color="#e31a1c",
                label="gradient descent")  # fmt: skip
    ax.axhline(exact_loss, color="black", ls="--", lw=1, label="exact minimum")
    ax.set_xlim(0, max(10, int(history["step"].max())))
    ax.set_xlabel("step")
    ax.set_ylabel("loss (MSE)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@shared_figure
def clusters_map(
    coordinates: np.ndarray,
    clusters: Any,
    diagnosis: Any,
    *,
    label_colours: dict[str, str] | None = None,
    label_name: str = "diagnosis",
    figsize: tuple[float, float] = (8.4, 3.6),
) -> Figure:
    """Two maps of the rows on their first two principal components.

    Left coloured by the k-means cluster, right by the label k-means never saw (the biopsies'
    diagnosis unless ``label_colours`` and ``label_name`` name another).
    """
    coordinates = np.asarray(coordinates)
    clusters, diagnosis = np.asarray(clusters), np.asarray(diagnosis)
    fig = Figure(figsize=figsize)
    left, right = fig.subplots(1, 2, sharex=True, sharey=True)
    for i, cluster in enumerate(np.unique(clusters)):
        mask = clusters == cluster
        left.scatter(*coordinates[mask].T, s=9, alpha=0.75, label=f"cluster {cluster}",
                     color=CLUSTER_COLOURS[i % len(CLUSTER_COLOURS)])  # fmt: skip
    for label, colour in (label_colours or DIAGNOSIS_COLOURS).items():
        mask = diagnosis == label
        right.scatter(*coordinates[mask].T, s=9, alpha=0.75, color=colour, label=label)
    left.set_title("k-means clusters (no labels used)", fontsize=10)
    right.set_title(f"{label_name} (revealed afterwards)", fontsize=10)
    for ax in (left, right):
        ax.set_xlabel("principal component 1")
        ax.legend(fontsize=7.5, markerscale=1.5)
    left.set_ylabel("principal component 2")
    fig.tight_layout()
    return fig


@shared_figure
def residual_plot(
    fitted: Any, residuals: Any, *, response: str = "progression", xlabel: str | None = None
) -> Figure:
    """Residuals against predictions (or against ``xlabel``'s quantity), with the zero line."""
    fig = Figure(figsize=(4.8, 3.3))
    ax = fig.subplots()
    ax.scatter(fitted, residuals, s=14, color=TEST)
    ax.axhline(0, color="black", lw=1)
    ax.set_xlabel(xlabel or f"predicted {response}")
    ax.set_ylabel("residual (measured − predicted)")
    fig.tight_layout()
    return fig


@shared_figure
def polynomial_fit(
    model: Any,
    X_train: pd.DataFrame,
    y_train: Any,
    X_test: pd.DataFrame,
    y_test: Any,
    *,
    xlabel: str = "BSA concentration (mg/mL)",
    ylabel: str = "absorbance at 562 nm (AU)",
    rows: str = "wells",
) -> Figure:
    """Training and test wells with a fitted polynomial curve (keywords: labels for other data)."""
    column = X_train.columns[0]
    low = min(X_train[column].min(), X_test[column].min())
    high = max(X_train[column].max(), X_test[column].max())
    grid = pd.DataFrame({column: np.linspace(low, high, 300)})
    fig = Figure(figsize=(4.8, 3.5))
    ax = fig.subplots()
    ax.plot(grid[column], model.predict(grid), color=LINE, lw=2,
            label=f"degree {model.degree} polynomial")  # fmt: skip
    ax.scatter(X_train[column], y_train, s=22, color=TRAIN, label=f"training {rows}", zorder=3)
    ax.scatter(X_test[column], y_test, s=28, marker="s", facecolor="none", edgecolor=TEST,
               label=f"test {rows}", zorder=3)  # fmt: skip
    ys = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    margin = 0.15 * (ys.max() - ys.min())
    ax.set_ylim(ys.min() - margin, ys.max() + margin)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


@shared_figure
def error_by_degree(table: pd.DataFrame, degree: int, *, ylabel: str = "RMSE (AU)") -> Figure:
    """Train, test and cross-validated RMSE against polynomial degree; current degree marked."""
    fig = Figure(figsize=(4.8, 3.5))
    ax = fig.subplots()
    ax.semilogy(table.index, table["train_rmse"], "-o", color=TRAIN, ms=4, label="training")
    ax.semilogy(table.index, table["test_rmse"], "-s", color=TEST, ms=4, label="test")
    ax.semilogy(table.index, table["cv_rmse"], "-^", color=CV, ms=4, label="cross-validation")
    ax.axvline(degree, color="grey", ls=":", lw=1.5, label=f"degree {degree}")
    ax.set_xlabel("polynomial degree")
    ax.set_ylabel(ylabel)
    ax.set_xticks(list(table.index))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
