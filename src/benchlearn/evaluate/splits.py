"""Holding data back: a train/test split, and k-fold splits for cross-validation.

A model is judged on rows it did not learn from. ``train_test_split`` sets aside a test set once;
``KFold`` cuts the rows into k folds and lets each fold be the test set in turn.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from benchlearn.errors import DataError, UsageError


def _take(array: Any, index: np.ndarray) -> Any:
    if hasattr(array, "iloc"):
        return array.iloc[index]
    return np.asarray(array)[index]


def train_test_split(
    *arrays: Any,
    test_size: float | int = 0.25,
    random_state: int | None = None,
    shuffle: bool = True,
    stratify: Any = None,
) -> list[Any]:
    """Split arrays (or DataFrames) into a training part and a test part.

    Parameters
    ----------
    *arrays
        Arrays or DataFrames/Series with the same number of rows.
    test_size
        Fraction of rows (between 0 and 1) or number of rows for the test set.
    random_state
        Seed for the shuffle.
    shuffle
        Shuffle before splitting (otherwise the last rows are the test set).
    stratify
        Class labels: keep each class's share the same in both parts.

    Returns
    -------
    list
        ``train, test`` for each input, in order: ``X_train, X_test, y_train, y_test``.

    Examples
    --------
    >>> import numpy as np
    >>> X_train, X_test = train_test_split(np.arange(8), test_size=0.25, random_state=0)
    >>> len(X_train), len(X_test)
    (6, 2)
    """
    if not arrays:
        raise UsageError("no arrays to split", fix="Pass at least one array")
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise DataError(
            "the arrays to split have different numbers of rows",
            fix="Pass X and y with one row per sample each",
        )
    n_test = int(np.ceil(test_size * n)) if isinstance(test_size, float) else int(test_size)
    if not 0 < n_test < n:
        raise UsageError(
            f"test_size={test_size!r} leaves {n_test} of {n} rows for testing",
            fix="Use a fraction between 0 and 1 (e.g. 0.25) that leaves rows on both sides",
        )
    rng = np.random.default_rng(random_state)
    if stratify is not None:
        labels = np.asarray(stratify)
        test = []
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            members = rng.permutation(members) if shuffle else members
            test.extend(members[: round(n_test * len(members) / n)])
        test_index = np.sort(np.array(test, dtype=int))
    else:
        order = rng.permutation(n) if shuffle else np.arange(n)
        test_index = np.sort(order[n - n_test :])
    train_mask = np.ones(n, dtype=bool)
    train_mask[test_index] = False
    train_index = np.flatnonzero(train_mask)
    out: list[Any] = []
    for array in arrays:
        out.extend([_take(array, train_index), _take(array, test_index)])
    return out


class KFold:
    """K-fold cross-validation splitter, usable wherever scikit-learn accepts ``cv=``.

    The rows are cut into ``n_splits`` consecutive folds (after an optional shuffle); the first
    ``n % n_splits`` folds get one extra row. Each fold is the test set once.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
    random_state : int or None

    Examples
    --------
    >>> import numpy as np
    >>> [test.tolist() for _, test in KFold(3).split(np.zeros(7))]
    [[0, 1, 2], [3, 4], [5, 6]]
    """

    def __init__(
        self, n_splits: int = 5, *, shuffle: bool = False, random_state: int | None = None
    ):
        if not isinstance(n_splits, int) or n_splits < 2:
            raise UsageError(
                f"n_splits={n_splits!r} must be a whole number of at least 2",
                fix="5 or 10 folds are common choices",
            )
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[np.ndarray, ...]]:
        """Yield ``(train_indices, test_indices)`` for each fold."""
        n = len(X)
        if n < self.n_splits:
            raise DataError(
                f"cannot make {self.n_splits} folds from {n} rows",
                fix="Use fewer folds or more rows",
            )
        order = np.arange(n)
        if self.shuffle:
            order = np.random.default_rng(self.random_state).permutation(n)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        start = 0
        for size in sizes:
            test = order[start : start + size]
            train = np.concatenate([order[:start], order[start + size :]])
            start += size
            yield train, test

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of folds."""
        return self.n_splits

    def __repr__(self) -> str:
        return (
            f"KFold(n_splits={self.n_splits}, shuffle={self.shuffle}, "
            f"random_state={self.random_state})"
        )
