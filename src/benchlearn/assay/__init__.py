"""Assays: standard curves, inverse prediction, LOD/LOQ, qPCR efficiency, slope tests and
method comparison, each number labelled with the convention it follows.

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
