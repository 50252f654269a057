"""Part 3's several predictors: the molecules and their descriptors, read in lab words.

The section predicts a molecule's measured aqueous solubility (logS, log10 of mol/L) from RDKit
descriptors a learner chooses, on Huuskonen's 1,282 molecules (``benchlearn.data``'s
``solubility``, split 1,025 / 257 as published). The descriptor table is Part 4's
(:func:`benchlearn.lessons.lesson1.biotech.solubility_table`), computed once per process.

The fits stay written out in the app's cells (for "Show code"); :func:`once` keeps each
result per choice of descriptors for every learner on the server, so a choice made before,
by anyone, answers at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from benchlearn.lessons.shared import shared

R = TypeVar("R")

# What one reads each coefficient against: a step a chemist would name, and its size in the
# descriptor's units (see benchlearn.data.molecules.DESCRIPTORS).
READING_STEPS: dict[str, tuple[str, float]] = {
    "logP": ("logP 1 higher (10 times more in octanol)", 1.0),
    "mol_weight": ("100 g/mol heavier", 100.0),
    "tpsa": ("10 Å² more polar surface", 10.0),
    "h_donors": ("one more hydrogen-bond donor", 1.0),
    "h_acceptors": ("one more hydrogen-bond acceptor", 1.0),
    "rotatable_bonds": ("one more rotatable bond", 1.0),
    "aromatic_proportion": ("a tenth more of its heavy atoms aromatic", 0.1),
    "rings": ("one more ring", 1.0),
}
READING_HEADINGS = ("a molecule with", "logS changes by", "95% CI", "solubility in mol/L ×")


@dataclass(frozen=True)
class Molecules:
    """The section's data: every descriptor, the measured logS and the published split.

    Attributes
    ----------
    X : DataFrame
        One column per descriptor of ``benchlearn.data.molecules.DESCRIPTORS``.
    y : Series
        ``logS``, measured aqueous solubility (log10 mol/L).
    in_training : ndarray of bool
        True for the 1,025 published training molecules, False for the 257 test ones.
    """

    X: pd.DataFrame
    y: pd.Series
    in_training: np.ndarray


@shared
def molecules() -> Molecules:
    """The solubility molecules with all their descriptors (shared: callers must not modify)."""
    from benchlearn.lessons.lesson1.biotech import solubility_table

    frame, table = solubility_table()
    in_training = (frame["split"] == "train").to_numpy()
    return Molecules(X=table, y=frame["logS"], in_training=in_training)


def descriptor_names() -> list[str]:
    """The descriptors a learner can choose, in the data layer's order."""
    from benchlearn.data.molecules import DESCRIPTORS

    return list(DESCRIPTORS)


@dataclass(frozen=True)
class _Compute:
    """A computation passed to the shared cache without taking part in its key."""

    run: Callable[[], Any] = field(compare=False)


@shared(maxsize=1024)
def _kept(key: Hashable, compute: _Compute) -> Any:
    return compute.run()


def once(key: Hashable | None, what: str, compute: Callable[[], R]) -> R:
    """``compute()``, kept under ``(what, key)`` for every session of the lesson server.

    Parameters
    ----------
    key
        What the result depends on besides ``what`` (the chosen descriptors, as a tuple), or
        None to compute afresh every time (a learner's own file).
    what
        Which result (``"model"``, ``"scores"``...): one key may hold several.
    compute
        Computes the result; called only when no session has kept it yet. Treat the result
        as read-only.

    Examples
    --------
    >>> calls = []
    >>> def compute():
    ...     calls.append(1)
    ...     return len(calls)
    >>> once(("doctest",), "count", compute), once(("doctest",), "count", compute)
    (1, 1)
    >>> once(None, "count", compute)
    2
    """
    if key is None:
        return compute()
    return _kept((what, key), _Compute(compute))


def lab_reading(params: pd.DataFrame, descriptors: Sequence[str]) -> pd.DataFrame:
    """Each chosen descriptor's coefficient over a step a chemist would name.

    Parameters
    ----------
    params
        A fitted regression's ``params_`` (``estimate``, ``ci_lower``, ``ci_upper`` by row).
    descriptors
        The chosen descriptors, in the table's order.

    Returns
    -------
    DataFrame
        One row per descriptor (columns :data:`READING_HEADINGS`): the step, the change in
        logS over it, its 95% confidence interval and the factor by which the predicted
        solubility in mol/L is multiplied (10 to the power of the change).
    """
    rows = []
    for name in descriptors:
        step_words, step = READING_STEPS[name]
        change, low, high = (float(params.loc[name, c]) * step
                             for c in ("estimate", "ci_lower", "ci_upper"))  # fmt: skip
        rows.append([step_words, f"{change:+.2f}", f"{low:+.2f} to {high:+.2f}",
                     f"{10**change:.2g}"])  # fmt: skip
    return pd.DataFrame(rows, columns=list(READING_HEADINGS))
