"""Part 1's histogram under the rule slider: the two diagnoses along the nucleus radius.

The bars (the test biopsies' mean nucleus radius, benign and malignant drawn apart) never change,
so they are drawn once per server process (:func:`background`); moving the threshold only moves
a line laid over the picture in HTML (:func:`histogram_html`), which costs nothing to redraw.
The bins are the slider's steps, so each step of the slider moves the line past one bin edge and
the counts of :func:`mistakes` change by exactly the bars it crosses.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchlearn.lessons.shared import shared

# The rule slider's range and step (the app's "Rule threshold" slider uses these).
LOW, HIGH, STEP = 8.0, 25.0, 0.5
FIGSIZE = (5.0, 2.7)
DPI = 110
LINE_COLOUR = "#222222"
HEADROOM = 1.25  # the y axis reaches this many times the tallest bar


@dataclass(frozen=True)
class Background:
    """The drawn bars and where the axes sit in the picture.

    ``x_range`` is the x-axis extent in pixels of radius; ``axes`` the axes box as fractions of
    the picture's width and height, from its top left: ``(left, top, width, height)``.
    """

    png_uri: str
    width_px: int
    x_range: tuple[float, float]
    axes: tuple[float, float, float, float]

    def line_left(self, threshold: float) -> float:
        """Where the threshold falls, as a percentage of the picture's width."""
        start, stop = self.x_range
        left, _, width, _ = self.axes
        return 100 * (left + width * (threshold - start) / (stop - start))


def bin_edges(radius: np.ndarray) -> np.ndarray:
    """Edges on the slider's grid covering every radius (and the slider's whole range)."""
    low = min(LOW, np.floor(radius.min() / STEP) * STEP)
    high = max(HIGH, np.ceil(radius.max() / STEP) * STEP)
    return np.arange(low, high + STEP / 2, STEP)


@shared
def background() -> Background:
    """The histogram of the test biopsies' mean nucleus radius by diagnosis (drawn once)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from benchlearn.lessons.lesson1 import data
    from benchlearn.lessons.lesson1.figures import DIAGNOSIS_COLOURS
    from benchlearn.plots.render import figure_to_png_data_uri

    biopsy = data.biopsies()
    radius = biopsy.X_test["mean_radius"].to_numpy(dtype=float)
    diagnosis = biopsy.y_test.to_numpy()
    edges = bin_edges(radius)
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    tallest = 0.0
    for label, colour in DIAGNOSIS_COLOURS.items():
        counts, _, _ = ax.hist(radius[diagnosis == label], bins=edges, color=colour, alpha=0.65,
                               label=f"{label} ({int(np.sum(diagnosis == label))})")  # fmt: skip
        tallest = max(tallest, float(np.max(counts)))
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0, HEADROOM * tallest)  # room above the bars for the line's two labels
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("mean nucleus radius (pixels)")
    ax.set_ylabel("test biopsies")
    fig.legend(fontsize=8, loc="upper center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.9))  # the legend above the axes, clear of the line
    box = ax.get_position()
    return Background(
        png_uri=figure_to_png_data_uri(fig, dpi=DPI),
        width_px=round(FIGSIZE[0] * DPI),
        x_range=(float(edges[0]), float(edges[-1])),
        axes=(box.x0, 1 - box.y1, box.width, box.height),
    )


def histogram_html(threshold: float) -> str:
    """The histogram with the rule's threshold drawn as a vertical line over it.

    The line and its two labels are HTML laid over the cached picture, placed in percentages of
    the picture, so they stay on the right bar when the page shrinks the picture.
    """
    from benchlearn.lessons.page_load import picture_src

    drawn = background()
    _, top, _, height = drawn.axes
    x = drawn.line_left(threshold)
    alt = (
        "Histogram of the test biopsies' mean nucleus radius, benign and malignant in two "
        f"colours, with the rule's threshold at {threshold:g} pixels drawn as a vertical line: "
        "biopsies right of it are called malignant, left of it benign"
    )
    label = "position:absolute;font-size:0.8em;line-height:1.2;white-space:nowrap;color:#222"
    above = 100 * top + 1.5
    return (
        f'<div class="rule-histogram" data-testid="rule-histogram" data-threshold="{threshold:g}" '
        f'style="position:relative;display:inline-block;width:{drawn.width_px}px;max-width:100%">'
        f'<img src="{picture_src(drawn.png_uri)}" alt="{html.escape(alt)}" '
        'style="width:100%;height:auto">'
        f'<div data-testid="rule-line" style="position:absolute;left:{x:.2f}%;top:{100 * top:.2f}%;'
        f'height:{100 * height:.2f}%;border-left:2px dashed {LINE_COLOUR}"></div>'
        f'<span style="{label};right:{100 - x + 0.8:.2f}%;top:{above:.2f}%">'
        "called benign ←</span>"
        f'<span style="{label};left:{x + 0.8:.2f}%;top:{above:.2f}%">'
        "→ called malignant</span>"
        "</div>"
    )


def mistakes(X_test: pd.DataFrame, y_test: pd.Series, threshold: float) -> dict[str, int]:
    """The rule's two kinds of mistake on the test biopsies at ``threshold``.

    ``false_alarms``: benign biopsies above the threshold (called malignant);
    ``missed``: malignant biopsies at or below it (called benign).
    """
    above = X_test["mean_radius"].to_numpy(dtype=float) > threshold
    diagnosis = y_test.to_numpy()
    return {
        "false_alarms": int(np.sum(above & (diagnosis == "benign"))),
        "missed": int(np.sum(~above & (diagnosis == "malignant"))),
    }
