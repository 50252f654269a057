"""Part 4 of lesson 1 in Chromium: each biotech example's one control changes its output.

One served lesson and one page load for every browser test module (``lesson_page`` in
conftest.py), which also checks that no request leaves 127.0.0.1; the tests start from Part 4's
defaults, which no other module moves. The examples are computed when scrolled into
view, so each test scrolls to its control first. The expected readouts are the examples of
:mod:`benchlearn.lessons.lesson1.biotech` computed here at the same settings.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchlearn.lessons.lesson1 import biotech, biotech_page

from .conftest import press

pytestmark = pytest.mark.browser

FIRST_COMPUTE_MS = 240_000  # the first example of a kind computes RDKit descriptors and the like
UPDATE_MS = 120_000


def shown(page, testid: str, expected: str, timeout: int) -> None:
    """Wait until the readout ``testid`` shows ``expected``."""
    expect(page.get_by_test_id(f"readout-{testid}")).to_have_text(expected, timeout=timeout)


def test_solubility_follows_the_descriptor_choice(lesson_page):
    page = lesson_page.page
    choice = page.get_by_role("combobox", name=biotech_page.SOLUBILITY_LABEL)
    choice.scroll_into_view_if_needed()
    default = biotech.solubility_example()
    shown(page, "solubility", biotech_page.readout_text(default), FIRST_COMPUTE_MS)
    expect(page.locator(".molecule svg")).to_have_count(1)
    choice.select_option("logP only (how oily)")
    logp = biotech.solubility_example(["logP"])
    shown(page, "solubility", biotech_page.readout_text(logp), UPDATE_MS)
    assert logp.test_r2 != default.test_r2


def test_screening_follows_the_share_tested(lesson_page):
    page = lesson_page.page
    page.get_by_role("slider", name=biotech_page.SCREEN_LABEL).scroll_into_view_if_needed()
    shown(page, "screening", biotech_page.readout_text(biotech.screening_example()),
          FIRST_COMPUTE_MS)  # fmt: skip
    percent = press(page, biotech_page.SCREEN_LABEL, "ArrowRight")
    assert biotech_page.SCREEN_PERCENTS[int(percent)] == 20
    shown(page, "screening", biotech_page.readout_text(biotech.screening_example(0.2)), UPDATE_MS)


def test_subtypes_follow_the_number_of_groups(lesson_page):
    page = lesson_page.page
    page.get_by_role("slider", name=biotech_page.SUBTYPES_LABEL).scroll_into_view_if_needed()
    shown(page, "subtypes", biotech_page.readout_text(biotech.subtypes_example()),
          FIRST_COMPUTE_MS)  # fmt: skip
    k = press(page, biotech_page.SUBTYPES_LABEL, "ArrowRight")
    assert k == 3
    shown(page, "subtypes", biotech_page.readout_text(biotech.subtypes_example(3)), UPDATE_MS)


def test_cell_types_follow_the_number_of_groups(lesson_page):
    page = lesson_page.page
    page.get_by_role("slider", name=biotech_page.CELLS_LABEL).scroll_into_view_if_needed()
    shown(page, "cell-types", biotech_page.readout_text(biotech.cell_types_example()),
          FIRST_COMPUTE_MS)  # fmt: skip
    k = press(page, biotech_page.CELLS_LABEL, "ArrowLeft", "ArrowLeft")
    assert k == 8
    shown(page, "cell-types", biotech_page.readout_text(biotech.cell_types_example(8)), UPDATE_MS)


def test_nuclei_follow_the_number_of_annotated_pixels(lesson_page):
    page = lesson_page.page
    page.get_by_role("slider", name=biotech_page.PIXELS_LABEL).scroll_into_view_if_needed()
    shown(page, "nuclei", biotech_page.readout_text(biotech.nuclei_example()), FIRST_COMPUTE_MS)
    pixels = press(page, biotech_page.PIXELS_LABEL, "ArrowLeft", "ArrowLeft")
    assert biotech.LABELLED_PIXELS[int(pixels)] == 100
    shown(page, "nuclei", biotech_page.readout_text(biotech.nuclei_example(100)), UPDATE_MS)


def meaning_in_view(page) -> None:
    """Scroll to the end of the bias example, where what it means is computed once in view
    (a cell of its own: a slide of its own when presented)."""
    page.get_by_text("What it does not show.").last.scroll_into_view_if_needed()


def test_bias_caution_follows_the_grouping_and_says_what_to_ask(lesson_page, lesson_artifacts):
    page = lesson_page.page
    choice = page.get_by_role("combobox", name=biotech_page.BIAS_LABEL)
    choice.scroll_into_view_if_needed()
    by_age = biotech.bias_example("age")
    shown(page, "bias", biotech_page.readout_text(by_age), FIRST_COMPUTE_MS)
    shown(page, "bias-shift", biotech_page.shift_text(by_age), UPDATE_MS)
    meaning_in_view(page)
    expect(page.get_by_text(by_age.ask)).to_be_visible(timeout=UPDATE_MS)
    choice.select_option("tumour grade")
    by_grade = biotech.bias_example("grade")
    shown(page, "bias", biotech_page.readout_text(by_grade), UPDATE_MS)
    meaning_in_view(page)
    expect(page.get_by_text(by_grade.for_a_patient())).to_be_visible(timeout=UPDATE_MS)
    page.screenshot(path=str(lesson_artifacts / "part4_bias.png"))
