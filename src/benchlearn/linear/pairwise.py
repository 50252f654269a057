"""Pairwise comparisons of group lines: which slopes and which heights differ.

:func:`benchlearn.linear.compare.compare_lines` asks whether *any* slopes (or heights) differ,
with one F-test. With three or more groups the next question is *which*. Every pair of groups
is compared by a t-test on a contrast of one least-squares fit, so all comparisons share the
pooled residual SD and its degrees of freedom (as R's ``lm`` and ``emmeans`` do):

- **slopes**: in the separate-lines model (each group its own intercept and slope),
  ``b_j - b_i`` with ``SE = s·sqrt(L C Lᵀ)``, ``C = (DᵀWD)⁻¹``;
- **elevations** (the classic analysis of covariance, Zar, *Biostatistical Analysis*, ch. 18):
  in the common-slope model (parallel lines), the difference of two groups' intercepts,
  which is their vertical distance at every x. Meaningful when the slopes do not differ;
- **differences at x** (``emmeans``'s convention): in the separate-lines model, the
  difference of two groups' lines at one x, by default the mean x of all rows.

p-values are adjusted for the number of pairs: Holm's step-down (default; Holm 1979) or
Tukey's studentized range (Tukey-Kramer, ``P(Q > sqrt(2)·|t|)`` for ``k`` groups, as emmeans'
``"tukey"``), Bonferroni, or none. Tukey's adjustment also widens the intervals
(``q(1-α; k, ν)/sqrt(2)`` instead of t); Holm's adjusts p-values only, so its intervals are
per comparison.

Each group's line is reported twice, labelled: with standard errors from the pooled
separate-lines model, and from the group's own fit (its rows alone, as Prism reports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
from scipy import stats

from benchlearn.errors import UsageError

ADJUSTMENTS = {
    "holm": "Holm (1979) step-down; intervals unadjusted (per comparison)",
    "tukey": "Tukey-Kramer: p = P(Q(k, ν) > sqrt(2)·|t|); intervals ± q(1-α; k, ν)/sqrt(2)·SE",
    "bonferroni": "Bonferroni: p × number of pairs (capped at 1); intervals at 1 - α/pairs",
    "none": "no adjustment (each comparison on its own)",
}
POOLED = "pooled: separate-lines model, common residual SD (as R lm / emmeans)"
OWN = "own fit: each group's rows alone (as Prism)"


@dataclass(frozen=True)
class PairwiseLines:
    """The result of :func:`pairwise_lines`.

    Attributes
    ----------
    lines : DataFrame
        One row per group: ``slope``, ``intercept`` and their standard errors and intervals,
        ``*_se_pooled`` / ``*_ci_*_pooled`` (separate-lines model) and ``*_se_own`` /
        ``*_ci_*_own`` (the group's own fit); ``n``.
    slopes, elevations, at_x : DataFrame
        One row per pair: ``group_a``, ``group_b``, ``difference`` (b minus a),
        ``std_error``, ``t``, ``df``, ``p_value``, ``p_adjusted``, ``ci_lower``, ``ci_upper``.
    at : float
        The x where ``at_x`` compares the lines.
    adjust, level : str, float
    """

    lines: pd.DataFrame
    slopes: pd.DataFrame
    elevations: pd.DataFrame
    at_x: pd.DataFrame
    at: float
    adjust: str
    level: float
    conventions: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Every number with the convention and formula it follows."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]

        return {
            "level": self.level,
            "adjust": {"name": self.adjust, "method": ADJUSTMENTS[self.adjust]},
            "lines": {"conventions": {"pooled": POOLED, "own": OWN},
                      "rows": records(self.lines.reset_index())},
            "slopes": {**self.conventions["slopes"], "rows": records(self.slopes)},
            "elevations": {**self.conventions["elevations"], "rows": records(self.elevations)},
            "at_x": {**self.conventions["at_x"], "x": self.at, "rows": records(self.at_x)},
        }  # fmt: skip


def pairwise_lines(
    data: pd.DataFrame,
    y: str,
    x: str,
    group: str,
    *,
    sample_weight: Any = None,
    level: float = 0.95,
    adjust: str = "holm",
    at: float | None = None,
) -> PairwiseLines:
    """Compare every pair of groups' lines: slopes, elevations and heights at one x.

    Parameters
    ----------
    data, y, x, group
        The table and its response, predictor and group columns (as for
        :func:`benchlearn.linear.compare.compare_lines`, which validates them).
    sample_weight
        Weights of a weighted fit, one per row.
    level
        Confidence level of the intervals.
    adjust
        ``"holm"`` (default), ``"tukey"``, ``"bonferroni"`` or ``"none"``.
    at
        x at which ``at_x`` compares the separate lines; default the mean x of all rows.

    Returns
    -------
    PairwiseLines

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "dose": [0, 1, 2, 3] * 3,
    ...     "signal": [0.1, 1.1, 1.9, 3.1, 0.0, 2.1, 3.9, 6.0, 0.2, 1.0, 2.1, 2.9],
    ...     "arm": ["a"] * 4 + ["b"] * 4 + ["c"] * 4})
    >>> result = pairwise_lines(frame, "signal", "dose", "arm")
    >>> result.slopes[["group_a", "group_b"]].values.tolist()
    [['a', 'b'], ['a', 'c'], ['b', 'c']]
    """
    from benchlearn.linear.compare import compare_lines, separate_lines_design
    from benchlearn.linear.regression import LinearRegression

    if adjust not in ADJUSTMENTS:
        raise UsageError(
            f"adjust={adjust!r} is not one of {', '.join(ADJUSTMENTS)}",
            fix="Holm's adjustment is the default; 'tukey' adjusts intervals too",
        )
    if not 0 < level < 1:
        raise UsageError(f"level={level!r} must be between 0 and 1", fix="For 95% use 0.95")
    # compare_lines validates the columns, the groups and their sizes, and fits each group.
    overall = compare_lines(data, y, x, group, sample_weight=sample_weight, level=level)
    frame = data.loc[_used_rows(data, y, x)]
    labels = frame[group].astype(str).str.strip()
    levels = sorted(labels.unique())
    k = len(levels)
    weights = None if sample_weight is None else _weights(sample_weight, data, frame.index)
    response = pd.to_numeric(frame[y]).to_numpy(dtype=float)
    design = separate_lines_design(frame, x, group, through_origin=False)
    separate = LinearRegression().fit(design, response, sample_weight=weights)
    xs = pd.to_numeric(frame[x]).to_numpy(dtype=float)
    parallel_design = pd.concat([design[[x]], design[[f"{group}:{g}" for g in levels[1:]]]], axis=1)
    parallel = LinearRegression().fit(parallel_design, response, sample_weight=weights)
    at = float(np.mean(xs)) if at is None else float(at)

    # Rows of L: coefficients of each group's intercept and slope in the separate model
    # (columns: intercept, x, then per group g ≠ first: shift g, slope change g).
    p = 2 + 2 * (k - 1)
    intercept_L, slope_L = np.zeros((k, p)), np.zeros((k, p))
    intercept_L[:, 0], slope_L[:, 1] = 1.0, 1.0
    for i in range(1, k):
        intercept_L[i, 2 * i] = 1.0
        slope_L[i, 2 * i + 1] = 1.0
    lines = _group_lines(separate, intercept_L, slope_L, levels, overall, level)
    pairs = list(combinations(range(k), 2))

    def contrasts(L: np.ndarray) -> np.ndarray:
        return np.array([L[j] - L[i] for i, j in pairs])

    parallel_L = np.zeros((k, 2 + k - 1))
    parallel_L[:, 0] = 1.0
    for i in range(1, k):
        parallel_L[i, 1 + i] = 1.0
    slopes = _compare(separate, contrasts(slope_L), pairs, levels, level, adjust, k)
    elevations = _compare(parallel, contrasts(parallel_L), pairs, levels, level, adjust, k)
    at_x = _compare(separate, contrasts(intercept_L + at * slope_L), pairs, levels, level,
                    adjust, k)  # fmt: skip
    conventions = {
        "slopes": {"convention": f"difference of slopes, {POOLED}",
                   "formula": "b_j - b_i, SE = s·sqrt(L·C·Lᵀ), t on n - 2k df"},
        "elevations": {"convention": "difference of elevations in the common-slope "
                       "(parallel lines) model, ANCOVA (Zar ch. 18)",
                       "formula": "a_j - a_i with one slope for all, SE = s·sqrt(L·C·Lᵀ), "
                       "t on n - k - 1 df; meaningful when the slopes do not differ"},
        "at_x": {"convention": f"difference of the separate lines at x = {at:g} (emmeans)",
                 "formula": "(a_j + b_j·x) - (a_i + b_i·x), SE = s·sqrt(L·C·Lᵀ), t on "
                 "n - 2k df"},
    }  # fmt: skip
    return PairwiseLines(lines, slopes, elevations, at_x, at, adjust, level, conventions)


def _group_lines(
    separate: Any,
    intercept_L: np.ndarray,
    slope_L: np.ndarray,
    levels: list[str],
    overall: Any,
    level: float,
) -> pd.DataFrame:
    cov = _covariance(separate)
    t_pooled = stats.t.ppf(0.5 + level / 2, separate.dof_resid_)
    coef = np.r_[separate.intercept_, separate.coef_]
    table = {}
    for name, L in (("intercept", intercept_L), ("slope", slope_L)):
        est = L @ coef
        se = np.sqrt(np.einsum("ij,jk,ik->i", L, cov, L))
        table[name] = est
        table[f"{name}_se_pooled"] = se
        table[f"{name}_ci_lower_pooled"] = est - t_pooled * se
        table[f"{name}_ci_upper_pooled"] = est + t_pooled * se
        own = overall.lines
        table[f"{name}_se_own"] = own[f"{name}_se"].to_numpy()
        table[f"{name}_ci_lower_own"] = own[f"{name}_ci_lower"].to_numpy()
        table[f"{name}_ci_upper_own"] = own[f"{name}_ci_upper"].to_numpy()
    table["n"] = overall.lines["n"].to_numpy()
    return pd.DataFrame(table, index=pd.Index(levels, name="group"))


def _compare(
    model: Any,
    L: np.ndarray,
    pairs: list[tuple[int, int]],
    levels: list[str],
    level: float,
    adjust: str,
    k: int,
) -> pd.DataFrame:
    coef = np.r_[model.intercept_, model.coef_]
    cov = _covariance(model)
    df = int(model.dof_resid_)
    diff = L @ coef
    se = np.sqrt(np.einsum("ij,jk,ik->i", L, cov, L))
    t = diff / se
    p = 2 * stats.t.sf(np.abs(t), df)
    m = len(pairs)
    alpha = 1 - level
    if adjust == "holm":
        order = np.argsort(p)
        stepped = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * p[order]))
        adjusted = np.empty(m)
        adjusted[order] = stepped
        half = stats.t.ppf(1 - alpha / 2, df) * se
    elif adjust == "tukey":
        adjusted = stats.studentized_range.sf(np.sqrt(2) * np.abs(t), k, df)
        half = _studentized_range_quantile(level, k, df) / np.sqrt(2) * se
    elif adjust == "bonferroni":
        adjusted = np.minimum(1.0, m * p)
        half = stats.t.ppf(1 - alpha / (2 * m), df) * se
    else:
        adjusted = p
        half = stats.t.ppf(1 - alpha / 2, df) * se
    return pd.DataFrame(
        {
            "group_a": [levels[i] for i, _ in pairs],
            "group_b": [levels[j] for _, j in pairs],
            "difference": diff,
            "std_error": se,
            "t": t,
            "df": df,
            "p_value": p,
            "p_adjusted": adjusted,
            "ci_lower": diff - half,
            "ci_upper": diff + half,
        }
    )


@cache
def _studentized_range_quantile(level: float, k: int, df: int) -> float:
    # SciPy finds the quantile by root-finding over a numerically integrated CDF (about a
    # second); slopes and heights at x share one model's df, so one run asks for it twice.
    return float(stats.studentized_range.ppf(level, k, df))


def _covariance(model: Any) -> np.ndarray:
    if model.rank_ < len(model.coef_) + 1:
        raise UsageError(
            "the groups' lines cannot all be estimated (the design is rank deficient)",
            fix="Give every group at least two different x values",
        )
    R_inv = scipy.linalg.solve_triangular(model.R_, np.eye(model.R_.shape[0]))
    return model.residual_std_**2 * (R_inv @ R_inv.T)


def _used_rows(data: pd.DataFrame, y: str, x: str) -> pd.Index:
    from benchlearn.data import select_columns

    X, _ = select_columns(data, y, [x], min_rows=3)
    return X.index


def _weights(sample_weight: Any, data: pd.DataFrame, index: pd.Index) -> np.ndarray:
    if isinstance(sample_weight, pd.Series):
        return sample_weight.loc[index].to_numpy(dtype=float)
    w = np.asarray(sample_weight, dtype=float).ravel()
    return w[data.index.get_indexer(index)]


def _clean(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
