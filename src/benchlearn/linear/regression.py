"""``LinearRegression``: ordinary and weighted least squares, exact or by gradient descent."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from benchlearn.errors import CollinearityWarning, DataError, UsageError
from benchlearn.linear.exact import (
    SequentialPasses,
    array_blocks,
    solve_in_passes,
)
from benchlearn.linear.inference import (
    confidence_intervals,
    covariance,
    infer,
    interval,
    row_blocks,
    unscaled_variance,
)
from benchlearn.linear.qr import power_of_two_scales
from benchlearn.linear.solution import LinearSolution

SOLVERS = ("exact", "gd", "sgd", "minibatch")

# Condition number of the (power-of-two scaled, so unit-free) design beyond which predictors are
# strongly collinear: Belsley, Kuh & Welsch flag condition indices above 30-100; at 1e4 four of
# the data's digits are lost to the collinearity in every estimate that depends on it.
NEAR_SINGULAR_CONDITION = 1e4


class LinearRegression(RegressorMixin, BaseEstimator):
    """Least-squares linear regression with full statistical inference.

    The model is ``y = b0 + b1·x1 + ... + bp·xp + noise``. Fitting chooses the parameters that
    minimise the sum of squared residuals (the mean squared error, MSE).

    Parameters
    ----------
    fit_intercept : bool, default=True
        Include the intercept ``b0``. Without it the line is forced through the origin, and R²
        is the uncentred one (as in R, statsmodels and NIST).
    solver : {"exact", "gd", "sgd", "minibatch"}, default="exact"
        ``"exact"``: the R factor of the power-of-two scaled design from passes over row
        blocks, then iterative refinement, in double-double precision on small or
        ill-conditioned problems (see :mod:`benchlearn.linear.exact`). ``"gd"``, ``"sgd"``,
        ``"minibatch"``: gradient descent on the MSE, full batch, one row at a time, or
        ``batch_size`` rows at a time; every step is recorded in ``history_``.
    learning_rate : float or "auto", default="auto"
        Step size of the gradient-descent solvers; ``"auto"`` uses 1/L, L being the largest
        curvature of the loss.
    max_iter : int, default=1000
        Most steps (gd) or passes over the data (sgd, minibatch).
    tol : float, default=1e-6
        Gradient-descent stops when the gradient's length falls below ``tol``.
    batch_size : int or None, default=None
        Rows per step of the mini-batch solver.
    random_state : int or None, default=None
        Seed of the row shuffling in the stochastic solvers.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Slopes, one per feature (0 for an aliased feature, whose estimate is NaN in
        ``params_``).
    intercept_ : float
        The intercept (0.0 without one).
    params_ : DataFrame
        One row per parameter (``intercept`` first, then the features by name): estimate,
        std_error, t, p_value, ci_lower, ci_upper (95%).
    residual_std_ : float
        Residual standard deviation, ``sqrt(SSE / (n - rank))``.
    r2_, r2_adj_ : float
        R² (centred with an intercept, uncentred without) and adjusted R².
    f_statistic_, f_pvalue_ : float
        F-test of the model against the intercept-only model (or the zero model without an
        intercept).
    df_model_ : int
        Degrees of freedom of the model in the F-test: the estimable parameters other than the
        intercept.
    rank_ : int
        Number of estimable parameters.
    condition_number_ : float
        2-norm condition number of the design matrix (intercept column included).
    n_samples_, dof_resid_ : int
        Observations used, and residual degrees of freedom ``n - rank``.
    R_ : ndarray
        Upper-triangular factor of the (weighted) design, ``cov = residual_std_² R⁻¹ R⁻ᵀ``.
    solution_ : LinearSolution
        The record every inferential number is computed from.
    history_ : DataFrame
        Gradient-descent solvers only: step, loss, grad_norm and every parameter per step.
    n_iter_ : int
        Gradient-descent steps taken; for the exact solver, 1 (the QR solve) plus the number
        of refinement steps.

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import LinearRegression
    >>> conc = np.array([0.0, 0.25, 0.5, 1.0, 1.5, 2.0])       # BSA, mg/mL
    >>> absorbance = np.array([0.02, 0.16, 0.30, 0.61, 0.88, 1.21])
    >>> model = LinearRegression().fit(conc.reshape(-1, 1), absorbance)
    >>> round(float(model.coef_[0]), 3), round(model.r2_, 4)
    (0.592, 0.9993)
    """

    def __init__(
        self,
        *,
        fit_intercept: bool = True,
        solver: str = "exact",
        learning_rate: float | str = "auto",
        max_iter: int = 1000,
        tol: float = 1e-6,
        batch_size: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.batch_size = batch_size
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearRegression:
        """Fit the model.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Predictors. A DataFrame's column names name the parameters.
        y : array-like of shape (n_samples,)
            Response.
        sample_weight : array-like of shape (n_samples,), optional
            Weights for weighted least squares: observation ``i`` has variance
            ``sigma² / weight_i`` (e.g. ``1/x²`` for a constant coefficient of variation, or the
            inverse variance of replicates).

        Returns
        -------
        self
        """
        if _is_dask_collection(X):
            from benchlearn.scale.dask_fit import dask_solution

            if self.solver != "exact":
                raise UsageError(
                    f"solver={self.solver!r} is not available on Dask data",
                    fix="Use the exact solver (the default) for Dask arrays and DataFrames",
                )
            return self._adopt_solution(
                dask_solution(X, y, sample_weight, fit_intercept=self.fit_intercept),
                set_features=True,
            )
        if self.solver not in SOLVERS:
            raise UsageError(
                f"solver={self.solver!r} is not one of {', '.join(SOLVERS)}",
                fix="Use 'exact' for the closed-form answer or 'gd' / 'sgd' / 'minibatch' to "
                "watch gradient descent",
            )
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
        weights = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if np.any(weights < 0):
            raise DataError("sample_weight has negative values", fix="Weights must be >= 0")
        used = weights > 0
        if not used.all():
            X, y, weights = X[used], y[used], weights[used]
        n = X.shape[0]
        unit = bool(np.all(weights == 1.0))
        exact = solve_in_passes(
            SequentialPasses(array_blocks(X, y, None if unit else weights, self.fit_intercept)),
            fit_intercept=self.fit_intercept,
        )
        coef, sse = exact.coef, exact.sse
        if self.solver != "exact":
            D = self.design_matrix(X, _validated=True)
            coef = self._fit_iteratively(D, y, weights)
            coef = np.where(exact.aliased, 0.0, coef)
            residuals = (y - D @ coef) * np.sqrt(weights)
            sse = float(residuals @ residuals)
        else:
            self.n_iter_ = 1 + exact.n_refinements
        solution = LinearSolution(
            coef=coef,
            R=exact.R,
            sse=sse,
            tss=exact.tss,
            n_samples=n,
            param_names=self._param_names(),
            fit_intercept=self.fit_intercept,
            condition_number=np.inf if exact.aliased.any() else _condition_number(exact.R),
            aliased=exact.aliased,
            n_refinements=exact.n_refinements,
        )
        fitted = self._adopt_solution(solution)
        self.weighted_ = not unit
        return fitted

    def _fit_iteratively(self, D: np.ndarray, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
        from benchlearn.linear.iterative import solve_iteratively

        result = solve_iteratively(
            D,
            y,
            solver=self.solver,
            learning_rate=self.learning_rate,
            max_iter=self.max_iter,
            tol=self.tol,
            batch_size=self.batch_size,
            random_state=self.random_state,
            param_names=self._param_names(),
            sample_weight=weights,
        )
        self.history_ = result.history
        self.n_iter_ = result.n_iter
        self.learning_rate_ = result.learning_rate
        self.converged_ = result.converged
        self.diverged_ = result.diverged
        return np.asarray(result.coef, dtype=float)

    @classmethod
    def from_solution(cls, solution: LinearSolution) -> LinearRegression:
        """A fitted exact ``LinearRegression`` from a finished :class:`LinearSolution`.

        This is how fits computed elsewhere (streaming over a file, a Dask cluster) become an
        estimator with the same attributes, intervals and summary as an in-memory fit.

        Parameters
        ----------
        solution
            The solved problem. Its ``param_names`` (after ``"intercept"`` when it has one)
            name the features; the names ``x0, x1, ...`` stand for unnamed columns.

        Returns
        -------
        LinearRegression
        """
        model = cls(fit_intercept=solution.fit_intercept)
        return model._adopt_solution(solution, set_features=True)

    def _adopt_solution(
        self, solution: LinearSolution, level: float = 0.95, *, set_features: bool = False
    ) -> LinearRegression:
        """Set every fitted attribute from ``solution`` (shared by all ways of fitting)."""
        if set_features:
            features = list(solution.param_names[1 if solution.fit_intercept else 0 :])
            self.n_features_in_ = len(features)
            if features != [f"x{i}" for i in range(len(features))]:
                self.feature_names_in_ = np.asarray(features, dtype=object)
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
            self.n_iter_ = 1 + solution.n_refinements
        inference = infer(solution, level)
        self.solution_ = solution
        self._inference = inference
        start = 1 if solution.fit_intercept else 0
        self.intercept_ = float(solution.coef[0]) if solution.fit_intercept else 0.0
        self.coef_ = np.asarray(solution.coef[start:], dtype=float)
        self.params_ = inference.params
        self.residual_std_ = inference.residual_std
        self.r2_ = inference.r2
        self.r2_adj_ = inference.r2_adj
        self.f_statistic_ = inference.f_statistic
        self.f_pvalue_ = inference.f_pvalue
        self.df_model_ = inference.df_model
        self.rank_ = solution.rank
        self.condition_number_ = solution.condition_number
        self.n_samples_ = solution.n_samples
        self.dof_resid_ = solution.dof_resid
        self.R_ = solution.R
        _warn_about_collinearity(solution)
        return self

    # ------------------------------------------------------------------ using the fit
    def design_matrix(self, X: Any, _validated: bool = False) -> np.ndarray:
        """The design matrix: a column of ones (with an intercept) followed by the features.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_parameters)
        """
        if not _validated:
            check_is_fitted(self)
            X = validate_data(self, X, reset=False, dtype=np.float64)
        X = np.asarray(X, dtype=float)
        if self.fit_intercept:
            return np.hstack([np.ones((X.shape[0], 1)), X])
        return X

    def predict(self, X: Any) -> np.ndarray:
        """Predicted mean response for each row of ``X``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        # Row blocks: the design [1, X] of a big table would be another copy of it.
        out = np.empty(X.shape[0])
        for rows in row_blocks(X.shape[0], X.shape[1] + 1):
            out[rows] = self.design_matrix(X[rows], _validated=True) @ self.solution_.coef
        return out

    def predict_interval(
        self,
        X: Any,
        kind: str = "confidence",
        level: float = 0.95,
        sample_weight: Any = None,
    ) -> pd.DataFrame:
        """Predictions with a confidence or prediction interval.

        Parameters
        ----------
        X : array-like or DataFrame
            Where to predict.
        kind : {"confidence", "prediction"}
            ``"confidence"``: the range that contains the true mean response with probability
            ``level``. ``"prediction"``: the range a single new measurement falls in with
            probability ``level`` (wider: it adds one observation's scatter).
        level : float, default=0.95
            Coverage probability.
        sample_weight : array-like, optional
            Weighted fits: the weight a new observation would have (default 1, with a
            :class:`~benchlearn.errors.WeightWarning` for a prediction interval of a weighted
            fit, whose width depends on it).

        Returns
        -------
        DataFrame
            Columns ``mean``, ``se`` (standard error of the mean for ``"confidence"``, of a new
            observation's difference from the mean for ``"prediction"``), ``lower`` and
            ``upper``; indexed like ``X`` when it is a DataFrame.
        """
        check_is_fitted(self)
        warn_unweighted_prediction(self, kind, sample_weight)
        D = self.design_matrix(X)
        table = interval(
            self.solution_, self._inference, D, kind=kind, level=level, weights=sample_weight
        )
        if isinstance(X, pd.DataFrame):
            table.index = X.index
        return table

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Confidence intervals of the parameters at any level.

        Parameters
        ----------
        level : float, default=0.95
            Coverage probability (``0.99`` for 99% intervals).

        Returns
        -------
        DataFrame
            Indexed like ``params_``, columns ``lower`` and ``upper`` (NaN for an aliased
            parameter). ``estimate ± t(level, dof_resid_) · std_error``, as statsmodels'
            ``conf_int(alpha=1 - level)``.
        """
        check_is_fitted(self)
        return confidence_intervals(self.params_, self.dof_resid_, level)

    def cov_params(self, scale: float | None = None) -> pd.DataFrame:
        """Covariance matrix of the parameter estimates, ``scale · (DᵀWD)⁻¹``.

        Parameters
        ----------
        scale : float, optional
            The variance ``sigma²`` of an observation of weight 1; default the estimate
            ``residual_std_²`` (as statsmodels). ``scale=1.0`` gives the unscaled
            ``(DᵀWD)⁻¹`` that leverages and inverse predictions are built from.

        Returns
        -------
        DataFrame
            Parameters by parameters, named like ``params_``; rows and columns of aliased
            parameters are NaN.
        """
        check_is_fitted(self)
        sigma2 = self.residual_std_**2 if scale is None else float(scale)
        return covariance(self.solution_, sigma2)

    def leverage(self, X: Any, sample_weight: Any = None) -> np.ndarray:
        """Leverage ``h = w · dᵀ(DᵀWD)⁻¹d`` of each row of ``X`` (its design row ``d``).

        For the rows the model was fitted on these are the diagonal of the hat matrix.

        Parameters
        ----------
        X : array-like or DataFrame
        sample_weight : array-like, optional
            The rows' weights (default 1).

        Returns
        -------
        ndarray of shape (n_rows,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        keep = ~self.solution_.aliased
        root_w = None
        if sample_weight is not None:
            weights = np.asarray(sample_weight, dtype=float).ravel()
            root_w = np.broadcast_to(np.sqrt(weights), (X.shape[0],))
        out = np.empty(X.shape[0])
        for rows in row_blocks(X.shape[0], len(keep)):
            D = self.design_matrix(X[rows], _validated=True)[:, keep]
            if root_w is not None:
                D = D * root_w[rows, None]
            out[rows] = unscaled_variance(self._inference, D)
        return out

    def summary(self) -> Any:
        """A readable report of the fit: ``print()`` it, or show it in a notebook."""
        check_is_fitted(self)
        from benchlearn.linear.summary import RegressionSummary

        return RegressionSummary(self)

    # ------------------------------------------------------------------ helpers
    def _param_names(self) -> list[str]:
        names = getattr(self, "feature_names_in_", None)
        features = (
            [str(c) for c in names]
            if names is not None
            else [f"x{i}" for i in range(self.n_features_in_)]
        )
        return (["intercept"] if self.fit_intercept else []) + features

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "solution_")


def _is_dask_collection(X: Any) -> bool:
    """Whether ``X`` is a Dask collection (by Dask's collection protocol; Dask stays optional)."""
    return callable(getattr(type(X), "__dask_graph__", None))


def _total_sum_of_squares(y: np.ndarray, weights: np.ndarray, centred: bool) -> float:
    if not centred:
        return float(np.sum(weights * y * y))
    mean = np.sum(weights * y) / np.sum(weights)
    deviation = y - mean
    # A second pass removes the rounding error of the first mean (Björck's corrected two-pass).
    deviation = deviation - np.sum(weights * deviation) / np.sum(weights)
    return float(np.sum(weights * deviation * deviation))


def _condition_number(R: np.ndarray) -> float:
    """2-norm condition number of the (weighted) design, from its R factor."""
    if R.size == 0:
        return 1.0
    sv = scipy.linalg.svdvals(R)
    return float(sv[0] / sv[-1]) if sv[-1] > 0 else float("inf")


def collinear_columns(solution: LinearSolution) -> list[str]:
    """Names of the parameters involved in the design's most nearly dependent combination."""
    names = np.asarray(solution.param_names)
    if solution.aliased.any():
        return list(names[solution.aliased])
    R = solution.R
    scaled = R * power_of_two_scales(R)
    _, _, vt = np.linalg.svd(scaled)
    weight = np.abs(vt[-1])
    return list(names[weight >= 0.1 * weight.max()])


def scaled_condition_number(solution: LinearSolution) -> float:
    """Condition number of the design after power-of-two column scaling (units removed)."""
    R = solution.R
    if R.size == 0:
        return 1.0
    sv = scipy.linalg.svdvals(R * power_of_two_scales(R))
    return float(sv[0] / sv[-1]) if sv[-1] > 0 else float("inf")


def _warn_about_collinearity(solution: LinearSolution) -> None:
    if solution.aliased.any():
        dropped = ", ".join(np.asarray(solution.param_names)[solution.aliased])
        verb = (
            "is a linear combination" if solution.aliased.sum() == 1 else "are linear combinations"
        )
        warnings.warn(
            f"The design is rank deficient (rank {solution.rank} of {len(solution.coef)}): "
            f"{dropped} {verb} "
            "of earlier columns, so their effect cannot be separated from the data. Their "
            "estimates are reported as NaN (coefficient 0). Remove or combine these columns.",
            CollinearityWarning,
            stacklevel=3,
        )
        return
    condition = scaled_condition_number(solution)
    if condition > NEAR_SINGULAR_CONDITION:
        involved = ", ".join(collinear_columns(solution))
        warnings.warn(
            f"The design is nearly singular (condition number {condition:.3g} after scaling): "
            f"the columns {involved} are close to a linear combination of each other. The fit "
            "is computed accurately, but their individual estimates have large standard errors "
            "and are hard to interpret.",
            CollinearityWarning,
            stacklevel=3,
        )


def warn_unweighted_prediction(model: Any, kind: str, sample_weight: Any) -> None:
    """Warn when a weighted fit's prediction interval is asked for without the new weights.

    A new reading of weight ``w`` scatters with variance ``σ²/w``; assuming ``w = 1`` can make
    the interval several-fold too narrow (or too wide) where the weights are far from 1.
    """
    if kind == "prediction" and sample_weight is None and getattr(model, "weighted_", False):
        from benchlearn.errors import WeightWarning

        warnings.warn(
            "This fit is weighted, but the new readings' weights were not given, so weight 1 "
            "is assumed for each; the prediction interval is right only for readings with the "
            "scatter of a weight-1 observation. Pass sample_weight= (the weight each new "
            "reading would get from the same rule).",
            WeightWarning,
            stacklevel=3,
        )
