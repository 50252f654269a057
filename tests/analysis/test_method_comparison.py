"""``compare_methods``: the numbers of ``benchlearn compare --json``, from a DataFrame."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from benchlearn.analysis import MethodComparisonAnalysis, compare_methods
from benchlearn.assay import method_comparison as engine
from benchlearn.errors import DataError, UsageError

# Bland & Altman (1986) Lancet i:307-310, Table 1: first readings of the Wright and mini Wright
# peak flow meters (l/min).
WRIGHT = [494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427]
MINI = [512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451]


@pytest.fixture(scope="module")
def pefr(tmp_path_factory):
    path = tmp_path_factory.mktemp("pefr") / "pefr.csv"
    pd.DataFrame({"wright": WRIGHT, "mini": MINI}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("options", [{}, {"level": 0.9, "error_ratio": 2.0}])
def test_compare_methods_gives_the_numbers_of_the_command_lines_json(cli, pefr, options):
    from benchlearn.data import read_table

    args = [item for key, value in options.items()
            for item in (f"--{key.replace('_', '-')}", str(value))]  # fmt: skip
    completed = cli("compare", str(pefr), "--x", "wright", "--y", "mini", *args, "--json", "-")
    assert completed.returncode == 0, completed.stderr
    result = compare_methods(read_table(pefr), "wright", "mini", **options)
    assert isinstance(result, MethodComparisonAnalysis)
    numbers = result.to_dict()
    printed = json.loads(completed.stdout)
    # The command line adds the verdict and the notes in words; every number is the same.
    for key, value in json.loads(json.dumps(numbers, allow_nan=False)).items():
        if isinstance(value, dict):
            assert value.items() <= printed[key].items(), key
        else:
            assert printed[key] == value, key
    assert len(printed["verdict"]) == 3 and printed["deming"]["notes"]
    direct = engine.compare_methods(WRIGHT, MINI, **options).to_dict()
    assert numbers["deming"] == json.loads(json.dumps(direct["deming"]))
    assert numbers["n"] == 17 and numbers["reference"] == ["wright"]


def test_replicate_columns_are_averaged_and_estimate_the_error_ratio():
    rng = np.random.default_rng(2)
    truth = rng.uniform(2, 20, 25)
    table = pd.DataFrame({"r1": truth + rng.normal(0, 0.3, 25),
                          "r2": truth + rng.normal(0, 0.3, 25),
                          "n1": truth + rng.normal(0, 0.5, 25),
                          "n2": truth + rng.normal(0, 0.5, 25)})  # fmt: skip
    result = compare_methods(table, ["r1", "r2"], ["n1", "n2"])
    assert result.x == pytest.approx(table[["r1", "r2"]].mean(axis=1).to_numpy())
    direct = engine.compare_methods(None, None, x_replicates=table[["r1", "r2"]].to_numpy(),
                                    y_replicates=table[["n1", "n2"]].to_numpy())  # fmt: skip
    ratio = result.to_dict()["deming"]["error_ratio"]
    assert ratio == pytest.approx(direct.to_dict()["deming"]["error_ratio"], rel=1e-12)
    assert ratio != pytest.approx(1.0, abs=0.05)


def test_ambiguous_or_bad_input_is_refused_with_a_message():
    table = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.1, 2.0, 3.2, 3.9], "c": [1.0, 2, 3, 4]})
    with pytest.raises(UsageError, match="one method only"):
        compare_methods(table, ["a", "c"], "b")
    with pytest.raises(UsageError, match="both set"):
        compare_methods(table, ["a", "c"], ["b", "b2"], error_ratio=1.0)
    with pytest.raises(UsageError, match="same column"):
        compare_methods(table, "a", "a")
    with pytest.raises(UsageError, match="between 0 and 1"):
        compare_methods(table, "a", "b", level=95)
    with pytest.raises(DataError, match="not a number"):
        compare_methods(table.assign(b=["1", "x", "3", "4"]), "a", "b")
