"""Figures of lesson 1. Each takes explicit arguments and returns a matplotlib ``Figure``.

The marimo app's cells call them with the learner's current widget values. Each builder draws
only from its arguments and is marked ``@shared_figure``, so a figure drawn with the same
arguments by another session (or another run) is not rendered again (``blocks.figure_html``).
Part 3's figures that follow a slider are drawn by :mod:`benchlearn.lessons.lesson1.part3_figures`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
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


def page_figure(figsize: tuple[float, float]) -> Figure:
    """A new figure at the resolution the page draws it (:data:`~.blocks.FIGURE_DPI`).

    ``tight_layout()`` measures every text of a figure and drawing it measures them again;
    at the same resolution matplotlib keeps the first measurements for the drawing (at
    another, it measures everything twice).
    """
    from benchlearn.lessons.lesson1.blocks import FIGURE_DPI

    return Figure(figsize=figsize, dpi=FIGURE_DPI)


@shared_figure
def nesting_diagram() -> Figure:
    """Three nested regions: deep learning inside machine learning inside AI."""
    fig = page_figure((5.0, 3.2))
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
    fig = page_figure(figsize)
    left, right = fig.subplots(1, 2, sharex=True, sharey=True)
    label_groups = [
        (diagnosis == label, colour, label)
        for label, colour in (label_colours or DIAGNOSIS_COLOURS).items()
    ]
    _cluster_panel(left, coordinates, clusters)
    scatter_groups(right, coordinates, label_groups, s=9, alpha=0.75)
    left.set_title("k-means clusters (no labels used)", fontsize=10)
    right.set_title(f"{label_name} (revealed afterwards)", fontsize=10)
    right.legend(fontsize=7.5, markerscale=1.5)
    left.set_ylabel("principal component 2")
    fig.tight_layout()
    return fig


def _cluster_panel(ax: Any, coordinates: np.ndarray, clusters: np.ndarray) -> None:
    """The left panel of :func:`clusters_map`: the rows coloured by cluster, with a legend."""
    groups = [
        (clusters == cluster, CLUSTER_COLOURS[i % len(CLUSTER_COLOURS)], f"cluster {cluster}")
        for i, cluster in enumerate(np.unique(clusters))
    ]
    scatter_groups(ax, coordinates, groups, s=9, alpha=0.75)
    ax.legend(fontsize=7.5, markerscale=1.5)


@shared_figure
def residual_plot(
    fitted: Any, residuals: Any, *, response: str = "progression", xlabel: str | None = None
) -> Figure:
    """Residuals against predictions (or against ``xlabel``'s quantity), with the zero line."""
    fig = page_figure((4.8, 3.3))
    ax = fig.subplots()
    ax.scatter(fitted, residuals, s=14, color=TEST)
    ax.axhline(0, color="black", lw=1)
    ax.set_xlabel(xlabel or f"predicted {response}")
    ax.set_ylabel("residual (measured − predicted)")
    fig.tight_layout()
    return fig


def scatter_groups(
    ax: Any, points: np.ndarray, groups: Iterable[tuple[Any, str, str]], **style: Any
) -> None:
    """Draw each group of rows on the first two principal components (``points``' columns).

    ``groups`` holds ``(mask, colour, label)``, one per group, in legend order; ``style``
    (marker size, transparency...) is the same for every group.
    """
    for mask, colour, label in groups:
        ax.scatter(points[mask, 0], points[mask, 1], color=colour, label=label, **style)
    ax.set_xlabel("principal component 1")


class ClustersMap:
    """:func:`clusters_map` of one set of rows, built once and recoloured for each clustering.

    Only the left panel depends on the clustering; the axes, their ticks, the right panel and
    the layout stay, so drawing another clustering costs about half of a new figure. The
    picture :meth:`recolour` leaves is the one :func:`clusters_map` draws with the same
    arguments. One thread at a time may recolour and render it (:attr:`lock`).
    """

    def __init__(self, coordinates: np.ndarray, clusters: Any, diagnosis: Any, **options: Any):
        self.coordinates = np.asarray(coordinates)
        self.fig = clusters_map.__wrapped__(self.coordinates, clusters, diagnosis, **options)
        self.lock = threading.Lock()

    def recolour(self, clusters: Any) -> Figure:
        """The figure, its left panel coloured by ``clusters`` (one per row)."""
        left = self.fig.axes[0]
        for artist in [*left.collections, left.get_legend()]:
            artist.remove()
        _cluster_panel(left, self.coordinates, np.asarray(clusters))
        return self.fig
