"""``standard_curve``: the numbers of ``benchlearn curve --json``, from DataFrames."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchlearn.analysis import CurveAnalysis, standard_curve
from benchlearn.data import read_table
from benchlearn.errors import UsageError

DATA = Path(__file__).resolve().parents[1] / "cli" / "data"


def assert_contained(ours, theirs, where="JSON"):
    """Every value of ``ours`` is in ``theirs`` (which may add readings in words, also where
    the numbers leave an empty note or an empty list of notes)."""
    if ours in ("", []) and (isinstance(theirs, str) or (
            isinstance(theirs, list) and all(isinstance(t, str) for t in theirs))):  # fmt: skip
        return
    if isinstance(ours, dict):
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
    ("standards", "unknowns", "x", "y", "options", "cli_options"),
    [
        ("bca_standards.csv", "bca_unknowns.csv", "conc_ug_ml", "A562", {}, []),
        ("curve_hook_standards.csv", "curve_hook_unknowns.csv", "conc_ng_ml", "OD450",
         {"degree": 2}, ["--degree", "2"]),
        ("curve_lcms_standards.csv", "curve_lcms_unknowns.csv", "conc_nM", "peak_area_ratio",
         {"weight_by": "1/x2", "level": 0.9}, ["--weight-by", "1/x2", "--level", "0.9"]),
        ("curve_method_comparison.csv", None, "reference_mmol_l", "new_method_mmol_l",
         {"slope_equals": 1.0}, ["--slope-equals", "1"]),
        ("bca_standards.csv", "bca_unknowns.csv", "conc_ug_ml", "A562",
         {"lod_method": "din32645", "interval": "multiple-use", "level": 0.9},
         ["--lod-method", "din32645", "--interval", "multiple-use", "--level", "0.9"]),
        ("bca_standards.csv", "bca_unknowns.csv", "conc_ug_ml", "A562",
         {"lod_method": "blank-3s", "interval": "symmetric"},
         ["--lod-method", "blank-3s", "--interval", "symmetric"]),
    ],
)  # fmt: skip
def test_standard_curve_gives_the_numbers_of_the_command_lines_json(
    cli, standards, unknowns, x, y, options, cli_options
):
    extra = [] if unknowns is None else ["--unknowns", str(DATA / unknowns)]
    completed = cli("curve", str(DATA / standards), "--x", x, "--y", y, *cli_options, *extra,
                    "--json", "-")  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = standard_curve(
        read_table(DATA / standards), x, y,
        unknowns=None if unknowns is None else read_table(DATA / unknowns), **options,
    )  # fmt: skip
    numbers = result.to_dict()
    json.dumps(numbers, allow_nan=False)
    assert_contained(numbers, json.loads(completed.stdout))
    assert "calibrated_range" in numbers and "parameters" in numbers


def test_qpcr_curve_in_log_copies_reports_efficiency_near_100_percent():
    copies = np.repeat(10.0 ** np.arange(2, 8), 3)
    ct = 38.0 - 3.3219 * np.log10(copies) + np.random.default_rng(3).normal(0, 0.1, copies.size)
    result = standard_curve(pd.DataFrame({"copies": copies, "ct": ct}), "copies", "ct",
                            log_x=True, qpcr=True)  # fmt: skip
    assert isinstance(result, CurveAnalysis)
    efficiency = result.qpcr["efficiency"]
    assert efficiency.lower < 1.0 < efficiency.upper
    assert result.qpcr["amplification_factor"].value == pytest.approx(efficiency.value + 1)
    assert result.slope_test["value"] == pytest.approx(-1 / np.log10(2))
    assert result.detection_limits is None  # not a straight line in copies themselves
    assert result.calibrated_range == pytest.approx((100.0, 1e7))


def test_a_bending_curve_warns_and_the_warning_is_kept():
    conc = np.repeat([0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0], 2)
    signal = 2.0 * conc / (10.0 + conc) + np.random.default_rng(1).normal(0, 0.005, conc.size)
    table = pd.DataFrame({"conc": conc, "signal": signal})
    result = standard_curve(table, "conc", "signal")
    assert result.linear_range[1] < result.calibrated_range[1]
    assert any("bend away from a straight line" in w for w in result.fit.warnings)


def test_a_level_outside_zero_to_one_is_refused():
    table = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.1]})
    with pytest.raises(UsageError, match="between 0 and 1"):
        standard_curve(table, "x", "y", level=95)


def test_conventions_are_named_with_their_defaults_in_the_result():
    table = pd.DataFrame({"x": [0.0, 0, 1, 1, 2, 2, 4, 4], "y": [0.1, 0.0, 1.1, 0.9, 2.0, 2.1,
                                                               4.1, 3.9]})  # fmt: skip
    numbers = standard_curve(table, "x", "y", interval="symmetric").to_dict()
    assert numbers["conventions"]["interval"]["name"] == "symmetric"
    assert numbers["conventions"]["interval"]["default"] == "fieller"
    assert numbers["conventions"]["lod_method"]["name"] == "ich-residual-sd"
    assert numbers["detection_limits"]["method"] == "ich-residual-sd"
    with pytest.raises(UsageError, match="blank"):
        standard_curve(table, "x", "y", lod_method="ich-blank-sd")
    blanks = standard_curve(table, "x", "y", lod_method="ich-blank-sd", blanks=[0.1, 0.0, 0.05])
    assert blanks.detection_limits["lod"].value == pytest.approx(
        3.3 * np.std([0.1, 0.0, 0.05], ddof=1) / blanks.fit.model.coef_[0])  # fmt: skip
