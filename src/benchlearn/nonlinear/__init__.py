"""Nonlinear least squares: 4PL/5PL standard curves, dose-response, enzyme kinetics and more.

- :class:`NonlinearRegression`: the estimator (built-in curves or any ``f(x, *params)``).
- :mod:`~benchlearn.nonlinear.models`: the built-in curves, their derivatives and starts.
- :func:`profile_interval`: profile-likelihood intervals (``conf_int(method="profile")``).
- :func:`compare_curves`, :func:`relative_potency`: shared parameters between groups.
- :func:`inverse_predict`, :func:`detection_limits`: reading unknowns off a standard curve.
"""

from benchlearn.nonlinear.compare import compare_curves, relative_potency
from benchlearn.nonlinear.models import MODELS, CurveModel, get_model, model_names
from benchlearn.nonlinear.profile import profile_interval
from benchlearn.nonlinear.regression import ExtrapolationWarning, NonlinearRegression
from benchlearn.nonlinear.standard_curve import detection_limits, inverse_predict

__all__ = [
    "MODELS",
    "CurveModel",
    "ExtrapolationWarning",
    "NonlinearRegression",
    "compare_curves",
    "detection_limits",
    "get_model",
    "inverse_predict",
    "model_names",
    "profile_interval",
    "relative_potency",
]
