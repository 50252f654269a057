"""Figure of a standard curve with the unknown samples read off it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from benchlearn.plots.regression import model_input
from benchlearn.plots.render import plain

FIGSIZE = (6.4, 4.2)
IN_RANGE_COLOUR = "#08519c"
EXTRAPOLATED_COLOUR = "#cb181d"


def unknowns_on_curve(
    model: Any,
    x: pd.Series,
    y: pd.Series,
    unknowns: pd.DataFrame,
    *,
    log_x: bool = False,
    level: float = 0.95,
) -> Figure:
    """The standards, the fitted curve and each unknown's concentration with its interval.

    The calibrated range (from the lowest to the highest standard) is shaded; the curve is
    drawn dashed beyond it. Each unknown sits at its mean signal, with a horizontal bar for its
    interval: blue when inside the range, red and labelled "extrapolated" outside it.

    Parameters
    ----------
    model
        The fitted standard curve (one predictor, in the units of ``x``).
    x, y
        The standards as fitted (``x`` already log10 when ``log_x``).
    unknowns
        The table of :func:`benchlearn.assay.standard_curve.inverse_predict` with a ``sample``
        column, its ``estimate``, ``lower`` and ``upper`` in the units of ``x``.
    log_x
        Label the x axis as log10 of the concentration.
    level
        Confidence level of the intervals (for the legend).
    """
    low, high = float(np.min(x)), float(np.max(x))
    finite = unknowns[["estimate", "lower", "upper"]].to_numpy(dtype=float).ravel()
    finite = finite[np.isfinite(finite)]
    span_low = min(low, *finite) if finite.size else low
    span_high = max(high, *finite) if finite.size else high
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    ax.axvspan(low, high, color="#f0f0f0", zorder=0, label="calibrated range (standards)")
    for start, stop, style in [(span_low, low, "--"), (low, high, "-"), (high, span_high, "--")]:
        if stop > start:
            grid = np.linspace(start, stop, 120)
            curve = model.predict(model_input(model, x.name, grid))
            ax.plot(grid, curve, style, color="#525252", lw=1.5,
                    label="fitted curve" if style == "-" else None)  # fmt: skip
    ax.scatter(x, y, color="#d94801", s=16, zorder=3, label="standards")
    for kind, colour in [("calibrated", IN_RANGE_COLOUR), ("extrapolated", EXTRAPOLATED_COLOUR)]:
        rows = unknowns[(unknowns["interval_kind"] == kind) & np.isfinite(unknowns["estimate"])]
        if rows.empty:
            continue
        lower = np.where(np.isfinite(rows["lower"]), rows["lower"], span_low)
        upper = np.where(np.isfinite(rows["upper"]), rows["upper"], span_high)
        estimate = rows["estimate"].to_numpy(dtype=float)
        what = "inside the range" if kind == "calibrated" else "EXTRAPOLATED, outside the range"
        ax.errorbar(estimate, rows["signal"], xerr=[estimate - lower, upper - estimate],
                    fmt="D", color=colour, ms=5, capsize=3, zorder=4, gid=f"unknowns-{kind}",
                    label=f"unknowns {what} ({100 * level:.0f}% interval)")  # fmt: skip
        for name, xe, ye in zip(rows["sample"], estimate, rows["signal"], strict=True):
            ax.annotate(str(name), (xe, ye), textcoords="offset points", xytext=(4, 5),
                        fontsize=7, color=colour)  # fmt: skip
    ax.set_xlabel(plain(f"log10 {x.name}" if log_x else str(x.name or "x")))
    ax.set_ylabel(plain(y.name or "signal"))
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig
