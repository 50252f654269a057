"""The figures a clinical chemist expects from a method comparison.

- the new method against the reference with the line of identity and the Deming and
  Passing-Bablok lines;
- the Bland-Altman plot: differences against means, the bias and the limits of agreement,
  each with its confidence interval shaded.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

FIGSIZE = (6.0, 4.4)
DEMING_COLOUR = "#08519c"
PASSING_BABLOK_COLOUR = "#cb181d"


def comparison_scatter(
    x: Any, y: Any, comparison: Any, *, reference: str = "reference", new: str = "new"
) -> Figure:
    """The new method against the reference, with identity, Deming and Passing-Bablok lines.

    Parameters
    ----------
    x, y
        Reference and new method, one value per sample.
    comparison
        A :class:`benchlearn.assay.method_comparison.MethodComparison` of the same pairs.
    reference, new
        Axis labels.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    ax.scatter(x, y, s=14, color="#525252", alpha=0.8, label="samples", zorder=3)
    low, high = min(x.min(), y.min()), max(x.max(), y.max())
    grid = np.linspace(low, high, 2)
    ax.plot(grid, grid, ":", color="#969696", lw=1.2, label="identity (y = x)")
    for fit, colour in ((comparison.deming, DEMING_COLOUR),
                        (comparison.passing_bablok, PASSING_BABLOK_COLOUR)):  # fmt: skip
        a, b = fit.intercept.value, fit.slope.value
        ax.plot(grid, a + b * grid, color=colour, lw=1.6,
                label=f"{fit.method}: y = {a:.3g} + {b:.4g}·x")  # fmt: skip
    ax.set_xlabel(f"{reference} (reference)")
    ax.set_ylabel(f"{new} (new)")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def bland_altman_plot(result: Any, *, reference: str = "reference", new: str = "new") -> Figure:
    """Differences (new - reference) against the pairs' means, with bias and limits.

    The bias and the two limits of agreement are drawn as lines, each with its confidence
    interval as a shaded band.

    Parameters
    ----------
    result
        A :class:`benchlearn.assay.method_comparison.BlandAltman`.
    reference, new
        Names of the methods, for the axis labels.
    """
    fig = Figure(figsize=FIGSIZE)
    ax = fig.subplots()
    ax.scatter(result.means, result.differences, s=14, color="#525252", alpha=0.8,
               label="samples", zorder=3)  # fmt: skip
    ax.axhline(0.0, color="#969696", lw=1, ls=":")
    for q, colour, style in ((result.bias, DEMING_COLOUR, "-"),
                             (result.lower_limit, PASSING_BABLOK_COLOUR, "--"),
                             (result.upper_limit, PASSING_BABLOK_COLOUR, "--")):  # fmt: skip
        ax.axhline(q.value, color=colour, ls=style, lw=1.4, label=f"{q.name} {q.value:.4g}")
        ax.axhspan(q.lower, q.upper, color=colour, alpha=0.12, lw=0)
    ax.set_xlabel(f"mean of {new} and {reference}")
    ax.set_ylabel(f"{new} - {reference}")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
