"""Collection of the package's docstring examples (``--doctest-modules`` on ``src/benchlearn``).

pytest imports a module to look for its examples, and every pytest process (each xdist worker)
collects every file: without this hook each worker would import the whole package (the lesson
app with marimo, the plots with matplotlib, the scale layer with Dask) before its first test.
A module whose text holds no ``>>>`` prompt has no example for the doctest parser to find, so
it is left out of the doctest collection; the tests that need it import it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent / "src"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip a package module without a docstring example (it holds nothing to collect)."""
    if collection_path.suffix != ".py" or not collection_path.is_relative_to(SOURCE):
        return None
    return ">>>" not in collection_path.read_text(encoding="utf-8") or None
