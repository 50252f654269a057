"""Part 4 of lesson 1 in the app's own run: the five biotech examples and the bias caution.

The numbers the page shows are those of :mod:`benchlearn.lessons.lesson1.biotech` at each
control's default (which tests/lessons/test_biotech.py checks against scikit-learn).
"""

from __future__ import annotations

import html
import re

import pytest

from benchlearn.lessons.lesson1 import biotech, biotech_page, content, questions

READOUT = re.compile(r'data-testid="readout-([\w-]+)"><strong>(.*?)</strong>', re.S)
EXAMPLES = ["molecules", "screening", "subtypes", "omics", "imaging", "bias"]


@pytest.fixture(scope="module")
def page_html(lesson_run) -> str:
    outputs, _ = lesson_run
    return "".join(getattr(output, "text", "") or "" for output in outputs)


@pytest.fixture(scope="module")
def readouts(page_html) -> dict[str, str]:
    return {key: html.unescape(text) for key, text in READOUT.findall(page_html)}


@pytest.fixture(scope="module")
def defaults() -> dict[str, object]:
    return biotech.default_examples()


@pytest.mark.parametrize("area", EXAMPLES)
def test_each_example_shows_its_default_numbers_from_biotech(readouts, defaults, area):
    example = defaults[area]
    testid = biotech_page.READOUT_IDS[type(example).__name__]
    assert readouts[testid] == biotech_page.readout_text(example)


def test_each_example_says_its_kind_of_learning_what_it_shows_and_what_it_does_not(
    page_html, defaults
):
    text = html.unescape(page_html)
    for example in defaults.values():
        for sentence in (example.learning, example.shows, example.does_not_show):
            assert sentence in text


def test_the_kinds_of_learning_named_are_the_three_of_the_lesson(defaults):
    kinds = {area: example.learning.split(":")[0] for area, example in defaults.items()}
    assert kinds["molecules"].startswith("Supervised learning, regression")
    assert kinds["screening"].startswith("Supervised learning, regression")
    assert kinds["imaging"] == "Supervised learning, classification"
    assert kinds["subtypes"].startswith("Unsupervised learning")
    assert kinds["omics"].startswith("Unsupervised learning")


def test_the_controls_defaults_are_the_examples_defaults():
    assert biotech_page.SOLUBILITY_SETS[biotech_page.DEFAULT_SOLUBILITY_SET] == (
        biotech.ESOL_DESCRIPTORS
    )
    assert biotech.screening_example().top_fraction == biotech_page.DEFAULT_SCREEN_PERCENT / 100
    assert biotech_page.DEFAULT_SUBTYPES_K in biotech.CLUSTER_CHOICES
    assert biotech_page.DEFAULT_CELLS_K in biotech.CELL_CLUSTER_CHOICES
    assert biotech_page.DEFAULT_PIXELS in biotech.LABELLED_PIXELS
    assert biotech_page.BIAS_GROUPINGS[biotech_page.DEFAULT_BIAS_GROUPING] == "age"
    assert set(biotech_page.BIAS_GROUPINGS.values()) == set(biotech.GROUPINGS)
    from benchlearn.data.molecules import DESCRIPTORS

    assert biotech_page.SOLUBILITY_SETS["all eight descriptors"] == tuple(DESCRIPTORS)


def test_the_bias_caution_shows_the_gap_what_it_means_and_what_to_ask(page_html, readouts):
    example = biotech.bias_example()
    text = html.unescape(page_html)
    assert readouts["bias-shift"] == biotech_page.shift_text(example)
    assert example.for_a_patient() in text and example.ask in text
    # the gap is real in these numbers: the worst group and the new population do worse
    assert example.groups["accuracy"].min() < example.overall_accuracy
    assert example.shift_new_population < example.shift_same_population


def test_every_example_has_a_figure_and_the_molecule_is_drawn(page_html):
    part4 = page_html[page_html.index("Part 4 · Where machine learning meets biotech") :]
    assert part4.count("<img") >= 6
    assert "<svg" in part4  # the test molecule, drawn by RDKit


def test_the_quiz_checks_each_kind_of_learning_and_the_bias_caution():
    asked = {q.id for q in questions.questions_for(4)}
    assert {"solubility_kind", "nuclei_kind", "cell_types_kind", "bias_per_group"} <= asked
    assert 4 in content.OBJECTIVES


def test_part_4_comes_after_part_3_and_before_the_glossary(page_html):
    order = [
        page_html.index("Part 3 · Linear regression, whole"),
        page_html.index("Part 4 · Where machine learning meets biotech"),
        page_html.index("Check your understanding: objective 4"),
        page_html.index('data-testid="glossary"'),
    ]
    assert order == sorted(order)


def test_the_live_page_computes_the_examples_only_when_scrolled_to():
    from benchlearn.lessons.lesson1.app import app

    cells = [c.code for c in app._cell_manager.cell_data() if "when_visible" in c.cell.defs]
    assert len(cells) == 1
    assert "mo.lazy(render" in cells[0] and "mo.running_in_notebook()" in cells[0]
    # every example's output goes through it, and what the bias example means (its own slide)
    users = [c.code for c in app._cell_manager.cell_data() if "when_visible" in c.cell.refs]
    assert len(users) == 7
