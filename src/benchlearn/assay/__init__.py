"""Assays: standard curves, inverse prediction, LOD/LOQ, qPCR efficiency and slope tests.

Named for the lab's word, not ``calibration`` (which in scikit-learn means calibrating
predicted probabilities).
"""

from benchlearn.assay.standard_curve import (
    CalibrationRange,
    detection_limits,
    extrapolation_multiplier,
    inverse_predict,
    linear_range,
    qpcr_efficiency,
    slope_test,
    turning_points,
)

__all__ = [
    "CalibrationRange",
    "detection_limits",
    "extrapolation_multiplier",
    "inverse_predict",
    "linear_range",
    "qpcr_efficiency",
    "slope_test",
    "turning_points",
]
