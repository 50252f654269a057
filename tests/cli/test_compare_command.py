"""`benchlearn compare`, in process: terminal, JSON and the refusals (exit status 2)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from benchlearn.assay.method_comparison import compare_methods
from benchlearn.cli.main import _register_commands, app, main

_register_commands()

# Bland & Altman (1986) Lancet i:307-310, Table 1: peak expiratory flow (l/min), first reading
# on the Wright (reference) and the mini Wright (new) meter; printed bias (Wright - mini) -2.1.
WRIGHT = [494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427]
MINI = [512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451]


@pytest.fixture(scope="module")
def pefr(tmp_path_factory):
    path = tmp_path_factory.mktemp("compare") / "pefr.csv"
    pd.DataFrame({"wright": WRIGHT, "mini": MINI}).to_csv(path, index=False)
    return path


def run(*args):
    return CliRunner().invoke(app, ["compare", *map(str, args)], env={"COLUMNS": "200"})


def refusal(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", *map(str, args)])
    assert exit_info.value.code == 2
    return " ".join(capsys.readouterr().err.split())


def test_terminal_shows_every_analysis_with_conventions_and_the_verdict(pefr):
    result = run(pefr, "--x", "wright", "--y", "mini")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for heading in ("Deming regression", "Passing-Bablok regression", "Bland-Altman"):
        assert heading in text
    assert "jackknife (Linnet 1990)" in text and "Passing & Bablok 1983" in text
    assert "Bland-Altman (1986, 1999): formula" in text and "bias" in text
    assert "2.1176" in text  # mini - Wright: the paper's -2.1 with the sign of new - reference


def test_json_holds_every_number_with_its_convention(pefr, tmp_path):
    out = tmp_path / "comparison.json"
    result = run(pefr, "--x", "wright", "--y", "mini", "--json", out, "--level", "0.9")
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text())
    expected = compare_methods(WRIGHT, MINI, level=0.9).to_dict()
    assert payload["passing_bablok"]["slope"] == expected["passing_bablok"]["slope"]
    assert payload["deming"]["intercept"]["value"] == pytest.approx(
        expected["deming"]["intercept"]["value"])  # fmt: skip
    for part in ("deming", "passing_bablok"):
        for key in ("slope", "intercept"):
            entry = payload[part][key]
            assert entry["convention"] and entry["formula"] and entry["level"] == 0.9
    for key in ("bias", "lower_limit", "upper_limit"):
        assert payload["bland_altman"][key]["formula"]
    assert payload["reference"] == ["wright"] and payload["n"] == 17


def test_json_to_stdout_is_pure_json(pefr):
    result = CliRunner().invoke(app, ["compare", str(pefr), "--x", "wright", "--y",
                                      "mini", "--json", "-"])  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout)["bland_altman"]["n"] == 17


def test_replicate_columns_estimate_the_error_ratio(tmp_path):
    rng = np.random.default_rng(11)
    truth = rng.uniform(2, 20, 30)
    frame = pd.DataFrame({"ref_1": truth + rng.normal(0, 0.3, 30),
                          "ref_2": truth + rng.normal(0, 0.3, 30),
                          "new_1": 1.02 * truth + rng.normal(0, 0.5, 30),
                          "new_2": 1.02 * truth + rng.normal(0, 0.5, 30)})  # fmt: skip
    path = tmp_path / "reps.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "reps.json"
    result = run(path, "--x-replicates", "ref_1,ref_2", "--y-replicates", "new_1,new_2",
                 "--json", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text())
    var_x = np.mean(np.var(frame[["ref_1", "ref_2"]], axis=1, ddof=1)) / 2
    var_y = np.mean(np.var(frame[["new_1", "new_2"]], axis=1, ddof=1)) / 2
    assert payload["deming"]["error_ratio"] == pytest.approx(var_y / var_x)
    assert "estimated from replicates" in payload["deming"]["notes"][0]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--x", "wright", "--y", "nope"], "no column named `nope`"),
     (["--x", "wright"], "--y"),
     (["--x", "wright", "--y", "wright"], "same column"),
     (["--x", "wright", "--y", "mini", "--level", "95"], "between 0 and 1"),
     (["--x", "wright", "--y-replicates", "mini,wright"], "one method only"),
     (["--x", "wright", "--y", "mini", "--limits-ci", "exact"], "not one of"),
     (["--x", "wright", "--y", "mini", "--pb-convention", "medcalc"], "--pb-convention"),
     (["--x", "wright", "--y", "mini", "--deming-ci", "bootstrap"], "--deming-ci"),
     (["--x", "wright", "--y", "mini", "--deming", "weighted-deming", "--deming-ci",
       "analytical"], "no analytical interval")],
)  # fmt: skip
def test_bad_options_exit_2_with_a_message(capsys, pefr, args, message):
    assert message in refusal(capsys, pefr, *args)


def test_text_in_a_column_names_the_row(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ref,new\n1.0,1.1\n2.0,n/a\n3.0,3.2\n4.0,3.9\n")
    text = refusal(capsys, path, "--x", "ref", "--y", "new")
    assert "row 3" in text and "new" in text


def test_existing_json_is_not_overwritten_without_force(capsys, pefr, tmp_path):
    out = tmp_path / "keep.json"
    out.write_text("mine")
    assert "--force" in refusal(capsys, pefr, "--x", "wright", "--y", "mini", "--json", out)
    assert out.read_text() == "mine"


def test_html_report_has_the_tables_conventions_and_both_figures(pefr, tmp_path):
    out = tmp_path / "comparison.html"
    result = run(pefr, "--x", "wright", "--y", "mini", "--report", out)
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert page.count("<svg") == 2 and 'id="bland-altman"' in page
    for text in ("Deming regression", "Passing-Bablok regression", "jackknife (Linnet 1990)",
                 "Bland &amp; Altman 1999", "limits of agreement"):  # fmt: skip
        assert text in page
    assert "http" not in page.replace("http://www.w3.org", "")


def test_passing_bablok_convention_is_chosen_by_name_and_labelled(pefr, tmp_path):
    out = tmp_path / "mcr.json"
    result = run(pefr, "--x", "wright", "--y", "mini", "--pb-convention", "mcr", "--json", out)
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text())["passing_bablok"]
    expected = compare_methods(WRIGHT, MINI, passing_bablok_convention="mcr").to_dict()
    assert payload["slope"] == expected["passing_bablok"]["slope"]
    assert payload["convention"] == "mcr" and "R mcr" in payload["slope"]["convention"]
    assert "R mcr convention" in " ".join(result.output.split())


def test_weighted_deming_and_analytical_intervals_are_chosen_by_name(pefr, tmp_path):
    out = tmp_path / "weighted.json"
    result = run(pefr, "--x", "wright", "--y", "mini", "--deming", "weighted-deming",
                 "--json", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text())["deming"]
    expected = compare_methods(WRIGHT, MINI, deming_method="weighted-deming").to_dict()
    assert payload["slope"] == expected["deming"]["slope"]
    assert payload["deming_method"] == "weighted-deming" and "Linnet 1990" in (
        payload["slope"]["convention"])  # fmt: skip
    assert "Weighted Deming regression" in result.output
    result = run(pefr, "--x", "wright", "--y", "mini", "--deming-ci", "analytical")
    assert result.exit_code == 0, result.output
    assert "Strike 1991" in " ".join(result.output.split())


def test_exact_limits_of_agreement_intervals_are_chosen_by_name(pefr, tmp_path):
    out = tmp_path / "exact.json"
    result = run(pefr, "--x", "wright", "--y", "mini", "--limits-ci", "carkeet-2015-exact",
                 "--json", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    upper = json.loads(out.read_text())["bland_altman"]["upper_limit"]
    expected = compare_methods(WRIGHT, MINI, limits_ci="carkeet-2015-exact").to_dict()
    assert upper == expected["bland_altman"]["upper_limit"]
    assert "Carkeet 2015" in upper["interval_convention"] and upper["std_error"] is None
    assert "Carkeet 2015" in " ".join(result.output.split())
