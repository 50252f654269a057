"""The built-in curves: their formulas, analytic derivatives and automatic starting values.

Every model is ``y = f(x; θ)`` with parameters named as a lab names them. The derivative of
``f`` with respect to each parameter (the Jacobian) is written out, so the fit needs no finite
differences and its standard errors keep every digit. Parameters that must be positive
(concentrations such as EC50 and Km, rate constants, the 5PL asymmetry) are flagged: the
optimiser works on their logarithm so that it can never step to a negative concentration.

Starting values come from the data (a scientist never types one): asymptotes from the lowest
and highest responses, the midpoint from where the data cross half-way, the slope from a
straight-line fit to the linearised curve.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

LN10 = math.log(10.0)
LN2 = math.log(2.0)


def _log(value: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(value)


@dataclass(frozen=True)
class CurveModel:
    """One built-in curve.

    Attributes
    ----------
    name
        The name it is chosen by (``NonlinearRegression(model=name)``).
    formula
        The formula in words a scientist reads.
    param_names
        Parameter names, in order.
    function
        ``function(x, *params)`` -> mean response.
    jacobian
        ``jacobian(x, *params)`` -> (n, p) matrix of derivatives of the mean response.
    starts
        ``starts(x, y)`` -> list of starting vectors, the most plausible first.
    positive
        Names of the parameters that must be positive.
    log_x
        True when ``x`` is a log10 concentration.
    """

    name: str
    formula: str
    param_names: tuple[str, ...]
    function: Callable[..., np.ndarray]
    jacobian: Callable[..., np.ndarray]
    starts: Callable[[np.ndarray, np.ndarray], list[np.ndarray]]
    positive: tuple[str, ...] = ()
    log_x: bool = False
    aliases: tuple[str, ...] = field(default=())
    symmetric: bool = False

    def canonical(self, params: np.ndarray) -> np.ndarray:
        """The same curve with bottom below top (a 4PL with bottom > top is the mirror image of
        one with them swapped and the Hill slope negated)."""
        params = np.array(params, dtype=float)
        if self.symmetric and params[0] > params[1]:
            params[0], params[1] = params[1], params[0]
            params[3] = -params[3]
        return params


# ---------------------------------------------------------------- logistic curves
def _log_ratio(x: np.ndarray, centre: float, log_x: bool) -> np.ndarray:
    """ln(centre / x) for a concentration, or ln(10)·(centre - x) for a log10 concentration."""
    if log_x:
        return LN10 * (centre - x)
    # NumPy's log (not math.log): a centre the optimiser drives to 0 gives -inf, which the fit
    # treats as a bad step, instead of an exception.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(centre) - np.log(x)


def _logistic(log_x: bool) -> tuple[Callable, Callable]:
    """4PL: ``bottom + (top - bottom) / (1 + (EC50/x)^hill)`` (or its log10-x form)."""

    def f(x, bottom, top, centre, hill):
        z = hill * _log_ratio(x, centre, log_x)
        return bottom + (top - bottom) * expit(-z)

    def jac(x, bottom, top, centre, hill):
        log_ratio = _log_ratio(x, centre, log_x)
        s = expit(-hill * log_ratio)
        slope = s * (1.0 - s)
        with np.errstate(invalid="ignore"):
            d_hill = -(top - bottom) * slope * log_ratio
        d_hill = np.where(np.isfinite(log_ratio), d_hill, 0.0)
        d_centre = -(top - bottom) * slope * hill * (LN10 if log_x else 1.0 / centre)
        return np.column_stack([1.0 - s, s, d_centre, d_hill])

    return f, jac


def _five_parameter(log_x: bool) -> tuple[Callable, Callable]:
    """5PL with EC50 the half-way concentration.

    ``y = bottom + (top - bottom) / (1 + k·w)^asymmetry`` with ``w = (EC50/x)^hill`` and
    ``k = 2^(1/asymmetry) - 1``, so that ``y`` is half-way between the asymptotes at
    ``x = EC50`` whatever the asymmetry (asymmetry 1 is the 4PL).
    """

    def parts(x, centre, hill, asym):
        with np.errstate(over="ignore"):
            k = np.float64(2.0) ** (1.0 / asym) - 1.0
        z = hill * _log_ratio(x, centre, log_x)
        log_d = np.logaddexp(0.0, _log(k) + z)  # ln(1 + k·w), safe when w overflows
        return k, z, log_d

    def f(x, bottom, top, centre, hill, asym):
        _, _, log_d = parts(x, centre, hill, asym)
        return bottom + (top - bottom) * np.exp(-asym * log_d)

    def jac(x, bottom, top, centre, hill, asym):
        k, z, log_d = parts(x, centre, hill, asym)
        g = np.exp(-asym * log_d)
        q = expit(_log(k) + z)  # k·w / (1 + k·w)
        dg_dz = -asym * g * q
        log_ratio = _log_ratio(x, centre, log_x)
        with np.errstate(invalid="ignore"):
            d_hill = (top - bottom) * dg_dz * log_ratio
        d_hill = np.where(np.isfinite(log_ratio), d_hill, 0.0)
        d_centre = (top - bottom) * dg_dz * hill * (LN10 if log_x else 1.0 / centre)
        with np.errstate(all="ignore"):
            dk_over_k = -(np.float64(2.0) ** (1.0 / asym)) * LN2 / (asym * asym * k)
        with np.errstate(invalid="ignore"):
            d_asym = (top - bottom) * g * (-log_d - asym * dk_over_k * q)
        d_asym = np.where(g > 0, d_asym, 0.0)  # at x = 0 the curve sits on its plateau
        return np.column_stack([1.0 - g, g, d_centre, d_hill, d_asym])

    return f, jac


def _inhibition() -> tuple[Callable, Callable]:
    """``bottom + (top - bottom) / (1 + (x/IC50)^hill)``: falls from top to bottom for hill > 0."""
    f4, jac4 = _logistic(log_x=False)

    def f(x, bottom, top, ic50, hill):
        return f4(x, bottom, top, ic50, -hill)

    def jac(x, bottom, top, ic50, hill):
        J = jac4(x, bottom, top, ic50, -hill)
        J[:, 3] = -J[:, 3]
        return J

    return f, jac


def _sigmoid_starts(log_x: bool, hill_sign: float = 1.0, five: bool = False):
    """Starting values for the logistic family from the data."""

    def starts(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        t = x if log_x else _safe_log10(x)
        keep = np.isfinite(t)
        t_fit, y_fit = t[keep], y[keep]
        if t_fit.size < 2 or np.ptp(t_fit) == 0:
            t_fit, y_fit = t, y
        levels, means = _level_means(t_fit, y_fit)
        low, high = means[0], means[-1]
        span = np.ptp(y)
        pad = 0.05 * span if span > 0 else 1.0
        lo_y, hi_y = np.min(y), np.max(y)
        if high >= low:  # rising with x
            first, last = lo_y - pad, hi_y + pad
        else:
            first, last = hi_y + pad, lo_y - pad
        mid_t = _crossing(levels, means, 0.5 * (first + last))
        slope = _logit_slope(t_fit, y_fit, first, last, mid_t)
        # bottom is the lower plateau and top the upper one; the sign of hill carries the
        # direction (EC50 form: hill > 0 rises with x; IC50 form: hill > 0 falls with x).
        rising = last >= first
        bottom, top = min(first, last), max(first, last)
        hill = abs(slope) * (1.0 if rising else -1.0) * hill_sign
        spread = np.ptp(levels) if levels.size > 1 else 1.0
        candidates = []
        for shift in (0.0, -0.25, 0.25):
            for factor in (1.0, 0.4, 2.5):
                c_t = mid_t + shift * spread
                c = c_t if log_x else 10.0**c_t
                vector = [bottom, top, c, hill * factor]
                if five:
                    vector.append(1.0)
                candidates.append(np.array(vector, dtype=float))
        return candidates

    return starts


def _safe_log10(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, np.log10(np.where(x > 0, x, 1.0)), np.nan)


def _level_means(t: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    levels, inverse = np.unique(t, return_inverse=True)
    means = np.bincount(inverse, weights=y) / np.bincount(inverse)
    return levels, means


def _crossing(levels: np.ndarray, means: np.ndarray, target: float) -> float:
    """Where the level means first cross ``target`` (linear interpolation), else the middle."""
    above = means >= target
    change = np.flatnonzero(above[1:] != above[:-1])
    if change.size == 0:
        return float(np.median(levels))
    i = int(change[0])
    y0, y1 = means[i], means[i + 1]
    frac = 0.5 if y1 == y0 else (target - y0) / (y1 - y0)
    return float(levels[i] + frac * (levels[i + 1] - levels[i]))


def _logit_slope(t, y, first, last, mid_t) -> float:
    """Hill slope from a straight line through logit((y - first)/(last - first)) against t."""
    if last == first:
        return 1.0
    fraction = (y - first) / (last - first)
    inside = (fraction > 0.02) & (fraction < 0.98)
    if np.sum(inside) >= 2 and np.ptp(t[inside]) > 0:
        logit = np.log(fraction[inside] / (1.0 - fraction[inside]))
        slope = np.polyfit(t[inside], logit, 1)[0] / LN10
        if np.isfinite(slope) and slope != 0:
            return float(np.clip(abs(slope), 0.05, 20.0))
    return 1.0


# ---------------------------------------------------------------- enzyme kinetics
def _michaelis_menten(x, vmax, km):
    return vmax * x / (km + x)


def _michaelis_menten_jacobian(x, vmax, km):
    denominator = km + x
    return np.column_stack([x / denominator, -vmax * x / denominator**2])


def _michaelis_menten_starts(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Vmax and Km from the Hanes–Woolf line (x/y against x), checked for sense."""
    top = float(np.max(y)) if np.max(y) > 0 else 1.0
    usable = (x > 0) & (y > 0)
    vmax, km = 1.1 * top, float(np.median(x[x > 0])) if np.any(x > 0) else 1.0
    if np.sum(usable) >= 2 and np.ptp(x[usable]) > 0:
        slope, intercept = np.polyfit(x[usable], x[usable] / y[usable], 1)
        if slope > 0 and intercept > 0:
            vmax, km = 1.0 / slope, intercept / slope
    return [np.array([vmax, km]), np.array([1.1 * top, km * 0.3]), np.array([1.5 * top, km * 3])]


# ---------------------------------------------------------------- exponential
def _exponential(x, y0, plateau, k):
    return plateau + (y0 - plateau) * np.exp(-k * x)


def _exponential_jacobian(x, y0, plateau, k):
    e = np.exp(-k * x)
    return np.column_stack([e, 1.0 - e, -(y0 - plateau) * x * e])


def _exponential_starts(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """y0 from the earliest responses, plateau beyond the latest, k from a log-linear fit."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    levels, means = _level_means(xs, ys)
    y0 = float(means[0])
    span = float(np.ptp(y)) or 1.0
    direction = 1.0 if means[-1] >= means[0] else -1.0
    plateau = float(means[-1]) + direction * 0.05 * span
    width = float(np.ptp(levels)) or 1.0
    k = 3.0 / width
    gap = plateau - means
    usable = direction * gap > 0
    if np.sum(usable) >= 2:
        slope = np.polyfit(levels[usable], np.log(np.abs(gap[usable])), 1)[0]
        if np.isfinite(slope) and slope < 0:
            k = -float(slope)
    return [np.array([y0, plateau, k * f]) for f in (1.0, 0.3, 3.0, 10.0)]


# ---------------------------------------------------------------- the registry
def _build() -> dict[str, CurveModel]:
    f4, j4 = _logistic(log_x=False)
    f4l, j4l = _logistic(log_x=True)
    f5, j5 = _five_parameter(log_x=False)
    f5l, j5l = _five_parameter(log_x=True)
    fi, ji = _inhibition()
    models = [
        CurveModel(
            "4pl",
            "bottom + (top - bottom) / (1 + (EC50 / x)^hill)",
            ("bottom", "top", "EC50", "hill"),
            f4,
            j4,
            _sigmoid_starts(log_x=False),
            positive=("EC50",),
            aliases=("dose-response", "log-logistic", "ec50"),
            symmetric=True,
        ),
        CurveModel(
            "4pl-log",
            "bottom + (top - bottom) / (1 + 10^((logEC50 - x) * hill)), x = log10 concentration",
            ("bottom", "top", "logEC50", "hill"),
            f4l,
            j4l,
            _sigmoid_starts(log_x=True),
            log_x=True,
            symmetric=True,
        ),
        CurveModel(
            "5pl",
            "bottom + (top - bottom) / (1 + (2^(1/asymmetry) - 1) (EC50 / x)^hill)^asymmetry",
            ("bottom", "top", "EC50", "hill", "asymmetry"),
            f5,
            j5,
            _sigmoid_starts(log_x=False, five=True),
            positive=("EC50", "asymmetry"),
        ),
        CurveModel(
            "5pl-log",
            "bottom + (top - bottom) / (1 + (2^(1/asymmetry) - 1) 10^((logEC50 - x) hill))"
            "^asymmetry, x = log10 concentration",
            ("bottom", "top", "logEC50", "hill", "asymmetry"),
            f5l,
            j5l,
            _sigmoid_starts(log_x=True, five=True),
            positive=("asymmetry",),
            log_x=True,
        ),
        CurveModel(
            "inhibition",
            "bottom + (top - bottom) / (1 + (x / IC50)^hill)",
            ("bottom", "top", "IC50", "hill"),
            fi,
            ji,
            _sigmoid_starts(log_x=False, hill_sign=-1.0),
            positive=("IC50",),
            aliases=("ic50",),
            symmetric=True,
        ),
        CurveModel(
            "michaelis-menten",
            "Vmax x / (Km + x)",
            ("Vmax", "Km"),
            _michaelis_menten,
            _michaelis_menten_jacobian,
            _michaelis_menten_starts,
            positive=("Km",),
            aliases=("mm", "enzyme-kinetics"),
        ),
        CurveModel(
            "exponential",
            "plateau + (y0 - plateau) exp(-k x)",
            ("y0", "plateau", "k"),
            _exponential,
            _exponential_jacobian,
            _exponential_starts,
            positive=("k",),
            aliases=("exponential-rise", "exponential-decay", "one-phase"),
        ),
    ]
    registry = {}
    for model in models:
        registry[model.name] = model
        for alias in model.aliases:
            registry[alias] = model
    return registry


MODELS: dict[str, CurveModel] = _build()


def model_names() -> list[str]:
    """The names of the built-in models (without aliases)."""
    return sorted({m.name for m in MODELS.values()})


def get_model(name: str) -> CurveModel:
    """The built-in model called ``name`` (or one of its aliases), case-insensitive."""
    from benchlearn.errors import UsageError

    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in MODELS:
        import difflib

        close = difflib.get_close_matches(key, list(MODELS), n=1)
        raise UsageError(
            f"there is no built-in curve named {name!r}"
            + (f" (did you mean {close[0]!r}?)" if close else ""),
            fix=f"Use one of {', '.join(model_names())}, or pass a function f(x, *params)",
        )
    return MODELS[key]
