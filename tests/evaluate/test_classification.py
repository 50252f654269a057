import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import metrics as sk

from benchlearn.errors import DataError
from benchlearn.evaluate import (
    accuracy,
    adjusted_rand_index,
    confusion_matrix,
    contingency_table,
    f1_score,
    precision,
    recall,
    roc_auc,
    roc_curve,
)


@pytest.fixture(scope="module")
def predictions():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    score = y * 0.8 + rng.normal(0, 0.6, 200)
    score[::7] = np.round(score[::7], 1)  # some ties
    return y, (score > 0.4).astype(int), score


def test_label_metrics_equal_scikit_learn(predictions):
    y, pred, _ = predictions
    assert accuracy(y, pred) == pytest.approx(sk.accuracy_score(y, pred))
    assert precision(y, pred) == pytest.approx(sk.precision_score(y, pred))
    assert recall(y, pred) == pytest.approx(sk.recall_score(y, pred))
    assert f1_score(y, pred) == pytest.approx(sk.f1_score(y, pred))
    np.testing.assert_array_equal(
        confusion_matrix(y, pred).to_numpy(), sk.confusion_matrix(y, pred)
    )


def test_roc_auc_and_curve_equal_scikit_learn_with_ties(predictions):
    y, _, score = predictions
    assert roc_auc(y, score) == pytest.approx(sk.roc_auc_score(y, score), rel=1e-12)
    fpr, tpr, _ = sk.roc_curve(y, score, drop_intermediate=False)
    curve = roc_curve(y, score)
    np.testing.assert_allclose(curve["false_positive_rate"], fpr)
    np.testing.assert_allclose(curve["true_positive_rate"], tpr)


def test_confusion_matrix_is_labelled_with_the_class_names():
    table = confusion_matrix(["benign", "malignant"], ["malignant", "malignant"])
    assert list(table.index) == ["benign", "malignant"]
    assert table.loc["benign", "malignant"] == 1


def test_auc_needs_both_classes():
    with pytest.raises(DataError, match="both positive and negative"):
        roc_auc([1, 1, 1], [0.2, 0.4, 0.9])


@given(st.lists(st.integers(0, 3), min_size=2, max_size=40), st.randoms())
def test_adjusted_rand_index_equals_scikit_learn_and_is_symmetric(labels, rnd):
    other = labels[:]
    rnd.shuffle(other)
    ours = adjusted_rand_index(labels, other)
    assert ours == pytest.approx(sk.adjusted_rand_score(labels, other), abs=1e-12)
    assert ours == pytest.approx(adjusted_rand_index(other, labels), abs=1e-12)


def test_contingency_table_counts_each_pair():
    table = contingency_table(["A", "A", "B", "B", "B"], [0, 1, 1, 1, 1])
    assert table.loc["B", 1] == 3 and table.loc["A", 0] == 1


LABEL_PAIRS = st.tuples(st.sampled_from(["benign", "malignant", "x"]), st.integers(0, 4))


@given(st.lists(LABEL_PAIRS, min_size=1, max_size=60))
def test_contingency_table_is_pandas_crosstab(pairs):
    true, pred = [t for t, _ in pairs], [p for _, p in pairs]
    expected = pd.crosstab(pd.Series(true, name="true"), pd.Series(pred, name="cluster"))
    pd.testing.assert_frame_equal(contingency_table(true, pred), expected, check_dtype=False,
                                  check_index_type=False, check_column_type=False)  # fmt: skip


def test_contingency_table_leaves_out_rows_missing_a_label_and_refuses_unequal_lengths():
    table = contingency_table(["A", None, "B", "B"], [0, 1, 1, np.nan])
    assert table.to_numpy().tolist() == [[1, 0], [0, 1]]
    with pytest.raises(DataError, match="2 true labels but 1 cluster labels"):
        contingency_table(["A", "B"], [0])
