"""The analyses a scientist runs, as the command line, the lesson and notebooks run them.

Each function takes a table (a DataFrame, e.g. from :func:`benchlearn.data.read_table`) and
returns a frozen result holding the fitted model(s) and every number the outputs show, with
``to_dict()`` for JSON. Wording and layout are the report's (:mod:`benchlearn.report`).
"""

from benchlearn.analysis.bending_curve import BendingCurveAnalysis, bending_standard_curve
from benchlearn.analysis.curve_fit import CurveFitAnalysis, fit_curve
from benchlearn.analysis.fit_table import FitAnalysis, fit_table
from benchlearn.analysis.method_comparison import MethodComparisonAnalysis, compare_methods
from benchlearn.analysis.shape_checks import ShapeChecks
from benchlearn.analysis.standard_curve import CurveAnalysis, standard_curve
from benchlearn.analysis.weights import Weighting

__all__ = [
    "BendingCurveAnalysis",
    "CurveAnalysis",
    "CurveFitAnalysis",
    "FitAnalysis",
    "MethodComparisonAnalysis",
    "ShapeChecks",
    "Weighting",
    "bending_standard_curve",
    "compare_methods",
    "fit_curve",
    "fit_table",
    "standard_curve",
]
