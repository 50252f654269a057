"""Fixtures shared across the test tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NIST_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "nist_strd"


@pytest.fixture(scope="session")
def nist_certified() -> dict:
    """NIST StRD certified values, read in place from ../shared (skipped where it is absent).

    Each dataset's entry gains a ``data`` key: its observations as a DataFrame.
    """
    import pandas as pd

    path = NIST_DIR / "certified.json"
    if not path.exists():
        pytest.skip(f"NIST StRD data not found at {NIST_DIR} (the shared/ folder beside the repo)")
    datasets = json.loads(path.read_text())["datasets"]
    for spec in datasets.values():
        spec["data"] = pd.read_csv(NIST_DIR / spec["csv"])
    return datasets
