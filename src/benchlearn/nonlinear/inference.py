"""Wald inference for a nonlinear fit: the parameter table, bands, and the summary's numbers.

Near the answer a bending curve is close to its tangent plane, so the linear-regression
formulas apply with the Jacobian ``J`` in place of the design matrix: ``cov = s² (JᵀJ)⁻¹``,
``SE = sqrt(diag(cov))``, ``t = estimate / SE`` on ``n - p`` degrees of freedom. How good the
approximation is depends on how much the curve bends over the range the data allow; the
profile intervals of :mod:`benchlearn.nonlinear.profile` do not rely on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from benchlearn.errors import UsageError

PARAMS_COLUMNS = ["estimate", "std_error", "t", "p_value", "ci_lower", "ci_upper"]


def t_quantile(level: float, dof: int) -> float:
    """The two-sided ``level`` quantile of Student's t on ``dof`` degrees of freedom."""
    if not 0 < level < 1:
        raise UsageError(f"level={level!r} must be between 0 and 1", fix="For 95% use level=0.95")
    return float(stats.t.ppf(0.5 + level / 2, dof)) if dof > 0 else math.nan


def wald_table(
    estimate: np.ndarray, cov: np.ndarray, dof: int, level: float, names: list[str]
) -> pd.DataFrame:
    """estimate, std_error, t, p_value, ci_lower, ci_upper for each parameter."""
    estimate = np.asarray(estimate, dtype=float)
    std_error = np.sqrt(np.diag(cov))
    q = t_quantile(level, dof)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = estimate / std_error
    p_value = 2 * stats.t.sf(np.abs(t), dof) if dof > 0 else np.full_like(t, np.nan)
    return pd.DataFrame(
        {
            "estimate": estimate,
            "std_error": std_error,
            "t": t,
            "p_value": p_value,
            "ci_lower": estimate - q * std_error,
            "ci_upper": estimate + q * std_error,
        },
        index=pd.Index(names, name="parameter"),
    )


def band(
    mean: np.ndarray,
    gradient: np.ndarray,
    cov: np.ndarray,
    residual_std: float,
    dof: int,
    *,
    kind: str = "confidence",
    level: float = 0.95,
    weights: Any = None,
) -> pd.DataFrame:
    """Confidence band of the curve, or prediction band of a new observation (delta method).

    Parameters
    ----------
    mean
        Fitted curve at the new points.
    gradient
        (m, p) derivatives of the curve at the new points with respect to the fitted parameters.
    cov
        (p, p) covariance of the parameters.
    residual_std, dof
        ``s`` and its degrees of freedom.
    kind
        ``"confidence"`` (where the true curve lies) or ``"prediction"`` (where one new
        measurement falls: adds ``s² / weight``).
    level
        Coverage probability.
    weights
        Weight of each new observation in a weighted fit (default 1).
    """
    if kind not in ("confidence", "prediction"):
        raise UsageError(
            f"kind={kind!r} is not an interval kind",
            fix="Use kind='confidence' (for the curve) or kind='prediction' (for a new point)",
        )
    variance = np.einsum("ij,jk,ik->i", gradient, cov, gradient)
    if kind == "prediction":
        extra = residual_std**2
        variance = variance + (extra if weights is None else extra / np.asarray(weights, float))
    se = np.sqrt(variance)
    half = t_quantile(level, dof) * se
    mean = np.asarray(mean, dtype=float)
    return pd.DataFrame({"mean": mean, "se": se, "lower": mean - half, "upper": mean + half})


def derived_quantities(params: pd.DataFrame) -> pd.DataFrame:
    """EC50 from logEC50 and the half-life from a rate constant, with mapped intervals.

    A monotone function of a parameter keeps the coverage of the parameter's interval, so the
    interval ends are mapped (and come out lopsided, as they should for a concentration).
    """
    rows = {}
    if "logEC50" in params.index:
        row = params.loc["logEC50"]
        rows["EC50"] = [10.0 ** row[c] for c in ("estimate", "ci_lower", "ci_upper")]
    if "k" in params.index:
        row = params.loc["k"]
        ln2 = math.log(2.0)
        upper = ln2 / row["ci_lower"] if row["ci_lower"] > 0 else math.inf
        rows["half_life"] = [ln2 / row["estimate"], ln2 / row["ci_upper"], upper]
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["estimate", "ci_lower", "ci_upper"]
    ).rename_axis("quantity")


@dataclass(frozen=True)
class NonlinearSummary:
    """Everything a nonlinear fit reports, as numbers (renderers live in ``benchlearn.report``).

    Attributes
    ----------
    model
        The curve's name and formula.
    params
        The Wald parameter table (see ``NonlinearRegression.params_``).
    fixed
        Parameters held fixed, with their values.
    residual_std, rss
        Residual standard deviation and (weighted) residual sum of squares.
    n_samples, dof_resid
        Observations used and residual degrees of freedom.
    n_starts, nfev
        Starting points tried and model evaluations of the winning start.
    derived
        EC50 from logEC50, half-life from k (see ``NonlinearRegression.derived_``).
    """

    model: str
    params: pd.DataFrame
    fixed: dict[str, float] = field(default_factory=dict)
    residual_std: float = math.nan
    rss: float = math.nan
    n_samples: int = 0
    dof_resid: int = 0
    n_starts: int = 1
    nfev: int = 0
    derived: pd.DataFrame | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (NaN and infinities become None)."""
        return {
            "model": self.model,
            "parameters": {
                name: {column: _clean(row[column]) for column in PARAMS_COLUMNS}
                for name, row in self.params.iterrows()
            },
            "fixed": {name: _clean(value) for name, value in self.fixed.items()},
            "residual_std": _clean(self.residual_std),
            "rss": _clean(self.rss),
            "n_samples": self.n_samples,
            "dof_resid": self.dof_resid,
            "n_starts": self.n_starts,
            "nfev": self.nfev,
            "derived": {}
            if self.derived is None
            else {
                name: {column: _clean(value) for column, value in row.items()}
                for name, row in self.derived.iterrows()
            },
        }

    def __str__(self) -> str:
        lines = [f"Nonlinear least squares, {self.model}"]
        table = self.params.copy()
        lines.append(table.to_string(float_format=lambda v: f"{v:.6g}"))
        if self.derived is not None and len(self.derived):
            lines.append(self.derived.to_string(float_format=lambda v: f"{v:.6g}"))
        if self.fixed:
            held = ", ".join(f"{name} = {value:.6g}" for name, value in self.fixed.items())
            lines.append(f"Held fixed: {held}")
        lines.append(
            f"Residual standard deviation {self.residual_std:.6g} on {self.dof_resid} degrees "
            f"of freedom ({self.n_samples} observations); 95% intervals are Wald intervals."
        )
        return "\n".join(lines)


def _clean(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None
