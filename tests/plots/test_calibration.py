"""The standard-curve figure shows each unknown's interval and labels the extrapolated ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchlearn import LinearRegression
from benchlearn.assay.standard_curve import inverse_predict
from benchlearn.plots.calibration import unknowns_on_curve


@pytest.fixture(scope="module")
def drawn():
    x = pd.Series(np.repeat([0.0, 25, 125, 250, 500, 1000], 2), name="conc")
    rng = np.random.default_rng(0)
    y = pd.Series(0.1 + 0.0011 * x + rng.normal(0, 0.005, x.size), name="A562")
    model = LinearRegression().fit(x.to_frame(), y)
    table = inverse_predict(model, [0.5, 1.9], n_replicates=2, calibrated_range=(0, 1000))
    table.insert(0, "sample", ["inside", "beyond"])
    return table, unknowns_on_curve(model, x, y, table)


def bars(figure, kind):
    (container,) = [c for c in figure.axes[0].containers if kind in c.get_label()]
    return container.lines[2][0].get_segments()


def test_each_unknown_is_drawn_at_its_signal_spanning_its_interval(drawn):
    table, figure = drawn
    for kind, row in [("inside the range", table.iloc[0]), ("EXTRAPOLATED", table.iloc[1])]:
        (segment,) = bars(figure, kind)
        np.testing.assert_allclose(segment, [[row["lower"], row["signal"]],
                                             [row["upper"], row["signal"]]])  # fmt: skip


def test_extrapolated_unknowns_are_labelled_and_the_curve_is_extended_dashed(drawn):
    table, figure = drawn
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("EXTRAPOLATED, outside the range" in label for label in labels)
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert max(line.get_xdata().max() for line in dashed) == pytest.approx(table["upper"].max())
    assert [t.get_text() for t in ax.texts] == ["inside", "beyond"]
