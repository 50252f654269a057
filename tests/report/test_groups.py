"""The verdict and layout of a comparison of groups' lines, checked against statsmodels' tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from statsmodels.formula.api import ols
from statsmodels.stats.anova import anova_lm

from benchlearn.linear.compare import compare_lines
from benchlearn.report.groups import comparison_renderables, comparison_section, conclusion


def two_arms(slopes, intercepts, seed=0):
    rng = np.random.default_rng(seed)
    x = np.tile([0.0, 1.0, 2.0, 4.0, 6.0, 8.0], 2)
    arm = np.repeat(["control", "treated"], 6)
    b = np.repeat(slopes, 6)
    a = np.repeat(intercepts, 6)
    return pd.DataFrame({"dose": x, "signal": a + b * x + rng.normal(0, 0.2, 12), "arm": arm})


def p_value(frame, small, big):
    return anova_lm(ols(small, frame).fit(), ols(big, frame).fit()).loc[1, "Pr(>F)"]


@pytest.mark.parametrize(
    ("slopes", "intercepts", "verdict"),
    [
        ([1.0, 2.0], [1.0, 1.0], "The slopes differ"),
        ([1.0, 1.0], [1.0, 3.0], "Parallel lines at different heights"),
        ([1.0, 1.0], [1.0, 1.0], "One line fits all groups"),
    ],
)
def test_verdict_follows_statsmodels_p_values(slopes, intercepts, verdict):
    frame = two_arms(slopes, intercepts)
    slopes_p = p_value(frame, "signal ~ dose + C(arm)", "signal ~ dose * C(arm)")
    heights_p = p_value(frame, "signal ~ dose", "signal ~ dose + C(arm)")
    expected = (
        "The slopes differ"
        if slopes_p < 0.05
        else "Parallel lines at different heights"
        if heights_p < 0.05
        else "One line fits all groups"
    )
    assert expected == verdict  # the simulated data are clear-cut
    assert conclusion(compare_lines(frame, "signal", "dose", "arm")).startswith(verdict)


def test_through_the_origin_the_verdict_is_about_slopes_only():
    frame = two_arms([1.0, 1.0], [0.0, 0.0], seed=3)
    assert p_value(frame, "signal ~ dose - 1", "signal ~ dose:C(arm) - 1") >= 0.05
    result = compare_lines(frame, "signal", "dose", "arm", through_origin=True)
    assert conclusion(result).startswith("The slopes are not clearly different: one line through")


def test_terminal_tables_show_each_groups_line_the_tests_and_the_verdict():
    frame = two_arms([1.0, 2.0], [1.0, 1.0])
    result = compare_lines(frame, "signal", "dose", "arm")
    console = Console(record=True, width=150)
    for renderable in comparison_renderables(result):
        console.print(renderable)
    text = console.export_text()
    for name, row in result.lines.iterrows():
        assert f"{name}" in text and f"{row['slope']:.5g}" in text
    assert f"{result.slopes.f:.4g}" in text and "Equal heights? (not interpretable)" in text
    assert "Conclusion: The slopes differ" in text


def test_report_section_holds_the_verdict_the_figure_and_the_tables():
    frame = two_arms([1.0, 1.0], [1.0, 3.0])
    result = compare_lines(frame, "signal", "dose", "arm")
    section = comparison_section(frame, result)
    assert section.heading == "Comparing the lines between groups of arm"
    assert "<strong>Conclusion:</strong> Parallel lines at different heights" in section.html
    assert section.html.count("<svg") == 1 and '<figure id="groups">' in section.html
    assert "one line through every row, ignoring arm" in section.html
    for name, row in result.lines.iterrows():
        assert f"<td>{name}</td><td>6</td><td>{row['slope']:.5g}</td>" in section.html
    assert f"<td>Equal heights?</td><td>{result.elevations.f:.4g}</td>" in section.html
