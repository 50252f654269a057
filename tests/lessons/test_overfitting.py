"""The over-fitting demo on a learner's rows: the split, the degree limit, the errors."""

import numpy as np
import pandas as pd
import pytest
import sklearn.metrics

from benchlearn.lessons.lesson1 import data, overfitting, own_data


def lesson_folds(n: int):
    from benchlearn.evaluate import KFold

    return KFold(data.CV_FOLDS, shuffle=True, random_state=data.SEED).split(np.zeros(n))


def test_own_polynomial_errors_are_numpy_polyfits_on_the_same_split(plate):
    X, y = own_data.own_line_data(plate, "A562", "conc_ug_per_ml")
    split = overfitting.own_curve_split(X, y)
    X_train, X_test, y_train, y_test = split
    assert len(y_train) + len(y_test) == len(y) and not set(X_train.index) & set(X_test.index)
    max_degree = overfitting.own_max_degree(X, y, split)
    table = overfitting.degree_errors(X, y, split, max_degree)
    assert list(table.index) == list(range(1, max_degree + 1))
    folds = list(lesson_folds(len(y)))
    for degree in table.index:
        coefficients = np.polyfit(X_train.iloc[:, 0], y_train, degree)
        predicted = np.polyval(coefficients, X_test.iloc[:, 0])
        assert table.loc[degree, "test_rmse"] == pytest.approx(
            sklearn.metrics.root_mean_squared_error(y_test, predicted), rel=1e-7
        )
        fold_rmse = []
        for train, test in folds:
            c = np.polyfit(X.iloc[train, 0], y.iloc[train], degree)
            fold_rmse.append(
                sklearn.metrics.root_mean_squared_error(
                    y.iloc[test], np.polyval(c, X.iloc[test, 0])
                )
            )
        assert table.loc[degree, "cv_rmse"] == pytest.approx(np.mean(fold_rmse), rel=1e-7)


def test_own_polynomial_degree_is_limited_by_distinct_x_values_and_rows(plate):
    X, y = own_data.own_line_data(plate, "A562", "conc_ug_per_ml")
    split = overfitting.own_curve_split(X, y)
    distinct = split[0].iloc[:, 0].nunique()  # hand count: degree d needs d + 1 x values
    assert overfitting.own_max_degree(X, y, split) == min(overfitting.MAX_DEGREE, distinct - 1)
    X20 = pd.DataFrame({"x": np.arange(20.0)})
    y20 = pd.Series(np.sin(np.arange(20.0)))
    # 10 training rows, all different: degree 9; the smallest CV training set has 16 rows
    assert overfitting.own_max_degree(X20, y20, overfitting.own_curve_split(X20, y20)) == 9
    X9, y9 = X20.iloc[:9], y20.iloc[:9]
    assert overfitting.own_max_degree(X9, y9, overfitting.own_curve_split(X9, y9)) == 0  # < 10 rows
    n = overfitting.MAX_OWN_DEGREE_ROWS + 1
    X_big, y_big = pd.DataFrame({"x": np.arange(n, dtype=float)}), pd.Series(np.ones(n))
    assert overfitting.own_max_degree(X_big, y_big, overfitting.own_curve_split(X_big, y_big)) == 0
