"""qPCR amplification factor beside efficiency."""

from __future__ import annotations

import numpy as np
import pytest

from benchlearn import LinearRegression
from benchlearn.assay.qpcr import amplification
from benchlearn.errors import UsageError

LOG_COPIES = np.repeat(np.arange(1.0, 7.0), 3)
NOISE = np.tile([0.08, -0.05, -0.03], 6)


def fit(slope):
    return LinearRegression().fit(LOG_COPIES.reshape(-1, 1), 38 + slope * LOG_COPIES + NOISE)


# The usual reading of a standard curve (e.g. Bustin et al. 2009, MIQE; manufacturers'
# guides): slope -3.32 is 100% (doubling), -3.58 is 90%, -3.10 is 110%.
@pytest.mark.parametrize(("slope", "efficiency"), [(-3.3219, 1.00), (-3.58, 0.90), (-3.10, 1.10)])
def test_efficiency_and_amplification_factor_follow_the_slope(slope, efficiency):
    table = amplification(fit(slope))
    assert table["efficiency"].value == pytest.approx(efficiency, abs=0.005)
    assert table["amplification_factor"].value == pytest.approx(1 + efficiency, abs=0.005)


def test_intervals_map_the_slope_interval_through_the_formula():
    table = amplification(fit(-3.3219), level=0.9)
    slope = table["slope"]
    assert table["amplification_factor"].lower == pytest.approx(10 ** (-1 / slope.lower))
    assert table["amplification_factor"].upper == pytest.approx(10 ** (-1 / slope.upper))
    assert table["efficiency"].lower == pytest.approx(table["amplification_factor"].lower - 1)
    assert table["efficiency"].lower < table["efficiency"].value < table["efficiency"].upper
    assert table["efficiency"].formula == "E = 10^(-1/b) - 1"


def test_a_rising_curve_is_refused():
    with pytest.raises(UsageError, match="negative"):
        amplification(fit(3.3))
