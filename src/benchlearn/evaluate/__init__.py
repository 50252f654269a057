"""Evaluating models: metrics, train/test splits, cross-validation and residual diagnostics."""

from benchlearn.evaluate.classification import (
    accuracy,
    confusion_matrix,
    f1_score,
    precision,
    recall,
    roc_auc,
    roc_curve,
)
from benchlearn.evaluate.clustering import adjusted_rand_index, contingency_table
from benchlearn.evaluate.cross_validation import cross_validate
from benchlearn.evaluate.diagnostics import residual_diagnostics
from benchlearn.evaluate.lack_of_fit import (
    LackOfFitTest,
    RunsTest,
    lack_of_fit_test,
    runs_test,
)
from benchlearn.evaluate.metrics import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from benchlearn.evaluate.segmentation import intersection_over_union
from benchlearn.evaluate.splits import KFold, train_test_split

__all__ = [
    "KFold",
    "LackOfFitTest",
    "RunsTest",
    "accuracy",
    "adjusted_rand_index",
    "confusion_matrix",
    "contingency_table",
    "cross_validate",
    "f1_score",
    "intersection_over_union",
    "lack_of_fit_test",
    "mean_absolute_error",
    "mean_squared_error",
    "precision",
    "r2_score",
    "recall",
    "residual_diagnostics",
    "roc_auc",
    "roc_curve",
    "root_mean_squared_error",
    "runs_test",
    "train_test_split",
]
