"""Part 3's several predictors: the molecules and their descriptors, read in lab words.

The section predicts a molecule's measured aqueous solubility (logS, log10 of mol/L) from RDKit
descriptors a learner chooses, on Huuskonen's 1,282 molecules (``benchlearn.data``'s
``solubility``, split 1,025 / 257 as published). The descriptor table is Part 4's
(:func:`benchlearn.lessons.lesson1.biotech.solubility_table`), computed once per process.

The fits stay written out in the app's cells (for "Show code"); the cells keep each result
per choice of descriptors for every learner on the server
(:func:`benchlearn.lessons.shared.kept`), so a choice made before, by anyone, answers at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchlearn.lessons.shared import shared

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
