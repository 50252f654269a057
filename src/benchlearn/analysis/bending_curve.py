"""``bending_standard_curve``: a 4PL/5PL (or kinetic) standard curve and unknowns read off it.

What ``benchlearn curve --model 4pl`` computes: the curve (:func:`fit_curve`), its limits of
detection and quantification, and each unknown sample's concentration with its interval,
flagged when the reading is near a plateau (the interval is open), beyond the curve, outside
the standards or outside the limits of quantification. Concentrations are as in the file, also
with ``log_x``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.analysis.curve_fit import CurveFitAnalysis, fit_curve
from benchlearn.errors import BenchlearnError, UsageError

OUTSIDE_LOQ = "outside the limits of quantification (back-calculated CV above {cv:.0%})"


@dataclass(frozen=True)
class BendingCurveAnalysis:
    """The result of :func:`bending_standard_curve`.

    Attributes
    ----------
    fit
        The curve's fit (:class:`~benchlearn.analysis.curve_fit.CurveFitAnalysis`).
    calibrated_range
        Lowest and highest standard concentration (as in the file).
    detection_limits
        LOD, LLOQ, ULOQ (concentrations as in the file), the blank's response and the critical
        response (:class:`~benchlearn.nonlinear.standard_curve.DetectionLimits`), or None.
    detection_limits_note
        Why the limits were not computed, when they were not.
    unknowns
        One row per unknown sample: sample, n_replicates, signal (mean), estimate, lower, upper
        (concentrations as in the file; an open end is 0 or infinity), flag ("" when the value
        can be reported as is).
    max_cv
        Largest CV of a back-calculated concentration inside the limits of quantification.
    """

    fit: CurveFitAnalysis
    calibrated_range: tuple[float, float]
    detection_limits: Any = None
    detection_limits_note: str | None = None
    unknowns: pd.DataFrame | None = None
    max_cv: float = 0.2

    @property
    def model(self) -> Any:
        """The fitted curve."""
        return self.fit.model

    def to_dict(self) -> dict[str, Any]:
        """Every number as JSON-ready values (no NaN or infinity: those become None)."""
        out = self.fit.to_dict() | {
            "calibrated_range": list(self.calibrated_range),
            "max_cv": self.max_cv,
        }
        if self.detection_limits is not None:
            out["detection_limits"] = self.detection_limits.to_dict()
        else:
            out["detection_limits_note"] = self.detection_limits_note
        if self.unknowns is not None:
            out["unknowns"] = [
                {k: _clean(v) for k, v in row.items()} for row in self.unknowns.to_dict("records")
            ]
        return out


def bending_standard_curve(
    table: pd.DataFrame,
    x: str,
    y: str,
    *,
    model: str = "4pl",
    unknowns: pd.DataFrame | None = None,
    unknown_column: str | None = None,
    sample_column: str | None = None,
    log_x: bool = False,
    weight_by: str | None = None,
    fixed: dict[str, float] | None = None,
    drop_missing: bool = False,
    level: float = 0.95,
    max_cv: float = 0.2,
) -> BendingCurveAnalysis:
    """Fit a bending standard curve of ``y`` against ``x`` and read unknowns off it.

    Parameters
    ----------
    table
        The standards.
    x, y
        Concentration and signal columns.
    model
        ``"4pl"``, ``"5pl"``, ``"inhibition"`` (a falling 4PL), ``"michaelis-menten"``,
        ``"exponential"`` (or their ``-log`` forms when x is already log10).
    unknowns, unknown_column, sample_column
        Unknown samples' signals (replicate rows of a sample are averaged), their signal
        column (default ``y``) and sample-name column (default: the first text column).
    log_x
        Fit the 4PL/5PL against log10 concentration (the same curve).
    weight_by
        Weights from a rule (``1/y2`` for a constant CV, ...; x as in the file): an unknown's
        reading then has the variance the rule gives at its concentration and signal (the
        replicate rule: interpolated between the standards). The LOD and LOQ, which need the
        weight of a blank reading, are not computed.
    fixed
        Parameters held at a value.
    drop_missing
        Skip rows with empty cells.
    level
        Confidence level of every interval (and the one-sided level of the LOD).
    max_cv
        Largest CV of a back-calculated concentration inside the limits of quantification.

    Returns
    -------
    BendingCurveAnalysis
    """
    from benchlearn.nonlinear.standard_curve import detection_limits

    if not max_cv > 0:
        raise UsageError(f"--max-cv {max_cv} must be above 0", fix="For 20% use 0.2")
    fit = fit_curve(
        table,
        y,
        x,
        model=model,
        log_x=log_x,
        weight_by=weight_by,
        fixed=fixed,
        drop_missing=drop_missing,
        level=level,
    )
    x_fit = fit.X.iloc[:, 0].to_numpy(dtype=float)
    in_file = _to_file_units(fit)
    calibrated = (float(in_file(np.min(x_fit))), float(in_file(np.max(x_fit))))
    limits, note = None, None
    if weight_by is not None:
        note = "not computed for a weighted curve: the limits need the weight of a blank reading"
    else:
        try:
            limits = detection_limits(fit.model, level=level, max_cv=max_cv)
        except BenchlearnError as error:
            note = f"not computed: {error.what}"
    results = None
    if unknowns is not None:
        results = _read_unknowns(
            unknowns, unknown_column or y, sample_column, fit, level, limits, max_cv
        )
    return BendingCurveAnalysis(
        fit=fit,
        calibrated_range=calibrated,
        detection_limits=limits,
        detection_limits_note=note,
        unknowns=results,
        max_cv=max_cv,
    )


def _to_file_units(fit: CurveFitAnalysis) -> Any:
    """From the fit's x units to the concentration as in the file."""
    if fit.log_x:
        return lambda v: 10.0 ** np.asarray(v, dtype=float)
    return lambda v: np.asarray(v, dtype=float)


def _reading_weight(fit: CurveFitAnalysis) -> Any:
    """``weight(x, mean)`` of one reading under the fit's weighting (None when unweighted)."""
    if not fit.weighting.weighted:
        return None
    from benchlearn.linear.weighting import weight_at

    to_file = _to_file_units(fit)
    x_file = to_file(fit.X.iloc[:, 0].to_numpy(dtype=float))
    rule, weights = fit.weighting.rule, fit.sample_weight

    def weight(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.array(
                [weight_at(rule, float(xf), float(m), x_file, weights)
                 for xf, m in zip(to_file(x), mean, strict=True)]
            )  # fmt: skip

    return weight


def _read_unknowns(
    frame: pd.DataFrame,
    column: str,
    sample_column: str | None,
    fit: CurveFitAnalysis,
    level: float,
    limits: Any,
    max_cv: float,
) -> pd.DataFrame:
    from benchlearn.analysis.unknowns import unknown_samples
    from benchlearn.nonlinear.standard_curve import inverse_predict

    grouped = unknown_samples(frame, column, sample_column)
    rows = []
    in_file = _to_file_units(fit)
    weight = _reading_weight(fit)
    for sample, mean, count in grouped.itertuples(index=False):
        read = inverse_predict(
            fit.model, [mean], level=level, replicates=int(count), reading_weight=weight
        ).iloc[0]
        estimate, lower, upper = (float(in_file(read[k])) for k in ("estimate", "lower", "upper"))
        flag = str(read["flag"])
        if not flag and limits is not None and math.isfinite(limits.lloq):
            # the limits are concentrations, also for a -log model fitted to log10 x
            conc = 10.0**estimate if fit.curve.endswith("-log") and not fit.log_x else estimate
            if not limits.lloq <= conc <= limits.uloq:
                flag = OUTSIDE_LOQ.format(cv=max_cv)
        rows.append((str(sample), int(count), float(mean), estimate, lower, upper, flag))
    return pd.DataFrame(
        rows, columns=["sample", "n_replicates", "signal", "estimate", "lower", "upper", "flag"]
    )


def _clean(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
