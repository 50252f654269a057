"""``fit_table``: the numbers of ``benchlearn fit --json``, from a DataFrame in a notebook."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from benchlearn.analysis import FitAnalysis, fit_table
from benchlearn.data import read_table
from benchlearn.errors import DataError, UsageError

DATA = Path(__file__).resolve().parents[1] / "cli" / "data"


def assert_contained(ours, theirs, where="JSON"):
    """Every value of ``ours`` is in ``theirs`` (which may add readings in words)."""
    if isinstance(ours, dict):
        assert isinstance(theirs, dict), where
        for key, value in ours.items():
            assert key in theirs, f"{where}.{key} missing"
            assert_contained(value, theirs[key], f"{where}.{key}")
    elif isinstance(ours, list):
        assert len(ours) == len(theirs), where
        for k, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert_contained(a, b, f"{where}[{k}]")
    else:
        assert ours == theirs, f"{where}: {ours!r} != {theirs!r}"


@pytest.mark.parametrize(
    ("file", "options", "cli_options"),
    [
        ("bca_plate.csv", {"x": "conc_ug_ml"}, ["--x", "conc_ug_ml"]),
        ("bca_plate.csv", {"x": "conc_ug_ml", "degree": 2}, ["--x", "conc_ug_ml", "--degree", "2"]),
        ("fit_weighted_elisa.csv", {"x": "conc_ng_ml", "weight_by": "replicates"},
         ["--x", "conc_ng_ml", "--weight-by", "replicates"]),
        ("fit_weighted_elisa.csv", {"x": "conc_ng_ml", "weights": "w"},
         ["--x", "conc_ng_ml", "--weights", "w"]),
        ("fit_groups_plates.csv", {"x": "conc_ug_ml", "group": "plate", "weight_by": "1/y2"},
         ["--x", "conc_ug_ml", "--group", "plate", "--weight-by", "1/y2"]),
        ("fit_groups_dose.csv", {"x": "dose_uM", "group": "arm", "fit_intercept": False},
         ["--x", "dose_uM", "--group", "arm", "--no-intercept"]),
        ("fit_groups_plates.csv", {"x": "conc_ug_ml", "group": "plate", "adjust": "tukey",
                                   "level": 0.9},
         ["--x", "conc_ug_ml", "--group", "plate", "--adjust", "tukey", "--level", "0.9"]),
        ("bca_plate.csv", {"x": "conc_ug_ml", "level": 0.99},
         ["--x", "conc_ug_ml", "--level", "0.99"]),
    ],
)  # fmt: skip
def test_fit_table_gives_the_numbers_of_the_command_lines_json(cli, file, options, cli_options):
    response = {"bca_plate.csv": "A562", "fit_weighted_elisa.csv": "OD450",
                "fit_groups_plates.csv": "A562", "fit_groups_dose.csv": "signal"}[file]  # fmt: skip
    completed = cli("fit", str(DATA / file), "--y", response, *cli_options, "--json", "-")
    assert completed.returncode == 0, completed.stderr
    result = fit_table(read_table(DATA / file), response, **options)
    numbers = result.to_dict()
    json.dumps(numbers, allow_nan=False)
    assert_contained(numbers, json.loads(completed.stdout))
    assert numbers["parameters"] and "r2" in numbers and "weighting" in numbers


def test_a_notebook_table_in_gives_the_fit_diagnostics_and_checks_out():
    rng = np.random.default_rng(7)
    conc = np.repeat([0.0, 2.0, 4.0, 6.0, 8.0], 3)
    table = pd.DataFrame({"conc": conc, "signal": 0.05 + 0.1 * conc + rng.normal(0, 0.02, 15)})
    result = fit_table(table, "signal", "conc", level=0.9)
    assert isinstance(result, FitAnalysis)
    ref = sm.OLS(table["signal"], sm.add_constant(table["conc"])).fit()
    np.testing.assert_allclose(result.model.coef_, ref.params.iloc[1:], rtol=1e-10)
    lower, upper = ref.conf_int(alpha=0.1).loc["conc"]
    assert result.summary.parameters.loc["conc", "ci_lower"] == pytest.approx(lower, rel=1e-10)
    assert result.summary.parameters.loc["conc", "ci_upper"] == pytest.approx(upper, rel=1e-10)
    assert len(result.diagnostics) == 15 and result.source is None
    assert result.checks is not None and result.checks.lack_of_fit is not None
    assert result.checks.lack_of_fit.df2 == 15 - 5
    assert result.comparison is None and result.warnings == ()


def test_empty_weights_are_left_out_with_a_warning_kept_in_the_result():
    table = pd.DataFrame({"conc": [1, 2, 3, 4, 5, 6], "signal": [0.1, 0.2, 0.3, 0.41, 0.5, 0.6],
                          "w": [1, 2, None, 1, 1, 2]})  # fmt: skip
    result = fit_table(table, "signal", "conc", weights="w", drop_missing=True)
    assert result.model.n_samples_ == 5
    assert "1 row(s) with an empty weight were left out" in result.warnings[0]
    with pytest.raises(DataError, match="the weight is empty"):
        fit_table(table, "signal", "conc", weights="w")


def test_options_that_cannot_work_together_are_refused():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 1.0, 0.0], "y": [1.0, 2.0, 2.5]})
    with pytest.raises(UsageError, match="alternatives"):
        fit_table(table, "y", "a", weights="b", weight_by="1/x")
    with pytest.raises(UsageError, match="one --x column"):
        fit_table(table, "y", ["a", "b"], group="b")
