"""What inverse prediction and detection limits need from a fitted straight line.

Everything is read from a fitted :class:`benchlearn.LinearRegression`'s public attributes. The
unscaled covariance ``C = (DᵀWD)⁻¹ = R⁻¹R⁻ᵀ`` of intercept and slope holds the standards'
design: with ``D = [1, x]`` it is ``[[1/Σw + x̄²/Sxx, -x̄/Sxx], [-x̄/Sxx, 1/Sxx]]``, so the
(weighted) mean concentration ``x̄``, the sum of squares ``Sxx = Σw(x - x̄)²`` and the total
weight ``Σw`` (``n`` for an unweighted fit) come back out of it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg

from benchlearn.errors import UsageError


@dataclass(frozen=True)
class StraightLine:
    """A fitted calibration line ``y = a + b·x`` and the numbers its inference uses.

    Attributes
    ----------
    a, b
        Intercept (0 through the origin) and slope.
    s
        Residual standard deviation ``s_y/x`` (of a reading of weight 1 in a weighted fit).
    df
        Residual degrees of freedom.
    n
        Number of standards.
    C
        Unscaled covariance of the parameters, ``Cov = s²·C`` (2×2 with an intercept, 1×1
        through the origin).
    fit_intercept
        Whether the line has an intercept.
    declared_weighted
        Whether the caller said the fit is weighted (``None``: not said).
    """

    a: float
    b: float
    s: float
    df: int
    n: int
    C: np.ndarray
    fit_intercept: bool
    declared_weighted: bool | None = None

    @property
    def x_mean(self) -> float:
        """Mean (weighted mean) concentration of the standards, ``x̄``."""
        return float(-self.C[0, 1] / self.C[1, 1]) if self.fit_intercept else float("nan")

    @property
    def sxx(self) -> float:
        """``Sxx = Σ w(x - x̄)²`` (``Σ w x²`` through the origin)."""
        return float(1.0 / self.C[-1, -1])

    @property
    def total_weight(self) -> float:
        """``Σw``: the number of standards for an unweighted fit."""
        if not self.fit_intercept:
            return float(self.n)
        return float(1.0 / (self.C[0, 0] - self.x_mean**2 / self.sxx))

    @property
    def y_mean(self) -> float:
        """Mean (weighted mean) signal of the standards, ``ȳ = a + b·x̄``."""
        return self.a + self.b * self.x_mean

    @property
    def weighted(self) -> bool:
        """Whether the fit is weighted: as declared, else whether its weights sum to ``n``.

        Weights scaled to sum to ``n`` (as Miller & Miller normalise them) cannot be told
        from an unweighted fit by the line alone; declare such fits weighted.
        """
        if self.declared_weighted is not None:
            return self.declared_weighted
        return bool(abs(self.total_weight - self.n) > 1e-9 * self.n)

    def leverage(self, x: Any) -> np.ndarray:
        """``d(x)·C·d(x)ᵀ``: the variance of the fitted line at ``x`` over ``s²``."""
        x = np.asarray(x, dtype=float)
        if not self.fit_intercept:
            return x * x * self.C[0, 0]
        return self.C[0, 0] + 2 * x * self.C[0, 1] + x * x * self.C[1, 1]


def straight_line(model: Any, weighted: bool | None = None) -> StraightLine:
    """Read a fitted straight line from a ``LinearRegression`` with one predictor.

    ``weighted``: whether the fit used weights (``None``: judged from whether the weights sum
    to ``n``, which misses weights normalised to mean 1).

    Raises
    ------
    UsageError
        For a model with more than one predictor, a polynomial, or an unfitted model.
    """
    if not hasattr(model, "R_") or getattr(model, "n_features_in_", 0) != 1:
        raise UsageError(
            "a calibration line is a fitted LinearRegression with one predictor (x)",
            fix="Fit LinearRegression().fit(x.reshape(-1, 1), y) on the standards first",
        )
    if getattr(model, "degree", 1) != 1:
        raise UsageError(
            f"this model is a polynomial of degree {model.degree}; these conventions are "
            "defined for a straight line",
            fix="Fit a straight line (LinearRegression) over the linear range of the standards",
        )
    if model.rank_ < (2 if model.fit_intercept else 1) or model.dof_resid_ < 1:
        raise UsageError(
            "the calibration line is not determined: the standards need at least two "
            "different concentrations and more points than parameters",
            fix="Measure standards at several concentrations",
        )
    R_inv = scipy.linalg.solve_triangular(model.R_, np.eye(model.R_.shape[0]))
    return StraightLine(
        a=float(model.intercept_),
        b=float(model.coef_[0]),
        s=float(model.residual_std_),
        df=int(model.dof_resid_),
        n=int(model.n_samples_),
        C=R_inv @ R_inv.T,
        fit_intercept=bool(model.fit_intercept),
        declared_weighted=weighted,
    )
