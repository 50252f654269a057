"""The over-fitting demo: polynomials of rising degree, scored on rows they were not fitted to."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.lessons.lesson1.data import CV_FOLDS, SEED, assay_curve_data
from benchlearn.lessons.shared import shared

MAX_DEGREE = 10


@dataclass(frozen=True)
class Folds:
    """Cross-validation folds given in advance, as ``(train, test)`` row positions."""

    folds: list[tuple[np.ndarray, np.ndarray]]

    def split(self, X: Any, y: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield each fold's ``(train, test)`` positions (``X`` and ``y`` are not used)."""
        yield from self.folds


def curve_split() -> list[Any]:
    """``X_train, X_test, y_train, y_test`` of the over-fitting demo on the lesson's ELISA run.

    Whole standards are held out (:func:`standards_split`): both wells of every other
    concentration, never the lowest or the highest.
    """
    return standards_split(*assay_curve_data())


def standards_split(X: pd.DataFrame, y: pd.Series) -> list[Any]:
    """Hold out whole standards, each lying between two standards that are trained on.

    ``y`` holds each row's known amount (here log10 of the concentration), shared by the
    replicate wells of a standard. In order of amount the 2nd, 4th, ... standard is held out,
    all its wells, but never the highest: every test well's standard lies between two
    training standards, and so (the curve rising with the amount) does its signal.
    """
    levels = np.sort(y.unique())
    test = y.isin(levels[1:-1:2]).to_numpy()
    return [X[~test], X[test], y[~test], y[test]]


def standards_folds(y: pd.Series, n_folds: int = CV_FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cross-validation folds of whole standards, each inside its training standards' range.

    The lowest and the highest standard always train; the others, in order of amount, are
    dealt to ``n_folds`` test folds in turn (2nd lowest to fold 1, 3rd to fold 2, ...).

    Returns
    -------
    list of (train, test)
        Positions of the rows, as ``KFold.split`` gives them.
    """
    levels = np.sort(y.unique())[1:-1]
    rows = np.arange(len(y))
    folds = []
    for fold in range(n_folds):
        test = y.isin(levels[fold::n_folds]).to_numpy()
        folds.append((rows[~test], rows[test]))
    return folds


@shared
def overfitting_table() -> pd.DataFrame:
    """Train, test and cross-validated RMSE for each polynomial degree, on the ELISA run.

    Degrees go up to the highest the training wells allow (:func:`builtin_max_degree`).

    Returns
    -------
    DataFrame
        Indexed by ``degree``: ``train_rmse``, ``test_rmse``, ``cv_rmse`` (mean over the 5
        :func:`standards_folds` of all 16 wells).
    """
    X, y = assay_curve_data()
    return degree_errors(X, y, curve_split(), builtin_max_degree(), folds=standards_folds(y))


def builtin_max_degree() -> int:
    """The demo's highest degree on the ELISA run: one less than the fewest different x values
    among the training wells and among each cross-validation fold's training wells."""
    X, y = assay_curve_data()
    distinct_train = int(curve_split()[0].iloc[:, 0].nunique())
    distinct_cv = min(int(X.iloc[train, 0].nunique()) for train, _ in standards_folds(y))
    return int(min(MAX_DEGREE, distinct_train - 1, distinct_cv - 1))


def degree_errors(
    X: pd.DataFrame,
    y: pd.Series,
    split: list[Any],
    max_degree: int,
    *,
    folds: list[tuple[np.ndarray, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """Train, test and 5-fold cross-validated RMSE of polynomials of degree 1 to ``max_degree``.

    ``split`` is ``X_train, X_test, y_train, y_test`` (fits on the first, scores on both);
    cross-validation uses every row of ``X, y``, in ``folds`` (positions ``(train, test)``)
    or, by default, the lesson's shuffled 5 folds. Same columns as :func:`overfitting_table`.
    """
    from benchlearn import PolynomialRegression
    from benchlearn.evaluate import KFold, cross_validate, root_mean_squared_error

    # as arrays of the same numbers: the fits and scores are the same, without the checks of
    # column names and the row selection of tables at each of the ~60 fits
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    X_train, X_test, y_train, y_test = (np.asarray(part, dtype=float) for part in split)
    splitter = KFold(CV_FOLDS, shuffle=True, random_state=SEED) if folds is None else Folds(folds)
    rows = []
    for degree in range(1, max_degree + 1):
        with warnings.catch_warnings():
            # high degrees on a dozen wells are nearly singular: that instability is the lesson
            warnings.simplefilter("ignore")
            model = PolynomialRegression(degree=degree).fit(X_train, y_train)
            cv = cross_validate(PolynomialRegression(degree=degree), X, y, cv=splitter,
                                scoring=["rmse"])  # fmt: skip
        rows.append(
            {
                "degree": degree,
                "train_rmse": root_mean_squared_error(y_train, model.predict(X_train)),
                "test_rmse": root_mean_squared_error(y_test, model.predict(X_test)),
                "cv_rmse": float(cv["test_rmse"].mean()),
            }
        )
    return pd.DataFrame(rows).set_index("degree")


# The over-fitting demo on the learner's own rows: half to train, half to test, as for the assay.
# The demo on the learner's own rows: enough rows for every cross-validation fold to test on,
# and at most MAX_OWN_DEGREE_ROWS (60 polynomial fits with full inference; beyond this the table
# takes many seconds, and with so many rows a curve has little room to over-fit anyway).
MIN_OWN_DEGREE_ROWS = 2 * CV_FOLDS
MAX_OWN_DEGREE_ROWS = 2000


def own_curve_split(X: pd.DataFrame, y: pd.Series) -> list[Any]:
    """``X_train, X_test, y_train, y_test`` of the over-fitting demo, test rows inside the range.

    The rows in order of x: every other one is a test row, and the lowest and highest x are
    always training rows. So each test row lies between training rows, and a curve is tested
    on what it does *between* the points it was fitted to, not on extrapolation beyond them.
    The learner's rows are split so; the lesson's ELISA run holds out whole standards instead
    (:func:`standards_split`), since its replicate wells share their concentration.
    """
    order = np.argsort(X.iloc[:, 0].to_numpy(dtype=float), kind="stable")
    test = order[1:-1:2]
    train = np.setdiff1d(order, test)
    return [X.iloc[train], X.iloc[test], y.iloc[train], y.iloc[test]]


def own_max_degree(X: pd.DataFrame, y: pd.Series, split: list[Any]) -> int:
    """Highest polynomial degree the learner's rows support in the over-fitting demo.

    A degree-d polynomial has d + 1 parameters: it needs d + 1 different x values among the
    training rows, and among the training rows of every cross-validation fold. At most
    :data:`MAX_DEGREE`; 0 when the file has fewer than :data:`MIN_OWN_DEGREE_ROWS` or more
    than :data:`MAX_OWN_DEGREE_ROWS` rows (the lesson then keeps its own assay for this demo).
    """
    from benchlearn.evaluate import KFold

    n = len(y)
    if not MIN_OWN_DEGREE_ROWS <= n <= MAX_OWN_DEGREE_ROWS:
        return 0
    x = X.iloc[:, 0]
    distinct_train = int(split[0].iloc[:, 0].nunique())
    folds = KFold(CV_FOLDS, shuffle=True, random_state=SEED).split(X)
    distinct_cv = min(int(x.iloc[train].nunique()) for train, _ in folds)
    return int(min(MAX_DEGREE, distinct_train - 1, distinct_cv - 1))
