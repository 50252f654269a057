"""qPCR amplification from a standard curve of Ct against log10(copies).

Each cycle multiplies the target by the amplification factor ``A = 10^(-1/slope)``: 2 is a
perfect doubling (slope -3.32). Labs report it as the efficiency ``E = A - 1`` (1.0 or
100% for a doubling, MIQE guidelines, Bustin et al. 2009), and sometimes as ``A`` itself;
both are given here with intervals mapped from the slope's t-interval through the same
monotone formula.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from benchlearn.assay.line import straight_line
from benchlearn.assay.quantity import Quantity, QuantityTable
from benchlearn.errors import UsageError


def amplification(model: Any, *, level: float = 0.95) -> QuantityTable:
    """Amplification factor and efficiency of a qPCR standard curve, with intervals.

    Parameters
    ----------
    model
        A straight line of Ct against log10 of the template amount.
    level
        Confidence level.

    Returns
    -------
    QuantityTable
        ``slope``, ``amplification_factor`` (A, 2 = 100%) and ``efficiency`` (E = A - 1).

    Examples
    --------
    >>> import numpy as np
    >>> from benchlearn import LinearRegression
    >>> log_copies = np.array([1.0, 2, 3, 4, 5, 6])
    >>> ct = 38.0 - 3.3219 * log_copies + np.array([0.05, -0.04, 0.0, 0.03, -0.05, 0.01])
    >>> table = amplification(LinearRegression().fit(log_copies.reshape(-1, 1), ct))
    >>> round(table["amplification_factor"].value, 2), round(table["efficiency"].value, 2)
    (2.0, 1.0)
    """
    if not 0 < level < 1:
        raise UsageError(f"level={level!r} must be between 0 and 1", fix="For 95% use 0.95")
    line = straight_line(model)
    if line.b >= 0:
        raise UsageError(
            f"the slope of Ct against log10(copies) is {line.b:.4g}; it must be negative "
            "(more template, earlier Ct)",
            fix="Regress Ct on log10 of the template amount (not the amount itself)",
        )
    se = line.s * np.sqrt(line.C[-1, -1])
    t = stats.t.ppf(0.5 + level / 2, line.df)
    lo_b, hi_b = line.b - t * se, line.b + t * se
    ci = f"slope's t-interval ({line.df} df) mapped through the formula"

    def factor(b: float) -> float:
        return float(10 ** (-1 / b)) if b < 0 else float("inf")

    # A decreases in |b|: the slope's lower limit (steeper) gives the lower A.
    a_lo, a_hi = factor(lo_b), factor(hi_b)
    note = "" if hi_b < 0 else "the slope's interval reaches 0: no upper limit"
    return QuantityTable(
        "qPCR amplification",
        {
            "slope": Quantity("slope", line.b, "least squares, Ct on log10(copies)",
                              "Ct = a + b·log10(N0)", lo_b, hi_b, level,
                              f"t-interval, {line.df} df", float(se)),
            "amplification_factor": Quantity(
                "amplification factor A", factor(line.b), "amplification per cycle (2 = 100%)",
                "A = 10^(-1/b)", a_lo, a_hi, level, ci, note=note),
            "efficiency": Quantity(
                "efficiency E", factor(line.b) - 1, "efficiency (MIQE; 1.0 = 100%)",
                "E = 10^(-1/b) - 1", a_lo - 1, a_hi - 1, level, ci, note=note),
        },
    )  # fmt: skip
