"""`benchlearn curve` end to end on files in the test tree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

DATA = Path(__file__).parent / "data"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchlearn.cli.main", "curve", *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("curve") / "curve.json"
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562",
                    "--unknowns", str(DATA / "bca_unknowns.csv"), "--json", str(out))  # fmt: skip
    return completed, json.loads(out.read_text())


def test_interpolated_concentrations_equal_a_hand_computed_inverse_prediction(result):
    _, numbers = result
    standards = pd.read_csv(DATA / "bca_standards.csv")
    x, y = standards["conc_ug_ml"].to_numpy(), standards["A562"].to_numpy()
    n, xbar = len(x), x.mean()
    sxx = np.sum((x - xbar) ** 2)
    b = np.sum((x - xbar) * (y - y.mean())) / sxx
    a = y.mean() - b * xbar
    s = np.sqrt(np.sum((y - a - b * x) ** 2) / (n - 2))
    t = stats.t.ppf(0.975, n - 2)
    lysate_1 = next(u for u in numbers["unknowns"] if u["sample"] == "lysate_1")
    y0, m = (0.512 + 0.530) / 2, 2
    x0 = (y0 - a) / b
    g = t**2 * s**2 / (b**2 * sxx)
    half = t * s / (b * (1 - g)) * np.sqrt((1 - g) * (1 / m + 1 / n) + (x0 - xbar) ** 2 / sxx)
    centre = xbar + (x0 - xbar) / (1 - g)
    assert lysate_1["n_replicates"] == 2
    assert lysate_1["estimate"] == pytest.approx(x0, rel=1e-10)
    assert lysate_1["lower"] == pytest.approx(centre - half, rel=1e-9)
    assert lysate_1["upper"] == pytest.approx(centre + half, rel=1e-9)


def test_unknown_outside_the_range_is_flagged_in_terminal_and_json(result):
    completed, numbers = result
    lysate_3 = next(u for u in numbers["unknowns"] if u["sample"] == "lysate_3")
    assert lysate_3["in_range"] is False
    assert "outside the calibrated range" in lysate_3["note"]
    assert "OUTSIDE RANGE" in completed.stdout
    assert "Flag: sample lysate_3" in completed.stdout


def test_detection_limits_and_ranges_are_reported(result):
    _, numbers = result
    assert numbers["calibrated_range"] == [0, 1000]
    assert numbers["detection_limits"]["lod"] == pytest.approx(
        3.3 * numbers["residual_std"] / numbers["parameters"][1]["estimate"]
    )


def test_qpcr_curve_reports_efficiency(tmp_path):
    standards = tmp_path / "qpcr.csv"
    command = [sys.executable, "-m", "benchlearn.cli.main", "datasets", "export",
               "qpcr_standard_curve", str(standards)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    completed = run(str(standards), "--x", "copies", "--y", "ct", "--log-x", "--qpcr")
    assert completed.returncode == 0, completed.stderr
    assert "Amplification efficiency" in completed.stdout


def test_log_x_with_a_zero_standard_names_the_row(tmp_path):
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562", "--log-x")
    assert completed.returncode == 2
    assert "row 2, column `conc_ug_ml`" in completed.stderr and "positive" in completed.stderr


def test_unknowns_file_with_a_bad_cell_gives_the_data_layers_message(tmp_path):
    bad = tmp_path / "samples.csv"
    bad.write_text("sample,A562\nS1,0.5\nS2,high\n")
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562",
                    "--unknowns", str(bad))  # fmt: skip
    assert completed.returncode == 2
    assert "row 3, column `A562`: 'high' is not a number" in completed.stderr
