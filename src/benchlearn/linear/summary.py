"""``RegressionSummary``: every number a scientist reads off a regression, in one object.

It holds numbers only (one table model: the parameter table and the fit statistics). How it
looks is the report's business: ``str()`` gives the terminal text laid out like R's
``summary(lm)``, ``_repr_html_`` a table for notebooks and ``__rich__`` the command line's
tables, each drawn by a renderer of :mod:`benchlearn.report.summary` (see
:mod:`benchlearn.display`); ``to_dict()`` gives the numbers as JSON-ready values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.display import render


class RegressionSummary:
    """The numbers of a fitted linear model, ready to be shown.

    Parameters
    ----------
    model
        A fitted :class:`~benchlearn.LinearRegression` (or ``PolynomialRegression``).
    X, y
        Optionally the data it was fitted on: adds residual quantiles (and the response's name).
    response
        Name of the response, if ``y`` does not carry one.
    level
        Confidence level of the parameters' intervals.

    Attributes
    ----------
    parameters : DataFrame
        One row per parameter: estimate, std_error, t, p_value, ci_lower, ci_upper (at
        ``level``).
    statistics : dict
        n_samples, dof_resid, rank, residual_std, r2, r2_adj, f_statistic, f_df, f_pvalue,
        condition_number (NaN and inf kept as floats).
    residual_quantiles : dict or None
        min, q1, median, q3, max of the residuals, when the data were given.
    """

    def __init__(
        self,
        model: Any,
        X: Any = None,
        y: Any = None,
        response: str | None = None,
        *,
        level: float = 0.95,
    ) -> None:
        self.model = model
        self.response = response or getattr(y, "name", None) or "y"
        self.level = level
        self.residuals = None if X is None or y is None else np.asarray(y, float) - model.predict(X)
        parameters = model.params_.copy()
        if level != 0.95:
            intervals = model.conf_int(level)
            parameters["ci_lower"] = intervals["lower"]
            parameters["ci_upper"] = intervals["upper"]
        self.parameters: pd.DataFrame = parameters
        self.statistics: dict[str, Any] = {
            "n_samples": int(model.n_samples_),
            "dof_resid": int(model.dof_resid_),
            "rank": int(model.rank_),
            "residual_std": float(model.residual_std_),
            "r2": float(model.r2_),
            "r2_adj": float(model.r2_adj_),
            "f_statistic": float(model.f_statistic_),
            "f_df": [int(model.df_model_), int(model.dof_resid_)],
            "f_pvalue": float(model.f_pvalue_),
            "condition_number": float(model.condition_number_),
        }
        self.residual_quantiles: dict[str, float] | None = None
        if self.residuals is not None:
            q = np.quantile(self.residuals, [0, 0.25, 0.5, 0.75, 1])
            self.residual_quantiles = dict(
                zip(["min", "q1", "median", "q3", "max"], map(float, q), strict=True)
            )

    @property
    def formula(self) -> str:
        """The model in words: ``response ~ predictors`` (``- 1`` when through the origin)."""
        names = [n for n in self.parameters.index if n != "intercept"]
        right = " + ".join(str(n) for n in names) if names else "1"
        return f"{self.response} ~ {right}" + ("" if self.model.fit_intercept else " - 1")

    def to_dict(self) -> dict[str, Any]:
        """Every number of the summary as JSON-serialisable values (NaN and inf become None)."""
        m, s = self.model, self.statistics
        params = [
            {"name": name, **{k: _clean(v) for k, v in row.items()}}
            for name, row in self.parameters.iterrows()
        ]
        out: dict[str, Any] = {
            "model": type(m).__name__,
            "formula": self.formula,
            "response": self.response,
            "fit_intercept": bool(m.fit_intercept),
            "n_samples": s["n_samples"],
            "dof_resid": s["dof_resid"],
            "rank": s["rank"],
            "parameters": params,
            "residual_std": _clean(s["residual_std"]),
            "r2": _clean(s["r2"]),
            "r2_adj": _clean(s["r2_adj"]),
            "r2_kind": "centred" if m.fit_intercept else "uncentred (no intercept)",
            "f_statistic": _clean(s["f_statistic"]),
            "f_df": list(s["f_df"]),
            "f_pvalue": _clean(s["f_pvalue"]),
            "condition_number": _clean(s["condition_number"]),
        }
        if self.residual_quantiles is not None:
            out["residual_quantiles"] = dict(self.residual_quantiles)
        return out

    # Shown by the report's renderers (benchlearn.report.summary), found through display.
    def __str__(self) -> str:
        return render(self, "text")

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return render(self, "html")

    def __rich__(self) -> Any:
        return render(self, "rich")


def _clean(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None
