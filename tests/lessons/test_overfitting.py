"""The over-fitting demo on a learner's rows: the split, the degree limit, the errors."""

import numpy as np
import pandas as pd
import pytest
import sklearn.metrics

from benchlearn.lessons.lesson1 import data, overfitting, own_data


def lesson_folds(n: int):
    from benchlearn.evaluate import KFold

    return KFold(data.CV_FOLDS, shuffle=True, random_state=data.SEED).split(np.zeros(n))


def test_own_polynomial_errors_are_numpys_least_squares_polynomials_on_the_same_split(plate):
    X, y = own_data.own_line_data(plate, "A562", "conc_ug_per_ml")
    split = overfitting.own_curve_split(X, y)
    X_train, X_test, y_train, y_test = split
    assert len(y_train) + len(y_test) == len(y) and not set(X_train.index) & set(X_test.index)
    max_degree = overfitting.own_max_degree(X, y, split)
    table = overfitting.degree_errors(X, y, split, max_degree)
    assert list(table.index) == list(range(1, max_degree + 1))
    folds = list(lesson_folds(len(y)))
    for degree in table.index:
        # NumPy's Polynomial.fit maps x onto [-1, 1] first: a stable reference at every degree
        curve = np.polynomial.Polynomial.fit(X_train.iloc[:, 0], y_train, degree)
        predicted = curve(X_test.iloc[:, 0])
        assert table.loc[degree, "test_rmse"] == pytest.approx(
            sklearn.metrics.root_mean_squared_error(y_test, predicted), rel=1e-7
        )
        fold_rmse = []
        for train, test in folds:
            fold = np.polynomial.Polynomial.fit(X.iloc[train, 0], y.iloc[train], degree)
            fold_rmse.append(
                sklearn.metrics.root_mean_squared_error(y.iloc[test], fold(X.iloc[test, 0]))
            )
        assert table.loc[degree, "cv_rmse"] == pytest.approx(np.mean(fold_rmse), rel=1e-7)


def test_degree_errors_are_exactly_those_of_polynomial_regression_on_the_tables(plate):
    # the table is computed on plain arrays (fast); its numbers are the estimator's own on the
    # learner's tables, to the last bit
    from benchlearn import PolynomialRegression
    from benchlearn.evaluate import root_mean_squared_error

    X, y = own_data.own_line_data(plate, "A562", "conc_ug_per_ml")
    split = overfitting.own_curve_split(X, y)
    X_train, X_test, y_train, y_test = split
    table = overfitting.degree_errors(X, y, split, overfitting.own_max_degree(X, y, split))
    for degree in table.index:
        model = PolynomialRegression(degree=degree).fit(X_train, y_train)
        for part, part_X, part_y in [("train", X_train, y_train), ("test", X_test, y_test)]:
            expected = root_mean_squared_error(part_y, model.predict(part_X))
            assert table.loc[degree, f"{part}_rmse"] == expected, (degree, part)


def test_own_polynomial_degree_is_limited_by_distinct_x_values_and_rows(plate):
    X, y = own_data.own_line_data(plate, "A562", "conc_ug_per_ml")
    split = overfitting.own_curve_split(X, y)
    # hand count: degree d needs d + 1 different x values in the training rows and in each
    # cross-validation fold's training rows
    distinct = split[0].iloc[:, 0].nunique()
    distinct_cv = min(X.iloc[train, 0].nunique() for train, _ in lesson_folds(len(y)))
    expected = min(overfitting.MAX_DEGREE, distinct - 1, distinct_cv - 1)
    assert overfitting.own_max_degree(X, y, split) == expected
    X16 = pd.DataFrame({"x": np.arange(16.0)})
    y16 = pd.Series(np.sin(np.arange(16.0)))
    # 9 training rows, all different: degree 8; the smallest CV training set has 12 rows
    assert overfitting.own_max_degree(X16, y16, overfitting.own_curve_split(X16, y16)) == 8
    X9, y9 = X16.iloc[:9], y16.iloc[:9]
    assert overfitting.own_max_degree(X9, y9, overfitting.own_curve_split(X9, y9)) == 0  # < 10 rows
    n = overfitting.MAX_OWN_DEGREE_ROWS + 1
    X_big, y_big = pd.DataFrame({"x": np.arange(n, dtype=float)}), pd.Series(np.ones(n))
    assert overfitting.own_max_degree(X_big, y_big, overfitting.own_curve_split(X_big, y_big)) == 0


@pytest.mark.parametrize("n", [10, 11, 24])
def test_own_test_rows_lie_between_training_rows_even_with_replicates(n):
    x = np.repeat(np.arange(n // 2 + 1, dtype=float), 2)[:n][::-1]  # pairs, in reverse order
    X, y = pd.DataFrame({"x": x}), pd.Series(np.sin(x))
    X_train, X_test, y_train, y_test = overfitting.own_curve_split(X, y)
    assert sorted([*X_train.index, *X_test.index]) == list(range(n))
    assert len(X_test) == (n - 1) // 2
    assert X_train["x"].min() == x.min() and X_train["x"].max() == x.max()
    assert X_train["x"].min() <= X_test["x"].min() and X_test["x"].max() <= X_train["x"].max()
    pd.testing.assert_series_equal(y_test, y.loc[X_test.index])
    pd.testing.assert_series_equal(y_train, y.loc[X_train.index])
