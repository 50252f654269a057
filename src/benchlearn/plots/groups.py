"""Figures comparing groups: each group's measurements and its own fitted line."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from benchlearn.plots.render import plain

FIGSIZE = (6.0, 4.0)
COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def group_lines(data: pd.DataFrame, comparison: Any, *, title: str | None = None) -> Figure:
    """Each group's points and fitted straight line, in its own colour and marker.

    Parameters
    ----------
    data
        The table the comparison was computed from (columns ``comparison.x``, ``.y`` and
        ``.group``).
    comparison
        A :class:`benchlearn.linear.compare.LineComparison`: its ``lines`` table gives each
        group's slope (and intercept, unless through the origin).
    title
        Figure title.

    Returns
    -------
    Figure
        Each line is drawn over its own group's range of x, so nothing is extrapolated.
    """
    x, y, group = comparison.x, comparison.y, comparison.group
    labels = data[group].astype(str).str.strip()
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    for k, (name, line) in enumerate(comparison.lines.iterrows()):
        rows = (labels == str(name)).to_numpy()
        xs = pd.to_numeric(data.loc[rows, x], errors="coerce").to_numpy(dtype=float)
        ys = pd.to_numeric(data.loc[rows, y], errors="coerce").to_numpy(dtype=float)
        colour, marker = COLOURS[k % len(COLOURS)], MARKERS[k % len(MARKERS)]
        intercept = 0.0 if comparison.through_origin else float(line["intercept"])
        grid = np.linspace(np.nanmin(xs), np.nanmax(xs), 50)
        ax.scatter(xs, ys, color=colour, marker=marker, s=22, zorder=3)
        ax.plot(grid, intercept + float(line["slope"]) * grid, color=colour, lw=2)
        # An empty line carries both marker and line style into the legend.
        ax.plot([], [], color=colour, marker=marker, lw=2,
                label=plain(f"{name}: slope {float(line['slope']):.4g}"))  # fmt: skip
    ax.set_xlabel(plain(x))
    ax.set_ylabel(plain(y))
    ax.legend(title=plain(group), fontsize=8, title_fontsize=8, loc="best")
    if title:
        ax.set_title(plain(title))
    fig.tight_layout()
    return fig
