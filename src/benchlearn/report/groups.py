"""How a comparison of groups' lines is shown: the verdict, terminal tables and report section.

The numbers come from :func:`benchlearn.linear.compare.compare_lines`; this module only words
and lays them out, the same way in the terminal (rich), the JSON and the HTML report.
"""

from __future__ import annotations

import html
import warnings
from typing import TYPE_CHECKING, Any

import pandas as pd

from benchlearn.plots.groups import group_lines
from benchlearn.plots.render import figure_to_svg
from benchlearn.report.html import Section
from benchlearn.report.summary import format_p

if TYPE_CHECKING:
    from benchlearn.linear.compare import LineComparison


def conclusion(comparison: LineComparison) -> str:
    """The comparison's verdict in one sentence."""
    c = comparison
    if c.slopes_differ:
        return f"The slopes differ: the groups respond differently to {c.x}."
    if c.elevations is None:
        return (
            "The slopes are not clearly different: one line through the origin describes every "
            "group."
        )
    if c.elevations.p_value < c.alpha:
        return (
            f"Parallel lines at different heights: the groups respond alike to {c.x}, but their "
            f"{c.y} is shifted."
        )
    return "One line fits all groups: neither the slopes nor the heights clearly differ."


def line_table(comparison: LineComparison) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted rows of each group's own line (slope, intercept, their CIs)."""
    c = comparison
    pct = f"{100 * c.level:.0f}% CI"
    headers = [c.group, "n", "slope", pct] + ([] if c.through_origin else ["intercept", pct])
    rows = []
    for name, row in c.lines.iterrows():
        cells = [
            str(name),
            str(int(row["n"])),
            f"{row['slope']:.5g}",
            f"{row['slope_ci_lower']:.4g} to {row['slope_ci_upper']:.4g}",
        ]
        if not c.through_origin:
            cells += [
                f"{row['intercept']:.5g}",
                f"{row['intercept_ci_lower']:.4g} to {row['intercept_ci_upper']:.4g}",
            ]
        rows.append(cells)
    return headers, rows


def f_test_table(comparison: LineComparison) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted rows of the F-tests, each named by the question it answers."""
    c = comparison
    s = c.slopes
    rows = [
        ["Equal slopes?", f"{s.f:.4g}", f"{s.df1}, {s.df2}", format_p(s.p_value),
         "a line per group vs parallel lines"],
    ]  # fmt: skip
    if c.elevations is not None:
        e = c.elevations
        rows.append(
            ["Equal heights?" + (" (not interpretable)" if c.slopes_differ else ""),
             f"{e.f:.4g}", f"{e.df1}, {e.df2}", format_p(e.p_value),
             "parallel lines vs one line for all"]
        )  # fmt: skip
    return ["question", "F", "df", "p", "compares"], rows


def comparison_renderables(comparison: LineComparison) -> list[Any]:
    """The per-group lines and the F-tests as rich tables, then the verdict and its reasons."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    c = comparison
    parts: list[Any] = []
    titles = [f"Lines of {c.y} against {c.x}, one per {c.group}",
              "Are the lines the same? (F-tests)"]  # fmt: skip
    for title, (headers, rows) in zip(titles, [line_table(c), f_test_table(c)], strict=True):
        # Numbers never wrap (see RegressionSummary.__rich__); text columns fold.
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                      collapse_padding=True)  # fmt: skip
        for k, header in enumerate(headers):
            text = k == 0 or header == "compares"
            table.add_column(header, justify="left" if text else "right", no_wrap=not text,
                             overflow="fold")  # fmt: skip
        for row in rows:
            table.add_row(*row)
        parts.append(table)
    parts.append(Text.assemble(("Conclusion: ", "bold"), conclusion(c)))
    parts += [Text(f"- {sentence}") for sentence in c.sentences()]
    if c.weighted:
        parts.append(Text("Every line and test above is a weighted fit.", style="italic"))
    return [Group(*parts)]


def comparison_section(data: pd.DataFrame, comparison: LineComparison) -> Section:
    """The report's section: the verdict, the figure of each group's line, the tables."""
    c = comparison
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        svg = figure_to_svg(group_lines(data, c))
    caption = (
        f"{c.y} against {c.x} for each {c.group}, each group with its own fitted line"
        + (" through the origin" if c.through_origin else "")
        + (" (weighted)" if c.weighted else "")
        + "."
    )
    reading = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in c.sentences())
    body = (
        f"<p><strong>Conclusion:</strong> {html.escape(conclusion(c))}</p>\n"
        f"<p>The parameters above describe one line through every row, ignoring "
        f"{html.escape(c.group)}; "
        f"here each {html.escape(c.group)} has its own line.</p>\n"
        f'<figure id="groups">\n{svg}\n<figcaption>{html.escape(caption)}</figcaption>\n'
        f"</figure>\n{_html_table(*line_table(c))}\n{_html_table(*f_test_table(c))}\n"
        f"<ul class='reading'>{reading}</ul>"
    )
    return Section(f"Comparing the lines between groups of {c.group}", body)


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
