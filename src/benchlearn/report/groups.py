"""How a comparison of groups' lines is shown: the verdict, terminal tables and report section.

The numbers come from :func:`benchlearn.linear.compare.compare_lines`; this module only words
and lays them out, the same way in the terminal (rich), the JSON and the HTML report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from benchlearn.report.html import Section, figure_svg, render_fragment
from benchlearn.report.wording import format_p, p_phrase

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


def comparison_sentences(comparison: LineComparison) -> list[str]:
    """What the comparison says, in plain words."""
    self = comparison
    groups = [str(g) for g in self.lines.index]
    named = ", ".join(groups[:-1]) + f" and {groups[-1]}"
    s = self.slopes
    out = []
    if self.slopes_differ:
        out.append(
            f"The slopes of {self.y} against {self.x} differ between {named} "
            f"(F = {s.f:.3g} on {s.df1} and {s.df2} df, {p_phrase(s.p_value)}): the groups "
            f"respond differently to {self.x}."
        )
        if self.elevations is not None:
            out.append(
                "Because the lines are not parallel, they cross somewhere, so whether one "
                "group's line lies higher than another's depends on "
                f"{self.x}; the test of equal elevations is not interpretable."
            )
        return out
    c = self.common_slope
    out.append(
        f"The slopes of {self.y} against {self.x} are not clearly different between {named} "
        f"(F = {s.f:.3g} on {s.df1} and {s.df2} df, {p_phrase(s.p_value)}); the common slope "
        f"is {c['estimate']:.4g} ({100 * self.level:.0f}% CI {c['ci_lower']:.4g} to "
        f"{c['ci_upper']:.4g}). This does not prove the slopes equal: with few points, real "
        "differences can go undetected."
    )
    e = self.elevations
    if e is None:
        return out
    if e.p_value < self.alpha:
        out.append(
            f"The parallel lines lie at different heights (elevations) (F = {e.f:.3g} on "
            f"{e.df1} and {e.df2} df, {p_phrase(e.p_value)}): at the same {self.x}, "
            f"{self.y} differs between the groups."
        )
    else:
        out.append(
            f"The lines' heights (elevations) are not clearly different either (F = "
            f"{e.f:.3g} on {e.df1} and {e.df2} df, {p_phrase(e.p_value)}): one line for "
            "all groups describes the data as well."
        )
    return out


def comparison_json(comparison: LineComparison) -> dict[str, Any]:
    """The comparison's numbers with its reading and verdict in words."""
    return comparison.to_dict() | {
        "reading": comparison_sentences(comparison),
        "conclusion": conclusion(comparison),
    }


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
    parts += [Text(f"- {sentence}") for sentence in comparison_sentences(c)]
    if c.weighted:
        parts.append(Text("Every line and test above is a weighted fit.", style="italic"))
    return [Group(*parts)]


def comparison_section(data: pd.DataFrame, comparison: LineComparison) -> Section:
    """The report's section: the verdict, the figure of each group's line, the tables."""
    from benchlearn.plots.groups import group_lines  # matplotlib, only when a report is drawn

    c = comparison
    caption = (
        f"{c.y} against {c.x} for each {c.group}, each group with its own fitted line"
        + (" through the origin" if c.through_origin else "")
        + (" (weighted)" if c.weighted else "")
        + "."
    )
    body = render_fragment(
        "groups.html.j2",
        conclusion=conclusion(c),
        group=c.group,
        svg=figure_svg(group_lines(data, c)),
        caption=caption,
        lines=line_table(c),
        tests=f_test_table(c),
        reading=comparison_sentences(c),
    )
    return Section(f"Comparing the lines between groups of {c.group}", body)
