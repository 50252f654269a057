"""How the engine's result objects are shown, without the engine importing a face.

A result object (e.g. :class:`benchlearn.linear.summary.RegressionSummary`) holds numbers only.
Its ``str()``, notebook HTML and rich rendering ask :func:`render` for the renderer of their
kind; the renderers live in :mod:`benchlearn.report`, which registers them with
:func:`register`. The package root tells this module, with :func:`on_first_use`, how to load
them the first time an object is shown, so ``print(model.summary())`` works in a fresh session
while no engine module imports the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_renderers: dict[tuple[type, str], Callable[[Any], Any]] = {}
_loaders: list[Callable[[], None]] = []


def register(cls: type, kind: str, renderer: Callable[[Any], Any]) -> None:
    """Show objects of ``cls`` as ``kind`` (``"text"``, ``"html"``, ``"rich"``) by ``renderer``."""
    _renderers[cls, kind] = renderer


def on_first_use(loader: Callable[[], None]) -> None:
    """Run ``loader`` (which registers renderers) the first time a renderer is missing."""
    _loaders.append(loader)


def render(obj: Any, kind: str) -> Any:
    """The rendering of ``obj`` as ``kind``, by the renderer registered for its class."""
    for attempt in range(2):
        for cls in type(obj).__mro__:
            renderer = _renderers.get((cls, kind))
            if renderer is not None:
                return renderer(obj)
        if attempt == 0:
            while _loaders:
                _loaders.pop(0)()
    raise LookupError(f"no {kind} renderer is registered for {type(obj).__name__}")
