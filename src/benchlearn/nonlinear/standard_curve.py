"""Reading unknowns back through a bending standard curve (4PL/5PL, kinetics), LOD and LOQ.

An unknown sample's response ``y₀`` gives its concentration where the fitted curve equals
``y₀``. Its interval is where the curve's *prediction* band (the curve's own uncertainty plus
the scatter of ``m`` replicate readings of the unknown, ``s²/m``) contains ``y₀``: the
concentrations that could have produced the reading. Near a plateau the curve is flat, so a
small change in response means a large change in concentration; there the interval widens
without bound and the reading is flagged.

Limits, for a curve that rises (or falls) from a blank plateau:

- **LOD** (limit of detection): the concentration whose curve value equals the upper one-sided
  ``level`` prediction limit of a blank (the curve at zero concentration): the smallest
  amount that a single reading tells apart from a blank.
- **LLOQ / ULOQ** (limits of quantification): the lowest and highest concentrations between
  which the back-calculated concentration of one reading has a coefficient of variation of
  at most ``max_cv`` (20% by default): the precision profile's working range, never wider
  than the standards' range (the curve is not trusted beyond its standards).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import brentq

from benchlearn.errors import UsageError
from benchlearn.nonlinear.inference import t_quantile

# How far beyond the standards' range (a factor on concentration, or decades of log10 x) to
# search for a reading's concentration and its interval ends.
SEARCH_DECADES = 3.0
GRID_POINTS = 400


@dataclass(frozen=True)
class DetectionLimits:
    """Limits of a standard curve (see the module docstring). ``nan`` when not reached."""

    lod: float
    lloq: float
    uloq: float
    blank: float
    critical_response: float
    max_cv: float
    level: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {k: (v if not isinstance(v, float) or math.isfinite(v) else None)
                for k, v in self.__dict__.items()}  # fmt: skip


def inverse_predict(
    fit: Any,
    responses: Any,
    *,
    level: float = 0.95,
    replicates: int = 1,
    sample_weight: Any = None,
) -> pd.DataFrame:
    """Concentrations of unknowns from their responses, with intervals and flags.

    Parameters
    ----------
    fit
        A fitted ``NonlinearRegression`` with a built-in one-predictor model that is monotone
        in x (the sigmoids, Michaelis–Menten, exponential).
    responses
        The unknowns' responses (each the mean of ``replicates`` readings).
    level
        Confidence level of the intervals.
    replicates
        Readings averaged into each response.
    sample_weight
        For a weighted standard curve, the weight one reading of each unknown would have (its
        variance is ``s² / weight``); default 1.

    Returns
    -------
    DataFrame with columns response, estimate, lower, upper, flag (x in the model's units:
    log10 concentration for the ``-log`` models). ``flag`` is ``""`` for a
    reading inside the standards' range with a closed interval; otherwise it says why the
    number should not be reported as is (beyond a plateau, outside the standards' range, an
    interval that reaches a plateau).
    """
    curve = _curve(fit)
    responses = np.atleast_1d(np.asarray(responses, dtype=float))
    if replicates < 1:
        raise UsageError("replicates must be at least 1", fix="Count the readings averaged")
    weights = np.ones_like(responses) if sample_weight is None else np.asarray(sample_weight)
    weights = np.broadcast_to(np.asarray(weights, dtype=float), responses.shape)
    if np.any(weights <= 0):
        raise UsageError("sample_weight of an unknown must be > 0", fix="Give positive weights")
    t_grid = _search_grid(fit, curve)
    low_x, high_x = _standards_range(fit, curve)
    increasing = _direction(fit, curve) > 0
    open_low = -math.inf if curve.log_x else 0.0
    rows = []
    for y0, weight in zip(responses, weights, strict=True):
        at = _band_function(fit, curve, level, replicates * weight)
        estimate, upper_band, lower_band = _crossings(at, t_grid, y0, curve)
        # Rising curve: the upper band meets y0 at the interval's low end, the lower band at
        # its high end (mirrored for a falling curve). A band that never meets y0 leaves that
        # end open: the reading cannot be told apart from the plateau on that side.
        low, high = (upper_band, lower_band) if increasing else (lower_band, upper_band)
        lower = open_low if math.isnan(low) else low
        upper = math.inf if math.isnan(high) else high
        flag = _flag(estimate, lower, upper, low_x, high_x, curve)
        rows.append((y0, estimate, lower, upper, flag))
    return pd.DataFrame(rows, columns=["response", "estimate", "lower", "upper", "flag"])


def detection_limits(fit: Any, *, level: float = 0.95, max_cv: float = 0.2) -> DetectionLimits:
    """LOD, LLOQ and ULOQ of a fitted standard curve (see the module docstring).

    Parameters
    ----------
    fit
        A fitted ``NonlinearRegression`` with a built-in monotone model of concentration
        (``"4pl"``, ``"5pl"``, ``"inhibition"``, ``"michaelis-menten"``, ``"exponential"``;
        for the log10-x forms the limits are returned as concentrations too).
    level
        One-sided level of the blank's prediction limit for the LOD.
    max_cv
        Largest coefficient of variation of a back-calculated concentration inside the
        limits of quantification.

    Returns
    -------
    DetectionLimits
    """
    curve = _curve(fit)
    if not 0 < level < 1 or not max_cv > 0:
        raise UsageError("level must be in (0, 1) and max_cv > 0", fix="E.g. 0.95 and 0.2")
    low_x, high_x = _standards_range(fit, curve)
    blank_x = np.array([-1e300 if curve.log_x else 0.0])
    blank = float(curve.function(blank_x, *fit.coef_)[0])
    gradient = curve.jacobian(blank_x, *fit.coef_)[:, fit.free_index_]
    var_blank = float(gradient[0] @ fit.covariance_ @ gradient[0])
    direction = _direction(fit, curve)
    q = float(stats.t.ppf(level, fit.dof_resid_))
    critical = blank + direction * q * math.sqrt(fit.residual_std_**2 + var_blank)
    t_grid = _search_grid(fit, curve)
    mean = curve.function(_x_from_t(t_grid, curve), *fit.coef_)
    lod = _root(
        t_grid,
        mean - critical,
        lambda t: curve.function(_x_from_t(np.array([t]), curve), *fit.coef_)[0] - critical,
        curve,
    )
    lod = _concentration(lod, curve)

    # Precision profile over the standards' range: CV of one reading's back-calculated
    # concentration, SD(y) / |dy/dconc| / conc.
    def cv_at(t):
        x = _x_from_t(np.atleast_1d(np.asarray(t, dtype=float)), curve)
        g = curve.jacobian(x, *fit.coef_)[:, fit.free_index_]
        sd_y = np.sqrt(fit.residual_std_**2 + np.einsum("ij,jk,ik->i", g, fit.covariance_, g))
        slope = _slope(curve, fit.coef_, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return sd_y * _dconc_dx(x, curve) / np.abs(slope) / _concentration(x, curve)

    t_inside = np.linspace(_t(low_x, curve), _t(high_x, curve), GRID_POINTS)
    excess = cv_at(t_inside) - max_cv
    good = np.flatnonzero(excess <= 0)
    lloq = uloq = math.nan
    if good.size:
        first, last = int(good[0]), int(good[-1])
        t_low, t_high = t_inside[first], t_inside[last]
        if first > 0:
            t_low = brentq(lambda t: cv_at(t)[0] - max_cv, t_inside[first - 1], t_low)
        if last < t_inside.size - 1:
            t_high = brentq(lambda t: cv_at(t)[0] - max_cv, t_high, t_inside[last + 1])
        lloq = float(_concentration(_x_from_t(np.array([t_low]), curve), curve)[0])
        uloq = float(_concentration(_x_from_t(np.array([t_high]), curve), curve)[0])
        # the standards' own range ends exactly where they are, not at a rounded power of ten
        if first == 0:
            lloq = float(_concentration(np.array([low_x]), curve)[0])
        if last == t_inside.size - 1:
            uloq = float(_concentration(np.array([high_x]), curve)[0])
    return DetectionLimits(
        lod=float(lod),
        lloq=lloq,
        uloq=uloq,
        blank=blank,
        critical_response=float(critical),
        max_cv=max_cv,
        level=level,
    )


# ---------------------------------------------------------------- helpers
def _curve(fit: Any):
    from benchlearn.nonlinear.models import get_model

    if not isinstance(fit.model, str):
        raise UsageError(
            "reading unknowns back needs a built-in curve",
            fix="Fit with model='4pl', '5pl', 'inhibition', 'michaelis-menten', ...",
        )
    curve = get_model(fit.model)
    return curve


def _t(x: float, curve) -> float:
    """The search coordinate: log10 concentration (or x itself in the log-x models)."""
    return x if curve.log_x else math.log10(x)


def _x_from_t(t: np.ndarray, curve) -> np.ndarray:
    return t if curve.log_x else 10.0**t


def _concentration(x, curve):
    return 10.0**x if curve.log_x else x


def _dconc_dx(x, curve):
    return math.log(10.0) * 10.0**x if curve.log_x else np.ones_like(x)


def _standards_range(fit: Any, curve) -> tuple[float, float]:
    x = fit._training[0]
    usable = x if curve.log_x else x[x > 0]
    return float(np.min(usable)), float(np.max(usable))


def _band_function(fit, curve, level, replicates):
    """``at(t) -> (mean, half-width)`` of the prediction band for the mean of ``replicates``
    readings (times their weight, for a weighted fit), at search coordinates ``t``."""
    q = t_quantile(level, fit.dof_resid_)
    noise = fit.residual_std_**2 / replicates

    def at(t):
        x = _x_from_t(np.atleast_1d(np.asarray(t, dtype=float)), curve)
        mean = curve.function(x, *fit.coef_)
        g = curve.jacobian(x, *fit.coef_)[:, fit.free_index_]
        variance = np.einsum("ij,jk,ik->i", g, fit.covariance_, g) + noise
        return mean, q * np.sqrt(variance)

    return at


def _crossings(at, t_grid, y0: float, curve) -> tuple[float, float, float]:
    """Where the curve, the upper and the lower band equal ``y0`` (NaN where they never do)."""
    mean, half = at(t_grid)

    def curve_minus(t):
        return at(t)[0][0] - y0

    def upper_minus(t):
        m, h = at(t)
        return m[0] + h[0] - y0

    def lower_minus(t):
        m, h = at(t)
        return m[0] - h[0] - y0

    return (
        _root(t_grid, mean - y0, curve_minus, curve),
        _root(t_grid, mean + half - y0, upper_minus, curve),
        _root(t_grid, mean - half - y0, lower_minus, curve),
    )


def _search_grid(fit, curve) -> np.ndarray:
    low_x, high_x = _standards_range(fit, curve)
    return np.linspace(
        _t(low_x, curve) - SEARCH_DECADES, _t(high_x, curve) + SEARCH_DECADES, GRID_POINTS
    )


def _root(t_grid, values, scalar, curve) -> float:
    """x where ``scalar(t)`` first changes sign along the grid (``values`` = scalar on the grid),
    refined by Brent's method; NaN when it never does."""
    sign = np.sign(values)
    change = np.flatnonzero(sign[1:] * sign[:-1] <= 0)
    if change.size == 0:
        return math.nan
    i = int(change[0])
    if values[i] == 0:
        t = t_grid[i]
    elif values[i + 1] == 0:
        t = t_grid[i + 1]
    else:
        t = brentq(scalar, t_grid[i], t_grid[i + 1], xtol=1e-13, rtol=1e-14)
    return float(_x_from_t(np.array([t]), curve)[0])


def _direction(fit, curve) -> float:
    low_x, high_x = _standards_range(fit, curve)
    ends = curve.function(np.array([low_x, high_x]), *fit.coef_)
    return 1.0 if ends[1] >= ends[0] else -1.0


def _flag(estimate, lower, upper, low_x, high_x, curve) -> str:
    if math.isnan(estimate):
        return "response beyond the curve's plateau: no concentration gives it"
    if not (math.isfinite(lower) and math.isfinite(upper)) or (not curve.log_x and lower <= 0):
        return "near a plateau: the interval is open, report as below/above the working range"
    if estimate < low_x:
        return "below the lowest standard (extrapolated)"
    if estimate > high_x:
        return "above the highest standard (extrapolated)"
    return ""


def _slope(curve, params, x) -> np.ndarray:
    """d f / d x of the curve by central differences (a relative step of 1e-6 keeps about
    six digits, plenty for a coefficient of variation)."""
    h = 1e-6 * np.maximum(np.abs(x), 1e-12)
    with np.errstate(all="ignore"):
        up, down = curve.function(x + h, *params), curve.function(x - h, *params)
    return (up - down) / (2 * h)
