"""Nonlinear least squares: 4PL/5PL standard curves, dose-response, enzyme kinetics and more."""

from benchlearn.nonlinear.models import MODELS, CurveModel, get_model, model_names
from benchlearn.nonlinear.regression import ExtrapolationWarning, NonlinearRegression

__all__ = [
    "MODELS",
    "CurveModel",
    "ExtrapolationWarning",
    "NonlinearRegression",
    "get_model",
    "model_names",
]
