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
        R_inverse = _r_inverse(solution)
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


def confidence_intervals(params: pd.DataFrame, dof: int, level: float) -> pd.DataFrame:
    """``estimate ± t · std_error`` at coverage ``level`` for each row of a ``params_`` table."""
    _check_level(level)
    q = stats.t.ppf(0.5 + level / 2, dof) if dof > 0 else np.nan
    half = q * params["std_error"]
    return pd.DataFrame(
        {"lower": params["estimate"] - half, "upper": params["estimate"] + half},
        index=params.index,
    )


def covariance(solution: LinearSolution, scale: float) -> pd.DataFrame:
    """``scale · R⁻¹R⁻ᵀ`` over the estimable parameters, NaN rows/columns for aliased ones."""
    keep = ~solution.aliased
    R_inverse = _r_inverse(solution)
    full = np.full((len(solution.coef), len(solution.coef)), np.nan)
    full[np.ix_(keep, keep)] = scale * (R_inverse @ R_inverse.T)
    names = pd.Index(solution.param_names, name="parameter")
    return pd.DataFrame(full, index=names, columns=list(solution.param_names))


ROW_BLOCK_BYTES = 2 * 1024 * 1024
"""Size of the row blocks of per-row computations (a few n × p temporaries of a big fit)."""


def row_blocks(n_rows: int, n_columns: int) -> list[slice]:
    """Slices of consecutive rows whose ``n_columns`` floats take about ``ROW_BLOCK_BYTES``.

    Computing row by row in such blocks gives each row the same number as computing all rows
    at once, with temporaries of one block instead of the whole table.
    """
    size = max(1, ROW_BLOCK_BYTES // (8 * max(1, n_columns)))
    return [slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]


def unscaled_variance(inference: Inference, D_new: np.ndarray) -> np.ndarray:
    """``dᵢᵀ (DᵀD)⁻¹ dᵢ`` for each row ``dᵢ`` of ``D_new`` (estimable columns only).

    Row i of ``D R⁻¹`` has this squared length; for the fitted rows it is the leverage.
    Computed in blocks of rows (:func:`row_blocks`).
    """
    out = np.empty(len(D_new))
    for rows in row_blocks(len(D_new), D_new.shape[1]):
        block = D_new[rows] @ inference.R_inverse
        out[rows] = np.einsum("ij,ij->i", block, block)
    return out


@dataclass(frozen=True)
class FTest:
    """An F-test of a smaller least-squares model against a bigger one that contains it.

    ``F = ((sse_small - sse_big) / df1) / (sse_big / df2)`` with ``df1 = dof_small - dof_big``
    and ``df2 = dof_big`` (residual degrees of freedom), as statsmodels' ``compare_f_test``.
    """

    f: float
    df1: int
    df2: int
    p_value: float
    sse_small: float
    sse_big: float


def f_test_from_sums(sse_small: float, dof_small: int, sse_big: float, dof_big: int) -> FTest:
    """The nested-model F-test from the two fits' residual sums of squares and dof.

    The bigger model need not be a regression: with the sum of squares within replicate
    groups as ``sse_big`` (pure error) this is the lack-of-fit test.
    """
    df1, df2 = int(dof_small - dof_big), int(dof_big)
    if df1 <= 0 or df2 <= 0:
        from benchlearn.errors import UsageError

        raise UsageError(
            f"the models are not nested with residual dof {dof_small} > {dof_big} > 0",
            fix="Pass the smaller model first, and a bigger model with residual dof left",
        )
    # Rounding can make the SSE difference of nested fits a hair negative.
    difference = max(float(sse_small) - float(sse_big), 0.0)
    f = (difference / df1) / (sse_big / df2) if sse_big > 0 else float("inf")
    return FTest(float(f), df1, df2, float(stats.f.sf(f, df1, df2)), float(sse_small),
                 float(sse_big))  # fmt: skip


def nested_f_test(small: object, big: object) -> FTest:
    """F-test of a fitted model against a bigger fitted model whose columns contain its own.

    Parameters
    ----------
    small, big
        Fitted linear models (anything with ``solution_``) or :class:`LinearSolution` records,
        fitted to the same rows with the same weights.
    """
    a = getattr(small, "solution_", small)
    b = getattr(big, "solution_", big)
    return f_test_from_sums(a.sse, a.dof_resid, b.sse, b.dof_resid)


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        from benchlearn.errors import UsageError

        raise UsageError(f"level={level!r} must be between 0 and 1", fix="For 95% use level=0.95")


def _r_inverse(solution: LinearSolution) -> np.ndarray:
    if solution.R_inverse is not None:
        return solution.R_inverse
    return scipy.linalg.solve_triangular(solution.R, np.eye(solution.R.shape[0]))


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
    _check_level(level)
    keep = ~solution.aliased
    mean = D_new @ solution.coef
    variance = inference.residual_std**2 * unscaled_variance(inference, D_new[:, keep])
    if kind == "prediction":
        extra = inference.residual_std**2
        variance = variance + (extra if weights is None else extra / np.asarray(weights, float))
    dof = inference.dof_resid
    q = stats.t.ppf(0.5 + level / 2, dof) if dof > 0 else np.nan
    se = np.sqrt(variance)
    half = q * se
    return pd.DataFrame({"mean": mean, "se": se, "lower": mean - half, "upper": mean + half})
