import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import metrics as sk

from benchlearn.errors import DataError
from benchlearn.evaluate import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)


@pytest.fixture(scope="module")
def pairs():
    rng = np.random.default_rng(0)
    y = rng.normal(size=60)
    return y, y + rng.normal(0, 0.4, 60), rng.uniform(0.5, 2, 60)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (mean_squared_error, sk.mean_squared_error),
        (root_mean_squared_error, sk.root_mean_squared_error),
        (mean_absolute_error, sk.mean_absolute_error),
        (r2_score, sk.r2_score),
    ],
)
def test_metrics_equal_scikit_learn_with_and_without_weights(pairs, ours, theirs):
    y, p, w = pairs
    assert ours(y, p) == pytest.approx(theirs(y, p), rel=1e-12)
    assert ours(y, p, sample_weight=w) == pytest.approx(theirs(y, p, sample_weight=w), rel=1e-12)


def test_mismatched_lengths_are_a_data_error():
    with pytest.raises(DataError, match="3 measured values but 2 predictions"):
        mean_squared_error([1, 2, 3], [1, 2])


@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30), st.randoms())
def test_metrics_do_not_depend_on_the_order_of_rows(values, rnd):
    y = np.array(values)
    p = y[::-1] + 1.0
    order = list(range(len(y)))
    rnd.shuffle(order)
    assert mean_squared_error(y[order], p[order]) == pytest.approx(mean_squared_error(y, p))
    assert mean_absolute_error(y[order], p[order]) == pytest.approx(mean_absolute_error(y, p))
