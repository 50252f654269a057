"""A method comparison's verdict and notes in words, from the engine's numbers and codes."""

from __future__ import annotations

import numpy as np
import pytest

from benchlearn.assay.method_comparison import compare_methods, deming, passing_bablok
from benchlearn.report.method_comparison import (
    bland_altman_verdict,
    comparison_json,
    regression_notes,
    regression_verdict,
)

# Bland & Altman (1986) Lancet i:307-310, Table 1: first readings of the Wright and mini Wright
# peak flow meters (l/min).
WRIGHT = [494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427]
MINI = [512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451]


@pytest.fixture(scope="module")
def pefr():
    return compare_methods(WRIGHT, MINI)


def test_the_verdict_reads_the_intervals(pefr):
    fit = pefr.passing_bablok
    sentence = regression_verdict(fit)
    assert sentence.startswith(f"Passing-Bablok: slope {fit.slope.value:.4g} (95% CI ")
    assert ("excludes 1" in sentence) is fit.proportional_difference
    assert ("excludes 0" in sentence) is fit.constant_difference
    ba = bland_altman_verdict(pefr.bland_altman)
    assert "no bias shown" in ba and "a clinical, not a statistical, judgement" in ba


def test_notes_say_where_the_error_ratio_came_from_and_what_was_flagged():
    x = np.linspace(1, 10, 12)
    y = x + np.array([0.1, -0.1] * 6)
    assert regression_notes(deming(x, y)) == [
        "error-variance ratio δ = σ²(new)/σ²(reference) = 1, assumed 1 (equal error variances)"
    ]
    assert regression_notes(deming(x, y, error_ratio=2.0))[0].endswith("= 2, given")
    down = passing_bablok(x, -y)
    assert regression_notes(down)[0] == ("negative relation (Kendall's τ < 0): fitted on -y and "
                                         "mirrored back (Bablok et al. 1988)")  # fmt: skip
    few = passing_bablok([1.0, 2.0, 3.0], [1.0, 2.1, 2.9])
    assert "too few samples for a finite slope interval" in regression_notes(few)


def test_comparison_json_adds_the_words_to_the_numbers(pefr):
    out = comparison_json(pefr)
    numbers = pefr.to_dict()
    assert out["deming"].items() >= numbers["deming"].items()
    assert out["verdict"][0] == out["deming"]["verdict"] == regression_verdict(pefr.deming)
    assert out["bland_altman"]["verdict"] == bland_altman_verdict(pefr.bland_altman)
