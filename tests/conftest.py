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


class NistScore:
    """Building the NIST StRD designs and scoring a fit's certified values in digits."""

    @staticmethod
    def log_relative_error(estimate: float, certified: str) -> float:
        """Correct significant digits (NIST's LRE; log absolute error for a certified 0)."""
        from decimal import Decimal

        c = Decimal(certified)
        e = Decimal(repr(float(estimate)))
        if c == 0:
            return 16.0 if e == 0 else float(-abs(e).log10())
        error = abs(e - c) / abs(c)
        return 16.0 if error == 0 else float(-error.log10())

    @staticmethod
    def raw_design(spec: dict):
        """The predictors as a DataFrame (polynomials as raw powers ``x^1 .. x^d``) and y."""
        import pandas as pd

        data = spec["data"]
        design = spec["design"]
        if design["type"] == "polynomial":
            x = data["x"].to_numpy()
            X = pd.DataFrame({f"x^{k}": x**k for k in range(1, design["degree"] + 1)})
        else:
            X = data[design["predictors"]]
        return X, data["y"]

    def digits(self, model, spec: dict) -> dict[str, float]:
        """The fewest correct digits over each kind of certified value."""
        params = model.params_
        lre = self.log_relative_error
        return {
            "coefficients": min(map(lre, params["estimate"], spec["coefficients"])),
            "coefficient_sds": min(map(lre, params["std_error"], spec["coefficient_sds"])),
            "residual_sd": lre(model.residual_std_, spec["residual_sd"]),
            "r_squared": lre(model.r2_, spec["r_squared"]),
        }

    @staticmethod
    def required(name: str) -> float:
        """Digits every path must reach: 13, and 7.5 for Filip in raw float64 powers."""
        return 7.5 if name == "Filip" else 13.0


@pytest.fixture(scope="session")
def nist_score() -> NistScore:
    """Helpers to fit the NIST StRD designs and score the results (see :class:`NistScore`)."""
    return NistScore()
