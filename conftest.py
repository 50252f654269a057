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
- The tests then make many objects that live for a test or longer (data, fits, figures, the
  lesson's caches): with Python's default thresholds the collector ran ~3,500 times in a run of
  the suite and took 6.5 s of its processor time; with :data:`GC_THRESHOLDS` (a young
  collection every 20,000 allocations, not 700) it ran ~100 times and took 4 s.
"""

from __future__ import annotations

import gc
from collections.abc import Generator
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent / "src"
GC_THRESHOLDS = (20_000, 50, 100)


def pytest_configure(config: pytest.Config) -> None:
    """The garbage collector's thresholds for this pytest process (see the module's text)."""
    gc.set_threshold(*GC_THRESHOLDS)


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
