"""Limits of detection and quantification, each by a named convention.

The conventions give numbers that differ several-fold for the same calibration, so each is
selected by name (:data:`LOD_METHODS`, the CLI's ``--lod-method``) and every limit carries its
convention and formula:

``"ich-residual-sd"`` (default), ``"ich-intercept-se"``, ``"ich-blank-sd"``
    ICH Q2(R1) §6.3 / §7.3: ``LOD = 3.3·σ/S`` and ``LOQ = 10·σ/S``, ``S`` the slope and σ the
    residual SD of the calibration, the standard error of its intercept, or the SD of blank
    replicates.
``"blank-3s"``
    The signal ``y_LOD = a + 3·s_y/x`` (the blank signal estimated by the intercept, its SD
    by ``s_y/x``), read back as ``x_LOD = 3·s_y/x / b``; ``y_LOQ = a + 10·s_y/x``. Miller &
    Miller, *Statistics and Chemometrics for Analytical Chemistry*, §5.7.
``"din32645"``
    DIN 32645:2008 / ISO 11843-2 calibration method, with error probabilities α and β and
    the relative precision ``1/k`` required at the limit of quantification:
    critical value ``x_NG = s_x0·t(ν; 1-α)·sqrt(1/m + 1/n + x̄²/Sxx)`` (Nachweisgrenze),
    detection limit ``x_EG = s_x0·(t(ν; 1-α) + t(ν; 1-β))·sqrt(1/m + 1/n + x̄²/Sxx)``
    (Erfassungsgrenze; ``2·x_NG`` when α = β), and quantification limit ``x_BG``, the
    concentration whose two-sided ``1-α`` interval is ``±x_BG/k``:
    ``x_BG = k·s_x0·t(ν; 1-α/2)·sqrt(1/m + 1/n + (x_BG - x̄)²/Sxx)`` (Bestimmungsgrenze).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from benchlearn.assay.line import StraightLine, straight_line
from benchlearn.assay.quantity import Quantity, QuantityTable
from benchlearn.errors import DataError, UsageError


@dataclass(frozen=True)
class LodMethod:
    """A named convention for detection and quantification limits."""

    name: str
    convention: str
    lod_formula: str
    loq_formula: str
    sigma: str


LOD_METHODS: dict[str, LodMethod] = {
    m.name: m
    for m in [
        LodMethod("ich-residual-sd", "ICH Q2(R1), σ = residual SD of the calibration",
                  "LOD = 3.3·σ/S", "LOQ = 10·σ/S", "σ = s_y/x, S = slope"),
        LodMethod("ich-intercept-se", "ICH Q2(R1), σ = standard error of the intercept",
                  "LOD = 3.3·σ/S", "LOQ = 10·σ/S", "σ = SE(a), S = slope"),
        LodMethod("ich-blank-sd", "ICH Q2(R1), σ = SD of blank replicates",
                  "LOD = 3.3·σ/S", "LOQ = 10·σ/S", "σ = SD of the blanks (n - 1), S = slope"),
        LodMethod("blank-3s", "blank + 3s (Miller & Miller §5.7: a + 3·s_y/x)",
                  "y_LOD = a + 3·s_y/x, x_LOD = 3·s_y/x / b",
                  "y_LOQ = a + 10·s_y/x, x_LOQ = 10·s_y/x / b",
                  "blank signal = a, its SD = s_y/x"),
        LodMethod("din32645", "DIN 32645:2008 / ISO 11843-2, calibration method",
                  "x_NG = s_x0·t(ν;1-α)·sqrt(1/m + 1/n + x̄²/Sxx); "
                  "x_EG = s_x0·(t(ν;1-α) + t(ν;1-β))·sqrt(1/m + 1/n + x̄²/Sxx)",
                  "x_BG = k·s_x0·t(ν;1-α/2)·sqrt(1/m + 1/n + (x_BG - x̄)²/Sxx)",
                  "s_x0 = s_y/x / b, ν = n - 2"),
    ]
}  # fmt: skip
DEFAULT_LOD_METHOD = "ich-residual-sd"


def detection_limits(
    model: Any,
    method: str = DEFAULT_LOD_METHOD,
    *,
    blanks: Any = None,
    alpha: float = 0.01,
    beta: float | None = None,
    k: float = 3.0,
    n_replicates: int = 1,
    weighted: bool | None = None,
    reading_weight: float | None = None,
) -> QuantityTable:
    """Limits of detection and quantification of a calibration line by a named convention.

    Parameters
    ----------
    model
        A fitted, unweighted straight line (``LinearRegression`` with one predictor and an
        intercept).
    method
        A key of :data:`LOD_METHODS`.
    blanks
        Signals of blank replicates (``"ich-blank-sd"`` only; at least 2).
    alpha, beta
        ``"din32645"``: error probabilities of a false positive and a false negative
        (``beta`` defaults to ``alpha``).
    k
        ``"din32645"``: the limit of quantification is where the relative uncertainty is 1/k.
    n_replicates
        ``"din32645"``: readings ``m`` averaged per analysis.
    weighted
        Whether the fit used weights. Default: judged from whether the weights sum to ``n``;
        weights normalised to mean 1 look unweighted, so declare them with ``True``.
    reading_weight
        Weighted fits, ``"ich-residual-sd"`` only: the weight ``w`` of one reading at the low
        end of the curve. σ is then that reading's SD, ``s_y/x/√w`` (in a weighted fit the
        residual SD describes a reading of weight 1). The other conventions are defined for
        an unweighted calibration and refuse a weighted one.

    Returns
    -------
    QuantityTable
        ``lod`` and ``loq`` (concentrations), plus ``critical_value`` for ``"din32645"`` and
        the signal-domain limits for ``"blank-3s"``; every entry names its convention.

    Examples
    --------
    Miller & Miller, Example 5.7.1: the limit of detection is 0.67 pg/ml.

    >>> import numpy as np
    >>> from benchlearn import LinearRegression
    >>> x = np.array([0.0, 2, 4, 6, 8, 10, 12])
    >>> y = np.array([2.1, 5.0, 9.0, 12.6, 17.3, 21.0, 24.7])
    >>> model = LinearRegression().fit(x.reshape(-1, 1), y)
    >>> round(detection_limits(model, "blank-3s")["lod"].value, 2)
    0.67
    """
    if method not in LOD_METHODS:
        raise UsageError(
            f"LOD method {method!r} is not one of {', '.join(LOD_METHODS)}",
            fix=f"The default is {DEFAULT_LOD_METHOD} (ICH Q2: 3.3·σ/slope with σ the residual SD)",
        )
    line = straight_line(model, weighted)
    if not line.fit_intercept:
        raise UsageError("detection limits need a calibration line with an intercept",
                         fix="Fit the line with fit_intercept=True")  # fmt: skip
    low_end = method == "ich-residual-sd" and reading_weight is not None
    if line.weighted and not low_end:
        raise UsageError(
            f"the {method} detection-limit convention is defined for an unweighted calibration",
            fix="Fit the low end of the curve unweighted, or use 'ich-residual-sd' with the "
            "weight of a reading at the low end (reading_weight=)",
        )
    spec = LOD_METHODS[method]
    if method == "din32645":
        return _din32645(line, spec, alpha, alpha if beta is None else beta, k, n_replicates)
    if method == "blank-3s":
        return _blank_3s(line, spec)
    sigma, sigma_text = _ich_sigma(line, method, blanks)
    if low_end:
        if not (np.isfinite(reading_weight) and reading_weight > 0):
            raise UsageError(f"reading_weight={reading_weight!r} must be a positive number")
        sigma /= float(np.sqrt(reading_weight))
        sigma_text = (f"SD of one reading at the low end of the weighted calibration, σ/√w = "
                      f"{line.s:.4g}/√{reading_weight:.4g}, σ on {line.df} df")  # fmt: skip
    slope = abs(line.b)
    notes = (f"{spec.sigma}: σ = {sigma:.6g} ({sigma_text})",)
    return QuantityTable(
        f"limits of detection and quantification ({spec.convention})",
        {
            "lod": Quantity("LOD", 3.3 * sigma / slope, spec.convention, spec.lod_formula),
            "loq": Quantity("LOQ", 10.0 * sigma / slope, spec.convention, spec.loq_formula),
            "sigma": Quantity("σ", sigma, spec.convention, spec.sigma, note=sigma_text),
        },
        notes,
    )


def _ich_sigma(line: StraightLine, method: str, blanks: Any) -> tuple[float, str]:
    if method == "ich-residual-sd":
        return line.s, f"residual SD on {line.df} df"
    if method == "ich-intercept-se":
        return float(line.s * np.sqrt(line.C[0, 0])), f"SE of the intercept on {line.df} df"
    if blanks is None:
        raise UsageError(
            "method 'ich-blank-sd' needs the blank replicates' signals",
            fix="Pass blanks=[...] (two or more readings of blank samples)",
        )
    values = np.asarray(blanks, dtype=float).ravel()
    if values.size < 2 or not np.all(np.isfinite(values)):
        raise DataError(
            f"{values.size} blank reading(s) given, or some are not numbers: the SD of blanks "
            "needs at least two finite readings",
            fix="Measure the blank at least twice (ICH Q2 suggests ten or more)",
        )
    return float(np.std(values, ddof=1)), f"SD of {values.size} blanks, {values.size - 1} df"


def _blank_3s(line: StraightLine, spec: LodMethod) -> QuantityTable:
    slope = abs(line.b)
    return QuantityTable(
        f"limits of detection and quantification ({spec.convention})",
        {
            "lod_signal": Quantity("y_LOD", line.a + 3 * line.s * np.sign(line.b),
                                   spec.convention, "y_LOD = a + 3·s_y/x"),
            "lod": Quantity("LOD", 3 * line.s / slope, spec.convention,
                            "x_LOD = 3·s_y/x / b"),
            "loq_signal": Quantity("y_LOQ", line.a + 10 * line.s * np.sign(line.b),
                                   spec.convention, "y_LOQ = a + 10·s_y/x"),
            "loq": Quantity("LOQ", 10 * line.s / slope, spec.convention,
                            "x_LOQ = 10·s_y/x / b"),
        },
        (f"{spec.sigma}: a = {line.a:.6g}, s_y/x = {line.s:.6g}",),
    )  # fmt: skip


def _din32645(
    line: StraightLine, spec: LodMethod, alpha: float, beta: float, k: float, m: int
) -> QuantityTable:
    for name, value in (("alpha", alpha), ("beta", beta)):
        if not 0 < value < 0.5:
            raise UsageError(
                f"{name}={value!r} must be between 0 and 0.5",
                fix="DIN 32645 commonly uses alpha = beta = 0.01 (or 0.05)",
            )
    if not k > 0:
        raise UsageError(f"k={k!r} must be positive", fix="k = 3 means 33% relative uncertainty")
    n, nu, xbar, sxx = line.total_weight, line.df, line.x_mean, line.sxx
    s_x0 = line.s / abs(line.b)
    t_alpha = stats.t.ppf(1 - alpha, nu)
    t_beta = stats.t.ppf(1 - beta, nu)
    root = np.sqrt(1 / m + 1 / n + xbar**2 / sxx)
    x_ng = s_x0 * t_alpha * root
    x_eg = s_x0 * (t_alpha + t_beta) * root
    # x = c·sqrt(1/m + 1/n + (x - x̄)²/Sxx), c = k·s_x0·t: a quadratic in x, positive root.
    c2 = (k * s_x0 * stats.t.ppf(1 - alpha / 2, nu)) ** 2
    A2, A1, A0 = 1 - c2 / sxx, 2 * c2 * xbar / sxx, -c2 * (1 / m + 1 / n + xbar**2 / sxx)
    if A2 <= 0:
        x_bg, note = (
            float("inf"),
            "the calibration is too imprecise for a relative uncertainty of 1/k",
        )
    else:
        x_bg, note = (-A1 + np.sqrt(A1 * A1 - 4 * A2 * A0)) / (2 * A2), ""
    setting = f"α = {alpha:g}, β = {beta:g}, k = {k:g}, m = {m}, ν = {nu}"
    return QuantityTable(
        f"limits of detection and quantification ({spec.convention})",
        {
            "critical_value": Quantity("x_NG (critical value, Nachweisgrenze)", float(x_ng),
                                       spec.convention,
                                       "x_NG = s_x0·t(ν;1-α)·sqrt(1/m + 1/n + x̄²/Sxx)",
                                       note=setting),
            "critical_signal": Quantity("y_k (critical signal)",
                                        float(line.a + line.b * x_ng), spec.convention,
                                        "y_k = a + s_y/x·t(ν;1-α)·sqrt(1/m + 1/n + x̄²/Sxx)",
                                        note=setting),
            "lod": Quantity("x_EG (detection limit, Erfassungsgrenze)", float(x_eg),
                            spec.convention, spec.lod_formula.split("; ")[1], note=setting),
            "loq": Quantity("x_BG (quantification limit, Bestimmungsgrenze)", float(x_bg),
                            spec.convention, spec.loq_formula,
                            note="; ".join(filter(None, [setting, note]))),
        },
        (f"{spec.sigma}: s_x0 = {s_x0:.6g}, x̄ = {xbar:.6g}, Sxx = {sxx:.6g}, n = {line.n}",),
    )  # fmt: skip
