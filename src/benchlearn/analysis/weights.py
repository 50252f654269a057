"""The weights of a fit: a column of the table (``weights``) or a lab rule (``weight_by``)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import DataError, UsageError


@dataclass(frozen=True)
class Weighting:
    """How a fit was weighted.

    Attributes
    ----------
    weighted
        False for ordinary least squares.
    rule
        The lab rule (``1/x``, ``1/x2``, ``1/y``, ``1/y2``, ``replicates``), or None.
    column
        The column of weights, or None.
    x, y
        The names of the predictor and the response the rule refers to.
    group
        With ``replicates``: replicate variances are those within each group of this column.
    zero_weight_rows
        Rows of weight 0 (left out of the fit) in a column of weights.
    """

    weighted: bool = False
    rule: str | None = None
    column: str | None = None
    x: str | None = None
    y: str | None = None
    group: str | None = None
    zero_weight_rows: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {"weighted": self.weighted, "rule": self.rule, "column": self.column}


def rows_with_weights(frame: pd.DataFrame, column: str, *, drop_missing: bool) -> pd.DataFrame:
    """The table with the weights column as numbers (rows without a weight left out if asked).

    Raises
    ------
    UsageError
        There is no such column.
    DataError
        A weight is not a number, is negative or infinite, or is empty without ``drop_missing``
        (naming the row).
    """
    from benchlearn.errors import MissingValuesDropped

    source = frame.attrs.get("source")
    if column not in frame.columns:
        raise UsageError(
            f"there is no column named `{column}` for --weights",
            where=None if source is None else f"file {source}",
            fix=f"The columns are: {', '.join(f'`{c}`' for c in frame.columns)}",
        )
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce")
    empty = (raw.isna() | (raw.astype(str).str.strip() == "")).to_numpy()
    not_number = values.isna().to_numpy() & ~empty
    unusable = ((values < 0) | values.abs().eq(float("inf"))).to_numpy()
    fault = None
    if not_number.any():
        row = values.index[not_number][0]
        fault = (row, f"{raw.loc[row]!r} is not a number", "Weights must be numbers")
    elif empty.any() and not drop_missing:
        row = values.index[empty][0]
        fault = (
            row,
            "the weight is empty",
            "Fill in every weight, or leave such rows out with --drop-missing",
        )
    elif unusable.any():
        row = values.index[unusable][0]
        fault = (
            row,
            f"the weight {values.loc[row]:g} is negative or infinite",
            "Weights must be 0 or more and finite (0 leaves the row out of the fit)",
        )
    if fault is not None:
        row, what, fix = fault
        raise DataError(
            what,
            path=source,
            row=int(row) if isinstance(row, (int, np.integer)) else None,
            column=column,
            fix=fix,
        )
    if empty.any():
        rows = ", ".join(str(r) for r in values.index[empty][:10])
        warnings.warn(
            f"{int(empty.sum())} row(s) with an empty weight were left out (rows {rows}).",
            MissingValuesDropped,
            stacklevel=2,
        )
    table = frame.loc[~empty].copy()
    table[column] = values[~empty].astype(float)
    table.attrs = dict(frame.attrs)
    return table


def sample_weight(
    table: pd.DataFrame,
    X: pd.DataFrame,
    y: pd.Series,
    column: str | None,
    rule: str | None,
    source: str | None,
    *,
    group: str | None = None,
) -> tuple[np.ndarray | None, Weighting]:
    """The weights of the fit (None if unweighted) and how they were chosen.

    With ``group``, replicate variances are those of each group's replicates: pooling the
    groups' replicates at one x would count the difference between groups as scatter.
    """
    if column is None and rule is None:
        return None, Weighting()
    if column is not None:
        weights = table.loc[X.index, column].to_numpy(dtype=float)
        return weights, Weighting(
            weighted=True, column=column, zero_weight_rows=int((weights == 0).sum())
        )
    from benchlearn.linear.weighting import weights_by

    if rule != "1/y" and rule != "1/y2" and X.shape[1] != 1:
        raise UsageError(
            f"--weight-by {rule} needs exactly one --x column, got {X.shape[1]}",
            fix="Name one predictor with --x, or weight by 1/y or 1/y2",
        )
    x_name = str(X.columns[0])
    if rule == "replicates" and group is not None:
        labels = table.loc[X.index, group].astype(str).str.strip().to_numpy()
        weights = np.empty(len(X))
        for label in np.unique(labels):
            rows = labels == label
            weights[rows] = weights_by(rule, X.iloc[rows, 0], y.iloc[rows], source=source)
    else:
        group = None
        weights = weights_by(rule or "", X.iloc[:, 0], y, source=source)
    return weights, Weighting(weighted=True, rule=rule, x=x_name, y=str(y.name), group=group)


def check_group_column(table: pd.DataFrame, group: str | None) -> None:
    """Refuse a ``group`` column the table does not have, listing the columns it has."""
    if group is not None and group not in table.columns:
        source = table.attrs.get("source")
        raise UsageError(
            f"there is no column named `{group}` to group by",
            where=None if source is None else f"file {source}",
            fix=f"The columns are: {', '.join(f'`{c}`' for c in table.columns)}",
        )
