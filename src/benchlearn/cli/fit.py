"""``benchlearn fit``: fit a regression to a CSV/Excel/Parquet file and report it."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from benchlearn.cli.app import app
from benchlearn.errors import UsageError

EPILOG = """Examples:

  benchlearn fit bca.csv --y A562 --x conc

  benchlearn fit results.xlsx --sheet Plate1 --y signal --x dose --report plate1.html

  benchlearn fit diabetes.csv --y progression --json fit.json

  benchlearn fit curve.csv --y A562 --x conc --degree 2 --drop-missing

  benchlearn fit screen.parquet --y pic50 --stream

  benchlearn fit biobank.parquet --y ldl --dask tcp://10.0.0.5:8786
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
        bool, typer.Option("--no-intercept", help="Force the fit through the origin.")
    ] = False,
    sheet: Annotated[
        str | None, typer.Option(help="Excel sheet, by name or position (0 = first).")
    ] = None,
    drop_missing: Annotated[
        bool, typer.Option("--drop-missing", help="Leave out rows with empty cells.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write a self-contained HTML report to this file.")
    ] = None,
    json_out: Annotated[
        str | None,
        typer.Option("--json", help="Write every number as JSON to this file ('-' = stdout)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace existing --report/--json files.")
    ] = False,
    stream: Annotated[
        bool,
        typer.Option(
            "--stream",
            help="Read CSV/Parquet in batches: for files larger than memory (one pass, same "
            "exact result).",
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
) -> None:
    """Fit a linear regression (or polynomial) to your data and print a summary.

    The fit is exact least squares (QR with iterative refinement). You get the parameter table
    with standard errors, 95% confidence intervals and p-values, R², adjusted R², the residual
    standard deviation and the F-test, plus warnings in plain words about outliers, influential
    rows and collinear predictors, naming the rows of your file.
    """
    from benchlearn.data import read_table, select_columns

    _refuse_existing([report, None if json_out in (None, "-") else Path(json_out)], force)
    if stream or dask:
        _fit_at_scale(
            file,
            y,
            x,
            stream=stream,
            dask=dask,
            degree=degree,
            report=report,
            no_intercept=no_intercept,
            json_out=json_out,
            force=force,
        )
        return
    frame = read_table(file, sheet=_sheet(sheet))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X, response = select_columns(
            frame, y, x, drop_missing=drop_missing, min_rows=degree + (0 if no_intercept else 1) + 1
        )
        model = fit_model(X, response, degree=degree, fit_intercept=not no_intercept)
    notes = [str(w.message) for w in caught]
    print_and_write(
        model,
        X,
        response,
        source=file.name,
        notes=notes,
        report=report,
        json_out=json_out,
        force=force,
    )


def _fit_at_scale(
    file: Path,
    y: str,
    x: list[str] | None,
    *,
    stream: bool,
    dask: str | None,
    degree: int,
    report: Path | None,
    no_intercept: bool,
    json_out: str | None,
    force: bool,
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
    import json

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from benchlearn.report.summary import RegressionSummary

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
                progress=lambda rows: bar.update(task, completed=rows),
            )
    else:
        from benchlearn.scale import fit_file_with_dask

        model = fit_file_with_dask(
            str(file),
            y=y,
            x=x,
            fit_intercept=not no_intercept,
            address=None if dask == "local" else dask,
        )
    summary = RegressionSummary(model, response=y)
    console.print(summary)
    if json_out is not None:
        text = json.dumps(summary.to_dict() | {"source": file.name}, indent=2, allow_nan=False)
        if json_out == "-":
            typer.echo(text)
        else:
            from benchlearn.files import write_atomically

            write_atomically(json_out, text + "\n", force=force)


def _parquet_rows(file: Path) -> int | None:
    if file.suffix.lower() not in (".parquet", ".pq"):
        return None
    import pyarrow.parquet as pq

    return pq.ParquetFile(file).metadata.num_rows


def fit_model(X: Any, y: Any, *, degree: int = 1, fit_intercept: bool = True) -> Any:
    """The one place the command line fits: exact least squares, polynomial if asked."""
    from benchlearn import LinearRegression, PolynomialRegression

    if degree > 1:
        if X.shape[1] != 1:
            raise UsageError(
                f"--degree {degree} needs exactly one --x column, got {X.shape[1]}",
                fix="Name one predictor with --x, or drop --degree",
            )
        return PolynomialRegression(degree=degree, fit_intercept=fit_intercept).fit(X, y)
    return LinearRegression(fit_intercept=fit_intercept).fit(X, y)


def print_and_write(
    model: Any,
    X: Any,
    y: Any,
    *,
    source: str,
    notes: list[str],
    report: Path | None,
    json_out: str | None,
    force: bool,
    extra: dict[str, Any] | None = None,
    sections: list[Any] | None = None,
    title: str = "Regression report",
    log_x: bool = False,
) -> None:
    """Print the summary and warnings; write the JSON and HTML outputs that were asked for."""
    from rich.console import Console

    from benchlearn.evaluate import residual_diagnostics
    from benchlearn.report.interpret import plain_language
    from benchlearn.report.summary import RegressionSummary

    summary = RegressionSummary(model, X, y)
    diagnostics = residual_diagnostics(model, X, y)
    reading = plain_language(model, summary.response, diagnostics)
    console = Console(stderr=json_out == "-")
    console.print(summary)
    for note in notes:
        console.print(f"[yellow]Warning:[/yellow] {note}", markup=True, highlight=False)
    console.print()
    for sentence in reading:
        console.print(f"- {sentence}", highlight=False)
    if json_out is not None:
        payload = (
            summary.to_dict()
            | {
                "source": source,
                "warnings": notes,
                "reading": reading,
                "outlier_rows": [int(r) for r in diagnostics.index[diagnostics["outlier"]]],
                "influential_rows": [int(r) for r in diagnostics.index[diagnostics["influential"]]],
                "dropped_rows": list(X.attrs.get("dropped_rows", [])),
            }
            | (extra or {})
        )
        text = json.dumps(payload, indent=2, allow_nan=False)
        if json_out == "-":
            typer.echo(text)
        else:
            from benchlearn.files import write_atomically

            write_atomically(json_out, text + "\n", force=force)
            console.print(f"Wrote the numbers to {json_out}")
    if report is not None:
        from benchlearn.report.html import write_html_report

        write_html_report(
            model,
            X,
            y,
            report,
            force=force,
            source=source,
            title=title,
            warnings_shown=notes,
            sections=sections,
            log_x=log_x,
        )
        console.print(f"Wrote the report to {report}")


def _refuse_existing(paths: list[Path | None], force: bool) -> None:
    # Checked before the fit, so a long fit is not wasted on an output that will be refused.
    for path in paths:
        if path is not None and path.exists() and not force:
            raise UsageError(
                "the output file already exists and was left untouched",
                where=f"file {path}",
                fix="Choose another name, or add --force to replace it",
            )


def _sheet(sheet: str | None) -> str | int | None:
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet
