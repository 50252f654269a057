"""HTML building blocks of lesson 1 (figures, tables, readouts), shared by the app and handout.

They return plain HTML strings (no marimo), so the offline handout can use them as they are;
the marimo app wraps them in ``mo.Html``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


def figure_html(fig: Figure, alt: str) -> str:
    """The figure as an ``<img>`` with a PNG data URI (nothing fetched) and alternative text."""
    from benchlearn.plots.render import figure_to_png_data_uri

    dpi = 110
    width = round(fig.get_figwidth() * dpi)
    return (
        f'<img src="{figure_to_png_data_uri(fig, dpi=dpi)}" alt="{html.escape(alt)}" '
        f'style="width:{width}px;max-width:100%;height:auto">'
    )


def table_html(frame: pd.DataFrame, *, digits: int = 4, index: bool = True) -> str:
    """A small DataFrame as a plain HTML table, numbers shown to ``digits`` significant digits."""
    return frame.to_html(
        index=index,
        float_format=lambda v: f"{v:.{digits}g}",
        border=0,
        classes="benchlearn-table",
        na_rep="",
    )


def readout_html(text: str, testid: str) -> str:
    """A key number in a stable element, e.g. ``readout_html("MSE = 0.0123", "mse")``.

    Browser tests find it by ``data-testid="readout-<testid>"``.
    """
    return (
        f'<p class="readout" data-testid="readout-{testid}">'
        f"<strong>{html.escape(text)}</strong></p>"
    )


def feedback_html(question_id: str, correct: bool, text: str) -> str:
    """Feedback on an answer, findable by ``data-testid="feedback-<question_id>"``."""
    return (
        f'<div data-testid="feedback-{question_id}" data-correct="{str(correct).lower()}">'
        f"{html.escape(text)}</div>"
    )


def percent(value: float) -> str:
    """A share as a percentage with one decimal, e.g. ``95.8%``."""
    return f"{100 * value:.1f}%"
