"""``fit_curve``: fit a curve that bends (4PL/5PL, dose-response, enzyme kinetics) to a table.

What ``benchlearn fit --model ...`` computes, as one call: the weights (a column, or a lab rule),
the nonlinear least-squares fit, the parameter table in the lab's words with intervals at any
level (profile intervals for the concentrations, EC50, IC50 and Km, whose Wald intervals are
poor), the curve's confidence and prediction bands, the lack-of-fit and runs tests, and with a
group column the comparison of the groups' curves (shared against separate parameters) and the
relative potency of each group against a reference.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.analysis.shape_checks import ShapeChecks, shape_checks
from benchlearn.analysis.weights import (
    Weighting,
    check_group_column,
    rows_with_weights,
    sample_weight,
)
from benchlearn.errors import BenchlearnError, DataError, FitError, UsageError

# The parameters as a lab names them (engine names on the left).
LABELS = {
    "bottom": "bottom",
    "top": "top",
    "EC50": "EC50",
    "logEC50": "log10 EC50",
    "IC50": "IC50",
    "hill": "Hill slope",
    "asymmetry": "asymmetry",
    "Vmax": "Vmax",
    "Km": "Km",
    "y0": "y at x = 0",
    "plateau": "plateau",
    "k": "rate constant k",
}
# With log_x the sigmoids are fitted in log10 concentration: the same curve, EC50 as log10 EC50.
LOG_X_MODELS = {"4pl": "4pl-log", "5pl": "5pl-log"}
# The parameter a comparison of groups asks about first ("is the EC50 the same?").
KEY_PARAMETERS = {
    "4pl": ("EC50",),
    "4pl-log": ("logEC50",),
    "5pl": ("EC50",),
    "5pl-log": ("logEC50",),
    "inhibition": ("IC50",),
    "michaelis-menten": ("Vmax", "Km"),
    "exponential": ("k",),
}
SIGMOIDS = ("4pl", "4pl-log", "5pl", "5pl-log", "inhibition")
BAND_POINTS = 200


def label(name: str) -> str:
    """A parameter's name in the lab's words (``hill`` -> ``Hill slope``)."""
    base, _, group = name.partition("[")
    text = LABELS.get(base, base)
    return f"{text} [{group}" if group else text


@dataclass(frozen=True)
class GroupTest:
    """One extra-sum-of-squares F-test: are the ``shared`` parameters the same in every group?"""

    shared: tuple[str, ...]
    comparison: Any  # benchlearn.nonlinear.compare.CurveComparison

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return self.comparison.to_dict() | {"shared_labels": [label(n) for n in self.shared]}


@dataclass(frozen=True)
class CurveGroups:
    """The groups' own curves and the tests comparing them.

    Attributes
    ----------
    column
        The group column.
    labels
        The groups, in the order of the file.
    parameters
        Each group's own parameter table (as :attr:`CurveFitAnalysis.parameters`).
    residual_std
        Each group's residual SD.
    checks
        Each group's lack-of-fit and runs tests.
    tests
        The F-tests: the whole curve shared, then each asked-for parameter shared.
    reference
        The reference group of the relative potencies (sigmoids), or None.
    potency
        Relative potency of each other group against the reference (``RelativePotency``).
    """

    column: str
    labels: tuple[Any, ...]
    parameters: dict[Any, pd.DataFrame]
    residual_std: dict[Any, float]
    checks: dict[Any, ShapeChecks]
    tests: tuple[GroupTest, ...]
    reference: Any = None
    potency: tuple[Any, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "column": self.column,
            "groups": [str(g) for g in self.labels],
            "parameters": {str(g): parameter_records(t) for g, t in self.parameters.items()},
            "residual_std": {str(g): _clean(v) for g, v in self.residual_std.items()},
            "shape_checks": {str(g): c.to_dict() for g, c in self.checks.items()},
            "tests": [test.to_dict() for test in self.tests],
            "reference": None if self.reference is None else str(self.reference),
            "relative_potency": [p.to_dict() for p in self.potency],
        }


@dataclass(frozen=True)
class CurveFitAnalysis:
    """The result of :func:`fit_curve`.

    Attributes
    ----------
    model
        The fitted :class:`~benchlearn.nonlinear.NonlinearRegression` (all rows).
    curve
        The built-in curve's name as fitted (``"4pl-log"`` for ``"4pl"`` with ``log_x``).
    formula
        The curve's formula in words.
    x, y
        Predictor and response columns.
    X, response
        The rows fitted (x in the fit's units: log10 with ``log_x``), indexed by the user's rows.
    log_x
        The curve was fitted against log10 of ``x``.
    parameters
        One row per parameter (engine name as index): label, estimate, std_error, t, p_value,
        ci_lower, ci_upper, interval (``"profile"`` or ``"Wald"``), wald_lower, wald_upper;
        fixed parameters have only their value.
    residual_std, rss, dof_resid, n_samples
        Residual SD (weighted fits: of a reading of weight 1), residual sum of squares, its
        degrees of freedom, observations used.
    band
        The curve on a grid of x (fit units): x, mean, conf_lower, conf_upper, pred_lower,
        pred_upper (prediction band of one new reading; with weights, of a reading weighted as
        the standards nearby).
    residuals
        Per row: x, observed, fitted, residual, standardized (residual · sqrt(weight) / s).
    weighting, sample_weight
        How the fit was weighted, and the weights.
    checks
        Lack-of-fit and runs tests of the fit (None with groups: each group has its own).
    groups
        The comparison of the groups' curves (:class:`CurveGroups`), or None.
    warnings, level, source
        Warnings raised, the confidence level, and the file name.
    """

    model: Any
    curve: str
    formula: str
    x: str
    y: str
    X: pd.DataFrame
    response: pd.Series
    log_x: bool
    parameters: pd.DataFrame
    residual_std: float
    rss: float
    dof_resid: int
    n_samples: int
    band: pd.DataFrame
    residuals: pd.DataFrame
    weighting: Weighting
    sample_weight: np.ndarray | None
    checks: ShapeChecks | None
    groups: CurveGroups | None = None
    data: pd.DataFrame | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = ()
    level: float = 0.95
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Every number as JSON-ready values (no NaN or infinity: those become None)."""
        out: dict[str, Any] = {
            "source": self.source,
            "model": self.curve,
            "formula": self.formula,
            "x": self.x,
            "y": self.y,
            "log_x": self.log_x,
            "level": self.level,
            "parameters": parameter_records(self.parameters),
            "residual_std": _clean(self.residual_std),
            "rss": _clean(self.rss),
            "dof_resid": self.dof_resid,
            "n_samples": self.n_samples,
            "n_starts": int(self.model.n_starts_),
            "weighting": self.weighting.to_dict(),
            "dropped_rows": list(self.X.attrs.get("dropped_rows", [])),
            "warnings": list(self.warnings),
            "band": _records(self.band),
            "residuals": [
                {"row": _row(r)} | rec
                for r, rec in zip(self.residuals.index, _records(self.residuals), strict=True)
            ],
        }
        if self.checks is not None:
            out |= self.checks.to_dict()
        if self.groups is not None:
            out["groups"] = self.groups.to_dict()
        return out


def check_curve_fit_options(
    *,
    model: str,
    x: Sequence[str] | str | None,
    weights: str | None = None,
    weight_by: str | None = None,
    log_x: bool = False,
    level: float = 0.95,
) -> str:
    """Refuse options that cannot work, before any data is read; return the curve's name."""
    from benchlearn.analysis.fit_table import check_weight_options
    from benchlearn.nonlinear.models import get_model

    if not 0 < level < 1:
        raise UsageError(f"--level {level} must be between 0 and 1", fix="For 95% use 0.95")
    check_weight_options(weights, weight_by)
    columns = [x] if isinstance(x, str) else list(x or [])
    if len(columns) != 1:
        raise UsageError(
            f"a {model} curve takes one predictor (concentration, dose or time); got "
            f"{len(columns) or 'no'} --x column(s)",
            fix="Name the predictor with one --x",
        )
    curve = get_model(model).name
    if log_x:
        if curve.endswith("-log"):
            raise UsageError(
                f"the {curve} curve already takes log10 concentrations",
                fix="Drop --log-x, or use the model without -log on concentrations",
            )
        if curve not in LOG_X_MODELS:
            raise UsageError(
                f"--log-x fits a 4PL or 5PL against log10 concentration; the {curve} curve is "
                "fitted against x itself",
                fix="Drop --log-x",
            )
        curve = LOG_X_MODELS[curve]
    return curve


def fit_curve(
    table: pd.DataFrame,
    y: str,
    x: str | Sequence[str],
    *,
    model: str = "4pl",
    log_x: bool = False,
    weights: str | None = None,
    weight_by: str | None = None,
    group: str | None = None,
    shared: Sequence[str] | None = None,
    reference: Any = None,
    fixed: Mapping[str, float] | None = None,
    drop_missing: bool = False,
    level: float = 0.95,
    profile: bool | str = "auto",
) -> CurveFitAnalysis:
    """Fit a built-in curve of ``y`` against ``x`` in ``table`` and compute what a report shows.

    Parameters
    ----------
    table
        The data (``attrs["source"]``, the file name, is quoted in messages).
    y, x
        Response and predictor (concentration, dose, time) columns.
    model
        A built-in curve: ``"4pl"`` (also ``"dose-response"``), ``"5pl"``, ``"inhibition"``,
        ``"michaelis-menten"``, ``"exponential"``, or a ``-log`` form taking log10 x.
    log_x
        Fit a 4PL/5PL against log10 of ``x`` (the same curve; EC50 reported as log10 EC50).
    weights, weight_by
        A column of weights, or a rule (``1/x``, ``1/x2``, ``1/y``, ``1/y2``, ``replicates``;
        x as in the file).
    group
        A column naming each row's group (cell line, compound): the groups' curves are compared.
    shared
        With ``group``: the parameters tested one at a time for being the same in every group
        (default: EC50/IC50 for a sigmoid, Vmax and Km, k). The whole curve is always tested.
    reference
        With ``group`` and a sigmoid: the reference group of the relative potencies (default:
        the first group in the table).
    fixed
        Parameters held at a value, e.g. ``{"bottom": 0, "top": 100}``.
    drop_missing
        Leave out rows with empty cells (else they are an error naming the row).
    level
        Confidence level of every interval.
    profile
        ``"auto"``: profile-likelihood intervals for the concentration-like parameters (EC50,
        IC50, Km, k, asymmetry); True: for every parameter; False: Wald intervals only.

    Returns
    -------
    CurveFitAnalysis

    Raises
    ------
    UsageError, DataError
        An option or the data cannot be used as given.
    FitError
        The curve could not be fitted (the message says what to check).

    Examples
    --------
    >>> from benchlearn.data import load_puromycin
    >>> table = load_puromycin().frame
    >>> result = fit_curve(table[table.state == "treated"], "rate", "conc",
    ...                    model="michaelis-menten")
    >>> round(float(result.parameters.loc["Km", "estimate"]), 5)
    0.06412
    >>> result.parameters.loc["Km", "interval"]
    'profile'
    """
    from benchlearn.data import select_columns

    curve = check_curve_fit_options(
        model=model, x=x, weights=weights, weight_by=weight_by, log_x=log_x, level=level
    )
    x = x if isinstance(x, str) else x[0]
    source = table.attrs.get("source")
    check_group_column(table, group)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = table
        if weights is not None:
            frame = rows_with_weights(table, weights, drop_missing=drop_missing)
        X, response = select_columns(frame, y, [x], drop_missing=drop_missing, min_rows=3)
        if group is not None:
            labels = frame.loc[X.index, group]
            if labels.isna().any():
                row = labels.index[labels.isna()][0]
                raise DataError(
                    "the group is empty",
                    path=source,
                    row=int(row),
                    column=group,
                    fix="Name every row's group, or leave the row out",
                )
        w, weighting = sample_weight(frame, X, response, weights, weight_by, source, group=group)
        x_file = X[x].to_numpy(dtype=float)
        if log_x:
            X = log10_column(X, x, source)
        estimator = _estimator(curve, fixed)
        fit = _fit(estimator, X, response, w, where=_where(source, y, x, curve))
        parameters = parameter_table(fit, level, profile)
        band = curve_band(
            fit, X[x].to_numpy(dtype=float), curve, level, weighting, w, x_file, log_x
        )
        groups, data = None, None
        if group is None:
            checks = shape_checks(fit, X, response, w, settings=X)
        else:
            checks = None
            data = frame.loc[X.index]
            data.attrs = dict(table.attrs)
            groups = _compare_groups(
                estimator,
                X,
                response,
                w,
                data[group],
                group,
                curve,
                shared,
                reference,
                level,
                profile,
                source,
            )
    return CurveFitAnalysis(
        model=fit,
        curve=curve,
        formula=fit.model_description_.split(": ", 1)[-1].removeprefix("y = "),
        x=x,
        y=y,
        X=X,
        response=response,
        log_x=log_x,
        parameters=parameters,
        residual_std=float(fit.residual_std_),
        rss=float(fit.rss_),
        dof_resid=int(fit.dof_resid_),
        n_samples=int(fit.n_samples_),
        band=band,
        residuals=residual_table(fit, X, response, w),
        weighting=weighting,
        sample_weight=w,
        checks=checks,
        groups=groups,
        data=data,
        warnings=tuple(str(warning.message) for warning in caught),
        level=level,
        source=source,
    )


# ---------------------------------------------------------------- pieces
def parameter_table(fit: Any, level: float, profile: bool | str = "auto") -> pd.DataFrame:
    """The fit's parameters at ``level`` in the lab's words, profile intervals where chosen."""
    from benchlearn.nonlinear.inference import wald_table
    from benchlearn.nonlinear.models import get_model
    from benchlearn.nonlinear.profile import profile_interval

    free = list(fit.free_names_)
    table = wald_table(fit.coef_[fit.free_index_], fit.covariance_, fit.dof_resid_, level, free)
    table["wald_lower"], table["wald_upper"] = table["ci_lower"], table["ci_upper"]
    table["interval"] = "Wald"
    if profile == "auto":
        positive = get_model(fit.model).positive if isinstance(fit.model, str) else ()
        chosen = [n for n in free if n in positive]
    else:
        chosen = free if profile else []
    for name in chosen:
        lower, upper = profile_interval(fit, name, level)
        table.loc[name, ["ci_lower", "ci_upper", "interval"]] = [lower, upper, "profile"]
    for name, value in fit.fixed_.items():
        table.loc[name, ["estimate", "interval"]] = [float(value), "fixed"]
    table = table.loc[[n for n in fit.param_names_ if n in table.index]]
    table.insert(0, "label", [label(n) for n in table.index])
    return table


def parameter_records(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """A parameter table as JSON-ready records keyed by the engine's name."""
    return {
        str(name): {column: _clean(row[column]) for column in table.columns}
        for name, row in table.iterrows()
    }


def curve_band(
    fit: Any,
    x: np.ndarray,
    curve: str,
    level: float,
    weighting: Weighting,
    weights: np.ndarray | None,
    x_file: np.ndarray,
    log_x: bool,
) -> pd.DataFrame:
    """The fitted curve with its confidence and prediction bands on a grid spanning the data.

    Concentration sigmoids get a grid even in log10 x (where they bend); a weighted fit's
    prediction band is for a reading weighted as the rule (or the standards nearby) says.
    """
    low, high = float(np.min(x)), float(np.max(x))
    positive = x[x > 0]
    if curve in ("4pl", "5pl", "inhibition") and positive.size and high > positive.min():
        grid = np.geomspace(positive.min(), high, BAND_POINTS)
        if low <= 0:
            grid = np.concatenate([[low], grid])
    else:
        grid = np.linspace(low, high, BAND_POINTS)
    X_grid = (
        pd.DataFrame({fit.feature_names_in_[0]: grid})
        if hasattr(fit, "feature_names_in_")
        else grid.reshape(-1, 1)
    )
    conf = fit.predict_interval(X_grid, kind="confidence", level=level)
    reading_weight = None
    if weighting.weighted:
        from benchlearn.linear.weighting import weight_at

        file_grid = 10.0**grid if log_x else grid
        reading_weight = np.array(
            [
                weight_at(weighting.rule, xf, m, x_file, weights)
                for xf, m in zip(file_grid, conf["mean"], strict=True)
            ]
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        pred = fit.predict_interval(
            X_grid, kind="prediction", level=level, sample_weight=reading_weight
        )
    return pd.DataFrame(
        {
            "x": grid,
            "mean": conf["mean"].to_numpy(),
            "conf_lower": conf["lower"].to_numpy(),
            "conf_upper": conf["upper"].to_numpy(),
            "pred_lower": pred["lower"].to_numpy(),
            "pred_upper": pred["upper"].to_numpy(),
        }
    )


def residual_table(fit: Any, X: pd.DataFrame, y: pd.Series, weights: Any) -> pd.DataFrame:
    """Per row: x, observed, fitted, residual and standardized residual."""
    fitted = np.asarray(fit.predict(X), dtype=float)
    residual = y.to_numpy(dtype=float) - fitted
    w = np.ones_like(residual) if weights is None else np.asarray(weights, dtype=float)
    return pd.DataFrame(
        {
            "x": X.iloc[:, 0].to_numpy(dtype=float),
            "observed": y.to_numpy(dtype=float),
            "fitted": fitted,
            "residual": residual,
            "standardized": residual * np.sqrt(w) / fit.residual_std_,
        },
        index=X.index,
    )


def log10_column(X: pd.DataFrame, column: str, source: str | None) -> pd.DataFrame:
    """``X`` with ``column`` replaced by its log10 (refusing zero or negative values)."""
    values = X[column]
    if (values <= 0).any():
        row = values.index[values <= 0][0]
        raise DataError(
            f"--log-x needs positive concentrations, found {values.loc[row]:g}",
            path=source,
            row=int(row),
            column=column,
            fix="Leave out the blank (zero) standards, or fit without --log-x (a 4PL in the "
            "concentration itself takes blanks)",
        )
    out = X.copy()
    out[column] = np.log10(values)
    return out


def _estimator(curve: str, fixed: Mapping[str, float] | None) -> Any:
    from benchlearn.nonlinear import NonlinearRegression

    return NonlinearRegression(model=curve, fixed=dict(fixed) if fixed else None)


def _where(source: str | None, y: str, x: str, curve: str) -> str:
    data = f"file {source}, " if source else ""
    return f"{data}{curve} curve of `{y}` against `{x}`"


def _fit(estimator: Any, X: Any, y: Any, w: Any, *, where: str) -> Any:
    """Fit, turning the engine's advice into what a user of the command line can do."""
    from sklearn.base import clone

    with explained_failures(where):
        return clone(estimator).fit(X, y, sample_weight=w)


@contextmanager
def explained_failures(where: str) -> Iterator[None]:
    """Re-raise a failed fit as a :class:`FitError` saying where and what to check."""
    try:
        yield
    except FitError as error:
        raise FitError(error.what, where=where, fix=command_line_advice(error.fix)) from None
    except (ArithmeticError, ValueError) as error:
        if isinstance(error, BenchlearnError):
            raise
        raise FitError(
            f"the fit failed: the curve could not be evaluated along the way ({error})",
            where=where,
            fix=command_line_advice(None),
        ) from None


def command_line_advice(fix: str | None) -> str:
    """The engine's advice (``fixed={...}``, ``p0``) in the options of the command line too."""
    text = fix or "Check that the data show the shape of the curve"
    text = text.replace("fixed={...}", "--fix NAME=VALUE (fixed={...} in Python)")
    text = text.replace("give starting values with p0", "check the --x and --y columns")
    text = text.replace(", or raise max_nfev", "")
    return text + "; or try another --model (e.g. michaelis-menten for a curve with one plateau)"


def _compare_groups(
    estimator: Any,
    X: pd.DataFrame,
    y: pd.Series,
    w: Any,
    labels: pd.Series,
    column: str,
    curve: str,
    shared: Sequence[str] | None,
    reference: Any,
    level: float,
    profile: bool | str,
    source: str | None,
) -> CurveGroups:
    names = group_names(labels)
    order = list(dict.fromkeys(names.tolist()))
    if len(order) < 2:
        raise DataError(
            f"the column `{column}` has one group ({order[0]})",
            path=source,
            column=column,
            fix="Comparing curves needs two or more groups",
        )
    where = f"{f'file {source}, ' if source else ''}comparing the {column} groups' curves"
    with explained_failures(where):
        return _group_curves(
            estimator, X, y, w, names, order, column, curve, shared, reference, level, profile
        )


def _group_curves(
    estimator: Any,
    X: pd.DataFrame,
    y: pd.Series,
    w: Any,
    names: np.ndarray,
    order: list[str],
    column: str,
    curve: str,
    shared: Sequence[str] | None,
    reference: Any,
    level: float,
    profile: bool | str,
) -> CurveGroups:
    """Separate fits, the F-tests of shared parameters and the relative potencies."""
    from benchlearn.nonlinear.compare import compare_curves, relative_potency

    whole = compare_curves(estimator, X, y, names, _free(estimator, curve), sample_weight=w)
    free = next(iter(whole.separate.values())).free_names_
    asked = list(shared) if shared else [n for n in KEY_PARAMETERS.get(curve, ()) if n in free]
    unknown = [n for n in asked if n not in free]
    if unknown:
        raise UsageError(
            f"--shared {', '.join(unknown)}: the {curve} curve's fitted parameters are "
            f"{', '.join(free)}",
            fix="Name one of them",
        )
    tests = [GroupTest(tuple(free), whole)]
    for name in asked:
        tests.append(
            GroupTest((name,), compare_curves(estimator, X, y, names, [name], sample_weight=w))
        )
    potency: list[Any] = []
    ref = None
    if curve in SIGMOIDS:
        ref = order[0] if reference is None else str(reference).strip()
        if ref not in order:
            raise UsageError(
                f"--reference {reference}: there is no such {column}",
                fix=f"The groups are {', '.join(order)}",
            )
        for other in order:
            if other == ref:
                continue
            rows = (names == ref) | (names == other)
            potency.append(
                relative_potency(
                    estimator,
                    X.loc[rows],
                    y.loc[rows],
                    names[rows],
                    ref,
                    level=level,
                    sample_weight=None if w is None else w[rows],
                )
            )
    separate = whole.separate
    return CurveGroups(
        column=column,
        labels=tuple(order),
        parameters={g: parameter_table(separate[g], level, profile) for g in order},
        residual_std={g: float(separate[g].residual_std_) for g in order},
        checks={g: _group_checks(separate[g], X, y, w, names == g) for g in order},
        tests=tuple(tests),
        reference=ref,
        potency=tuple(potency),
    )


def group_names(labels: pd.Series) -> np.ndarray:
    """Each row's group as text (whole numbers without a trailing ``.0``: plate 1, not 1.0)."""
    values = pd.to_numeric(labels, errors="coerce")
    if values.notna().all() and np.all(values == np.round(values)):
        return values.astype("int64").astype(str).to_numpy()
    return labels.astype(str).str.strip().to_numpy()


def _group_checks(fit: Any, X: pd.DataFrame, y: pd.Series, w: Any, rows: np.ndarray) -> Any:
    return shape_checks(
        fit, X.loc[rows], y.loc[rows], None if w is None else w[rows], settings=X.loc[rows]
    )


def _free(estimator: Any, curve: str) -> list[str]:
    from benchlearn.nonlinear.models import get_model

    fixed = estimator.fixed or {}
    return [n for n in get_model(curve).param_names if n not in fixed]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _row(label: Any) -> Any:
    return int(label) if isinstance(label, (int, np.integer)) else str(label)


def _clean(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
