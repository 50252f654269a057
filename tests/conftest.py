"""Fixtures shared across the test tree."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# ../shared beside the repository; BENCHLEARN_SHARED points elsewhere (e.g. from a git worktree).
SHARED_DIR = Path(
    os.environ.get("BENCHLEARN_SHARED") or Path(__file__).resolve().parents[1].parent / "shared"
)
NIST_DIR = SHARED_DIR / "data" / "nist_strd"


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
