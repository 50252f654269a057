"""``benchlearn compare``: does a new measurement method agree with the reference?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from benchlearn.cli.app import app
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
        typer.Option(help="Intervals of the limits: bland-altman-1999 or bland-altman-1986."),
    ] = "bland-altman-1999",
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
) -> None:
    """Compare a new measurement method with a reference on the same samples.

    Deming regression (errors in both methods; jackknife intervals, Linnet 1990),
    Passing-Bablok regression (Passing & Bablok 1983) and Bland-Altman bias and limits of
    agreement with their intervals (Bland & Altman 1986/1999). The verdict reads the
    regressions' intervals: a slope interval without 1 is a proportional difference, an
    intercept interval without 0 a constant one. Every number is printed with the convention
    and formula it follows.
    """
    from rich.console import Console

    from benchlearn.assay.method_comparison import LOA_CI_METHODS, compare_methods
    from benchlearn.cli.fit import _refuse_existing, _sheet, write_json
    from benchlearn.data import read_table

    if not 0 < level < 1:
        raise UsageError(f"--level {level} must be between 0 and 1", fix="For 95% use 0.95")
    if limits_ci not in LOA_CI_METHODS:
        raise UsageError(f"--limits-ci {limits_ci} is not one of {', '.join(LOA_CI_METHODS)}")
    if not loa_multiplier > 0:
        raise UsageError(f"--loa-multiplier {loa_multiplier} must be positive",
                         fix="1.96 gives limits that hold 95% of differences")  # fmt: skip
    reference = _columns("x", x, x_replicates)
    new = _columns("y", y, y_replicates)
    if (len(reference) > 1) != (len(new) > 1):
        raise UsageError(
            "replicate columns were given for one method only",
            fix="Give --x-replicates and --y-replicates together (or --x and --y)",
        )
    if len(reference) > 1 and error_ratio is not None:
        raise UsageError(
            "--error-ratio and replicate columns both set the Deming error-variance ratio",
            fix="Drop --error-ratio to estimate it from the replicates, or give --x and --y",
        )
    _refuse_existing([report, None if json_out in (None, "-") else Path(json_out)], force)
    frame = read_table(file, sheet=_sheet(sheet))
    values = _numeric_columns(frame, reference + new, drop_missing)
    ref_values = values[reference].to_numpy()
    new_values = values[new].to_numpy()
    options: dict[str, Any] = {"level": level, "error_ratio": error_ratio,
                               "multiplier": loa_multiplier, "limits_ci": limits_ci}  # fmt: skip
    if len(reference) > 1:
        result = compare_methods(None, None, x_replicates=ref_values, y_replicates=new_values,
                                 **options)  # fmt: skip
    else:
        result = compare_methods(ref_values[:, 0], new_values[:, 0], **options)
    console = Console(stderr=json_out == "-", highlight=False, soft_wrap=True)
    render(result, console, reference=", ".join(reference), new=", ".join(new),
           source=frame.attrs.get("source") or file.name)  # fmt: skip
    if json_out is not None:
        payload = result.to_dict() | {
            "source": frame.attrs.get("source") or file.name,
            "reference": reference,
            "new": new,
            "n": len(values),
            "dropped_rows": [int(r) for r in values.attrs.get("dropped_rows", [])],
        }
        write_json(payload, json_out, force, console)
    if report is not None:
        from benchlearn.report.method_comparison import write_method_comparison

        write_method_comparison(
            report, force=force, comparison=result, x=values[reference].mean(axis=1).to_numpy(),
            y=values[new].mean(axis=1).to_numpy(), reference=", ".join(reference),
            new=", ".join(new), source=frame.attrs.get("source") or file.name,
        )  # fmt: skip
        console.print(f"Wrote the report to {report}")


def render(result: Any, console: Any, *, reference: str, new: str, source: str) -> None:
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


def _numeric_columns(frame: Any, columns: list[str], drop_missing: bool) -> Any:
    from benchlearn.data import select_columns

    if len(set(columns)) < len(columns):
        raise UsageError("the same column is named for both methods (or twice)",
                         fix="Name each method's own column(s)")  # fmt: skip
    X, first = select_columns(frame, columns[0], columns[1:], drop_missing=drop_missing,
                              min_rows=3)  # fmt: skip
    values = X.copy()
    values.insert(0, columns[0], first)
    values.attrs = X.attrs
    return values
