"""The assay engine's codes in words: what the terminal, the JSON and the report say."""

from __future__ import annotations

import numpy as np
import pytest

from benchlearn import LinearRegression
from benchlearn.assay.detection import detection_limits
from benchlearn.report.assay_wording import (
    detection_notes,
    detection_quantity_notes,
    detection_text,
    slope_test_conclusion,
    unknown_note,
)

# Miller & Miller, Statistics and Chemometrics for Analytical Chemistry, Example 5.3.1.
MM_X = np.array([0.0, 2, 4, 6, 8, 10, 12])
MM_Y = np.array([2.1, 5.0, 9.0, 12.6, 17.3, 21.0, 24.7])


@pytest.fixture(scope="module")
def miller():
    return LinearRegression().fit(MM_X.reshape(-1, 1), MM_Y)


def test_each_ich_sigma_says_where_it_comes_from(miller):
    residual = detection_limits(miller)
    assert detection_quantity_notes(residual) == {"sigma": "residual SD on 5 df"}
    sigma = residual["sigma"].value
    assert detection_notes(residual) == (
        f"σ = s_y/x, S = slope: σ = {sigma:.6g} (residual SD on 5 df)",)  # fmt: skip
    assert "SE of the intercept on 5 df" in detection_notes(
        detection_limits(miller, "ich-intercept-se"))[0]  # fmt: skip
    blanks = detection_limits(miller, "ich-blank-sd", blanks=[2.0, 2.2, 2.1])
    assert detection_quantity_notes(blanks)["sigma"] == "SD of 3 blanks, 2 df"


def test_din32645_settings_and_an_unreachable_quantification_limit_are_said(miller):
    table = detection_limits(miller, "din32645", alpha=0.01, beta=0.05, k=3)
    notes = detection_quantity_notes(table)
    assert notes["lod"] == "α = 0.01, β = 0.05, k = 3, m = 1, ν = 5" == notes["loq"]
    assert detection_notes(table)[0].startswith("s_x0 = s_y/x / b, ν = n - 2: s_x0 = ")
    unreachable = detection_limits(miller, "din32645", k=200)
    assert not unreachable.details["quantification_limit_reached"]
    assert unreachable["loq"].value == np.inf
    assert detection_quantity_notes(unreachable)["loq"].endswith(
        "; the calibration is too imprecise for a relative uncertainty of 1/k")  # fmt: skip


def test_blank_3s_and_the_terminal_text(miller):
    table = detection_limits(miller, "blank-3s")
    text = detection_text(table)
    assert text.splitlines()[0] == table.title
    # Miller & Miller print a = 1.52 and s_y/x = 0.4329.
    assert text.splitlines()[-1] == (
        "  note: blank signal = a, its SD = s_y/x: a = 1.51786, s_y/x = 0.432848"
    )


def test_slope_test_conclusion_reads_the_decision():
    test = {"value": 1.0, "slope": 1.02, "level": 0.95, "ci_lower": 0.98, "ci_upper": 1.06,
            "t": 1.1, "df": 13, "p_value": 0.29, "decision": "no-evidence"}  # fmt: skip
    assert slope_test_conclusion(test) == (
        "No evidence that the slope differs from 1 (slope 1.02, 95% CI 0.98 to 1.06; t = 1.1 "
        "on 13 df, p = 0.29). This does not prove it equals it: the interval shows how far off "
        "it could be.")  # fmt: skip
    assert slope_test_conclusion(test | {"decision": "differs"}).startswith(
        "The slope differs from 1 (slope 1.02")  # fmt: skip


@pytest.mark.parametrize(
    ("issue", "interval_issue", "expected"),
    [("no-match", "", "no concentration gives this signal on the fitted curve"),
     ("bad-weight", "", "the weight of this reading (-1) is not a positive number"),
     ("", "not-closed", "the interval does not close within reach"),
     ("", "", "")],
)  # fmt: skip
def test_unknown_notes(issue, interval_issue, expected):
    row = {"issue": issue, "interval_issue": interval_issue, "reading_weight": -1.0}
    assert unknown_note(row, (0, 10)) == expected
