"""The lesson's data sets: an ELISA standard curve and the breast biopsies.

Each loader is cached (:func:`benchlearn.lessons.shared.shared`): ``marimo run`` runs every
browser session's copy of the app in a thread of the same server process, so a reload or a
second learner does not read the data again, and a room opening at once reads it once. The
results are shared, so callers must not modify them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchlearn.lessons.shared import shared

# Fixed seeds and settings: the page must show the same numbers on every visit.
SEED = 0
TEST_FRACTION = 0.25
CV_FOLDS = 5
# Part 3's standard curve: one run of R's DNase ELISA (run 1, the one R's own documentation
# fits), read in its straight middle. In log10 of the concentration the curve is an S; from
# 0.78 to 12.5 ng/mL (the five highest standards, around the S's midpoint near 4 ng/mL) it is
# close to a straight line (R² 0.994).
ELISA_RUN = 1
LINE_LOWEST_NG_PER_ML = 0.78


@shared
def _dnase_run() -> pd.DataFrame:
    """The 16 wells (8 standards in duplicate) of the lesson's ELISA run, in file order."""
    from benchlearn.data.lab_curves import load_dnase

    frame = load_dnase().frame
    return frame[frame["Run"] == ELISA_RUN].reset_index(drop=True)


@shared
def assay_line_data() -> tuple[pd.DataFrame, pd.Series]:
    """The ELISA standards in the straight middle of the curve, x in log10 of ng/mL.

    Returns
    -------
    X : DataFrame
        One column, ``log10_conc``: log10 of the DNase concentration in ng/mL (0 is 1 ng/mL,
        1 is 10 ng/mL).
    y : Series
        ``density``, the optical density read in each well.
    """
    frame = _dnase_run()
    frame = frame[frame["conc"] >= LINE_LOWEST_NG_PER_ML].reset_index(drop=True)
    X = pd.DataFrame({"log10_conc": np.log10(frame["conc"].to_numpy(dtype=float))})
    return X, frame["density"].astype(float)


@shared
def assay_curve_data() -> tuple[pd.DataFrame, pd.Series]:
    """The over-fitting demo's wells: the same run's 16 wells over its whole range, read back.

    The standard curve read the way a lab uses it: log10 of the concentration predicted from
    the optical density. Every well has its own density, so wells held out for testing lie
    between the wells a curve is fitted to (the concentrations are the same 8 in every run).

    Returns
    -------
    X : DataFrame
        One column, ``density``.
    y : Series
        ``log10_conc``.
    """
    frame = _dnase_run()
    X = pd.DataFrame({"density": frame["density"].astype(float)})
    return X, pd.Series(np.log10(frame["conc"].to_numpy(dtype=float)), name="log10_conc")


@dataclass(frozen=True)
class Split:
    """Rows split once as Parts 1 and 2 split them (:func:`split_rows`).

    ``X_*`` are the raw features; ``Z_*`` the same standardised with the training rows' mean
    and standard deviation (so one learning rate suits every feature); ``y_*`` the labels;
    ``Z_all`` every row standardised by all rows.
    """

    X_train: pd.DataFrame
    X_test: pd.DataFrame
    Z_train: pd.DataFrame
    Z_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series
    Z_all: pd.DataFrame
    y_all: pd.Series


def split_rows(X: pd.DataFrame, y: pd.Series) -> Split:
    """Hold out a stratified :data:`TEST_FRACTION` of the rows as the test set (seed
    :data:`SEED`) and standardise the features."""
    from benchlearn.evaluate import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_FRACTION, random_state=SEED, stratify=y
    )
    mean, sd = X_train.mean(), X_train.std()
    return Split(
        X_train=X_train,
        X_test=X_test,
        Z_train=(X_train - mean) / sd,
        Z_test=(X_test - mean) / sd,
        y_train=y_train,
        y_test=y_test,
        Z_all=(X - X.mean()) / X.std(),
        y_all=y,
    )


@shared
def biopsies() -> Split:
    """The breast-cancer data, a stratified quarter held out as the test set
    (``y``: the diagnosis, "malignant" or "benign"; ``X``: the 30 nucleus measurements)."""
    from benchlearn.data import load_breast_cancer

    data = load_breast_cancer()
    return split_rows(data.frame[data.features], data.frame[data.target])
