"""Part 4's blocks: each example's readout, figure and sentences, and the bias caution's words."""

import re

import pytest

from benchlearn.lessons.lesson1 import biotech, biotech_page


@pytest.fixture(scope="module")
def examples():
    return {
        "subtypes": biotech.subtypes_example(3),
        "nuclei": biotech.nuclei_example(300),
        "bias": biotech.bias_example("grade"),
    }


def test_readouts_print_the_examples_numbers(examples):
    subtypes, nuclei = examples["subtypes"], examples["nuclei"]
    assert biotech_page.readout_text(subtypes) == (
        f"k = 3: ARI with ER status = {subtypes.ari_er:.3f}, with grade = {subtypes.ari_grade:.3f}"
    )
    assert biotech_page.readout_text(nuclei) == (
        f"300 annotated pixels: IoU = {nuclei.iou:.3f} "
        f"(brightness alone: {nuclei.iou_intensity_only:.3f})"
    )


def test_bias_readout_names_the_worst_and_the_best_group(examples):
    bias = examples["bias"]
    text = biotech_page.readout_text(bias)
    worst, best = bias.groups["accuracy"].idxmin(), bias.groups["accuracy"].idxmax()
    assert text.startswith(f"Overall accuracy = {100 * bias.overall_accuracy:.1f}%; {worst}: ")
    assert text.endswith(f"{best}: {100 * bias.groups.loc[best, 'accuracy']:.1f}%")
    meaning = biotech_page.bias_meaning(bias)
    assert bias.for_a_patient() in meaning and bias.ask in meaning


def test_an_examples_html_has_its_readout_figure_and_three_sentences(examples):
    block = biotech_page.example_html(examples["subtypes"])
    assert 'data-testid="readout-subtypes"' in block
    assert block.count("<img") == 1 and "<table" in block  # the figure and the ER table
    for label in ("Kind of learning.", "What it shows.", "What it does not show."):
        assert label in block
    bias_block = biotech_page.example_html(examples["bias"])
    assert 'data-testid="readout-bias-shift"' in bias_block


def test_something_that_is_not_an_example_is_refused():
    with pytest.raises(TypeError, match="not a biotech example"):
        biotech_page.readout_text(object())


def test_every_section_has_one_heading_and_bold_terms_only_where_defined():
    for key, prose in biotech_page.SECTIONS.items():
        headings = [line for line in prose.splitlines() if line.startswith("#")]
        assert len(headings) == (0 if key == "bias_meaning" else 1), key
        assert "$" not in prose and "\\frac" not in prose
    screening = biotech_page.SECTIONS["screening"]
    assert re.search(r"\*\*biodiversity mining\*\*", screening)
