"""How a fitted table is shown: the terminal, the JSON and the HTML report of ``fit_table``.

Everything here lays out a :class:`benchlearn.analysis.FitAnalysis` computed once: the
summary, the diagnostics and the checks are never recomputed for a second output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchlearn.report.groups import comparison_json, comparison_renderables, comparison_section
from benchlearn.report.html import Section, macro, render_html_report
from benchlearn.report.interpret import plain_language
from benchlearn.report.pairwise import pairwise_renderables, pairwise_section
from benchlearn.report.shape_checks import checks_json, checks_renderables, checks_section
from benchlearn.report.summary import summary_json
from benchlearn.report.weighting import describe_weighting, weighting_json

if TYPE_CHECKING:
    from benchlearn.analysis import FitAnalysis


def reading(fit: FitAnalysis) -> list[str]:
    """What the fit says in plain words (the weighting first, for a weighted fit)."""
    sentences = plain_language(fit.model, fit.summary.response, fit.diagnostics)
    if fit.weighting.weighted:
        sentences.insert(0, describe_weighting(fit.weighting))
    return sentences


def fit_json(fit: FitAnalysis) -> dict[str, Any]:
    """The fit's numbers (:meth:`FitAnalysis.to_dict`) with every reading in words."""
    out = fit.to_dict() | summary_json(fit.summary) | {"reading": reading(fit)}
    out["weighting"] = weighting_json(fit.weighting)
    if fit.comparison is not None:
        out["group_comparison"] = comparison_json(fit.comparison)
    if fit.checks is not None:
        out |= checks_json(fit.checks)
    return out


def print_fit(console: Any, fit: FitAnalysis, *, lead: str | None = None) -> None:
    """The summary, the warnings, the reading, then the groups' comparison and the checks."""
    if lead is not None:
        console.print(lead, style="bold", highlight=False)
    console.print(fit.summary)
    for note in fit.warnings:
        console.print(f"[yellow]Warning:[/yellow] {note}", markup=True, highlight=False)
    console.print()
    for sentence in reading(fit):
        console.print(f"- {sentence}", highlight=False)
    renderables = [] if fit.comparison is None else comparison_renderables(fit.comparison)
    if fit.pairwise is not None:
        renderables += pairwise_renderables(fit.pairwise)
    if fit.checks is not None:
        renderables += checks_renderables(fit.checks)
    for renderable in renderables:
        console.print()
        console.print(renderable)


def fit_sections(fit: FitAnalysis) -> list[Section]:
    """The report's sections after the parameters: weighting, groups, shape checks."""
    sections = []
    if fit.weighting.weighted:
        sections.append(Section("Weighting", macro("paragraph", describe_weighting(fit.weighting))))
    if fit.comparison is not None:
        sections.append(comparison_section(fit.data, fit.comparison))
    if fit.pairwise is not None:
        sections.append(pairwise_section(fit.pairwise))
    if fit.checks is not None:
        sections.append(checks_section(fit.checks))
    return sections


def render_fit_report(
    fit: FitAnalysis,
    *,
    title: str = "Regression report",
    log_x: bool = False,
    sections: list[Section] | None = None,
) -> str:
    """The HTML report of the fit (``sections`` follow the fit's own), as one document."""
    return render_html_report(
        fit.model,
        fit.X,
        fit.y,
        source=fit.source,
        title=title,
        warnings_shown=list(fit.warnings),
        sections=fit_sections(fit) + (sections or []),
        log_x=log_x,
        sample_weight=fit.sample_weight,
        summary=fit.summary,
        diagnostics=fit.diagnostics,
        reading=plain_language(fit.model, fit.summary.response, fit.diagnostics),
    )
