"""How a curve that bends is shown: the terminal, the JSON and the HTML report of ``fit_curve``
and ``bending_standard_curve`` (4PL/5PL, dose-response, enzyme kinetics).

Everything here lays out an analysis computed once (:mod:`benchlearn.analysis.curve_fit`,
:mod:`benchlearn.analysis.bending_curve`); nothing is refitted for a second output.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from benchlearn.report.html import Section, environment, figure_svg, macro, render_fragment
from benchlearn.report.shape_checks import check_sentences
from benchlearn.report.weighting import describe_weighting
from benchlearn.report.wording import format_p, number, p_phrase

if TYPE_CHECKING:
    from benchlearn.analysis import BendingCurveAnalysis, CurveFitAnalysis

PARAMETER_HEADERS = ["parameter", "estimate", "std. error", "t", "p-value", "CI", "interval"]
CONCENTRATION_SIGMOIDS = ("4pl", "5pl", "inhibition")


def _g(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:.{digits}g}"


# ---------------------------------------------------------------- words
def parameter_rows(table: Any) -> list[list[str]]:
    """The parameter table's cells: label, estimate, SE, t, p, CI, kind of interval."""
    rows = []
    for _, row in table.iterrows():
        if row["interval"] == "fixed":
            rows.append([row["label"], _g(row["estimate"]), "", "", "", "", "held fixed"])
            continue
        rows.append(
            [
                row["label"],
                _g(row["estimate"], 6),
                _g(row["std_error"]),
                _g(row["t"]),
                format_p(row["p_value"]),
                f"{_g(row['ci_lower'])} to {_g(row['ci_upper'])}",
                row["interval"],
            ]
        )
    return rows


def interval_note(level: float) -> str:
    """What the two kinds of interval are."""
    return (
        f"{100 * level:g}% confidence intervals. Profile: the values the parameter can take "
        "while the others re-adjust and the fit worsens no more than chance allows; it follows "
        "the curve's bend, so it is lopsided where the data make it so (EC50, IC50, Km). Wald: "
        "estimate ± t·SE, from the curve's tangent at the answer. An interval end of ∞ means "
        "the data do not bound the parameter on that side."
    )


def statistics_sentence(fit: CurveFitAnalysis) -> str:
    """Residual SD, degrees of freedom and observations."""
    return (
        f"Residual standard deviation {number(fit.residual_std, 4)} on {fit.dof_resid} degrees "
        f"of freedom ({fit.n_samples} observations; the best of {fit.model.n_starts_} "
        "automatic starting points)."
    )


def parameter_sentences(fit: CurveFitAnalysis) -> list[str]:
    """The parameters that a lab quotes, each with its interval."""
    pct = f"{100 * fit.level:g}%"
    out = []
    for _, row in fit.parameters.iterrows():
        if row["interval"] == "fixed":
            out.append(f"{row['label']} held at {_g(row['estimate'])}.")
            continue
        text = (
            f"{row['label']} = {_g(row['estimate'])} ({pct} {row['interval']} interval "
            f"{_g(row['ci_lower'])} to {_g(row['ci_upper'])})"
        )
        if row["interval"] == "profile" and _lopsided(row):
            text += (
                f"; the Wald interval {_g(row['wald_lower'])} to {_g(row['wald_upper'])} "
                "would hide how lopsided it is"
            )
        out.append(text + ".")
    return out


def _lopsided(row: Any) -> bool:
    low, high, est = row["ci_lower"], row["ci_upper"], row["estimate"]
    if not (math.isfinite(low) and math.isfinite(high)):
        return True
    below, above = est - low, high - est
    return min(below, above) > 0 and max(below, above) / min(below, above) > 1.25


def group_sentences(fit: CurveFitAnalysis) -> list[str]:
    """The groups' comparison in words: each F-test, then each relative potency."""
    groups = fit.groups
    if groups is None:
        return []
    out = []
    for test in groups.tests:
        c = test.comparison
        names = ", ".join(_label(n) for n in test.shared)
        whole = len(test.shared) > 1
        question = (
            f"Is one curve enough for every {groups.column}?"
            if whole
            else f"Is {names} the same in every {groups.column}?"
        )
        stat = f"F = {c.f:.3g} on {c.df1} and {c.df2} df, {p_phrase(c.p_value)}"
        if c.p_value < 0.05:
            verdict = (
                "no: the groups' curves differ"
                if whole
                else f"no: {names} differs between the groups"
            )
        else:
            verdict = (
                "the data show no difference between the groups' curves"
                if whole
                else f"the data show no difference in {names}"
            )
        out.append(
            f"{question} {stat}: {verdict} (extra-sum-of-squares F-test, shared "
            "against separate parameters)."
        )
    for potency in groups.potency:
        par = potency.parallelism
        text = (
            f"Relative potency of {groups.column} {potency.test} against {potency.reference}: "
            f"{_g(potency.potency)} ({100 * potency.level:g}% CI {_g(potency.lower)} to "
            f"{_g(potency.upper)}; above 1 means {potency.test} is more potent)."
        )
        if par.p_value < 0.05:
            text += (
                f" But the curves are not parallel (F = {par.f:.3g}, "
                f"{p_phrase(par.p_value)}): one potency ratio does not describe them."
            )
        out.append(text)
    return out


def _label(name: str) -> str:
    from benchlearn.analysis.curve_fit import label

    return label(name)


def curve_check_sentences(checks: Any) -> list[str]:
    """The shape checks' sentences, with the remedies of a curve (not of a polynomial)."""
    return [
        sentence.replace(
            "try another degree or a narrower range",
            "try another --model, e.g. 5pl for a sigmoid that is not symmetric",
        )
        for sentence in check_sentences(checks)
    ]


def reading(fit: CurveFitAnalysis) -> list[str]:
    """What the fit says in plain words."""
    sentences = []
    if fit.weighting.weighted:
        sentences.append(describe_weighting(fit.weighting))
    sentences += parameter_sentences(fit)
    sentences += group_sentences(fit)
    if fit.checks is not None:
        sentences += curve_check_sentences(fit.checks)
    if fit.groups is not None:
        for name, checks in fit.groups.checks.items():
            sentences += [
                f"{fit.groups.column} {name}'s own curve: {sentence}"
                for sentence in curve_check_sentences(checks)
            ]
    return sentences


# ---------------------------------------------------------------- JSON
def curve_fit_json(fit: CurveFitAnalysis) -> dict[str, Any]:
    """The fit's numbers (:meth:`CurveFitAnalysis.to_dict`) with its reading in words."""
    return fit.to_dict() | {"reading": reading(fit)}


def bending_curve_json(curve: BendingCurveAnalysis) -> dict[str, Any]:
    """The standard curve's numbers with its reading in words."""
    return curve.to_dict() | {"reading": reading(curve.fit) + limits_sentences(curve)}


# ---------------------------------------------------------------- terminal
def parameters_table(fit: CurveFitAnalysis, title: str | None = None) -> Any:
    """The parameter table for the terminal (rich)."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=title or f"{fit.curve} curve: {fit.formula}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        title_justify="left",
    )
    for header in PARAMETER_HEADERS:
        table.add_column(
            f"{100 * fit.level:g}% CI" if header == "CI" else header,
            justify="left" if header in ("parameter", "interval") else "right",
        )
    for row in parameter_rows(fit.parameters):
        table.add_row(*row)
    return table


def print_curve_fit(console: Any, fit: CurveFitAnalysis) -> None:
    """The parameter table, the fit's statistics, warnings, reading and group tables."""
    if fit.groups is not None:
        console.print(
            f"One curve for all rows, ignoring {fit.groups.column} (each "
            f"{fit.groups.column}'s own curve follows):",
            style="bold",
            highlight=False,
        )
    console.print(parameters_table(fit))
    console.print(statistics_sentence(fit), highlight=False)
    for note in fit.warnings:
        console.print(f"[yellow]Warning:[/yellow] {note}", markup=True, highlight=False)
    if fit.groups is not None:
        for name in fit.groups.labels:
            console.print()
            sub = _group_view(fit, name)
            console.print(parameters_table(sub, title=f"{fit.groups.column} {name}"))
    console.print()
    for sentence in reading(fit):
        console.print(f"- {sentence}", highlight=False)


def _group_view(fit: CurveFitAnalysis, name: Any) -> Any:
    from dataclasses import replace

    return replace(fit, parameters=fit.groups.parameters[name])


def limits_sentences(curve: BendingCurveAnalysis) -> list[str]:
    """The standards' range and the detection and quantification limits in words."""
    low, high = curve.calibrated_range
    out = [f"Standards' {curve.fit.x} from {_g(low)} to {_g(high)}."]
    d = curve.detection_limits
    if d is None:
        out.append(f"LOD and LOQ {curve.detection_limits_note}.")
        return out
    out.append(
        f"Limit of detection (LOD) {_g(d.lod)}: the concentration whose signal exceeds the "
        f"blank's ({_g(d.blank)}) one-sided {100 * d.level:g}% prediction limit "
        f"({_g(d.critical_response)})."
    )
    if math.isfinite(d.lloq):
        out.append(
            f"Limits of quantification {_g(d.lloq)} to {_g(d.uloq)}: where one reading's "
            f"back-calculated concentration has a CV of at most {d.max_cv:.0%} (within the "
            "standards)."
        )
    else:
        out.append(
            f"No concentration is read with a CV of {d.max_cv:.0%} or better: no "
            "limits of quantification."
        )
    return out


def unknown_cells(row: Any) -> list[str]:
    """Cells of one unknown: sample, n, signal, estimate, interval ends."""
    return [
        str(row.sample),
        str(row.n_replicates),
        _g(row.signal),
        _g(row.estimate),
        _g(row.lower),
        _g(row.upper),
    ]


def print_bending_curve(console: Any, curve: BendingCurveAnalysis) -> None:
    """The curve (:func:`print_curve_fit`), its limits, then the unknowns with their flags."""
    from rich import box
    from rich.table import Table

    print_curve_fit(console, curve.fit)
    for sentence in limits_sentences(curve):
        console.print(f"- {sentence}", highlight=False)
    if curve.unknowns is None:
        return
    pct = f"{100 * curve.fit.level:g}%"
    table = Table(
        title=f"Unknown samples ({pct} intervals)",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        title_justify="left",
    )
    for header in ["sample", "n", "signal", curve.fit.x, "from", "to", "flag"]:
        table.add_column(header, justify="left" if header in ("sample", "flag") else "right")
    for row in curve.unknowns.itertuples():
        table.add_row(*unknown_cells(row), "FLAG" if row.flag else "")
    console.print(table)
    for row in curve.unknowns.itertuples():
        if row.flag:
            console.print(
                f"[bold red]Flag:[/bold red] sample {row.sample}: {row.flag}.",
                markup=True,
                highlight=False,
            )


# ---------------------------------------------------------------- HTML
def _log_scale(fit: CurveFitAnalysis) -> bool:
    return fit.curve in CONCENTRATION_SIGMOIDS


def _x_label(fit: CurveFitAnalysis) -> str:
    return f"log10 {fit.x}" if fit.log_x else fit.x


def curve_figures(fit: CurveFitAnalysis) -> list[dict[str, Any]]:
    """The curve with its bands and the residuals (and the groups' curves)."""
    from benchlearn.plots import curves as plots

    pct = f"{100 * fit.level:g}%"
    weighted = (
        (
            " In a weighted fit the prediction band is for a reading weighted as the rule "
            "gives (or as the nearest standards are)."
        )
        if fit.weighting.weighted
        else ""
    )
    figures = [
        (
            "curve",
            plots.curve_with_bands(
                fit.X.iloc[:, 0].to_numpy(),
                fit.response.to_numpy(),
                fit.band,
                x_label=_x_label(fit),
                y_label=fit.y,
                log_scale=_log_scale(fit),
                level=fit.level,
            ),
            f"Measurements with the fitted {fit.curve} curve. Dark band: where the true curve "
            f"lies ({pct} confidence). Light band: where a new reading is expected to fall "
            f"({pct} prediction)." + weighted,
        ),
        (
            "residuals",
            plots.residuals_against_x(
                fit.residuals, x_label=_x_label(fit), log_scale=_log_scale(fit)
            ),
            "Standardized residuals against x. A wave (runs of the same sign) means the curve "
            "misses the data's shape; a funnel means the scatter grows with the signal (consider "
            "--weight-by 1/y2).",
        ),
    ]
    if fit.groups is not None:
        separate = fit.groups.tests[0].comparison.separate
        models = {g: separate[g] for g in fit.groups.labels}
        from benchlearn.analysis.curve_fit import group_names

        labels = group_names(fit.data[fit.groups.column])
        figure = plots.group_curves(
            fit.X.iloc[:, 0].to_numpy(),
            fit.response.to_numpy(),
            labels,
            models,
            x_label=_x_label(fit),
            y_label=fit.y,
            group=fit.groups.column,
            log_scale=_log_scale(fit),
        )
        figures.append(
            (
                "groups",
                figure,
                f"Each {fit.groups.column}'s measurements with its own fitted curve.",
            )
        )
    return [
        {"id": fid, "svg": figure_svg(fig), "caption": caption} for fid, fig, caption in figures
    ]


def group_section(fit: CurveFitAnalysis) -> Section:
    """The groups' own parameters and the tests comparing them."""
    parts = []
    for name in fit.groups.labels:
        parts.append(macro("paragraph", f"{fit.groups.column} {name}"))
        parts.append(macro("table", PARAMETER_HEADERS, parameter_rows(fit.groups.parameters[name])))
    headers = ["shared", "F", "df1", "df2", "p-value", "RSS shared", "RSS separate"]
    rows = [
        [
            ", ".join(_label(n) for n in t.shared),
            _g(t.comparison.f),
            str(t.comparison.df1),
            str(t.comparison.df2),
            format_p(t.comparison.p_value),
            _g(t.comparison.rss_shared),
            _g(t.comparison.rss_separate),
        ]
        for t in fit.groups.tests
    ]
    parts.append(macro("table", headers, rows, id="group-tests"))
    parts.append(macro("sentences", group_sentences(fit)))
    from markupsafe import Markup

    return Section(f"Comparing the {fit.groups.column} groups", Markup("\n").join(parts))


def render_curve_fit_report(
    fit: CurveFitAnalysis,
    *,
    title: str = "Curve fit report",
    sections: list[Section] | None = None,
    extra_reading: list[str] | None = None,
) -> str:
    """The report as one self-contained HTML document."""
    from benchlearn import __version__

    own = []
    if fit.groups is not None:
        own.append(group_section(fit))
    if fit.checks is not None:
        own.append(
            Section(
                "Checks of the curve's shape", macro("sentences", curve_check_sentences(fit.checks))
            )
        )
    return (
        environment()
        .get_template("curve_fit.html.j2")
        .render(
            title=title,
            version=__version__,
            source=fit.source or "(in memory)",
            formula=f"{fit.curve}: y = {fit.formula}",
            n_samples=fit.n_samples,
            reading=reading(fit) + (extra_reading or []),
            warnings=list(fit.warnings),
            parameter_headers=[
                f"{100 * fit.level:g}% CI" if h == "CI" else h for h in PARAMETER_HEADERS
            ],
            parameter_rows=parameter_rows(fit.parameters),
            statistics=statistics_sentence(fit),
            interval_note=interval_note(fit.level),
            sections=own + (sections or []),
            figures=curve_figures(fit),
        )
    )


def bending_sections(curve: BendingCurveAnalysis) -> list[Section]:
    """The standard curve's limits and its unknown samples (table and figure)."""
    sections = [Section("Standard curve", macro("sentences", limits_sentences(curve)))]
    if curve.unknowns is None:
        return sections
    from benchlearn.plots.curves import unknowns_on_bending_curve

    fit = curve.fit
    shown = curve.unknowns.copy()
    if fit.log_x:  # the table is in concentrations; the figure in the fit's log10 units
        for name in ["estimate", "lower", "upper"]:
            with np.errstate(divide="ignore", invalid="ignore"):
                shown[name] = np.log10(shown[name].to_numpy(dtype=float))
    figure = unknowns_on_bending_curve(
        fit.band,
        fit.X.iloc[:, 0].to_numpy(),
        fit.response.to_numpy(),
        shown,
        x_label=_x_label(fit),
        y_label=fit.y,
        log_scale=_log_scale(fit),
        model=fit.model,
    )
    rows = [{"cells": unknown_cells(row), "flag": row.flag} for row in curve.unknowns.itertuples()]
    table = render_fragment(
        "bending_unknowns.html.j2",
        rows=rows,
        headers=["sample", "n", "mean signal", fit.x, "from", "to", "flag"],
        level=f"{100 * fit.level:g}%",
    )
    caption = (
        "Unknown samples on the standard curve, each at its mean signal with its interval "
        "as a bar (red: flagged; an open end runs to the edge). The curve is dashed where "
        "it is extended beyond the standards."
    )
    sections.append(
        Section(
            "Unknown samples",
            table + macro("figure", "unknowns-figure", figure_svg(figure), caption),
        )
    )
    return sections


def render_bending_report(curve: BendingCurveAnalysis) -> str:
    """The HTML report of a bending standard curve, as one document."""
    return render_curve_fit_report(
        curve.fit, title="Standard curve report", sections=bending_sections(curve)
    )
