"""How pairwise comparisons of groups' lines are shown: terminal tables and a report section.

The numbers come from :func:`benchlearn.linear.pairwise.pairwise_lines`; every table carries
its convention and formula (pooled or own-fit standard errors, the multiplicity adjustment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchlearn.report.html import Section, macro
from benchlearn.report.wording import format_p

if TYPE_CHECKING:
    from benchlearn.linear.pairwise import PairwiseLines

PAIR_HEADERS = ["group a", "group b", "difference (b - a)", "std. error", "t", "df", "p",
                "p adjusted", "CI"]  # fmt: skip
LINE_HEADERS = ["group", "n", "slope", "SE pooled", "SE own fit", "intercept", "SE pooled",
                "SE own fit"]  # fmt: skip


def pair_rows(frame: Any, level: float) -> list[list[str]]:
    """One row of cells per pair of groups."""
    return [
        [str(r.group_a), str(r.group_b), f"{r.difference:.4g}", f"{r.std_error:.3g}",
         f"{r.t:.3g}", str(int(r.df)), format_p(r.p_value), format_p(r.p_adjusted),
         f"{r.ci_lower:.4g} to {r.ci_upper:.4g}"]
        for r in frame.itertuples()
    ]  # fmt: skip


def line_rows(pairwise: PairwiseLines) -> list[list[str]]:
    """One row of cells per group: its line with pooled and own-fit standard errors."""
    return [
        [str(group), str(int(r.n)), f"{r.slope:.4g}", f"{r.slope_se_pooled:.3g}",
         f"{r.slope_se_own:.3g}", f"{r.intercept:.4g}", f"{r.intercept_se_pooled:.3g}",
         f"{r.intercept_se_own:.3g}"]
        for group, r in zip(pairwise.lines.index, pairwise.lines.itertuples(), strict=True)
    ]  # fmt: skip


def adjustment_sentence(pairwise: PairwiseLines) -> str:
    """Which multiplicity adjustment the p-values (and intervals) use."""
    from benchlearn.linear.pairwise import ADJUSTMENTS

    return (f"p-values adjusted by {pairwise.adjust} ({ADJUSTMENTS[pairwise.adjust]}; "
            f"--adjust holm is the default); {100 * pairwise.level:g}% intervals.")  # fmt: skip


def parts(pairwise: PairwiseLines) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """(title, convention and formula, headers, rows) of each table, in reporting order."""
    from benchlearn.linear.pairwise import OWN, POOLED

    out = [("Each group's line", f"SE {POOLED}; SE {OWN}", LINE_HEADERS,
            line_rows(pairwise))]  # fmt: skip
    for key, title in (("slopes", "Pairwise slope differences"),
                       ("elevations", "Pairwise elevation differences")):  # fmt: skip
        c = pairwise.conventions[key]
        out.append((title, f"{c['convention']}: {c['formula']}", PAIR_HEADERS,
                    pair_rows(getattr(pairwise, key), pairwise.level)))  # fmt: skip
    return out


def pairwise_renderables(pairwise: PairwiseLines) -> list[Any]:
    """The terminal tables (rich), each captioned with its convention and formula."""
    from rich import box
    from rich.table import Table

    tables = []
    for title, convention, headers, rows in parts(pairwise):
        table = Table(title=title, box=box.SIMPLE_HEAD, caption=convention)
        for header in headers:
            table.add_column(header, justify="left" if header.startswith("group") else "right")
        for row in rows:
            table.add_row(*row)
        tables.append(table)
    return [*tables, adjustment_sentence(pairwise)]


def pairwise_section(pairwise: PairwiseLines) -> Section:
    """The report's section: the groups' lines, then the pairwise differences."""
    from markupsafe import Markup

    html = Markup("").join(
        Markup("<h3>{}</h3>").format(title)
        + macro("paragraph", convention)
        + macro("table", headers, rows)
        for title, convention, headers, rows in parts(pairwise)
    )
    return Section("Pairwise comparisons of the groups", html + macro(
        "paragraph", adjustment_sentence(pairwise)))  # fmt: skip
