"""Standard curves: reading an unknown sample's concentration off a fitted calibration line.

A standard curve is fitted to samples of known concentration ``x`` and their measured signal
``y``. For an unknown sample, the signal is measured (``m`` replicate readings, mean ``y0``) and
the concentration that would produce it is read back: *inverse prediction*. Its interval is the
set of concentrations whose prediction interval (for a mean of ``m`` readings) contains ``y0``::

    { x :  |y0 - f(x)| <= t · sqrt( s²/m + Var(f(x)) ) }

For a straight line this is Fieller's interval, found exactly by solving a quadratic; it is not
symmetric around the estimate, and it is unbounded when the slope is not clearly different from
zero. Estimates outside the range of the standards are extrapolations and are always flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from benchlearn.errors import UsageError

ICH_LOD_FACTOR = 3.3
ICH_LOQ_FACTOR = 10.0


@dataclass(frozen=True)
class CalibrationRange:
    """Where the standards are, and where they are straight."""

    low: float
    high: float
    linear_high: float
    curvature_pvalue: float


def inverse_predict(
    model: Any,
    signal: Any,
    *,
    level: float = 0.95,
    n_replicates: Any = 1,
    calibrated_range: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Concentrations (x) that produce the measured signals, with their intervals.

    Parameters
    ----------
    model
        A fitted ``LinearRegression`` with one predictor, or a ``PolynomialRegression``.
    signal
        Measured signal(s) of the unknown sample(s): the mean of the replicate readings.
    level
        Confidence level of the intervals.
    n_replicates
        Readings averaged into each signal (a number, or one per signal).
    calibrated_range
        ``(low, high)`` of the standards' x; estimates outside are flagged.

    Returns
    -------
    DataFrame
        One row per signal: ``signal``, ``n_replicates``, ``estimate``, ``lower``, ``upper``,
        ``in_range`` and ``note`` (why an interval is open, or that a value is extrapolated).
        For a curve that is not monotonic, ``all_estimates`` lists every x in the calibrated
        range that gives the signal.
    """
    if model.n_features_in_ != 1:
        raise UsageError(
            f"a standard curve has one predictor, this model has {model.n_features_in_}",
            fix="Fit the curve with a single x column",
        )
    signals = np.atleast_1d(np.asarray(signal, dtype=float))
    replicates = np.broadcast_to(np.asarray(n_replicates, dtype=float), signals.shape)
    t = stats.t.ppf(0.5 + level / 2, model.dof_resid_)
    s = model.residual_std_
    low, high = calibrated_range if calibrated_range is not None else (-np.inf, np.inf)
    rows = []
    for y0, m in zip(signals, replicates, strict=True):
        roots = _roots(model, y0, low, high)
        estimate = _closest(roots, low, high)
        if hasattr(model, "degree") and model.degree > 1:
            lower, upper, note = _numeric_interval(model, y0, m, t, estimate, low, high)
        else:
            lower, upper, note = _fieller_interval(model, y0, m, t, s)
        in_range = bool(np.isfinite(estimate) and low <= estimate <= high)
        if not in_range:
            if np.isfinite(estimate):
                note = (f"outside the calibrated range {low:g} to {high:g}: extrapolated, "
                        "not a reliable concentration; dilute or concentrate the sample and "
                        "measure again")  # fmt: skip
            else:
                note = "no concentration gives this signal on the fitted curve"
        inside = [float(r) for r in roots if low <= r <= high]
        rows.append(
            {"signal": y0, "n_replicates": int(m), "estimate": estimate, "lower": lower,
             "upper": upper, "in_range": in_range, "all_estimates": inside, "note": note}
        )  # fmt: skip
    return pd.DataFrame(rows)


def _roots(model: Any, y0: float, low: float, high: float) -> np.ndarray:
    coef = model.params_["estimate"].to_numpy()
    if not model.fit_intercept:
        coef = np.r_[0.0, coef]
    polynomial = coef.copy()
    polynomial[0] -= y0
    roots = np.roots(polynomial[::-1])
    real = np.sort(roots[np.abs(roots.imag) <= 1e-9 * (1 + np.abs(roots.real))].real)
    return real


def _closest(roots: np.ndarray, low: float, high: float) -> float:
    if roots.size == 0:
        return float("nan")
    inside = roots[(roots >= low) & (roots <= high)]
    if inside.size:
        return float(inside[0])
    centre = 0.0 if not np.isfinite(low + high) else (low + high) / 2
    return float(roots[np.argmin(np.abs(roots - centre))])


def _fieller_interval(
    model: Any, y0: float, m: float, t: float, s: float
) -> tuple[float, float, str]:
    # (y0 - a - b x)² = t² s² (1/m + [1 x] C [1 x]ᵀ), C = (DᵀD)⁻¹: a quadratic in x.
    R_inv = model._inference.R_inverse
    C = R_inv @ R_inv.T
    if model.fit_intercept:
        a, b = model.solution_.coef
        c00, c01, c11 = C[0, 0], C[0, 1], C[1, 1]
    else:
        a, b = 0.0, model.solution_.coef[0]
        c00, c01, c11 = 0.0, 0.0, C[0, 0]
    k = (t * s) ** 2
    A2 = b * b - k * c11
    A1 = -2 * b * (y0 - a) - 2 * k * c01
    A0 = (y0 - a) ** 2 - k * (1 / m + c00)
    if A2 <= 0:
        return -np.inf, np.inf, "the slope is not clearly non-zero: no finite interval exists"
    disc = A1 * A1 - 4 * A2 * A0
    if disc < 0:  # pragma: no cover - cannot happen when A2 > 0 and the estimate is a root
        return float("nan"), float("nan"), "no interval"
    root = np.sqrt(disc)
    return (-A1 - root) / (2 * A2), (-A1 + root) / (2 * A2), ""


def _numeric_interval(
    model: Any, y0: float, m: float, t: float, estimate: float, low: float, high: float
) -> tuple[float, float, str]:
    if not np.isfinite(estimate):
        return float("nan"), float("nan"), ""
    s = model.residual_std_
    t_95 = stats.t.ppf(0.975, model.dof_resid_)
    width = (high - low) if np.isfinite(high - low) else max(1.0, abs(estimate))

    def gap(x: float) -> float:
        frame = _frame(model, [x])
        band = model.predict_interval(frame, kind="confidence", level=0.95)
        se_mean = float(band["upper"].iloc[0] - band["mean"].iloc[0]) / t_95
        return (y0 - float(band["mean"].iloc[0])) ** 2 - t * t * (s * s / m + se_mean**2)

    bounds = []
    for direction in (-1.0, 1.0):
        step, x = width / 200, estimate
        found = None
        for _ in range(400):
            nxt = x + direction * step
            if gap(nxt) > 0:
                found = optimize.brentq(gap, min(x, nxt), max(x, nxt))
                break
            x, step = nxt, step * 1.05
        bounds.append(found if found is not None else direction * np.inf)
    note = "" if np.all(np.isfinite(bounds)) else "the interval does not close within reach"
    return float(bounds[0]), float(bounds[1]), note


def _frame(model: Any, values: list[float]) -> Any:
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        return pd.DataFrame({names[0]: values})
    return np.asarray(values, dtype=float).reshape(-1, 1)


def linear_range(x: Any, y: Any, *, alpha: float = 0.05, min_levels: int = 4) -> CalibrationRange:
    """How far up the standards stay on a straight line.

    Rule: fit a quadratic to the standards up to a concentration level; if its x² term is
    significant (p < ``alpha``), the top level is dropped and the test repeated, until the
    curvature is not detectable or only ``min_levels`` levels remain. The highest level kept is
    the top of the linear range.

    Parameters
    ----------
    x, y
        Standards: concentrations and signals.
    alpha
        Significance level for curvature.
    min_levels
        Fewest distinct concentrations to test curvature with.
    """
    from benchlearn.linear.polynomial import PolynomialRegression

    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    levels = np.unique(x)
    first_p = float("nan")
    top = levels[-1]
    for k in range(len(levels), min_levels - 1, -1):
        top = levels[k - 1]
        keep = x <= top
        if keep.sum() <= 3:
            break
        quadratic = PolynomialRegression(degree=2).fit(x[keep].reshape(-1, 1), y[keep])
        p = float(quadratic.params_["p_value"].iloc[-1])
        if k == len(levels):
            first_p = p
        if p >= alpha:
            break
    return CalibrationRange(float(levels[0]), float(levels[-1]), float(top), first_p)


def qpcr_efficiency(model: Any, level: float = 0.95) -> dict[str, float]:
    """Amplification efficiency from a standard curve of Ct against log10 copies.

    ``E = 10^(-1/slope) - 1`` (1.0 = perfect doubling each cycle, slope -3.32); its interval
    maps the slope's confidence interval through the same (monotone) formula.
    """
    row = model.params_.iloc[-1]
    lo, hi = sorted(_efficiency(v) for v in (row["ci_lower"], row["ci_upper"]))
    if level != 0.95:
        q = stats.t.ppf(0.5 + level / 2, model.dof_resid_)
        lo, hi = sorted(_efficiency(row["estimate"] + d * q * row["std_error"]) for d in (-1, 1))
    return {"slope": float(row["estimate"]), "efficiency": _efficiency(row["estimate"]),
            "efficiency_lower": lo, "efficiency_upper": hi}  # fmt: skip


def _efficiency(slope: float) -> float:
    return float(10 ** (-1.0 / slope) - 1.0) if slope < 0 else float("nan")


def detection_limits(model: Any) -> dict[str, float]:
    """Limit of detection and of quantification from the calibration (ICH Q2(R1)).

    ``LOD = 3.3·σ / slope`` and ``LOQ = 10·σ / slope``, with σ the residual standard deviation
    of the standard curve and slope its fitted slope, in x units.
    """
    slope = float(model.params_["estimate"].iloc[-1])
    sigma = model.residual_std_
    return {
        "method": "ICH Q2(R1): LOD = 3.3·σ/slope, LOQ = 10·σ/slope (σ = residual SD)",
        "lod": ICH_LOD_FACTOR * sigma / abs(slope),
        "loq": ICH_LOQ_FACTOR * sigma / abs(slope),
    }


def slope_test(model: Any, value: float) -> dict[str, float]:
    """t-test that the slope equals ``value`` (e.g. 1 for method comparison, -3.32 for qPCR)."""
    row = model.params_.iloc[-1]
    t = (row["estimate"] - value) / row["std_error"]
    return {"value": value, "t": float(t),
            "p_value": float(2 * stats.t.sf(abs(t), model.dof_resid_))}  # fmt: skip
