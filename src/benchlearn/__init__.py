"""benchlearn: machine-learning fundamentals for people at the lab bench.

Transparent estimators whose every step can be inspected and plotted, an interactive lesson,
and a regression tool for lab data, all backed by one engine.

The public names are loaded lazily (``lazy_loader``, from the stub ``__init__.pyi``, which also
gives editors and type checkers their signatures), so that ``import benchlearn`` and the command
line start fast; ``from benchlearn import LinearRegression`` works as usual.
"""

from __future__ import annotations

import lazy_loader

from benchlearn import display as _display

__version__ = "0.1.0"

__getattr__, __dir__, _names = lazy_loader.attach_stub(__name__, __file__)
__all__ = ["__version__", *_names]


def _load_renderers() -> None:
    # The engine's result objects are drawn by the report's renderers (see benchlearn.display).
    import benchlearn.report.summary  # noqa: F401


_display.on_first_use(_load_renderers)
