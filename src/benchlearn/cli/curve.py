"""``benchlearn curve``: a standard curve, and the concentrations of unknown samples."""

from pathlib import Path
from typing import Annotated, Any

import typer

from benchlearn.cli.app import app
from benchlearn.cli.nonlinear import FIX_HELP, MODEL_HELP, refuse_linear_options, run_bending_curve
from benchlearn.cli.output import DecimalOption, RunOutputs
from benchlearn.errors import UsageError

EPILOG = """Examples:

  benchlearn curve standards.csv --x conc --y A562 --unknowns samples.csv

  benchlearn curve qpcr.csv --x copies --y ct --log-x --qpcr --unknowns wells.csv

  benchlearn curve elisa.xlsx --sheet Standards --x conc --y OD --degree 2 --report curve.html

  benchlearn curve lcms.csv --x conc --y area --weight-by 1/x2 --unknowns plasma.csv

  benchlearn curve comparison.csv --x reference --y new_method --slope-equals 1

  benchlearn curve elisa.csv --x conc --y od --model 4pl --unknowns samples.csv
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
        bool,
        typer.Option(
            "--log-x", metavar="", help="Fit the signal against log10 of the concentration."
        ),
    ] = False,
    degree: Annotated[int, typer.Option(help="1 = straight line, 2 = quadratic, ...", min=1)] = 1,
    qpcr: Annotated[
        bool,
        typer.Option(
            "--qpcr",
            metavar="",
            help="Report the amplification efficiency (x is log10 copies, or use --log-x).",
        ),
    ] = False,
    slope_equals: Annotated[
        float | None,
        typer.Option(
            help="Test whether the slope equals this value (e.g. 1 to compare two methods). "
            "With --qpcr the default is the 100%-efficiency slope -1/log10(2) = -3.3219.",
        ),
    ] = None,
    weight_by: Annotated[
        str | None,
        typer.Option(
            help="Weighted fit: 1/x, 1/x2, 1/y, 1/y2 (variance growing with the concentration "
            "or signal) or replicates (inverse variance of the replicates at each level). "
            "x is the concentration as in the file, even with --log-x.",
        ),
    ] = None,
    level: Annotated[float, typer.Option(help="Confidence level of the intervals.")] = 0.95,
    sheet: Annotated[
        str | None,
        typer.Option(help="Excel sheet of the standards, by name or position (0 = first)."),
    ] = None,
    unknowns_sheet: Annotated[
        str | None,
        typer.Option(help="Excel sheet of the unknowns, by name or position (0 = first)."),
    ] = None,
    decimal: DecimalOption = None,
    drop_missing: Annotated[
        bool, typer.Option("--drop-missing", metavar="", help="Skip empty cells.")
    ] = False,
    report: Annotated[Path | None, typer.Option(help="Write an HTML report to this file.")] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write every number as JSON ('-' = stdout).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Replace existing output files.")
    ] = False,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
    fix: Annotated[list[str] | None, typer.Option("--fix", help=FIX_HELP)] = None,
    max_cv: Annotated[
        float,
        typer.Option(
            "--max-cv",
            help="With --model: the limits of quantification are where one reading's "
            "concentration has at most this coefficient of variation (0.2 = 20%).",
        ),
    ] = 0.2,
    lod_method: Annotated[
        str,
        typer.Option(
            help="Convention of LOD/LOQ: ich-residual-sd (default; ICH Q2 3.3·σ/S, 10·σ/S, σ the "
            "residual SD), ich-intercept-se (σ = SE of the intercept), ich-blank-sd (σ = SD of "
            "--blanks), blank-3s (a + 3·s_y/x) or din32645 (DIN 32645 / ISO 11843-2).",
        ),
    ] = "ich-residual-sd",
    blanks: Annotated[
        str | None,
        typer.Option(
            help="Blank replicates for --lod-method ich-blank-sd: FILE (its --y column) or "
            "FILE:column.",
        ),
    ] = None,
    interval: Annotated[
        str,
        typer.Option(
            help="Unknowns' intervals: fieller (default; exact), symmetric (ISO 8466-1, "
            "x0 ± t·s_x0) or multiple-use (holds for many future readings at once).",
        ),
    ] = "fieller",
) -> None:
    """Fit a standard curve and read unknown samples' concentrations off it.

    Prints the curve's fit, the range where it is straight (the linear range), the limits of
    detection and quantification, and for each unknown its concentration with a confidence
    interval by inverse prediction (Fieller's interval for a straight line). Unknowns outside the
    range of the standards are always flagged: their values are extrapolations, and their
    intervals are the wider simultaneous (Working-Hotelling) ones, labelled "extrapolated".
    When a curved fit gives the signal at several concentrations, every one is listed.
    By default LOD = 3.3·σ/slope and LOQ = 10·σ/slope (ICH Q2(R1)), σ the residual SD of the
    curve (with --weight-by, the SD of one reading at the lowest standard); --lod-method picks
    another convention. --interval picks the unknowns' interval (fieller by default). The
    calibration's s_y/x, s_x0 = s_y/x / b (and relative), R² and r are printed with their
    formulas; with --weight-by each unknown's reading gets its weight from the rule. --slope-equals
    tests the slope against a value (t-test); with --qpcr it defaults to the 100%-efficiency
    slope, and the amplification factor is shown beside the efficiency E - 1.

    With --model 4pl (or 5pl, inhibition, michaelis-menten, exponential) the standard curve
    bends: unknowns are read back through it with their intervals and flagged near a plateau
    (where the curve is flat and the interval opens) or outside the standards; LOD comes from
    the blank's prediction limit, the limits of quantification from the precision profile.
    """
    if model is not None:
        refuse_linear_options(**{"--degree": degree != 1, "--qpcr": qpcr,
                                 "--slope-equals": slope_equals is not None})  # fmt: skip
        run_bending_curve(file, x=x, y=y, model=model, unknowns=unknowns,
                          unknown_column=unknown_column, sample_column=sample_column,
                          log_x=log_x, weight_by=weight_by, fix=fix, max_cv=max_cv, level=level,
                          sheet=sheet, unknowns_sheet=unknowns_sheet, decimal=decimal,
                          drop_missing=drop_missing, report=report, json_out=json_out,
                          force=force)  # fmt: skip
        return
    if fix:
        raise UsageError(
            "--fix holds a parameter of a --model curve", fix="Add --model, or drop --fix"
        )
    from rich.console import Console

    from benchlearn.analysis.standard_curve import check_curve_options, standard_curve
    from benchlearn.data import read_table
    from benchlearn.report.curve import curve_json, curve_sections, print_curve
    from benchlearn.report.fit import print_fit, render_fit_report

    check_curve_options(level=level, degree=degree, qpcr=qpcr, slope_equals=slope_equals,
                        weight_by=weight_by, lod_method=lod_method, interval=interval,
                        blanks=blanks)  # fmt: skip
    outputs = RunOutputs(json_out=json_out, report=report, inputs=[file, unknowns], force=force)
    frame = read_table(file, sheet=sheet, decimal=decimal)
    blank_signals = None if blanks is None else _blank_signals(blanks, y, decimal)
    samples = (
        None if unknowns is None else read_table(unknowns, sheet=unknowns_sheet, decimal=decimal)
    )
    curve = standard_curve(
        frame, x, y, unknowns=samples,
        unknown_column=unknown_column, sample_column=sample_column, log_x=log_x, degree=degree,
        qpcr=qpcr, slope_equals=slope_equals, weight_by=weight_by, drop_missing=drop_missing,
        level=level, lod_method=lod_method, blanks=blank_signals, interval=interval,
    )  # fmt: skip
    console = Console(stderr=json_out == "-")
    print_fit(console, curve.fit)
    outputs.json(curve_json(curve) | {"source": file.name})
    outputs.html(lambda: render_fit_report(curve.fit, title="Standard curve report", log_x=log_x,
                                           sections=curve_sections(curve)))  # fmt: skip
    outputs.write(console)
    print_curve(console, curve)


def _blank_signals(spec: str, y: str, decimal: str | None) -> Any:
    """The blank replicates' signals from ``FILE`` (its ``y`` column) or ``FILE:column``."""
    from benchlearn.data import read_table
    from benchlearn.data.validate import numeric_column
    from benchlearn.errors import UsageError

    path, column = Path(spec), y
    if not path.exists() and ":" in spec:
        head, _, column = spec.rpartition(":")
        path = Path(head)
    frame = read_table(path, decimal=decimal)
    if column not in frame.columns:
        raise UsageError(
            f"there is no column named `{column}` in the blanks file",
            where=f"file {path.name}",
            fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}; name one with "
            "--blanks FILE:column",
        )
    return numeric_column(frame[column], column, frame.attrs.get("source")).dropna().to_numpy()
