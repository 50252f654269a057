"""Gradient descent, the optimizer behind every iterative estimator in benchlearn."""

from benchlearn.optim.gradient_descent import (
    DivergenceWarning,
    OptimizeResult,
    gradient_descent,
    lipschitz_constant_least_squares,
)

__all__ = [
    "DivergenceWarning",
    "OptimizeResult",
    "gradient_descent",
    "lipschitz_constant_least_squares",
]
