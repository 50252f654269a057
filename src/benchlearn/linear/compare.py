"""Comparing straight lines between groups (analysis of covariance, ANCOVA).

Treated against control, two instruments, three plates: each group has its own line of ``y``
against ``x``. Two questions, asked in order, each an F-test between nested least-squares fits:

1. **Are the slopes equal?** The *separate-lines* model (each group its own intercept and slope)
   against the *common-slope* model (parallel lines: one slope, an intercept per group).
2. **If the slopes are not different: are the lines at the same height (elevation)?** The
   common-slope model against a *single line* for everybody. When the slopes differ, the lines
   cross somewhere, so "which line is higher" has no single answer; the test is still computed
   but reported as not interpretable.

With the lines forced through the origin (``through_origin=True``) only the slopes are compared:
every line already passes through (0, 0).

Each F is ``((SSE_small - SSE_big) / (df_small - df_big)) / (SSE_big / df_big)``, from the
residual sums of squares and residual degrees of freedom of the two fits, each fitted by
:class:`benchlearn.LinearRegression` on a design built here from indicator ("dummy") columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from benchlearn.errors import DataError, UsageError
from benchlearn.linear.inference import nested_f_test

ALPHA = 0.05


@dataclass(frozen=True)
class NestedFTest:
    """An F-test of a smaller model against a bigger one that contains it."""

    name: str
    f: float
    df1: int
    df2: int
    p_value: float
    sse_small: float
    sse_big: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "test": self.name,
            "F": _clean(self.f),
            "df1": self.df1,
            "df2": self.df2,
            "p_value": _clean(self.p_value),
            "sse_small": self.sse_small,
            "sse_big": self.sse_big,
        }


@dataclass(frozen=True)
class LineComparison:
    """The result of :func:`compare_lines`.

    Attributes
    ----------
    lines : DataFrame
        One row per group (index: the group's label): ``n``, ``slope``, ``slope_se``,
        ``slope_ci_lower``, ``slope_ci_upper`` and, unless through the origin, ``intercept``,
        ``intercept_se``, ``intercept_ci_lower``, ``intercept_ci_upper``. Each group's line is
        fitted on that group's rows alone, as Prism and most lab software report it.
    slopes : NestedFTest
        Separate lines against parallel lines (common slope).
    elevations : NestedFTest or None
        Parallel lines against one single line (``None`` through the origin).
    common_slope : dict
        The common slope of the parallel-lines model: estimate, std_error, ci_lower, ci_upper.
    through_origin : bool
    x, y, group : str
        The column names.
    level : float
        Confidence level of the intervals.
    separate_fit : LinearRegression
        The fitted separate-lines model, on the design of :func:`separate_lines_design` (its
        lack-of-fit test needs no second fit).
    """

    lines: pd.DataFrame
    slopes: NestedFTest
    elevations: NestedFTest | None
    common_slope: dict[str, float]
    through_origin: bool
    x: str
    y: str
    group: str
    level: float = 0.95
    alpha: float = ALPHA
    weighted: bool = field(default=False)
    separate_fit: Any = field(default=None, repr=False, compare=False)

    @property
    def slopes_differ(self) -> bool:
        """The slopes test is significant at ``alpha``."""
        return bool(self.slopes.p_value < self.alpha)

    def to_dict(self) -> dict[str, Any]:
        """Every number as JSON-ready values."""
        return {
            "group": self.group,
            "through_origin": self.through_origin,
            "weighted": self.weighted,
            "level": self.level,
            "lines": [
                {"group": str(g), **{k: _clean(v) for k, v in row.items()}}
                for g, row in self.lines.iterrows()
            ],
            "slopes_test": self.slopes.to_dict(),
            "elevations_test": None if self.elevations is None else self.elevations.to_dict(),
            "elevations_interpretable": self.elevations is not None and not self.slopes_differ,
            "common_slope": {k: _clean(v) for k, v in self.common_slope.items()},
        }


def compare_lines(
    data: pd.DataFrame,
    y: str,
    x: str,
    group: str,
    *,
    through_origin: bool = False,
    sample_weight: Any = None,
    level: float = 0.95,
) -> LineComparison:
    """Compare the straight lines of ``y`` against ``x`` between the groups in ``group``.

    Parameters
    ----------
    data
        The table (e.g. from :func:`benchlearn.data.read_table`).
    y, x
        Response and predictor columns (numeric).
    group
        Column naming each row's group (text or numbers); 2 or more groups.
    through_origin
        Force every line through (0, 0); only the slopes are then compared.
    sample_weight
        Weights of a weighted fit (one per row of ``data``), used in every model.
    level
        Confidence level of the per-group intervals.

    Returns
    -------
    LineComparison

    Examples
    --------
    >>> import pandas as pd
    >>> from benchlearn.linear.compare import compare_lines
    >>> frame = pd.DataFrame({
    ...     "dose": [0, 1, 2, 3, 0, 1, 2, 3],
    ...     "signal": [0.1, 1.1, 1.9, 3.1, 0.0, 2.1, 3.9, 6.0],
    ...     "arm": ["control"] * 4 + ["treated"] * 4})
    >>> result = compare_lines(frame, "signal", "dose", "arm")
    >>> result.slopes_differ
    True
    """
    from benchlearn.data import select_columns
    from benchlearn.linear.regression import LinearRegression

    if group not in data.columns:
        raise UsageError(
            f"there is no column named `{group}` to group by",
            fix=f"The columns are: {', '.join(f'`{c}`' for c in data.columns)}",
        )
    if group in (x, y):
        raise UsageError(
            f"`{group}` cannot be both the group column and --x/--y",
            fix="Choose a column that names each row's group",
        )
    X, response = select_columns(data, y, [x], min_rows=3)
    weights = _weights(sample_weight, data, X.index)
    labels = data.loc[X.index, group]
    empty = labels.isna() | (labels.astype(str).str.strip() == "")
    if empty.any():
        raise DataError(
            "the group cell is empty",
            path=data.attrs.get("source"),
            row=int(labels.index[empty][0]),
            column=group,
            fix="Name the row's group, or leave the row out",
        )
    labels = labels.astype(str).str.strip()
    levels = sorted(labels.unique())
    if len(levels) < 2:
        raise DataError(
            f"column `{group}` has only one group ({levels[0]}): there is nothing to compare",
            path=data.attrs.get("source"),
            column=group,
            fix="Choose a column with two or more groups",
        )
    xs = X[x].to_numpy()
    ys = response.to_numpy()
    per_group_params = 1 if through_origin else 2
    for level_name in levels:
        rows = (labels == level_name).to_numpy()
        if rows.sum() < per_group_params + 1 or np.unique(xs[rows]).size < per_group_params:
            raise DataError(
                f"group {level_name} has {int(rows.sum())} row(s) with "
                f"{np.unique(xs[rows]).size} distinct {x} value(s): too few to fit its own line "
                "and estimate its scatter",
                path=data.attrs.get("source"),
                column=group,
                fix=f"Each group needs at least {per_group_params + 1} rows and "
                f"{per_group_params} different {x} values",
            )

    def fit(design: pd.DataFrame) -> Any:
        return LinearRegression(fit_intercept=not through_origin).fit(
            design, ys, sample_weight=weights
        )

    separate_fit = fit(
        separate_lines_design(pd.DataFrame({x: xs, group: labels}), x, group, through_origin)
    )
    if through_origin:
        common_fit = fit(X[[x]])
        slopes = _f_test("slopes equal", common_fit, separate_fit)
        elevations = None
    else:
        shifts = pd.DataFrame(
            {f"{group}:{g}": (labels == g).to_numpy(dtype=float) for g in levels[1:]},
            index=X.index,
        )
        parallel = pd.concat([X[[x]], shifts], axis=1)
        common_fit = fit(parallel)
        single_fit = fit(X[[x]])
        slopes = _f_test("slopes equal", common_fit, separate_fit)
        elevations = _f_test("elevations equal (common slope)", single_fit, common_fit)
    common_row = common_fit.params_.loc[x]
    t = stats.t.ppf(0.5 + level / 2, common_fit.dof_resid_)
    common_slope = {
        "estimate": float(common_row["estimate"]),
        "std_error": float(common_row["std_error"]),
        "ci_lower": float(common_row["estimate"] - t * common_row["std_error"]),
        "ci_upper": float(common_row["estimate"] + t * common_row["std_error"]),
    }
    lines = _per_group_lines(X[[x]], ys, weights, labels, levels, through_origin, level)
    return LineComparison(
        lines=lines,
        slopes=slopes,
        elevations=elevations,
        common_slope=common_slope,
        through_origin=through_origin,
        x=x,
        y=y,
        group=group,
        level=level,
        weighted=sample_weight is not None,
        separate_fit=separate_fit,
    )


def separate_lines_design(
    data: pd.DataFrame, x: str, group: str, through_origin: bool
) -> pd.DataFrame:
    """Design of the model with a line per group (x, group shifts, x-by-group slopes).

    Groups are the labels of column ``group`` (as text, stripped), in sorted order; the first
    is the reference whose intercept and slope are the model's own (through the origin: one
    slope column per group).
    """
    xs = pd.to_numeric(data[x]).to_numpy(dtype=float)
    labels = data[group].astype(str).str.strip()
    levels = sorted(labels.unique())
    columns: dict[str, Any] = {} if through_origin else {x: xs}
    for name in levels if through_origin else levels[1:]:
        member = (labels == name).to_numpy(dtype=float)
        if not through_origin:
            columns[f"{group}:{name}"] = member
        columns[f"{x}:{group}:{name}"] = xs * member
    return pd.DataFrame(columns, index=data.index)


def _f_test(name: str, small: Any, big: Any) -> NestedFTest:
    if big.dof_resid_ <= 0:
        raise DataError(
            "no residual degrees of freedom are left after fitting a line to every group",
            fix="Measure more points per group (each line needs more points than parameters)",
        )
    test = nested_f_test(small, big)
    return NestedFTest(name, test.f, test.df1, test.df2, test.p_value, test.sse_small,
                       test.sse_big)  # fmt: skip


def _per_group_lines(
    X: pd.DataFrame,
    ys: np.ndarray,
    weights: np.ndarray | None,
    labels: pd.Series,
    levels: list[str],
    through_origin: bool,
    level: float,
) -> pd.DataFrame:
    from benchlearn.linear.regression import LinearRegression

    rows = []
    for name in levels:
        mask = (labels == name).to_numpy()
        model = LinearRegression(fit_intercept=not through_origin).fit(
            X[mask], ys[mask], sample_weight=None if weights is None else weights[mask]
        )
        t = stats.t.ppf(0.5 + level / 2, model.dof_resid_)
        row: dict[str, float] = {"n": int(mask.sum())}
        for param, prefix in [(X.columns[0], "slope"), ("intercept", "intercept")]:
            if param not in model.params_.index:
                continue
            est, se = model.params_.loc[param, ["estimate", "std_error"]]
            row |= {prefix: est, f"{prefix}_se": se, f"{prefix}_ci_lower": est - t * se,
                    f"{prefix}_ci_upper": est + t * se}  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(levels, name="group"))


def _weights(sample_weight: Any, data: pd.DataFrame, index: pd.Index) -> np.ndarray | None:
    if sample_weight is None:
        return None
    if isinstance(sample_weight, pd.Series):
        return sample_weight.loc[index].to_numpy(dtype=float)
    w = np.asarray(sample_weight, dtype=float).ravel()
    if w.shape[0] != len(data):
        raise UsageError(
            f"sample_weight has {w.shape[0]} values for {len(data)} rows",
            fix="Give one weight per row of the data",
        )
    return w[data.index.get_indexer(index)]


def _clean(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
