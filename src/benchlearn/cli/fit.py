"""``benchlearn fit``: fit a regression to a CSV/Excel/Parquet file and report it."""

from pathlib import Path
from typing import Annotated

import typer

from benchlearn.cli.app import app
from benchlearn.cli.nonlinear import FIX_HELP, MODEL_HELP, refuse_linear_options, run_curve_fit
from benchlearn.cli.output import DecimalOption, RunOutputs
from benchlearn.errors import UsageError

EPILOG = """Examples:

  benchlearn fit bca.csv --y A562 --x conc

  benchlearn fit results.xlsx --sheet Plate1 --y signal --x dose --report plate1.html

  benchlearn fit diabetes.csv --y progression --json fit.json

  benchlearn fit curve.csv --y A562 --x conc --degree 2 --drop-missing

  benchlearn fit plates.csv --y A562 --x conc --group plate --report plates.html

  benchlearn fit elisa.csv --y OD --x conc --weight-by 1/y2

  benchlearn fit assay.csv --y signal --x dose --weights w

  benchlearn fit screen.parquet --y pic50 --stream

  benchlearn fit biobank.parquet --y ldl --dask tcp://10.0.0.5:8786

  benchlearn fit screen.csv --y response --x dose --model dose-response --group line

  benchlearn fit kinetics.csv --y rate --x substrate --model michaelis-menten
"""


@app.command("fit", epilog=EPILOG)
def fit_command(
    file: Annotated[Path, typer.Argument(help="CSV, TSV, Excel (.xlsx) or Parquet file.")],
    y: Annotated[str, typer.Option("--y", help="Column to predict (the measured response).")],
    x: Annotated[
        list[str] | None,
        typer.Option(
            "--x",
            help="Predictor column; repeat for several. Default: every other numeric column.",
        ),
    ] = None,
    degree: Annotated[
        int, typer.Option(help="Polynomial degree in the single --x (1 = straight line).", min=1)
    ] = 1,
    no_intercept: Annotated[
        bool, typer.Option("--no-intercept", metavar="", help="Force the fit through the origin.")
    ] = False,
    sheet: Annotated[
        str | None,
        typer.Option(
            help="Excel sheet, by name or position (0 = first); a sheet named like a number "
            "wins over the position."
        ),
    ] = None,
    decimal: DecimalOption = None,
    drop_missing: Annotated[
        bool, typer.Option("--drop-missing", metavar="", help="Leave out rows with empty cells.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write a self-contained HTML report to this file.")
    ] = None,
    json_out: Annotated[
        str | None,
        typer.Option("--json", help="Write every number as JSON to this file ('-' = stdout)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Replace existing --report/--json files.")
    ] = False,
    stream: Annotated[
        bool,
        typer.Option(
            "--stream",
            metavar="",
            help="Read CSV/Parquet in batches: for files larger than memory. Reads the file "
            "twice (a pass to factor, a refinement pass) for the in-memory fit's exact digits.",
        ),
    ] = False,
    one_pass: Annotated[
        bool,
        typer.Option(
            "--one-pass",
            metavar="",
            help="With --stream: read the file once, skipping the refinement pass. One-pass "
            "fit: faster on slow disks but less exact (about 1e-16 x the condition number).",
        ),
    ] = False,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Fit on a Dask cluster at this scheduler address (e.g. tcp://10.0.0.5:8786), "
            "or 'local' for this machine's cores. Needs benchlearn[dask].",
        ),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            help="Column naming each row's group (treated/control, plate, instrument): compare "
            "the groups' straight lines (equal slopes? then equal heights?).",
        ),
    ] = None,
    weights: Annotated[
        str | None,
        typer.Option(
            "--weights",
            help="Column of weights for weighted least squares (larger = more reliable, "
            "e.g. 1/variance).",
        ),
    ] = None,
    weight_by: Annotated[
        str | None,
        typer.Option(
            "--weight-by",
            help="Weights from a rule: 1/x, 1/x2, 1/y, 1/y2 (scatter grows with x or with the "
            "signal; 1/x2 or 1/y2 for a constant CV) or replicates (1/variance of the "
            "replicates at each x).",
        ),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
    log_x: Annotated[
        bool,
        typer.Option(
            "--log-x",
            metavar="",
            help="With --model 4pl or 5pl: fit against log10 of the dose (the same curve, "
            "EC50 reported as log10 EC50).",
        ),
    ] = False,
    shared: Annotated[
        list[str] | None,
        typer.Option(
            "--shared",
            help="With --model and --group: test whether this parameter is the same in every "
            "group (repeat for several). Default: EC50 (or IC50), or Vmax and Km.",
        ),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="With --model 4pl/5pl and --group: the reference group for relative potency "
            "(default: the first group in the file).",
        ),
    ] = None,
    fix: Annotated[list[str] | None, typer.Option("--fix", help=FIX_HELP)] = None,
    level: Annotated[
        float,
        typer.Option(help="Confidence level of the coefficients' and the groups' intervals."),
    ] = 0.95,
    adjust: Annotated[
        str,
        typer.Option(
            help="With --group: multiplicity adjustment of the pairwise slope and elevation "
            "differences: holm (default), tukey, bonferroni or none.",
        ),
    ] = "holm",
) -> None:
    """Fit a linear regression (or polynomial) to your data and print a summary.

    The fit is exact least squares (QR with iterative refinement). You get the parameter table
    with standard errors, confidence intervals (95% unless --level) and p-values, R², adjusted
    R², the residual standard deviation and the F-test, plus warnings in plain words about
    outliers, influential rows and collinear predictors, naming the rows of your file. When x
    values are replicated, a lack-of-fit test checks the model's shape; a runs test checks the
    residuals' signs.

    With --group, the groups' lines are compared (are the slopes equal? if so, are the lines at
    the same height?), then every pair of groups: slope and elevation differences with pooled
    standard errors and --adjust'ed p-values, and each group's line with the pooled model's and
    its own fit's standard errors. With --weights or --weight-by, the fit is weighted least
    squares.

    With --model, a curve that bends is fitted instead (4PL/5PL dose-response, inhibition,
    Michaelis-Menten, exponential): its parameters in the lab's words (bottom, top, EC50, Hill
    slope; Vmax, Km) with profile intervals for EC50, IC50 and Km; with --group, the groups'
    curves are compared (is the EC50 the same in both cell lines?) and the relative potency
    is given. A curve that cannot be fitted stops with a message saying what to check.
    """
    if model is not None:
        refuse_linear_options(**{"--degree": degree != 1, "--no-intercept": no_intercept,
                                 "--stream": stream, "--dask": dask is not None})  # fmt: skip
        run_curve_fit(file, y=y, x=x, model=model, log_x=log_x, weights=weights,
                      weight_by=weight_by, group=group, shared=shared, reference=reference,
                      fix=fix, level=level, sheet=sheet, drop_missing=drop_missing, report=report,
                      json_out=json_out, force=force, decimal=decimal)  # fmt: skip
        return
    if log_x or shared or reference or fix:
        raise UsageError("--log-x, --shared, --reference and --fix go with --model",
                         fix="Add --model (e.g. --model 4pl), or drop them")  # fmt: skip
    from rich.console import Console

    from benchlearn.analysis.fit_table import check_group_options, check_weight_options, fit_table
    from benchlearn.data import read_table
    from benchlearn.report.fit import fit_json, print_fit, render_fit_report

    check_weight_options(weights, weight_by)
    if (stream or dask is not None) and (
        group is not None or weights is not None or weight_by is not None
    ):
        raise UsageError(
            "--group, --weights and --weight-by need the data in memory",
            fix="Drop --stream/--dask for this fit",
        )
    check_group_options(y=y, x=x, degree=degree, group=group)
    if not 0 < level < 1:
        raise UsageError(f"--level {level} must be between 0 and 1", fix="For 95% use 0.95")
    outputs = RunOutputs(json_out=json_out, report=report, inputs=[file], force=force)
    if one_pass and not stream:
        raise UsageError("--one-pass is an option of --stream", fix="Add --stream, or drop it")
    if stream or dask:
        _fit_at_scale(
            file,
            y,
            x,
            stream=stream,
            one_pass=one_pass,
            dask=dask,
            degree=degree,
            report=report,
            no_intercept=no_intercept,
            json_out=json_out,
            outputs=outputs,
            level=level,
            decimal=decimal,
        )
        return
    frame = read_table(file, sheet=sheet, decimal=decimal)
    fit = fit_table(frame, y, x, degree=degree, fit_intercept=not no_intercept, weights=weights,
                    weight_by=weight_by, group=group, drop_missing=drop_missing, level=level,
                    adjust=adjust)  # fmt: skip
    console = Console(stderr=json_out == "-")
    lead = (
        None
        if group is None
        else f"One line for all rows, ignoring {group} (the groups' own lines follow):"
    )
    print_fit(console, fit, lead=lead)
    outputs.json(fit_json(fit) | {"source": file.name})
    outputs.html(lambda: render_fit_report(fit))
    outputs.write(console)


def _fit_at_scale(
    file: Path,
    y: str,
    x: list[str] | None,
    *,
    stream: bool,
    one_pass: bool,
    dask: str | None,
    degree: int,
    report: Path | None,
    no_intercept: bool,
    json_out: str | None,
    outputs: RunOutputs,
    level: float = 0.95,
    decimal: str | None = None,
) -> None:
    """--stream / --dask: the same exact fit without holding the data in memory here."""
    if stream and dask:
        raise UsageError("--stream and --dask are alternatives", fix="Choose one of them")
    if degree != 1 or report is not None:
        raise UsageError(
            "--degree and --report need the data in memory; --stream and --dask fit straight "
            "lines and print the summary (and --json)",
            fix="Drop --degree/--report, or fit without --stream/--dask",
        )

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from benchlearn.linear.summary import RegressionSummary
    from benchlearn.report.summary import summary_json

    console = Console(stderr=json_out == "-")
    if stream:
        from benchlearn.scale import fit_streaming

        total = _parquet_rows(file)
        with Progress(
            TextColumn("Fitting {task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(file.name, total=total)
            model = fit_streaming(
                file,
                y=y,
                x=x,
                fit_intercept=not no_intercept,
                refine=not one_pass,
                progress=lambda rows: bar.update(task, completed=rows),
                decimal=decimal,
            )
    else:
        from benchlearn.scale import fit_file_with_dask

        model = fit_file_with_dask(
            str(file),
            y=y,
            x=x,
            fit_intercept=not no_intercept,
            address=None if dask == "local" else dask,
            decimal=decimal,
        )
    summary = RegressionSummary(model, response=y, level=level)
    console.print(summary)
    outputs.json(summary_json(summary) | {"source": file.name})
    outputs.write(console)


def _parquet_rows(file: Path) -> int | None:
    if file.suffix.lower() not in (".parquet", ".pq"):
        return None
    import pyarrow.parquet as pq

    return pq.ParquetFile(file).metadata.num_rows
