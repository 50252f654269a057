"""The optimizers: gradient descent (behind every iterative estimator in benchlearn) and a
small, readable Levenberg–Marquardt for watching a bending curve being fitted step by step."""

from benchlearn.optim.gradient_descent import (
    DivergenceWarning,
    OptimizeResult,
    gradient_descent,
    lipschitz_constant_least_squares,
)
from benchlearn.optim.levenberg_marquardt import LevenbergMarquardtResult, levenberg_marquardt

__all__ = [
    "DivergenceWarning",
    "LevenbergMarquardtResult",
    "OptimizeResult",
    "gradient_descent",
    "levenberg_marquardt",
    "lipschitz_constant_least_squares",
]
