"""Figures of a curve that bends: log axis for concentrations, bands, the dashed extension."""

from __future__ import annotations

import pandas as pd
import pytest

from benchlearn.analysis import bending_standard_curve
from benchlearn.data import load_dnase
from benchlearn.plots.curves import curve_with_bands, unknowns_on_bending_curve


@pytest.fixture(scope="module")
def curve():
    run = load_dnase().frame.query("Run == 1")
    samples = pd.DataFrame({"sample": ["in", "high"], "density": [1.0, 2.2]})
    return bending_standard_curve(run, "conc", "density", unknowns=samples)


def test_a_sigmoid_in_concentration_is_drawn_on_a_log_axis_with_both_bands(curve):
    fit = curve.fit
    figure = curve_with_bands(
        fit.X["conc"].to_numpy(),
        fit.response.to_numpy(),
        fit.band,
        x_label="conc",
        y_label="density",
        log_scale=True,
    )
    (ax,) = figure.axes
    assert ax.get_xscale() == "log"
    assert {c.get_gid() for c in ax.collections} >= {"prediction-band", "confidence-band"}


def test_the_curve_is_extended_dashed_to_an_unknown_beyond_the_standards(curve):
    fit = curve.fit
    high = curve.unknowns.set_index("sample").loc["high", "estimate"]
    assert high > fit.X["conc"].max()
    figure = unknowns_on_bending_curve(
        fit.band,
        fit.X["conc"].to_numpy(),
        fit.response.to_numpy(),
        curve.unknowns,
        x_label="conc",
        y_label="density",
        log_scale=True,
        model=fit.model,
    )
    (ax,) = figure.axes
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert dashed and max(line.get_xdata().max() for line in dashed) == pytest.approx(high)
