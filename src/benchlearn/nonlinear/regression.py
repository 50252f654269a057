"""``NonlinearRegression``: least squares for curves that bend (4PL/5PL, dose-response, kinetics).

The idea is the linear fit's: choose the parameters that make the sum of squared residuals
smallest. A bending curve has no closed-form answer, so the parameters are improved step by step
from a starting point (Levenberg–Marquardt, SciPy's ``least_squares``) until no step lowers the
sum any further. The inference is the linear fit's too, applied to the curve's tangent plane at
the answer: the Jacobian ``J`` (derivative of every fitted value with respect to every
parameter) plays the role of the design matrix, ``cov = s² (JᵀJ)⁻¹``.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from benchlearn.errors import DataError, FitError, UsageError
from benchlearn.nonlinear.inference import (
    NonlinearSummary,
    band,
    derived_quantities,
    wald_table,
)
from benchlearn.nonlinear.jacobian import (
    central_difference_jacobian,
    complex_step_jacobian,
    complex_step_works,
)
from benchlearn.nonlinear.models import CurveModel, get_model

# Tolerances of the optimiser: stop only when a step changes the parameters or the sum of
# squares by less than about one unit in the 15th digit (SciPy's defaults stop at 1e-8, which
# leaves the last digits of hard problems such as NIST's MGH10 unconverged).
TOLERANCE = 1e-15
# A parameter is not identifiable when the (column-scaled) Jacobian loses rank: its smallest
# singular value relative to the largest is below this (a direction of parameter space along
# which the fitted curve does not move, to within the data's rounding).
IDENTIFIABILITY_LIMIT = 1e-11
# A built-in curve whose Hill slope is steeper than this (a step at the resolution of any
# dilution series) ...
STEEPEST_HILL = 100.0
# ... or a positive parameter whose log has a standard error above this (its 95% interval would
# span a factor of e^(2·5) ≈ 20000): the data do not hold it.
MAX_LOG_STANDARD_ERROR = 5.0
ROUGH_TOLERANCE = 1e-10


class ExtrapolationWarning(UserWarning):
    """A fitted curve's midpoint (EC50, IC50, Km) lies outside the concentrations measured."""


class _RanOffError(Exception):
    """A built-in curve's parameter ran off towards zero or infinity during a fit."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class ResolvedModel:
    """A built-in or user model with everything the fit needs to know about it.

    ``derivatives`` says how the Jacobian is computed: ``"analytic"`` (built-in curves),
    ``"user"`` (a ``jac`` function), ``"complex-step"`` or ``"3-point"``.
    """

    function: Callable[..., np.ndarray]
    names: tuple[str, ...]
    curve: CurveModel | None
    description: str
    derivatives: str
    user_jacobian: Callable[..., Any] | None = None

    def jacobian(self, x: np.ndarray, params: np.ndarray) -> np.ndarray:
        """(n, p) derivatives of the mean response with respect to every parameter."""
        if self.derivatives == "analytic":
            return self.curve.jacobian(x, *params)
        if self.derivatives == "user":
            return np.asarray(self.user_jacobian(x, *params), dtype=float)
        if self.derivatives == "complex-step":
            return complex_step_jacobian(self.function, x, params)
        return central_difference_jacobian(self.function, x, params)


class NonlinearRegression(RegressorMixin, BaseEstimator):
    """Nonlinear least squares with full statistical inference.

    Parameters
    ----------
    model : str or callable
        The name of a built-in curve (``"4pl"``, ``"4pl-log"``, ``"5pl"``, ``"5pl-log"``,
        ``"dose-response"`` (the 4PL), ``"inhibition"``, ``"michaelis-menten"``,
        ``"exponential"``; see :mod:`benchlearn.nonlinear.models`), or a function
        ``f(x, *params)`` returning the mean response. ``x`` is a 1-D array for one predictor and
        the (n, k) array for several.
    p0 : sequence or dict, optional
        Starting values, one per parameter (a dict by name may give only some). Built-in models
        find their own from the data and try several; a function needs ``p0``.
    fixed : dict, optional
        Parameters held at a given value instead of fitted, e.g. ``{"bottom": 0, "top": 100}``
        for a response normalised to percent.
    param_names : sequence of str, optional
        Names for a function's parameters (default: its argument names after ``x``).
    jac : {"auto", "complex-step", "3-point"} or callable, default="auto"
        Derivatives of a user's function: ``"auto"`` uses the exact complex step when the
        function accepts complex numbers, else central differences. Built-in models use their
        analytic derivatives.
    n_starts : "auto" or int, default="auto"
        How many of the automatic starting points (spread over the midpoint and the slope) a
        built-in model may try; the best fit wins. ``"auto"``: up to all nine for a sigmoid,
        stopping as soon as two starts reach the same minimum, which guards against the local
        minima of sigmoid curves at the cost of a second fit. Ignored when ``p0`` is given.
    max_nfev : int, optional
        Most evaluations of the model per start (default 1000 × (parameters + 1)).

    Attributes
    ----------
    params_ : DataFrame
        One row per fitted parameter: estimate, std_error, t, p_value, ci_lower, ci_upper
        (95%, Wald).
    coef_ : ndarray
        Every parameter's value (fixed ones included), in the model's order.
    param_names_ : list of str
        Names of all parameters, in order; ``free_names_`` those that were fitted.
    fixed_ : dict
        The parameters held fixed.
    residual_std_ : float
        ``sqrt(RSS / (n - p))`` with ``p`` fitted parameters (weighted RSS for a weighted fit).
    rss_ : float
        The (weighted) residual sum of squares.
    n_samples_, dof_resid_, rank_ : int
        Observations used (weight > 0), residual degrees of freedom ``n - p``, and ``p``.
    jacobian_ : ndarray
        The (weighted) Jacobian of the fitted values at the estimate, fitted parameters only.
    derived_ : DataFrame
        Quantities a lab reads off the parameters, with 95% intervals mapped from the
        parameter's Wald interval: ``EC50`` from ``logEC50`` (10^), ``half_life`` from ``k``
        (ln 2 / k). Columns estimate, ci_lower, ci_upper; empty when none applies.
    covariance_ : ndarray
        Wald covariance of the fitted parameters, ``s² (JᵀJ)⁻¹`` (see :meth:`cov_params`).
    derivatives_ : str
        How the Jacobian was computed: ``"analytic"``, ``"complex-step"``, ``"3-point"`` or
        ``"user"``.
    start_ : ndarray
        The starting point that led to the reported fit.
    n_starts_, nfev_ : int
        Starting points tried, and model evaluations of the winning start.
    converged_ : bool
        True (a fit that does not converge raises :class:`~benchlearn.errors.FitError`).

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import NonlinearRegression
    >>> substrate = np.array([0.02, 0.02, 0.06, 0.06, 0.11, 0.11, 0.22, 0.22, 0.56, 0.56, 1.1, 1.1])
    >>> rate = np.array([76, 47, 97, 107, 123, 139, 159, 152, 191, 201, 207, 200.0])
    >>> fit = NonlinearRegression(model="michaelis-menten").fit(substrate.reshape(-1, 1), rate)
    >>> fit.params_["estimate"].round(4).to_dict()
    {'Vmax': 212.6837, 'Km': 0.0641}
    """

    def __init__(
        self,
        *,
        model: str | Callable[..., Any],
        p0: Sequence[float] | Mapping[str, float] | None = None,
        fixed: Mapping[str, float] | None = None,
        param_names: Sequence[str] | None = None,
        jac: str | Callable[..., Any] = "auto",
        n_starts: str | int = "auto",
        max_nfev: int | None = None,
    ) -> None:
        self.model = model
        self.p0 = p0
        self.fixed = fixed
        self.param_names = param_names
        self.jac = jac
        self.n_starts = n_starts
        self.max_nfev = max_nfev

    # ------------------------------------------------------------------ fitting
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> NonlinearRegression:
        """Fit the curve.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Predictor(s): one column (concentration, dose, time) for the built-in curves.
        y : array-like of shape (n_samples,)
            Response.
        sample_weight : array-like of shape (n_samples,), optional
            Observation ``i`` has variance ``sigma² / weight_i`` (e.g. the inverse variance of
            replicates, or ``1/y²`` for a constant coefficient of variation).

        Returns
        -------
        self

        Raises
        ------
        FitError
            The optimiser did not converge, or a parameter cannot be determined from the data.
        """
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
        weights = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if np.any(weights < 0):
            raise DataError("sample_weight has negative values", fix="Weights must be >= 0")
        used = weights > 0
        X, y, weights = X[used], y[used], weights[used]
        x = self._model_input(X)
        resolved = self._resolve(x)
        _check_concentrations(resolved.curve, x)
        names = list(resolved.names)
        fixed = self._fixed_values(names)
        free = [i for i, name in enumerate(names) if name not in fixed]
        if len(free) == 0:
            raise UsageError("every parameter is fixed", fix="Leave at least one parameter free")
        if y.size <= len(free):
            raise DataError(
                f"{y.size} observations (n_samples = {y.size}) cannot determine {len(free)} "
                "parameters",
                fix="Measure more points than the curve has parameters (more than twice as "
                "many is better)",
            )
        starts = self._starts(x, y, resolved, names, fixed)
        problem = _Problem(x, y, np.sqrt(weights), resolved, names, fixed, free)
        best = None
        failures = []
        ran_off: list[str] = []
        agreeing, tried = 0, 0
        for start in starts:
            try:
                result = problem.solve(start, self.max_nfev)
            except FloatingPointError as error:
                failures.append(str(error))
                continue
            except _RanOffError as error:
                ran_off.append(error.name)
                if best is None and len(ran_off) >= 3:
                    break  # three starts ran off and none held: more will not
                continue
            same = best is not None and result.status != 0 and best.status != 0
            if same and abs(result.cost - best.cost) <= 1e-9 * max(best.cost, 1e-300):
                agreeing += 1
            if best is None or result.cost < best.cost * (1 - 1e-9):
                best, best_start, agreeing = result, start, 1
            tried += 1
            if agreeing >= 2:
                break  # two starts found the same minimum: it is the fit
        if best is None and ran_off:
            name = max(set(ran_off), key=ran_off.count)
            raise FitError(
                f"the data do not determine {name}: from every starting point the fit could move "
                "it by orders of magnitude (or make the curve a step) with hardly any change in "
                "the fit, so the curve's plateau or midpoint lies outside the data",
                fix="Measure where that parameter matters (both plateaus and the rise between "
                "them for a 4PL), or fix it with fixed={...}",
            )
        if best is None or not np.all(np.isfinite(best.x)):
            raise FitError(
                "the fit did not converge from any starting point: the model could not be "
                "evaluated there" + (f" ({failures[0]})" if failures else ""),
                fix="Check that the model suits the data (e.g. concentrations > 0 for a 4PL, "
                "the response column is the right one) or give starting values with p0",
            )
        if best.status == 0:
            raise FitError(
                f"the fit did not converge within {best.nfev} evaluations of the model",
                fix="Check that the data show the shape of the curve (both plateaus for a "
                "4PL), give starting values with p0, or raise max_nfev",
            )
        params = problem.full(best.x)
        if resolved.curve is not None:
            params = resolved.curve.canonical(params)
        self._adopt(problem, params, best_start, best.nfev, max(tried, 1), resolved)
        if resolved.curve is not None:
            _warn_about_extrapolation(resolved.curve, dict(zip(names, params, strict=True)), x)
        return self

    def _adopt(self, problem, params, start, nfev, n_starts, resolved) -> None:
        names = problem.names
        free_names = [names[i] for i in problem.free]
        residual = problem.weighted_residual(params)
        J = problem.weighted_jacobian(params)
        _check_identifiable(J, free_names)
        n, p = residual.size, len(problem.free)
        rss = float(residual @ residual)
        dof = n - p
        sigma2 = rss / dof
        _, singular, vt = np.linalg.svd(J, full_matrices=False)
        cov = (vt.T / singular**2) @ vt * sigma2
        self.coef_ = np.asarray(params, dtype=float)
        self.param_names_ = list(names)
        self.free_names_ = free_names
        self.fixed_ = dict(problem.fixed)
        self.rss_ = rss
        self.residual_std_ = float(np.sqrt(sigma2))
        self.n_samples_ = int(n)
        self.dof_resid_ = int(dof)
        self.rank_ = int(p)
        self.jacobian_ = J
        self.covariance_ = cov
        self.start_ = np.asarray(start, dtype=float)
        self.n_starts_ = int(n_starts)
        self.nfev_ = int(nfev)
        self.converged_ = True
        self.model_description_ = resolved.description
        self.params_ = wald_table(params[problem.free], cov, dof, 0.95, free_names)
        self.derived_ = derived_quantities(self.params_)
        self.derivatives_ = resolved.derivatives
        self.free_index_ = list(problem.free)
        self._training = (problem.x, problem.y, problem.root_w**2)

    def _fitted_model(self) -> ResolvedModel:
        """The model as fitted (rebuilt on demand so that the estimator pickles)."""
        if isinstance(self.model, str):
            return self._resolve(self._training[0])
        return ResolvedModel(
            self.model,
            tuple(self.param_names_),
            None,
            self.model_description_,
            self.derivatives_,
            self.jac if callable(self.jac) else None,
        )

    def _problem(self) -> _Problem:
        """The least-squares problem the fit solved (for profiles and comparisons)."""
        x, y, weights = self._training
        free = set(self.free_names_)
        names = self.param_names_
        return _Problem(
            x,
            y,
            np.sqrt(weights),
            self._fitted_model(),
            names,
            self.fixed_,
            [i for i, n in enumerate(names) if n in free],
        )

    # ------------------------------------------------------------------ using the fit
    def predict(self, X: Any) -> np.ndarray:
        """Fitted mean response at each row of ``X``."""
        check_is_fitted(self)
        x = self._model_input(validate_data(self, X, reset=False, dtype=np.float64))
        return np.asarray(self._fitted_model().function(x, *self.coef_), dtype=float)

    def predict_interval(
        self,
        X: Any,
        kind: str = "confidence",
        level: float = 0.95,
        sample_weight: Any = None,
    ) -> pd.DataFrame:
        """Predictions with a confidence band (for the curve) or prediction band (a new point).

        The variance of the fitted curve at ``x`` is ``gᵀ cov g``, ``g`` the derivatives of the
        curve at ``x`` with respect to the fitted parameters (the delta method); a prediction
        adds one observation's variance ``s² / weight``.

        Parameters
        ----------
        X : array-like or DataFrame
            Where to predict.
        kind : {"confidence", "prediction"}
        level : float, default=0.95
        sample_weight : array-like, optional
            Weighted fits: the weight a new observation would have (default 1).

        Returns
        -------
        DataFrame with columns mean, se (standard error of the curve, or of a new
        observation), lower, upper (as ``LinearRegression.predict_interval``).
        """
        check_is_fitted(self)
        x = self._model_input(validate_data(self, X, reset=False, dtype=np.float64))
        resolved = self._fitted_model()
        mean = np.asarray(resolved.function(x, *self.coef_), dtype=float)
        gradient = resolved.jacobian(x, self.coef_)[:, self.free_index_]
        table = band(
            mean,
            gradient,
            self.covariance_,
            self.residual_std_,
            self.dof_resid_,
            kind=kind,
            level=level,
            weights=sample_weight,
        )
        if isinstance(X, pd.DataFrame):
            table.index = X.index
        return table

    def cov_params(self) -> pd.DataFrame:
        """Covariance matrix of the fitted parameters (Wald, ``s² (JᵀJ)⁻¹``)."""
        check_is_fitted(self)
        return pd.DataFrame(self.covariance_, index=self.free_names_, columns=self.free_names_)

    def conf_int(self, level: float = 0.95, method: str = "wald") -> pd.DataFrame:
        """Confidence intervals for the fitted parameters.

        Parameters
        ----------
        level : float, default=0.95
        method : {"wald", "profile"}
            ``"wald"``: estimate ± t·SE, symmetric, from the tangent plane. ``"profile"``: the
            values each parameter can take while the others re-adjust and the sum of squares
            rises by no more than the F-test allows; follows the curvature of the problem,
            so it is the better interval for EC50, IC50 and Km, which are often skewed. An
            end that cannot be reached (the data do not bound the parameter) is ±inf.

        Returns
        -------
        DataFrame with columns lower, upper, one row per fitted parameter.
        """
        check_is_fitted(self)
        if method == "wald":
            table = wald_table(
                self.coef_[self.free_index_],
                self.covariance_,
                self.dof_resid_,
                level,
                self.free_names_,
            )
            return table[["ci_lower", "ci_upper"]].set_axis(["lower", "upper"], axis=1)
        if method == "profile":
            from benchlearn.nonlinear.profile import profile_interval

            rows = [profile_interval(self, name, level) for name in self.free_names_]
            return pd.DataFrame(
                rows, index=pd.Index(self.free_names_, name="parameter"), columns=["lower", "upper"]
            )
        raise UsageError(
            f"method={method!r} is not an interval method",
            fix="Use method='wald' or method='profile'",
        )

    def summary(self) -> NonlinearSummary:
        """The numbers of the fit in one object (``print()`` it, or ``.to_dict()``)."""
        check_is_fitted(self)
        return NonlinearSummary(
            model=self.model_description_,
            params=self.params_,
            fixed=dict(self.fixed_),
            residual_std=self.residual_std_,
            rss=self.rss_,
            n_samples=self.n_samples_,
            dof_resid=self.dof_resid_,
            n_starts=self.n_starts_,
            nfev=self.nfev_,
            derived=self.derived_,
        )

    # ------------------------------------------------------------------ helpers
    def _model_input(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        return X[:, 0] if X.shape[1] == 1 else X

    def _resolve(self, x: np.ndarray, start: np.ndarray | None = None) -> ResolvedModel:
        if isinstance(self.model, str):
            curve = get_model(self.model)
            if x.ndim != 1:
                raise DataError(
                    f"the {curve.name} curve takes one predictor, but X has {x.shape[1]} columns",
                    fix="Pass only the concentration (or dose, or time) column",
                )
            return ResolvedModel(
                function=curve.function,
                names=curve.param_names,
                curve=curve,
                description=f"{curve.name}: y = {curve.formula}",
                derivatives="analytic",
            )
        if not callable(self.model):
            raise UsageError(
                f"model={self.model!r} is neither a curve name nor a function",
                fix="Pass a built-in name such as '4pl', or a function f(x, *params)",
            )
        names = self._callable_names()
        function = self.model
        if callable(self.jac):
            derivatives = "user"
        elif self.jac in ("complex-step", "3-point"):
            derivatives = self.jac
        elif self.jac == "auto":
            start = self._callable_start(names) if start is None else start
            exact = complex_step_works(function, x, start)
            derivatives = "complex-step" if exact else "3-point"
        else:
            raise UsageError(
                f"jac={self.jac!r} is not a way to compute derivatives",
                fix="Use 'auto', 'complex-step', '3-point' or a function jac(x, *params)",
            )
        name = getattr(self.model, "__name__", "model")
        return ResolvedModel(
            function,
            tuple(names),
            None,
            f"user model {name}",
            derivatives,
            self.jac if callable(self.jac) else None,
        )

    def _callable_names(self) -> list[str]:
        if self.param_names is not None:
            return [str(n) for n in self.param_names]
        try:
            signature = inspect.signature(self.model)
        except (TypeError, ValueError):
            signature = None
        if signature is not None:
            parameters = list(signature.parameters.values())[1:]
            if parameters and all(
                p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters
            ):
                return [p.name for p in parameters]
        if self.p0 is not None and not isinstance(self.p0, Mapping):
            return [f"p{i + 1}" for i in range(len(self.p0))]
        raise UsageError(
            "the model function's parameters cannot be named from its signature",
            fix="Write it as f(x, a, b, ...) or pass param_names and p0",
        )

    def _callable_start(self, names: list[str]) -> np.ndarray:
        if self.p0 is None:
            raise UsageError(
                "a model function needs starting values",
                fix=f"Pass p0 with one value for each of {', '.join(names)}",
            )
        start = _start_vector(self.p0, names, None)
        for name, value in (self.fixed or {}).items():
            if name in names:
                start[names.index(name)] = float(value)
        return start

    def _fixed_values(self, names: list[str]) -> dict[str, float]:
        fixed = dict(self.fixed or {})
        unknown = [name for name in fixed if name not in names]
        if unknown:
            raise UsageError(
                f"cannot fix {', '.join(map(repr, unknown))}: the model's parameters are "
                f"{', '.join(names)}",
                fix="Name the parameters as the model does",
            )
        return {name: float(value) for name, value in fixed.items()}

    def _starts(self, x, y, resolved, names, fixed) -> list[np.ndarray]:
        if self.p0 is not None:
            automatic = resolved.curve.starts(x, y)[0] if resolved.curve is not None else None
            candidates = [_start_vector(self.p0, names, automatic)]
        elif resolved.curve is None:
            candidates = [self._callable_start(names)]
        else:
            candidates = resolved.curve.starts(x, y)
            if self.n_starts != "auto":
                candidates = candidates[: max(1, int(self.n_starts))]
        for vector in candidates:
            for name, value in fixed.items():
                vector[names.index(name)] = value
        return candidates

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "coef_")


class _Problem:
    """The least-squares problem in the optimiser's coordinates.

    Positive parameters of the built-in models (EC50, Km, ...) are optimised as their logarithm,
    so that a step can never make them negative; the answer and its inference are reported in
    the parameters' own units (at the optimum, the Wald covariance is the same either way).
    """

    def __init__(self, x, y, root_w, resolved, names, fixed, free):
        self.x, self.y, self.root_w = x, y, root_w
        self.resolved = resolved
        self.names = names
        self.fixed = fixed
        self.free = free
        positive = set(resolved.curve.positive) if resolved.curve is not None else set()
        self.logged = np.array([names[i] in positive for i in free])
        self.template = np.zeros(len(names))
        for name, value in fixed.items():
            self.template[names.index(name)] = value

    def full(self, z: np.ndarray) -> np.ndarray:
        params = self.template.copy()
        params[self.free] = np.where(self.logged, np.exp(np.where(self.logged, z, 0.0)), z)
        return params

    def to_internal(self, params: np.ndarray) -> np.ndarray:
        values = np.asarray(params, dtype=float)[self.free]
        if np.any(values[self.logged] <= 0):
            bad = [self.names[i] for i, flag in zip(self.free, self.logged, strict=True) if flag]
            raise UsageError(
                f"starting values of {', '.join(bad)} must be positive",
                fix="Give positive starting values (concentrations and rate constants are > 0)",
            )
        with np.errstate(divide="ignore"):
            return np.where(self.logged, np.log(np.abs(values)), values)

    def weighted_residual(self, params: np.ndarray) -> np.ndarray:
        fitted = np.asarray(self.resolved.function(self.x, *params), dtype=float).ravel()
        return self.root_w * (fitted - self.y)

    def weighted_jacobian(self, params: np.ndarray) -> np.ndarray:
        J = np.asarray(self.resolved.jacobian(self.x, params), dtype=float)
        return self.root_w[:, None] * J[:, self.free]

    def solve(self, start: np.ndarray, max_nfev: int | None):
        z0 = self.to_internal(start)
        with np.errstate(all="ignore"):
            first = self.weighted_residual(self.full(z0))
        if first.shape != self.y.shape:
            raise UsageError(
                f"the model returned {first.size} values for {self.y.size} observations",
                fix="The model function must return one mean response per row of X",
            )
        if not np.all(np.isfinite(first)):
            raise FloatingPointError("the model is not finite at the starting values")

        def fun(z):
            try:
                with np.errstate(all="ignore"):
                    r = self.weighted_residual(self.full(z))
            except (ValueError, OverflowError):
                # a step so long that a positive parameter under- or overflowed (log of 0)
                return np.full(self.y.shape, 1e150)
            return np.where(np.isfinite(r), r, 1e150)

        def jac(z):
            params = self.full(z)
            with np.errstate(all="ignore"):
                J = self.weighted_jacobian(params)
            J = J * np.where(self.logged, params[self.free], 1.0)
            return np.where(np.isfinite(J), J, 0.0)

        def run(z, tolerance, budget):
            return least_squares(
                fun, z, jac=jac, method="lm", x_scale="jac", xtol=tolerance, ftol=tolerance,
                gtol=tolerance, max_nfev=budget,
            )  # fmt: skip

        budget = max_nfev or 1000 * (len(z0) + 1)
        if self.resolved.curve is None:
            result = run(z0, TOLERANCE, budget)
            if result.status != 0:
                result.x, result.cost = self._gauss_newton_polish(result.x, fun, jac)
            return result
        # Built-in curves: a quick fit first, then a check that no parameter is running off
        # along a flat valley (which would otherwise crawl for thousands of steps), then a
        # polish to full precision.
        rough = run(z0, ROUGH_TOLERANCE, min(budget, 100 * (len(z0) + 1)))
        self._check_not_running_off(rough.x, jac(rough.x))
        polished = run(rough.x, TOLERANCE, min(budget, 100 * (len(z0) + 1)))
        polished.x, polished.cost = self._gauss_newton_polish(polished.x, fun, jac)
        if polished.cost <= rough.cost * (1 + 1e-12):
            if polished.status == 0 and rough.status != 0:
                polished.status = rough.status  # converged, then only rounding-level crawl
            return polished
        return rough

    @staticmethod
    def _gauss_newton_polish(z, fun, jac, steps: int = 5):
        """A few full Gauss–Newton steps from a converged point, kept while the sum of squares
        does not rise: the optimiser stops on a change in the sum of squares, which is flat to
        second order at the minimum, so its last digits of the parameters can still improve."""
        r = fun(z)
        cost = 0.5 * float(r @ r)
        last = np.inf
        for _ in range(steps):
            step = np.linalg.lstsq(jac(z), -r, rcond=None)[0]
            size = float(np.linalg.norm(step))
            trial = z + step
            r_trial = fun(trial)
            trial_cost = 0.5 * float(r_trial @ r_trial)
            # At the minimum the sum of squares is flat to its rounding (which, for residuals
            # far smaller than the data, is far above machine epsilon), so the test is that
            # the steps keep shrinking while the sum of squares stays put.
            if not (trial_cost <= cost * (1 + 1e-9) and size < 0.5 * last):
                break
            z, r, cost, last = trial, r_trial, trial_cost, size
        return z, cost

    def _check_not_running_off(self, z: np.ndarray, J: np.ndarray) -> None:
        """Raise ``_RanOffError`` when a scale parameter's relative standard error is huge or the
        Hill slope is a step: the data do not hold that parameter."""
        free_names = [self.names[i] for i in self.free]
        if "hill" in free_names and abs(z[free_names.index("hill")]) > STEEPEST_HILL:
            raise _RanOffError("hill")
        residual = np.asarray(self.weighted_residual(self.full(z)), dtype=float)
        dof = residual.size - len(z)
        if dof <= 0 or not np.all(np.isfinite(J)):
            return
        sigma2 = float(residual @ residual) / dof
        _, singular, vt = np.linalg.svd(J, full_matrices=False)
        if singular[-1] <= 0:  # a direction the curve does not move along at all
            weight = np.abs(vt[-1])
            raise _RanOffError(free_names[int(np.argmax(weight))])
        log_se = np.sqrt(np.sum((vt / singular[:, None]) ** 2, axis=0) * sigma2)
        far = self.logged & (log_se > MAX_LOG_STANDARD_ERROR)
        if far.any():
            raise _RanOffError(free_names[int(np.flatnonzero(far)[0])])


def _start_vector(p0, names: list[str], automatic: np.ndarray | None) -> np.ndarray:
    if isinstance(p0, Mapping):
        unknown = [name for name in p0 if name not in names]
        if unknown:
            raise UsageError(
                f"p0 names {', '.join(map(repr, unknown))}, not parameters of the model",
                fix=f"The parameters are {', '.join(names)}",
            )
        missing = [name for name in names if name not in p0]
        if missing and automatic is None:
            raise UsageError(
                f"p0 gives no starting value for {', '.join(missing)}",
                fix="Give a starting value for every parameter",
            )
        base = np.array(automatic if automatic is not None else np.zeros(len(names)), float)
        for name, value in p0.items():
            base[names.index(name)] = float(value)
        return base
    vector = np.asarray(p0, dtype=float).ravel()
    if vector.size != len(names):
        raise UsageError(
            f"p0 has {vector.size} values for {len(names)} parameters ({', '.join(names)})",
            fix="Give one starting value per parameter, in order, or a dict by name",
        )
    return vector.copy()


def _check_identifiable(J: np.ndarray, names: list[str]) -> None:
    """Refuse a fit whose Jacobian has (numerically) lost rank, naming the parameters involved."""
    scale = np.linalg.norm(J, axis=0)
    if np.any(scale == 0) or not np.all(np.isfinite(J)):
        flat = [n for n, s in zip(names, scale, strict=True) if not s > 0] or names
        raise FitError(
            f"the data do not determine {', '.join(flat)}: changing it does not change the "
            "fitted curve at any of the measured points",
            fix="Measure where that parameter matters (e.g. both plateaus and the rise between "
            "them for a 4PL), or fix it with fixed={...}",
        )
    _, singular, vt = np.linalg.svd(J / scale, full_matrices=False)
    if singular[-1] < IDENTIFIABILITY_LIMIT * singular[0]:
        weight = np.abs(vt[-1])
        involved = [n for n, w in zip(names, weight, strict=True) if w >= 0.1 * weight.max()]
        raise FitError(
            f"the data cannot separate {', '.join(involved)}: a change in one can be undone by "
            "the others without changing the fitted curve",
            fix="Measure over a wider range (both plateaus and the rise between them for a "
            "4PL), or fix one of these parameters with fixed={...}",
        )


def _warn_about_extrapolation(curve: CurveModel, params: dict[str, float], x: np.ndarray) -> None:
    """Warn when the curve's midpoint was not bracketed by the data."""
    measured = x if curve.log_x else x[x > 0]
    if measured.size == 0:
        return
    low, high = float(np.min(measured)), float(np.max(measured))
    for name in ("EC50", "IC50", "logEC50", "Km"):
        if name in params and not low <= params[name] <= high:
            side = "below the lowest" if params[name] < low else "above the highest"
            what = "the plateau (Vmax)" if name == "Km" else "the midpoint of the curve"
            warnings.warn(
                f"{name} = {params[name]:.4g} lies {side} concentration measured ({low:.4g} to "
                f"{high:.4g}): {what} is extrapolated from the model's shape, not seen in the "
                "data. Extend the dilution series past it if it matters.",
                ExtrapolationWarning,
                stacklevel=3,
            )


def _check_concentrations(curve: CurveModel | None, x: np.ndarray) -> None:
    """Curves of a concentration (EC50, IC50, Km) need x >= 0; negative x is usually a log."""
    if curve is None or curve.log_x or not {"EC50", "IC50", "Km"} & set(curve.param_names):
        return
    negative = np.flatnonzero(x < 0)
    if negative.size:
        hint = (
            f"; if x is a log10 concentration, use model='{curve.name}-log'"
            if curve.name in ("4pl", "5pl")
            else "; if x is a log10 concentration, pass 10**x"
        )
        raise DataError(
            f"the {curve.name} curve takes concentrations (>= 0), but {negative.size} x values "
            f"are negative (first: {x[negative[0]]:g}, row {negative[0] + 1} of the data used)",
            fix="Give concentrations in their units" + hint,
        )
