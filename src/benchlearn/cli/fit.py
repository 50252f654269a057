"""``benchlearn fit``: fit a regression to a CSV/Excel/Parquet file and report it."""

from __future__ import annotations

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

  benchlearn fit plates.csv --y A562 --x conc --group plate --report plates.html

  benchlearn fit elisa.csv --y OD --x conc --weight-by 1/y2

  benchlearn fit assay.csv --y signal --x dose --weights w

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
        bool, typer.Option("--no-intercept", metavar="", help="Force the fit through the origin.")
    ] = False,
    sheet: Annotated[
        str | None, typer.Option(help="Excel sheet, by name or position (0 = first).")
    ] = None,
    drop_missing: Annotated[
        bool, typer.Option("--drop-missing", metavar="", help="Leave out rows with empty cells.")
    ] = False,
    decimal: Annotated[
        str | None,
        typer.Option(
            "--decimal",
            help="The decimal mark, '.' or ',', when the file cannot settle it (a cell such as "
            "12,345 reads as 12345 or 12.345; benchlearn refuses rather than guess).",
        ),
    ] = None,
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
) -> None:
    """Fit a linear regression (or polynomial) to your data and print a summary.

    The fit is exact least squares (QR with iterative refinement). You get the parameter table
    with standard errors, 95% confidence intervals and p-values, R², adjusted R², the residual
    standard deviation and the F-test, plus warnings in plain words about outliers, influential
    rows and collinear predictors, naming the rows of your file. When x values are replicated, a
    lack-of-fit test checks the model's shape; a runs test checks the residuals' signs.

    With --group, the groups' lines are compared (are the slopes equal? if so, are the lines at
    the same height?). With --weights or --weight-by, the fit is weighted least squares.
    """
    from benchlearn.data import read_table, select_columns
    from benchlearn.report.groups import comparison_renderables, comparison_section, conclusion
    from benchlearn.report.shape_checks import (
        checks_renderables,
        checks_section,
        group_shape_checks,
        shape_checks,
    )

    _check_options(group=group, weights=weights, weight_by=weight_by, x=x, degree=degree,
                   at_scale=stream or dask is not None, y=y)  # fmt: skip
    _refuse_existing([report, None if json_out in (None, "-") else Path(json_out)], force, [file])
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
            decimal=decimal,
        )
        return
    frame = read_table(file, sheet=_sheet(sheet), decimal=decimal)
    if group is not None and group not in frame.columns:
        raise UsageError(
            f"there is no column named `{group}` to group by",
            where=f"file {file.name}",
            fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}",
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = frame
        if weights is not None:
            table = _rows_with_weights(frame, weights, drop_missing=drop_missing)
        # Neither the weights nor the group labels are predictors when --x is left out.
        usable = table.drop(columns=[c for c in (weights, group) if c is not None and c != y])
        usable.attrs = dict(frame.attrs)
        X, response = select_columns(
            usable,
            y,
            x,
            drop_missing=drop_missing,
            min_rows=degree + (0 if no_intercept else 1) + 1,
        )
        sample_weight, weighting = _sample_weight(
            table, X, response, weights, weight_by, file.name, group=group
        )
        model = fit_model(X, response, degree=degree, fit_intercept=not no_intercept,
                          sample_weight=sample_weight)  # fmt: skip
    notes = [str(w.message) for w in caught]
    extra: dict[str, Any] = {"weighting": weighting}
    sections: list[Any] = []
    renderables: list[Any] = []
    if group is not None:
        data = frame.loc[X.index]
        data.attrs = dict(frame.attrs)
        comparison = _compare_groups(data, y, X.columns[0], group, no_intercept, sample_weight)
        extra["group_comparison"] = comparison.to_dict() | {"conclusion": conclusion(comparison)}
        renderables += comparison_renderables(comparison)
        if report is not None:
            sections.append(comparison_section(data, comparison))
        checks = group_shape_checks(data, response, X.columns[0], group, no_intercept,
                                     sample_weight, model=comparison.separate_fit)  # fmt: skip
    else:
        checks = shape_checks(model, X, response, sample_weight,
                              settings=X if X.shape[1] == 1 else None)  # fmt: skip
    extra |= {"lack_of_fit": checks["lack_of_fit"], "runs_test": checks["runs_test"]}
    renderables += checks_renderables(checks)
    if report is not None:
        sections.append(checks_section(checks))
    print_and_write(
        model,
        X,
        response,
        source=file.name,
        notes=notes,
        report=report,
        json_out=json_out,
        force=force,
        extra=extra,
        sections=sections,
        sample_weight=sample_weight,
        weighting=weighting,
        renderables=renderables,
        inputs=[file],
        lead=None
        if group is None
        else f"One line for all rows, ignoring {group} (the groups' own lines follow):",
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
    summary = RegressionSummary(model, response=y)
    console.print(summary)
    if json_out is not None:
        write_json(summary.to_dict() | {"source": file.name}, json_out, force, console)


def write_json(payload: dict[str, Any], json_out: str, force: bool, console: Any) -> None:
    """Every number as JSON: to standard output for '-', else atomically to the file named."""
    from benchlearn.files import json_text, write_outputs

    text = json_text(payload)
    if json_out == "-":
        typer.echo(text)
        return
    write_outputs({json_out: text + "\n"}, force=force)
    console.print(f"Wrote the numbers to {json_out}")


def _parquet_rows(file: Path) -> int | None:
    if file.suffix.lower() not in (".parquet", ".pq"):
        return None
    import pyarrow.parquet as pq

    return pq.ParquetFile(file).metadata.num_rows


def fit_model(
    X: Any, y: Any, *, degree: int = 1, fit_intercept: bool = True, sample_weight: Any = None
) -> Any:
    """The one place the command line fits: exact (weighted) least squares, polynomial if asked."""
    from benchlearn import LinearRegression, PolynomialRegression

    if degree > 1:
        if X.shape[1] != 1:
            raise UsageError(
                f"--degree {degree} needs exactly one --x column, got {X.shape[1]}",
                fix="Name one predictor with --x, or drop --degree",
            )
        return PolynomialRegression(degree=degree, fit_intercept=fit_intercept).fit(
            X, y, sample_weight=sample_weight
        )
    return LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=sample_weight)


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
    sample_weight: Any = None,
    weighting: dict[str, Any] | None = None,
    renderables: list[Any] | None = None,
    lead: str | None = None,
    inputs: list[Any] | None = None,
) -> None:
    """Print the summary and warnings; write the JSON and HTML outputs that were asked for.

    The outputs are written together or not at all, never over one of ``inputs``.

    ``sample_weight``/``weighting`` describe a weighted fit (the weights, and a dict whose
    ``description`` is printed); ``renderables`` are printed after the plain-language reading,
    ``lead`` before the summary.
    """
    from rich.console import Console

    from benchlearn.evaluate import residual_diagnostics
    from benchlearn.report.interpret import plain_language
    from benchlearn.report.summary import RegressionSummary

    summary = RegressionSummary(model, X, y)
    diagnostics = residual_diagnostics(model, X, y, sample_weight=sample_weight)
    reading = plain_language(model, summary.response, diagnostics)
    if weighting is not None and weighting.get("weighted"):
        reading.insert(0, weighting["description"])
    console = Console(stderr=json_out == "-")
    if lead is not None:
        console.print(lead, style="bold", highlight=False)
    console.print(summary)
    for note in notes:
        console.print(f"[yellow]Warning:[/yellow] {note}", markup=True, highlight=False)
    console.print()
    for sentence in reading:
        console.print(f"- {sentence}", highlight=False)
    for renderable in renderables or []:
        console.print()
        console.print(renderable)
    outputs: dict[Any, Any] = {}
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
        if json_out == "-":
            write_json(payload, json_out, force, console)
        else:
            from benchlearn.files import json_text

            outputs[json_out] = json_text(payload) + "\n"
    if report is not None:
        from benchlearn.report.html import Section, render_html_report

        if weighting is not None and weighting.get("weighted"):
            import html

            sections = [Section("Weighting", f"<p>{html.escape(weighting['description'])}</p>"),
                        *(sections or [])]  # fmt: skip
        outputs[report] = lambda: render_html_report(
            model,
            X,
            y,
            source=source,
            title=title,
            warnings_shown=notes,
            sections=sections,
            log_x=log_x,
            sample_weight=sample_weight,
        )
    if outputs:
        from benchlearn.files import write_outputs

        write_outputs(outputs, inputs=inputs or [], force=force)
        if json_out not in (None, "-"):
            console.print(f"Wrote the numbers to {json_out}")
        if report is not None:
            console.print(f"Wrote the report to {report}")


def _refuse_existing(
    paths: list[Path | None], force: bool, inputs: list[Path | None] | None = None
) -> None:
    # Checked before the fit, so a long fit is not wasted on an output that will be refused.
    from benchlearn.files import check_outputs

    check_outputs(paths, inputs=inputs or [], force=force)


def _sheet(sheet: str | None) -> str | int | None:
    # Passed as text: read_table lets a sheet *named* "2" win over the third sheet.
    return sheet


def _check_options(
    *,
    group: str | None,
    weights: str | None,
    weight_by: str | None,
    x: list[str] | None,
    degree: int,
    at_scale: bool,
    y: str,
) -> None:
    """Refuse option combinations that cannot work, before any file is read."""
    from benchlearn.linear.weighting import check_rule

    if weights is not None and weight_by is not None:
        raise UsageError(
            "--weights and --weight-by are alternatives: a column of weights, or weights "
            "computed by a rule",
            fix="Choose one of them",
        )
    if weight_by is not None:
        check_rule(weight_by)
    if at_scale and (group is not None or weights is not None or weight_by is not None):
        raise UsageError(
            "--group, --weights and --weight-by need the data in memory",
            fix="Drop --stream/--dask for this fit",
        )
    if group is None:
        return
    if x is None or len(x) != 1:
        raise UsageError(
            f"--group compares the straight lines of {y} against one --x column, "
            f"got {'none' if x is None else len(x)}",
            fix="Name the predictor with one --x",
        )
    if degree != 1:
        raise UsageError(
            f"--group compares straight lines; --degree {degree} cannot be used with it",
            fix="Drop --degree, or fit each group on its own",
        )


def _rows_with_weights(frame: Any, column: str, *, drop_missing: bool) -> Any:
    """The table with the --weights column as numbers (rows without a weight left out if asked)."""
    import numpy as np
    import pandas as pd

    from benchlearn.errors import DataError

    source = frame.attrs.get("source")
    if column not in frame.columns:
        raise UsageError(
            f"there is no column named `{column}` for --weights",
            where=None if source is None else f"file {source}",
            fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}",
        )
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce")
    empty = (raw.isna() | (raw.astype(str).str.strip() == "")).to_numpy()
    not_number = values.isna().to_numpy() & ~empty
    unusable = ((values < 0) | values.abs().eq(float("inf"))).to_numpy()
    fault = None
    if not_number.any():
        row = values.index[not_number][0]
        fault = (row, f"{raw.loc[row]!r} is not a number", "Weights must be numbers")
    elif empty.any() and not drop_missing:
        row = values.index[empty][0]
        fault = (
            row,
            "the weight is empty",
            "Fill in every weight, or leave such rows out with --drop-missing",
        )
    elif unusable.any():
        row = values.index[unusable][0]
        fault = (
            row,
            f"the weight {values.loc[row]:g} is negative or infinite",
            "Weights must be 0 or more and finite (0 leaves the row out of the fit)",
        )
    if fault is not None:
        row, what, fix = fault
        raise DataError(
            what,
            path=source,
            row=int(row) if isinstance(row, (int, np.integer)) else None,
            column=column,
            fix=fix,
        )
    if empty.any():
        rows = ", ".join(str(r) for r in values.index[empty][:10])
        warnings.warn(
            f"{int(empty.sum())} row(s) with an empty weight were left out (rows {rows}).",
            UserWarning,
            stacklevel=2,
        )
    table = frame.loc[~empty].copy()
    table[column] = values[~empty].astype(float)
    table.attrs = dict(frame.attrs)
    return table


_RULE_WORDS = {
    "1/x": "1/{x} (the variance of {y} taken to grow in proportion to {x})",
    "1/x2": "1/{x}² (the standard deviation of {y} taken to grow in proportion to {x}: a "
    "constant coefficient of variation)",
    "1/y": "1/{y} (the variance taken to grow in proportion to the measured {y})",
    "1/y2": "1/{y}² (the standard deviation taken to grow in proportion to the measured {y}: "
    "a constant coefficient of variation)",
    "replicates": "1/variance of the replicate {y} values at each {x} (each level counts as "
    "much as its replicates agree)",
}


def _sample_weight(
    table: Any,
    X: Any,
    y: Any,
    column: str | None,
    rule: str | None,
    source: str,
    *,
    group: str | None = None,
) -> tuple[Any, dict[str, Any]]:
    """The weights of the fit (None if unweighted) and how they were chosen, for the outputs.

    With ``group``, replicate variances are those of each group's replicates: pooling the
    groups' replicates at one x would count the difference between groups as scatter.
    """
    if column is None and rule is None:
        return None, {
            "weighted": False,
            "rule": None,
            "column": None,
            "description": "Unweighted (ordinary) least squares.",
        }
    scale = " The residual standard deviation is that of a measurement of weight 1."
    if column is not None:
        weights = table.loc[X.index, column].to_numpy(dtype=float)
        zero = int((weights == 0).sum())
        description = (
            f"Weighted least squares with the weights in column `{column}`: rows with larger "
            "weights count more."
            + (f" {zero} row(s) of weight 0 are left out of the fit." if zero else "")
            + scale
        )
        return weights, {
            "weighted": True,
            "rule": None,
            "column": column,
            "description": description,
        }
    from benchlearn.linear.weighting import weights_by

    if rule != "1/y" and rule != "1/y2" and X.shape[1] != 1:
        raise UsageError(
            f"--weight-by {rule} needs exactly one --x column, got {X.shape[1]}",
            fix="Name one predictor with --x, or weight by 1/y or 1/y2",
        )
    x_name = str(X.columns[0])
    words = _RULE_WORDS[rule or ""].format(x=x_name, y=y.name)
    if rule == "replicates" and group is not None:
        import numpy as np

        labels = table.loc[X.index, group].astype(str).str.strip().to_numpy()
        weights = np.empty(len(X))
        for label in np.unique(labels):
            rows = labels == label
            weights[rows] = weights_by(rule, X.iloc[rows, 0], y.iloc[rows], source=source)
        words = words.replace(f"at each {x_name}", f"at each {x_name} within each {group}")
    else:
        weights = weights_by(rule or "", X.iloc[:, 0], y, source=source)
    return weights, {
        "weighted": True,
        "rule": rule,
        "column": None,
        "description": f"Weighted least squares with weights {words}." + scale,
    }


def _compare_groups(
    data: Any, y: str, x: str, group: str, through_origin: bool, sample_weight: Any
) -> Any:
    import pandas as pd

    from benchlearn.linear.compare import compare_lines

    weights = None if sample_weight is None else pd.Series(sample_weight, index=data.index)
    return compare_lines(data, y, x, group, through_origin=through_origin, sample_weight=weights)
