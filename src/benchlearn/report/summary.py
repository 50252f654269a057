"""How a regression summary looks: one table model, drawn for the terminal, HTML and JSON.

:class:`benchlearn.linear.summary.RegressionSummary` holds the numbers. :func:`summary_table`
formats its cells once; the renderers lay those cells out as R-like text (``str()``), rich
tables (the command line), an HTML table (notebooks and the report, from a Jinja macro), and
:func:`summary_json` gives the numbers with the notes in words. Importing this module registers
the renderers with :mod:`benchlearn.display`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchlearn import display
from benchlearn.linear.summary import RegressionSummary
from benchlearn.report.interpret import collinearity_notes
from benchlearn.report.wording import format_p, number, p_phrase, significance_stars

__all__ = [
    "RegressionSummary",
    "SummaryTable",
    "format_p",
    "p_phrase",
    "significance_stars",
    "summary_json",
    "summary_table",
]


@dataclass(frozen=True)
class SummaryTable:
    """The summary's cells, formatted once for every renderer.

    ``rows`` are the parameter table's cells (name, estimate, SE, t, p, CI low, CI high,
    significance code); ``statistics`` the fit's numbers by name, already written out.
    """

    title: str
    formula: str
    level: str
    rows: list[list[str]]
    statistics: dict[str, str]
    notes: list[str]


def summary_table(summary: RegressionSummary) -> SummaryTable:
    """The cells of ``summary``: numbers are never reformatted by a renderer."""
    d = summary.to_dict()
    rows = [
        [str(name), f"{row['estimate']:.5g}", f"{row['std_error']:.3g}", f"{row['t']:.2f}",
         format_p(row["p_value"]), f"{row['ci_lower']:.5g}", f"{row['ci_upper']:.5g}",
         significance_stars(row["p_value"])]
        for name, row in summary.parameters.iterrows()
    ]  # fmt: skip
    statistics = {
        "n": str(d["n_samples"]),
        "dof": str(d["dof_resid"]),
        "rank": str(d["rank"]),
        "residual_std": number(d["residual_std"]),
        "r2": number(d["r2"]),
        "r2_kind": d["r2_kind"],
        "r2_adj": number(d["r2_adj"]),
        "f": number(d["f_statistic"]),
        "f_df1": str(d["f_df"][0]),
        "f_df2": str(d["f_df"][1]),
        "f_p": format_p(d["f_pvalue"] if d["f_pvalue"] is not None else float("nan")),
        "f_p_phrase": p_phrase(d["f_pvalue"]),
        "condition": number(d["condition_number"]),
    }
    return SummaryTable(
        title=d["model"],
        formula=d["formula"],
        level=f"{100 * summary.level:.0f}%",
        rows=rows,
        statistics=statistics,
        notes=collinearity_notes(summary.model),
    )


def summary_json(summary: RegressionSummary) -> dict[str, Any]:
    """Every number of the summary, JSON-ready, with the notes on the predictors in words."""
    return summary.to_dict() | {"notes": collinearity_notes(summary.model)}


def render_text(summary: RegressionSummary) -> str:
    """Plain text laid out like R's ``summary(lm)``."""
    t = summary_table(summary)
    s = t.statistics
    lines = [f"{t.title}:  {t.formula}", ""]
    if summary.residual_quantiles is not None:
        q = summary.residual_quantiles
        lines += [
            "Residuals:",
            "      Min        1Q    Median        3Q       Max",
            "".join(f"{q[k]:>10.4g}" for k in ["min", "q1", "median", "q3", "max"]),
            "",
        ]
    width = max(12, *(len(row[0]) for row in t.rows))
    lines.append("Coefficients:")
    lines.append(
        f"{'':<{width}} {'Estimate':>12} {'Std. Error':>12} {'t value':>9} {'Pr(>|t|)':>10}"
        f" {'[' + t.level:>12} {'CI]':<12}"
    )
    for name, est, se, tv, p, low, high, stars in t.rows:
        lines.append(
            f"{name:<{width}} {est:>12} {se:>12} {tv:>9} {p:>10} {low:>12} {high:<12} {stars}"
        )
    lines += [
        "---",
        "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1",
        "",
        f"Residual standard error: {s['residual_std']} on {s['dof']} degrees of freedom",
        f"Multiple R-squared: {s['r2']} ({s['r2_kind']}),  Adjusted R-squared: {s['r2_adj']}",
        f"F-statistic: {s['f']} on {s['f_df1']} and {s['f_df2']} DF,  p-value: {s['f_p']}",
        f"Observations: {s['n']},  rank: {s['rank']},  condition number: {s['condition']}",
    ]
    lines += [f"Note: {note}" for note in t.notes]
    return "\n".join(lines)


def render_html(summary: RegressionSummary) -> str:
    """An HTML table (notebooks, and the report's parameter section)."""
    from benchlearn.report.html import macro

    return str(macro("summary", summary_table(summary)))


def render_rich(summary: RegressionSummary) -> Any:
    """The command line's tables."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    t = summary_table(summary)
    s = t.statistics
    # In an 80-column terminal a wrapped number ("4.07e-1" over "4") would be misread, so
    # numbers never wrap; long parameter names fold instead, and the box is kept narrow.
    table = Table(title=f"{t.title}: {t.formula}", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)  # fmt: skip
    longest_name = max((len(r[0]) for r in t.rows), default=1)
    table.add_column("parameter", overflow="fold", min_width=min(longest_name, 10))
    headers = ["estimate", "SE", "t", "p", f"{t.level} low", f"{t.level} high", ""]
    for k, header in enumerate(headers, start=1):
        width = max((len(r[k]) for r in t.rows), default=1)
        table.add_column(header, justify="right", no_wrap=True, min_width=width)
    for r in t.rows:
        table.add_row(*r)
    stats = Table.grid(padding=(0, 2))
    stats.add_row("Observations", s["n"])
    stats.add_row("Residual SD", f"{s['residual_std']} on {s['dof']} df")
    stats.add_row("R²", f"{s['r2']} ({s['r2_kind']})")
    stats.add_row("Adjusted R²", s["r2_adj"])
    stats.add_row("F-test", f"F = {s['f']} on {s['f_df1']} and {s['f_df2']} df, {s['f_p_phrase']}")
    stats.add_row("Condition number", s["condition"])
    parts: list[Any] = [table, stats]
    parts += [Text(f"Note: {note}", style="yellow") for note in t.notes]
    return Group(*parts)


display.register(RegressionSummary, "text", render_text)
display.register(RegressionSummary, "html", render_html)
display.register(RegressionSummary, "rich", render_rich)
