"""Does the model's shape fit? The lack-of-fit test and the runs test of a fitted table.

Each check is computed when it can be; otherwise the reason it cannot (no replicated x, for
the lack-of-fit test) is kept, so that every output can say why a check is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import DataError
from benchlearn.evaluate.lack_of_fit import LackOfFitTest, RunsTest, lack_of_fit_test, runs_test
from benchlearn.linear.compare import separate_lines_design
from benchlearn.linear.regression import LinearRegression


@dataclass(frozen=True)
class ShapeChecks:
    """The lack-of-fit and runs tests of one model, or why each was not computed.

    Attributes
    ----------
    lack_of_fit, runs
        The tests (None when not computed).
    lack_of_fit_reason, runs_reason
        Why a test was not computed (None when it was).
    order
        The order the runs test reads the residuals in, in words.
    model
        The model checked, in words, when it is not the fit itself (e.g. "a separate line for
        each plate"); None for the fit itself.
    """

    lack_of_fit: LackOfFitTest | None
    lack_of_fit_reason: str | None
    runs: RunsTest | None
    runs_reason: str | None
    order: str
    model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: ``lack_of_fit`` and ``runs_test``, each with ``computed``."""
        extra = {} if self.model is None else {"model": self.model}
        lof: dict[str, Any] = (
            {"computed": True} | self.lack_of_fit.to_dict()
            if self.lack_of_fit is not None
            else {"computed": False, "reason": self.lack_of_fit_reason}
        )
        runs: dict[str, Any] = (
            {"computed": True, "order": self.order} | self.runs.to_dict()
            if self.runs is not None
            else {"computed": False, "reason": self.runs_reason}
        )
        return {"lack_of_fit": lof | extra, "runs_test": runs | extra}


def shape_checks(
    model: Any,
    X: Any,
    y: Any,
    sample_weight: Any = None,
    *,
    settings: pd.DataFrame | None = None,
    described_as: str | None = None,
) -> ShapeChecks:
    """Lack-of-fit test (when x is replicated) and runs test, or why each was not computed.

    Parameters
    ----------
    model, X, y, sample_weight
        The fitted model and its data (rows of ``X`` that are equal are replicates).
    settings
        DataFrame of the columns that order the runs test (e.g. the predictor; the group then
        the predictor). The residuals of replicates of one setting are averaged (weighted mean)
        first, so that replicates' own scatter does not count as runs. ``None`` (several
        predictors): individual residuals in order of the fitted value.
    described_as
        The model in words, when it is not the fit the user asked for.
    """
    lof, lof_reason = None, None
    try:
        lof = lack_of_fit_test(model, X, y, sample_weight=sample_weight)
    except DataError as error:
        lof_reason = error.what
    fitted = np.asarray(model.predict(X), float).ravel()
    residual = np.asarray(y, dtype=float).ravel() - fitted
    weights = np.ones_like(residual) if sample_weight is None else np.asarray(sample_weight, float)
    if settings is None:
        ordered = residual[np.argsort(fitted, kind="stable")]
        order = "residuals in order of the fitted value"
    else:
        used = weights > 0
        keys = list(settings.columns)
        table = settings.loc[used].reset_index(drop=True)
        table["_wr"], table["_w"] = (weights * residual)[used], weights[used]
        sums = table.groupby(keys, sort=True)[["_wr", "_w"]].sum()
        ordered = (sums["_wr"] / sums["_w"]).to_numpy()
        by = " then ".join(str(k) for k in keys)
        order = (
            f"mean residual of each {by} setting, in order of {by}"
            if len(sums) < int(used.sum())
            else f"residuals in order of {by}"
        )
    runs, runs_reason = None, None
    try:
        runs = runs_test(ordered)
    except DataError as error:
        runs_reason = error.what
    return ShapeChecks(lof, lof_reason, runs, runs_reason, order, described_as)


def group_shape_checks(
    data: pd.DataFrame,
    y: Any,
    x: str,
    group: str,
    through_origin: bool,
    sample_weight: Any,
    *,
    model: Any = None,
) -> ShapeChecks:
    """Shape checks of the separate-lines model: replicates are repeats of a (group, x) pair.

    ``model``: that model already fitted to these rows (``LineComparison.separate_fit``), if
    there is one; otherwise it is fitted here.
    """
    design = separate_lines_design(data, x, group, through_origin)
    if model is None:
        model = LinearRegression(fit_intercept=not through_origin).fit(
            design, y, sample_weight=sample_weight
        )
    settings = pd.DataFrame(
        {group: data[group].astype(str).str.strip().to_numpy(),
         x: pd.to_numeric(data[x]).to_numpy(dtype=float)}
    )  # fmt: skip
    return shape_checks(model, design, y, sample_weight, settings=settings,
                        described_as=f"a separate line for each {group}")  # fmt: skip
