"""A fit read aloud: short plain-language sentences for scientists who do not do statistics."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from benchlearn.linear.regression import (
    NEAR_SINGULAR_CONDITION,
    collinear_columns,
    scaled_condition_number,
)


def collinearity_notes(model: Any) -> list[str]:
    """Warnings about aliased or nearly collinear predictors, in words."""
    solution = model.solution_
    if solution.aliased.any():
        names = ", ".join(np.asarray(solution.param_names)[solution.aliased])
        return [
            f"{names} could not be estimated: it is an exact combination of the other "
            "predictors (the data cannot tell their effects apart)."
        ]
    condition = scaled_condition_number(solution)
    if condition > NEAR_SINGULAR_CONDITION:
        names = ", ".join(collinear_columns(solution))
        return [
            f"The predictors {names} are strongly correlated with each other (condition number "
            f"{condition:.3g}): their individual estimates are uncertain and hard to interpret, "
            "although the predictions remain good."
        ]
    return []


MAX_ROWS_NAMED = 10
"""How many outliers (and how many influential rows) the sentences name one by one."""


def plain_language(
    model: Any, response: str, diagnostics: pd.DataFrame | None = None, level: float = 0.95
) -> list[str]:
    """Sentences describing what the fit says.

    Parameters
    ----------
    model
        A fitted linear model.
    response
        Name of the response, as the user called it.
    diagnostics
        Output of :func:`benchlearn.evaluate.residual_diagnostics` (row labels are the user's
        row numbers), to name outliers and influential points.
    level
        Confidence level of the intervals quoted.
    """
    sentences = []
    params = model.params_
    polynomial = hasattr(model, "degree")
    for name, row in params.iterrows():
        if name == "intercept" or (polynomial and name != params.index[-1] and model.degree > 1):
            continue
        if polynomial and model.degree > 1:
            sentences.append(
                f"The curve is a degree-{model.degree} polynomial in {params.index[1]}; its "
                f"highest term, {name}, has coefficient {row['estimate']:.4g} "
                f"({_interval(row, level)}), "
                + ("so the curvature is real." if row["p_value"] < 0.05
                   else "which is not clearly different from zero: a lower degree may do.")
            )  # fmt: skip
            continue
        direction = "increases" if row["estimate"] > 0 else "decreases"
        sentences.append(
            f"For each increase of 1 in {name}, {response} {direction} by "
            f"{abs(row['estimate']):.4g} on average ({_interval(row, level)}"
            + (", holding the other predictors fixed" if len(params) > 2 else "")
            + ")."
        )
        if row["p_value"] >= 0.05:
            sentences.append(
                f"The effect of {name} is not clearly different from zero (p = "
                f"{row['p_value']:.2g}): the data are also consistent with no effect."
            )
    if model.fit_intercept and "intercept" in params.index:
        row = params.loc["intercept"]
        sentences.append(
            f"When every predictor is 0, the expected {response} is {row['estimate']:.4g} "
            f"({_interval(row, level)})."
        )
    if np.isfinite(model.r2_):
        sentences.append(
            f"The model accounts for {100 * model.r2_:.1f}% of the variation in {response} "
            + ("around its mean" if model.fit_intercept else "around zero (no intercept)")
            + f"; a typical measurement lies about {model.residual_std_:.3g} from the fitted "
            "value (residual standard deviation)."
        )
    if diagnostics is not None:
        sentences += _flagged_row_sentences(diagnostics)
    sentences += collinearity_notes(model)
    return sentences


def _flagged_row_sentences(diagnostics: pd.DataFrame, limit: int = MAX_ROWS_NAMED) -> list[str]:
    """One sentence per outlier and per influential row, at most ``limit`` of each kind (the
    ones that matter most), then one sentence counting the rest: a million-row fit flags
    thousands of rows by the 4/n rule, and a reader needs the worst few."""
    sentences = []
    outliers = diagnostics[diagnostics["outlier"]]
    worst = outliers["studentized_residual"].abs().sort_values(ascending=False, kind="stable")
    for label in worst.index[:limit]:
        sentences.append(
            f"Row {label} is an outlier: it lies {worst[label]:.1f} standard deviations from "
            "the fit. Check it at the bench or in your notes before trusting or removing it."
        )
    if len(outliers) > limit:
        sentences.append(f"{len(outliers) - limit} more rows are outliers (listed in the JSON "
                         "output); the ones above lie furthest from the fit.")  # fmt: skip
    influential = diagnostics[diagnostics["influential"]]
    cooks = influential["cooks_distance"].sort_values(ascending=False, kind="stable")
    for label in cooks.index[:limit]:
        sentences.append(
            f"Row {label} strongly influences the result (Cook's distance "
            f"{cooks[label]:.2g}): the fitted line would move noticeably without it."
        )
    if len(influential) > limit:
        sentences.append(f"{len(influential) - limit} more rows are influential (listed in the "
                         "JSON output); the ones above move the fit most.")  # fmt: skip
    return sentences


def _interval(row: pd.Series, level: float) -> str:
    return f"{100 * level:.0f}% CI {row['ci_lower']:.4g} to {row['ci_upper']:.4g}"
