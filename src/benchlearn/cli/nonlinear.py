"""Curves that bend on the command line: ``fit --model ...`` and ``curve --model ...``.

Shared by the ``fit`` and ``curve`` commands (which do not import each other): parse the
nonlinear options, run the analysis, render it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchlearn.cli.output import RunOutputs
from benchlearn.errors import UsageError

MODEL_HELP = (
    "Fit a curve that bends instead of a straight line: 4pl (also dose-response), 5pl, "
    "inhibition (a falling 4PL with IC50), michaelis-menten (Vmax, Km) or exponential. "
    "Starting values are found from the data."
)
FIX_HELP = (
    "Hold a parameter at a value instead of fitting it, as NAME=VALUE (repeat), e.g. "
    "--fix bottom=0 --fix top=100 for responses normalised to percent."
)


def parse_fixed(items: list[str] | None) -> dict[str, float] | None:
    """``["bottom=0", "top=100"]`` -> ``{"bottom": 0.0, "top": 100.0}``."""
    if not items:
        return None
    fixed = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or not name.strip() or number is None:
            raise UsageError(
                f"--fix {item!r} is not NAME=VALUE",
                fix="Write e.g. --fix bottom=0 (the names are those of the parameter table: "
                "bottom, top, EC50, hill, Vmax, Km, ...)",
            )
        fixed[name.strip()] = number
    return fixed


def refuse_linear_options(**options: Any) -> None:
    """Options of the straight-line fit that a curve that bends cannot take."""
    given = [name for name, value in options.items() if value]
    if given:
        raise UsageError(
            f"{', '.join(given)} cannot be used with --model: they belong to straight-line and "
            "polynomial fits",
            fix=f"Drop {', '.join(given)}",
        )


def run_curve_fit(
    file: Path,
    *,
    y: str,
    x: list[str] | None,
    model: str,
    log_x: bool,
    weights: str | None,
    weight_by: str | None,
    group: str | None,
    shared: list[str] | None,
    reference: str | None,
    fix: list[str] | None,
    level: float,
    sheet: str | None,
    drop_missing: bool,
    report: Path | None,
    json_out: str | None,
    force: bool,
    decimal: str | None = None,
) -> None:
    """``benchlearn fit FILE --model ...``: fit, print, write JSON and the report."""
    from rich.console import Console

    from benchlearn.analysis.curve_fit import check_curve_fit_options, fit_curve
    from benchlearn.data import read_table
    from benchlearn.report.curves import curve_fit_json, print_curve_fit, render_curve_fit_report

    check_curve_fit_options(
        model=model, x=x, weights=weights, weight_by=weight_by, log_x=log_x, level=level
    )
    if (shared or reference) and group is None:
        raise UsageError("--shared and --reference compare groups", fix="Name the --group column")
    fixed = parse_fixed(fix)
    outputs = RunOutputs(json_out=json_out, report=report, inputs=[file], force=force)
    frame = read_table(file, sheet=sheet, decimal=decimal)
    fit = fit_curve(
        frame,
        y,
        x[0] if x else "",
        model=model,
        log_x=log_x,
        weights=weights,
        weight_by=weight_by,
        group=group,
        shared=shared,
        reference=reference,
        fixed=fixed,
        drop_missing=drop_missing,
        level=level,
    )
    console = Console(stderr=json_out == "-")
    print_curve_fit(console, fit)
    outputs.json(curve_fit_json(fit) | {"source": file.name})
    outputs.html(lambda: render_curve_fit_report(fit))
    outputs.write(console)


def run_bending_curve(
    file: Path,
    *,
    x: str,
    y: str,
    model: str,
    unknowns: Path | None,
    unknown_column: str | None,
    sample_column: str | None,
    log_x: bool,
    weight_by: str | None,
    fix: list[str] | None,
    max_cv: float,
    level: float,
    sheet: str | None,
    drop_missing: bool,
    report: Path | None,
    json_out: str | None,
    force: bool,
    unknowns_sheet: str | None = None,
    decimal: str | None = None,
) -> None:
    """``benchlearn curve FILE --model 4pl``: the curve, its limits and the unknowns."""
    from rich.console import Console

    from benchlearn.analysis.bending_curve import bending_standard_curve
    from benchlearn.analysis.curve_fit import check_curve_fit_options
    from benchlearn.data import read_table
    from benchlearn.report.curves import (
        bending_curve_json,
        print_bending_curve,
        render_bending_report,
    )

    check_curve_fit_options(model=model, x=x, weight_by=weight_by, log_x=log_x, level=level)
    fixed = parse_fixed(fix)
    outputs = RunOutputs(json_out=json_out, report=report, inputs=[file, unknowns], force=force)
    frame = read_table(file, sheet=sheet, decimal=decimal)
    curve = bending_standard_curve(
        frame,
        x,
        y,
        model=model,
        unknowns=(
            None
            if unknowns is None
            else read_table(unknowns, sheet=unknowns_sheet, decimal=decimal)
        ),
        unknown_column=unknown_column,
        sample_column=sample_column,
        log_x=log_x,
        weight_by=weight_by,
        fixed=fixed,
        drop_missing=drop_missing,
        level=level,
        max_cv=max_cv,
    )
    console = Console(stderr=json_out == "-")
    print_bending_curve(console, curve)
    outputs.json(bending_curve_json(curve) | {"source": file.name})
    outputs.html(lambda: render_bending_report(curve))
    outputs.write(console)
