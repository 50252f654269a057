"""Weights for weighted least squares, from the rules labs use.

When the scatter of a measurement grows with its size (a constant coefficient of variation is
common in assays), ordinary least squares lets the large, noisy points dominate. Weighted least
squares gives observation ``i`` the weight ``w_i = 1 / variance_i`` (up to a common factor):

- ``1/x``, ``1/x2``: variance proportional to x or to x² (constant CV in x);
- ``1/y``, ``1/y2``: the same with the measured signal (Prism's "relative weighting" is 1/y²);
- ``replicates``: the inverse of the sample variance of the replicate signals measured at the same
  x, so each concentration level is weighted by how reproducible it actually was.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import DataError, UsageError

WEIGHT_RULES = ("1/x", "1/x2", "1/y", "1/y2", "replicates")


def check_rule(rule: str) -> None:
    """Refuse a weighting rule that is not one of `WEIGHT_RULES`.

    Raises
    ------
    UsageError
        Naming the rules there are.
    """
    if rule not in WEIGHT_RULES:
        raise UsageError(
            f"--weight-by {rule!r} is not one of {', '.join(WEIGHT_RULES)}",
            fix="For a constant coefficient of variation use 1/x2 (or 1/y2)",
        )


def weights_by(rule: str, x: Any, y: Any, *, source: str | None = None) -> np.ndarray:
    """Weights for each observation by a named rule.

    Parameters
    ----------
    rule : {"1/x", "1/x2", "1/y", "1/y2", "replicates"}
        See the module description.
    x, y
        The predictor (one column) and the response. A pandas Series' index gives the row
        numbers quoted in error messages, and its name the column.
    source
        File name for error messages.

    Returns
    -------
    ndarray of positive weights, one per observation.

    Examples
    --------
    >>> weights_by("1/x2", [1.0, 2.0, 4.0], [0.1, 0.2, 0.4])
    array([1.    , 0.25  , 0.0625])
    """
    check_rule(rule)
    x_is_labelled = isinstance(x, (pd.Series, pd.DataFrame))
    x = _series(x, "x")
    y = _series(y, "y")
    if len(x) != len(y):
        raise UsageError(
            f"x has {len(x)} values and y {len(y)}", fix="Give one x and one y per observation"
        )
    # One labelled input gives its row labels to the other, so both share the user's rows.
    if x_is_labelled and not y.index.equals(x.index):
        y = pd.Series(y.to_numpy(), index=x.index, name=y.name)
    elif not y.index.equals(x.index):
        x = pd.Series(x.to_numpy(), index=y.index, name=x.name)
    if rule == "replicates":
        return _replicate_weights(x, y, source)
    values = x if rule.startswith("1/x") else y
    if rule.endswith("2"):
        bad = values == 0
        problem = "is 0, so 1/value² is infinite"
    else:
        bad = values <= 0
        problem = "is not positive, so 1/value is not a usable weight"
    if bad.any():
        row = values.index[bad.to_numpy()][0]
        raise DataError(
            f"the value {values.loc[row]:g} {problem}",
            path=source,
            row=_row(row),
            column=str(values.name),
            fix="Leave such rows out (e.g. the blank), or choose another weighting",
        )
    power = 2.0 if rule.endswith("2") else 1.0
    return 1.0 / np.abs(values.to_numpy(dtype=float)) ** power


def _replicate_weights(x: pd.Series, y: pd.Series, source: str | None) -> np.ndarray:
    groups = y.groupby(x.to_numpy())
    count = groups.transform("count")
    if (count < 2).any():
        row = count.index[(count < 2).to_numpy()][0]
        raise DataError(
            f"{x.name} = {x.loc[row]:g} has a single measurement, so the variance of its "
            "replicates cannot be estimated",
            path=source,
            row=_row(row),
            column=str(x.name),
            fix="Measure every level at least twice, or use --weight-by 1/x2 or 1/y2",
        )
    variance = groups.transform(lambda v: v.var(ddof=1))
    if (variance <= 0).any():
        row = variance.index[(variance <= 0).to_numpy()][0]
        raise DataError(
            f"the replicates at {x.name} = {x.loc[row]:g} are identical, so their variance is 0 "
            "and the weight infinite",
            path=source,
            row=_row(row),
            column=str(y.name),
            fix="Check for copied values, or use --weight-by 1/x2 or 1/y2",
        )
    return 1.0 / variance.to_numpy(dtype=float)


def weight_at(rule: str | None, x0: float, y0: float, x: Any, weights: Any) -> float:
    """The weight a new reading at ``(x0, y0)`` would have under the same weighting.

    For the ``1/x``-type and ``1/y``-type rules it is the rule itself; for replicate variances or
    a column of weights (``rule=None``) it is interpolated linearly in ``x`` between the
    standards' weights (constant beyond the outermost standards).
    """
    if rule in ("1/x", "1/x2"):
        return 1.0 / abs(x0) ** (2.0 if rule == "1/x2" else 1.0)
    if rule in ("1/y", "1/y2"):
        return 1.0 / abs(y0) ** (2.0 if rule == "1/y2" else 1.0)
    x = np.asarray(x, dtype=float).ravel()
    w = np.asarray(weights, dtype=float).ravel()
    levels = np.unique(x)
    mean_w = np.array([w[x == level].mean() for level in levels])
    return float(np.interp(x0, levels, mean_w))


def _series(values: Any, name: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        values = values.iloc[:, 0]
    if isinstance(values, pd.Series):
        return values.astype(float)
    # Positions in an array are not row numbers of a file: a string index keeps them out of
    # the "row N" of error messages while still naming the observation.
    flat = np.asarray(values, dtype=float).ravel()
    index = pd.Index([f"#{i}" for i in range(flat.size)], dtype=object)
    return pd.Series(flat, index=index, name=name)


def _row(label: Any) -> int | None:
    return int(label) if isinstance(label, (int, np.integer)) else None
