"""How often a classifier is right, and in which way it is wrong.

- accuracy: share of samples classified correctly.
- precision (for the "positive" class, e.g. malignant): of the samples called positive, the share
  that are. Recall (sensitivity): of the positive samples, the share that were found.
- confusion matrix: counts of (true class, predicted class) pairs.
- ROC curve / AUC: for a score (e.g. a probability), the true-positive rate against the
  false-positive rate at every threshold; the area under it is the probability that a random
  positive sample scores higher than a random negative one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import DataError


def _labels(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise DataError(f"{len(y_true)} true labels but {len(y_pred)} predictions",
                        fix="Pass one prediction per sample")  # fmt: skip
    return y_true, y_pred


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Share of correct predictions.

    Examples
    --------
    >>> accuracy(["a", "b", "b", "a"], ["a", "b", "a", "a"])
    0.75
    """
    y_true, y_pred = _labels(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def precision(y_true: Any, y_pred: Any, *, positive: Any = 1) -> float:
    """Of the samples predicted ``positive``, the share truly positive (0 if none predicted)."""
    y_true, y_pred = _labels(y_true, y_pred)
    called = y_pred == positive
    return float(np.mean(y_true[called] == positive)) if called.any() else 0.0


def recall(y_true: Any, y_pred: Any, *, positive: Any = 1) -> float:
    """Of the truly ``positive`` samples, the share predicted positive (sensitivity)."""
    y_true, y_pred = _labels(y_true, y_pred)
    actual = y_true == positive
    return float(np.mean(y_pred[actual] == positive)) if actual.any() else 0.0


def f1_score(y_true: Any, y_pred: Any, *, positive: Any = 1) -> float:
    """Harmonic mean of precision and recall."""
    p, r = precision(y_true, y_pred, positive=positive), recall(y_true, y_pred, positive=positive)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None) -> pd.DataFrame:
    """Counts of each (true, predicted) pair: rows are the truth, columns the prediction.

    Examples
    --------
    >>> confusion_matrix(["benign", "malignant", "benign"], ["benign", "benign", "benign"])
    predicted  benign  malignant
    true
    benign          2          0
    malignant       1          0
    """
    y_true, y_pred = _labels(y_true, y_pred)
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        counts[index[t], index[p]] += 1
    return pd.DataFrame(counts, index=pd.Index(labels, name="true"),
                        columns=pd.Index(labels, name="predicted"))  # fmt: skip


def roc_curve(y_true: Any, score: Any, *, positive: Any = 1) -> pd.DataFrame:
    """False- and true-positive rates at every distinct threshold of ``score`` (highest first)."""
    y_true, score = _labels(y_true, score)
    is_positive = y_true == positive
    n_pos, n_neg = is_positive.sum(), (~is_positive).sum()
    if n_pos == 0 or n_neg == 0:
        raise DataError(
            "a ROC curve needs both positive and negative samples",
            fix=f"The labels contain only {'negatives' if n_pos == 0 else 'positives'}",
        )
    order = np.argsort(-score.astype(float), kind="mergesort")
    s, pos = score[order].astype(float), is_positive[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tp = np.cumsum(pos)[last_of_tie]
    fp = np.cumsum(~pos)[last_of_tie]
    return pd.DataFrame({
        "threshold": np.r_[np.inf, s[last_of_tie]],
        "false_positive_rate": np.r_[0.0, fp / n_neg],
        "true_positive_rate": np.r_[0.0, tp / n_pos],
    })  # fmt: skip


def roc_auc(y_true: Any, score: Any, *, positive: Any = 1) -> float:
    """Area under the ROC curve (trapezoids; ties count half, as in scikit-learn)."""
    curve = roc_curve(y_true, score, positive=positive)
    return float(np.trapezoid(curve["true_positive_rate"], curve["false_positive_rate"]))
