"""Figures whose moving part is drawn over a picture rendered once: Part 3's fast figures.

A slider move must redraw its figure within about a tenth of a second, and matplotlib takes
longer than that to draw even a small figure. So everything a control does not change (the
measured wells, the axes, the contours of the loss surface, the legend) is rendered once per
data set as a PNG, a :class:`Backdrop` that remembers where its axes sit in the picture; what
the control changes (a line, a dot, a path, a curve) is drawn over it as a few SVG shapes in the
same coordinates, which takes microseconds. Both travel in one HTML block, with nothing fetched
from anywhere, so the handout shows them exactly as the page does; in a session of the lesson
server the picture is named by its address in that server instead, so that a move does not send
it again (:func:`benchlearn.lessons.page_load.picture_src`).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 100
COLOURS = 256


@dataclass(frozen=True)
class Backdrop:
    """A figure rendered once, and where its axes lie in the picture.

    Attributes
    ----------
    uri
        The picture, a ``data:image/png;base64,...`` URI.
    width, height
        Its size in pixels.
    box
        The axes' ``(left, top, right, bottom)`` in pixels from the picture's top-left corner.
    xlim, ylim
        The axes' data limits.
    ylog
        True when the y axis is logarithmic.
    """

    uri: str
    width: int
    height: int
    box: tuple[float, float, float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    ylog: bool = False

    def pixels(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        """Data coordinates to picture pixels (y counted down from the top)."""
        left, top, right, bottom = self.box
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        ylim = np.log10(self.ylim) if self.ylog else np.asarray(self.ylim)
        if self.ylog:
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.log10(y)
        px = left + (x - self.xlim[0]) / (self.xlim[1] - self.xlim[0]) * (right - left)
        py = bottom - (y - ylim[0]) / (ylim[1] - ylim[0]) * (bottom - top)
        return px, py


def backdrop(fig: Figure, ax: Axes) -> Backdrop:
    """Render ``fig`` (laid out already) and note where ``ax`` lies in the picture.

    The picture is a PNG of at most :data:`COLOURS` colours: a third of the bytes of matplotlib's
    full-colour PNG, with no visible difference on these line drawings, and every move of a
    control sends its figure's picture to the page again.
    """
    from PIL import Image

    from benchlearn.plots.render import save_png

    rendered = io.BytesIO()
    save_png(fig, rendered, DPI)  # no tight crop: the axes stay where they are
    rendered.seek(0)
    buffer = io.BytesIO()
    with Image.open(rendered) as image:
        image.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT).save(
            buffer, format="PNG", optimize=True
        )
    width, height = round(fig.get_figwidth() * DPI), round(fig.get_figheight() * DPI)
    position = ax.get_position()
    box = (position.x0 * width, (1 - position.y1) * height,
           position.x1 * width, (1 - position.y0) * height)  # fmt: skip
    return Backdrop(
        uri="data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"),
        width=width,
        height=height,
        box=box,
        xlim=tuple(float(v) for v in ax.get_xlim()),
        ylim=tuple(float(v) for v in ax.get_ylim()),
        ylog=ax.get_yscale() == "log",
    )


def thinned(px: np.ndarray, py: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points ``(px, py)`` (pixels) without those that fall on the half-pixel of the point
    before: a converged run of 2,000 steps is a few hundred points on screen, not 2,000."""
    px, py = np.atleast_1d(px), np.atleast_1d(py)
    if len(px) < 2:
        return px, py
    cell = np.round(np.column_stack([px, py]) * 2)
    moved = np.r_[True, np.any(cell[1:] != cell[:-1], axis=1)]
    moved[-1] = True  # the last point is where the path ends
    return px[moved], py[moved]


def _points(px: np.ndarray, py: np.ndarray) -> str:
    keep = np.isfinite(px) & np.isfinite(py)
    # far outside the picture a path still points the right way; clamp to keep SVG numbers sane
    px, py = thinned(np.clip(px[keep], -1e4, 1e4), np.clip(py[keep], -1e4, 1e4))
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py, strict=True))


def polyline(back: Backdrop, x: Any, y: Any, colour: str, width: float = 2.0) -> str:
    """An SVG line through the points ``(x, y)`` (data coordinates)."""
    points = _points(*back.pixels(x, y))
    return (
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{width}" '
        'stroke-linejoin="round"/>'
    )


def segments(back: Backdrop, x: Any, y_from: Any, y_to: Any, colour: str) -> str:
    """Vertical SVG segments from ``y_from`` to ``y_to`` at each ``x`` (e.g. residuals)."""
    px, top = back.pixels(x, y_from)
    _, end = back.pixels(x, y_to)
    top, end = np.clip(top, -1e4, 1e4), np.clip(end, -1e4, 1e4)
    return "".join(
        f'<line x1="{a:.1f}" y1="{b:.1f}" x2="{a:.1f}" y2="{c:.1f}" stroke="{colour}" '
        'stroke-width="1.3"/>'
        for a, b, c in zip(px, top, end, strict=True)
    )


def dots(
    back: Backdrop, x: Any, y: Any, colour: str, radius: float = 5.0, edge: str = "black"
) -> str:
    """SVG circles at ``(x, y)`` (one for circles that would fall on the same half-pixel)."""
    px, py = back.pixels(np.atleast_1d(x), np.atleast_1d(y))
    px, py = thinned(np.clip(px, -1e4, 1e4), np.clip(py, -1e4, 1e4))
    return "".join(
        f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{radius}" fill="{colour}" stroke="{edge}" '
        'stroke-width="1"/>'
        for a, b in zip(px, py, strict=True)
    )


def star(back: Backdrop, x: float, y: float, colour: str = "black", size: float = 9.0) -> str:
    """A five-pointed SVG star centred on ``(x, y)``."""
    px, py = back.pixels([x], [y])
    angles = np.pi / 2 + np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, size, size * 0.4)
    corners = _points(px[0] + radii * np.cos(angles), py[0] - radii * np.sin(angles))
    return f'<polygon points="{corners}" fill="{colour}"/>'


def vertical(back: Backdrop, x: float, colour: str = "grey") -> str:
    """A dotted vertical SVG line across the axes at ``x``."""
    px, _ = back.pixels([x], [back.ylim[0]])
    _, top, _, bottom = back.box
    return (
        f'<line x1="{px[0]:.1f}" y1="{top:.1f}" x2="{px[0]:.1f}" y2="{bottom:.1f}" '
        f'stroke="{colour}" stroke-width="1.6" stroke-dasharray="2,3"/>'
    )


def figure_html(back: Backdrop, shapes: Iterable[str], alt: str, name: str) -> str:
    """The backdrop with ``shapes`` drawn over it, clipped to the axes, as one HTML block.

    ``alt`` describes the whole figure (its ``<img>`` carries it); ``name`` labels the block
    (``data-figure``). The shapes sit in an inner ``<svg>`` covering just the axes, with the
    picture's own coordinates: it hides what falls outside, with no id or link to refer to.
    """
    from benchlearn.lessons.page_load import picture_src

    left, top, right, bottom = back.box
    box = f"{left:.1f} {top:.1f} {right - left:.1f} {bottom - top:.1f}"
    x, y, width, height = box.split()
    # in a served lesson, the picture's address (sent once) rather than the picture itself
    return (
        f'<div class="overlay-figure" data-figure="{html.escape(name)}" '
        f'style="position:relative;width:{back.width}px;max-width:100%">'
        f'<img src="{picture_src(back.uri)}" alt="{html.escape(alt)}" '
        'style="display:block;width:100%;height:auto">'
        f'<svg viewBox="0 0 {back.width} {back.height}" aria-hidden="true" '
        'style="position:absolute;left:0;top:0;width:100%;height:100%">'
        f'<svg x="{x}" y="{y}" width="{width}" height="{height}" viewBox="{box}">'
        f"{''.join(shapes)}</svg></svg></div>"
    )
