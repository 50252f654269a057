import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold as SklearnKFold
from sklearn.model_selection import cross_val_score

from benchlearn import LinearRegression
from benchlearn.errors import UsageError
from benchlearn.evaluate import KFold, train_test_split


@pytest.mark.parametrize("n", [10, 11, 17])
def test_unshuffled_folds_equal_scikit_learn(n):
    ours = [test.tolist() for _, test in KFold(3).split(np.zeros(n))]
    theirs = [test.tolist() for _, test in SklearnKFold(3).split(np.zeros(n))]
    assert ours == theirs


def test_every_row_is_tested_exactly_once_when_shuffled():
    tests = np.concatenate([t for _, t in KFold(4, shuffle=True, random_state=1).split(range(13))])
    assert sorted(tests.tolist()) == list(range(13))


def test_kfold_works_as_cv_in_scikit_learn():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    scores = cross_val_score(LinearRegression(), X, X @ [1, 2] + 0.1, cv=KFold(4))
    assert len(scores) == 4 and np.all(scores > 0.99)


def test_train_test_split_keeps_dataframe_index_and_sizes():
    X = pd.DataFrame({"a": range(20)}, index=range(100, 120))
    y = pd.Series(range(20), index=X.index)
    X_train, X_test, _, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    assert len(X_test) == 5 and len(X_train) == 15
    assert list(X_test.index) == list(y_test.index)
    assert set(X_train.index).isdisjoint(X_test.index)


def test_stratified_split_keeps_class_shares():
    labels = np.array([0] * 80 + [1] * 20)
    _, test_labels = train_test_split(labels, test_size=0.25, stratify=labels, random_state=0)
    assert (test_labels == 1).sum() == 5


def test_test_size_that_leaves_no_training_rows_is_refused():
    with pytest.raises(UsageError, match="test_size"):
        train_test_split(np.arange(4), test_size=4)
