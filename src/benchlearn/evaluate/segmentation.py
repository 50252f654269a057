"""Scoring an image segmentation (which pixels a model marks) against the ground truth."""

from __future__ import annotations

from typing import Any

import numpy as np

from benchlearn.errors import DataError


def intersection_over_union(truth: Any, predicted: Any) -> float:
    """Pixels marked by both, divided by pixels marked by either (the Jaccard index, IoU).

    1 means the model marked exactly the true pixels; 0 means no overlap at all. Unlike
    pixel accuracy, it does not reward marking the (usually large) background correctly.

    Parameters
    ----------
    truth, predicted
        Boolean (or 0/1) arrays of the same shape: True where the object is.

    Examples
    --------
    >>> intersection_over_union([[1, 1, 0, 0]], [[0, 1, 1, 0]])
    0.3333333333333333
    """
    truth, predicted = np.asarray(truth).astype(bool), np.asarray(predicted).astype(bool)
    if truth.shape != predicted.shape:
        raise DataError(
            f"the masks have different shapes, {truth.shape} and {predicted.shape}",
            fix="Score the prediction against the ground truth of the same image region",
        )
    union = np.logical_or(truth, predicted).sum()
    if union == 0:
        raise DataError(
            "neither mask marks any pixel, so their overlap is undefined",
            fix="Score a region that contains at least one object",
        )
    return float(np.logical_and(truth, predicted).sum() / union)
