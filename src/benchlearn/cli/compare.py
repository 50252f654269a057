"""``benchlearn compare``: does a new measurement method agree with the reference?"""

from pathlib import Path
from typing import Annotated

import typer

from benchlearn.cli.app import app
from benchlearn.cli.output import DecimalOption, RunOutputs
from benchlearn.errors import UsageError

EPILOG = """Examples:

  benchlearn compare glucose.csv --x reference --y new_meter

  benchlearn compare creatinine.xlsx --x serum --y plasma --error-ratio 1.5 --json out.json

  benchlearn compare glucose.csv --x reference --y new_meter --report comparison.html

  benchlearn compare assays.csv --x-replicates ref_1,ref_2 --y-replicates new_1,new_2
"""


@app.command("compare", epilog=EPILOG)
def compare_command(
    file: Annotated[Path, typer.Argument(help="One row per sample, measured by both methods.")],
    x: Annotated[
        str | None, typer.Option("--x", help="Column of the reference (comparison) method.")
    ] = None,
    y: Annotated[str | None, typer.Option("--y", help="Column of the new (test) method.")] = None,
    x_replicates: Annotated[
        str | None,
        typer.Option(help="Reference replicate columns, comma-separated (instead of --x)."),
    ] = None,
    y_replicates: Annotated[
        str | None,
        typer.Option(help="New-method replicate columns, comma-separated (instead of --y)."),
    ] = None,
    error_ratio: Annotated[
        float | None,
        typer.Option(
            help="Deming: σ²(new)/σ²(reference), the ratio of the methods' error variances "
            "(default 1, or estimated from the replicate columns).",
        ),
    ] = None,
    level: Annotated[float, typer.Option(help="Confidence level of the intervals.")] = 0.95,
    loa_multiplier: Annotated[
        float, typer.Option(help="Limits of agreement: bias ± this × SD (Bland-Altman).")
    ] = 1.96,
    limits_ci: Annotated[
        str,
        typer.Option(
            help="Intervals of the limits: bland-altman-1999, bland-altman-1986 (approximate) "
            "or carkeet-2015-exact (noncentral t).",
        ),
    ] = "bland-altman-1999",
    pb_convention: Annotated[
        str,
        typer.Option(
            help="Passing-Bablok handling of ties, slopes of -1 and even counts: "
            "passing-bablok-1983 (the paper) or mcr (R's mcr package).",
        ),
    ] = "passing-bablok-1983",
    deming: Annotated[
        str,
        typer.Option(
            "--deming",
            help="deming, or weighted-deming for errors proportional to the level (Linnet 1990).",
        ),
    ] = "deming",
    deming_ci: Annotated[
        str,
        typer.Option(
            help="Deming intervals: jackknife (Linnet 1990) or analytical (Strike 1991).",
        ),
    ] = "jackknife",
    sheet: Annotated[str | None, typer.Option(help="Excel sheet.")] = None,
    drop_missing: Annotated[
        bool,
        typer.Option("--drop-missing", metavar="", help="Skip samples with an empty cell."),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(help="Write an HTML report (tables, verdict, scatter and Bland-Altman plot)."),
    ] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write every number as JSON ('-' = stdout).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Replace existing output files.")
    ] = False,
    decimal: DecimalOption = None,
) -> None:
    """Compare a new measurement method with a reference on the same samples.

    Deming regression (errors in both methods; jackknife intervals, Linnet 1990, or
    analytical ones, Strike 1991; weighted for proportional errors with --deming
    weighted-deming),
    Passing-Bablok regression (Passing & Bablok 1983) and Bland-Altman bias and limits of
    agreement with their intervals (Bland & Altman 1986/1999). The verdict reads the
    regressions' intervals: a slope interval without 1 is a proportional difference, an
    intercept interval without 0 a constant one. Every number is printed with the convention
    and formula it follows.
    """
    from rich.console import Console

    from benchlearn.analysis.method_comparison import check_comparison_options, compare_methods
    from benchlearn.data import read_table
    from benchlearn.report.method_comparison import (
        comparison_json,
        print_comparison,
        render_method_comparison,
    )

    check_comparison_options(level=level, loa_multiplier=loa_multiplier, limits_ci=limits_ci,
                             passing_bablok_convention=pb_convention, deming_method=deming,
                             deming_ci=deming_ci)  # fmt: skip
    reference = _columns("x", x, x_replicates)
    new = _columns("y", y, y_replicates)
    outputs = RunOutputs(json_out=json_out, report=report, inputs=[file], force=force)
    frame = read_table(file, sheet=sheet, decimal=decimal)
    analysis = compare_methods(frame, reference, new, error_ratio=error_ratio, level=level,
                               loa_multiplier=loa_multiplier, limits_ci=limits_ci,
                               passing_bablok_convention=pb_convention, deming_method=deming,
                               deming_ci=deming_ci, drop_missing=drop_missing)  # fmt: skip
    source = analysis.source or file.name
    console = Console(stderr=json_out == "-", highlight=False, soft_wrap=True)
    print_comparison(console, analysis.comparison, reference=", ".join(reference),
                     new=", ".join(new), source=source)  # fmt: skip
    outputs.json(comparison_json(analysis) | {"source": source})
    outputs.html(lambda: render_method_comparison(
        comparison=analysis.comparison, x=analysis.x, y=analysis.y,
        reference=", ".join(reference), new=", ".join(new), source=source,
    ))  # fmt: skip
    outputs.write(console)


def _columns(axis: str, single: str | None, replicates: str | None) -> list[str]:
    if (single is None) == (replicates is None):
        raise UsageError(
            f"give the {'reference' if axis == 'x' else 'new'} method's column with --{axis} "
            f"or its replicate columns with --{axis}-replicates (one of the two)",
            fix=f"For example --{axis} {'reference' if axis == 'x' else 'new_method'}",
        )
    if single is not None:
        return [single]
    names = [c.strip() for c in replicates.split(",") if c.strip()]
    if len(names) < 2:
        raise UsageError(
            f"--{axis}-replicates needs two or more columns, comma-separated",
            fix=f"For example --{axis}-replicates rep_1,rep_2 (or use --{axis} for one column)",
        )
    return names
