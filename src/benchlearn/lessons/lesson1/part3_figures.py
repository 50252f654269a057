"""Part 3's figures that follow a control: a picture drawn once per data set, the moving part
drawn over it (:mod:`benchlearn.lessons.lesson1.overlays`).

The ``*_backdrop`` functions draw what a control does not change and are cached for every
session of the server (:func:`benchlearn.lessons.shared.shared`; their arguments are tuples, so
the learner's own data get their own pictures). The ``*_html`` functions draw the moving part
over a backdrop: a line, a dot, a path, a curve, a marker; they take well under a millisecond.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from benchlearn.lessons.lesson1 import overlays
from benchlearn.lessons.lesson1.figures import CV, LINE, MEASURED, RESIDUAL, TEST, TRAIN
from benchlearn.lessons.lesson1.overlays import Backdrop
from benchlearn.lessons.shared import shared
from benchlearn.plots.render import plain

SLIDERS_DOT = "#fd8d3c"
PATH = "#e31a1c"
SURFACE_POINTS = 101


def values(column: Any) -> tuple[float, ...]:
    """A column of numbers as a tuple: the hashable key the cached backdrops take."""
    return tuple(float(v) for v in np.asarray(column, dtype=float).ravel())


def _margin(low: float, high: float, share: float = 0.08) -> tuple[float, float]:
    span = high - low or abs(high) or 1.0
    return low - share * span, high + share * span


def _rows_backdrop(fig: Figure, ax: Any, x: Any, y: Any, xlabel: str, ylabel: str, *,
                   x_share: float = 0.08) -> Backdrop:  # fmt: skip
    """``fig`` rendered with its axes around the rows ``x``, ``y`` (a margin of ``x_share`` and
    0.15 of their spans), labelled, and the legend at the upper left."""
    ax.set_xlim(*_margin(min(x), max(x), x_share))
    ax.set_ylim(*_margin(min(y), max(y), 0.15))
    ax.set_xlabel(plain(xlabel))
    ax.set_ylabel(plain(ylabel))
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return overlays.backdrop(fig, ax)


# ---- the line and its residuals (sliders b0, b1) ----------------------------------------------
@shared
def line_backdrop(x: tuple[float, ...], y: tuple[float, ...], xlabel: str, ylabel: str,
                  points: str) -> Backdrop:  # fmt: skip
    """The measured rows on their axes, with a legend for the line and residuals drawn later."""
    fig = Figure(figsize=(4.6, 3.4))
    ax = fig.subplots()
    ax.scatter(x, y, color=MEASURED, s=20, zorder=3, label=plain(points))
    ax.add_line(Line2D([], [], color=LINE, lw=2, label="your line"))
    ax.add_line(Line2D([], [], color=RESIDUAL, lw=1.2, label="residuals"))
    return _rows_backdrop(fig, ax, x, y, xlabel, ylabel)


def line_html(back: Backdrop, x: Any, y: Any, b0: float, b1: float, alt: str) -> str:
    """The line ``b0 + b1·x`` across the axes and each row's residual, over ``back``."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ends = np.asarray(back.xlim)
    shapes = [
        overlays.segments(back, x, b0 + b1 * x, y, RESIDUAL),
        overlays.polyline(back, ends, b0 + b1 * ends, LINE),
    ]
    return overlays.figure_html(back, shapes, alt, "line")


# ---- the loss surface (sliders, and the gradient-descent path) --------------------------------
@shared
def surface_backdrop(x: tuple[float, ...], y: tuple[float, ...],
                     b0_range: tuple[float, float], b1_range: tuple[float, float],
                     with_path: bool) -> Backdrop:  # fmt: skip
    """Contours of the MSE over the sliders' ranges, computed and drawn once per data set.

    ``with_path``: the map of the descent, with legend entries for its path and the exact
    answer; else the sliders' map, with an entry for their point.
    """
    from benchlearn.lessons.lesson1.figures import mse_grid

    grid0 = np.linspace(*b0_range, SURFACE_POINTS)
    grid1 = np.linspace(*b1_range, SURFACE_POINTS)
    surface = mse_grid(x, y, grid0, grid1)
    fig = Figure(figsize=(4.9, 3.4))
    ax = fig.subplots()
    # floor the levels so a perfect fit (MSE 0) still gets a log scale, whatever the units
    floor = 1e-5 if surface.max() > 1e-3 else surface.max() * 1e-8
    levels = np.geomspace(max(surface.min(), floor), surface.max(), 18)
    contours = ax.contour(grid0, grid1, surface, levels=levels, cmap="viridis", linewidths=0.8)
    fig.colorbar(contours, ax=ax, label="MSE", format="%.2g")
    if with_path:
        ax.add_line(Line2D([], [], color=PATH, marker="o", ms=2.5, lw=1,
                           label="gradient descent"))  # fmt: skip
        ax.add_line(Line2D([], [], color="black", marker="*", ms=11, ls="none",
                           label="exact answer"))  # fmt: skip
    else:
        ax.add_line(Line2D([], [], color=SLIDERS_DOT, marker="o", mec="black", ms=7, ls="none",
                           label="your sliders"))  # fmt: skip
    ax.set_xlim(*b0_range)
    ax.set_ylim(*b1_range)
    ax.set_xlabel("intercept b0")
    ax.set_ylabel("slope b1")
    ax.legend(fontsize=7.5, loc="upper right")
    fig.tight_layout()
    return overlays.backdrop(fig, ax)


def surface_html(
    back: Backdrop,
    alt: str,
    *,
    sliders: tuple[float, float] | None = None,
    path: pd.DataFrame | None = None,
    exact: tuple[float, float] | None = None,
    name: str = "surface",
) -> str:
    """The sliders' point, or a descent path and the exact answer, over the loss surface."""
    shapes = []
    if path is not None and len(path):
        b0s, b1s = path["intercept"].to_numpy(float), path[path.columns[4]].to_numpy(float)
        shapes.append(overlays.polyline(back, b0s, b1s, PATH, width=1.2))
        shapes.append(overlays.dots(back, b0s, b1s, PATH, radius=1.8, edge=PATH))
    if exact is not None:
        shapes.append(overlays.star(back, *exact))
    if sliders is not None:
        shapes.append(overlays.dots(back, *sliders, SLIDERS_DOT))
    return overlays.figure_html(back, shapes, alt, name)


# ---- the over-fitting demo (degree slider) ----------------------------------------------------
@shared
def curve_backdrop(x_train: tuple[float, ...], y_train: tuple[float, ...],
                   x_test: tuple[float, ...], y_test: tuple[float, ...],
                   xlabel: str, ylabel: str, rows: str) -> Backdrop:  # fmt: skip
    """Training and test rows on their axes; the polynomial is drawn over them later."""
    fig = Figure(figsize=(4.6, 3.4))
    ax = fig.subplots()
    ax.add_line(Line2D([], [], color=LINE, lw=2, label="polynomial"))
    ax.scatter(x_train, y_train, s=22, color=TRAIN, label=f"training {rows}", zorder=3)
    ax.scatter(x_test, y_test, s=28, marker="s", facecolor="none", edgecolor=TEST,
               label=f"test {rows}", zorder=3)  # fmt: skip
    xs, ys = [*x_train, *x_test], [*y_train, *y_test]
    return _rows_backdrop(fig, ax, xs, ys, xlabel, ylabel, x_share=0.04)


def curve_html(back: Backdrop, model: Any, column: str, alt: str) -> str:
    """The fitted polynomial ``model`` over the training and test rows of ``back``."""
    low, high = back.xlim
    grid = pd.DataFrame({column: np.linspace(low, high, 240)})
    shapes = [overlays.polyline(back, grid[column], model.predict(grid), LINE)]
    return overlays.figure_html(back, shapes, alt, "curve")


@shared
def errors_backdrop(degrees: tuple[int, ...], train: tuple[float, ...], test: tuple[float, ...],
                    cv: tuple[float, ...], ylabel: str,
                    floor: float | None = None) -> Backdrop:  # fmt: skip
    """Training, test and cross-validated RMSE against degree (the table never changes).

    Training errors at ``floor`` stand for errors of 0, which a log scale cannot show: they
    sit on the bottom edge, marked "≈ 0".
    """
    fig = Figure(figsize=(4.6, 3.4))
    ax = fig.subplots()
    ax.semilogy(degrees, train, "-o", color=TRAIN, ms=4, label="training")
    ax.semilogy(degrees, test, "-s", color=TEST, ms=4, label="test")
    ax.semilogy(degrees, cv, "-^", color=CV, ms=4, label="cross-validation")
    ax.add_line(Line2D([], [], color="grey", ls=":", lw=1.5, label="chosen degree"))
    if floor is not None:
        ax.set_ylim(bottom=floor)
        for degree, value in zip(degrees, train, strict=True):
            if value <= floor:
                ax.annotate("≈ 0", (degree, value), textcoords="offset points", xytext=(-4, 6),
                            ha="right", fontsize=8, color=TRAIN)  # fmt: skip
    ax.set_xlim(min(degrees) - 0.4, max(degrees) + 0.4)
    ax.set_xlabel("polynomial degree")
    ax.set_ylabel(plain(ylabel))
    ax.set_xticks(list(degrees))
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return overlays.backdrop(fig, ax)


def table_backdrop(table: pd.DataFrame, ylabel: str) -> Backdrop:
    """:func:`errors_backdrop` of a degree table (``train_rmse``, ``test_rmse``, ``cv_rmse``).

    A training error of 0 (below a billionth of the largest: a curve through every training
    row) cannot sit on a log scale: it is drawn on the bottom edge, at half the smallest error
    shown.
    """
    train = table["train_rmse"].to_numpy(float)
    zero = train <= 1e-9 * train.max()
    shown = [*table["test_rmse"], *table["cv_rmse"], *train[~zero]]
    floor = 0.5 * float(np.min(shown))
    return errors_backdrop(tuple(int(d) for d in table.index), values(np.where(zero, floor, train)),
                           values(table["test_rmse"]), values(table["cv_rmse"]), ylabel,
                           floor if zero.any() else None)  # fmt: skip


def errors_html(back: Backdrop, degree: int, alt: str) -> str:
    """The chosen degree marked on the errors-by-degree backdrop."""
    return overlays.figure_html(back, [overlays.vertical(back, degree)], alt, "errors")


# ---- the loss after each gradient-descent step (buttons) --------------------------------------
STEP_WINDOWS = (10, 50, 100, 200, 500, 1000, 2000)


def step_window(steps: int) -> int:
    """The loss chart's last step: the smallest of :data:`STEP_WINDOWS` that holds ``steps``."""
    return next((w for w in STEP_WINDOWS if steps <= w), int(steps))


def loss_top(loss: Any) -> float:
    """The loss chart's top: 3 times the loss at step 0, or, when a run climbs above that
    (divergence), the next power of ten above its highest loss."""
    loss = np.asarray(loss, dtype=float)
    highest = float(np.max(loss[np.isfinite(loss)], initial=loss[0]))
    if highest <= 3 * loss[0]:
        return 3 * float(loss[0])
    return float(10.0 ** np.ceil(np.log10(highest * 1.5)))


@shared
def loss_backdrop(last_step: int, top: float, exact_loss: float) -> Backdrop:
    """Empty log-scale axes for the loss per step, with the exact minimum as a dashed line.

    The y axis runs from below the exact minimum to ``top`` (:func:`loss_top`).
    """
    bottom = exact_loss / 2 if exact_loss > top * 1e-10 else top * 1e-10
    fig = Figure(figsize=(4.2, 3.4))
    ax = fig.subplots()
    ax.set_yscale("log")
    ax.axhline(exact_loss, color="black", ls="--", lw=1, label="exact minimum")
    ax.add_line(Line2D([], [], color=PATH, marker="o", ms=2.5, label="gradient descent"))
    ax.set_xlim(-0.02 * last_step, last_step * 1.02)
    ax.set_ylim(bottom, top)
    ax.set_xlabel("step")
    ax.set_ylabel("loss (MSE)")
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return overlays.backdrop(fig, ax)


def loss_html(history: pd.DataFrame, exact_loss: float, alt: str) -> str:
    """The loss after each step of ``history`` (``step``, ``loss``) on its cached axes."""
    steps, loss = history["step"].to_numpy(float), history["loss"].to_numpy(float)
    back = loss_backdrop(step_window(int(steps[-1])), loss_top(loss), float(exact_loss))
    shapes = [overlays.polyline(back, steps, loss, PATH, width=1.2)]
    if len(steps) <= 60:  # single steps are worth a dot each; a long run is a line
        shapes.append(overlays.dots(back, steps, loss, PATH, radius=2.0, edge=PATH))
    return overlays.figure_html(back, shapes, alt, "loss")


def descent_html(back: Backdrop, history: pd.DataFrame, exact_loss: float,
                 exact: tuple[float, float] | None) -> tuple[str, str]:  # fmt: skip
    """The gradient-descent panel's two figures: the path of ``history`` over the loss surface
    ``back`` (with the exact answer ``exact``, once solved), and the loss after each step."""
    steps = len(history) - 1
    return (
        surface_html(back, f"Loss surface with the path of {steps} gradient-descent steps",
                     path=history, exact=exact, name="descent"),
        loss_html(history, exact_loss, "Loss after each gradient-descent step, on a log scale"),
    )  # fmt: skip
