"""Turning matplotlib figures into self-contained text for offline HTML pages."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def figure_to_svg(fig: Figure) -> str:
    """Return the figure as an inline ``<svg>`` element (text kept as paths: no font is loaded).

    A figure laid out by ``tight_layout()`` fits its canvas and is drawn once, at its own size;
    any other is cropped to what is drawn (``bbox_inches="tight"``, a second draw).

    Parameters
    ----------
    fig
        The figure to render (made with ``matplotlib.figure.Figure``, not pyplot).
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}), _laid_out(fig) as laid_out:
        # No metadata block: it only carries links to matplotlib's and Dublin Core's sites.
        fig.savefig(
            buffer,
            format="svg",
            bbox_inches=None if laid_out else "tight",
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
    save_png(fig, buffer, dpi=dpi, tight=tight)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def save_png(
    fig: Figure, file: IO[bytes], dpi: float, *, tight: bool = False, **options: Any
) -> None:
    """``fig.savefig(file, format="png", dpi=dpi)``, drawing the figure once where it can.

    Parameters
    ----------
    fig
        The figure to render.
    file
        Where the PNG's bytes go.
    dpi
        Resolution of the bitmap.
    tight
        Crop the bitmap to what is drawn (``bbox_inches="tight"``: a second draw).
    options
        Further arguments of ``savefig`` (e.g. ``pil_kwargs``).
    """
    with _laid_out(fig):
        fig.savefig(file, format="png", dpi=dpi, bbox_inches="tight" if tight else None, **options)


@contextmanager
def _laid_out(fig: Figure) -> Iterator[bool]:
    """Within: ``fig`` without the placeholder layout engine ``fig.tight_layout()`` leaves;
    yields whether ``fig`` had it (whether ``tight_layout()`` laid the figure out).

    ``savefig`` draws a figure that has a layout engine twice: once to lay it out, once to
    print it. After ``tight_layout()`` the engine is a placeholder that lays out nothing, so the
    first draw is wasted: a third of a laid-out figure's rendering time. The same pixels come
    out without it.
    """
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if not isinstance(engine, PlaceHolderLayoutEngine):
        yield False
        return
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)  # with these settings: no engine at all
    try:
        yield True
    finally:
        fig.set_layout_engine(engine)


def plain(text: object) -> str:
    """``text`` as matplotlib must draw it: user text (a column named ``$\\frac{a$``) is a
    name, not math markup, so every ``$`` is escaped."""
    return str(text).replace("$", r"\$")
