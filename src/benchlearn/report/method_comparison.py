"""The self-contained HTML report of a method comparison (figures inline, nothing external)."""

from __future__ import annotations

import warnings
from typing import Any

from benchlearn import __version__

SCATTER_CAPTION = (
    "Each sample measured by both methods. Dotted: identity (the methods agree). The Deming "
    "and Passing-Bablok lines estimate how the new method relates to the reference."
)
BLAND_ALTMAN_CAPTION = (
    "Bland-Altman plot: each sample's difference (new - reference) against the mean of the two "
    "methods. Lines: the bias and the limits of agreement; shaded: their confidence intervals."
)


def render_method_comparison(
    comparison: Any, x: Any, y: Any, *, reference: str, new: str, source: str
) -> str:
    """Return the report as one HTML document.

    Parameters
    ----------
    comparison
        A :class:`benchlearn.assay.method_comparison.MethodComparison`.
    x, y
        The reference and new method's values it was computed from (for the figures).
    reference, new, source
        Names of the methods and of the data file.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    from benchlearn.plots.method_comparison import bland_altman_plot, comparison_scatter
    from benchlearn.plots.render import figure_to_svg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        figures = [
            {"id": "scatter", "caption": SCATTER_CAPTION, "svg": figure_to_svg(
                comparison_scatter(x, y, comparison, reference=reference, new=new))},
            {"id": "bland-altman", "caption": BLAND_ALTMAN_CAPTION, "svg": figure_to_svg(
                bland_altman_plot(comparison.bland_altman, reference=reference, new=new))},
        ]  # fmt: skip
    ba = comparison.bland_altman
    environment = Environment(
        loader=PackageLoader("benchlearn.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return environment.get_template("method_comparison.html.j2").render(
        title="Method comparison",
        version=__version__,
        source=source,
        reference=reference,
        new=new,
        n=ba.n,
        level_percent=f"{100 * ba.bias.level:g}",
        verdict=comparison.verdict(),
        regressions=[
            {
                "method": fit.method,
                "notes": list(fit.notes),
                "rows": [_row(fit.slope), _row(fit.intercept)],
            }
            for fit in (comparison.deming, comparison.passing_bablok)
        ],
        bland_altman=[_row(q) for q in (ba.bias, ba.sd, ba.lower_limit, ba.upper_limit)],
        figures=figures,
    )


def _row(q: Any) -> dict[str, str]:
    ci = "" if q.lower is None else f"{q.lower:.5g} to {q.upper:.5g}"
    return {"name": q.name, "value": f"{q.value:.5g}", "ci": ci, "convention": q.convention,
            "formula": q.formula, "interval": q.interval_convention or ""}  # fmt: skip


def print_comparison(console: Any, result: Any, *, reference: str, new: str, source: str) -> None:
    """The comparison in the terminal: every number beside its convention and formula."""
    from rich.table import Table

    n = result.bland_altman.n
    console.print(f"[bold]Method comparison[/bold] of {new} (new) against {reference} "
                  f"(reference), {n} samples from {source}")  # fmt: skip
    for fit in (result.deming, result.passing_bablok):
        table = Table(title=f"{fit.method} regression", title_justify="left")
        for column in ("", "estimate", "CI", "convention / formula"):
            table.add_column(column)
        for q in (fit.slope, fit.intercept):
            table.add_row(q.name, f"{q.value:.5g}", _interval(q),
                          f"{q.convention}: {q.formula}\nCI: {q.interval_convention}")  # fmt: skip
        console.print(table)
        for note in fit.notes:
            console.print(f"  note: {note}")
        console.print(f"  {fit.verdict()}")
    ba = result.bland_altman
    table = Table(title="Bland-Altman (new - reference)", title_justify="left")
    for column in ("", "value", "CI", f"{ba.bias.convention}: formula"):
        table.add_column(column)
    for q in (ba.bias, ba.sd, ba.lower_limit, ba.upper_limit):
        formula = q.formula + (f"\nCI: {q.interval_convention}" if q.interval_convention else "")
        table.add_row(q.name, f"{q.value:.5g}", _interval(q), formula)
    console.print(table)
    console.print(f"  {ba.verdict()}")


def _interval(q: Any) -> str:
    if q.lower is None or q.upper is None:
        return ""
    return f"{q.lower:.5g} to {q.upper:.5g} ({100 * q.level:g}%)"
