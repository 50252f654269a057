"""The ``Dataset`` record every bundled or simulated dataset is returned in, and the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from benchlearn.errors import UsageError


@dataclass
class Dataset:
    """A table with everything a scientist needs to know about it.

    Attributes
    ----------
    name : str
        Registry name (``benchlearn datasets show NAME``).
    frame : DataFrame
        The data, one row per observation.
    target : str or None
        The column to predict (None for unsupervised data).
    features : list of str
        Predictor columns.
    description : str
        What one row is, and what the data are for.
    columns : dict
        Column name -> its meaning and unit.
    source, citation : str
        Where the data come from and how to cite them (simulations: the documented model).
    truth : dict or None
        For simulations, the true parameters the data were generated from.
    kind : str
        "real" (measured) or "simulated".
    licence : str or None
        The licence the data are under (measured data committed with benchlearn).
    """

    name: str
    frame: pd.DataFrame
    target: str | None
    features: list[str]
    description: str
    columns: dict[str, str]
    source: str
    citation: str
    truth: dict[str, Any] | None = None
    kind: str = field(default="real")
    licence: str | None = None

    @property
    def X(self) -> pd.DataFrame:  # noqa: N802 - the maths name for the predictors
        """The predictor columns."""
        return self.frame[self.features]

    @property
    def y(self) -> pd.Series | None:
        """The target column, if there is one."""
        return self.frame[self.target] if self.target else None


REGISTRY: dict[str, tuple[str, str, Callable[..., Dataset]]] = {}


def register(
    name: str, kind: str, summary: str
) -> Callable[[Callable[..., Dataset]], Callable[..., Dataset]]:
    """Decorator adding a loader to the registry under ``name``."""

    def add(loader: Callable[..., Dataset]) -> Callable[..., Dataset]:
        REGISTRY[name] = (kind, summary, loader)
        return loader

    return add


def list_datasets() -> pd.DataFrame:
    """Every dataset benchlearn ships or simulates: name, kind (real/simulated), summary."""
    _load_all()
    return pd.DataFrame(
        [(n, k, s) for n, (k, s, _) in REGISTRY.items()], columns=["name", "kind", "summary"]
    )


def load_dataset(name: str, **kwargs: Any) -> Dataset:
    """Load a dataset by its registry name (keyword arguments go to simulations)."""
    _load_all()
    if name not in REGISTRY:
        import difflib

        close = difflib.get_close_matches(name, list(REGISTRY), n=1)
        raise UsageError(
            f"there is no dataset named {name!r}"
            + (f" (did you mean {close[0]!r}?)" if close else ""),
            fix=f"Available: {', '.join(REGISTRY)} (see `benchlearn datasets list`)",
        )
    return REGISTRY[name][2](**kwargs)


def _load_all() -> None:
    from benchlearn.data import lab_curves, measured, real, simulate  # noqa: F401  (registers)
