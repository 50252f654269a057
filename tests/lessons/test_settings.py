"""Where Part 3's sliders start and reach, on the lesson's example and on a learner's file."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats

from benchlearn.lessons.lesson1 import (
    data,
    descent,
    figures,
    overlays,
    own_data,
    part3_figures,
    settings,
)


def test_builtin_sliders_hold_the_exact_line_the_descents_start_and_their_defaults():
    line = settings.builtin_line_settings()
    assert line.builtin and line.source is None
    assert line.b0 == settings.SliderRange(*figures.B0_RANGE, 0.01, settings.DEFAULT_B0)
    assert line.b1 == settings.SliderRange(*figures.B1_RANGE, 0.01, settings.DEFAULT_B1)
    # the ELISA's least-squares line (SciPy) and gradient descent's start (0, 0) are on the map
    X, y = data.assay_line_data()
    exact = scipy.stats.linregress(X.iloc[:, 0], y)
    for slider, values in [(line.b0, (exact.intercept, 0.0)), (line.b1, (exact.slope, 0.0))]:
        assert all(slider.start + 0.2 < v < slider.stop - 0.2 for v in values)
        assert slider.start <= slider.value <= slider.stop
    assert line.learning_rates == settings.LEARNING_RATES
    assert line.default_learning_rate == settings.DEFAULT_LEARNING_RATE
    assert line.number(0.0123456, ".4f") == "0.0123"


@pytest.mark.parametrize("step,expected", [(1.4, 0.01), (3.0, 0.02), (0.0035, 2e-5), (900, 5)])
def test_slider_steps_are_round_numbers_giving_about_200_positions(step, expected):
    assert settings.nice_step(step) == expected  # hand-picked: the next of 1, 2, 5 × 10^k


@pytest.mark.parametrize("x_scale", [1e-6, 1.0, 1000.0])
@pytest.mark.parametrize("y_scale", [1e-3, 1.0, 1e5])
def test_slider_ranges_hold_the_exact_line_and_the_flat_start_whatever_the_units(
    x_scale, y_scale, plate_values
):
    CONC, A562 = plate_values
    X = pd.DataFrame({"conc": np.array(CONC, float) * x_scale})
    y = pd.Series(np.array(A562) * y_scale, name="signal")
    line = settings.line_settings(X, y)
    fit = scipy.stats.linregress(X["conc"], y)
    for slider, exact in [(line.b0, fit.intercept), (line.b1, fit.slope)]:
        assert slider.start < exact < slider.stop
        positions = (slider.stop - slider.start) / slider.step
        assert 100 <= positions <= 600 and positions == pytest.approx(round(positions))
        assert slider.start / slider.step == pytest.approx(round(slider.start / slider.step))
    assert line.b0.value == pytest.approx(y.mean(), abs=line.b0.step / 2)  # flat line at mean y
    assert line.b1.value == 0.0
    # the slope slider spans exact slope ± 1.5·sd(y)/sd(x), widened to whole steps
    half_width = 1.5 * y.std() / X["conc"].std()
    assert line.b1.stop - line.b1.start == pytest.approx(2 * half_width, abs=2 * line.b1.step)
    assert line.number(123456.789, ".4f") == "123457"


@pytest.mark.parametrize("x_scale", [1e-3, 1.0, 1000.0])
def test_learning_rates_straddle_the_divergence_limit_two_over_L(x_scale, plate_values):
    CONC, A562 = plate_values
    X = pd.DataFrame({"conc": np.array(CONC, float) * x_scale})
    y = pd.Series(A562, name="A562")
    D = np.column_stack([np.ones(len(X)), X["conc"]])
    limit = 2 / np.linalg.eigvalsh(2 * D.T @ D / len(y)).max()  # Hessian of the MSE
    rates, start = settings.learning_rate_options(X)
    assert min(rates) < limit < max(rates)
    assert start <= 0.6 * limit
    assert not descent.descend(X, y, start, 100).growing
    assert descent.descend(X, y, max(rates), 100).growing


def test_loss_surface_axes_follow_the_own_data_slider_ranges(plate, monkeypatch):
    X, y = own_data.own_line_data(plate, "A562", "conc_ug_per_ml")
    line = settings.line_settings(X, y)
    b0_range, b1_range = (line.b0.start, line.b0.stop), (line.b1.start, line.b1.stop)
    x_values, y_values = part3_figures.values(X.iloc[:, 0]), part3_figures.values(y)
    # the builders' own axes, before they are rendered (and outside the sessions' cache)
    monkeypatch.setattr(overlays, "backdrop", lambda fig, ax: ax)
    axes = part3_figures.surface_backdrop.function(x_values, y_values, b0_range, b1_range, False)
    assert axes.get_xlim() == pytest.approx(b0_range) and axes.get_ylim() == pytest.approx(b1_range)
    residual_axes = part3_figures.line_backdrop.function(
        x_values, y_values, line.x_label, line.y_label, "your rows"
    )
    assert residual_axes.get_xlabel() == "conc_ug_per_ml"
    assert residual_axes.get_ylabel() == "A562"


def test_the_page_opens_on_the_builtin_example_with_no_file(lesson_defs):
    assert lesson_defs["data_source"].value == own_data.BUILTIN_DATA
    assert lesson_defs["own_table"] is None and lesson_defs["own_problem"] is None
    assert lesson_defs["line"] == settings.builtin_line_settings()
