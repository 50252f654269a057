"""Linear models: LinearRegression, PolynomialRegression, Ridge, their solvers and inference.

The estimators are imported on first use, so that the engine's modules (``linear.exact``, which
Dask workers import) load without scikit-learn and pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "CollinearityWarning": "benchlearn.linear.regression",
    "LinearRegression": "benchlearn.linear.regression",
    "LinearSolution": "benchlearn.linear.solution",
    "PolynomialRegression": "benchlearn.linear.polynomial",
    "Ridge": "benchlearn.linear.ridge",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'benchlearn.linear' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
