"""Intersection over union of two masks, as scikit-learn's Jaccard score."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import jaccard_score

from benchlearn.errors import DataError
from benchlearn.evaluate import intersection_over_union


def test_iou_equals_scikit_learns_jaccard_score_on_random_masks():
    rng = np.random.default_rng(1)
    truth, predicted = rng.random((2, 40, 30)) < [[[0.2]], [[0.3]]]
    assert intersection_over_union(truth, predicted) == pytest.approx(
        jaccard_score(truth.ravel(), predicted.ravel()), abs=1e-15
    )


def test_iou_is_one_for_identical_masks_and_zero_without_overlap():
    mask = np.zeros((4, 4), bool)
    mask[1:3, 1:3] = True
    assert intersection_over_union(mask, mask) == 1.0
    assert intersection_over_union(mask, ~mask) == 0.0


def test_background_does_not_count():
    truth = np.zeros((100, 100), bool)
    truth[0, :2] = True
    predicted = np.zeros_like(truth)
    predicted[0, 0] = True
    # pixel accuracy would be 0.9999; half the object was missed
    assert intersection_over_union(truth, predicted) == 0.5


def test_masks_of_different_shapes_or_both_empty_are_refused():
    with pytest.raises(DataError, match="different shapes"):
        intersection_over_union(np.ones((2, 2)), np.ones((2, 3)))
    with pytest.raises(DataError, match="neither mask"):
        intersection_over_union(np.zeros((2, 2)), np.zeros((2, 2)))
