"""Part 3's curve that bends in Chromium: the step slider redraws the curve and its readout.

One served lesson and one page load for the module (``lesson_page`` in conftest.py, which also
checks that nothing is requested outside 127.0.0.1). Run this file on its own.
"""

from __future__ import annotations

import statistics
import time

import pytest
from playwright.sync_api import expect

from benchlearn.lessons.lesson1 import bending

pytestmark = pytest.mark.browser

UPDATE_MS = 60_000  # a move reaches the page in ~0.1 s when idle; allow a busy machine


@pytest.fixture(scope="module")
def fits() -> bending.BendFits:
    return bending.bend_fits(bending.RUN)


def step_slider(page):
    return page.get_by_role("slider", name=bending.STEP_LABEL, exact=True)


def shows_step(page, fits, step: int) -> None:
    expect(page.get_by_test_id("readout-bend-step")).to_have_text(
        bending.readout_text(fits, step), timeout=UPDATE_MS
    )
    figure = page.locator(f'img[alt="{bending.figure_alt(fits, step)}"]')
    expect(figure).to_have_count(1, timeout=UPDATE_MS)


def test_the_step_slider_walks_the_fit_from_the_guess_to_the_answer(lesson_page, fits):
    page = lesson_page.page
    slider = step_slider(page)
    slider.scroll_into_view_if_needed()
    shows_step(page, fits, 0)  # the live page starts from the guess
    slider.focus()
    moves = []
    for step in range(1, 4):
        started = time.perf_counter()
        slider.press("ArrowRight")
        shows_step(page, fits, step)
        moves.append(time.perf_counter() - started)
    assert float(slider.get_attribute("aria-valuenow")) == 3
    slider.press("End")
    shows_step(page, fits, fits.last_step)
    current = page.locator('[data-testid="bend-steps"] tr[aria-current="step"] td').first
    expect(current).to_have_text(str(fits.last_step))
    # not a timed test (speed goals live in benchmarks/): printed for the report
    print(f"step slider -> readout and figure: median {statistics.median(moves) * 1000:.0f} ms")


def test_the_control_and_its_figure_fit_one_1366_by_768_screen(lesson_page, lesson_artifacts):
    page = lesson_page.page
    before = page.viewport_size
    page.set_viewport_size({"width": 1366, "height": 768})
    try:
        slider = step_slider(page)
        readout = page.get_by_test_id("readout-bend-step")  # beside the slider, a little taller
        readout.evaluate("element => element.scrollIntoView({block: 'start'})")
        figure = page.locator('img[alt^="DNase ELISA standards"]')
        table = page.get_by_test_id("bend-steps")
        for element in (slider, figure, table, readout):
            box = element.bounding_box()
            assert box is not None
            # within the screen, give or take the browser's sub-pixel rounding
            assert box["x"] >= -1 and box["x"] + box["width"] <= 1367, box
            assert box["y"] >= -1 and box["y"] + box["height"] <= 769, box
        page.screenshot(path=str(lesson_artifacts / "bending-1366x768.png"))
    finally:
        page.set_viewport_size(before)
