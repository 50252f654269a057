"""Everything statistical inference needs from a least-squares fit, in one small record.

Every way of fitting a linear model in benchlearn ends in a :class:`LinearSolution`: the in-memory
exact solver, the gradient-descent solvers, the streaming fit over files larger than memory and
the Dask fit on a cluster. :func:`benchlearn.linear.inference.infer` turns it into standard errors,
p-values, intervals and R², so those numbers are computed in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class LinearSolution:
    """A fitted least-squares problem, ready for inference.

    Attributes
    ----------
    coef : ndarray of shape (p,)
        Parameters in design-column order (intercept first when present); 0 where aliased.
    R : ndarray of shape (k, k)
        Upper-triangular factor of the estimable columns of the (weighted) design, so that
        ``cov(coef[~aliased]) = sigma² R⁻¹ R⁻ᵀ``. ``k = p - aliased.sum()``.
    sse : float
        Residual (weighted) sum of squares.
    tss : float
        Total (weighted) sum of squares: about the (weighted) mean with an intercept,
        about zero without one (the convention of R, statsmodels and NIST).
    n_samples : int
        Number of observations (rows with positive weight).
    param_names : list of str
        One name per column of the design: ``"intercept"`` then the feature names.
    fit_intercept : bool
        Whether the first column is the intercept.
    condition_number : float
        2-norm condition number of the design as given (unscaled, unweighted by scaling).
    aliased : ndarray of bool of shape (p,)
        Columns that are linear combinations of earlier ones; their parameters are not
        estimable and are reported as NaN.
    R_inverse : ndarray of shape (k, k), optional
        ``R⁻¹`` when it is known more accurately than a float64 inversion of ``R`` would give
        (a polynomial fitted in a well-conditioned basis and mapped exactly to powers of x).
    n_refinements : int
        Refinement steps the solver took after its first solve (0 when unknown).
    """

    coef: np.ndarray
    R: np.ndarray
    sse: float
    tss: float
    n_samples: int
    param_names: list[str]
    fit_intercept: bool
    condition_number: float
    aliased: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    R_inverse: np.ndarray | None = None
    n_refinements: int = 0

    def __post_init__(self) -> None:
        if self.aliased.size == 0:
            object.__setattr__(self, "aliased", np.zeros(len(self.coef), dtype=bool))

    @property
    def rank(self) -> int:
        """Number of estimable parameters."""
        return int(len(self.coef) - self.aliased.sum())

    @property
    def dof_resid(self) -> int:
        """Residual degrees of freedom, ``n - rank``."""
        return self.n_samples - self.rank
