"""Figures of the biotech examples (:mod:`benchlearn.lessons.lesson1.biotech`).

Each takes the numbers an example computed and returns a matplotlib ``Figure`` (made without
pyplot, so pages can render it with :mod:`benchlearn.plots.render`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from benchlearn.lessons.lesson1.figures import (
    CLUSTER_COLOURS,
    LINE,
    MEASURED,
    page_figure,
    scatter_groups,
)

TYPE_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
                "#7b4173")  # fmt: skip
MARKERS = ("o", "^", "s", "D", "v", "P")


def _colour(i: int) -> str:
    return (CLUSTER_COLOURS + TYPE_COLOURS)[i % (len(CLUSTER_COLOURS) + len(TYPE_COLOURS))]


def solubility_figure(
    predictions: pd.DataFrame, test_r2: float, descriptors: Sequence[str]
) -> Figure:
    """Predicted against measured logS of the test molecules, with the line of perfect agreement."""
    fig = page_figure((4.8, 4.0))
    ax = fig.subplots()
    measured, predicted = predictions["measured"], predictions["predicted"]
    low = min(measured.min(), predicted.min()) - 0.5
    high = max(measured.max(), predicted.max()) + 0.5
    ax.plot([low, high], [low, high], color="black", lw=1, ls="--", label="perfect prediction")
    ax.scatter(measured, predicted, s=12, color=MEASURED, alpha=0.7,
               label=f"{len(predictions)} test molecules")  # fmt: skip
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_xlabel("measured solubility, logS (log10 mol/L)")
    ax.set_ylabel("predicted logS (log10 mol/L)")
    # the longest choice names six descriptors: wrapped, so the title stays inside the figure
    title = f"from {', '.join(descriptors)}: test R² = {test_r2:.2f}"
    ax.set_title("\n".join(textwrap.wrap(title, 55)), fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def screening_figure(hits_in_rank_order: np.ndarray, n_selected: int, base_rate: float) -> Figure:
    """Hits found as compounds are tested in the model's order, against random order."""
    hits = np.asarray(hits_in_rank_order, dtype=bool)
    tested = np.arange(len(hits) + 1)
    found = np.concatenate([[0], np.cumsum(hits)])
    fig = page_figure((5.2, 3.8))
    ax = fig.subplots()
    ax.plot(tested, found, color=LINE, lw=2, label="in the model's order")
    ax.plot(tested, base_rate * tested, color="grey", ls="--", lw=1.5,
            label="in random order (on average)")  # fmt: skip
    ax.axvline(n_selected, color=MEASURED, lw=1.2)
    ax.plot([n_selected], [found[n_selected]], "o", color=MEASURED, ms=7,
            label=f"test {n_selected}: {found[n_selected]} hits")  # fmt: skip
    ax.set_xlabel("untested compounds tested next")
    ax.set_ylabel("hits found (pIC50 ≥ 7)")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def clusters_on_map(
    points: np.ndarray, clusters: np.ndarray, labels: np.ndarray, *, title: str, label_name: str
) -> Figure:
    """Samples on two principal components: colour = cluster found, marker = known label."""
    fig = page_figure((5.2, 4.0))
    ax = fig.subplots()
    for j, label in enumerate(pd.unique(labels)):
        for k in np.unique(clusters):
            chosen = (labels == label) & (clusters == k)
            ax.scatter(points[chosen, 0], points[chosen, 1], s=18, color=_colour(int(k)),
                       marker=MARKERS[j % len(MARKERS)], alpha=0.8, edgecolors="none")  # fmt: skip
    for k in np.unique(clusters):
        ax.scatter([], [], color=_colour(int(k)), marker="s", label=f"cluster {k}")
    for j, label in enumerate(pd.unique(labels)):
        ax.scatter([], [], color="grey", marker=MARKERS[j % len(MARKERS)],
                   label=f"{label_name}: {label}")  # fmt: skip
    ax.set_xlabel("principal component 1")
    ax.set_ylabel("principal component 2")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="best", ncol=2)
    fig.tight_layout()
    return fig


def cells_figure(
    points: np.ndarray, clusters: np.ndarray, cell_types: np.ndarray, ari: float
) -> Figure:
    """The cells on two principal components, coloured by sorted cell type and by cluster."""
    fig = page_figure((9.0, 4.0))
    left, right = fig.subplots(1, 2, sharex=True, sharey=True)
    type_groups = [
        (cell_types == name, TYPE_COLOURS[i], name)
        for i, name in enumerate(sorted(pd.unique(cell_types)))
    ]
    cluster_groups = [(clusters == k, _colour(int(k)), f"cluster {k}") for k in np.unique(clusters)]
    scatter_groups(left, points, type_groups, s=8, edgecolors="none")
    scatter_groups(right, points, cluster_groups, s=8, edgecolors="none")
    left.set_title("cell type (FACS-sorted reference)", fontsize=9)
    right.set_title(f"k-means clusters (no labels): ARI {ari:.2f}", fontsize=9)
    for ax in (left, right):
        ax.legend(fontsize=6, loc="upper right", markerscale=1.5)
    left.set_ylabel("principal component 2")
    fig.tight_layout()
    return fig


def nuclei_figure(
    image: np.ndarray, truth: np.ndarray, predicted: np.ndarray, iou: float
) -> Figure:
    """The image, the hand-drawn nuclei, and the model's marks (agreements and errors)."""
    fig = page_figure((9.0, 3.4))
    axes = fig.subplots(1, 3)
    axes[0].imshow(image, cmap="gray")
    axes[0].set_title("fluorescence image", fontsize=9)
    axes[1].imshow(truth, cmap="gray")
    axes[1].set_title("nuclei outlined by a person", fontsize=9)
    overlay = np.ones((*truth.shape, 3))
    overlay[truth & predicted] = (0.13, 0.4, 0.67)  # both: blue
    overlay[~truth & predicted] = (0.85, 0.28, 0.0)  # marked, not a nucleus: orange
    overlay[truth & ~predicted] = (0.6, 0.6, 0.6)  # missed: grey
    axes[2].imshow(overlay)
    axes[2].set_title(f"model: IoU {iou:.2f} (blue right, orange extra, grey missed)", fontsize=8)
    for ax in axes:
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def bias_figure(groups: pd.DataFrame, grouping: str, same: float, new: float) -> Figure:
    """Cross-validated accuracy per patient group, and the accuracy lost on a new population."""
    fig = page_figure((9.0, 3.6))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    x = np.arange(len(groups))
    left.bar(x - 0.2, groups["accuracy"], width=0.4, color=LINE, label="model (cross-validated)")
    left.bar(x + 0.2, groups["always_positive"], width=0.4, color="#bdbdbd",
             label="always say ER-positive")  # fmt: skip
    ticks = [f"{g}\n({n} patients)" for g, n in groups["patients"].items()]
    left.set_xticks(x, ticks, fontsize=7)
    left.set_ylim(0, 1)
    left.set_ylabel("accuracy")
    left.set_title(f"ER status from 76 genes, by {grouping}", fontsize=9)
    left.legend(fontsize=7, loc="lower right")
    right.bar([0, 1], [same, new], color=[LINE, MEASURED], width=0.6)
    right.set_xticks(
        [0, 1], ["grade 1-2\n(like training)", "grade 3\n(new population)"], fontsize=7
    )
    right.set_ylim(0, 1)
    right.set_title("trained on grade 1-2 tumours only", fontsize=9)
    for i, value in enumerate([same, new]):
        right.text(i, value + 0.02, f"{value:.2f}", ha="center", fontsize=8)
    fig.tight_layout()
    return fig
