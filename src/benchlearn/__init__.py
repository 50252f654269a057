"""benchlearn: machine-learning fundamentals for people at the lab bench.

Transparent estimators whose every step can be inspected and plotted, an interactive lesson,
and a regression tool for lab data, all backed by one engine.

The public estimators are imported lazily so that ``import benchlearn`` (and the command line)
start fast; ``from benchlearn import LinearRegression`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import Any

from benchlearn import display as _display

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "LinearRegression": "benchlearn.linear",
    "PolynomialRegression": "benchlearn.linear",
    "Ridge": "benchlearn.linear",
    "NonlinearRegression": "benchlearn.nonlinear",
    "LogisticRegression": "benchlearn.classify",
    "KMeans": "benchlearn.unsupervised",
    "PCA": "benchlearn.unsupervised",
    "MLPClassifier": "benchlearn.neural",
    "MLPRegressor": "benchlearn.neural",
    "BenchlearnError": "benchlearn.errors",
    "DataError": "benchlearn.errors",
    "FitError": "benchlearn.errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def _load_renderers() -> None:
    # The engine's result objects are drawn by the report's renderers (see benchlearn.display).
    import benchlearn.report.summary  # noqa: F401


_display.on_first_use(_load_renderers)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'benchlearn' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
