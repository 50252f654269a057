"""``standard_curve``: fit a standard curve and read unknown samples' concentrations off it.

What ``benchlearn curve`` computes, as one call: the curve (straight, polynomial, against log10
of the concentration, weighted by a rule), its calibrated and linear ranges, LOD and LOQ, the
qPCR efficiency, a test of the slope against a value, and every unknown's concentration with
its interval. Concentrations are reported as in the file, also with ``log_x``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.analysis.fit_table import FitAnalysis, fit_model
from benchlearn.analysis.weights import sample_weight
from benchlearn.errors import CurveShapeWarning, DataError, UsageError

QPCR_IDEAL_SLOPE = -1.0 / 0.30102999566398120  # -1/log10(2): one doubling per cycle


@dataclass(frozen=True)
class CurveAnalysis:
    """The result of :func:`standard_curve`.

    Attributes
    ----------
    fit
        The curve's fit, summary, diagnostics, weighting and warnings (``fit.checks`` is None).
    x, y
        The concentration and signal columns.
    log_x
        The curve was fitted against log10 of the concentration.
    level
        Confidence level of every interval.
    calibrated_range, linear_range
        ``(low, high)`` of the standards' concentrations, and the part where they are straight.
    curvature_pvalue
        p-value of the quadratic term over the standards (small: the standards bend).
    turning_points
        Concentrations where the fitted curve changes direction inside the calibrated range.
    detection_limits
        LOD/LOQ by the convention ``lod_method``
        (:func:`benchlearn.assay.detection_limits`, a ``QuantityTable``), or None when the
        curve is not a straight line in the concentration itself (``degree > 1`` or ``log_x``).
    qpcr
        Amplification factor and efficiency with intervals
        (:func:`benchlearn.assay.qpcr.amplification`), when asked.
    slope_test
        Test of the slope against ``slope_equals`` (or the 100%-efficiency slope with qPCR).
    unknowns
        One row per unknown sample (:func:`benchlearn.assay.inverse_predict`'s columns, with
        ``sample`` first; concentrations as in the file), or None.
    lod_method, interval
        The conventions of the detection limits and of the unknowns' intervals.
    calibration
        A straight line's validation numbers, each with its convention and formula
        (:func:`benchlearn.assay.calibration_statistics`: slope, intercept, s_y/x, R², r,
        s_x0 = s_y/x / b and its relative form), or None for a polynomial.
    """

    fit: FitAnalysis
    x: str
    y: str
    log_x: bool
    level: float
    calibrated_range: tuple[float, float]
    linear_range: tuple[float, float]
    curvature_pvalue: float
    turning_points: list[float] = field(default_factory=list)
    detection_limits: Any = None
    qpcr: Any = None
    slope_test: dict[str, Any] | None = None
    unknowns: pd.DataFrame | None = None
    lod_method: str = "ich-residual-sd"
    interval: str = "fieller"
    calibration: Any = None

    def unknowns_records(self) -> list[dict[str, Any]]:
        """The unknowns as JSON-ready records, each with ``also_consistent_with``."""
        return [] if self.unknowns is None else [_record(r) for r in self.unknowns.itertuples()]

    def conventions(self) -> dict[str, Any]:
        """The conventions chosen (and the defaults), by name, with what they mean."""
        from benchlearn.assay.detection import DEFAULT_LOD_METHOD, LOD_METHODS
        from benchlearn.assay.inverse import DEFAULT_INTERVAL, INTERVAL_METHODS

        lod = LOD_METHODS[self.lod_method]
        return {
            "level": self.level,
            "lod_method": {"name": self.lod_method, "default": DEFAULT_LOD_METHOD,
                           "convention": lod.convention,
                           "formula": f"{lod.lod_formula}; {lod.loq_formula}"},
            "interval": {"name": self.interval, "default": DEFAULT_INTERVAL,
                         **INTERVAL_METHODS[self.interval]},
            "s_x0": {"convention": "ISO 8466-1 / Miller & Miller eq. 5.9 (standard error of "
                     "x0)" + (", in log10 concentration" if self.log_x else ""),
                     "formula": "s_x0 = (s_y/x / b)·sqrt(1/(m·w0) + 1/Σw + (x0 - x̄)²/Sxx)"},
            "linear_range": {"convention": "top standards dropped while a quadratic term is "
                             "significant (at least 4 levels kept)",
                             "formula": "y = a + b·x + c·x², drop the top level while "
                             "p(c) < 0.05"},
            "reading_weight": {"convention": "weight w0 of one reading of an unknown, from the "
                               "fit's weighting rule at its estimate (1 if unweighted)",
                               "formula": "Var(reading) = s²/w0"},
        }  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """Every number as JSON-ready values (no NaN or infinity: those become None)."""
        out = self.fit.to_dict() | {
            "calibrated_range": list(self.calibrated_range),
            "linear_range": list(self.linear_range),
            "curvature_pvalue": _clean(self.curvature_pvalue),
        }
        if self.turning_points:
            out["turning_points"] = list(self.turning_points)
        out["conventions"] = self.conventions()
        if self.calibration is not None:
            out["calibration"] = self.calibration.to_dict()
        if self.detection_limits is not None:
            out["detection_limits"] = {"method": self.lod_method} | self.detection_limits.to_dict()
        if self.qpcr is not None:
            out["qpcr"] = self.qpcr.to_dict()
        if self.slope_test is not None:
            out["slope_test"] = _clean(self.slope_test)
        if self.unknowns is not None:
            out["unknowns"] = self.unknowns_records()
        return out


def check_curve_options(
    *,
    level: float = 0.95,
    degree: int = 1,
    qpcr: bool = False,
    slope_equals: float | None = None,
    weight_by: str | None = None,
    lod_method: str | None = None,
    interval: str | None = None,
    blanks: Any = None,
) -> None:
    """Refuse option combinations that cannot work, before any data is read."""
    from benchlearn.assay.detection import DEFAULT_LOD_METHOD, LOD_METHODS
    from benchlearn.assay.inverse import INTERVAL_METHODS

    if lod_method is not None and lod_method not in LOD_METHODS:
        raise UsageError(
            f"--lod-method {lod_method} is not one of {', '.join(LOD_METHODS)}",
            fix=f"The default is {DEFAULT_LOD_METHOD} (ICH Q2: 3.3·σ/slope, σ the residual SD)",
        )
    if interval is not None and interval not in INTERVAL_METHODS:
        raise UsageError(
            f"--interval {interval} is not one of {', '.join(INTERVAL_METHODS)}",
            fix="fieller (exact, the default), symmetric (ISO 8466-1, x0 ± t·s_x0) or "
            "multiple-use (for many future readings)",
        )
    if interval not in (None, "fieller") and degree > 1:
        raise UsageError(
            f"--interval {interval} is defined for a straight line; --degree {degree} fits a "
            "curve, whose intervals are the exact (Fieller-type) ones",
            fix="Drop --interval (or --degree)",
        )
    if lod_method == "ich-blank-sd" and blanks is None:
        raise UsageError(
            "--lod-method ich-blank-sd takes σ from blank replicates",
            fix="Give their signals with --blanks FILE (the column of --y, or FILE:column)",
        )
    if blanks is not None and lod_method != "ich-blank-sd":
        raise UsageError(
            "--blanks gives the blank replicates of --lod-method ich-blank-sd",
            fix="Add --lod-method ich-blank-sd, or drop --blanks",
        )
    if not 0 < level < 1:
        raise UsageError(f"--level {level} must be between 0 and 1", fix="For 95% use 0.95")
    if slope_equals is not None and not math.isfinite(slope_equals):
        raise UsageError(
            f"--slope-equals {slope_equals} is not a finite number",
            fix="Give the slope to test as a number, e.g. --slope-equals 1",
        )
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


def standard_curve(
    table: pd.DataFrame,
    x: str,
    y: str,
    *,
    unknowns: pd.DataFrame | None = None,
    unknown_column: str | None = None,
    sample_column: str | None = None,
    log_x: bool = False,
    degree: int = 1,
    qpcr: bool = False,
    slope_equals: float | None = None,
    weight_by: str | None = None,
    drop_missing: bool = False,
    level: float = 0.95,
    lod_method: str = "ich-residual-sd",
    blanks: Any = None,
    interval: str = "fieller",
) -> CurveAnalysis:
    """Fit the standard curve of signal ``y`` against concentration ``x`` and read unknowns.

    Parameters
    ----------
    table
        The standards (``attrs["source"]``, the file name, is quoted in messages).
    x, y
        Concentration and signal columns.
    unknowns
        Unknown samples' signals (replicate rows of a sample are averaged); ``attrs["source"]``
        names the file in messages.
    unknown_column
        Signal column in ``unknowns`` (default: ``y``).
    sample_column
        Sample name column in ``unknowns`` (default: its first text column; else rows are
        named by their row number).
    log_x
        Fit the signal against log10 of the concentration.
    degree
        1 = straight line, 2 = quadratic, ...
    qpcr
        Report the amplification efficiency (x is log10 copies, or use ``log_x``).
    slope_equals
        Test the slope against this value (default with ``qpcr``: the 100%-efficiency slope).
    weight_by
        Weights from a rule (``1/x``, ``1/x2``, ``1/y``, ``1/y2``, ``replicates``); ``x`` is
        the concentration as in the file, also with ``log_x``.
    drop_missing
        Skip rows with empty cells.
    level
        Confidence level of every interval (coefficients, unknowns, qPCR).
    lod_method
        Convention of the detection and quantification limits, a key of
        :data:`benchlearn.assay.LOD_METHODS` (default ``"ich-residual-sd"``: ICH Q2(R1),
        3.3·σ/S and 10·σ/S with σ the residual SD; with ``weight_by``, the SD of one reading
        at the lowest standard).
    blanks
        ``lod_method="ich-blank-sd"``: the blank replicates' signals.
    interval
        Convention of the unknowns' intervals inside the calibrated range, a key of
        :data:`benchlearn.assay.INTERVAL_METHODS` (default ``"fieller"``).

    Returns
    -------
    CurveAnalysis
    """
    from benchlearn.assay import standard_curve as assay
    from benchlearn.assay.detection import detection_limits
    from benchlearn.assay.inverse import calibration_statistics
    from benchlearn.assay.qpcr import amplification
    from benchlearn.assay.quantity import QuantityTable
    from benchlearn.data import select_columns
    from benchlearn.evaluate import residual_diagnostics
    from benchlearn.linear.summary import RegressionSummary

    check_curve_options(level=level, degree=degree, qpcr=qpcr, slope_equals=slope_equals,
                        weight_by=weight_by, lod_method=lod_method, interval=interval,
                        blanks=blanks)  # fmt: skip
    source = table.attrs.get("source")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X, signal = select_columns(table, y, x, drop_missing=drop_missing, min_rows=degree + 2)
        concentration = X.iloc[:, 0].copy()
        # Weights come from the concentrations as written in the file, even with log_x.
        w, weighting = sample_weight(table, X, signal, None, weight_by, source)
        if log_x:
            X = _log10(X, x, source)
        model = fit_model(X, signal, degree=degree, sample_weight=w)
        xs = X.iloc[:, 0].to_numpy()
        ranges = assay.linear_range(xs, signal.to_numpy(), sample_weight=w)
        back = _back(log_x)
        if degree == 1 and ranges.linear_high < ranges.high:
            warnings.warn(
                f"The standards bend away from a straight line above {back(ranges.linear_high):g} "
                f"(quadratic term p = {ranges.curvature_pvalue:.2g}). Fit only the linear range, "
                "or use --degree 2.",
                CurveShapeWarning,
                stacklevel=2,
            )
        turns = [back(v) for v in assay.turning_points(model, ranges.low, ranges.high)]
        if turns:
            warnings.warn(
                f"The fitted curve changes direction at {x} = "
                f"{', '.join(f'{v:.4g}' for v in turns)}, inside the calibrated range: some "
                "signals match more than one concentration (all are listed). Check for a hook "
                "effect, or calibrate only on one side.",
                CurveShapeWarning,
                stacklevel=2,
            )
    weight_of = _reading_weight(weight_by, w, concentration, back)
    limits = None
    if degree == 1 and not log_x:
        low_weight = None
        if weight_of is not None:  # the SD of a reading at the lowest standard
            lowest = X.loc[[X.iloc[:, 0].idxmin()]]
            low_weight = weight_of(float(lowest.iloc[0, 0]), float(model.predict(lowest)[0]))
        limits = detection_limits(model, lod_method, blanks=blanks, weighted=w is not None,
                                  reading_weight=low_weight)  # fmt: skip
    calibration = None
    if degree == 1:
        calibration = calibration_statistics(model, level=level, weighted=w is not None)
        if log_x:
            calibration = QuantityTable(
                f"{calibration.title} (x = log10 of {x})", calibration.quantities,
                (*calibration.notes, f"with --log-x, b, s_x0 and V_x0 are in log10 {x} units"),
            )  # fmt: skip
    efficiency = amplification(model, level=level) if qpcr else None
    slope = None
    if slope_equals is not None or (qpcr and degree == 1):
        target = QPCR_IDEAL_SLOPE if slope_equals is None else slope_equals
        slope = assay.slope_test(model, target, level)
    results = None
    if unknowns is not None:
        results = _unknowns(unknowns, unknown_column or y, sample_column, model, level,
                            (ranges.low, ranges.high), back, weight_of, interval)  # fmt: skip
        results["weight_source"] = (
            f"rule {weight_by} at the estimated concentration" if weight_by is not None
            else "1: unweighted fit")  # fmt: skip
    fit = FitAnalysis(
        model=model,
        X=X,
        y=signal,
        summary=RegressionSummary(model, X, signal),
        diagnostics=residual_diagnostics(model, X, signal, sample_weight=w),
        weighting=weighting,
        sample_weight=w,
        checks=None,
        warnings=tuple(str(warning.message) for warning in caught),
        level=level,
        source=source,
    )
    return CurveAnalysis(
        fit=fit,
        x=x,
        y=y,
        log_x=log_x,
        level=level,
        calibrated_range=(back(ranges.low), back(ranges.high)),
        linear_range=(back(ranges.low), back(ranges.linear_high)),
        curvature_pvalue=ranges.curvature_pvalue,
        turning_points=turns,
        detection_limits=limits,
        qpcr=efficiency,
        slope_test=slope,
        unknowns=results,
        lod_method=lod_method,
        interval=interval,
        calibration=calibration,
    )


def _back(log_x: bool) -> Callable[[Any], Any]:
    """From the fit's x units back to the concentration as in the file."""
    return (lambda v: 10.0**v) if log_x else (lambda v: v)


def _reading_weight(rule: str | None, weights: Any, concentration: pd.Series, back: Any) -> Any:
    """Weight of an unknown's reading, from its estimated concentration and its signal."""
    if rule is None:
        return None
    from benchlearn.linear.weighting import weight_at

    x_file = concentration.to_numpy(dtype=float)

    def weight_of(x_fitted: float, signal: float) -> float:
        return weight_at(rule, back(x_fitted), signal, x_file, weights)

    return weight_of


def other_roots(row: Any) -> list[tuple[float, float, float]]:
    """The other concentrations giving an unknown's signal, each with its interval."""
    return [
        (value, lo, hi)
        for value, (lo, hi) in zip(row.all_estimates, row.all_intervals, strict=True)
        if value != row.estimate
    ]


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None  # JSON has no infinity
    return value.item() if hasattr(value, "item") else value


def _record(row: Any) -> dict[str, Any]:
    out = {key: _clean(value) for key, value in row._asdict().items() if key != "Index"}
    out["also_consistent_with"] = [
        {"estimate": v, "lower": _clean(lo), "upper": _clean(hi)} for v, lo, hi in other_roots(row)
    ]
    return out


def _log10(X: pd.DataFrame, column: str, source: str | None) -> pd.DataFrame:
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
    frame: pd.DataFrame,
    column: str,
    sample_column: str | None,
    model: Any,
    level: float,
    calibrated: tuple[float, float],
    back: Any,
    weight_of: Any = None,
    interval: str = "fieller",
) -> pd.DataFrame:
    from benchlearn.analysis.unknowns import unknown_samples
    from benchlearn.assay.standard_curve import inverse_predict

    grouped = unknown_samples(frame, column, sample_column)
    result = inverse_predict(model, grouped["mean"].to_numpy(), level=level,
                             n_replicates=grouped["count"].to_numpy(),
                             calibrated_range=calibrated, reading_weight=weight_of,
                             interval=interval)  # fmt: skip
    result.insert(0, "sample", grouped["sample"].to_numpy())
    for name in ["estimate", "lower", "upper"]:
        result[name] = back(result[name].to_numpy())
    if back(1.0) != 1.0:  # with log_x, s_x0 is in the fitted units: log10 concentration
        result = result.rename(columns={"s_x0": "s_x0_log10"})
    result["all_estimates"] = [[back(v) for v in values] for values in result["all_estimates"]]
    result["all_intervals"] = [
        [[back(lo), back(hi)] for lo, hi in pairs] for pairs in result["all_intervals"]
    ]
    return result
