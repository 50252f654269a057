import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.model_selection import cross_val_score

from benchlearn import LinearRegression
from benchlearn.errors import UsageError
from benchlearn.evaluate import KFold, cross_validate


def test_test_scores_equal_scikit_learn_cross_val_score():
    X, y = load_diabetes(return_X_y=True)
    ours = cross_validate(LinearRegression(), X, y, cv=5, scoring="r2")
    theirs = cross_val_score(LinearRegression(), X, y, cv=5, scoring="r2")
    np.testing.assert_allclose(ours["test_r2"], theirs, rtol=1e-10)
    assert list(ours["n_test"]) == [89, 89, 88, 88, 88]


def test_train_scores_show_the_model_fits_its_own_data_better():
    X, y = load_diabetes(return_X_y=True)
    table = cross_validate(LinearRegression(), X, y, cv=KFold(5, shuffle=True, random_state=0),
                           scoring=("rmse",), return_train_score=True)  # fmt: skip
    assert (table["train_rmse"] <= table["test_rmse"]).mean() >= 0.6


def test_unknown_score_name_is_a_usage_error():
    with pytest.raises(UsageError, match="'accuracy2'"):
        cross_validate(LinearRegression(), np.ones((10, 1)), np.arange(10.0), scoring="accuracy2")
