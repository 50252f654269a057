"""Part 3's curve that bends: a 4PL standard curve fitted step by step, on the page and on paper.

The section's numbers are checked against NonlinearRegression, R's published fit and NumPy;
its cells against the one shared run of the app (``lesson_run``), and the handout by turning
those same outputs into paper HTML as the export does (no second run of the lesson).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from benchlearn.lessons import export
from benchlearn.lessons.lesson1 import bending, content, glossary, questions

NAMES = list(bending.PARAMETER_WORDS)


@pytest.fixture(scope="module")
def fits() -> bending.BendFits:
    return bending.bend_fits(bending.RUN)


# ---------------------------------------------------------------- the computation
def test_the_run_is_dnase_run_1_over_its_full_range(fits):
    assert len(fits.conc) == 16
    assert fits.conc.min() == pytest.approx(0.048828125) and fits.conc.max() == 12.5
    assert np.unique(fits.conc).size == 8  # eight standards, each read twice


def test_the_loops_last_step_is_nonlinear_regressions_4pl_fit(fits):
    estimates = fits.model.params_["estimate"][NAMES].to_numpy()
    errors = fits.model.params_["std_error"][NAMES].to_numpy()
    np.testing.assert_allclose((fits.params_at(fits.last_step) - estimates) / errors, 0, atol=1e-6)
    assert fits.history["loss"].iloc[-1] == pytest.approx(fits.model.rss_ / 16, rel=1e-10)


def test_the_loops_last_step_is_rs_published_fit(fits):
    # R's printed digits (see bending.R_PUBLISHED): agreement to the last printed digit
    bottom, top, ec50, hill = fits.params_at(fits.last_step)
    assert bottom == pytest.approx(bending.R_PUBLISHED["A"], abs=1e-6)
    assert top == pytest.approx(bending.R_PUBLISHED["B"], abs=1e-6)
    assert np.log(ec50) == pytest.approx(bending.R_PUBLISHED["xmid"], abs=1e-6)
    assert 1 / hill == pytest.approx(bending.R_PUBLISHED["scal"], abs=1e-6)
    lab = bending.r_published_lab_terms()
    assert lab["EC50"] == pytest.approx(np.exp(1.507403)) and lab["hill"] == 1 / 1.062579


def test_the_steps_are_few_enough_to_watch_and_the_loss_only_falls(fits):
    history = fits.history
    assert 5 <= fits.last_step <= 15
    assert list(history["step"]) == list(range(fits.last_step + 1))
    assert np.all(np.diff(history["loss"]) < 0)
    assert history["loss"].iloc[0] > 100 * history["loss"].iloc[-1]
    assert history["refused"].sum() > 0  # some bold steps were refused on the way


def test_the_start_is_read_off_the_plot(fits):
    start = fits.params_at(0)
    assert start[0] == fits.density.min() and start[1] == fits.density.max()
    assert start[2] == pytest.approx(np.sqrt(0.048828125 * 12.5))  # mid-way on the log axis
    assert start[3] == 1.0


def test_the_poor_start_stops_short_far_above_the_best_loss(fits):
    far = fits.far_history
    assert far["EC50"].iloc[0] == bending.FAR_EC50
    assert len(far) == bending.FAR_STEPS + 1  # it used every step it was given
    assert far["loss"].iloc[-1] > 50 * fits.history["loss"].iloc[-1]
    assert far["bottom"].iloc[-1] < 0  # a density no well read
    text = " ".join(bending.start_text(fits).split())
    ratio = far["loss"].iloc[-1] / fits.history["loss"].iloc[-1]
    assert f"after {bending.FAR_STEPS} steps" in text and f"{ratio:.0f} times worse" in text


def test_the_straight_line_is_numpys_least_squares_on_log_concentration(fits):
    slope, intercept = np.polyfit(np.log10(fits.conc), fits.density, 1)
    assert fits.line.coef_[0] == pytest.approx(slope) and fits.line.intercept_ == pytest.approx(
        intercept
    )
    residuals = fits.density - (intercept + slope * np.log10(fits.conc))
    assert fits.line_mse == pytest.approx(np.mean(residuals**2))
    # the text's claim: above zero at both ends, below it in the middle
    order = np.argsort(fits.conc)
    ends, middle = residuals[order][[0, 1, -2, -1]], residuals[order][4:10]
    assert np.all(ends > 0) and np.all(middle < 0)


def test_readout_and_step_table_follow_the_step(fits):
    assert bending.readout_text(fits, 3) == (
        f"Step 3 of {fits.last_step}: MSE = {fits.history.loc[3, 'loss']:.4g}; bottom = "
        f"{fits.history.loc[3, 'bottom']:.3g}, top = {fits.history.loc[3, 'top']:.3g}, EC50 = "
        f"{fits.history.loc[3, 'EC50']:.3g} ng/mL, Hill slope = {fits.history.loc[3, 'hill']:.2f}"
    )
    table = bending.steps_table_html(fits, 3)
    assert table.count("<tr") == fits.last_step + 2  # a heading row, one row per step
    assert re.search(r'<tr aria-current="step" style="font-weight:bold"><td>3</td>', table)
    assert table.count("opacity") == fits.last_step - 3  # the steps still to come, faded


def test_each_steps_figure_is_drawn_once_for_every_session(fits):
    first = bending.step_figure_html(bending.RUN, 2)
    assert bending.step_figure_html(bending.RUN, 2) is first
    assert first.startswith('<img src="data:image/png;base64,') and "after 2 of" in first
    assert bending.step_figure_html(bending.RUN, 3) != first


def test_a_steps_picture_does_not_depend_on_the_steps_drawn_before(fits):
    # one figure is moved from step to step: nothing of the last step may stay in step 2's
    moved = bending.StepDrawing(fits)
    last = moved.html(fits.last_step)
    assert moved.html(2) == bending.StepDrawing(fits).html(2) != last
    curve = bending.four_pl(moved.grid, *fits.params_at(2))
    np.testing.assert_array_equal(moved.curve.get_ydata(), curve)
    residuals = fits.density - bending.four_pl(fits.conc, *fits.params_at(2))
    np.testing.assert_array_equal(moved.residuals.get_offsets(), np.c_[fits.conc, residuals])
    assert [t.get_text() for t in moved.curve_legend.get_texts()] == [
        "straight line", "4PL, step 2", "standards",
    ]  # fmt: skip
    assert [t.get_text() for t in moved.residual_legend.get_texts()] == [
        "straight line", "4PL, step 2",
    ]  # fmt: skip


def test_the_result_text_says_what_the_numbers_say(fits):
    text = " ".join(bending.result_text(fits).split())
    mse = fits.history["loss"].iloc[-1]
    assert f"step {fits.last_step}" in text
    assert f"{fits.line_mse / mse:.0f} times lower" in text
    assert f"EC50 = {fits.params_at(fits.last_step)[2]:.2f} ng/mL" in text


def test_two_questions_close_objective_3_and_the_new_terms_are_in_the_glossary():
    ids = [q.id for q in questions.questions_for(3)]
    assert ids[-2:] == ["bend_no_exact_solution", "bend_starting_values"]
    for term in ("four-parameter logistic (4pl)", "ec50", "hill slope", "levenberg–marquardt",
                 "starting value"):  # fmt: skip
        assert term in glossary.GLOSSARY


# ---------------------------------------------------------------- the app's run and the handout
def bend_outputs(lesson_run) -> list[str]:
    """The HTML of the section's cells, from its heading up to objective 3's questions."""
    texts = [getattr(output, "text", "") or "" for output in lesson_run[0]]
    first = next(i for i, t in enumerate(texts) if "A curve that bends" in t)
    quiz = next(i for i, t in enumerate(texts) if "Check your understanding: objective 3" in t)
    assert first < quiz
    return texts[first:quiz]


def test_the_section_stands_just_before_objective_3s_questions(lesson_run):
    texts = [getattr(output, "text", "") or "" for output in lesson_run[0]]
    overfitting = next(i for i, t in enumerate(texts) if "Over-fitting: when the model" in t)
    assert len(bend_outputs(lesson_run)) == 3  # the words, the control with its output, the end
    assert overfitting < next(i for i, t in enumerate(texts) if "A curve that bends" in t)


def test_a_run_of_the_app_shows_the_last_step(lesson_run, lesson_defs, fits):
    assert lesson_defs["bend_step"].value == fits.last_step
    shown = "".join(bend_outputs(lesson_run))
    readout = bending.readout_text(fits, fits.last_step)
    assert f'data-testid="readout-bend-step"><strong>{readout}</strong>' in shown
    assert 'data-testid="bend-steps"' in shown and 'data-testid="bend-comparison"' in shown
    assert bending.step_figure_html(bending.RUN, fits.last_step) in shown


def test_the_handout_shows_the_section_static_at_the_last_step(lesson_run, fits):
    settings: list[str] = []
    paper = "".join(
        export.paper_html(text, lambda question_id: "", settings)
        for text in bend_outputs(lesson_run)
    )
    assert settings == [f"{bending.STEP_LABEL}: {fits.last_step}"]
    assert "<marimo-" not in paper
    assert bending.readout_text(fits, fits.last_step) in paper
    assert paper.count("<img ") == 1 and paper.count("<table") == 2
    for heading in ("A curve that bends", "Why the start matters"):
        assert heading in paper
    assert "**" not in paper


def test_the_section_is_words_from_its_own_module_not_content():
    assert not set(bending.SECTIONS) & set(content.SECTIONS)
    assert {"{" + f + "}" for f in ("far_mse", "far_ratio")} <= set(
        re.findall(r"\{\w+\}", bending.SECTIONS["bend_start"])
    )
