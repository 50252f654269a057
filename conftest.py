"""How each pytest process collects the tests (``make test`` runs two: pytest-xdist workers, each
collecting every file before its first test).

- The package's docstring examples (``--doctest-modules`` on ``src/benchlearn``): pytest imports a
  module to look for its examples, so without :func:`pytest_ignore_collect` each worker would
  import the whole package (the lesson app with marimo, the plots with matplotlib, the scale
  layer with Dask) before its first test. A module whose text holds no ``>>>`` prompt has no
  example for the doctest parser to find, so it is left out of the doctest collection; the tests
  that need it import it.
- Collection imports libraries and rewrites the test modules' asserts: it makes long-lived
  objects only, and the garbage collector's passes meanwhile found next to nothing while costing
  about a third of it. :func:`pytest_collection` pauses the collector, then leaves what
  collection made out of the full passes that the tests trigger later.
"""

from __future__ import annotations

import gc
from collections.abc import Generator
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent / "src"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip a package module without a docstring example (it holds nothing to collect)."""
    if collection_path.suffix != ".py" or not collection_path.is_relative_to(SOURCE):
        return None
    return ">>>" not in collection_path.read_text(encoding="utf-8") or None


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Generator[None, object, object]:
    """Collect with the garbage collector paused; then freeze what collection made."""
    gc.disable()
    try:
        return (yield)
    finally:
        gc.freeze()
        gc.enable()
