"""How the checks of a model's shape read: sentences, the terminal lines, the JSON, the report.

The numbers come from :mod:`benchlearn.analysis.shape_checks` (and the tests themselves from
:mod:`benchlearn.evaluate.lack_of_fit`); this module only words and lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text

from benchlearn.report.html import Section, macro
from benchlearn.report.wording import p_phrase

if TYPE_CHECKING:
    from benchlearn.analysis.shape_checks import ShapeChecks
    from benchlearn.evaluate.lack_of_fit import LackOfFitTest, RunsTest


def lack_of_fit_sentence(test: LackOfFitTest, alpha: float = 0.05) -> str:
    """What the lack-of-fit test says, in plain words."""
    stat = f"F = {test.f:.3g} on {test.df1} and {test.df2} df, {p_phrase(test.p_value)}"
    if test.p_value < alpha:
        return (
            f"Lack-of-fit test ({stat}): the means of the replicates lie farther from the "
            "fitted curve than their scatter explains, so the model's shape misses a real "
            "pattern (try another degree or a narrower range)."
        )
    return (
        f"Lack-of-fit test ({stat}): the replicates' means lie as close to the fitted curve "
        "as their own scatter allows; no sign that the model's shape is wrong."
    )


def runs_sentence(test: RunsTest, alpha: float = 0.05) -> str:
    """What the runs test says, in plain words."""
    stat = (
        f"{test.n_runs} runs of same-sign residuals, {test.expected:.3g} expected at random, "
        f"{p_phrase(test.p_value)}"
    )
    if test.p_value < alpha and test.n_runs < test.expected:
        return (
            f"Runs test ({stat}): the residuals stay on one side of the curve for long "
            "stretches, so the curve is systematically above, then below, the data."
        )
    if test.p_value < alpha:
        return (
            f"Runs test ({stat}): the residuals' signs alternate more often than chance "
            "would, which can come from the order of measurement or a periodic effect."
        )
    return f"Runs test ({stat}): the residuals' signs look random along the curve."


def checks_json(checks: ShapeChecks) -> dict[str, Any]:
    """The checks' numbers, each computed test with its ``reading``."""
    out = checks.to_dict()
    if checks.lack_of_fit is not None:
        out["lack_of_fit"]["reading"] = lack_of_fit_sentence(checks.lack_of_fit)
    if checks.runs is not None:
        out["runs_test"]["reading"] = runs_sentence(checks.runs)
    return out


def check_sentences(checks: ShapeChecks) -> list[str]:
    """Each check's reading, or why it was not computed, in plain words."""
    lof, runs = checks.lack_of_fit, checks.runs
    sentences = [
        lack_of_fit_sentence(lof)
        if lof is not None
        else f"Lack-of-fit test not computed: {checks.lack_of_fit_reason}.",
        runs_sentence(runs) + f" (Signs of the {checks.order}.)"
        if runs is not None
        else f"Runs test not computed: {checks.runs_reason}.",
    ]
    if checks.model is not None:
        sentences.insert(0, f"Both checks are of the model with {checks.model}.")
    return sentences


def checks_renderables(checks: ShapeChecks) -> list[Any]:
    """The checks for the terminal (rich)."""
    lines = [Text("Checks of the model's shape:", style="bold")]
    lines += [Text(f"- {sentence}") for sentence in check_sentences(checks)]
    return [Group(*lines)]


def checks_section(checks: ShapeChecks) -> Section:
    """The checks as a section of the HTML report."""
    return Section(
        "Checks of the model's shape",
        macro("sentences", check_sentences(checks)),
    )
