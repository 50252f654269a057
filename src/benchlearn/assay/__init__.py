"""Assays: standard curves, inverse prediction, LOD/LOQ, qPCR efficiency, slope tests and
method comparison, each number labelled with the convention it follows.

Named for the lab's word, not ``calibration`` (which in scikit-learn means calibrating
predicted probabilities).
"""

from benchlearn.assay.detection import DEFAULT_LOD_METHOD, LOD_METHODS, detection_limits
from benchlearn.assay.inverse import (
    DEFAULT_INTERVAL,
    INTERVAL_METHODS,
    calibration_statistics,
    inverse_prediction,
)
from benchlearn.assay.prediction import prediction_interval
from benchlearn.assay.qpcr import amplification
from benchlearn.assay.quantity import Quantity, QuantityTable
from benchlearn.assay.standard_curve import (
    CalibrationRange,
    extrapolation_multiplier,
    inverse_predict,
    linear_range,
    slope_test,
    turning_points,
)

__all__ = [
    "DEFAULT_INTERVAL",
    "DEFAULT_LOD_METHOD",
    "INTERVAL_METHODS",
    "LOD_METHODS",
    "CalibrationRange",
    "Quantity",
    "QuantityTable",
    "amplification",
    "calibration_statistics",
    "detection_limits",
    "extrapolation_multiplier",
    "inverse_predict",
    "inverse_prediction",
    "linear_range",
    "prediction_interval",
    "slope_test",
    "turning_points",
]
