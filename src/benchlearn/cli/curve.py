"""``benchlearn curve``: a standard curve, and the concentrations of unknown samples."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from benchlearn.cli.app import app
from benchlearn.errors import DataError, UsageError

EPILOG = """Examples:

  benchlearn curve standards.csv --x conc --y A562 --unknowns samples.csv

  benchlearn curve qpcr.csv --x copies --y ct --log-x --qpcr --unknowns wells.csv

  benchlearn curve elisa.xlsx --sheet Standards --x conc --y OD --degree 2 --report curve.html
"""


@app.command("curve", epilog=EPILOG)
def curve_command(
    file: Annotated[Path, typer.Argument(help="Standards: known concentrations and signals.")],
    x: Annotated[str, typer.Option("--x", help="Concentration column of the standards.")],
    y: Annotated[str, typer.Option("--y", help="Signal column (absorbance, Ct, ...).")],
    unknowns: Annotated[
        Path | None,
        typer.Option(
            help="File of unknown samples' signals (replicate rows of a sample are averaged)."
        ),
    ] = None,
    unknown_column: Annotated[
        str | None, typer.Option(help="Signal column in --unknowns (default: same as --y).")
    ] = None,
    sample_column: Annotated[
        str | None,
        typer.Option(help="Sample name column in --unknowns (default: its first text column)."),
    ] = None,
    log_x: Annotated[
        bool, typer.Option("--log-x", help="Fit the signal against log10 of the concentration.")
    ] = False,
    degree: Annotated[int, typer.Option(help="1 = straight line, 2 = quadratic, ...", min=1)] = 1,
    qpcr: Annotated[
        bool,
        typer.Option(
            "--qpcr",
            help="Report the amplification efficiency (x is log10 copies, or use --log-x).",
        ),
    ] = False,
    level: Annotated[float, typer.Option(help="Confidence level of the intervals.")] = 0.95,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet of the standards.")] = None,
    drop_missing: Annotated[bool, typer.Option("--drop-missing", help="Skip empty cells.")] = False,
    report: Annotated[Path | None, typer.Option(help="Write an HTML report to this file.")] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write every number as JSON ('-' = stdout).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing output files.")] = False,
) -> None:
    """Fit a standard curve and read unknown samples' concentrations off it.

    Prints the curve's fit, the range where it is straight (the linear range), the limits of
    detection and quantification, and for each unknown its concentration with a confidence
    interval by inverse prediction (Fieller's interval for a straight line). Unknowns outside the
    range of the standards are always flagged: their values are extrapolations.
    """
    import numpy as np
    from rich.console import Console
    from rich.table import Table

    from benchlearn.cli.fit import _refuse_existing, _sheet, fit_model, print_and_write
    from benchlearn.data import read_table, select_columns
    from benchlearn.linear import calibration
    from benchlearn.report.html import Section

    if not 0 < level < 1:
        raise UsageError(f"--level {level} must be between 0 and 1", fix="For 95% use 0.95")
    _refuse_existing([report, None if json_out in (None, "-") else Path(json_out)], force)
    frame = read_table(file, sheet=_sheet(sheet))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X, signal = select_columns(frame, y, x, drop_missing=drop_missing, min_rows=degree + 2)
        if log_x:
            X = _log10(X, x, frame.attrs.get("source"))
        model = fit_model(X, signal, degree=degree)
    notes = [str(w.message) for w in caught]
    xs = X.iloc[:, 0].to_numpy()
    ranges = calibration.linear_range(xs, signal.to_numpy())
    back = (lambda v: 10.0**v) if log_x else (lambda v: v)
    extra: dict[str, Any] = {
        "calibrated_range": [back(ranges.low), back(ranges.high)],
        "linear_range": [back(ranges.low), back(ranges.linear_high)],
        "curvature_pvalue": ranges.curvature_pvalue,
    }
    if degree == 1 and ranges.linear_high < ranges.high:
        notes.append(
            f"The standards bend away from a straight line above {back(ranges.linear_high):g} "
            f"(quadratic term p = {ranges.curvature_pvalue:.2g}). Fit only the linear range, or "
            "use --degree 2."
        )
    if degree == 1 and not log_x:
        extra["detection_limits"] = calibration.detection_limits(model)
    if qpcr:
        extra["qpcr"] = calibration.qpcr_efficiency(model, level)
        extra["qpcr"]["slope_test_vs_100_percent"] = calibration.slope_test(
            model, -1 / np.log10(2.0)
        )

    results = None
    if unknowns is not None:
        results = _unknowns(unknowns, unknown_column or y, sample_column, model, level,
                            (ranges.low, ranges.high), back)  # fmt: skip
        extra["unknowns"] = results.to_dict(orient="records")

    console = Console(stderr=json_out == "-")
    table_html = ""
    if results is not None:
        table = Table(title=f"Unknown samples ({100 * level:.0f}% confidence intervals)")
        for header in ["sample", "n", "mean signal", x, "from", "to", "flag"]:
            table.add_column(header, justify="left" if header in ("sample", "flag") else "right")
        for row in results.itertuples():
            table.add_row(str(row.sample), str(row.n_replicates), f"{row.signal:.4g}",
                          f"{row.estimate:.4g}", f"{row.lower:.4g}", f"{row.upper:.4g}",
                          "" if row.in_range else "OUTSIDE RANGE")  # fmt: skip
        table_html = results.drop(columns=["all_estimates"]).to_html(
            index=False, float_format=lambda v: f"{v:.4g}", border=0
        )
    print_and_write(
        model, X, signal, source=file.name, notes=notes, report=report, json_out=json_out,
        force=force, extra=extra, title="Standard curve report", log_x=log_x,
        sections=[Section("Unknown samples", table_html)] if table_html else None,
    )  # fmt: skip
    console.print(
        f"Calibrated range: {back(ranges.low):g} to {back(ranges.high):g}; linear up to "
        f"{back(ranges.linear_high):g}."
    )
    if "detection_limits" in extra:
        limits = extra["detection_limits"]
        console.print(f"Limit of detection {limits['lod']:.4g}, of quantification "
                      f"{limits['loq']:.4g} ({limits['method']}).")  # fmt: skip
    if qpcr:
        q = extra["qpcr"]
        console.print(
            f"Amplification efficiency {100 * q['efficiency']:.1f}% ({100 * level:.0f}% CI "
            f"{100 * q['efficiency_lower']:.1f}% to {100 * q['efficiency_upper']:.1f}%), slope "
            f"{q['slope']:.3f} (100% efficiency = -3.32)."
        )
    if results is not None:
        console.print(table)
        for row in results[~results["in_range"]].itertuples():
            console.print(f"[bold red]Flag:[/bold red] sample {row.sample}: {row.note}.",
                          markup=True, highlight=False)  # fmt: skip


def _log10(X: Any, column: str, source: str | None) -> Any:
    import numpy as np

    values = X[column]
    if (values <= 0).any():
        row = values.index[values <= 0][0]
        raise DataError(
            f"--log-x needs positive concentrations, found {values.loc[row]:g}",
            path=source, row=int(row), column=column,
            fix="Leave out the blank (zero) standards, or fit without --log-x",
        )  # fmt: skip
    out = X.copy()
    out[column] = np.log10(values)
    return out


def _unknowns(
    path: Path,
    column: str,
    sample_column: str | None,
    model: Any,
    level: float,
    calibrated: tuple[float, float],
    back: Any,
) -> Any:
    import pandas as pd

    from benchlearn.data import read_table
    from benchlearn.data.validate import _numeric
    from benchlearn.linear.calibration import inverse_predict

    frame = read_table(path)
    if column not in frame.columns:
        raise UsageError(
            f"there is no column named `{column}` in the unknowns file",
            where=f"file {path.name}",
            fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}; choose one "
            "with --unknown-column",
        )
    signal = _numeric(frame[column], column, path.name).dropna()
    if sample_column is None:
        text = [
            c for c in frame.columns
            if c != column and not pd.api.types.is_numeric_dtype(frame[c])
        ]  # fmt: skip
        sample_column = text[0] if text else None
    names = (frame.loc[signal.index, sample_column].astype(str) if sample_column
             else pd.Series([f"row {r}" for r in signal.index], index=signal.index))  # fmt: skip
    grouped = signal.groupby(names, sort=False).agg(["mean", "count"])
    result = inverse_predict(model, grouped["mean"].to_numpy(), level=level,
                             n_replicates=grouped["count"].to_numpy(),
                             calibrated_range=calibrated)  # fmt: skip
    result.insert(0, "sample", grouped.index.to_numpy())
    for name in ["estimate", "lower", "upper"]:
        result[name] = back(result[name].to_numpy())
    result["all_estimates"] = [[back(v) for v in values] for values in result["all_estimates"]]
    return result
