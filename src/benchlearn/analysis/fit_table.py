"""``fit_table``: fit a straight line, polynomial or multiple regression to a table, fully.

What ``benchlearn fit`` computes, as one call a notebook or the lesson can make: the weights
(a column, or a lab rule), the fit, its summary and residual diagnostics, the checks of the
model's shape, the comparison of groups' lines, and the warnings raised on the way.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from benchlearn.analysis.shape_checks import ShapeChecks, group_shape_checks, shape_checks
from benchlearn.analysis.weights import (
    Weighting,
    check_group_column,
    rows_with_weights,
    sample_weight,
)
from benchlearn.errors import DataError, UsageError

if TYPE_CHECKING:
    from benchlearn.linear.compare import LineComparison
    from benchlearn.linear.summary import RegressionSummary


@dataclass(frozen=True)
class FitAnalysis:
    """The result of :func:`fit_table` (and the fit inside :func:`standard_curve`).

    Attributes
    ----------
    model
        The fitted ``LinearRegression`` or ``PolynomialRegression``.
    X, y
        The rows fitted (index: the user's row numbers; ``X.attrs["dropped_rows"]`` lists rows
        left out for empty cells).
    summary
        The model's :class:`~benchlearn.linear.summary.RegressionSummary` (residuals included).
    diagnostics
        :func:`benchlearn.evaluate.residual_diagnostics` of the fit (outliers, influence).
    weighting, sample_weight
        How the fit was weighted, and the weights (None when unweighted).
    checks
        Lack-of-fit and runs tests (None for a standard curve, which has its own checks).
    comparison
        The comparison of the groups' lines (:class:`~benchlearn.linear.compare.LineComparison`),
        with ``group``; else None.
    data
        With ``group``: the table's rows that were fitted (for the groups' figure).
    warnings
        The messages of the warnings raised while reading and fitting.
    level
        Confidence level of the intervals.
    source
        Where the table came from (a file name), if known.
    pairwise
        With ``group`` (and an intercept): every pair of groups' slope and elevation
        difference with pooled standard errors and adjusted p-values, and each group's line
        with the pooled model's and its own fit's standard errors
        (:class:`~benchlearn.linear.pairwise.PairwiseLines`); else None.
    """

    model: Any
    X: pd.DataFrame
    y: pd.Series
    summary: RegressionSummary
    diagnostics: pd.DataFrame
    weighting: Weighting
    sample_weight: np.ndarray | None
    checks: ShapeChecks | None
    comparison: LineComparison | None = None
    group: str | None = None
    data: pd.DataFrame | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = ()
    level: float = 0.95
    source: str | None = None
    pairwise: Any = None

    @property
    def outlier_rows(self) -> list[int]:
        """Row labels of outliers (large studentized residual)."""
        return [int(r) for r in self.diagnostics.index[self.diagnostics["outlier"]]]

    @property
    def influential_rows(self) -> list[int]:
        """Row labels of influential rows (large Cook's distance)."""
        return [int(r) for r in self.diagnostics.index[self.diagnostics["influential"]]]

    def to_dict(self) -> dict[str, Any]:
        """Every number as JSON-ready values (no NaN or infinity: those become None)."""
        out = self.summary.to_dict() | {
            "source": self.source,
            "warnings": list(self.warnings),
            "outlier_rows": self.outlier_rows,
            "influential_rows": self.influential_rows,
            "dropped_rows": list(self.X.attrs.get("dropped_rows", [])),
            "weighting": self.weighting.to_dict(),
            "parameter_intervals": {
                "level": self.level,
                "default_level": 0.95,
                "convention": f"t-interval on the residual degrees of freedom "
                f"({self.model.dof_resid_} df)",
                "formula": "estimate ± t(1 - α/2; n - p)·SE, α = 1 - level",
            },
        }
        if self.comparison is not None:
            out["group_comparison"] = self.comparison.to_dict()
        if self.pairwise is not None:
            out["pairwise"] = self.pairwise.to_dict()
        if self.checks is not None:
            out |= self.checks.to_dict()
        return out


def check_fit_options(
    *,
    y: str,
    x: list[str] | None,
    degree: int = 1,
    weights: str | None = None,
    weight_by: str | None = None,
    group: str | None = None,
) -> None:
    """Refuse option combinations that cannot work, before any data is read."""
    check_weight_options(weights, weight_by)
    check_group_options(y=y, x=x, degree=degree, group=group)


def check_weight_options(weights: str | None, weight_by: str | None) -> None:
    """A column of weights or a rule, not both; a rule that exists."""
    from benchlearn.linear.weighting import check_rule

    if weights is not None and weight_by is not None:
        raise UsageError(
            "--weights and --weight-by are alternatives: a column of weights, or weights "
            "computed by a rule",
            fix="Choose one of them",
        )
    if weight_by is not None:
        check_rule(weight_by)


def check_group_options(*, y: str, x: list[str] | None, degree: int, group: str | None) -> None:
    """Groups compare straight lines against one predictor."""
    if group is None:
        return
    if x is None or len(x) != 1:
        raise UsageError(
            f"--group compares the straight lines of {y} against one --x column, "
            f"got {'none' if x is None else len(x)}",
            fix="Name the predictor with one --x",
        )
    if degree != 1:
        raise UsageError(
            f"--group compares straight lines; --degree {degree} cannot be used with it",
            fix="Drop --degree, or fit each group on its own",
        )


def fit_model(
    X: Any, y: Any, *, degree: int = 1, fit_intercept: bool = True, sample_weight: Any = None
) -> Any:
    """Exact (weighted) least squares, a polynomial in the one predictor if ``degree > 1``."""
    from benchlearn.linear import LinearRegression, PolynomialRegression

    if degree > 1 and X.shape[1] != 1:
        raise UsageError(
            f"--degree {degree} needs exactly one --x column, got {X.shape[1]}",
            fix="Name one predictor with --x, or drop --degree",
        )
    if fit_intercept and "intercept" in [str(c).strip().lower() for c in X.columns]:
        source = getattr(X, "attrs", {}).get("source")
        raise UsageError(
            "a predictor column is named `intercept`, the name of the fit's intercept row, so "
            "the two coefficients could not be told apart",
            where=None if source is None else f"file {source}",
            fix="Rename the column in the file (e.g. `intercept_x`)",
        )
    _check_enough_rows(X, y, degree, fit_intercept, sample_weight)
    if degree > 1:
        model = PolynomialRegression(degree=degree, fit_intercept=fit_intercept)
    else:
        model = LinearRegression(fit_intercept=fit_intercept)
    model.fit(X, y, sample_weight=sample_weight)
    _refuse_exact_fit(model, X, y)
    return model


def _refuse_exact_fit(model: Any, X: Any, y: Any) -> None:
    """Refuse points lying exactly on the fit: no scatter, so no standard error or interval."""
    spread = float(np.std(np.asarray(y, dtype=float)))
    residual = float(model.residual_std_)
    if not (math.isfinite(residual) and residual > 1e-12 * spread):
        source = getattr(X, "attrs", {}).get("source")
        raise DataError(
            "the points lie exactly on the fitted curve (the residual standard deviation is "
            f"{residual:.3g}), so there is no scatter to estimate standard errors, p-values, "
            "intervals or limits from",
            where=None if source is None else f"file {source}",
            fix="Measured values always scatter: check that the response was measured, not "
            "computed from the predictors",
        )


def _check_enough_rows(
    X: Any, y: Any, degree: int, fit_intercept: bool, sample_weight: Any
) -> None:
    """Refuse a fit with no rows left to estimate the scatter (rows of weight 0 do not count)."""
    source = getattr(X, "attrs", {}).get("source")
    where = None if source is None else f"file {source}"
    rows = len(y)
    weighted = sample_weight is not None
    if weighted:
        positive = np.asarray(sample_weight, dtype=float) > 0
        rows = int(positive.sum())
        if rows == 0:
            raise DataError(
                "every weight is 0, so no row is left to fit",
                where=where,
                fix="Give the rows to fit a positive weight (0 leaves a row out)",
            )
    predictors = X.shape[1] * degree
    coefficients = predictors + (1 if fit_intercept else 0)
    if rows <= coefficients:
        counted = " with a positive weight" if weighted else ""
        parts = f"{predictors} predictor term(s)" + (" and the intercept" if fit_intercept else "")
        raise DataError(
            f"only {rows} row(s){counted} for {coefficients} coefficients ({parts}): "
            "a fit needs more rows than coefficients to estimate its scatter, its standard "
            "errors and its p-values",
            where=where,
            fix=f"Add measurements (at least {coefficients + 1} rows{counted}), or fit fewer "
            "predictors (--x) or a lower --degree",
        )


def fit_table(
    table: pd.DataFrame,
    y: str,
    x: list[str] | str | None = None,
    *,
    degree: int = 1,
    fit_intercept: bool = True,
    weights: str | None = None,
    weight_by: str | None = None,
    group: str | None = None,
    drop_missing: bool = False,
    level: float = 0.95,
    adjust: str = "holm",
) -> FitAnalysis:
    """Fit ``y`` against ``x`` in ``table`` and compute everything ``benchlearn fit`` reports.

    Parameters
    ----------
    table
        The data, e.g. from :func:`benchlearn.data.read_table` (``attrs["source"]``, the file
        name, is quoted in messages).
    y
        The response column.
    x
        Predictor column(s); None: every other numeric column (not ``weights`` nor ``group``).
    degree
        Polynomial degree in the single ``x`` (1 = straight line).
    fit_intercept
        False forces the fit through the origin.
    weights
        A column of weights (weighted least squares; larger = more reliable).
    weight_by
        Weights from a rule instead: ``1/x``, ``1/x2``, ``1/y``, ``1/y2`` or ``replicates``.
    group
        A column naming each row's group: the groups' straight lines are compared (equal
        slopes? then equal heights?) and the shape checks are of the separate-lines model.
    drop_missing
        Leave out rows with empty cells (else they are an error naming the row).
    level
        Confidence level of the parameters' and the groups' intervals.
    adjust
        With ``group``: the multiplicity adjustment of the pairwise comparisons, ``"holm"``
        (default), ``"tukey"``, ``"bonferroni"`` or ``"none"``.

    Returns
    -------
    FitAnalysis

    Raises
    ------
    UsageError, DataError
        An option or the data cannot be used as given (the message says how to fix it).

    Examples
    --------
    >>> import pandas as pd
    >>> from benchlearn.analysis import fit_table
    >>> table = pd.DataFrame({"conc": [0, 0, 5, 5, 10, 10], "A": [0.1, 0.12, 0.5, 0.52, 0.9, 0.93]})
    >>> result = fit_table(table, "A", "conc")
    >>> round(float(result.model.coef_[0]), 4)
    0.0805
    """
    from benchlearn.data import select_columns
    from benchlearn.evaluate import residual_diagnostics
    from benchlearn.linear.compare import compare_lines
    from benchlearn.linear.pairwise import ADJUSTMENTS, pairwise_lines
    from benchlearn.linear.summary import RegressionSummary

    if not 0 < level < 1:
        raise UsageError(f"--level {level} must be between 0 and 1", fix="For 95% use 0.95")
    if adjust not in ADJUSTMENTS:
        raise UsageError(f"--adjust {adjust} is not one of {', '.join(ADJUSTMENTS)}",
                         fix="holm (the default) adjusts p-values; tukey also widens the "
                         "intervals")  # fmt: skip
    columns = [x] if isinstance(x, str) else x
    check_fit_options(y=y, x=columns, degree=degree, weights=weights, weight_by=weight_by,
                      group=group)  # fmt: skip
    source = table.attrs.get("source")
    check_group_column(table, group)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = table
        if weights is not None:
            frame = rows_with_weights(table, weights, drop_missing=drop_missing)
        # Neither the weights nor the group labels are predictors when x is left out.
        usable = frame.drop(columns=[c for c in (weights, group) if c is not None and c != y])
        usable.attrs = dict(table.attrs)
        X, response = select_columns(
            usable,
            y,
            columns,
            drop_missing=drop_missing,
            min_rows=degree + (1 if fit_intercept else 0) + 1,
        )
        w, weighting = sample_weight(frame, X, response, weights, weight_by, source, group=group)
        model = fit_model(X, response, degree=degree, fit_intercept=fit_intercept, sample_weight=w)
    comparison, data, pairwise = None, None, None
    if group is not None:
        data = table.loc[X.index]
        data.attrs = dict(table.attrs)
        comparison = compare_lines(
            data,
            y,
            X.columns[0],
            group,
            through_origin=not fit_intercept,
            sample_weight=None if w is None else pd.Series(w, index=data.index),
            level=level,
        )
        checks = group_shape_checks(data, response, X.columns[0], group, not fit_intercept, w,
                                    model=comparison.separate_fit)  # fmt: skip
        if fit_intercept:
            pairwise = pairwise_lines(
                data, y, X.columns[0], group, level=level, adjust=adjust,
                sample_weight=None if w is None else pd.Series(w, index=data.index),
            )  # fmt: skip
    else:
        checks = shape_checks(model, X, response, w,
                              settings=X if X.shape[1] == 1 else None)  # fmt: skip
    return FitAnalysis(
        model=model,
        X=X,
        y=response,
        summary=RegressionSummary(model, X, response, level=level),
        diagnostics=residual_diagnostics(model, X, response, sample_weight=w),
        weighting=weighting,
        sample_weight=w,
        checks=checks,
        comparison=comparison,
        group=group,
        data=data,
        warnings=tuple(str(warning.message) for warning in caught),
        level=level,
        source=source,
        pairwise=pairwise,
    )
