"""Evaluating models: metrics, train/test splits, cross-validation and residual diagnostics."""

from benchlearn.evaluate.cross_validation import cross_validate
from benchlearn.evaluate.diagnostics import residual_diagnostics
from benchlearn.evaluate.metrics import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from benchlearn.evaluate.splits import KFold, train_test_split

__all__ = [
    "KFold",
    "cross_validate",
    "mean_absolute_error",
    "mean_squared_error",
    "r2_score",
    "residual_diagnostics",
    "root_mean_squared_error",
    "train_test_split",
]
