"""Profile-likelihood confidence intervals for the parameters of a nonlinear fit.

Hold one parameter at a value ``v``, refit all the others, and record the smallest residual sum
of squares ``RSS(v)``. The values ``v`` with ``(RSS(v) - RSS) / s² <= t²`` (``t`` the two-sided
quantile on ``n - p`` degrees of freedom, i.e. the F-test of ``θ = v`` with one numerator
degree of freedom) form the interval. Unlike the Wald interval ``estimate ± t·SE`` it follows
the curvature of the problem, so it is lopsided where the data make it so, as for an EC50 or a
Km: a concentration that can be ten times higher but hardly half as low. For a model that is
linear in its parameters the two intervals are the same.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import brentq, least_squares

from benchlearn.errors import UsageError
from benchlearn.nonlinear.inference import t_quantile

# How far (in standard errors, or in factors for a positive parameter) to look for the end of
# an interval before declaring it open: the data then do not bound the parameter on that side.
MAX_STANDARD_ERRORS = 60.0
MAX_LOG10_FACTOR = 6.0


def profile_rss(model: Any, name: str, value: float, start: np.ndarray | None = None):
    """The smallest residual sum of squares with parameter ``name`` held at ``value``.

    Returns
    -------
    (rss, params)
        The sum of squares and the full parameter vector of that constrained fit.
    """
    problem = model._problem()
    names = problem.names
    j = names.index(name)
    others = [i for i in problem.free if i != j]
    params = np.array(model.coef_ if start is None else start, dtype=float)
    params[j] = value
    if not others:
        residual = problem.weighted_residual(params)
        return float(residual @ residual), params
    logged = np.array([problem.logged[problem.free.index(i)] for i in others])

    def full(z):
        p = params.copy()
        with np.errstate(over="ignore"):
            p[others] = np.where(logged, np.exp(np.where(logged, z, 0.0)), z)
        return p

    def fun(z):
        with np.errstate(all="ignore"):
            r = problem.weighted_residual(full(z))
        return np.where(np.isfinite(r), r, 1e150)

    def jac(z):
        p = full(z)
        with np.errstate(all="ignore"):
            J = problem.root_w[:, None] * problem.resolved.jacobian(problem.x, p)[:, others]
            J = J * np.where(logged, p[others], 1.0)
        return np.where(np.isfinite(J), J, 0.0)

    z0 = np.where(logged, np.log(np.abs(params[others]) + 1e-300), params[others])
    result = least_squares(
        fun, z0, jac=jac, method="lm", x_scale="jac", xtol=1e-12, ftol=1e-12, gtol=1e-12
    )
    best = full(result.x)
    with np.errstate(all="ignore"):
        residual = problem.weighted_residual(best)
    return float(residual @ residual), best


def profile_interval(model: Any, name: str, level: float = 0.95) -> tuple[float, float]:
    """The profile-likelihood interval of one fitted parameter.

    Parameters
    ----------
    model
        A fitted :class:`~benchlearn.nonlinear.NonlinearRegression`.
    name
        The parameter (one of ``model.free_names_``).
    level
        Confidence level.

    Returns
    -------
    (lower, upper)
        An end the data do not reach is ``-inf``/``inf`` (``0`` below a positive parameter
        such as EC50 or Km).
    """
    if name not in model.free_names_:
        raise UsageError(
            f"{name!r} is not a fitted parameter",
            fix=f"Choose one of {', '.join(model.free_names_)}",
        )
    q = t_quantile(level, model.dof_resid_)
    target = model.rss_ + model.residual_std_**2 * q * q
    j = model.param_names_.index(name)
    estimate = float(model.coef_[j])
    se = float(model.params_.loc[name, "std_error"])
    problem = model._problem()
    positive = bool(problem.logged[problem.free.index(j)])
    ends = []
    for direction in (-1.0, 1.0):
        ends.append(_find_end(model, name, estimate, se, positive, direction, target))
    return ends[0], ends[1]


def _find_end(model, name, estimate, se, positive, direction, target) -> float:
    def value_at(step: float) -> float:
        if positive:
            return estimate * math.exp(direction * step * se / estimate)
        return estimate + direction * step * se

    def excess(step: float, start: np.ndarray) -> tuple[float, np.ndarray]:
        rss, params = profile_rss(model, name, value_at(step), start)
        if not (np.all(np.isfinite(params)) and math.isfinite(rss)):
            return math.nan, start  # the other parameters ran off: the profile flattens here
        return rss - target, params

    # Walk out from the estimate, each refit starting from the last one inside the bound (a
    # refit started from outside can stall in a poor corner of the parameter space).
    inside, inside_params = 0.0, np.array(model.coef_, dtype=float)
    step = 0.5
    limit = MAX_STANDARD_ERRORS
    if positive:
        limit = min(limit, MAX_LOG10_FACTOR * math.log(10.0) * estimate / se)
    while step <= limit:
        value, params = excess(step, inside_params)
        if math.isnan(value):
            break
        if value > 0:
            try:
                root = brentq(
                    lambda s, start=inside_params: excess(s, start)[0],
                    inside,
                    step,
                    xtol=1e-10,
                    rtol=1e-12,
                )
            except ValueError:  # the refits disagree at the bracket: keep the wider end
                root = step
            return value_at(root)
        inside, inside_params, step = step, params, step * 1.6
    if positive and direction < 0:
        return 0.0
    return direction * math.inf
