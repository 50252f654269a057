"""Everything statistical inference needs from a least-squares fit, in one small record.

Every way of fitting a linear model in benchlearn ends in a :class:`LinearSolution`: the in-memory
exact solver, the gradient-descent solvers, the streaming fit over files larger than memory and
the Dask fit on a cluster. :func:`benchlearn.linear.inference.infer` turns it into standard errors,
p-values, intervals and R², so those numbers are computed in exactly one place.

To build one from an R factor (as the streaming and Dask fits do): factor the augmented matrix
``[D | y]`` (``D`` the design with the intercept column first, rows multiplied by
``sqrt(weight)``) as ``Q T``; then ``R = T[:p, :p]``, ``coef = solve(R, T[:p, p])``,
``sse = T[p, p]**2`` and, with an intercept column, the centred ``tss = ||T[1:, p]||**2``
(without one, ``tss = ||T[:, p]||**2``).
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

    @classmethod
    def from_augmented_r(
        cls,
        T: np.ndarray,
        *,
        n_samples: int,
        param_names: list[str],
        fit_intercept: bool,
    ) -> LinearSolution:
        """Build a solution from the R factor ``T`` of the augmented matrix ``[D | y]``.

        Parameters
        ----------
        T
            Upper-triangular (p + 1, p + 1) factor of ``[D | y]`` (weighted rows).
        n_samples, param_names, fit_intercept
            As in the attributes.
        """
        import scipy.linalg

        from benchlearn.linear.qr import find_aliased_columns, power_of_two_scales

        p = T.shape[1] - 1
        R = np.triu(T[:p, :p])
        scales = power_of_two_scales(R)
        aliased = find_aliased_columns(R * scales, n_samples)
        keep = ~aliased
        R_kept = _refactor(R[:, keep]) if aliased.any() else R
        qty = T[:p, p]
        if aliased.any():
            coef_kept = scipy.linalg.lstsq(R[:, keep], qty)[0]
        else:
            coef_kept = scipy.linalg.solve_triangular(R, qty)
        coef = np.zeros(p)
        coef[keep] = coef_kept
        sse = (
            float(T[p, p] ** 2)
            if not aliased.any()
            else float(T[p, p] ** 2 + np.sum((qty - R[:, keep] @ coef_kept) ** 2))
        )
        tss = float(np.sum(T[1:, p] ** 2) if fit_intercept else np.sum(T[:, p] ** 2))
        sv = scipy.linalg.svdvals(R)
        condition = float(sv[0] / sv[-1]) if sv[-1] > 0 else np.inf
        return cls(
            coef=coef,
            R=R_kept,
            sse=sse,
            tss=tss,
            n_samples=int(n_samples),
            param_names=list(param_names),
            fit_intercept=fit_intercept,
            condition_number=condition,
            aliased=aliased,
        )


def _refactor(M: np.ndarray) -> np.ndarray:
    import scipy.linalg

    return np.triu(scipy.linalg.qr(M, mode="r")[0][: M.shape[1], :])
