"""``compare_methods``: does a new measurement method agree with the reference?

What ``benchlearn compare`` computes, as one call: the two methods' columns read from a table
(one column each, or replicate columns), Deming and Passing-Bablok regression and the
Bland-Altman analysis of :func:`benchlearn.assay.method_comparison.compare_methods`, with the
rows used and the names of the columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchlearn.errors import UsageError


@dataclass(frozen=True)
class MethodComparisonAnalysis:
    """The result of :func:`compare_methods`.

    Attributes
    ----------
    comparison
        Deming, Passing-Bablok and Bland-Altman results
        (:class:`benchlearn.assay.method_comparison.MethodComparison`).
    reference, new
        The reference and new method's column(s).
    values
        The rows compared (the methods' columns; ``attrs["dropped_rows"]`` lists rows left out
        for empty cells).
    source
        Where the table came from (a file name), if known.
    """

    comparison: Any
    reference: list[str]
    new: list[str]
    values: pd.DataFrame = field(repr=False)
    source: str | None = None

    @property
    def x(self) -> np.ndarray:
        """The reference method's value of each sample (the mean of its replicates)."""
        return self.values[self.reference].mean(axis=1).to_numpy()

    @property
    def y(self) -> np.ndarray:
        """The new method's value of each sample (the mean of its replicates)."""
        return self.values[self.new].mean(axis=1).to_numpy()

    def to_dict(self) -> dict[str, Any]:
        """Every number with its convention and formula, as JSON-ready values."""
        return self.comparison.to_dict() | {
            "source": self.source,
            "reference": list(self.reference),
            "new": list(self.new),
            "n": len(self.values),
            "dropped_rows": [int(r) for r in self.values.attrs.get("dropped_rows", [])],
        }


def check_comparison_options(
    *,
    level: float = 0.95,
    loa_multiplier: float = 1.96,
    limits_ci: str = "bland-altman-1999",
    passing_bablok_convention: str = "passing-bablok-1983",
    deming_method: str = "deming",
    deming_ci: str = "jackknife",
) -> None:
    """Refuse option values that cannot work, before any data is read."""
    from benchlearn.assay.method_comparison import (
        DEMING_CI_METHODS,
        DEMING_METHODS,
        LOA_CI_METHODS,
        PASSING_BABLOK_CONVENTIONS,
    )

    if not 0 < level < 1:
        raise UsageError(f"--level {level} must be between 0 and 1", fix="For 95% use 0.95")
    if limits_ci not in LOA_CI_METHODS:
        raise UsageError(f"--limits-ci {limits_ci} is not one of {', '.join(LOA_CI_METHODS)}")
    if passing_bablok_convention not in PASSING_BABLOK_CONVENTIONS:
        raise UsageError(
            f"--pb-convention {passing_bablok_convention} is not one of "
            f"{', '.join(PASSING_BABLOK_CONVENTIONS)}",
            fix="passing-bablok-1983 follows the paper, mcr reproduces R's mcr package",
        )
    if deming_method not in DEMING_METHODS:
        raise UsageError(f"--deming {deming_method} is not one of {', '.join(DEMING_METHODS)}",
                         fix="weighted-deming is for errors proportional to the level")  # fmt: skip
    if deming_ci not in DEMING_CI_METHODS:
        raise UsageError(f"--deming-ci {deming_ci} is not one of {', '.join(DEMING_CI_METHODS)}")
    if deming_method == "weighted-deming" and deming_ci == "analytical":
        raise UsageError("weighted Deming regression has no analytical interval",
                         fix="Use --deming-ci jackknife with --deming weighted-deming")  # fmt: skip
    if not loa_multiplier > 0:
        raise UsageError(f"--loa-multiplier {loa_multiplier} must be positive",
                         fix="1.96 gives limits that hold 95% of differences")  # fmt: skip


def compare_methods(
    table: pd.DataFrame,
    x: str | Sequence[str],
    y: str | Sequence[str],
    *,
    error_ratio: float | None = None,
    level: float = 0.95,
    loa_multiplier: float = 1.96,
    limits_ci: str = "bland-altman-1999",
    passing_bablok_convention: str = "passing-bablok-1983",
    deming_method: str = "deming",
    deming_ci: str = "jackknife",
    drop_missing: bool = False,
) -> MethodComparisonAnalysis:
    """Compare the new method ``y`` with the reference ``x`` on the same samples.

    Parameters
    ----------
    table
        One row per sample (``attrs["source"]``, the file name, is quoted in messages).
    x, y
        The reference and the new method's column, or two or more replicate columns each
        (then every analysis uses the row means and Deming's error-variance ratio is estimated
        from the replicates).
    error_ratio
        Deming: ``σ²(new)/σ²(reference)``; default 1 (or from the replicates).
    level
        Confidence level of every interval.
    loa_multiplier
        Limits of agreement: bias ± this × SD.
    limits_ci
        Intervals of the limits of agreement: ``"bland-altman-1999"``,
        ``"bland-altman-1986"`` (approximate) or ``"carkeet-2015-exact"``.
    passing_bablok_convention
        ``"passing-bablok-1983"`` (the paper) or ``"mcr"`` (R's mcr package): how slopes of
        -1, ties and even counts are handled (see
        :data:`benchlearn.assay.method_comparison.PASSING_BABLOK_CONVENTIONS`).
    deming_method
        ``"deming"`` or ``"weighted-deming"`` (proportional errors, Linnet 1990).
    deming_ci
        Deming intervals: ``"jackknife"`` (Linnet 1990) or ``"analytical"`` (Strike 1991).
    drop_missing
        Leave out samples with an empty cell (else they are an error naming the row).

    Returns
    -------
    MethodComparisonAnalysis

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"ref": [1.0, 2.1, 2.9, 4.2, 5.0, 6.1],
    ...                       "new": [1.1, 2.0, 3.1, 4.0, 5.2, 6.0]})
    >>> result = compare_methods(table, "ref", "new")
    >>> result.to_dict()["n"], result.comparison.bland_altman.bias.convention[:12]
    (6, 'Bland-Altman')
    """
    from benchlearn.assay import method_comparison as engine

    check_comparison_options(level=level, loa_multiplier=loa_multiplier, limits_ci=limits_ci,
                             passing_bablok_convention=passing_bablok_convention,
                             deming_method=deming_method, deming_ci=deming_ci)  # fmt: skip
    reference = [x] if isinstance(x, str) else list(x)
    new = [y] if isinstance(y, str) else list(y)
    if (len(reference) > 1) != (len(new) > 1):
        raise UsageError(
            "replicate columns were given for one method only",
            fix="Give --x-replicates and --y-replicates together (or --x and --y)",
        )
    if len(reference) > 1 and error_ratio is not None:
        raise UsageError(
            "--error-ratio and replicate columns both set the Deming error-variance ratio",
            fix="Drop --error-ratio to estimate it from the replicates, or give --x and --y",
        )
    values = _numeric_columns(table, reference + new, drop_missing)
    ref_values, new_values = values[reference].to_numpy(), values[new].to_numpy()
    options: dict[str, Any] = {"level": level, "error_ratio": error_ratio,
                               "multiplier": loa_multiplier, "limits_ci": limits_ci,
                               "passing_bablok_convention": passing_bablok_convention,
                               "deming_method": deming_method, "deming_ci": deming_ci}  # fmt: skip
    if len(reference) > 1:
        comparison = engine.compare_methods(None, None, x_replicates=ref_values,
                                            y_replicates=new_values, **options)  # fmt: skip
    else:
        comparison = engine.compare_methods(ref_values[:, 0], new_values[:, 0], **options)
    return MethodComparisonAnalysis(comparison, reference, new, values, table.attrs.get("source"))


def _numeric_columns(frame: pd.DataFrame, columns: list[str], drop_missing: bool) -> pd.DataFrame:
    from benchlearn.data import select_columns

    if len(set(columns)) < len(columns):
        raise UsageError("the same column is named for both methods (or twice)",
                         fix="Name each method's own column(s)")  # fmt: skip
    X, first = select_columns(frame, columns[0], columns[1:], drop_missing=drop_missing,
                              min_rows=3)  # fmt: skip
    values = X.copy()
    values.insert(0, columns[0], first)
    values.attrs = X.attrs
    return values
