"""Statistical inference for a least-squares fit, from its R factor.

The covariance of the estimates is ``sigma² (DᵀD)⁻¹``. Because ``D = Q R`` with ``Q`` orthonormal,
``DᵀD = RᵀR`` and ``(DᵀD)⁻¹ = R⁻¹ R⁻ᵀ``: the standard error of parameter ``j`` is ``sigma`` times
the length of row ``j`` of ``R⁻¹``. Forming ``DᵀD`` would square the condition number and lose
twice as many digits; working from ``R`` does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg
from scipy import stats

from benchlearn.linear.solution import LinearSolution

PARAMS_COLUMNS = ["estimate", "std_error", "t", "p_value", "ci_lower", "ci_upper"]


@dataclass(frozen=True)
class Inference:
    """The numbers a scientist reads off a regression (see ``LinearRegression`` attributes)."""

    params: pd.DataFrame
    residual_std: float
    r2: float
    r2_adj: float
    f_statistic: float
    f_pvalue: float
    df_model: int
    dof_resid: int
    R_inverse: np.ndarray


def infer(solution: LinearSolution, level: float = 0.95) -> Inference:
    """Standard errors, t statistics, p-values, confidence intervals, R² and the F-test.

    Parameters
    ----------
    solution
        The fitted problem.
    level
        Confidence level of the intervals in ``params``.
    """
    keep = ~solution.aliased
    dof = solution.dof_resid
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = np.float64(solution.sse) / dof if dof > 0 else np.nan
        residual_std = float(np.sqrt(sigma2))
        R_inverse = solution.R_inverse
        if R_inverse is None:
            R_inverse = scipy.linalg.solve_triangular(solution.R, np.eye(solution.R.shape[0]))
        std_error = np.full(len(solution.coef), np.nan)
        std_error[keep] = residual_std * np.sqrt(np.einsum("ij,ij->i", R_inverse, R_inverse))
        estimate = np.where(keep, solution.coef, np.nan)
        t = estimate / std_error
        p_value = 2 * stats.t.sf(np.abs(t), dof) if dof > 0 else np.full_like(t, np.nan)
        q = stats.t.ppf(0.5 + level / 2, dof) if dof > 0 else np.nan
        params = pd.DataFrame(
            {
                "estimate": estimate,
                "std_error": std_error,
                "t": t,
                "p_value": p_value,
                "ci_lower": estimate - q * std_error,
                "ci_upper": estimate + q * std_error,
            },
            index=pd.Index(solution.param_names, name="parameter"),
        )
        n = solution.n_samples
        r2 = 1.0 - solution.sse / solution.tss if solution.tss > 0 else np.nan
        df_model = solution.rank - (1 if solution.fit_intercept else 0)
        # Adjusted R² divides by the degrees of freedom of each sum of squares: n - 1 for the
        # centred total with an intercept, n for the uncentred total without one.
        df_total = n - 1 if solution.fit_intercept else n
        r2_adj = 1.0 - (1.0 - r2) * df_total / dof if dof > 0 else np.nan
        if df_model > 0 and dof > 0 and solution.tss > 0:
            f_statistic = np.float64(solution.tss - solution.sse) / df_model / sigma2
            f_pvalue = float(stats.f.sf(f_statistic, df_model, dof))
        else:
            f_statistic, f_pvalue = np.nan, np.nan
    return Inference(
        params=params,
        residual_std=residual_std,
        r2=float(r2),
        r2_adj=float(r2_adj),
        f_statistic=float(f_statistic),
        f_pvalue=float(f_pvalue),
        df_model=int(df_model),
        dof_resid=int(dof),
        R_inverse=R_inverse,
    )


def interval(
    solution: LinearSolution,
    inference: Inference,
    D_new: np.ndarray,
    *,
    kind: str = "confidence",
    level: float = 0.95,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Confidence interval for the mean response, or prediction interval for a new observation.

    Parameters
    ----------
    solution, inference
        The fit and its inference.
    D_new
        Design rows (m, p) of the new points (intercept column first).
    kind
        ``"confidence"``: where the true line lies. ``"prediction"``: where a single new
        measurement is expected to fall (adds the scatter of one observation).
    level
        Coverage probability.
    weights
        For a weighted fit, the weight of each new observation (its variance is
        ``sigma² / weight``); default 1.
    """
    if kind not in ("confidence", "prediction"):
        from benchlearn.errors import UsageError

        raise UsageError(
            f"kind={kind!r} is not an interval kind",
            fix="Use kind='confidence' (for the mean) or kind='prediction' (for a new measurement)",
        )
    if not 0 < level < 1:
        from benchlearn.errors import UsageError

        raise UsageError(f"level={level!r} must be between 0 and 1", fix="For 95% use level=0.95")
    keep = ~solution.aliased
    mean = D_new @ solution.coef
    # Row i of D R⁻¹ has length² = dᵢᵀ (DᵀD)⁻¹ dᵢ: the variance of the fitted mean over sigma².
    leverage_like = np.einsum("ij,ij->i", *(2 * [D_new[:, keep] @ inference.R_inverse]))
    variance = inference.residual_std**2 * leverage_like
    if kind == "prediction":
        extra = inference.residual_std**2
        variance = variance + (extra if weights is None else extra / np.asarray(weights, float))
    dof = inference.dof_resid
    q = stats.t.ppf(0.5 + level / 2, dof) if dof > 0 else np.nan
    half = q * np.sqrt(variance)
    return pd.DataFrame({"mean": mean, "lower": mean - half, "upper": mean + half})
