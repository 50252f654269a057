"""``PolynomialRegression``: a curve in each predictor, fitted in a well-conditioned basis.

The columns ``1, x, x², ..., x^d`` of a polynomial in raw powers become nearly parallel as the
degree grows (for NIST's Filip data, degree 10, the condition number is about 10^15): most of
float64's digits are lost before any solver starts. Here the fit is done in powers of
``t = (x - m) / s``, with ``m`` the middle of the data and ``s`` a power of two, where the columns
are far from parallel. The coefficients are then mapped back to powers of ``x`` exactly, in
rational arithmetic, so the reported numbers keep the digits the basis change preserved.

With several predictors the model is *additive*: each predictor gets its own powers (and its own
``m`` and ``s``), with no products between predictors.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from benchlearn.errors import DataError, UsageError
from benchlearn.linear import extended
from benchlearn.linear.inference import infer, interval
from benchlearn.linear.qr import solve_least_squares
from benchlearn.linear.regression import LinearRegression, _total_sum_of_squares
from benchlearn.linear.solution import LinearSolution


class PolynomialRegression(LinearRegression):
    """Least-squares polynomial ``y = b0 + b1·x + b2·x² + ... + bd·x^d``.

    A standard curve or a dose-response trend usually has one predictor ``x``. Given several
    predictors the fit is additive, ``b0 + Σ_j (b_j1·x_j + ... + b_jd·x_j^d)``: powers of each
    predictor, no products of different predictors.

    Parameters
    ----------
    degree : int, default=2
        Highest power of x.
    fit_intercept : bool, default=True
        Include ``b0``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features * degree,)
        Coefficients of ``x, x², ..., x^d`` (predictor by predictor).
    intercept_, params_, residual_std_, r2_, r2_adj_, f_statistic_, f_pvalue_, rank_,
    condition_number_, n_samples_, dof_resid_, R_ :
        As for :class:`LinearRegression`, in powers of x (``params_`` rows ``intercept, x,
        x^2, ...`` named after the predictor; an unnamed single predictor is ``x``, several
        are ``x0, x1, ...``). ``condition_number_`` is that of the raw-power design: it shows
        how ill-posed raw powers would have been.
    center_, scale_ : ndarray of shape (n_features,)
        Predictor ``j``'s basis variable is ``t_j = (x_j - center_[j]) / scale_[j]``.
    basis_coef_ : ndarray
        Coefficients in powers of the t's.

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import PolynomialRegression
    >>> x = np.linspace(0, 4, 9)
    >>> y = 1 + 0.5 * x - 0.25 * x**2
    >>> model = PolynomialRegression(degree=2).fit(x.reshape(-1, 1), y)
    >>> np.round(model.params_["estimate"].to_numpy(), 6)
    array([ 1.  ,  0.5 , -0.25])
    """

    def __init__(self, degree: int = 2, *, fit_intercept: bool = True) -> None:
        self.degree = degree
        self.fit_intercept = fit_intercept

    @property
    def solver(self) -> str:  # the basis change is done for the exact solver only
        return "exact"

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> PolynomialRegression:
        """Fit the polynomial.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The predictor (usually one column).
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Weights, as in :meth:`LinearRegression.fit`.
        """
        if not isinstance(self.degree, int | np.integer) or self.degree < 1:
            raise UsageError(
                f"degree={self.degree!r} is not a whole number of at least 1",
                fix="Use degree=1 for a straight line, 2 for a quadratic, ...",
            )
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
        weights = _check_sample_weight(sample_weight, X, dtype=np.float64)
        used = weights > 0
        x, y, weights = X[used], y[used], weights[used]
        n_params = self.degree + (1 if self.fit_intercept else 0)
        # A curve with fewer points than parameters is a mistake worth stopping for; with
        # several predictors, as in LinearRegression, the inestimable columns are named instead.
        if len(x) < 2 or (X.shape[1] == 1 and len(x) < n_params):
            raise DataError(
                f"the data have {len(x)} sample{'s' if len(x) != 1 else ''} but a degree "
                f"{self.degree} polynomial has {n_params} parameters",
                fix="Add rows or lower the degree",
            )
        if self.fit_intercept:
            self.center_ = (x.max(axis=0) + x.min(axis=0)) / 2
        else:
            self.center_ = np.zeros(x.shape[1])
        half_range = np.max(np.abs(x - self.center_), axis=0)
        self.scale_ = np.array(
            [2.0 ** math.ceil(math.log2(h)) if h > 0 else 1.0 for h in half_range]
        )

        B_hi, B_lo = self._basis(x)
        root_w = np.sqrt(weights)
        fit = solve_least_squares(B_hi * root_w[:, None], y * root_w, D_low=B_lo * root_w[:, None])
        self.basis_coef_ = fit.coef
        keep = np.flatnonzero(~fit.aliased)
        # Aliased (inestimable) columns are the same in both bases: each predictor's powers span
        # the same space in t as in x, so the map is restricted to the estimable columns.
        A_full = self._basis_to_powers()
        A = [[A_full[j][k] for k in keep] for j in keep]
        # Most of A is zero (each predictor's powers mix only among themselves and the
        # intercept): the exact sums below run over its nonzero entries only.
        nonzero = [[j for j in range(len(keep)) if A[j][k]] for k in range(len(keep))]
        coef = [Fraction(float(fit.coef[j])) + Fraction(float(fit.coef_low[j])) for j in keep]
        raw_coef = np.zeros(len(fit.coef))
        raw_coef[keep] = [
            float(sum(A[j][k] * coef[j] for j in nonzero[k])) for k in range(len(keep))
        ]
        R_inverse_basis = _exact_inverse_upper(fit.R)
        # b = Aᵀ c, so cov(b) = Aᵀ cov(c) A and the raw design's R⁻¹ is Aᵀ R_c⁻¹.
        R_inverse_raw = [
            [
                sum(A[j][k] * R_inverse_basis[j][i] for j in nonzero[k] if j <= i)
                for i in range(len(keep))
            ]
            for k in range(len(keep))
        ]
        R_inverse = np.array([[float(v) for v in row] for row in R_inverse_raw])
        R_raw = np.linalg.inv(R_inverse)
        self._basis_fit = fit
        solution = LinearSolution(
            coef=raw_coef,
            R=np.triu(R_raw),
            sse=float(fit.residuals @ fit.residuals),
            tss=_total_sum_of_squares(y, weights, self.fit_intercept),
            n_samples=len(x),
            param_names=self._param_names(),
            fit_intercept=self.fit_intercept,
            condition_number=_raw_condition_number(self.design_matrix(x, _validated=True)),
            aliased=fit.aliased,
            R_inverse=R_inverse,
        )
        fitted = self._adopt_solution(solution)
        self.weighted_ = not bool(np.all(weights == 1.0))
        return fitted

    def design_matrix(self, X: Any, _validated: bool = False) -> np.ndarray:
        """Raw powers ``[1,] x, x², ..., x^d`` of each predictor, in ``params_`` order."""
        if not _validated:
            check_is_fitted(self)
            X = validate_data(self, X, reset=False, dtype=np.float64)
        X = np.asarray(X, dtype=float)
        columns = [np.ones(len(X))] if self.fit_intercept else []
        for j in range(X.shape[1]):
            columns += [X[:, j] ** k for k in range(1, self.degree + 1)]
        return np.column_stack(columns)

    def predict(self, X: Any) -> np.ndarray:
        """Predicted mean response, evaluated in the well-conditioned basis."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        B_hi, B_lo = self._basis(np.asarray(X, dtype=float))
        return B_hi @ self.basis_coef_ + B_lo @ self.basis_coef_

    def predict_interval(
        self, X: Any, kind: str = "confidence", level: float = 0.95, sample_weight: Any = None
    ) -> pd.DataFrame:
        """Predictions with a confidence or prediction interval (see LinearRegression)."""
        from benchlearn.linear.regression import warn_unweighted_prediction

        check_is_fitted(self)
        warn_unweighted_prediction(self, kind, sample_weight)
        Xv = validate_data(self, X, reset=False, dtype=np.float64)
        B_hi, B_lo = self._basis(np.asarray(Xv, dtype=float))
        fit = self._basis_fit
        basis_solution = LinearSolution(
            coef=fit.coef,
            R=fit.R,
            sse=self.solution_.sse,
            tss=self.solution_.tss,
            n_samples=self.solution_.n_samples,
            param_names=self.solution_.param_names,
            fit_intercept=self.fit_intercept,
            condition_number=self.condition_number_,
            aliased=fit.aliased,
        )
        table = interval(
            basis_solution,
            infer(basis_solution),
            B_hi,
            kind=kind,
            level=level,
            weights=sample_weight,
        )
        table["mean"] = B_hi @ self.basis_coef_ + B_lo @ self.basis_coef_  # as predict()
        if isinstance(X, pd.DataFrame):
            table.index = X.index
        return table

    def _param_names(self) -> list[str]:
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            n = len(self.center_)
            names = ["x"] if n == 1 else [f"x{j}" for j in range(n)]
        powers = [
            str(x) if k == 1 else f"{x}^{k}" for x in names for k in range(1, self.degree + 1)
        ]
        return (["intercept"] if self.fit_intercept else []) + powers

    def _basis(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Columns ``[1,] t_j, t_j², ..., t_j^d`` for each predictor, as double-double pairs."""
        his = [np.ones((len(X), 1))] if self.fit_intercept else []
        los = [np.zeros((len(X), 1))] if self.fit_intercept else []
        for j in range(X.shape[1]):
            x = X[:, j]
            # x - center is formed exactly as a double-double pair; dividing by 2^k is exact.
            t_hi, t_lo = extended.two_sum(x, np.full_like(x, -self.center_[j]))
            hi, lo = extended.power_columns(
                t_hi / self.scale_[j], t_lo / self.scale_[j], self.degree
            )
            his.append(hi[:, 1:])
            los.append(lo[:, 1:])
        return np.hstack(his), np.hstack(los)

    def _basis_to_powers(self) -> list[list[Fraction]]:
        """``A[j][k]``: coefficient of raw parameter ``k`` in basis column ``j``, exactly.

        Basis column ``t^a`` of a predictor with ``t = (x - m)/s`` expands to
        ``Σ_k C(a, k) (-m)^(a-k) / s^a · x^k``; its ``k = 0`` term belongs to the intercept.
        """
        d = self.degree
        start = 1 if self.fit_intercept else 0
        size = start + len(self.center_) * d
        A = [[Fraction(0)] * size for _ in range(size)]
        if self.fit_intercept:
            A[0][0] = Fraction(1)
        for f, (center, scale) in enumerate(zip(self.center_, self.scale_, strict=True)):
            m, s = Fraction(float(center)), Fraction(float(scale))
            offset = start + f * d
            for a in range(1, d + 1):
                for k in range(0, a + 1):
                    term = Fraction(math.comb(a, k)) * (-m) ** (a - k) / s**a
                    if k > 0:
                        A[offset + a - 1][offset + k - 1] = term
                    elif self.fit_intercept:
                        A[offset + a - 1][0] = term
        return A


def _exact_inverse_upper(R: np.ndarray) -> list[list[Fraction]]:
    """Inverse of an upper-triangular float matrix in exact rational arithmetic."""
    p = R.shape[0]
    Rf = [[Fraction(float(R[i, j])) for j in range(p)] for i in range(p)]
    inverse = [[Fraction(0)] * p for _ in range(p)]
    for col in range(p):
        for i in range(col, -1, -1):
            total = Fraction(1 if i == col else 0) - sum(
                Rf[i][k] * inverse[k][col] for k in range(i + 1, col + 1)
            )
            inverse[i][col] = total / Rf[i][i]
    return inverse


def _raw_condition_number(V: np.ndarray) -> float:
    sv = np.linalg.svd(V, compute_uv=False)
    return float(sv[0] / sv[-1]) if sv[-1] > 0 else float("inf")
