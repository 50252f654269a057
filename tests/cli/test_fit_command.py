"""`benchlearn fit` end to end: the installed command, files on disk, statsmodels as reference."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

DATA = Path(__file__).parent / "data"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchlearn.cli.main", "fit", *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def plate():
    frame = pd.read_csv(DATA / "bca_plate.csv", skiprows=4)
    return frame, sm.OLS(frame["A562"], sm.add_constant(frame["conc_ug_ml"])).fit()


def test_json_numbers_equal_statsmodels(tmp_path, plate):
    _, ref = plate
    out = tmp_path / "fit.json"
    result = run(
        str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml", "--json", str(out)
    )
    assert result.returncode == 0, result.stderr
    numbers = json.loads(out.read_text())
    params = {p["name"]: p for p in numbers["parameters"]}
    for ours, theirs in [("intercept", "const"), ("conc_ug_ml", "conc_ug_ml")]:
        assert params[ours]["estimate"] == pytest.approx(ref.params[theirs], rel=1e-10)
        assert params[ours]["std_error"] == pytest.approx(ref.bse[theirs], rel=1e-10)
        assert params[ours]["p_value"] == pytest.approx(ref.pvalues[theirs], rel=1e-8)
        assert params[ours]["ci_lower"] == pytest.approx(ref.conf_int()[0][theirs], rel=1e-10)
    assert numbers["r2"] == pytest.approx(ref.rsquared, rel=1e-10)
    assert numbers["r2_adj"] == pytest.approx(ref.rsquared_adj, rel=1e-10)
    assert numbers["f_statistic"] == pytest.approx(ref.fvalue, rel=1e-10)
    assert numbers["residual_std"] == pytest.approx(np.sqrt(ref.scale), rel=1e-10)
    assert numbers["n_samples"] == 16


def test_terminal_summary_names_the_outlier_by_its_row_in_the_file(plate):
    result = run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml")
    assert result.returncode == 0
    assert "Row 21 is an outlier" in result.stdout.replace("\n", " ")  # B4, line 21 of the file
    assert "R²" in result.stdout and "95% CI" in result.stdout


def test_json_to_stdout_is_pure_json():
    result = run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml", "--json", "-")
    assert json.loads(result.stdout)["formula"] == "A562 ~ conc_ug_ml"


def test_polynomial_degree_two_matches_statsmodels(tmp_path, plate):
    frame, _ = plate
    raw = np.column_stack([np.ones(len(frame)), frame["conc_ug_ml"], frame["conc_ug_ml"] ** 2])
    ref = sm.OLS(frame["A562"], raw).fit()
    out = tmp_path / "quad.json"
    run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml", "--degree", "2",
        "--json", str(out))  # fmt: skip
    estimates = [p["estimate"] for p in json.loads(out.read_text())["parameters"]]
    np.testing.assert_allclose(estimates, ref.params, rtol=1e-9)


def test_report_is_written_and_existing_files_are_refused_without_force(tmp_path):
    report = tmp_path / "plate.html"
    args = [
        str(DATA / "bca_plate.csv"),
        "--y",
        "A562",
        "--x",
        "conc_ug_ml",
        "--report",
        str(report),
    ]
    assert run(*args).returncode == 0
    first = report.read_text()
    assert first.count("<svg") == 4
    refused = run(*args)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert report.read_text() == first
    assert run(*args, "--force").returncode == 0


def test_bad_file_gives_the_data_layers_message_and_exit_status_2(tmp_path):
    bad = tmp_path / "plate.csv"
    bad.write_text("conc,signal\n0,0.1\n1,n/a\n2,0.3\n")
    result = run(str(bad), "--y", "signal", "--x", "conc")
    assert result.returncode == 2
    assert "row 3, column `signal`: 'n/a' is not a number" in result.stderr
    assert "Traceback" not in result.stderr


def test_degree_with_two_predictors_is_a_usage_error(tmp_path):
    two = tmp_path / "two.csv"
    two.write_text("a,b,y\n1,5,1\n2,3,2\n3,8,2\n4,1,5\n5,2,4\n")
    result = run(str(two), "--y", "y", "--degree", "2")
    assert result.returncode == 2
    assert "--degree 2 needs exactly one --x" in result.stderr


def test_help_lists_every_option_with_examples():
    result = run("--help")
    for option in ["--y", "--x", "--degree", "--no-intercept", "--sheet", "--report", "--json",
                   "--force", "--drop-missing", "Examples"]:  # fmt: skip
        assert option in result.stdout


@pytest.mark.parametrize("mode", [["--stream"], ["--dask", "local"]])
def test_stream_and_dask_give_the_in_memory_numbers(tmp_path, mode):
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.normal(size=(3000, 2)), columns=["logp", "tpsa"])
    frame["pic50"] = 5 + frame @ [0.6, -0.3] + rng.normal(0, 0.5, 3000)
    source = tmp_path / "screen.parquet"
    frame.to_parquet(source)
    reference, streamed = tmp_path / "memory.json", tmp_path / "scaled.json"
    assert run(str(source), "--y", "pic50", "--json", str(reference)).returncode == 0
    result = run(str(source), "--y", "pic50", "--json", str(streamed), *mode)
    assert result.returncode == 0, result.stderr
    ours = json.loads(streamed.read_text())["parameters"]
    theirs = json.loads(reference.read_text())["parameters"]
    for a, b in zip(ours, theirs, strict=True):
        assert a["name"] == b["name"]
        assert a["estimate"] == pytest.approx(b["estimate"], rel=1e-10)
        assert a["std_error"] == pytest.approx(b["std_error"], rel=1e-10)


def test_stream_refuses_options_that_need_the_data_in_memory(tmp_path):
    result = run(str(DATA / "bca_standards.csv"), "--y", "A562", "--stream", "--degree", "2")
    assert result.returncode == 2 and "need the data in memory" in result.stderr
