"""Turning matplotlib figures into self-contained text for offline HTML pages."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def figure_to_svg(fig: Figure) -> str:
    """Return the figure as an inline ``<svg>`` element (text kept as paths: no font is loaded).

    Parameters
    ----------
    fig
        The figure to render (made with ``matplotlib.figure.Figure``, not pyplot).
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        # No metadata block: it only carries links to matplotlib's and Dublin Core's sites.
        fig.savefig(
            buffer,
            format="svg",
            bbox_inches="tight",
            metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
        )
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def figure_to_png_data_uri(fig: Figure, dpi: int = 110, *, tight: bool = True) -> str:
    """Return the figure as a ``data:image/png;base64,...`` URI for an ``<img src=...>``.

    Parameters
    ----------
    fig
        The figure to render (made with ``matplotlib.figure.Figure``, not pyplot).
    dpi
        Resolution of the bitmap.
    tight
        Crop the bitmap to what is drawn (``bbox_inches="tight"``), which costs a second draw
        of the figure. A figure already laid out by ``tight_layout()`` fits its canvas, so it
        can be rendered once with ``tight=False`` (the bitmap is then exactly the figure's size).
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight" if tight else None)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def plain(text: object) -> str:
    """``text`` as matplotlib must draw it: user text (a column named ``$\\frac{a$``) is a
    name, not math markup, so every ``$`` is escaped."""
    return str(text).replace("$", r"\$")
