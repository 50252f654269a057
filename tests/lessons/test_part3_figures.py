"""Part 3's figures that follow a control: a picture drawn once, the moving part over it.

The overlay's coordinates are checked against matplotlib's own data-to-pixel transform of the
same axes, and the shapes drawn against the numbers they stand for.
"""

import base64
import io
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from benchlearn import PolynomialRegression
from benchlearn.lessons.lesson1 import data, descent, overfitting, overlays, part3_figures, settings


def picture_pixels(fig, ax, x, y):
    """Where matplotlib puts data points in the saved picture (y counted from the top)."""
    fig.set_dpi(overlays.DPI)
    shown = ax.transData.transform(np.column_stack([x, y]))
    return shown[:, 0], fig.get_figheight() * overlays.DPI - shown[:, 1]


@pytest.mark.parametrize("log", [False, True])
def test_backdrop_pixels_are_matplotlibs_own_transform(log):
    fig = Figure(figsize=(4.0, 3.0))
    ax = fig.subplots()
    ax.plot([0.5, 3.0], [0.02, 40.0])
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("x")
    fig.tight_layout()
    back = overlays.backdrop(fig, ax)
    x, y = np.array([0.5, 1.7, 3.0]), np.array([0.02, 1.3, 40.0])
    expected = picture_pixels(fig, ax, x, y)
    np.testing.assert_allclose(back.pixels(x, y), expected, atol=0.01)
    picture = Image.open(io.BytesIO(base64.b64decode(back.uri.split(",", 1)[1])))
    assert picture.size == (back.width, back.height) == (400, 300)
    assert picture.mode == "P"  # at most 256 colours: a third of the bytes sent per move
    assert back.ylog == log


def test_a_dense_path_keeps_one_point_per_half_pixel_and_both_its_ends():
    back = overlays.Backdrop(uri="", width=100, height=100, box=(0.0, 0.0, 100.0, 100.0),
                             xlim=(0.0, 100.0), ylim=(0.0, 100.0))  # fmt: skip
    x = np.array([0.0, 0.1, 0.2, 10.0, 10.1, 50.0, 50.1])  # a pixel per unit
    line = numbers(overlays.polyline(back, x, x, "red"), "points").reshape(-1, 2)
    np.testing.assert_allclose(line[:, 0], [0.0, 10.0, 50.0, 50.1])
    assert overlays.dots(back, x, x, "red").count("<circle") == 4
    assert overlays.dots(back, [3.0], [4.0], "red").count("<circle") == 1


def numbers(shape: str, attribute: str) -> np.ndarray:
    """The numbers of an SVG attribute (``points="x,y x,y"`` or ``x1="..."``)."""
    value = re.search(rf'{attribute}="([^"]+)"', shape).group(1)
    return np.array([float(v) for v in re.split(r"[ ,]", value)])


def test_the_sliders_line_and_residuals_are_drawn_where_the_numbers_put_them():
    X, y = data.assay_line_data()
    x = X.iloc[:, 0]
    line = settings.builtin_line_settings()
    key = (part3_figures.values(x), part3_figures.values(y), line.x_label, line.y_label)
    back = part3_figures.line_backdrop(*key, "measured wells")
    # cached for every session: the same picture object for the same data
    assert back is part3_figures.line_backdrop(*key, "measured wells")
    b0, b1 = 0.3, 0.5
    html = part3_figures.line_html(back, x, y, b0, b1, "the line")
    ends = np.asarray(back.xlim)
    np.testing.assert_allclose(
        numbers(re.search(r"<polyline[^>]+>", html).group(0), "points"),
        np.column_stack(back.pixels(ends, b0 + b1 * ends)).ravel(),
        atol=0.06,
    )
    residuals = re.findall(r"<line [^>]+>", html)
    assert len(residuals) == len(y)
    tops = np.array([numbers(r, "y1")[0] for r in residuals])
    ends_y = np.array([numbers(r, "y2")[0] for r in residuals])
    np.testing.assert_allclose(tops, back.pixels(x, b0 + b1 * x)[1], atol=0.06)
    np.testing.assert_allclose(ends_y, back.pixels(x, y)[1], atol=0.06)
    assert 'alt="the line"' in html
    # the shapes are clipped to the axes by an inner <svg> spanning exactly the axes' box
    left, top, right, bottom = back.box
    inner = re.search(r"<svg x=[^>]+>", html).group(0)
    assert numbers(inner, "viewBox") == pytest.approx(
        [left, top, right - left, bottom - top], abs=0.06
    )
    assert "url(" not in html  # nothing for a page or a handout to fetch or resolve


def test_the_descent_path_and_the_loss_chart_follow_the_steps():
    X, y = data.assay_line_data()
    line = settings.builtin_line_settings()
    history = descent.descend(X, y, settings.DEFAULT_LEARNING_RATE, 7).history
    values = part3_figures.values
    ranges = (line.b0.start, line.b0.stop), (line.b1.start, line.b1.stop)
    back = part3_figures.surface_backdrop(values(X.iloc[:, 0]), values(y), *ranges, True)
    assert back.xlim == ranges[0] and back.ylim == ranges[1]
    html = part3_figures.surface_html(back, "path", path=history, exact=(0.45, 1.14))
    path = numbers(re.search(r"<polyline[^>]+>", html).group(0), "points").reshape(-1, 2)
    expected = np.column_stack(back.pixels(history["intercept"], history["log10_conc"]))
    np.testing.assert_allclose(path, expected, atol=0.06)
    assert html.count("<polygon") == 1  # the exact answer's star
    sliders = part3_figures.surface_html(back, "dot", sliders=(0.3, 0.5))
    centre = [numbers(sliders, "cx")[0], numbers(sliders, "cy")[0]]
    np.testing.assert_allclose(centre, np.ravel(back.pixels([0.3], [0.5])), atol=0.06)
    loss = part3_figures.loss_html(history, 0.0013, "loss")
    chart = numbers(re.search(r"<polyline[^>]+>", loss).group(0), "points").reshape(-1, 2)
    assert len(chart) == 8 and np.all(np.diff(chart[:, 0]) > 0)  # one point per step
    assert np.all(np.diff(chart[:, 1]) > 0)  # the loss falls: lower on the picture each step
    assert [part3_figures.step_window(n) for n in (0, 10, 11, 51, 2000)] == [10, 10, 50, 100, 2000]
    # a runaway run stays on the chart: its axis reaches the power of ten above its top loss
    runaway = descent.descend(X, y, max(settings.LEARNING_RATES), 50).history
    top = part3_figures.loss_top(runaway["loss"])
    assert runaway["loss"].max() < top <= 15 * runaway["loss"].max()
    assert np.log10(top) == int(np.log10(top))
    assert part3_figures.loss_top(history["loss"]) == 3 * history["loss"].iloc[0]


def test_the_polynomial_and_the_chosen_degree_are_drawn_on_cached_pictures():
    X_train, X_test, y_train, y_test = overfitting.curve_split()
    values = part3_figures.values
    back = part3_figures.curve_backdrop(
        values(X_train.iloc[:, 0]), values(y_train), values(X_test.iloc[:, 0]), values(y_test),
        "optical density (OD)", "log10 of DNase concentration (ng/mL)", "wells",
    )  # fmt: skip
    model = PolynomialRegression(degree=3).fit(X_train, y_train)
    html = part3_figures.curve_html(back, model, "density", "curve")
    curve = numbers(re.search(r"<polyline[^>]+>", html).group(0), "points").reshape(-1, 2)
    grid = pd.DataFrame({"density": np.linspace(*back.xlim, 240)})
    expected = np.column_stack(back.pixels(grid["density"], model.predict(grid)))
    np.testing.assert_allclose(curve, expected, atol=0.06)
    table = overfitting.overfitting_table()
    errors = part3_figures.table_backdrop(table, "RMSE (log10 ng/mL)")
    assert errors is part3_figures.table_backdrop(table, "RMSE (log10 ng/mL)")
    # degree 9's training error is 0: the log axis stops at half the smallest error shown,
    # and reaches up to the largest (degree 9's cross-validation error)
    assert errors.ylim[0] == pytest.approx(0.5 * table.loc[1:8].min().min())
    assert errors.ylim[1] >= table.max().max()
    marker = part3_figures.errors_html(errors, 4, "errors")
    assert numbers(re.search(r"<line [^>]+>", marker).group(0), "x1")[0] == pytest.approx(
        errors.pixels([4], [1.0])[0][0], abs=0.06
    )
