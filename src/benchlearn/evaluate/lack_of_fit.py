"""Does the model's shape fit the data? The lack-of-fit F-test and the runs test on residuals.

**Lack of fit (pure error).** When some x settings were measured more than once (replicates), the
scatter of the replicates around their own mean (*pure error*) shows how noisy a measurement is
whatever the model. The rest of the residual sum of squares (*lack of fit*) measures how far the
level means lie from the fitted curve. With ``n`` observations, ``m`` distinct x settings and
``p`` fitted parameters::

    F = (SS_lof / (m - p)) / (SS_pe / (n - m)),   SS_lof = SSE - SS_pe

A small p-value says the curve misses a real pattern (e.g. a straight line through a saturating
assay), not merely noise. In a weighted fit every square is weighted and each level's mean is
the weighted mean.

**Runs test (Wald–Wolfowitz).** Reading the residuals in order of x, a good fit gives signs that
flip at random; long stretches of the same sign (too few *runs*) mean the curve is systematically
above, then below, the data. Residuals exactly 0 have no sign and are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from benchlearn.errors import DataError
from benchlearn.linear.inference import f_test_from_sums

EXACT_RUNS_LIMIT = 50


@dataclass(frozen=True)
class LackOfFitTest:
    """The result of :func:`lack_of_fit_test`.

    Attributes
    ----------
    f, df1, df2, p_value
        The F statistic on ``df1 = m - p`` and ``df2 = n - m`` degrees of freedom, and its
        upper-tail p-value.
    ss_lack_of_fit, ss_pure_error
        The two parts of the (weighted) residual sum of squares.
    n_levels, n_samples, n_params
        ``m`` distinct x settings, ``n`` observations, ``p`` fitted parameters.
    """

    f: float
    df1: int
    df2: int
    p_value: float
    ss_lack_of_fit: float
    ss_pure_error: float
    n_levels: int
    n_samples: int
    n_params: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "F": _clean(self.f),
            "df1": self.df1,
            "df2": self.df2,
            "p_value": _clean(self.p_value),
            "ss_lack_of_fit": _clean(self.ss_lack_of_fit),
            "ss_pure_error": _clean(self.ss_pure_error),
            "n_levels": self.n_levels,
            "n_samples": self.n_samples,
            "n_params": self.n_params,
        }


@dataclass(frozen=True)
class RunsTest:
    """The result of :func:`runs_test`.

    Attributes
    ----------
    n_runs
        Number of runs (maximal stretches of residuals with the same sign).
    n_positive, n_negative, n_zero
        Counts of positive, negative and (left out) zero residuals.
    expected, std
        Mean and standard deviation of the number of runs when the signs are in random order:
        ``1 + 2 n⁺n⁻/n`` and ``sqrt(2n⁺n⁻(2n⁺n⁻ - n) / (n²(n - 1)))``.
    z
        ``(n_runs - expected) / std`` (no continuity correction).
    p_value
        Two-sided: exact (from the distribution of runs) when ``n⁺ + n⁻ <= 50``, else from
        the normal approximation of ``z``.
    method
        ``"exact"`` or ``"normal"``.
    """

    n_runs: int
    n_positive: int
    n_negative: int
    n_zero: int
    expected: float
    std: float
    z: float
    p_value: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "n_runs": self.n_runs,
            "n_positive": self.n_positive,
            "n_negative": self.n_negative,
            "n_zero_dropped": self.n_zero,
            "expected_runs": _clean(self.expected),
            "std": _clean(self.std),
            "z": _clean(self.z),
            "p_value": _clean(self.p_value),
            "method": self.method,
        }


def lack_of_fit_test(model: Any, X: Any, y: Any, sample_weight: Any = None) -> LackOfFitTest:
    """The pure-error lack-of-fit F-test of a fitted model on replicated x settings.

    Parameters
    ----------
    model
        A fitted linear model (``LinearRegression``, ``PolynomialRegression``) with ``predict``
        and ``rank_`` (its number of estimated parameters).
    X, y
        The data it was fitted on. Rows of ``X`` that are identical are replicates.
    sample_weight
        The weights of a weighted fit (rows of weight 0 are left out, as in the fit).

    Returns
    -------
    LackOfFitTest

    Raises
    ------
    DataError
        No x setting is replicated, or there are no more distinct settings than parameters.

    Examples
    --------
    >>> from benchlearn import LinearRegression
    >>> x = [[1.0], [1.0], [2.0], [2.0], [3.0], [3.0]]
    >>> y = [1.0, 1.2, 3.0, 3.1, 3.2, 3.4]
    >>> test = lack_of_fit_test(LinearRegression().fit(x, y), x, y)
    >>> (test.df1, test.df2)
    (1, 3)
    """
    design = np.asarray(X, dtype=float)
    design = design.reshape(len(design), -1)
    response = np.asarray(y, dtype=float).ravel()
    weights = np.ones_like(response) if sample_weight is None else np.asarray(sample_weight, float)
    weights = weights.ravel()
    residual = response - np.asarray(model.predict(X), dtype=float).ravel()
    used = weights > 0
    if not used.all():
        design, response, weights, residual = (
            design[used],
            response[used],
            weights[used],
            residual[used],
        )
    level, m = replicate_levels(design)
    n, p = response.size, int(model.rank_)
    if m == n:
        raise DataError(
            f"every one of the {n} x settings was measured once, so there is no replicate "
            "scatter (pure error) to compare the lack of fit with",
            fix="Measure some x settings two or more times, or use the runs test instead",
        )
    if m <= p:
        raise DataError(
            f"there are {m} distinct x settings for a model of {p} parameters, so the curve "
            "passes through every level's mean and no lack of fit can show",
            fix="Measure more distinct x settings than the model has parameters",
        )
    weight_sum = np.bincount(level, weights=weights)
    level_mean = np.bincount(level, weights=weights * response) / weight_sum
    ss_pe = float(np.sum(weights * (response - level_mean[level]) ** 2))
    sse = float(np.sum(weights * residual**2))
    # Pure error is the residual sum of squares of the biggest model: one mean per x setting.
    test = f_test_from_sums(sse, n - p, ss_pe, n - m)
    return LackOfFitTest(
        f=test.f,
        df1=test.df1,
        df2=test.df2,
        p_value=test.p_value,
        ss_lack_of_fit=max(sse - ss_pe, 0.0),  # a hair below zero for a perfect fit
        ss_pure_error=ss_pe,
        n_levels=m,
        n_samples=n,
        n_params=p,
    )


def replicate_levels(design: np.ndarray) -> tuple[np.ndarray, int]:
    """Number the distinct rows of ``design``: rows with equal values get the same level.

    Parameters
    ----------
    design
        Array of shape (n, p).

    Returns
    -------
    level, m
        The level (0 to m - 1, in order of first appearance) of each row, and the number ``m``
        of distinct rows. Values are compared with ``==`` (``-0.0`` equals ``0.0``), except
        that NaN equals NaN.

    Examples
    --------
    >>> level, m = replicate_levels(np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 2.0]]))
    >>> (level.tolist(), m)
    ([0, 1, 0], 2)
    """
    # Column by column, so that no copy of the whole table is made (np.unique(axis=0) sorts
    # a copy of the rows): the levels of the first j columns times the number of distinct
    # values of column j, plus that value's code, numbers the distinct rows of j + 1 columns.
    n_rows = design.shape[0]
    level, m = np.zeros(n_rows, dtype=np.int64), 1
    for j in range(design.shape[1]):
        codes, values = pd.factorize(design[:, j], use_na_sentinel=False)
        level, distinct = pd.factorize(level * len(values) + codes)
        m = len(distinct)
        if m == n_rows:  # every row is already distinct: more columns cannot join rows
            break
    return level, m


def runs_test(residuals: Any) -> RunsTest:
    """The Wald–Wolfowitz runs test on the signs of residuals, in the order given.

    Put the residuals in order of x (or of measurement) first: the test asks whether the signs
    form too few or too many runs for a random order. Residuals exactly equal to 0 have no sign
    and are dropped (``n_zero`` counts them).

    Parameters
    ----------
    residuals
        Residuals (or any values compared with 0), in order.

    Returns
    -------
    RunsTest
        Two-sided p-value: exact when at most 50 residuals remain, else normal approximation.

    Raises
    ------
    DataError
        All non-zero residuals have the same sign (the test needs both signs).

    Examples
    --------
    >>> result = runs_test([1.0, 2.0, -1.0, -3.0, 0.5, -0.2])
    >>> (result.n_runs, result.n_positive, result.n_negative, result.method)
    (4, 3, 3, 'exact')
    """
    values = np.asarray(residuals, dtype=float).ravel()
    signs = np.sign(values[values != 0])
    n_zero = int(values.size - signs.size)
    n_pos, n_neg = int(np.sum(signs > 0)), int(np.sum(signs < 0))
    if n_pos == 0 or n_neg == 0:
        raise DataError(
            f"the {signs.size} non-zero residuals all have the same sign, so the runs test "
            "cannot be computed",
            fix="Check that the residuals come from a fit with an intercept",
        )
    n = n_pos + n_neg
    runs = 1 + int(np.sum(signs[1:] != signs[:-1]))
    expected = 1.0 + 2.0 * n_pos * n_neg / n
    variance = 2.0 * n_pos * n_neg * (2.0 * n_pos * n_neg - n) / (n * n * (n - 1.0))
    std = math.sqrt(variance)
    z = (runs - expected) / std if std > 0 else 0.0
    if n <= EXACT_RUNS_LIMIT:
        ways, total = _runs_distribution(n_pos, n_neg)
        lower = sum(count for r, count in ways.items() if r <= runs)
        upper = sum(count for r, count in ways.items() if r >= runs)
        p_value, method = min(1.0, 2.0 * min(lower, upper) / total), "exact"
    else:
        p_value, method = float(2.0 * stats.norm.sf(abs(z))), "normal"
    return RunsTest(
        n_runs=runs,
        n_positive=n_pos,
        n_negative=n_neg,
        n_zero=n_zero,
        expected=expected,
        std=std,
        z=float(z),
        p_value=float(p_value),
        method=method,
    )


def residuals_in_x_order(model: Any, X: Any, y: Any) -> np.ndarray:
    """Residuals sorted by the (single) predictor, ties kept in file order, for the runs test."""
    residual = np.asarray(y, dtype=float).ravel() - np.asarray(model.predict(X), float).ravel()
    x = (
        X.iloc[:, 0]
        if isinstance(X, pd.DataFrame)
        else np.asarray(X, float).reshape(len(residual), -1)[:, 0]
    )
    return residual[np.argsort(np.asarray(x, dtype=float), kind="stable")]


def _runs_distribution(n1: int, n2: int) -> tuple[dict[int, int], int]:
    """For r runs: the number of orders of n1 '+' and n2 '-' signs with r runs, and the total.

    Exact integers (so the p-value is not summed from rounded probabilities): r = 2k runs in
    ``2 C(n1-1, k-1) C(n2-1, k-1)`` orders, r = 2k+1 in
    ``C(n1-1, k) C(n2-1, k-1) + C(n1-1, k-1) C(n2-1, k)``, out of ``C(n1+n2, n1)``.
    """
    ways = {}
    for r in range(2, n1 + n2 + 1):
        k = r // 2
        if r % 2 == 0:
            count = 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
        else:
            count = math.comb(n1 - 1, k) * math.comb(n2 - 1, k - 1)
            count += math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k)
        if count:
            ways[r] = count
    return ways, math.comb(n1 + n2, n1)


def _clean(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
