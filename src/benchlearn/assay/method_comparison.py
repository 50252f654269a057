"""Comparing a new measurement method with a reference on the same samples.

Least squares treats the reference's values as exact; in a method comparison both methods
scatter, which biases the ordinary slope towards 0. Three analyses a clinical chemist expects:

- **Deming regression** (errors in both x and y, with a known ratio of their variances
  ``δ = σ²(new)/σ²(reference)``, or one estimated from replicate measurements), with
  jackknife confidence intervals (Linnet 1990, *Clin. Chem.* 36:1318; CLSI EP09).
- **Passing-Bablok regression** (non-parametric: the shifted median of all pairwise slopes),
  with the confidence intervals of Passing & Bablok (1983, *J. Clin. Chem. Clin. Biochem.*
  21:709-720). Ties (pairs with equal x) give slopes of ±∞, identical pairs and slopes of
  exactly -1 are left out, as the paper prescribes; a negative relation is fitted on the
  mirrored data, the extension of Bablok et al. (1988, *J. Clin. Chem. Clin. Biochem.*
  26:783-790). R's mcr package handles ties, slopes of -1 and even counts its own way; that
  convention is offered by name (:data:`PASSING_BABLOK_CONVENTIONS`).
- **Bland-Altman analysis**: the mean difference (bias) and the limits of agreement
  ``bias ± 1.96·SD``, with confidence intervals (Bland & Altman 1986, *Lancet* i:307-310;
  1999, *Stat. Methods Med. Res.* 8:135-160), approximate or exact (Carkeet 2015, *Optom.
  Vis. Sci.* 92:e71-e80).

The verdict reads the regressions' intervals: a slope interval without 1 shows a
proportional difference, an intercept interval without 0 a constant one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from benchlearn.assay.quantity import Quantity
from benchlearn.errors import DataError, FitError, UsageError

# Passing-Bablok compares every pair of samples: n(n - 1)/2 slopes, 8 bytes each.
PASSING_BABLOK_MAX_N = 5000
# Differences smaller than this, relative to the values, are rounding: a tie or a slope of ±1.
_EXACT = 1e-12

PASSING_BABLOK_CONVENTIONS = {
    "passing-bablok-1983": (
        "Passing & Bablok 1983: slopes of exactly -1 left out, a tie in x is ±∞ by the sign of "
        "the y difference; b = median of the slopes shifted by K = #{S_ij < -1} (mean of the "
        "two middle slopes for an even count); CI: order statistics M1 = round((N - C)/2), "
        "M2 = N - M1 + 1, shifted by K"
    ),
    "mcr": (
        "R mcr (mc.paba, slope.measure = 'radian'): slopes as angles atan(S_ij); slopes of "
        "exactly -1 kept and counted half in the offset K2 = #{S_ij ≤ -1} + #{S_ij < -1}; a "
        "tie in x is +π/2 (-π/2 for a negative relation); b = tan of the angle at the doubled "
        "index N + K2 (mean of the two middle angles when even); CI: doubled indices "
        "round(N ∓ C + K2), same rule"
    ),
}
DEFAULT_PASSING_BABLOK = "passing-bablok-1983"

DEMING_METHODS = {
    "deming": "Deming regression (errors in both methods)",
    "weighted-deming": "weighted Deming regression, proportional errors (Linnet 1990)",
}
DEMING_CI_METHODS = {
    "jackknife": "jackknife (Linnet 1990): estimate ± t(1-α/2; n-2)·SE_jack, "
    "SE_jack = sqrt((n-1)/n·Σ(θ_(i) - θ̄)²) over the n leave-one-out fits",
    "analytical": "analytical (Strike 1991, as R mcr): SE(b) = |b|·sqrt((1 - r²)/(r²·(n - 2))), "
    "SE(a) = SE(b)·sqrt(Σx²/n); estimate ± t(1-α/2; n-2)·SE",
}
DEFAULT_DEMING_CI = "jackknife"

REGRESSION_FLAGS = {
    "mirrored": "a negative relation, fitted on -y and mirrored back (Bablok et al. 1988)",
    "linearity-rejected": "the CUSUM test rejects a straight relation",
    "open-slope-interval": "too few samples for a finite slope interval",
}

LOA_CI_METHODS = {
    "bland-altman-1999": "approximate: limit ± t(1-α/2; n-1)·SE, SE(limit) = "
    "SD·sqrt(1/n + z²/(2(n - 1))) (Bland & Altman 1999, §4.2)",
    "bland-altman-1986": "approximate: limit ± t(1-α/2; n-1)·SE, SE(limit) ≈ sqrt(3·SD²/n) "
    "(Bland & Altman 1986)",
    "carkeet-2015-exact": "exact, each limit on its own (Carkeet 2015, one-sided tolerance "
    "factors): upper limit from bias + SD·t'(α/2) / sqrt(n) to bias + SD·t'(1-α/2) / sqrt(n), "
    "t'(q) the q quantile of the noncentral t with n - 1 df and noncentrality z·sqrt(n); the "
    "lower limit mirrored",
}


@dataclass(frozen=True)
class MethodRegression:
    """A method-comparison line ``new = intercept + slope·reference`` with its intervals.

    ``flags`` are codes a reader must hear about (:data:`REGRESSION_FLAGS`); ``details`` the
    numbers and codes behind the fit (the error-variance ratio and where it came from, the
    Passing-Bablok convention, counts of slopes, the CUSUM test).
    """

    method: str
    slope: Quantity
    intercept: Quantity
    n: int
    flags: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def proportional_difference(self) -> bool:
        """The slope's interval excludes 1."""
        return not _inside(1.0, self.slope)

    @property
    def constant_difference(self) -> bool:
        """The intercept's interval excludes 0."""
        return not _inside(0.0, self.intercept)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "method": self.method,
            "n": self.n,
            "slope": self.slope.to_dict(),
            "intercept": self.intercept.to_dict(),
            "proportional_difference": self.proportional_difference,
            "constant_difference": self.constant_difference,
            "flags": list(self.flags),
            **{k: _json(v) for k, v in self.details.items()},
        }


@dataclass(frozen=True)
class BlandAltman:
    """Bias and limits of agreement of ``new - reference``."""

    bias: Quantity
    sd: Quantity
    lower_limit: Quantity
    upper_limit: Quantity
    n: int
    differences: np.ndarray = field(repr=False)
    means: np.ndarray = field(repr=False)

    @property
    def systematic_difference(self) -> bool:
        """The bias's interval excludes 0."""
        return not (self.bias.lower <= 0 <= self.bias.upper)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "n": self.n,
            "bias": self.bias.to_dict(),
            "sd": self.sd.to_dict(),
            "lower_limit": self.lower_limit.to_dict(),
            "upper_limit": self.upper_limit.to_dict(),
            "systematic_difference": self.systematic_difference,
        }


def deming(
    x: Any,
    y: Any,
    *,
    error_ratio: float | None = None,
    x_replicates: Any = None,
    y_replicates: Any = None,
    level: float = 0.95,
    ci: str = DEFAULT_DEMING_CI,
    weighted: bool = False,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> MethodRegression:
    """Deming regression of the new method ``y`` on the reference ``x``.

    Parameters
    ----------
    x, y
        Reference and new method, one value per sample (ignored where replicates are given).
    error_ratio
        ``δ = σ²(new)/σ²(reference)``, the ratio of the methods' error variances (R's ``mcr``
        takes its reciprocal as ``error.ratio``). Default 1 when no replicates are given.
    x_replicates, y_replicates
        Replicate measurements, one row per sample: the fit uses the row means and ``δ`` is
        estimated from the pooled within-sample variances of the means.
    level
        Confidence level of the intervals.
    ci
        How the intervals are computed, a key of :data:`DEMING_CI_METHODS`: ``"jackknife"``
        (default; Linnet 1990, as R's mcr) or ``"analytical"`` (Strike 1991's standard errors,
        as mcr's ``method.ci = "analytical"``; unweighted Deming only).
    weighted
        Weighted Deming regression for errors proportional to the level (Linnet 1990): each
        sample is weighted by ``1/((x̂ + ŷ/δ)/(1 + 1/δ))²`` from its estimated true values,
        refitted until the coefficients change by less than ``tol`` (R's mcr stops at 1e-6);
        positive values only.
    tol, max_iter
        Weighted Deming: convergence tolerance on both coefficients and the iteration limit.

    Returns
    -------
    MethodRegression

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 2, 3, 4, 5, 6])
    >>> fit = deming(x, 2 * x + np.array([0.1, -0.1, 0.05, -0.05, 0.0, 0.02]))
    >>> round(fit.slope.value, 3)
    1.995
    """
    if x_replicates is not None or y_replicates is not None:
        if x_replicates is None or y_replicates is None or error_ratio is not None:
            raise UsageError(
                "give replicates of both methods (and no error_ratio), or an error_ratio",
                fix="Pass x_replicates= and y_replicates= (one row per sample), or "
                "error_ratio=σ²(new)/σ²(reference)",
            )
        x, var_x = _replicate_means(x_replicates, "x_replicates")
        y, var_y = _replicate_means(y_replicates, "y_replicates")
        delta = var_y / var_x
        source = {"error_ratio_source": "replicates", "var_new_mean": float(var_y),
                  "var_reference_mean": float(var_x)}  # fmt: skip
    else:
        x, y = _pairs(x, y)
        delta = 1.0 if error_ratio is None else float(error_ratio)
        source = {"error_ratio_source": "assumed" if error_ratio is None else "given"}
        if not (np.isfinite(delta) and delta > 0):
            raise UsageError(f"error_ratio={error_ratio!r} must be a positive number")
    _check_level(level)
    if ci not in DEMING_CI_METHODS:
        raise UsageError(f"Deming interval {ci!r} is not one of {', '.join(DEMING_CI_METHODS)}",
                         fix=f"The default is {DEFAULT_DEMING_CI}")  # fmt: skip
    if weighted and ci == "analytical":
        raise UsageError(
            "weighted Deming regression has no analytical interval (R's mcr has none either)",
            fix="Use the jackknife interval (ci='jackknife') with weighted Deming",
        )
    if weighted and (np.any(x < 0) or np.any(y < 0)):
        raise DataError(
            "weighted Deming regression (proportional errors) needs values of 0 or more; "
            f"sample {int(np.flatnonzero((x < 0) | (y < 0))[0]) + 1} is negative",
            fix="Use unweighted Deming regression for data around or below 0",
        )
    n = x.size

    def fit(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float]:
        if weighted:
            return _weighted_deming_fit(xs, ys, delta, tol, max_iter)[:2]
        return _deming_fit(xs, ys, delta)

    if weighted:
        *coefficients, iterations = _weighted_deming_fit(x, y, delta, tol, max_iter)
        estimate = np.array(coefficients)
    else:
        estimate = np.array(_deming_fit(x, y, delta))
    t = stats.t.ppf(0.5 + level / 2, n - 2)
    if ci == "jackknife":
        loo = np.array([fit(np.delete(x, i), np.delete(y, i)) for i in range(n)])
        se = np.sqrt((n - 1) / n * np.sum((loo - loo.mean(axis=0)) ** 2, axis=0))
    else:
        r = np.corrcoef(x, y)[0, 1]
        se_b = abs(estimate[1]) * np.sqrt((1 - r * r) / (r * r * (n - 2)))
        se = np.array([se_b * np.sqrt(np.mean(x * x)), se_b])
    lower, upper = estimate - t * se, estimate + t * se
    method = "weighted-deming" if weighted else "deming"
    convention = DEMING_METHODS[method]
    interval = f"{DEMING_CI_METHODS[ci]}; {n - 2} df"
    details: dict[str, Any] = {"error_ratio": float(delta), **source, "deming_method": method,
                               "interval_method": ci}  # fmt: skip
    if weighted:
        details["iterations"] = iterations
    slope_formula = "b = (Syy - δ·Sxx + sqrt((Syy - δ·Sxx)² + 4δ·Sxy²)) / (2·Sxy)"
    if weighted:
        slope_formula = ("the Deming formula on weighted sums S_w, w_i = 1/((x̂_i + ŷ_i/δ)/"
                         "(1 + 1/δ))², iterated")  # fmt: skip
    return MethodRegression(
        "Weighted Deming" if weighted else "Deming",
        Quantity("slope", float(estimate[1]), convention, slope_formula,
                 float(lower[1]), float(upper[1]), level, interval, float(se[1])),
        Quantity("intercept", float(estimate[0]), convention,
                 "a = ȳ_w - b·x̄_w" if weighted else "a = ȳ - b·x̄",
                 float(lower[0]), float(upper[0]), level, interval, float(se[0])),
        n, (), details,
    )  # fmt: skip


def _deming_fit(x: np.ndarray, y: np.ndarray, delta: float) -> tuple[float, float]:
    return _deming_from_sums(x, y, np.ones_like(x), delta)


def _deming_from_sums(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, delta: float
) -> tuple[float, float]:
    xm, ym = np.average(x, weights=w), np.average(y, weights=w)
    dx, dy = x - xm, y - ym
    sxx, syy, sxy = w @ (dx * dx), w @ (dy * dy), w @ (dx * dy)
    if sxy == 0:
        raise DataError("the two methods' values are uncorrelated (Sxy = 0): no Deming line",
                        fix="Check that the columns hold the same samples")  # fmt: skip
    c = syy - delta * sxx
    b = (c + np.sqrt(c * c + 4 * delta * sxy * sxy)) / (2 * sxy)
    return float(ym - b * xm), float(b)


def _weighted_deming_fit(
    x: np.ndarray, y: np.ndarray, delta: float, tol: float, max_iter: int
) -> tuple[float, float, int]:
    """Linnet's (1990) iteration, in the form of R mcr's ``mc.wdemingConstCV``."""
    lam = 1.0 / delta  # σ²(reference)/σ²(new), mcr's error.ratio
    a, b = _deming_fit(x, y, delta)
    for iteration in range(1, max_iter + 1):
        d = y - (a + b * x)
        x_hat = x + lam * b * d / (1 + lam * b * b)
        y_hat = y - d / (1 + lam * b * b)
        level = (x_hat + lam * y_hat) / (1 + lam)
        if np.any(level <= 0):
            raise DataError(
                "weighted Deming: a sample's estimated true value is 0 or below, so its "
                "weight 1/value² is undefined",
                fix="Use unweighted Deming regression, or leave out samples at 0",
            )
        new_a, new_b = _deming_from_sums(x, y, 1.0 / level**2, delta)
        done = abs(new_b - b) < tol and abs(new_a - a) < tol
        a, b = new_a, new_b
        if done:
            return a, b, iteration
    raise FitError(
        f"weighted Deming regression did not converge in {max_iter} iterations (tolerance {tol:g})",
        fix="Raise max_iter, loosen tol, or use unweighted Deming regression",
    )


def passing_bablok(
    x: Any, y: Any, *, level: float = 0.95, convention: str = DEFAULT_PASSING_BABLOK
) -> MethodRegression:
    """Passing-Bablok regression of the new method ``y`` on the reference ``x``.

    The slope is the median of the pairwise slopes ``S_ij = (y_j - y_i)/(x_j - x_i)``,
    shifted by ``K``, the number of slopes below -1 (so that the estimate does not depend on
    which method is called x). Identical pairs are left out. How slopes of exactly -1, ties
    in x, an even count and the interval's order statistics are handled is the
    ``convention`` (a key of :data:`PASSING_BABLOK_CONVENTIONS`):

    ``"passing-bablok-1983"`` (default)
        The paper: slopes of -1 left out, a tie in x is ``±∞`` by the sign of the y
        difference, the mean of the two middle slopes for an even count; the slope's interval
        takes the order statistics ``M1 = round((N - C)/2)`` and ``M2 = N - M1 + 1`` (shifted
        by ``K``), ``C = z(1-α/2)·sqrt(n(n-1)(2n+5)/18)``. When the methods are negatively
        related (Kendall's τ < 0) the fit runs on ``-y`` and is mirrored back (Bablok et al.
        1988), which treats slopes of +1 as the paper treats -1.
    ``"mcr"``
        R's mcr package (``mcreg(method.reg = "PaBa", method.ci = "analytical")``): the
        slopes as angles, slopes of -1 kept and counted half in the offset, a tie in x is
        ``+π/2`` (``-π/2`` for a negative relation), the median and the interval's limits on
        doubled indices (the mean of two neighbouring angles when the index is even).

    In both, the intercept is the median of ``y - b·x``, its interval
    ``median(y - b_upper·x)`` to ``median(y - b_lower·x)``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 2, 3, 4, 5])
    >>> fit = passing_bablok(x, [1.1, 2.0, 3.2, 3.9, 5.1])
    >>> round(fit.slope.value, 3), round(fit.intercept.value, 3)
    (1.0, 0.1)
    """
    x, y = _pairs(x, y)
    _check_level(level)
    if convention not in PASSING_BABLOK_CONVENTIONS:
        raise UsageError(
            f"Passing-Bablok convention {convention!r} is not one of "
            f"{', '.join(PASSING_BABLOK_CONVENTIONS)}",
            fix=f"The default is {DEFAULT_PASSING_BABLOK} (the 1983 paper)",
        )
    if x.size > PASSING_BABLOK_MAX_N:
        raise UsageError(
            f"{x.size} samples: Passing-Bablok needs all {x.size * (x.size - 1) // 2:,} "
            f"pairwise slopes in memory; this implementation stops at {PASSING_BABLOK_MAX_N}",
            fix="Compare a random subset of samples, or use Deming regression and "
            "Bland-Altman analysis for the whole set",
        )
    n = x.size
    tau = float(stats.kendalltau(x, y).statistic)
    C = stats.norm.ppf(0.5 + level / 2) * np.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    dx, dy, scale = _pair_differences(x, y)
    if not np.any((dx != 0) | (dy != 0)):
        raise DataError("every pair of samples is identical: no slope can be estimated")
    if convention == "mcr":
        b, b_lower, b_upper, ci, details = _mcr_slope(dx, dy, C, positive=not tau < 0)
        mirrored = False
    else:
        mirrored = bool(tau < 0)
        b, b_lower, b_upper, ci, details = _paper_slope(dx, -dy if mirrored else dy, scale, C)
        if mirrored:
            b, b_lower, b_upper = -b, -b_upper, -b_lower
    a = float(np.median(y - b * x))
    a_lower = float(np.median(y - b_upper * x)) if np.isfinite(b_upper) else -np.inf
    a_upper = float(np.median(y - b_lower * x)) if np.isfinite(b_lower) else np.inf
    if convention == "mcr":
        # mcr ties each intercept limit's existence to the opposite slope limit.
        a_lower = -np.inf if b_lower == -np.inf else a_lower
        a_upper = np.inf if b_upper == np.inf else a_upper
    flags = ["mirrored"] if mirrored else []
    sign = -1.0 if mirrored else 1.0
    linearity = cusum_linearity(x, sign * y, sign * a, sign * b, level=level)
    if linearity["linearity_rejected"]:
        flags.append("linearity-rejected")
    if not (np.isfinite(b_lower) and np.isfinite(b_upper)):
        flags.append("open-slope-interval")
    name = "Passing-Bablok regression (Passing & Bablok 1983)"
    if convention == "mcr":
        name = "Passing-Bablok regression (R mcr convention)"
    return MethodRegression(
        "Passing-Bablok",
        Quantity("slope", float(b), name, "b = median of S_ij shifted by K = #{S_ij < -1}",
                 float(b_lower), float(b_upper), level, ci),
        Quantity("intercept", a, name, "a = median(y_i - b·x_i)", a_lower, a_upper,
                 level, "a_lower = median(y - b_upper·x), a_upper = median(y - b_lower·x)"),
        n, tuple(flags),
        {"convention": convention, "convention_rule": PASSING_BABLOK_CONVENTIONS[convention],
         **details, "kendall_tau": tau, "cusum_linearity": linearity},
    )  # fmt: skip


def _pair_differences(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Differences ``x_j - x_i`` and ``y_j - y_i`` over all pairs i < j, and each pair's scale.

    A difference below the data's rounding (relative 1e-12 of the values) is set to exactly 0,
    so that a tie recorded as 1.39 and 1.39 stays a tie whatever the floating point does.
    """
    i, j = np.triu_indices(x.size, k=1)
    scale = np.max(np.abs(np.stack([x[i], x[j], y[i], y[j]])), axis=0)
    dx, dy = x[j] - x[i], y[j] - y[i]
    tiny = _EXACT * scale
    return np.where(np.abs(dx) <= tiny, 0.0, dx), np.where(np.abs(dy) <= tiny, 0.0, dy), scale


def _slope_is(dx: np.ndarray, dy: np.ndarray, scale: np.ndarray, sign: float) -> np.ndarray:
    """Slopes of exactly ``sign`` (±1), judged on the differences, not on their rounded ratio."""
    return (dx != 0) & (np.abs(dy - sign * dx) <= _EXACT * scale)


def _paper_slope(
    dx: np.ndarray, dy: np.ndarray, scale: np.ndarray, C: float
) -> tuple[float, float, float, str, dict[str, Any]]:
    keep = ((dx != 0) | (dy != 0)) & ~_slope_is(dx, dy, scale, -1.0)
    dx, dy = dx[keep], dy[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = np.where(dx != 0, dy / np.where(dx != 0, dx, 1.0), np.sign(dy) * np.inf)
    slopes = np.sort(slopes)
    N = slopes.size
    if N == 0:
        raise DataError("every pairwise slope is exactly -1: no slope can be estimated")
    K = int(np.sum(slopes < -1))
    if N % 2:
        b = slopes[(N + 1) // 2 + K - 1]
    else:
        b = 0.5 * (slopes[N // 2 + K - 1] + slopes[N // 2 + K])
    M1 = int(np.round((N - C) / 2))
    M2 = N - M1 + 1
    lo_index, hi_index = M1 + K, M2 + K
    b_lower = slopes[lo_index - 1] if 1 <= lo_index <= N else -np.inf
    b_upper = slopes[hi_index - 1] if 1 <= hi_index <= N else np.inf
    ci = (f"Passing & Bablok 1983: order statistics M1 = {M1}, M2 = {M2} of the N = {N} "
          f"pairwise slopes shifted by K = {K}")  # fmt: skip
    return float(b), float(b_lower), float(b_upper), ci, {"n_slopes": N, "K": K}


def _mcr_slope(
    dx: np.ndarray, dy: np.ndarray, C: float, *, positive: bool
) -> tuple[float, float, float, str, dict[str, Any]]:
    keep = (dx != 0) | (dy != 0)
    dx, dy = dx[keep], dy[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        angles = np.where(dx != 0, np.arctan(dy / np.where(dx != 0, dx, 1.0)),
                          np.pi / 2 if positive else -np.pi / 2)  # fmt: skip
    # mcr judges "exactly ±1" in floating point (atan(dy/dx) against ±π/4), so a slope of -1
    # between values recorded to two decimals may count as just above or below -1; kept as
    # is, since mcr's printed results depend on it.
    angles = np.sort(angles)
    N = angles.size
    at_or_below = int(np.sum(angles <= -np.pi / 4))
    below = int(np.sum(angles < -np.pi / 4))
    at_or_above = int(np.sum(angles >= np.pi / 4))
    above = int(np.sum(angles > np.pi / 4))
    offset = at_or_below + below if positive else -(at_or_above + above)

    def at(index2: int) -> float:
        half = max((index2 + 1) // 2, 1)
        if index2 % 2 == 1 or half == N:
            return float(np.tan(angles[half - 1]))
        return float(np.tan(0.5 * (angles[half - 1] + angles[half])))

    b = at(N + offset)
    lowest = 2 * ((at_or_below - below) if positive else (at_or_above - above)) + 1
    lo_index2 = int(np.round(N - C + offset))
    hi_index2 = int(np.round(N + C + offset))
    b_lower = -np.inf if lo_index2 < lowest else at(lo_index2)
    b_upper = np.inf if hi_index2 > 2 * N - 1 else at(hi_index2)
    ci = (
        f"R mcr (analytical): doubled order-statistic indices round(N ∓ C + K2) = "
        f"{lo_index2}, {hi_index2} of the N = {N} pairwise slope angles, K2 = {offset}"
    )
    return b, b_lower, b_upper, ci, {"n_slopes": N, "K2": offset}


def cusum_linearity(
    x: np.ndarray, y: np.ndarray, a: float, b: float, *, level: float = 0.95
) -> dict[str, Any]:
    """Passing & Bablok's (1983, §3.3) cumulative-sum test that the relation is linear.

    Each sample scores ``+sqrt(L/l)`` above the line, ``-sqrt(l/L)`` below it (``l`` and
    ``L`` the numbers above and below) and 0 on it; ordered by their position along the line,
    ``D_i = (y_i + x_i/b - a)/sqrt(1 + 1/b²)``, the scores' running sum stays near 0 for a
    straight relation. Linearity is rejected when ``max |cusum| > h·sqrt(L + 1)``, ``h`` the
    Kolmogorov-Smirnov quantile (1.36 at the 5% level).
    """
    fitted = a + b * x
    above, below = y > fitted, y < fitted
    l_count, L_count = int(above.sum()), int(below.sum())
    if l_count == 0 or L_count == 0:
        statistic, critical = 0.0, float("nan")
    else:
        scores = np.where(above, np.sqrt(L_count / l_count),
                          np.where(below, -np.sqrt(l_count / L_count), 0.0))  # fmt: skip
        position = (y + x / b - a) / np.sqrt(1 + 1 / b**2) if b != 0 else x
        cusum = np.cumsum(scores[np.argsort(position, kind="stable")])
        statistic = float(np.max(np.abs(cusum)))
        critical = float(stats.kstwobign.ppf(level) * np.sqrt(L_count + 1))
    return {
        "convention": "CUSUM linearity test (Passing & Bablok 1983, §3.3)",
        "formula": "reject linearity if max|Σ r_i| > h(1-α)·sqrt(L + 1), r_i = +sqrt(L/l) "
        "above the line, -sqrt(l/L) below, ordered along the line",
        "statistic": statistic,
        "critical_value": critical,
        "linearity_rejected": bool(np.isfinite(critical) and statistic > critical),
    }


def bland_altman(
    x: Any,
    y: Any,
    *,
    level: float = 0.95,
    multiplier: float | None = None,
    limits_ci: str = "bland-altman-1999",
) -> BlandAltman:
    """Bland-Altman analysis of ``new - reference``: bias, limits of agreement, their CIs.

    Parameters
    ----------
    x, y
        Reference and new method.
    level
        Confidence level of the intervals of the bias and of the limits.
    multiplier
        ``z`` in ``bias ± z·SD``; default 1.96 (95% of differences). Bland & Altman (1986)
        rounded it to 2.
    limits_ci
        How the limits' intervals are computed (see :data:`LOA_CI_METHODS`):
        ``"bland-altman-1999"`` (default) or ``"bland-altman-1986"``, approximate intervals
        symmetric about the limit (t on n - 1 df), or ``"carkeet-2015-exact"``, the exact
        interval of each limit from the noncentral t distribution (wider outside the limit
        than inside).

    Examples
    --------
    >>> result = bland_altman([10.0, 20, 30, 40], [11.0, 19, 32, 41])
    >>> result.bias.value
    0.75
    """
    x, y = _pairs(x, y)
    _check_level(level)
    if limits_ci not in LOA_CI_METHODS:
        raise UsageError(f"limits_ci={limits_ci!r} is not one of {', '.join(LOA_CI_METHODS)}")
    n = x.size
    z = 1.96 if multiplier is None else float(multiplier)
    d = y - x
    bias = float(d.mean())
    sd = float(d.std(ddof=1))
    t = stats.t.ppf(0.5 + level / 2, n - 1)
    se_bias = sd / np.sqrt(n)
    convention = "Bland-Altman (1986, 1999)"
    ci = f"{LOA_CI_METHODS[limits_ci]}; {n - 1} df"
    if limits_ci == "carkeet-2015-exact":
        tail = (1 - level) / 2
        inner, outer = (stats.nct.ppf(q, n - 1, z * np.sqrt(n)) / np.sqrt(n)
                        for q in (tail, 1 - tail))  # fmt: skip
        se_limit = None
        bounds = {-1: (bias - outer * sd, bias - inner * sd),
                  1: (bias + inner * sd, bias + outer * sd)}  # fmt: skip
    else:
        if limits_ci == "bland-altman-1999":
            se_limit = sd * np.sqrt(1 / n + z * z / (2 * (n - 1)))
        else:
            se_limit = np.sqrt(3 * sd * sd / n)
        bounds = {sign: (bias + sign * z * sd - t * se_limit, bias + sign * z * sd + t * se_limit)
                  for sign in (-1, 1)}  # fmt: skip
    limits = []
    for sign, name in ((-1, "lower limit of agreement"), (1, "upper limit of agreement")):
        value = bias + sign * z * sd
        limits.append(Quantity(name, value, convention, f"bias {'-+'[sign > 0]} {z:g}·SD",
                               float(bounds[sign][0]), float(bounds[sign][1]), level, ci,
                               None if se_limit is None else float(se_limit)))  # fmt: skip
    return BlandAltman(
        Quantity("bias", bias, convention, "mean of d_i = new_i - reference_i",
                 bias - t * se_bias, bias + t * se_bias, level,
                 f"bias ± t(1-α/2; n-1)·SD/sqrt(n), {n - 1} df", float(se_bias)),
        Quantity("SD of differences", sd, convention, "SD = sqrt(Σ(d_i - bias)²/(n - 1))"),
        limits[0], limits[1], n, d, (x + y) / 2,
    )  # fmt: skip


@dataclass(frozen=True)
class MethodComparison:
    """Deming, Passing-Bablok and Bland-Altman on the same pairs (their verdict in words is
    :func:`benchlearn.report.method_comparison.comparison_verdict`)."""

    deming: MethodRegression
    passing_bablok: MethodRegression
    bland_altman: BlandAltman

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "deming": self.deming.to_dict(),
            "passing_bablok": self.passing_bablok.to_dict(),
            "bland_altman": self.bland_altman.to_dict(),
        }


def compare_methods(
    x: Any,
    y: Any,
    *,
    level: float = 0.95,
    error_ratio: float | None = None,
    x_replicates: Any = None,
    y_replicates: Any = None,
    multiplier: float | None = None,
    limits_ci: str = "bland-altman-1999",
    passing_bablok_convention: str = DEFAULT_PASSING_BABLOK,
    deming_method: str = "deming",
    deming_ci: str = DEFAULT_DEMING_CI,
) -> MethodComparison:
    """Deming, Passing-Bablok and Bland-Altman analyses of ``y`` (new) against ``x``.

    With replicate tables (one row per sample), every analysis uses the row means and Deming's
    error-variance ratio is estimated from the replicates; ``x`` and ``y`` are then ignored.
    ``deming_method`` (a key of :data:`DEMING_METHODS`) and ``deming_ci`` (of
    :data:`DEMING_CI_METHODS`) choose the Deming fit and its intervals,
    ``passing_bablok_convention`` the Passing-Bablok convention and ``limits_ci`` the
    intervals of the limits of agreement.
    """
    if x_replicates is not None and y_replicates is not None:
        x = np.asarray(x_replicates, dtype=float).mean(axis=1)
        y = np.asarray(y_replicates, dtype=float).mean(axis=1)
    return MethodComparison(
        deming(x, y, error_ratio=error_ratio, x_replicates=x_replicates,
               y_replicates=y_replicates, level=level, ci=deming_ci,
               weighted=_deming_weighted(deming_method)),
        passing_bablok(x, y, level=level, convention=passing_bablok_convention),
        bland_altman(x, y, level=level, multiplier=multiplier, limits_ci=limits_ci),
    )  # fmt: skip


def _deming_weighted(method: str) -> bool:
    if method not in DEMING_METHODS:
        raise UsageError(f"Deming method {method!r} is not one of {', '.join(DEMING_METHODS)}")
    return method == "weighted-deming"


def _pairs(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.size != y.size:
        raise UsageError(f"the reference has {x.size} values and the new method {y.size}",
                         fix="Give one pair of measurements per sample")  # fmt: skip
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        raise DataError(
            f"sample {int(np.flatnonzero(bad)[0]) + 1} has a missing or non-numeric value",
            fix="Leave out samples not measured by both methods",
        )
    if x.size < 3:
        raise DataError(
            f"{x.size} paired samples: a method comparison needs at least 3",
            fix="CLSI EP09 recommends at least 40 samples across the range",
        )
    return x, y


def _replicate_means(values: Any, name: str) -> tuple[np.ndarray, float]:
    table = np.asarray(values, dtype=float)
    if table.ndim != 2 or table.shape[1] < 2 or not np.all(np.isfinite(table)):
        raise DataError(f"{name} must be a complete table, one row per sample and two or "
                        "more replicate columns")  # fmt: skip
    k = table.shape[1]
    within = float(np.mean(np.var(table, axis=1, ddof=1)))
    if within <= 0:
        raise DataError(f"the replicates in {name} are all identical: their variance is 0")
    return table.mean(axis=1), within / k


def _inside(value: float, quantity: Quantity) -> bool:
    # A limit that equals the value but for rounding (a pairwise slope of exactly 1 computed
    # as 1.0000000000000013) counts as including it.
    slack = 1e-12 * max(1.0, abs(value), abs(quantity.value))
    return bool(quantity.lower - slack <= value <= quantity.upper + slack)


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise UsageError(f"level={level!r} must be between 0 and 1", fix="For 95% use 0.95")


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    return value
