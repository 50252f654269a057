"""Standard curves: reading an unknown sample's concentration off a fitted calibration line.

A standard curve is fitted to samples of known concentration ``x`` and their measured signal
``y``. For an unknown sample, the signal is measured (``m`` replicate readings, mean ``y0``) and
the concentration that would produce it is read back: *inverse prediction*. Its interval is the
set of concentrations whose prediction interval (for a mean of ``m`` readings) contains ``y0``::

    { x :  |y0 - f(x)| <= t · sqrt( s²/m + Var(f(x)) ) }

For a straight line this is Fieller's interval, found exactly by solving a quadratic; it is not
symmetric around the estimate, and it is unbounded when the slope is not clearly different from
zero. Estimates outside the range of the standards are extrapolations: they are always flagged,
and their interval uses the Working-Hotelling multiplier instead of t, so it is wider and
labelled "extrapolated". A curve that is not monotonic can give the signal at several
concentrations: every one is returned, each with its interval.

For a straight line the interval inside the range can also be ISO 8466-1's symmetric
``x0 ± t·s_x0`` or the multiple-use interval (``interval=``, see
:mod:`benchlearn.assay.inverse`, which holds the formulas), and every row carries ``s_x0``.
Limits of detection and quantification are in :mod:`benchlearn.assay.detection`, the qPCR
amplification in :mod:`benchlearn.assay.qpcr`; :func:`slope_test` tests a slope against a
stated value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from benchlearn.errors import UsageError


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
    reading_weight: Any = None,
    interval: str = "fieller",
    coverage: float = 0.95,
) -> pd.DataFrame:
    """Concentrations (x) that produce the measured signals, with their intervals.

    Inside the calibrated range the interval is the set of x whose ``level`` prediction
    interval (for a mean of ``m`` readings) contains the signal, with the t quantile as
    multiplier (Fieller's interval for a straight line): ``interval_kind`` is ``"calibrated"``.
    Outside the range the estimate is an extrapolation: it is flagged (``in_range`` False) and
    its interval, ``interval_kind`` ``"extrapolated"``, inverts the Working-Hotelling
    (Scheffé) simultaneous prediction band instead, multiplier ``sqrt(p · F(level; p, df))``
    with ``p`` parameters. That band holds for every x at once, so it stays valid for an x
    chosen after seeing the reading, and it is always wider than the in-range interval. Both
    still assume the curve keeps its shape beyond the standards, which nothing checks.

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
    reading_weight
        Weighted fits: the weight ``w0`` of one reading of the unknown, so that its variance
        is ``σ²/w0`` (``σ²/(m·w0)`` for the mean of ``m``). A number, one per signal, or a
        callable ``f(x_estimate, signal) -> w0`` (for weights that depend on the
        concentration, evaluated at the estimate). Default 1 (unweighted).
    interval
        The in-range interval of a straight line, a key of
        :data:`benchlearn.assay.inverse.INTERVAL_METHODS`: ``"fieller"`` (default, exact),
        ``"symmetric"`` (ISO 8466-1, ``x0 ± t·s_x0``) or ``"multiple-use"`` (holds for many
        future readings at once, a fraction ``coverage`` of them). A polynomial takes only
        ``"fieller"``; extrapolated estimates always get the Working-Hotelling interval.
    coverage
        ``"multiple-use"`` only: the fraction of future intervals that must hold their true
        concentration.

    Returns
    -------
    DataFrame
        One row per signal: ``signal``, ``n_replicates``, ``estimate``, ``lower``, ``upper``,
        ``in_range``, ``interval_kind`` (``"calibrated"``, ``"extrapolated"`` or ``"none"``
        when no x gives the signal), ``multiplier`` (the t or Scheffé quantile used),
        ``reading_weight``, ``all_estimates`` and ``all_intervals`` (every x that gives the
        signal, each with its interval: those inside the calibrated range, or, when none is
        inside, every real one), ``issue`` (``"extrapolated"``, ``"no-match"`` when no x gives
        the signal, ``"bad-weight"`` when the reading's weight is not positive, else ``""``),
        ``interval_issue`` (why the interval is open: ``"slope-not-significant"``,
        ``"outside-multiple-use-band"``, ``"not-closed"``, else ``""``; in words by
        :func:`benchlearn.report.assay_wording.unknown_note`), ``s_x0`` (straight lines: the
        standard error of the estimate, ISO 8466-1), and ``convention`` and ``formula`` of the
        interval.

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import LinearRegression
    >>> x = np.array([0.0, 0, 1, 1, 2, 2, 3, 3])
    >>> y = 2 * x + np.array([0.1, -0.1, 0.05, -0.05, 0.1, -0.1, 0.05, -0.05])
    >>> model = LinearRegression().fit(x.reshape(-1, 1), y)
    >>> table = inverse_predict(model, [3.0, 9.0], calibrated_range=(0, 3))
    >>> table[["estimate", "in_range", "interval_kind"]]
       estimate  in_range interval_kind
    0       1.5      True    calibrated
    1       4.5     False  extrapolated
    """
    from benchlearn.assay.inverse import INTERVAL_METHODS

    if model.n_features_in_ != 1:
        raise UsageError(
            f"a standard curve has one predictor, this model has {model.n_features_in_}",
            fix="Fit the curve with a single x column",
        )
    if interval not in INTERVAL_METHODS:
        raise UsageError(
            f"interval={interval!r} is not one of {', '.join(INTERVAL_METHODS)}",
            fix="Use 'fieller' (exact), 'symmetric' (ISO 8466-1) or 'multiple-use'",
        )
    straight = getattr(model, "degree", 1) == 1
    if not straight and interval != "fieller":
        raise UsageError(
            f"the {interval} interval is defined for a straight line; a curve of degree "
            f"{model.degree} takes the exact (Fieller-type) interval",
            fix="Use interval='fieller' (--interval fieller), or fit a straight line",
        )
    line = _line(model) if straight else None
    signals = np.atleast_1d(np.asarray(signal, dtype=float))
    replicates = np.broadcast_to(np.asarray(n_replicates, dtype=float), signals.shape)
    fixed = np.broadcast_to(
        np.asarray(1.0 if reading_weight is None or callable(reading_weight) else reading_weight,
                   dtype=float),
        signals.shape,
    )  # fmt: skip
    t = stats.t.ppf(0.5 + level / 2, model.dof_resid_)
    scheffe = extrapolation_multiplier(model, level)
    low, high = calibrated_range if calibrated_range is not None else (-np.inf, np.inf)
    rows = []
    for i, (y0, m) in enumerate(zip(signals, replicates, strict=True)):
        roots = _roots(model, y0)
        estimate = _closest(roots, low, high)
        in_range = bool(np.isfinite(estimate) and low <= estimate <= high)
        kind = "calibrated" if in_range else ("extrapolated" if np.isfinite(estimate) else "none")
        multiplier = t if in_range else scheffe
        inside = [float(r) for r in roots if low <= r <= high]
        every = inside if inside else [float(r) for r in roots]
        # A weight that depends on the concentration is taken at each candidate concentration.
        weights = [float(reading_weight(r, y0)) if callable(reading_weight) else float(fixed[i])
                   for r in every]  # fmt: skip
        method = interval if in_range else "fieller"
        intervals = [
            _interval(model, line, y0, m, w, multiplier, r, low, high, method, level, coverage)
            for r, w in zip(every, weights, strict=True)
        ]
        if np.isfinite(estimate):
            w0 = weights[every.index(estimate)]
            lower, upper, interval_issue = intervals[every.index(estimate)]
        else:
            w0, lower, upper, interval_issue = float(fixed[i]), float("nan"), float("nan"), ""
        issue = {"extrapolated": "extrapolated", "none": "no-match"}.get(kind, "")
        if kind == "calibrated" and not (w0 > 0 and np.isfinite(w0)):
            issue = "bad-weight"
        rows.append(
            {"signal": y0, "n_replicates": int(m), "estimate": estimate, "lower": lower,
             "upper": upper, "in_range": in_range, "interval_kind": kind,
             "multiplier": float(multiplier) if kind != "none" else float("nan"),
             "reading_weight": w0, "all_estimates": every,
             "all_intervals": [[lo, hi] for lo, hi, _ in intervals], "issue": issue,
             "interval_issue": interval_issue,
             "s_x0": _s_x0(line, estimate, m * w0),
             **_interval_label(kind, interval if straight else "fieller")}
        )  # fmt: skip
    return pd.DataFrame(rows)


def extrapolation_multiplier(model: Any, level: float = 0.95) -> float:
    """Working-Hotelling (Scheffé) multiplier ``sqrt(p · F(level; p, df))`` of a fit.

    It replaces the t quantile for the intervals of extrapolated unknowns: the band it gives
    covers the whole curve at once, so it is valid wherever the reading happens to fall.
    """
    p = int(model.rank_)
    return float(np.sqrt(p * stats.f.ppf(level, p, model.dof_resid_)))


def _interval(
    model: Any,
    line: Any,
    y0: float,
    m: float,
    w0: float,
    multiplier: float,
    estimate: float,
    low: float,
    high: float,
    method: str = "fieller",
    level: float = 0.95,
    coverage: float = 0.95,
) -> tuple[float, float, str]:
    from benchlearn.assay import inverse

    if not (w0 > 0 and np.isfinite(w0)):
        return float("nan"), float("nan"), ""
    if line is None:
        return _numeric_interval(model, y0, m * w0, multiplier, estimate, low, high)
    if method == "symmetric":
        half = multiplier * inverse.x0_standard_error(line, estimate, m * w0)
        lower, upper = estimate - half, estimate + half
    elif method == "multiple-use":
        lower, upper = inverse.multiple_use_limits(line, y0, estimate, m * w0, level, coverage)
    else:
        lower, upper = inverse.fieller_limits(line, y0, m * w0, multiplier)
    if np.isfinite(lower) and np.isfinite(upper):
        return lower, upper, ""
    if np.isnan(lower) or np.isnan(upper):
        return lower, upper, "outside-multiple-use-band"
    return lower, upper, "slope-not-significant"


def _line(model: Any) -> Any:
    from benchlearn.assay.line import straight_line

    return straight_line(model, weighted=True)


def _s_x0(line: Any, estimate: float, m_eff: float) -> float:
    from benchlearn.assay.inverse import x0_standard_error

    if line is None or not (np.isfinite(estimate) and m_eff > 0 and np.isfinite(m_eff)):
        return float("nan")
    return x0_standard_error(line, estimate, m_eff)


def _interval_label(kind: str, interval: str) -> dict[str, str]:
    """The convention and formula of a row's interval."""
    from benchlearn.assay.inverse import INTERVAL_METHODS

    if kind == "none":
        return {"convention": "", "formula": ""}
    if kind == "extrapolated":
        return {
            "convention": "Working-Hotelling (Scheffé) band inverted, for extrapolation",
            "formula": "{x : (y0 - f(x))² ≤ p·F(level; p, ν)·s²·(1/(m·w0) + Var(f(x))/s²)}",
        }
    if interval == "fieller":
        return {
            "convention": INTERVAL_METHODS["fieller"]["convention"],
            "formula": "{x : (y0 - f(x))² ≤ t²·s²·(1/(m·w0) + Var(f(x))/s²)}",
        }
    return dict(INTERVAL_METHODS[interval])


def turning_points(model: Any, low: float = -np.inf, high: float = np.inf) -> list[float]:
    """Where a fitted curve changes direction inside ``[low, high]`` (its derivative is zero).

    A curve that turns inside the calibrated range (e.g. the high-dose hook of an ELISA) gives
    some signals at two concentrations; :func:`inverse_predict` then lists both.

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import PolynomialRegression
    >>> x = np.linspace(0, 4, 9)
    >>> model = PolynomialRegression(degree=2).fit(x.reshape(-1, 1), 1 + 2 * x - 0.5 * x**2)
    >>> turning_points(model, 0, 4)
    [2.0]
    """
    derivative = np.polynomial.polynomial.polyder(_coefficients(model))
    if derivative.size < 2:
        return []
    real = _real(np.polynomial.polynomial.polyroots(derivative))
    return sorted(float(r) for r in real if low <= r <= high)


def _roots(model: Any, y0: float) -> np.ndarray:
    polynomial = _coefficients(model)
    polynomial[0] -= y0
    return np.sort(_real(np.roots(polynomial[::-1])))


def _coefficients(model: Any) -> np.ndarray:
    """The fitted curve's coefficients in increasing powers of x (constant first)."""
    coef = model.params_["estimate"].to_numpy(dtype=float, copy=True)
    return coef if model.fit_intercept else np.r_[0.0, coef]


def _real(roots: np.ndarray) -> np.ndarray:
    return roots[np.abs(roots.imag) <= 1e-9 * (1 + np.abs(roots.real))].real


def _closest(roots: np.ndarray, low: float, high: float) -> float:
    if roots.size == 0:
        return float("nan")
    inside = roots[(roots >= low) & (roots <= high)]
    if inside.size:
        return float(inside[0])
    centre = 0.0 if not np.isfinite(low + high) else (low + high) / 2
    return float(roots[np.argmin(np.abs(roots - centre))])


def _numeric_interval(
    model: Any, y0: float, m: float, t: float, estimate: float, low: float, high: float
) -> tuple[float, float, str]:
    if not np.isfinite(estimate):
        return float("nan"), float("nan"), ""
    s = model.residual_std_
    t_95 = stats.t.ppf(0.975, model.dof_resid_)
    width = (high - low) if np.isfinite(high - low) else max(1.0, abs(estimate))

    def gap(x: np.ndarray) -> np.ndarray:
        band = model.predict_interval(_frame(model, x), level=0.95)
        mean = band["mean"].to_numpy()
        se_mean = (band["upper"].to_numpy() - mean) / t_95
        return (y0 - mean) ** 2 - t * t * (s * s / m + se_mean**2)

    # Walk outwards in growing steps (all evaluated at once) to the first x whose band no
    # longer holds the signal, then pin the boundary down between it and the step before.
    offsets = np.cumsum(width / 200 * 1.05 ** np.arange(400))
    bounds = []
    for direction in (-1.0, 1.0):
        path = estimate + direction * np.r_[0.0, offsets]
        outside = np.flatnonzero(gap(path[1:]) > 0)
        if outside.size:
            bounds.append(_first_crossing(gap, path[outside[0]], path[outside[0] + 1]))
        else:
            bounds.append(direction * np.inf)
    issue = "" if np.all(np.isfinite(bounds)) else "not-closed"
    return float(bounds[0]), float(bounds[1]), issue


def _first_crossing(gap: Any, inside: float, outside: float, rounds: int = 5) -> float:
    """Where ``gap`` turns positive between ``inside`` (gap <= 0) and ``outside`` (gap > 0).

    Each round evaluates 64 points at once (one call of the model) and keeps the step that
    crosses, shrinking the bracket 64-fold; a final secant step between its ends follows.
    """
    for _ in range(rounds):
        grid = np.linspace(inside, outside, 65)
        values = gap(grid)
        k = int(np.flatnonzero(values > 0)[0])
        inside, outside = grid[k - 1], grid[k]
        g_in, g_out = values[k - 1], values[k]
    return float(inside + (outside - inside) * g_in / (g_in - g_out))


def _frame(model: Any, values: Any) -> Any:
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        return pd.DataFrame({names[0]: values})
    return np.asarray(values, dtype=float).reshape(-1, 1)


def linear_range(
    x: Any, y: Any, *, alpha: float = 0.05, min_levels: int = 4, sample_weight: Any = None
) -> CalibrationRange:
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
    sample_weight
        Weights of a weighted calibration: the curvature test uses the same weighting.
    """
    from benchlearn.linear.polynomial import PolynomialRegression

    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    w = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, float).ravel()
    levels = np.unique(x)
    first_p = float("nan")
    top = levels[-1]
    for k in range(len(levels), min_levels - 1, -1):
        top = levels[k - 1]
        keep = x <= top
        if keep.sum() <= 3:
            break
        quadratic = PolynomialRegression(degree=2).fit(
            x[keep].reshape(-1, 1), y[keep], sample_weight=w[keep]
        )
        p = float(quadratic.params_["p_value"].iloc[-1])
        if k == len(levels):
            first_p = p
        if p >= alpha:
            break
    return CalibrationRange(float(levels[0]), float(levels[-1]), float(top), first_p)


def slope_test(model: Any, value: float, level: float = 0.95) -> dict[str, Any]:
    """t-test that the slope equals ``value``: 1 for a method comparison, -3.32 for qPCR.

    ``t = (b - value) / SE(b)`` on the residual degrees of freedom, two-sided; the confidence
    interval of the slope says how far from ``value`` it could plausibly be. The last
    parameter of the model is taken as the slope. Least squares treats x as exact: in a method
    comparison where the reference method is as noisy as the new one, the slope is biased
    towards 0 and an errors-in-variables fit (Deming, Passing-Bablok) is the better test.

    Returns
    -------
    dict
        ``value``, ``slope``, ``std_error``, ``t``, ``df``, ``p_value``, ``level``,
        ``ci_lower``, ``ci_upper``, ``decision`` (``"differs"`` when p < 1 - level, else
        ``"no-evidence"``; :func:`benchlearn.report.assay_wording.slope_test_conclusion` says
        it in words), ``convention`` and ``formula``.
    """
    row = model.params_.iloc[-1]
    estimate, se = float(row["estimate"]), float(row["std_error"])
    df = int(model.dof_resid_)
    t = (estimate - value) / se
    p = float(2 * stats.t.sf(abs(t), df))
    q = stats.t.ppf(0.5 + level / 2, df)
    lower, upper = estimate - q * se, estimate + q * se
    decision = "differs" if p < 1 - level else "no-evidence"
    return {"value": float(value), "slope": estimate, "std_error": se, "t": float(t), "df": df,
            "p_value": p, "level": level, "ci_lower": float(lower), "ci_upper": float(upper),
            "decision": decision,
            "convention": "two-sided t-test of the least-squares slope (x taken as exact)",
            "formula": "t = (b - value)/SE(b) on n - p df; CI b ± t(1-α/2; n - p)·SE(b)",
            }  # fmt: skip
