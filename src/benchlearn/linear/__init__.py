"""Linear models: LinearRegression, PolynomialRegression, Ridge, their solvers and inference."""

from benchlearn.linear.regression import CollinearityWarning, LinearRegression
from benchlearn.linear.solution import LinearSolution

__all__ = ["CollinearityWarning", "LinearRegression", "LinearSolution"]
