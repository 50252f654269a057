"""How a standard curve is shown: the terminal, the JSON and the report of ``standard_curve``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from benchlearn.analysis.standard_curve import other_roots
from benchlearn.report.assay_wording import (
    detection_json,
    detection_notes,
    detection_text,
    slope_test_conclusion,
    unknown_note,
)
from benchlearn.report.fit import fit_json
from benchlearn.report.html import Section, figure_svg, render_fragment

if TYPE_CHECKING:
    from benchlearn.analysis import CurveAnalysis

DETECTION_LIMITS_NOTE = (
    "LOD and LOQ need a straight line in the concentration itself; "
    "not computed with --degree > 1 or --log-x"
)


def curve_json(curve: CurveAnalysis) -> dict[str, Any]:
    """The curve's numbers (:meth:`CurveAnalysis.to_dict`) with every reading in words."""
    out = curve.to_dict() | fit_json(curve.fit)
    if curve.detection_limits is None:
        out["detection_limits_note"] = DETECTION_LIMITS_NOTE
    else:
        out["detection_limits"] = detection_json(out["detection_limits"], curve.detection_limits)
    if curve.slope_test is not None:
        out["slope_test"] = out["slope_test"] | {
            "conclusion": slope_test_conclusion(curve.slope_test)}  # fmt: skip
    if curve.unknowns is not None:
        out["unknowns"] = [
            record | {"note": unknown_note(row, curve.calibrated_range)}
            for record, row in zip(out["unknowns"], curve.unknowns.itertuples(), strict=True)
        ]
    return out


def range_sentence(curve: CurveAnalysis) -> str:
    """Where the standards are, and where they are straight."""
    low, high = curve.calibrated_range
    return f"Calibrated range: {low:g} to {high:g}; linear up to {curve.linear_range[1]:g}."


def conventions_sentence(curve: CurveAnalysis) -> str:
    """The conventions in force, each with its default, so every output states them."""
    c = curve.conventions()
    lod, interval = c["lod_method"], c["interval"]

    def chosen(entry: dict[str, str]) -> str:
        name = f"{entry['name']} ({entry['convention']})"
        if entry["name"] == entry["default"]:
            return f"{name}, the default"
        return f"{name}; the default is {entry['default']}"

    return (
        f"Conventions: confidence level {100 * curve.level:g}% (default 95%); LOD/LOQ by "
        f"{chosen(lod)}; unknowns' intervals by {chosen(interval)}."
    )


def limits_sentence(limits: Any) -> str:
    """LOD and LOQ with their convention and formula (and every other limit of the table)."""
    notes = detection_notes(limits)
    return "; ".join(str(q) for q in limits.quantities.values()) + (
        "" if not notes else f". {' '.join(notes)}")  # fmt: skip


def efficiency_sentence(curve: CurveAnalysis) -> str:
    """The qPCR amplification factor and efficiency with their intervals and formulas."""
    q = curve.qpcr
    a, e = q["amplification_factor"], q["efficiency"]
    level = f"{100 * curve.level:g}% CI"
    return (
        f"Amplification efficiency E = A - 1 = {100 * e.value:.1f}% ({level} "
        f"{100 * e.lower:.1f}% to {100 * e.upper:.1f}%; {e.convention}, {e.formula}) beside the "
        f"amplification factor A = {a.value:.4g} ({level} {a.lower:.4g} to {a.upper:.4g}; "
        f"{a.convention}, {a.formula}); slope {q['slope'].value:.3f} (100% = -3.32)"
    )


def flag(row: Any) -> str:
    """The unknown's flag: empty inside the calibrated range."""
    if row.in_range:
        return ""
    return "NO MATCH" if row.interval_kind == "none" else "OUTSIDE RANGE"


def unknown_cells(row: Any, weighted: bool = False) -> list[str]:
    """The cells the terminal table and the report share: sample to interval kind.

    ``weighted``: with the weight ``w0`` of the unknown's reading (the report; the terminal
    names the rule in the table's caption, the JSON has every weight).
    """
    s_x0 = getattr(row, "s_x0", None)
    s_x0 = getattr(row, "s_x0_log10", float("nan")) if s_x0 is None else s_x0
    return [str(row.sample), str(row.n_replicates), f"{row.signal:.4g}", f"{row.estimate:.4g}",
            f"{row.lower:.4g}", f"{row.upper:.4g}", f"{s_x0:.4g}",
            *([f"{row.reading_weight:.4g}"] if weighted else []), row.interval_kind]  # fmt: skip


def unknown_headers(curve: CurveAnalysis, weighted: bool = False) -> list[str]:
    """The column headers of :func:`unknown_cells` (``w0`` with ``weighted``)."""
    s_x0 = "s_x0 (log10)" if curve.log_x else "s_x0"
    w0 = ["w0"] if weighted else []
    return ["sample", "n", "signal", curve.x, "from", "to", s_x0, *w0, "interval"]


def print_curve(console: Any, curve: CurveAnalysis) -> None:
    """What only a standard curve has: ranges, LOD/LOQ, qPCR, slope test, unknowns.

    The fit itself is printed first by :func:`benchlearn.report.fit.print_fit`.
    """
    console.print(conventions_sentence(curve), highlight=False, markup=False)
    console.print(range_sentence(curve))
    if curve.calibration is not None:
        console.print(str(curve.calibration), highlight=False, markup=False)
    if curve.detection_limits is None:
        console.print(DETECTION_LIMITS_NOTE + ".", highlight=False)
    else:
        console.print(detection_text(curve.detection_limits), highlight=False, markup=False)
    if curve.qpcr is not None:
        console.print(efficiency_sentence(curve) + ".", highlight=False, markup=False)
    if curve.slope_test is not None:
        test = curve.slope_test
        console.print(f"Slope test (is the slope {test['value']:.5g}?): "
                      f"{slope_test_conclusion(test)}"
                      f" [{test['convention']}: {test['formula']}]", markup=False,
                      highlight=False)  # fmt: skip
    results = curve.unknowns
    if results is None:
        return
    console.print(_unknowns_table(curve, results))
    for row in results.itertuples():
        for value, lo, hi in other_roots(row):
            console.print(
                f"Sample {row.sample}: also consistent with {curve.x} = {value:.4g} ({lo:.4g} to "
                f"{hi:.4g}): the curve is not monotonic, so the signal alone cannot tell "
                "these apart.",
                highlight=False,
            )
    for row in results[~results["in_range"]].itertuples():
        note = unknown_note(row, curve.calibrated_range)
        console.print(f"[bold red]Flag:[/bold red] sample {row.sample}: {note}.",
                      markup=True, highlight=False)  # fmt: skip


def _unknowns_table(curve: CurveAnalysis, results: Any) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=f"Unknown samples ({100 * curve.level:.0f}% intervals)",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
                  padding=(0, 0))  # fmt: skip
    for header in [*unknown_headers(curve), "flag"]:
        left = header in ("sample", "interval", "flag")
        table.add_column(header, justify="left" if left else "right",
                         no_wrap=True)  # fmt: skip
    for row in results.itertuples():
        table.add_row(*unknown_cells(row), flag(row))
    c = curve.conventions()
    table.caption = (
        f"calibrated: {c['interval']['convention']} ({c['interval']['formula']}), inside the "
        "standards' range; extrapolated: wider Working-Hotelling interval, beyond the "
        f"standards. s_x0: {c['s_x0']['convention']}, {c['s_x0']['formula']}. "
        f"Reading weight w0: {_weight_phrase(results)}"
    )
    return table


def _weight_phrase(results: Any) -> str:
    sources = sorted(set(results["weight_source"]))
    return "; ".join(sources)


def curve_sections(curve: CurveAnalysis, *, figure: bool = True) -> list[Section]:
    """The report's sections: the standard curve's numbers, then the unknown samples."""
    items: list[dict[str, Any]] = [
        {"id": "conventions", "text": conventions_sentence(curve)},
        {"text": range_sentence(curve)},
    ]
    if curve.calibration is not None:
        items.append({"id": "calibration-statistics",
                      "text": limits_sentence(curve.calibration)})  # fmt: skip
    if curve.detection_limits is not None:
        items.append({"id": "detection-limits",
                      "text": limits_sentence(curve.detection_limits)})  # fmt: skip
    else:
        items.append({"text": DETECTION_LIMITS_NOTE + "."})
    if curve.qpcr is not None:
        items.append({"text": efficiency_sentence(curve) + "."})
    if curve.slope_test is not None:
        t = curve.slope_test
        text = (f"Slope test, is the slope {t['value']:.5g}? {slope_test_conclusion(t)} "
                f"[{t['convention']}: {t['formula']}]")  # fmt: skip
        items.append({"id": "slope-test", "text": text})
    sections = [Section("Standard curve", render_fragment("curve.html.j2", items=items))]
    if curve.unknowns is None:
        return sections
    weighted = curve.fit.weighting.weighted
    rows = [
        {"cells": unknown_cells(row, weighted), "in_range": bool(row.in_range),
         "flag": flag(row), "note": unknown_note(row, curve.calibrated_range),
         "others": other_roots(row)}
        for row in curve.unknowns.itertuples()
    ]  # fmt: skip
    sections.append(Section("Unknown samples", render_fragment(
        "unknowns.html.j2", rows=rows, x=curve.x, level=f"{100 * curve.level:.0f}%",
        headers=unknown_headers(curve, weighted), conventions=curve.conventions(),
        weight_sources=_weight_phrase(curve.unknowns),
        figure=_unknowns_figure(curve) if figure else None)))  # fmt: skip
    return sections


def _unknowns_figure(curve: CurveAnalysis) -> Any:
    from benchlearn.plots.calibration import unknowns_on_curve

    fitted_units = curve.unknowns.copy()
    if curve.log_x:  # the table is in concentrations; the figure in the log10 units of the fit
        for name in ["estimate", "lower", "upper"]:
            with np.errstate(divide="ignore", invalid="ignore"):
                fitted_units[name] = np.log10(fitted_units[name].to_numpy(dtype=float))
    fit = curve.fit
    return figure_svg(unknowns_on_curve(fit.model, fit.X.iloc[:, 0], fit.y, fitted_units,
                                        log_x=curve.log_x, level=curve.level))  # fmt: skip
