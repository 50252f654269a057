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

  benchlearn curve lcms.csv --x conc --y area --weight-by 1/x2 --unknowns plasma.csv

  benchlearn curve comparison.csv --x reference --y new_method --slope-equals 1
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
    sheet: Annotated[str | None, typer.Option(help="Excel sheet of the standards.")] = None,
    drop_missing: Annotated[
        bool, typer.Option("--drop-missing", metavar="", help="Skip empty cells.")
    ] = False,
    report: Annotated[Path | None, typer.Option(help="Write an HTML report to this file.")] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write every number as JSON ('-' = stdout).")
    ] = None,
    decimal: Annotated[
        str | None,
        typer.Option(
            "--decimal",
            help="The decimal mark, '.' or ',', when the file cannot settle it (a cell such as "
            "12,345 reads as 12345 or 12.345; benchlearn refuses rather than guess).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Replace existing output files.")
    ] = False,
) -> None:
    """Fit a standard curve and read unknown samples' concentrations off it.

    Prints the curve's fit, the range where it is straight (the linear range), the limits of
    detection and quantification, and for each unknown its concentration with a confidence
    interval by inverse prediction (Fieller's interval for a straight line). Unknowns outside the
    range of the standards are always flagged: their values are extrapolations, and their
    intervals are the wider simultaneous (Working-Hotelling) ones, labelled "extrapolated".
    When a curved fit gives the signal at several concentrations, every one is listed.
    LOD = 3.3·σ/slope and LOQ = 10·σ/slope (ICH Q2(R1)), σ the residual SD of the curve (with
    --weight-by, the SD of one reading at the lowest standard). --slope-equals tests the slope
    against a value (t-test); with --qpcr it defaults to the 100%-efficiency slope.
    """
    if not 0 < level < 1:
        raise UsageError(f"--level {level} must be between 0 and 1", fix="For 95% use 0.95")
    if slope_equals is not None and degree > 1:
        raise UsageError(
            f"--slope-equals tests the slope of a straight line, but --degree {degree} fits a "
            "curve whose slope changes along it",
            fix="Drop --degree (or --slope-equals)",
        )
    if weight_by is not None:
        from benchlearn.linear.weighting import check_rule

        check_rule(weight_by)
    if qpcr and degree > 1:
        raise UsageError(
            f"--qpcr reads the efficiency from the slope of a straight line, but --degree {degree} "
            "fits a curve",
            fix="Drop --degree: a qPCR standard curve is straight in log10 copies",
        )
    from rich.console import Console

    from benchlearn.cli.fit import (
        _refuse_existing,
        _sample_weight,
        _sheet,
        fit_model,
        print_and_write,
    )
    from benchlearn.data import read_table, select_columns
    from benchlearn.linear import calibration
    from benchlearn.report.html import Section

    _refuse_existing(
        [report, None if json_out in (None, "-") else Path(json_out)], force, [file, unknowns]
    )
    frame = read_table(file, sheet=_sheet(sheet), decimal=decimal)
    source = frame.attrs.get("source") or file.name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X, signal = select_columns(frame, y, x, drop_missing=drop_missing, min_rows=degree + 2)
        concentration = X.iloc[:, 0].copy()
        # Weights come from the concentrations as written in the file, even with --log-x.
        sample_weight, weighting = _sample_weight(frame, X, signal, None, weight_by, source)
        if log_x:
            X = _log10(X, x, source)
        model = fit_model(X, signal, degree=degree, sample_weight=sample_weight)
    notes = [str(w.message) for w in caught]
    xs = X.iloc[:, 0].to_numpy()
    ranges = calibration.linear_range(xs, signal.to_numpy(), sample_weight=sample_weight)
    back = (lambda v: 10.0**v) if log_x else (lambda v: v)
    extra: dict[str, Any] = {
        "calibrated_range": [back(ranges.low), back(ranges.high)],
        "linear_range": [back(ranges.low), back(ranges.linear_high)],
        "curvature_pvalue": ranges.curvature_pvalue,
        "weighting": weighting,
    }
    if degree == 1 and ranges.linear_high < ranges.high:
        notes.append(
            f"The standards bend away from a straight line above {back(ranges.linear_high):g} "
            f"(quadratic term p = {ranges.curvature_pvalue:.2g}). Fit only the linear range, or "
            "use --degree 2."
        )
    turns = calibration.turning_points(model, ranges.low, ranges.high)
    if turns:
        extra["turning_points"] = [back(v) for v in turns]
        notes.append(
            f"The fitted curve changes direction at {x} = "
            f"{', '.join(f'{back(v):.4g}' for v in turns)}, inside the calibrated range: some "
            "signals match more than one concentration (all are listed). Check for a hook "
            "effect, or calibrate only on one side."
        )
    weight_of = _reading_weight(weight_by, sample_weight, concentration, back)
    if degree > 1 or log_x:
        extra["detection_limits_note"] = (
            "LOD and LOQ (3.3·σ/slope, 10·σ/slope) need a straight line in the concentration "
            "itself; not computed with --degree > 1 or --log-x"
        )
    else:
        low_weight = None
        if weight_of is not None:  # the SD of a reading at the lowest standard
            lowest = X.loc[[X.iloc[:, 0].idxmin()]]
            low_weight = weight_of(float(lowest.iloc[0, 0]), float(model.predict(lowest)[0]))
        extra["detection_limits"] = calibration.detection_limits(model, weight=low_weight)
    if qpcr:
        extra["qpcr"] = calibration.qpcr_efficiency(model, level)
        extra["qpcr"]["slope_test_vs_100_percent"] = calibration.slope_test(
            model, QPCR_IDEAL_SLOPE, level
        )
    if slope_equals is not None or (qpcr and degree == 1):
        target = QPCR_IDEAL_SLOPE if slope_equals is None else slope_equals
        extra["slope_test"] = calibration.slope_test(model, target, level)

    results = None
    if unknowns is not None:
        results = _unknowns(unknowns, unknown_column or y, sample_column, model, level,
                            (ranges.low, ranges.high), back, weight_of)  # fmt: skip
        extra["unknowns"] = [_json_ready(row) for row in results.itertuples(index=False)]

    console = Console(stderr=json_out == "-")
    sections = [Section("Standard curve", _curve_html(extra, x, level))]
    if results is not None:
        figure = "" if report is None else _unknowns_figure(model, X, signal, results, log_x, level)
        sections.append(Section("Unknown samples", _unknowns_html(results, x, level) + figure))
    print_and_write(
        model, X, signal, source=file.name, notes=notes, report=report, json_out=json_out,
        force=force, extra=extra, title="Standard curve report", log_x=log_x, sections=sections,
        sample_weight=sample_weight, weighting=weighting, inputs=[file, unknowns],
    )  # fmt: skip
    console.print(
        f"Calibrated range: {back(ranges.low):g} to {back(ranges.high):g}; linear up to "
        f"{back(ranges.linear_high):g}."
    )
    if "detection_limits_note" in extra:
        console.print(extra["detection_limits_note"] + ".", highlight=False)
    if "detection_limits" in extra:
        limits = extra["detection_limits"]
        console.print(f"Limit of detection (LOD) {limits['lod']:.4g}, limit of quantification "
                      f"(LOQ) {limits['loq']:.4g}: {limits['method']}, with σ = "
                      f"{limits['sigma']:.4g} ({limits['sigma_source']}) and slope "
                      f"{limits['slope']:.4g}.", highlight=False)  # fmt: skip
    if qpcr:
        q = extra["qpcr"]
        console.print(
            f"Amplification efficiency {100 * q['efficiency']:.1f}% ({100 * level:.0f}% CI "
            f"{100 * q['efficiency_lower']:.1f}% to {100 * q['efficiency_upper']:.1f}%), slope "
            f"{q['slope']:.3f} (100% efficiency = -3.32)."
        )
    if "slope_test" in extra:
        test = extra["slope_test"]
        console.print(f"Slope test (is the slope {test['value']:.5g}?): {test['conclusion']}",
                      highlight=False)  # fmt: skip
    if results is not None:
        console.print(_unknowns_table(results, x, level))
        for row in results.itertuples():
            for value, lo, hi in _other_roots(row):
                console.print(
                    f"Sample {row.sample}: also consistent with {x} = {value:.4g} ({lo:.4g} to "
                    f"{hi:.4g}): the curve is not monotonic, so the signal alone cannot tell "
                    "these apart.",
                    highlight=False,
                )
        for row in results[~results["in_range"]].itertuples():
            console.print(f"[bold red]Flag:[/bold red] sample {row.sample}: {row.note}.",
                          markup=True, highlight=False)  # fmt: skip


QPCR_IDEAL_SLOPE = -1.0 / 0.30102999566398120  # -1/log10(2): one doubling per cycle


def _reading_weight(rule: str | None, weights: Any, concentration: Any, back: Any) -> Any:
    """Weight of an unknown's reading, from its estimated concentration and its signal."""
    if rule is None:
        return None
    from benchlearn.linear.weighting import weight_at

    x_file = concentration.to_numpy(dtype=float)

    def weight_of(x_fitted: float, signal: float) -> float:
        return weight_at(rule, back(x_fitted), signal, x_file, weights)

    return weight_of


def _other_roots(row: Any) -> list[tuple[float, float, float]]:
    """The other concentrations giving the same signal, each with its interval."""
    return [
        (value, lo, hi)
        for value, (lo, hi) in zip(row.all_estimates, row.all_intervals, strict=True)
        if value != row.estimate
    ]


def _json_ready(row: Any) -> dict[str, Any]:
    import math

    def clean(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None  # JSON has no infinity: an open interval end is null
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value.item() if hasattr(value, "item") else value

    out = {key: clean(value) for key, value in row._asdict().items()}
    out["also_consistent_with"] = [
        {"estimate": v, "lower": clean(lo), "upper": clean(hi)} for v, lo, hi in _other_roots(row)
    ]
    return out


def _unknowns_table(results: Any, x: str, level: float) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=f"Unknown samples ({100 * level:.0f}% intervals)", box=box.SIMPLE_HEAD,
                  pad_edge=False, collapse_padding=True)  # fmt: skip
    for header in ["sample", "n", "signal", x, "from", "to", "interval", "flag"]:
        left = header in ("sample", "interval", "flag")
        table.add_column(header, justify="left" if left else "right",
                         no_wrap=True)  # fmt: skip
    for row in results.itertuples():
        table.add_row(*_unknown_cells(row), _flag(row))
    table.caption = (
        "calibrated: t-based interval inside the standards' range; extrapolated: wider "
        "Working-Hotelling interval, beyond the standards"
    )
    return table


def _unknown_cells(row: Any) -> list[str]:
    """The cells the terminal table and the report share: sample to interval kind."""
    return [str(row.sample), str(row.n_replicates), f"{row.signal:.4g}", f"{row.estimate:.4g}",
            f"{row.lower:.4g}", f"{row.upper:.4g}", row.interval_kind]  # fmt: skip


def _flag(row: Any) -> str:
    if row.in_range:
        return ""
    return "NO MATCH" if row.interval_kind == "none" else "OUTSIDE RANGE"


def _curve_html(extra: dict[str, Any], x: str, level: float) -> str:
    from html import escape

    low, high = extra["calibrated_range"]
    items = [
        f"Calibrated range (the standards): {low:g} to {high:g} {escape(x)}; linear up to "
        f"{extra['linear_range'][1]:g}."
    ]
    if "detection_limits" in extra:
        d = extra["detection_limits"]
        items.append(
            f"<span id='detection-limits'>Limit of detection (LOD) {d['lod']:.4g}, limit of "
            f"quantification (LOQ) {d['loq']:.4g} {escape(x)}. Method: {escape(d['method'])}, "
            f"σ = {d['sigma']:.4g} ({escape(d['sigma_source'])}), slope {d['slope']:.4g}.</span>"
        )
    if "detection_limits_note" in extra:
        items.append(escape(extra["detection_limits_note"]) + ".")
    if "qpcr" in extra:
        q = extra["qpcr"]
        items.append(
            f"Amplification efficiency {100 * q['efficiency']:.1f}% ({100 * level:.0f}% CI "
            f"{100 * q['efficiency_lower']:.1f}% to {100 * q['efficiency_upper']:.1f}%)."
        )
    if "slope_test" in extra:
        t = extra["slope_test"]
        items.append(
            f"<span id='slope-test'>Slope test, is the slope {t['value']:.5g}? "
            f"{escape(t['conclusion'])}</span>"
        )
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _unknowns_figure(model: Any, X: Any, y: Any, results: Any, log_x: bool, level: float) -> str:
    import numpy as np

    from benchlearn.plots.calibration import unknowns_on_curve
    from benchlearn.plots.render import figure_to_svg

    fitted_units = results.copy()
    if log_x:  # the table is in concentrations; the figure in the log10 units of the fit
        for name in ["estimate", "lower", "upper"]:
            with np.errstate(divide="ignore", invalid="ignore"):
                fitted_units[name] = np.log10(fitted_units[name].to_numpy(dtype=float))
    figure = unknowns_on_curve(model, X.iloc[:, 0], y, fitted_units, log_x=log_x, level=level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        svg = figure_to_svg(figure)
    return (
        f"<figure id='unknowns-figure'>{svg}<figcaption>Unknown samples on the standard curve: "
        "each sits at its mean signal, with its interval as a horizontal bar. Blue: inside the "
        "calibrated range (shaded). Red: extrapolated, outside it; the curve is dashed where "
        "it is extended beyond the standards.</figcaption></figure>"
    )


def _unknowns_html(results: Any, x: str, level: float) -> str:
    from html import escape

    head = ["sample", "n", "mean signal", x, "from", "to", "interval", "in range", "note"]
    rows = []
    for row in results.itertuples():
        flag = "yes" if row.in_range else f"<strong>NO: {_flag(row)}</strong>"
        others = "".join(
            f" Also consistent with {escape(x)} = {v:.4g} ({lo:.4g} to {hi:.4g})."
            for v, lo, hi in _other_roots(row)
        )
        cells = [escape(c) for c in _unknown_cells(row)] + [flag]
        kind = "in-range" if row.in_range else "out-of-range"
        note = f"<td style='text-align: left'>{escape(row.note) + others}</td>"
        rows.append(
            f"<tr class='{kind}'>" + "".join(f"<td>{c}</td>" for c in cells) + note + "</tr>"
        )
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (
        f"<p>Concentrations read off the curve, with {100 * level:.0f}% intervals. "
        "<em>calibrated</em>: the signal falls inside the standards' range; the interval is "
        "the set of concentrations whose prediction interval holds the signal (Fieller's "
        "interval for a straight line). <em>extrapolated</em>: outside the range; the wider "
        "Working-Hotelling (simultaneous) interval is given, and it still assumes the curve "
        "continues beyond the standards. Dilute or concentrate such samples and measure "
        "again.</p>"
        f"<table id='unknowns'><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}"
        "</tbody></table>"
    )


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
    weight_of: Any = None,
) -> Any:
    import pandas as pd

    from benchlearn.data import read_table
    from benchlearn.data.validate import numeric_column
    from benchlearn.linear.calibration import inverse_predict

    frame = read_table(path)
    if column not in frame.columns:
        raise UsageError(
            f"there is no column named `{column}` in the unknowns file",
            where=f"file {path.name}",
            fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}; choose one "
            "with --unknown-column",
        )
    signal = numeric_column(frame[column], column, path.name).dropna()
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
                             calibrated_range=calibrated, reading_weight=weight_of)  # fmt: skip
    result.insert(0, "sample", grouped.index.to_numpy())
    for name in ["estimate", "lower", "upper"]:
        result[name] = back(result[name].to_numpy())
    result["all_estimates"] = [[back(v) for v in values] for values in result["all_estimates"]]
    result["all_intervals"] = [
        [[back(lo), back(hi)] for lo, hi in pairs] for pairs in result["all_intervals"]
    ]
    return result
