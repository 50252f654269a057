"""The lesson's data sets: the BCA standards, the diabetes patients and the breast biopsies.

Each loader is cached (:func:`benchlearn.lessons.shared.shared`): ``marimo run`` runs every
browser session's copy of the app in a thread of the same server process, so a reload or a
second learner does not read the data again, and a room opening at once reads it once. The
results are shared, so callers must not modify them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.lessons.shared import shared

# Fixed seeds and settings: the page must show the same numbers on every visit.
SEED = 0
TEST_FRACTION = 0.25
CV_FOLDS = 5
LINE_RANGE_UG_PER_ML = 1000.0  # the assay is straight up to about 1050 µg/mL (see the dataset)
# The over-fitting demo: 25 single wells across the whole range, every other one held out.
CURVE_STANDARDS = tuple(float(c) for c in np.linspace(0, 4000, 25).round())
CURVE_SEED = 3


@shared
def assay_line_data() -> tuple[pd.DataFrame, pd.Series]:
    """BCA standards in the straight part of the curve, concentration in mg/mL.

    Returns
    -------
    X : DataFrame
        One column, ``bsa_mg_per_ml``.
    y : Series
        ``a562``, the absorbance.
    """
    from benchlearn.data import simulate_protein_assay

    frame = simulate_protein_assay(random_state=SEED).frame
    frame = frame[frame["bsa_ug_per_ml"] <= LINE_RANGE_UG_PER_ML].reset_index(drop=True)
    X = pd.DataFrame({"bsa_mg_per_ml": frame["bsa_ug_per_ml"] / 1000.0})
    return X, frame["a562"]


@shared
def assay_curve_data() -> tuple[pd.DataFrame, pd.Series]:
    """25 single wells over the whole assay range (0-4 mg/mL), where the curve bends."""
    from benchlearn.data import simulate_protein_assay

    frame = simulate_protein_assay(
        random_state=CURVE_SEED, standards=CURVE_STANDARDS, replicates=1
    ).frame
    X = pd.DataFrame({"bsa_mg_per_ml": frame["bsa_ug_per_ml"] / 1000.0})
    return X, frame["a562"]


@shared
def _diabetes() -> Any:
    """The diabetes data set, read once (the page asks for its columns, units and rows)."""
    from benchlearn.data import load_diabetes

    return load_diabetes()


def diabetes_data(predictors: tuple[str, ...] | list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """The diabetes patients' chosen predictors and their disease progression."""
    data = _diabetes()
    return data.frame[list(predictors)], data.frame[data.target]


def diabetes_features() -> list[str]:
    """The ten baseline measurements a learner can choose as predictors."""
    return list(_diabetes().features)


def diabetes_units() -> dict[str, str]:
    """Meaning and unit of each diabetes column."""
    return dict(_diabetes().columns)


@dataclass(frozen=True)
class Biopsies:
    """The breast-biopsy data split once for Parts 1 and 2.

    ``X_*`` are the 30 raw measurements; ``Z_*`` the same standardised with the training
    rows' mean and standard deviation (so one learning rate suits every feature);
    ``y_*`` the diagnosis ("malignant" or "benign"); ``Z_all`` every biopsy standardised.
    """

    X_train: pd.DataFrame
    X_test: pd.DataFrame
    Z_train: pd.DataFrame
    Z_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series
    Z_all: pd.DataFrame
    y_all: pd.Series


@shared
def biopsies() -> Biopsies:
    """Load the breast-cancer data and hold out a stratified quarter as the test set."""
    from benchlearn.data import load_breast_cancer
    from benchlearn.evaluate import train_test_split

    data = load_breast_cancer()
    X, y = data.frame[data.features], data.frame[data.target]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_FRACTION, random_state=SEED, stratify=y
    )
    mean, sd = X_train.mean(), X_train.std()
    return Biopsies(
        X_train=X_train,
        X_test=X_test,
        Z_train=(X_train - mean) / sd,
        Z_test=(X_test - mean) / sd,
        y_train=y_train,
        y_test=y_test,
        Z_all=(X - X.mean()) / X.std(),
        y_all=y,
    )
