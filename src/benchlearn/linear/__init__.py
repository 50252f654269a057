"""Linear models: LinearRegression, PolynomialRegression, Ridge, their solvers and inference."""

from benchlearn.linear.polynomial import PolynomialRegression
from benchlearn.linear.regression import CollinearityWarning, LinearRegression
from benchlearn.linear.ridge import Ridge
from benchlearn.linear.solution import LinearSolution

__all__ = [
    "CollinearityWarning",
    "LinearRegression",
    "LinearSolution",
    "PolynomialRegression",
    "Ridge",
]
