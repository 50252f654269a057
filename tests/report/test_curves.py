"""The words of a curve fit: parameter rows, interval labels, group tests and shape checks."""

from __future__ import annotations

import pandas as pd
import pytest

from benchlearn.analysis import fit_curve
from benchlearn.data import load_dnase, load_puromycin
from benchlearn.report.curves import (
    curve_fit_json,
    group_sentences,
    parameter_rows,
    parameter_sentences,
    reading,
)


@pytest.fixture(scope="module")
def puromycin_groups():
    return fit_curve(load_puromycin().frame, "rate", "conc", model="mm", group="state")


def test_group_sentences_say_which_parameter_differs(puromycin_groups):
    sentences = group_sentences(puromycin_groups)
    assert sentences[0].startswith("Is one curve enough for every state?")
    vmax = next(s for s in sentences if s.startswith("Is Vmax the same"))
    km = next(s for s in sentences if s.startswith("Is Km the same"))
    assert "no: Vmax differs between the groups" in vmax
    assert "the data show no difference in Km" in km and "p = 0.206" in km


def test_each_groups_own_shape_checks_are_read(puromycin_groups):
    text = reading(puromycin_groups)
    assert any(s.startswith("state untreated's own curve: Runs test") for s in text)


def test_a_lopsided_profile_interval_is_pointed_out(puromycin_groups):
    km = next(s for s in parameter_sentences(puromycin_groups) if s.startswith("Km ="))
    assert "95% profile interval" in km and "the Wald interval" in km


def test_a_fixed_parameter_reads_as_held():
    run = load_dnase().frame.query("Run == 1")
    fit = fit_curve(run, "density", "conc", model="4pl", fixed={"bottom": 0}, profile=False)
    rows = parameter_rows(fit.parameters)
    assert rows[0] == ["bottom", "0", "", "", "", "", "held fixed"]
    assert [row[0] for row in rows] == ["bottom", "top", "EC50", "Hill slope"]
    assert parameter_sentences(fit)[0] == "bottom held at 0."


def test_lack_of_fit_advice_is_for_curves_and_json_is_the_analysis_plus_words():
    run = load_dnase().frame.query("Run == 1")
    fit = fit_curve(run, "density", "conc", model="4pl", profile=False)
    out = curve_fit_json(fit)
    assert out.pop("reading") == reading(fit)
    assert out == fit.to_dict()
    lack = next(s for s in reading(fit) if s.startswith("Lack-of-fit test"))
    assert "another --model" in lack and "degree" not in lack


def test_parameter_rows_format_open_interval_ends():
    table = pd.DataFrame(
        {"label": ["EC50"], "estimate": [2.0], "std_error": [1.0], "t": [2.0],
         "p_value": [0.07], "ci_lower": [0.5], "ci_upper": [float("inf")],
         "interval": ["profile"]}
    )  # fmt: skip
    assert parameter_rows(table)[0][5] == "0.5 to ∞"
