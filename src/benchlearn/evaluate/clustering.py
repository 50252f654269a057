"""Comparing clusters found without labels to the labels afterwards."""

from __future__ import annotations

from math import comb
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import DataError


def contingency_table(labels_true: Any, labels_pred: Any) -> pd.DataFrame:
    """How many samples of each true group fell in each cluster (rows: truth, columns: cluster).

    Examples
    --------
    >>> contingency_table(["A", "A", "B"], [0, 0, 1])
    cluster  0  1
    true
    A        2  0
    B        0  1
    """
    true, pred = np.asarray(labels_true).ravel(), np.asarray(labels_pred).ravel()
    if true.shape != pred.shape:
        raise DataError(f"{len(true)} true labels but {len(pred)} cluster labels",
                        fix="Pass one cluster label per sample")  # fmt: skip
    known = ~(pd.isna(true) | pd.isna(pred))  # like pandas' crosstab, rows missing a label drop
    try:
        # counted with NumPy: a lesson slider asks for this table on every move, and
        # pandas' crosstab takes tens of milliseconds even for a few hundred rows
        rows, row_codes = np.unique(true[known], return_inverse=True)
        columns, column_codes = np.unique(pred[known], return_inverse=True)
    except TypeError:  # labels of mixed kinds that cannot be sorted together
        return pd.crosstab(pd.Series(true, name="true"), pd.Series(pred, name="cluster"))
    counts = np.zeros((len(rows), len(columns)), dtype=np.int64)
    np.add.at(counts, (row_codes.ravel(), column_codes.ravel()), 1)
    return pd.DataFrame(
        counts, index=pd.Index(rows, name="true"), columns=pd.Index(columns, name="cluster")
    )


def adjusted_rand_index(labels_true: Any, labels_pred: Any) -> float:
    """Agreement of two groupings, corrected for chance: 1 identical, about 0 random.

    It counts pairs of samples: pairs together in both groupings, apart in both, or split
    differently, and compares the count of agreeing pairs with what random groupings of the same
    sizes would give (Hubert & Arabie, 1985). Cluster numbers need not match label names.

    Examples
    --------
    >>> adjusted_rand_index(["A", "A", "B", "B"], [1, 1, 0, 0])
    1.0
    """
    table = contingency_table(labels_true, labels_pred).to_numpy()
    n = int(table.sum())
    pairs = sum(comb(int(v), 2) for v in table.ravel())
    rows = sum(comb(int(v), 2) for v in table.sum(axis=1))
    cols = sum(comb(int(v), 2) for v in table.sum(axis=0))
    expected = rows * cols / comb(n, 2) if n > 1 else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return float((pairs - expected) / (maximum - expected))
