"""`benchlearn fit` on files on disk, statsmodels as reference (in-process; one end to end)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.formula.api import ols, wls
from statsmodels.stats.anova import anova_lm

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def run(cli):
    """``benchlearn fit ARGS`` in-process (tests/conftest.py)."""
    return lambda *args, **options: cli("fit", *args, **options)


@pytest.fixture(scope="session")
def run_installed(installed):
    """``benchlearn fit ARGS`` end to end in a new process."""
    return lambda *args, **options: installed("fit", *args, **options)


@pytest.fixture(scope="module")
def plate():
    frame = pd.read_csv(DATA / "bca_plate.csv", skiprows=4)
    return frame, sm.OLS(frame["A562"], sm.add_constant(frame["conc_ug_ml"])).fit()


def test_json_numbers_equal_statsmodels(tmp_path, plate, run_installed):
    _, ref = plate
    out = tmp_path / "fit.json"
    result = run_installed(
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


def test_terminal_summary_names_the_outlier_by_its_row_in_the_file(plate, run):
    result = run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml")
    assert result.returncode == 0
    assert "Row 21 is an outlier" in result.stdout.replace("\n", " ")  # B4, line 21 of the file
    assert "R²" in result.stdout and "95% CI" in result.stdout


def test_json_to_stdout_is_pure_json(run):
    result = run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml", "--json", "-")
    assert json.loads(result.stdout)["formula"] == "A562 ~ conc_ug_ml"


def test_polynomial_degree_two_matches_statsmodels(tmp_path, plate, run):
    frame, _ = plate
    raw = np.column_stack([np.ones(len(frame)), frame["conc_ug_ml"], frame["conc_ug_ml"] ** 2])
    ref = sm.OLS(frame["A562"], raw).fit()
    out = tmp_path / "quad.json"
    run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml", "--degree", "2",
        "--json", str(out))  # fmt: skip
    estimates = [p["estimate"] for p in json.loads(out.read_text())["parameters"]]
    np.testing.assert_allclose(estimates, ref.params, rtol=1e-9)


@pytest.fixture(scope="module")
def plate_outputs(tmp_path_factory, run):
    """The plate's report and JSON written by one run, counting the summaries and diagnostics
    it computed: the folder, and the counts."""
    from benchlearn import evaluate
    from benchlearn.linear.summary import RegressionSummary

    calls = {"diagnostics": 0, "summary": 0}
    diagnostics, summary_init = evaluate.residual_diagnostics, RegressionSummary.__init__

    def counted_diagnostics(*args, **kwargs):
        calls["diagnostics"] += 1
        return diagnostics(*args, **kwargs)

    def counted_summary(self, *args, **kwargs):
        calls["summary"] += 1
        summary_init(self, *args, **kwargs)

    folder = tmp_path_factory.mktemp("plate")
    outputs = ["--report", str(folder / "plate.html"), "--json", str(folder / "plate.json")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(evaluate, "residual_diagnostics", counted_diagnostics)
        patch.setattr(RegressionSummary, "__init__", counted_summary)
        result = run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml", *outputs)
    assert result.returncode == 0, result.stderr
    return folder, calls


def test_report_is_written_and_existing_files_are_refused_without_force(plate_outputs, run):
    folder, _ = plate_outputs
    report, numbers = folder / "plate.html", folder / "plate.json"
    first = report.read_text()
    assert first.count("<svg") == 4
    args = [str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml",
            "--report", str(report), "--json", str(numbers)]  # fmt: skip
    refused = run(*args)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert report.read_text() == first
    report.write_text("a file of the user's")
    assert run(*args, "--force").returncode == 0
    assert report.read_text().count("<svg") == 4  # the whole report again


def test_bad_file_gives_the_data_layers_message_and_exit_status_2(tmp_path, run):
    bad = tmp_path / "plate.csv"
    bad.write_text("conc,signal\n0,0.1\n1,n/a\n2,0.3\n")
    result = run(str(bad), "--y", "signal", "--x", "conc")
    assert result.returncode == 2
    assert "row 3, column `signal`: 'n/a' is not a number" in result.stderr
    assert "Traceback" not in result.stderr


def test_degree_with_two_predictors_is_a_usage_error(tmp_path, run):
    two = tmp_path / "two.csv"
    two.write_text("a,b,y\n1,5,1\n2,3,2\n3,8,2\n4,1,5\n5,2,4\n")
    result = run(str(two), "--y", "y", "--degree", "2")
    assert result.returncode == 2
    assert "--degree 2 needs exactly one --x" in result.stderr


def test_help_lists_every_option_with_examples(run):
    result = run("--help")
    for option in ["--y", "--x", "--degree", "--no-intercept", "--sheet", "--report", "--json",
                   "--force", "--drop-missing", "--group", "--weights", "--weight-by",
                   "Examples"]:  # fmt: skip
        assert option in result.stdout


@pytest.fixture(scope="module")
def screen(tmp_path_factory, run) -> tuple[Path, list[dict]]:
    """A 3000-row screen as Parquet, and the parameters of its fit in memory."""
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.normal(size=(3000, 2)), columns=["logp", "tpsa"])
    frame["pic50"] = 5 + frame @ [0.6, -0.3] + rng.normal(0, 0.5, 3000)
    source = tmp_path_factory.mktemp("screen") / "screen.parquet"
    frame.to_parquet(source)
    result = run(str(source), "--y", "pic50", "--json", "-")
    assert result.returncode == 0, result.stderr
    return source, json.loads(result.stdout)["parameters"]


@pytest.mark.parametrize("mode", [["--stream"], ["--dask", "local"]])
def test_stream_and_dask_give_the_in_memory_numbers(tmp_path, mode, screen, run):
    source, theirs = screen
    streamed = tmp_path / "scaled.json"
    result = run(str(source), "--y", "pic50", "--json", str(streamed), *mode)
    assert result.returncode == 0, result.stderr
    ours = json.loads(streamed.read_text())["parameters"]
    for a, b in zip(ours, theirs, strict=True):
        assert a["name"] == b["name"]
        assert a["estimate"] == pytest.approx(b["estimate"], rel=1e-10)
        assert a["std_error"] == pytest.approx(b["std_error"], rel=1e-10)


def test_one_pass_is_a_labelled_option_of_stream(tmp_path, run):
    help_text = run("--help", columns=200).stdout
    assert "--one-pass" in help_text and "twice" in help_text
    result = run(str(DATA / "bca_standards.csv"), "--y", "A562", "--one-pass")
    assert result.returncode == 2 and "option of --stream" in result.stderr


def test_stream_refuses_options_that_need_the_data_in_memory(tmp_path, run):
    result = run(str(DATA / "bca_standards.csv"), "--y", "A562", "--stream", "--degree", "2")
    assert result.returncode == 2 and "need the data in memory" in result.stderr


# --- comparing groups' lines, weights, lack of fit (issue 8) ----------------------------------


def words(text: str) -> str:
    """The terminal text with rich's line wrapping undone."""
    return " ".join(text.split())


def anova(frame, small, big, fitter=ols, **options):
    table = anova_lm(fitter(small, frame, **options).fit(), fitter(big, frame, **options).fit())
    return (
        table.loc[1, "F"],
        table.loc[1, "df_diff"],
        table.loc[1, "df_resid"],
        table.loc[1, "Pr(>F)"],
    )


def assert_test_equals(ours, theirs):
    f, df1, df2, p = theirs
    assert ours["F"] == pytest.approx(f, rel=1e-10)
    assert (ours["df1"], ours["df2"]) == (df1, df2)
    assert ours["p_value"] == pytest.approx(p, rel=1e-9)


def test_group_comparison_equals_statsmodels_anova_lm_and_prints_the_verdict(run):
    frame = pd.read_csv(DATA / "fit_groups_plates.csv")
    result = run(str(DATA / "fit_groups_plates.csv"), "--y", "A562", "--x", "conc_ug_ml",
                 "--group", "plate", "--json", "-", columns=160)  # fmt: skip
    assert result.returncode == 0, result.stderr
    numbers = json.loads(result.stdout)["group_comparison"]
    assert_test_equals(numbers["slopes_test"], anova(
        frame, "A562 ~ conc_ug_ml + C(plate)", "A562 ~ conc_ug_ml * C(plate)"))  # fmt: skip
    assert_test_equals(numbers["elevations_test"], anova(
        frame, "A562 ~ conc_ug_ml", "A562 ~ conc_ug_ml + C(plate)"))  # fmt: skip
    for line in numbers["lines"]:
        rows = frame[frame["plate"] == line["group"]]
        ref = sm.OLS(rows["A562"], sm.add_constant(rows["conc_ug_ml"])).fit()
        assert line["slope"] == pytest.approx(ref.params["conc_ug_ml"], rel=1e-10)
        assert line["intercept_se"] == pytest.approx(ref.bse["const"], rel=1e-10)
    assert numbers["conclusion"].startswith("Parallel lines at different heights")
    terminal = words(result.stderr)  # with --json -, the summary goes to standard error
    assert "Equal slopes?" in terminal and "Equal heights?" in terminal
    assert f"{numbers['slopes_test']['F']:.4g}" in terminal
    assert "Conclusion: Parallel lines at different heights" in terminal


def test_slopes_that_differ_make_the_height_test_not_interpretable(run):
    frame = pd.read_csv(DATA / "fit_groups_dose.csv")
    result = run(str(DATA / "fit_groups_dose.csv"), "--y", "signal", "--x", "dose_uM",
                 "--group", "arm", columns=160)  # fmt: skip
    assert result.returncode == 0, result.stderr
    f, df1, df2, _ = anova(frame, "signal ~ dose_uM + C(arm)", "signal ~ dose_uM * C(arm)")
    terminal = words(result.stdout)
    assert f"Equal slopes? {f:.4g} {df1:.0f}, {df2:.0f}" in terminal
    assert "Equal heights? (not interpretable)" in terminal
    assert "Conclusion: The slopes differ: the groups respond differently to dose_uM." in terminal


def test_group_comparison_through_the_origin_compares_slopes_only_like_statsmodels(tmp_path, run):
    frame = pd.read_csv(DATA / "fit_groups_dose.csv")
    out = tmp_path / "origin.json"
    result = run(str(DATA / "fit_groups_dose.csv"), "--y", "signal", "--x", "dose_uM",
                 "--group", "arm", "--no-intercept", "--json", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    numbers = json.loads(out.read_text())["group_comparison"]
    assert_test_equals(numbers["slopes_test"], anova(
        frame, "signal ~ dose_uM - 1", "signal ~ dose_uM:C(arm) - 1"))  # fmt: skip
    assert numbers["elevations_test"] is None and numbers["through_origin"] is True


@pytest.fixture(scope="module")
def plates_report(tmp_path_factory, run) -> str:
    """The report of the plates compared as groups (rendered once for the tests that read it)."""
    report = tmp_path_factory.mktemp("plates") / "plates.html"
    result = run(str(DATA / "fit_groups_plates.csv"), "--y", "A562", "--x", "conc_ug_ml",
                 "--group", "plate", "--report", str(report))  # fmt: skip
    assert result.returncode == 0, result.stderr
    return report.read_text()


def test_report_has_the_group_section_with_its_figure(plates_report):
    page = plates_report
    assert "Comparing the lines between groups of plate" in page
    section = page[page.index('<figure id="groups">') :]
    assert section.index("<svg") < section.index("</figure>")
    assert page.count("<svg") == 5  # the four regression figures and the groups' lines
    assert "Parallel lines at different heights" in page
    assert "Checks of the model&#39;s shape" in page


@pytest.mark.parametrize(
    ("options", "why"),
    [
        (["--group", "plates"], "there is no column named `plates` to group by"),
        (["--group", "lab"], "`lab` has only one group (north): there is nothing to compare"),
        (["--group", "plate", "--weights", "w", "--weight-by", "1/x2"],
         "--weights and --weight-by are alternatives"),
        (["--group", "plate", "--degree", "2"], "--group compares straight lines; --degree 2"),
    ],
)  # fmt: skip
def test_group_and_weight_mistakes_exit_2_with_our_message(tmp_path, options, why, run):
    frame = pd.read_csv(DATA / "fit_groups_plates.csv").assign(lab="north", w=1.0)
    source = tmp_path / "plates.csv"
    frame.to_csv(source, index=False)
    result = run(str(source), "--y", "A562", "--x", "conc_ug_ml", *options)
    assert result.returncode == 2
    assert why in words(result.stderr)
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def elisa():
    return pd.read_csv(DATA / "fit_weighted_elisa.csv")


@pytest.mark.parametrize(
    ("options", "weights_of", "said"),
    [
        (["--weight-by", "1/y2"], lambda f: 1.0 / f["OD450"] ** 2, "weights 1/OD450²"),
        (["--weight-by", "1/x"], lambda f: 1.0 / f["conc_ng_ml"], "weights 1/conc_ng_ml"),
        (["--weight-by", "replicates"],
         lambda f: 1.0 / f.groupby("conc_ng_ml")["OD450"].transform("var"),
         "1/variance of the replicate OD450 values"),
        (["--weights", "w"], lambda f: f["w"], "the weights in column `w`"),
    ],
)  # fmt: skip
def test_weighted_fit_numbers_equal_statsmodels_wls(
    tmp_path, elisa, options, weights_of, said, run
):
    out = tmp_path / "weighted.json"
    result = run(str(DATA / "fit_weighted_elisa.csv"), "--y", "OD450", "--x", "conc_ng_ml",
                 *options, "--json", str(out), columns=160)  # fmt: skip
    assert result.returncode == 0, result.stderr
    ref = sm.WLS(elisa["OD450"], sm.add_constant(elisa["conc_ng_ml"]),
                 weights=weights_of(elisa)).fit()  # fmt: skip
    numbers = json.loads(out.read_text())
    params = {p["name"]: p for p in numbers["parameters"]}
    for ours, theirs in [("intercept", "const"), ("conc_ng_ml", "conc_ng_ml")]:
        assert params[ours]["estimate"] == pytest.approx(ref.params[theirs], rel=1e-10)
        assert params[ours]["std_error"] == pytest.approx(ref.bse[theirs], rel=1e-10)
        assert params[ours]["ci_lower"] == pytest.approx(ref.conf_int()[0][theirs], rel=1e-10)
        assert params[ours]["ci_upper"] == pytest.approx(ref.conf_int()[1][theirs], rel=1e-10)
        assert params[ours]["p_value"] == pytest.approx(ref.pvalues[theirs], rel=1e-8)
    assert numbers["residual_std"] == pytest.approx(np.sqrt(ref.scale), rel=1e-10)
    assert numbers["r2"] == pytest.approx(ref.rsquared, rel=1e-10)
    assert numbers["f_statistic"] == pytest.approx(ref.fvalue, rel=1e-10)
    assert numbers["weighting"]["weighted"] is True
    assert said in numbers["weighting"]["description"]
    terminal = words(result.stdout)
    assert "Weighted least squares with" in terminal and said in terminal
    slope = f"{ref.params['conc_ng_ml']:.5g}"
    assert slope in terminal


def test_weighted_report_says_how_it_was_weighted(tmp_path, run):
    report = tmp_path / "elisa.html"
    result = run(str(DATA / "fit_weighted_elisa.csv"), "--y", "OD450", "--x", "conc_ng_ml",
                 "--weight-by", "1/x2", "--report", str(report))  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = report.read_text()
    assert "<h2>Weighting</h2>" in page and "weights 1/conc_ng_ml²" in page
    assert "No prediction band is drawn" in page


def test_unweighted_json_says_so(run):
    result = run(str(DATA / "fit_weighted_elisa.csv"), "--y", "OD450", "--x", "conc_ng_ml",
                 "--json", "-")  # fmt: skip
    numbers = json.loads(result.stdout)
    assert numbers["weighting"]["weighted"] is False
    # Replicated x: the lack-of-fit test equals the line against x as a factor (anova_lm).
    elisa = pd.read_csv(DATA / "fit_weighted_elisa.csv")
    lof = numbers["lack_of_fit"]
    assert lof["computed"] is True
    assert_test_equals(lof, anova(elisa, "OD450 ~ conc_ng_ml", "OD450 ~ C(conc_ng_ml)"))
    assert numbers["runs_test"]["computed"] is True
    assert numbers["runs_test"]["n_runs"] >= 2


def test_weighted_lack_of_fit_equals_anova_lm_of_statsmodels_wls(tmp_path, elisa, run):
    result = run(str(DATA / "fit_weighted_elisa.csv"), "--y", "OD450", "--x", "conc_ng_ml",
                 "--weights", "w", "--json", "-")  # fmt: skip
    lof = json.loads(result.stdout)["lack_of_fit"]
    assert_test_equals(lof, anova(elisa, "OD450 ~ conc_ng_ml", "OD450 ~ C(conc_ng_ml)",
                                  fitter=wls, weights=elisa["w"]))  # fmt: skip


def test_lack_of_fit_is_said_to_be_not_computed_without_replicates(tmp_path, run):
    source = tmp_path / "single.csv"
    source.write_text("dose,signal\n0,0.1\n1,1.3\n2,1.9\n3,3.2\n4,3.8\n5,5.3\n6,5.9\n")
    out = tmp_path / "single.json"
    result = run(str(source), "--y", "signal", "--x", "dose", "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert "Lack-of-fit test not computed: every one of the 7 x settings was measured once" in (
        words(result.stdout)
    )
    numbers = json.loads(out.read_text())
    assert numbers["lack_of_fit"]["computed"] is False
    # Residual signs in dose order: + - - + - + - : 6 runs (hand count from statsmodels' fit)
    residuals = sm.OLS([0.1, 1.3, 1.9, 3.2, 3.8, 5.3, 5.9], sm.add_constant(np.arange(7.0))).fit()
    signs = np.sign(residuals.resid)
    assert numbers["runs_test"]["n_runs"] == 1 + int(np.sum(signs[1:] != signs[:-1]))


def test_weighted_group_comparison_equals_anova_lm_of_statsmodels_wls(run):
    frame = pd.read_csv(DATA / "fit_groups_plates.csv")
    result = run(str(DATA / "fit_groups_plates.csv"), "--y", "A562", "--x", "conc_ug_ml",
                 "--group", "plate", "--weight-by", "1/y2", "--json", "-")  # fmt: skip
    assert result.returncode == 0, result.stderr
    numbers = json.loads(result.stdout)
    w = 1.0 / frame["A562"] ** 2
    comparison = numbers["group_comparison"]
    assert comparison["weighted"] is True and numbers["weighting"]["rule"] == "1/y2"
    separate, parallel = "A562 ~ conc_ug_ml * C(plate)", "A562 ~ conc_ug_ml + C(plate)"
    assert_test_equals(comparison["slopes_test"], anova(frame, parallel, separate, wls, weights=w))
    assert_test_equals(
        comparison["elevations_test"], anova(frame, "A562 ~ conc_ug_ml", parallel, wls, weights=w)
    )
    # Lack of fit of the separate lines: replicates are repeats of a (plate, conc) pair.
    cells = "A562 ~ C(plate):C(conc_ug_ml)"
    assert_test_equals(numbers["lack_of_fit"], anova(frame, separate, cells, wls, weights=w))


def test_blank_at_zero_cannot_be_weighted_by_one_over_x_squared(run):
    result = run(str(DATA / "fit_groups_plates.csv"), "--y", "A562", "--x", "conc_ug_ml",
                 "--weight-by", "1/x2")  # fmt: skip
    assert result.returncode == 2
    assert "row 2, column `conc_ug_ml`: the value 0 is 0, so 1/value² is infinite" in (
        words(result.stderr)
    )


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("heavy", "row 4, column `w`: 'heavy' is not a number. Weights must be numbers."),
        ("", "row 4, column `w`: the weight is empty. Fill in every weight, or leave such rows"),
        ("-2", "row 4, column `w`: the weight -2 is negative or infinite."),
    ],
)
def test_bad_weights_name_their_row_and_exit_2(tmp_path, cell, why, run):
    source = tmp_path / "weights.csv"
    source.write_text(f"conc,signal,w\n1,0.11,1\n2,0.19,1\n3,0.32,{cell}\n4,0.41,1\n5,0.48,1\n")
    result = run(str(source), "--y", "signal", "--x", "conc", "--weights", "w")
    assert result.returncode == 2
    assert why in words(result.stderr)


def test_rows_without_a_weight_can_be_left_out_and_weights_are_never_a_predictor(tmp_path, run):
    source = tmp_path / "weights.csv"
    source.write_text("conc,signal,w\n1,0.11,1\n2,0.19,4\n3,0.32,\n4,0.41,2\n5,0.48,1\n6,0.62,1\n")
    result = run(str(source), "--y", "signal", "--weights", "w", "--drop-missing", "--json", "-")
    assert result.returncode == 0, result.stderr
    numbers = json.loads(result.stdout)
    assert numbers["formula"] == "signal ~ conc" and numbers["n_samples"] == 5
    assert "1 row(s) with an empty weight were left out (rows 4)" in numbers["warnings"][0]
    kept = pd.DataFrame({"conc": [1, 2, 4, 5, 6], "signal": [0.11, 0.19, 0.41, 0.48, 0.62]})
    ref = sm.WLS(kept["signal"], sm.add_constant(kept["conc"]), weights=[1, 4, 2, 1, 1]).fit()
    assert numbers["parameters"][1]["estimate"] == pytest.approx(ref.params["conc"], rel=1e-10)


def test_replicate_weights_with_groups_use_each_groups_own_replicates(run):
    frame = pd.read_csv(DATA / "fit_groups_plates.csv")
    result = run(str(DATA / "fit_groups_plates.csv"), "--y", "A562", "--x", "conc_ug_ml",
                 "--group", "plate", "--weight-by", "replicates", "--json", "-")  # fmt: skip
    assert result.returncode == 0, result.stderr
    numbers = json.loads(result.stdout)
    w = 1.0 / frame.groupby(["plate", "conc_ug_ml"])["A562"].transform("var")
    ref = sm.WLS(frame["A562"], sm.add_constant(frame["conc_ug_ml"]), weights=w).fit()
    assert numbers["parameters"][1]["estimate"] == pytest.approx(ref.params.iloc[1], rel=1e-10)
    assert "at each conc_ug_ml within each plate" in numbers["weighting"]["description"]
    parallel = "A562 ~ conc_ug_ml + C(plate)"
    assert_test_equals(
        numbers["group_comparison"]["slopes_test"],
        anova(frame, parallel, "A562 ~ conc_ug_ml * C(plate)", wls, weights=w),
    )


def test_report_reuses_the_summary_and_diagnostics_it_printed(plate_outputs):
    _, calls = plate_outputs  # one run printing the summary, writing the JSON and the report
    assert calls == {"diagnostics": 1, "summary": 1}


def test_level_sets_the_coefficients_intervals_like_statsmodels_conf_int(plate, run):
    _, ref = plate
    result = run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml", "--level",
                 "0.9", "--json", "-")  # fmt: skip
    assert result.returncode == 0, result.stderr
    numbers = json.loads(result.stdout)
    parameters = numbers["parameters"]
    assert numbers["parameter_intervals"]["level"] == 0.9
    assert numbers["parameter_intervals"]["formula"].startswith("estimate ± t(1 - α/2; n - p)")
    expected = ref.conf_int(alpha=0.1).to_numpy()
    for row, (low, high) in zip(parameters, expected, strict=True):
        assert row["ci_lower"] == pytest.approx(low, rel=1e-10)
        assert row["ci_upper"] == pytest.approx(high, rel=1e-10)
    assert "90% CI" in words(result.stderr) or "90%" in words(result.stderr)


def test_level_outside_zero_to_one_exits_2(run):
    result = run(str(DATA / "bca_plate.csv"), "--y", "A562", "--x", "conc_ug_ml", "--level", "95")
    assert result.returncode == 2 and "between 0 and 1" in result.stderr


@pytest.mark.parametrize("adjust", ["holm", "tukey", "bonferroni"])
def test_group_pairwise_differences_use_pooled_ses_and_the_named_adjustment(run, adjust):
    from statsmodels.stats.multitest import multipletests

    frame = pd.read_csv(DATA / "fit_groups_plates.csv")
    result = run(str(DATA / "fit_groups_plates.csv"), "--y", "A562", "--x", "conc_ug_ml",
                 "--group", "plate", "--adjust", adjust, "--json", "-", columns=200)  # fmt: skip
    assert result.returncode == 0, result.stderr
    pairwise = json.loads(result.stdout)["pairwise"]
    assert pairwise["adjust"]["name"] == adjust and pairwise["adjust"]["method"]
    separate = ols("A562 ~ conc_ug_ml * C(plate)", data=frame).fit()
    first = pairwise["slopes"]["rows"][0]  # plate A against the next plate: one coefficient
    term = f"conc_ug_ml:C(plate)[T.{first['group_b']}]"
    assert first["difference"] == pytest.approx(separate.params[term], rel=1e-9)
    assert first["std_error"] == pytest.approx(separate.bse[term], rel=1e-9)
    assert "pooled" in pairwise["slopes"]["convention"] and pairwise["slopes"]["formula"]
    assert pairwise["elevations"]["convention"] and pairwise["elevations"]["formula"]
    if adjust in ("holm", "bonferroni"):
        raw = [row["p_value"] for row in pairwise["slopes"]["rows"]]
        expected = multipletests(raw, method=adjust)[1]
        adjusted = [row["p_adjusted"] for row in pairwise["slopes"]["rows"]]
        assert adjusted == pytest.approx(expected, rel=1e-12)
    lines = pairwise["lines"]
    assert "pooled" in lines["conventions"]["pooled"] and "own" in lines["conventions"]["own"]
    row = lines["rows"][0]
    own = frame[frame["plate"] == row["group"]]
    ref = sm.OLS(own["A562"], sm.add_constant(own["conc_ug_ml"])).fit()
    assert row["slope_se_own"] == pytest.approx(ref.bse["conc_ug_ml"], rel=1e-10)
    assert row["slope_se_pooled"] == pytest.approx(separate.bse["conc_ug_ml"], rel=1e-9)
    terminal = words(result.stderr)
    assert "Pairwise slope differences" in terminal and "SE own fit" in terminal
    assert f"p-values adjusted by {adjust}" in terminal


def test_unknown_adjustment_exits_2(run):
    result = run(str(DATA / "fit_groups_plates.csv"), "--y", "A562", "--x", "conc_ug_ml",
                 "--group", "plate", "--adjust", "scheffe")  # fmt: skip
    assert result.returncode == 2 and "not one of" in result.stderr


def test_report_has_the_pairwise_section(plates_report):
    page = plates_report
    assert "Pairwise comparisons of the groups" in page and "SE own fit" in page
    assert "Holm (1979)" in page


@pytest.mark.parametrize(
    ("text", "options", "said"),
    [
        (
            "y,a,b,c\n1,2,5,1\n2,3,1,4\n4,1,2,2\n",
            ["--x", "a", "--x", "b", "--x", "c"],
            ["only 3 row(s) for 4 coefficients", "3 predictor term(s) and the intercept"],
        ),
        (
            "y,x,w\n1,1,1\n2,2,1\n3.1,3,0\n3.9,4,0\n",
            ["--x", "x", "--weights", "w"],
            ["only 2 row(s) with a positive weight for 2 coefficients"],
        ),
        ("y,x,w\n1,1,0\n2,2,0\n3.1,3,0\n", ["--x", "x", "--weights", "w"], ["every weight is 0"]),
    ],
    ids=["more predictors than rows", "zero weights leave two rows", "all weights zero"],
)
def test_a_fit_without_rows_to_spare_is_refused_not_printed_with_nan(
    tmp_path, run, text, options, said
):
    data = tmp_path / "few.csv"
    data.write_text(text)
    completed = run(str(data), "--y", "y", *options)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    message = " ".join(completed.stderr.split())
    assert all(piece in message for piece in said), message
    assert "few.csv" in message and "nan" not in completed.stdout


@pytest.mark.parametrize(
    ("text", "options", "said"),
    [
        ("x,y\n1,3\n2,5\n3,7\n4,9\n5,11\n", ["--x", "x", "--report", "REPORT"],
         "lie exactly on the fitted curve"),
        ("x,y\n1,1e-310\n2,2.1e-310\n3,2.9e-310\n4,4.2e-310\n", ["--x", "x"],
         "too close to the limits of double precision"),
        ("x,y\n1e200,1\n2e200,2.1\n3e200,2.9\n4e200,4.2\n", ["--x", "x"],
         "too close to the limits of double precision"),
        ("intercept,y\n1,1\n2,2.1\n3,2.9\n4,4.2\n", ["--json", "-"],
         "a predictor column is named `intercept`"),
    ],
    ids=["perfect line report", "values near 1e-310", "x near 1e200", "column intercept"],
)  # fmt: skip
def test_exact_or_degenerate_data_are_refused_with_a_message(tmp_path, run, text, options, said):
    data = tmp_path / "odd.csv"
    data.write_text(text)
    options = [str(tmp_path / "r.html") if o == "REPORT" else o for o in options]
    completed = run(str(data), "--y", "y", *options)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    message = " ".join(completed.stderr.split())
    assert said in message and "odd.csv" in message
    assert not (tmp_path / "r.html").exists()
