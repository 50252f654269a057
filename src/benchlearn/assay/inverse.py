"""Reading a concentration off a calibration line, by the conventions labs report it with.

For a signal ``y0`` (the mean of ``m`` readings) the estimate is ``x0 = (y0 - a)/b``. Its
uncertainty is reported three ways, each selectable by name (:data:`INTERVAL_METHODS`):

``"symmetric"``
    ISO 8466-1 and the common textbook formula (Miller & Miller, *Statistics and Chemometrics
    for Analytical Chemistry*, eq. 5.9): the standard error of ``x0``,
    ``s_x0 = (s_y/x / b)·sqrt(1/m + 1/n + (y0 - ȳ)²/(b²·Sxx))``, and ``x0 ± t·s_x0``. It
    is the first-order (delta-method) approximation of Fieller's interval.
``"fieller"``
    The exact interval: every x whose prediction interval holds ``y0`` (Fieller 1954; Draper
    & Smith §3.2). Not symmetric, and unbounded when the slope is not clearly non-zero.
``"multiple-use"``
    An interval that holds for any number of future readings from the same calibration:
    with confidence ``level``, at least a fraction ``coverage`` of all the intervals computed
    from this line contain their true concentration. It inverts the simultaneous tolerance
    band of Lieberman, Miller & Hamilton (1967, *Biometrika* 54:133-145) as Scheffé (1973,
    *Ann. Statist.* 1:1-37) proposed: half-width
    ``s·(sqrt(p·F(1 - α/2; p, ν))·sqrt(d C dᵀ) + z((1 + P)/2)·sqrt(ν/χ²(α/2; ν))/sqrt(m))``.

Weighted fits: a reading's variance is ``σ²/w0``; pass its weight ``w0`` (or a rule that gives
it). Without it, ``w0 = 1`` is assumed and a :class:`WeightWarning` says so.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from benchlearn.assay.line import StraightLine, straight_line
from benchlearn.assay.quantity import Quantity, QuantityTable
from benchlearn.errors import UsageError, WeightWarning

INTERVAL_METHODS: dict[str, dict[str, str]] = {
    "symmetric": {
        "convention": "ISO 8466-1 / Miller & Miller eq. 5.9 (symmetric, x0 ± t·s_x0)",
        "formula": "x0 ± t(1-α/2; n-2)·s_x0, "
        "s_x0 = (s_y/x / b)·sqrt(1/m + 1/n + (y0 - ȳ)²/(b²·Σ(xi - x̄)²))",
    },
    "fieller": {
        "convention": "Fieller (exact inverse of the prediction interval)",
        "formula": "{x : (y0 - a - b·x)² ≤ t²·s²·(1/m + 1/n + (x - x̄)²/Σ(xi - x̄)²)}",
    },
    "multiple-use": {
        "convention": "multiple-use calibration interval (Lieberman-Miller-Hamilton 1967 "
        "band inverted, Scheffé 1973)",
        "formula": "{x : |y0 - a - b·x| ≤ s·(sqrt(p·F(1-α/2; p, ν))·sqrt(1/n + (x - x̄)²/Sxx)"
        " + z((1+P)/2)·sqrt(ν/χ²(α/2; ν))/sqrt(m))}",
    },
}
DEFAULT_INTERVAL = "fieller"
__all__ = ["WeightWarning"]  # re-exported: the warning of unweighted readings


@dataclass(frozen=True)
class InversePrediction:
    """A concentration read off the calibration line, with its uncertainty.

    Attributes
    ----------
    signal, n_replicates
        The measured signal (mean of ``n_replicates`` readings).
    estimate
        ``x0`` with its interval, labelled by the interval's convention.
    std_error
        ``s_x0`` (ISO 8466-1), the standard error of ``x0`` in every convention.
    reading_weight
        The weight ``w0`` a single reading was given.
    weight_source
        Where ``w0`` came from ("given", "rule 1/x2 at x0", "assumed 1: unweighted fit", ...).
    """

    signal: float
    n_replicates: int
    estimate: Quantity
    std_error: Quantity
    reading_weight: float
    weight_source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "signal": self.signal,
            "n_replicates": self.n_replicates,
            "estimate": self.estimate.to_dict(),
            "std_error": self.std_error.to_dict(),
            "reading_weight": self.reading_weight,
            "weight_source": self.weight_source,
        }


def calibration_statistics(
    model: Any, *, level: float = 0.95, weighted: bool | None = None
) -> QuantityTable:
    """The numbers a calibration is validated by, each with its convention and formula.

    Slope and intercept with t-intervals, the residual SD ``s_y/x``, R² and the correlation
    coefficient r beside it, and the method standard deviation ``s_x0 = s_y/x / b`` with its
    relative form ``V_x0 = s_x0 / x̄`` (DIN 38402-51, ISO 8466-1).

    Parameters
    ----------
    model
        A fitted straight line (``LinearRegression`` with one predictor).
    level
        Confidence level of the intervals.
    weighted
        Whether the fit used weights. Default: judged from whether the weights sum to ``n``;
        weights normalised to mean 1 look unweighted, so declare them with ``True``.

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import LinearRegression
    >>> x = np.array([0.0, 2, 4, 6, 8, 10, 12])
    >>> y = np.array([2.1, 5.0, 9.0, 12.6, 17.3, 21.0, 24.7])
    >>> table = calibration_statistics(LinearRegression().fit(x.reshape(-1, 1), y))
    >>> round(table["r"].value, 4), round(table["method_sd"].value, 3)
    (0.9989, 0.224)
    """
    _check_level(level)
    line = straight_line(model, weighted)
    t = stats.t.ppf(0.5 + level / 2, line.df)
    t_label = f"t-interval, {line.df} df"
    se_b = line.s * np.sqrt(line.C[-1, -1])
    rows = {
        "slope": Quantity("slope b", line.b, "least squares",
                          "b = Σw(x - x̄)(y - ȳ) / Σw(x - x̄)²", line.b - t * se_b,
                          line.b + t * se_b, level, t_label, float(se_b)),
    }  # fmt: skip
    if line.fit_intercept:
        se_a = line.s * np.sqrt(line.C[0, 0])
        rows["intercept"] = Quantity("intercept a", line.a, "least squares", "a = ȳ - b·x̄",
                                     line.a - t * se_a, line.a + t * se_a, level, t_label,
                                     float(se_a))  # fmt: skip
    rows["residual_sd"] = Quantity(
        "residual SD s_y/x", line.s, "residual standard deviation",
        f"s_y/x = sqrt(Σw(y - ŷ)² / (n - {line.n - line.df}))")  # fmt: skip
    r2 = float(model.r2_)
    rows["r2"] = Quantity(
        "R²",
        r2,
        "coefficient of determination",
        "R² = 1 - Σw(y - ŷ)²/Σw(y - ȳ)²"
        if line.fit_intercept
        else "R² = 1 - Σw(y - ŷ)²/Σw·y² (uncentred, through the origin)",
    )
    if line.fit_intercept:
        rows["r"] = Quantity("r", float(np.sign(line.b) * np.sqrt(max(r2, 0.0))),
                             "Pearson correlation coefficient",
                             "r = Σw(x - x̄)(y - ȳ) / sqrt(Σw(x - x̄)²·Σw(y - ȳ)²) = "
                             "sign(b)·sqrt(R²)",
                             note="r near 1 does not show linearity; check the residuals "
                             "and the lack-of-fit test")  # fmt: skip
    method_sd = line.s / abs(line.b)
    rows["method_sd"] = Quantity("method SD s_x0", method_sd,
                                 "method standard deviation (DIN 38402-51, ISO 8466-1)",
                                 "s_x0 = s_y/x / b")  # fmt: skip
    if line.fit_intercept and line.x_mean != 0:
        rows["relative_method_sd"] = Quantity(
            "relative method SD V_x0", method_sd / abs(line.x_mean),
            "relative method standard deviation (DIN 38402-51, ISO 8466-1)",
            "V_x0 = s_x0 / x̄ (× 100 for percent)")  # fmt: skip
    notes = ()
    if line.weighted:
        notes = ("weighted fit: s_y/x and s_x0 describe a reading of weight 1",)
    return QuantityTable("calibration line", rows, notes)


def inverse_prediction(
    model: Any,
    signal: float,
    *,
    n_replicates: int = 1,
    level: float = 0.95,
    interval: str = DEFAULT_INTERVAL,
    reading_weight: float | Callable[[float], float] | None = None,
    weight_rule: str | None = None,
    coverage: float = 0.95,
    weighted: bool | None = None,
) -> InversePrediction:
    """The concentration that gives ``signal``, with its interval by the named convention.

    Parameters
    ----------
    model
        A fitted straight line (``LinearRegression`` with one predictor).
    signal
        The mean of ``n_replicates`` readings of the unknown.
    n_replicates
        ``m``, readings averaged into ``signal``.
    level
        Confidence level.
    interval
        ``"fieller"`` (default), ``"symmetric"`` or ``"multiple-use"`` (see the module).
    reading_weight
        Weighted fits: the weight ``w0`` of one reading of the unknown (its variance is
        ``σ²/w0``), or a function of the estimated concentration ``x0`` that returns it.
    weight_rule
        Weighted fits: ``"1/x"``, ``"1/x2"``, ``"1/y"`` or ``"1/y2"``, evaluated at ``x0``
        (or at the signal), instead of ``reading_weight``.
    coverage
        ``"multiple-use"`` only: the fraction ``P`` of future intervals that must hold their
        true concentration.
    weighted
        Whether the fit used weights. Default: judged from whether the weights sum to ``n``;
        weights normalised to mean 1 look unweighted, so declare them with ``True``.

    Returns
    -------
    InversePrediction

    Examples
    --------
    Miller & Miller's fluorescence standards (Example 5.6.1): a signal of 13.5 reads as
    6.21 pg/ml with s_x0 = 0.24.

    >>> import numpy as np
    >>> from benchlearn import LinearRegression
    >>> x = np.array([0.0, 2, 4, 6, 8, 10, 12])
    >>> y = np.array([2.1, 5.0, 9.0, 12.6, 17.3, 21.0, 24.7])
    >>> model = LinearRegression().fit(x.reshape(-1, 1), y)
    >>> result = inverse_prediction(model, 13.5, interval="symmetric")
    >>> round(result.estimate.value, 2), round(result.std_error.value, 2)
    (6.21, 0.24)
    """
    _check_level(level)
    if interval not in INTERVAL_METHODS:
        raise UsageError(
            f"interval={interval!r} is not one of {', '.join(INTERVAL_METHODS)}",
            fix="Use 'fieller' (exact), 'symmetric' (ISO 8466-1, x0 ± t·s_x0) or "
            "'multiple-use' (for many future readings)",
        )
    if not (isinstance(n_replicates, (int, np.integer)) and n_replicates >= 1):
        raise UsageError(f"n_replicates={n_replicates!r} must be a whole number ≥ 1")
    line = straight_line(model, weighted)
    if line.b == 0:
        raise UsageError("the calibration slope is 0: no concentration can be read off it")
    x0 = (signal - line.a) / line.b
    w0, source = reading_weight_for(line, x0, signal, reading_weight, weight_rule)
    m_eff = n_replicates * w0
    se = x0_standard_error(line, x0, m_eff)
    spec = INTERVAL_METHODS[interval]
    t = stats.t.ppf(0.5 + level / 2, line.df)
    note = ""
    if interval == "symmetric":
        lower, upper = x0 - t * se, x0 + t * se
        interval_label = f"x0 ± t·s_x0, t on {line.df} df"
    elif interval == "fieller":
        lower, upper = fieller_limits(line, signal, m_eff, t)
        interval_label = f"Fieller, t on {line.df} df"
    else:
        if not 0 < coverage < 1:
            raise UsageError(f"coverage={coverage!r} must be between 0 and 1",
                             fix="For 95% of future readings use coverage=0.95")  # fmt: skip
        lower, upper = multiple_use_limits(line, signal, x0, m_eff, level, coverage)
        interval_label = (f"simultaneous: {100 * coverage:g}% of future readings, "
                          f"{100 * level:g}% confidence")  # fmt: skip
    if not (np.isfinite(lower) and np.isfinite(upper)):
        note = "the slope is not clearly non-zero at this level: the interval is unbounded"
    estimate = Quantity("x0", float(x0), spec["convention"], spec["formula"], float(lower),
                        float(upper), level, interval_label, float(se), note)  # fmt: skip
    std_error = Quantity(
        "s_x0", float(se), "ISO 8466-1 / Miller & Miller eq. 5.9 (standard error of x0)",
        "s_x0 = (s_y/x / b)·sqrt(1/(m·w0) + 1/Σw + (y0 - ȳ)²/(b²·Σw(xi - x̄)²))",
        note=f"w0 = {w0:g} ({source})")  # fmt: skip
    return InversePrediction(float(signal), int(n_replicates), estimate, std_error, float(w0),
                             source)  # fmt: skip


def inverse_predictions(model: Any, signals: Any, **options: Any) -> pd.DataFrame:
    """:func:`inverse_prediction` for several signals, one row each (with convention columns)."""
    rows = []
    for y0 in np.atleast_1d(np.asarray(signals, dtype=float)):
        result = inverse_prediction(model, float(y0), **options)
        e = result.estimate
        rows.append({"signal": result.signal, "estimate": e.value, "lower": e.lower,
                     "upper": e.upper, "s_x0": result.std_error.value,
                     "reading_weight": result.reading_weight,
                     "weight_source": result.weight_source, "convention": e.convention,
                     "formula": e.formula, "note": e.note})  # fmt: skip
    return pd.DataFrame(rows)


def reading_weight_for(
    line: StraightLine,
    x0: float,
    y0: float,
    reading_weight: float | Callable[[float], float] | None,
    weight_rule: str | None,
) -> tuple[float, str]:
    """The weight of a new reading and a phrase saying where it came from.

    Warns (:class:`WeightWarning`) when the fit is weighted and neither is given.
    """
    if reading_weight is not None and weight_rule is not None:
        raise UsageError("give reading_weight or weight_rule, not both")
    if weight_rule is not None:
        return weight_from_rule(weight_rule, x0, y0), f"rule {weight_rule} at x = {x0:.6g}"
    if callable(reading_weight):
        w0 = float(reading_weight(x0))
        source = f"weight function at x = {x0:.6g}"
    elif reading_weight is not None:
        w0, source = float(reading_weight), "given"
    elif line.weighted:
        warnings.warn(
            "The calibration is weighted but the new reading's weight was not given, so "
            "weight 1 is assumed; the interval is right only if the reading has the "
            "variance of a weight-1 standard. Pass reading_weight= or weight_rule= "
            "(e.g. '1/x2').",
            WeightWarning,
            stacklevel=3,
        )
        w0, source = 1.0, "assumed 1: weighted fit but no weight given"
    else:
        w0, source = 1.0, "1: unweighted fit"
    if not (np.isfinite(w0) and w0 > 0):
        raise UsageError(f"the new reading's weight is {w0:g}; it must be a positive number",
                         fix="Check the weight (or the rule at this concentration)")  # fmt: skip
    return w0, source


def weight_from_rule(rule: str, x0: float, y0: float) -> float:
    """The weight a reading gets under a named rule: "1/x", "1/x2", "1/y" or "1/y2"."""
    rules = {"1/x": (x0, 1), "1/x2": (x0, 2), "1/y": (y0, 1), "1/y2": (y0, 2)}
    if rule not in rules:
        raise UsageError(f"weight_rule={rule!r} is not one of {', '.join(rules)}",
                         fix="For a constant coefficient of variation use '1/x2'")  # fmt: skip
    from benchlearn.linear.weighting import weight_at

    value, power = rules[rule]
    if value == 0 or (power == 1 and value < 0):
        raise UsageError(f"rule {rule} gives no usable weight at {value:g}",
                         fix="Give reading_weight= directly")  # fmt: skip
    return float(weight_at(rule, x0, y0, None, None))


def x0_standard_error(line: StraightLine, x0: float, m_eff: float) -> float:
    """``s_x0 = (s/|b|)·sqrt(1/(m·w0) + 1/Σw + (x0 - x̄)²/Sxx)`` (ISO 8466-1, Miller eq. 5.9).

    ``m_eff`` is ``m·w0``: the readings averaged times the weight of one reading.
    """
    return float(line.s / abs(line.b) * np.sqrt(1 / m_eff + line.leverage(x0)))


def fieller_limits(line: StraightLine, y0: float, m_eff: float, t: float) -> tuple[float, float]:
    """Fieller's interval: every x whose interval ``±t·s·sqrt(1/m_eff + d C dᵀ)`` holds ``y0``.

    ``t`` is the multiplier (the t quantile, or the Working-Hotelling one for extrapolation).
    Unbounded (``-inf, inf``) when the slope is not clearly non-zero at this multiplier.
    """
    # (y0 - a - b x)² = t² s² (1/m + d C dᵀ): a quadratic A2 x² + A1 x + A0 = 0.
    k = (t * line.s) ** 2
    C = line.C
    c00, c01, c11 = (C[0, 0], C[0, 1], C[1, 1]) if line.fit_intercept else (0.0, 0.0, C[0, 0])
    A2 = line.b**2 - k * c11
    A1 = -2 * line.b * (y0 - line.a) - 2 * k * c01
    A0 = (y0 - line.a) ** 2 - k * (1 / m_eff + c00)
    if A2 <= 0:
        return -np.inf, np.inf
    root = np.sqrt(max(A1 * A1 - 4 * A2 * A0, 0.0))
    return float((-A1 - root) / (2 * A2)), float((-A1 + root) / (2 * A2))


def multiple_use_factors(line: StraightLine, level: float, coverage: float) -> tuple[float, float]:
    """The two multipliers of the Lieberman-Miller-Hamilton band (line part, scatter part).

    The confidence ``level`` is split in two halves (Bonferroni): ``1 - α/2`` for the line
    (Working-Hotelling, ``sqrt(p·F(1 - α/2; p, ν))``) and ``1 - α/2`` for an upper bound on σ
    (``sqrt(ν/χ²(α/2; ν))``), times the normal quantile ``z((1 + P)/2)`` for the coverage.
    """
    alpha = 1 - level
    p = 2 if line.fit_intercept else 1
    line_part = float(np.sqrt(p * stats.f.ppf(1 - alpha / 2, p, line.df)))
    sigma_bound = float(np.sqrt(line.df / stats.chi2.ppf(alpha / 2, line.df)))
    return line_part, float(stats.norm.ppf(0.5 + coverage / 2) * sigma_bound)


def multiple_use_limits(
    line: StraightLine, y0: float, x0: float, m_eff: float, level: float, coverage: float
) -> tuple[float, float]:
    """The multiple-use interval of ``x0``: where the inverted simultaneous band holds ``y0``."""
    c_line, c_scatter = multiple_use_factors(line, level, coverage)

    def gap(x: float) -> float:
        half = line.s * (c_line * np.sqrt(line.leverage(x)) + c_scatter / np.sqrt(m_eff))
        return abs(y0 - line.a - line.b * x) - half

    # Far from the standards the band widens like s·c_line·|x|/sqrt(Sxx): if that outgrows
    # the line's own |b|·|x|, the set never closes.
    if abs(line.b) <= line.s * c_line * np.sqrt(line.C[-1, -1]):
        return -np.inf, np.inf
    if gap(x0) > 0:
        return float("nan"), float("nan")
    step = max(abs(x0), line.s / abs(line.b), 1e-12)
    bounds = []
    for direction in (-1.0, 1.0):
        outer = x0 + direction * step
        while gap(outer) <= 0:
            outer = x0 + 2 * (outer - x0)
        bounds.append(optimize.brentq(gap, x0, outer, xtol=1e-14 * max(1, abs(x0)), rtol=1e-14))
    return float(bounds[0]), float(bounds[1])


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise UsageError(f"level={level!r} must be between 0 and 1", fix="For 95% use 0.95")
