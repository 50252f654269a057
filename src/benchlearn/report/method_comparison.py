"""How a method comparison is shown: its verdict and notes in words, the terminal, the JSON and
the self-contained HTML report (figures inline, nothing external)."""

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


def regression_notes(fit: Any) -> list[str]:
    """What the reader must know beside a Deming or Passing-Bablok line, in words."""
    d, notes = fit.details, []
    if "error_ratio_source" in d:
        source = {"assumed": "assumed 1 (equal error variances)", "given": "given"}.get(
            d["error_ratio_source"], ""
        )
        if d["error_ratio_source"] == "replicates":
            source = (f"estimated from replicates: σ²(new mean) = {d['var_new_mean']:.4g}, "
                      f"σ²(reference mean) = {d['var_reference_mean']:.4g}")  # fmt: skip
        notes.append(f"error-variance ratio δ = σ²(new)/σ²(reference) = {d['error_ratio']:.4g}, "
                     f"{source}")  # fmt: skip
    if "mirrored" in fit.flags:
        notes.append("negative relation (Kendall's τ < 0): fitted on -y and mirrored back "
                     "(Bablok et al. 1988)")  # fmt: skip
    if "linearity-rejected" in fit.flags:
        test = d["cusum_linearity"]
        notes.append(f"the CUSUM test rejects linearity (max |cusum| = {test['statistic']:.3g} > "
                     f"{test['critical_value']:.3g}): Passing-Bablok assumes a straight "
                     "relation, so its line may mislead")  # fmt: skip
    if "open-slope-interval" in fit.flags:
        notes.append("too few samples for a finite slope interval")
    return notes


def regression_verdict(fit: Any) -> str:
    """One sentence on slope = 1 and intercept = 0."""
    level = f"{100 * fit.slope.level:g}%"
    s, a = fit.slope, fit.intercept
    parts = [
        f"{fit.method}: slope {s.value:.4g} ({level} CI {s.lower:.4g} to {s.upper:.4g}) "
        + ("excludes 1, a proportional difference between the methods"
           if fit.proportional_difference else "includes 1 (no proportional difference "
           "shown)"),
        f"intercept {a.value:.4g} ({level} CI {a.lower:.4g} to {a.upper:.4g}) "
        + ("excludes 0, a constant difference" if fit.constant_difference
           else "includes 0 (no constant difference shown)"),
    ]  # fmt: skip
    return "; ".join(parts) + "."


def bland_altman_verdict(ba: Any) -> str:
    """Plain reading of the bias and the limits of agreement."""
    b = ba.bias
    shown = "a systematic difference" if ba.systematic_difference else "no bias shown"
    return (f"Bias (new - reference) {b.value:.4g} ({100 * b.level:g}% CI {b.lower:.4g} "
            f"to {b.upper:.4g}): {shown}. Limits of agreement {ba.lower_limit.value:.4g} "
            f"to {ba.upper_limit.value:.4g} ({ba.lower_limit.formula}, "
            f"{ba.upper_limit.formula}); whether that is close enough is a clinical, "
            "not a statistical, judgement.")  # fmt: skip


def comparison_verdict(comparison: Any) -> list[str]:
    """The three readings of a comparison, one sentence each."""
    return [regression_verdict(comparison.deming), regression_verdict(comparison.passing_bablok),
            bland_altman_verdict(comparison.bland_altman)]  # fmt: skip


def comparison_json(result: Any) -> dict[str, Any]:
    """A comparison's numbers (``to_dict()``) with its verdict and notes in words.

    ``result`` is a :class:`benchlearn.analysis.MethodComparisonAnalysis` or the engine's
    :class:`benchlearn.assay.method_comparison.MethodComparison`.
    """
    comparison = getattr(result, "comparison", result)
    out = result.to_dict()
    for key in ("deming", "passing_bablok"):
        fit = getattr(comparison, key)
        out[key] = out[key] | {"verdict": regression_verdict(fit),
                               "notes": regression_notes(fit)}  # fmt: skip
    out["bland_altman"] = out["bland_altman"] | {
        "verdict": bland_altman_verdict(comparison.bland_altman)}  # fmt: skip
    out["verdict"] = comparison_verdict(comparison)
    return out


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
        verdict=comparison_verdict(comparison),
        regressions=[
            {
                "method": fit.method,
                "notes": regression_notes(fit),
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
        for note in regression_notes(fit):
            console.print(f"  note: {note}")
        console.print(f"  {regression_verdict(fit)}")
    ba = result.bland_altman
    table = Table(title="Bland-Altman (new - reference)", title_justify="left")
    for column in ("", "value", "CI", f"{ba.bias.convention}: formula"):
        table.add_column(column)
    for q in (ba.bias, ba.sd, ba.lower_limit, ba.upper_limit):
        formula = q.formula + (f"\nCI: {q.interval_convention}" if q.interval_convention else "")
        table.add_row(q.name, f"{q.value:.5g}", _interval(q), formula)
    console.print(table)
    console.print(f"  {bland_altman_verdict(ba)}")


def _interval(q: Any) -> str:
    if q.lower is None or q.upper is None:
        return ""
    return f"{q.lower:.5g} to {q.upper:.5g} ({100 * q.level:g}%)"
