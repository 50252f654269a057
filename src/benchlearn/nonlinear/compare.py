"""Comparing curves: shared against separate parameters, and relative potency.

"Is the EC50 the same in both cell lines?" is answered by fitting the curves twice: once with
every parameter separate for each group, once with the parameters in question shared. Sharing
can only raise the residual sum of squares; the extra-sum-of-squares F-test asks whether it
rises more than noise would make it::

    F = ((RSS_shared - RSS_separate) / (df_shared - df_separate)) / (RSS_separate / df_separate)

Relative potency compares two parallel curves (same bottom, top and Hill slope, different
EC50): how many times more of the test substance gives the reference's effect, with its
interval from the joint fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import least_squares

from benchlearn.errors import DataError, FitError, UsageError
from benchlearn.nonlinear.inference import t_quantile, wald_table
from benchlearn.nonlinear.regression import TOLERANCE, NonlinearRegression


@dataclass(frozen=True)
class JointFit:
    """Several groups' curves fitted together, some parameters shared.

    Attributes
    ----------
    params
        Wald table; a shared parameter is named as in the model, a separate one
        ``name[group]``.
    covariance
        Covariance of the fitted parameters (same order as ``params``).
    rss, dof_resid, n_samples
        Residual sum of squares, its degrees of freedom, observations.
    """

    params: pd.DataFrame
    covariance: pd.DataFrame
    rss: float
    dof_resid: int
    n_samples: int


@dataclass(frozen=True)
class CurveComparison:
    """The result of :func:`compare_curves`.

    Attributes
    ----------
    shared
        The parameters held in common under the null hypothesis.
    f, df1, df2, p_value
        The extra-sum-of-squares F-test.
    rss_shared, rss_separate
        Residual sums of squares of the two fits.
    separate
        Each group's own fit (``NonlinearRegression``), by group label.
    joint
        The fit with the shared parameters (:class:`JointFit`).
    """

    shared: tuple[str, ...]
    f: float
    df1: int
    df2: int
    p_value: float
    rss_shared: float
    rss_separate: float
    separate: dict[Any, NonlinearRegression]
    joint: JointFit

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "shared": list(self.shared),
            "F": _clean(self.f),
            "df1": self.df1,
            "df2": self.df2,
            "p_value": _clean(self.p_value),
            "rss_shared": _clean(self.rss_shared),
            "rss_separate": _clean(self.rss_separate),
            "groups": [str(g) for g in self.separate],
        }


@dataclass(frozen=True)
class RelativePotency:
    """The result of :func:`relative_potency`.

    Attributes
    ----------
    potency, lower, upper
        ``EC50_reference / EC50_test`` (above 1: the test substance is more potent) and its
        confidence interval (Wald on the log scale, from the parallel-curve fit).
    level
        Confidence level.
    parallelism
        The F-test of parallel curves (shared bottom, top, hill) against separate curves: a
        small p-value says the curves are not parallel and a single potency ratio is not a
        fair summary.
    joint
        The parallel-curve fit.
    """

    potency: float
    lower: float
    upper: float
    level: float
    reference: Any
    test: Any
    parallelism: CurveComparison
    joint: JointFit

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "reference": str(self.reference),
            "test": str(self.test),
            "potency": _clean(self.potency),
            "lower": _clean(self.lower),
            "upper": _clean(self.upper),
            "level": self.level,
            "parallelism": self.parallelism.to_dict(),
        }


def compare_curves(
    estimator: NonlinearRegression,
    X: Any,
    y: Any,
    groups: Any,
    shared: Sequence[str],
    sample_weight: Any = None,
) -> CurveComparison:
    """Test whether some parameters are the same in every group.

    Parameters
    ----------
    estimator
        An unfitted :class:`NonlinearRegression` giving the model (and any fixed parameters).
    X, y
        All groups' data.
    groups
        The group label of each row (e.g. the cell line).
    shared
        The parameters the null hypothesis holds in common, e.g. ``["EC50"]``.
    sample_weight
        Weights as for ``NonlinearRegression.fit``.

    Returns
    -------
    CurveComparison
    """
    data = _split(X, y, groups, sample_weight)
    separate = {}
    for label, (Xg, yg, wg) in data.items():
        separate[label] = _clone(estimator).fit(Xg, yg, sample_weight=wg)
    names = next(iter(separate.values())).free_names_
    unknown = [name for name in shared if name not in names]
    if unknown or not shared:
        raise UsageError(
            f"cannot share {', '.join(map(repr, unknown)) or 'nothing'}: the fitted "
            f"parameters are {', '.join(names)}",
            fix="Name one or more of the model's fitted parameters in shared",
        )
    joint = fit_joint(estimator, data, shared, separate)
    rss_separate = sum(fit.rss_ for fit in separate.values())
    df_separate = sum(fit.dof_resid_ for fit in separate.values())
    df1 = joint.dof_resid - df_separate
    extra = max(joint.rss - rss_separate, 0.0)
    f = (extra / df1) / (rss_separate / df_separate)
    return CurveComparison(
        shared=tuple(shared),
        f=float(f),
        df1=int(df1),
        df2=int(df_separate),
        p_value=float(stats.f.sf(f, df1, df_separate)),
        rss_shared=joint.rss,
        rss_separate=float(rss_separate),
        separate=separate,
        joint=joint,
    )


def relative_potency(
    estimator: NonlinearRegression,
    X: Any,
    y: Any,
    groups: Any,
    reference: Any,
    level: float = 0.95,
    sample_weight: Any = None,
) -> RelativePotency:
    """Potency of a test substance relative to a reference, from parallel 4PL/5PL curves.

    Parameters
    ----------
    estimator
        An unfitted ``NonlinearRegression`` with a built-in sigmoid model (``"4pl"``,
        ``"4pl-log"``, ``"5pl"``, ``"5pl-log"``, ``"inhibition"``).
    X, y, groups
        Both substances' data; ``groups`` has exactly two labels.
    reference
        The label of the reference substance.
    level
        Confidence level of the interval.
    sample_weight
        Weights as for ``NonlinearRegression.fit``.

    Returns
    -------
    RelativePotency
    """
    data = _split(X, y, groups, sample_weight)
    if len(data) != 2 or reference not in data:
        raise DataError(
            f"relative potency needs exactly two groups including the reference {reference!r}; "
            f"found {', '.join(map(str, data))}",
            fix="Pass the rows of one test substance and the reference",
        )
    (test,) = [label for label in data if label != reference]
    probe = _clone(estimator).fit(*data[reference][:2], sample_weight=data[reference][2])
    centre = [n for n in probe.free_names_ if n in ("EC50", "IC50", "logEC50")]
    if not centre:
        raise UsageError(
            "relative potency needs a sigmoid model with an EC50, IC50 or logEC50",
            fix="Use model='4pl', '4pl-log', '5pl', '5pl-log' or 'inhibition'",
        )
    potency_name = centre[0]
    common = [n for n in probe.free_names_ if n != potency_name]
    parallelism = compare_curves(estimator, X, y, groups, common, sample_weight)
    joint = parallelism.joint
    ref_name, test_name = f"{potency_name}[{reference}]", f"{potency_name}[{test}]"
    est = joint.params["estimate"]
    cov = joint.covariance
    if potency_name == "logEC50":
        log_ratio = (est[ref_name] - est[test_name]) * math.log(10.0)
        scale = np.array([math.log(10.0), -math.log(10.0)])
    else:
        log_ratio = math.log(est[ref_name] / est[test_name])
        scale = np.array([1.0 / est[ref_name], -1.0 / est[test_name]])
    sub = cov.loc[[ref_name, test_name], [ref_name, test_name]].to_numpy()
    se = float(np.sqrt(scale @ sub @ scale))
    q = t_quantile(level, joint.dof_resid)
    return RelativePotency(
        potency=math.exp(log_ratio),
        lower=math.exp(log_ratio - q * se),
        upper=math.exp(log_ratio + q * se),
        level=level,
        reference=reference,
        test=test,
        parallelism=parallelism,
        joint=joint,
    )


def fit_joint(
    estimator: NonlinearRegression,
    data: dict[Any, tuple[Any, np.ndarray, np.ndarray | None]],
    shared: Sequence[str],
    separate: dict[Any, NonlinearRegression],
) -> JointFit:
    """Fit all groups at once with the ``shared`` parameters in common (start: separate fits)."""
    labels = list(data)
    problems = {label: separate[label]._problem() for label in labels}
    first = separate[labels[0]]
    names = first.param_names_
    logged = dict(zip(first.free_names_, problems[labels[0]].logged, strict=True))
    layout: list[tuple[str, Any]] = []  # (parameter, group or None when shared)
    for name in first.free_names_:
        if name in shared:
            layout.append((name, None))
        else:
            layout.extend((name, label) for label in labels)
    start = []
    for name, label in layout:
        owners = [label] if label is not None else labels
        values = [separate[g].coef_[names.index(name)] for g in owners]
        value = float(np.exp(np.mean(np.log(values)))) if logged[name] else float(np.mean(values))
        start.append(value)
    is_log = np.array([logged[name] for name, _ in layout])

    def group_params(z: np.ndarray, label: Any) -> np.ndarray:
        params = np.array(separate[label].coef_, dtype=float)
        values = np.where(is_log, np.exp(np.where(is_log, z, 0.0)), z)
        for k, (name, owner) in enumerate(layout):
            if owner is None or owner == label:
                params[names.index(name)] = values[k]
        return params

    def fun(z):
        with np.errstate(all="ignore"):
            r = np.concatenate([problems[g].weighted_residual(group_params(z, g)) for g in labels])
        return np.where(np.isfinite(r), r, 1e150)

    def natural_jacobian(z):
        blocks = []
        for g in labels:
            params = group_params(z, g)
            with np.errstate(all="ignore"):
                Jg = problems[g].root_w[:, None] * problems[g].resolved.jacobian(
                    problems[g].x, params
                )
            block = np.zeros((Jg.shape[0], len(layout)))
            for k, (name, owner) in enumerate(layout):
                if owner is None or owner == g:
                    block[:, k] = Jg[:, names.index(name)]
            blocks.append(block)
        return np.vstack(blocks)

    def jac(z):
        values = np.where(is_log, np.exp(np.where(is_log, z, 0.0)), z)
        J = natural_jacobian(z) * np.where(is_log, values, 1.0)
        return np.where(np.isfinite(J), J, 0.0)

    z0 = np.where(is_log, np.log(np.abs(start)), start)
    result = least_squares(
        fun, z0, jac=jac, method="lm", x_scale="jac", xtol=TOLERANCE, ftol=TOLERANCE,
        gtol=TOLERANCE, max_nfev=1000 * (len(z0) + 1),
    )  # fmt: skip
    if result.status == 0 or not np.all(np.isfinite(result.x)):
        raise FitError(
            "the fit with shared parameters did not converge",
            fix="Check that every group's data show the whole curve",
        )
    residual = fun(result.x)
    rss = float(residual @ residual)
    n = residual.size
    dof = n - len(layout)
    J = natural_jacobian(result.x)
    _, singular, vt = np.linalg.svd(J, full_matrices=False)
    cov = (vt.T / singular**2) @ vt * (rss / dof)
    estimate = np.where(is_log, np.exp(np.where(is_log, result.x, 0.0)), result.x)
    labels_out = [name if owner is None else f"{name}[{owner}]" for name, owner in layout]
    return JointFit(
        params=wald_table(estimate, cov, dof, 0.95, labels_out),
        covariance=pd.DataFrame(cov, index=labels_out, columns=labels_out),
        rss=rss,
        dof_resid=int(dof),
        n_samples=int(n),
    )


def _split(X, y, groups, sample_weight) -> dict[Any, tuple[Any, np.ndarray, np.ndarray | None]]:
    X_frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X, dtype=float))
    y = np.asarray(y, dtype=float).ravel()
    labels = np.asarray(groups).ravel()
    if not (len(X_frame) == y.size == labels.size):
        raise DataError(
            f"X has {len(X_frame)} rows, y {y.size} values and groups {labels.size} labels",
            fix="Give one group label per row",
        )
    weights = None if sample_weight is None else np.asarray(sample_weight, float).ravel()
    unique = list(dict.fromkeys(labels.tolist()))
    if len(unique) < 2:
        raise DataError("comparing curves needs at least two groups", fix="Check the group column")
    out = {}
    for label in unique:
        rows = labels == label
        out[label] = (
            X_frame.loc[rows] if isinstance(X, pd.DataFrame) else X_frame.to_numpy()[rows],
            y[rows],
            None if weights is None else weights[rows],
        )
    return out


def _clone(estimator: NonlinearRegression) -> NonlinearRegression:
    from sklearn.base import clone

    return clone(estimator)


def _clean(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
