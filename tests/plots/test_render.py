"""Figures as self-contained text: one drawing for a laid-out figure, a crop for any other."""

from __future__ import annotations

import base64
import io
import re

from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from benchlearn.plots.render import figure_to_png_data_uri, figure_to_svg


def labelled_figure(*, laid_out: bool) -> Figure:
    fig = Figure(figsize=(4.0, 3.0))
    ax = fig.subplots()
    ax.plot([0, 1, 2], [0.1, 0.5, 0.9])
    ax.set_xlabel("concentration (µg/mL)")
    ax.set_ylabel("A562")
    if laid_out:
        fig.tight_layout()
    return fig


def svg_size_pt(svg: str) -> tuple[float, float]:
    width, height = (float(re.search(rf'{name}="([\d.]+)pt"', svg).group(1))
                     for name in ("width", "height"))  # fmt: skip
    return width, height


def test_a_laid_out_figure_is_written_at_its_own_size_and_keeps_its_layout():
    fig = labelled_figure(laid_out=True)
    svg = figure_to_svg(fig)
    assert svg_size_pt(svg) == (4.0 * 72, 3.0 * 72)  # not cropped
    assert "<path" in svg and "<text" not in svg  # text as paths: no font needed
    assert isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine)  # given back


def test_a_figure_nobody_laid_out_is_cropped_to_what_is_drawn():
    width, height = svg_size_pt(figure_to_svg(labelled_figure(laid_out=False)))
    assert width < 4.0 * 72 and height < 3.0 * 72  # the default margins trimmed


def test_an_uncropped_png_is_exactly_the_figures_size():
    uri = figure_to_png_data_uri(labelled_figure(laid_out=True), dpi=50, tight=False)
    png = base64.b64decode(uri.split(",", 1)[1])
    from PIL import Image

    assert Image.open(io.BytesIO(png)).size == (200, 150)
