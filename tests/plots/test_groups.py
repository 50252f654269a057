"""The groups figure: each group's points and its own fitted line, checked against statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from benchlearn.linear.compare import compare_lines
from benchlearn.plots.groups import group_lines


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(2)
    x = np.tile([0.5, 1.0, 2.0, 4.0, 8.0], 3)
    arm = np.repeat(["control", "low dose", "high dose"], 5)
    slope = np.repeat([1.0, 1.4, 2.0], 5)
    return pd.DataFrame({"dose": x, "signal": 0.3 + slope * x + rng.normal(0, 0.2, 15),
                         "arm": arm})  # fmt: skip


def drawn_lines(figure):
    return [line for line in figure.axes[0].get_lines() if len(line.get_xdata()) > 0]


def test_each_line_is_the_groups_own_least_squares_line_over_its_own_range(frame):
    comparison = compare_lines(frame, "signal", "dose", "arm")
    figure = group_lines(frame, comparison)
    lines = drawn_lines(figure)
    assert len(lines) == 3
    for line, name in zip(lines, sorted(frame["arm"].unique()), strict=True):
        rows = frame[frame["arm"] == name]
        ref = sm.OLS(rows["signal"], sm.add_constant(rows["dose"])).fit()
        xs, ys = line.get_xdata(), line.get_ydata()
        assert (xs.min(), xs.max()) == (rows["dose"].min(), rows["dose"].max())
        np.testing.assert_allclose(ys, ref.params["const"] + ref.params["dose"] * xs, rtol=1e-10)


def test_every_measurement_is_drawn_and_the_legend_names_the_groups(frame):
    figure = group_lines(frame, compare_lines(frame, "signal", "dose", "arm"), title="Arms")
    ax = figure.axes[0]
    points = np.vstack([c.get_offsets() for c in ax.collections])
    assert sorted(map(tuple, points)) == sorted(zip(frame["dose"], frame["signal"], strict=True))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert [label.split(":")[0] for label in labels] == ["control", "high dose", "low dose"]
    assert ax.get_legend().get_title().get_text() == "arm"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("dose", "signal", "Arms")


def test_lines_through_the_origin_have_no_intercept(frame):
    comparison = compare_lines(frame, "signal", "dose", "arm", through_origin=True)
    for line, name in zip(drawn_lines(group_lines(frame, comparison)),
                          sorted(frame["arm"].unique()), strict=True):  # fmt: skip
        rows = frame[frame["arm"] == name]
        slope = sm.OLS(rows["signal"], rows["dose"]).fit().params["dose"]
        np.testing.assert_allclose(line.get_ydata(), slope * line.get_xdata(), rtol=1e-10)
