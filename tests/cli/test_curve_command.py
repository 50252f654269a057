"""`benchlearn curve` on files in the test tree, in-process (the installed command runs end to end
in tests/cli/test_fit_command.py and tests/cli/test_main.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def run(cli):
    """``benchlearn curve ARGS`` in-process (tests/conftest.py)."""
    return lambda *args, **options: cli("curve", *args, **options)


def words(text: str) -> str:
    """Terminal text with rich's line wrapping undone."""
    return " ".join(text.split())


def fieller(x, y, y0, m, multiplier):
    """Draper & Smith §3.2 calibration interval, with the given t-like multiplier."""
    n, xbar = len(x), x.mean()
    sxx = np.sum((x - xbar) ** 2)
    b = np.sum((x - xbar) * (y - y.mean())) / sxx
    a = y.mean() - b * xbar
    s = np.sqrt(np.sum((y - a - b * x) ** 2) / (n - 2))
    x0 = (y0 - a) / b
    g = multiplier**2 * s**2 / (b**2 * sxx)
    half = (
        multiplier * s / (b * (1 - g)) * np.sqrt((1 - g) * (1 / m + 1 / n) + (x0 - xbar) ** 2 / sxx)
    )
    centre = xbar + (x0 - xbar) / (1 - g)
    return x0, centre - half, centre + half


@pytest.fixture(scope="module")
def result(tmp_path_factory, run):
    folder = tmp_path_factory.mktemp("curve")
    out, report = folder / "curve.json", folder / "curve.html"
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562",
                    "--unknowns", str(DATA / "bca_unknowns.csv"), "--json", str(out),
                    "--report", str(report))  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return completed, json.loads(out.read_text()), report.read_text()


@pytest.fixture(scope="module")
def bca_statsmodels():
    standards = pd.read_csv(DATA / "bca_standards.csv")
    x, y = standards["conc_ug_ml"].to_numpy(), standards["A562"].to_numpy()
    return x, y, sm.OLS(y, sm.add_constant(x)).fit()


def test_interpolated_concentrations_equal_a_hand_computed_inverse_prediction(result):
    _, numbers, _ = result
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
    completed, numbers, _ = result
    lysate_3 = next(u for u in numbers["unknowns"] if u["sample"] == "lysate_3")
    assert lysate_3["in_range"] is False
    assert lysate_3["interval_kind"] == "extrapolated"
    assert "outside the calibrated range" in lysate_3["note"]
    table_row = next(line for line in completed.stdout.splitlines() if "lysate_3" in line)
    assert "extrapolated" in table_row and "OUTSIDE RANGE" in table_row
    assert "Flag: sample lysate_3" in completed.stdout
    for inside in ("lysate_1", "lysate_2"):
        row = next(
            line for line in completed.stdout.splitlines() if line.strip().startswith(inside)
        )
        assert "calibrated" in row and "OUTSIDE" not in row


def test_extrapolated_interval_is_the_wider_working_hotelling_one(result, bca_statsmodels):
    _, numbers, _ = result
    x, y, _ = bca_statsmodels
    lysate_3 = next(u for u in numbers["unknowns"] if u["sample"] == "lysate_3")
    y0 = (1.950 + 1.990) / 2
    working_hotelling = np.sqrt(2 * stats.f.ppf(0.95, 2, len(x) - 2))
    _, lower, upper = fieller(x, y, y0, 2, working_hotelling)
    _, t_lower, t_upper = fieller(x, y, y0, 2, stats.t.ppf(0.975, len(x) - 2))
    assert lysate_3["multiplier"] == pytest.approx(working_hotelling, rel=1e-12)
    assert lysate_3["lower"] == pytest.approx(lower, rel=1e-9)
    assert lysate_3["upper"] == pytest.approx(upper, rel=1e-9)
    assert lysate_3["lower"] < t_lower and lysate_3["upper"] > t_upper


def test_unknown_outside_the_range_is_flagged_and_labelled_in_the_report(result):
    _, _, html = result
    rows = {row.split("</td>")[0].split("<td>")[-1]: row for row in html.split("<tr")[1:]}
    assert rows["lysate_3"].startswith(" class='out-of-range'")
    assert "<td>extrapolated</td>" in rows["lysate_3"] and "OUTSIDE RANGE" in rows["lysate_3"]
    assert rows["lysate_1"].startswith(" class='in-range'")
    assert "<td>calibrated</td>" in rows["lysate_1"]
    assert "Working-Hotelling" in html
    figure = html[html.index("<figure id='unknowns-figure'>") :]
    assert "<svg" in figure[:200] and "Red: extrapolated" in figure


def test_detection_limits_equal_the_formula_on_statsmodels_fit(result, bca_statsmodels):
    completed, numbers, html = result
    _, _, fit = bca_statsmodels
    sigma, slope = np.sqrt(fit.scale), fit.params[1]
    limits = numbers["detection_limits"]
    assert limits["method"] == "ich-residual-sd"  # the default, stated beside the numbers
    lod, loq = limits["quantities"]["lod"], limits["quantities"]["loq"]
    assert limits["quantities"]["sigma"]["value"] == pytest.approx(sigma, rel=1e-10)
    assert lod["value"] == pytest.approx(3.3 * sigma / slope, rel=1e-10)
    assert loq["value"] == pytest.approx(10 * sigma / slope, rel=1e-10)
    assert lod["formula"] == "LOD = 3.3·σ/S" and "residual SD" in lod["convention"]
    conventions = numbers["conventions"]
    assert conventions["lod_method"]["name"] == conventions["lod_method"]["default"]
    assert conventions["interval"]["name"] == "fieller" and conventions["level"] == 0.95
    shown = f"LOD = {3.3 * sigma / slope:.6g} [ICH Q2(R1), σ = residual SD of the calibration: "
    assert shown + "LOD = 3.3·σ/S]" in words(completed.stdout)
    assert "ich-residual-sd (ICH Q2(R1), σ = residual SD of the calibration), the default" in (
        words(completed.stdout))  # fmt: skip
    assert shown in words(html) and "LOQ = 10·σ/S" in html and "id='conventions'" in html


def test_calibrated_and_linear_ranges_are_reported(result):
    _, numbers, _ = result
    assert numbers["calibrated_range"] == [0, 1000]
    assert numbers["linear_range"] == [0, 1000]


@pytest.fixture(scope="module")
def hook(tmp_path_factory, run):
    out = tmp_path_factory.mktemp("hook") / "hook.json"
    completed = run(str(DATA / "curve_hook_standards.csv"), "--x", "conc_ng_ml", "--y", "OD450",
                    "--degree", "2", "--unknowns", str(DATA / "curve_hook_unknowns.csv"),
                    "--json", str(out))  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return completed, json.loads(out.read_text())


def test_hook_curve_returns_both_concentrations_of_the_quadratic_formula(hook):
    completed, numbers = hook
    standards = pd.read_csv(DATA / "curve_hook_standards.csv")
    x = standards["conc_ng_ml"].to_numpy()
    design = np.column_stack([np.ones_like(x), x, x**2])
    c0, c1, c2 = sm.OLS(standards["OD450"].to_numpy(), design).fit().params
    y0 = (1.195 + 1.205) / 2
    disc = np.sqrt(c1**2 - 4 * c2 * (c0 - y0))
    roots = sorted([(-c1 + disc) / (2 * c2), (-c1 - disc) / (2 * c2)])
    serum_a = next(u for u in numbers["unknowns"] if u["sample"] == "serum_A")
    np.testing.assert_allclose(serum_a["all_estimates"], roots, rtol=1e-9)
    assert serum_a["estimate"] == pytest.approx(roots[0], rel=1e-9)
    (other,) = serum_a["also_consistent_with"]
    assert other["estimate"] == pytest.approx(roots[1], rel=1e-9)
    assert other["lower"] < roots[1] < other["upper"]
    assert f"Sample serum_A: also consistent with conc_ng_ml = {roots[1]:.4g}" in words(
        completed.stdout
    )
    serum_b = next(u for u in numbers["unknowns"] if u["sample"] == "serum_B")
    assert serum_b["also_consistent_with"] == []
    # Above the curve's maximum c0 - c1²/(4 c2) no concentration gives the signal.
    assert c0 - c1**2 / (4 * c2) < 1.9
    serum_c = next(u for u in numbers["unknowns"] if u["sample"] == "serum_C")
    assert serum_c["interval_kind"] == "none" and serum_c["estimate"] is None
    assert serum_c["all_estimates"] == [] and not serum_c["in_range"]
    row = next(line for line in completed.stdout.splitlines() if "serum_C" in line)
    assert "NO MATCH" in row
    # The vertex of c0 + c1 x + c2 x² is at -c1 / (2 c2), inside the 0-100 standards.
    assert numbers["turning_points"] == pytest.approx([-c1 / (2 * c2)], rel=1e-9)
    assert "changes direction" in words(completed.stdout)
    assert "not computed with --degree > 1" in numbers["detection_limits_note"]


def test_slope_equals_one_matches_statsmodels_t_test(tmp_path, run):
    out, report = tmp_path / "comparison.json", tmp_path / "comparison.html"
    completed = run(str(DATA / "curve_method_comparison.csv"), "--x", "reference_mmol_l",
                    "--y", "new_method_mmol_l", "--slope-equals", "1", "--level", "0.9",
                    "--json", str(out), "--report", str(report))  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    frame = pd.read_csv(DATA / "curve_method_comparison.csv")
    fit = sm.OLS(frame["new_method_mmol_l"], sm.add_constant(frame["reference_mmol_l"])).fit()
    reference = fit.t_test("reference_mmol_l = 1")
    test = json.loads(out.read_text())["slope_test"]
    assert test["value"] == 1.0 and test["df"] == fit.df_resid
    assert test["t"] == pytest.approx(float(reference.tvalue.item()), rel=1e-10)
    assert test["p_value"] == pytest.approx(float(reference.pvalue), rel=1e-8)
    lower, upper = fit.conf_int(alpha=0.1).loc["reference_mmol_l"]
    assert (test["ci_lower"], test["ci_upper"]) == pytest.approx((lower, upper), rel=1e-10)
    verdict = "differs from 1" if reference.pvalue < 0.1 else "No evidence that the slope differs"
    assert verdict in test["conclusion"]
    assert f"Slope test (is the slope 1?): {test['conclusion']}" in words(completed.stdout)
    assert "id='slope-test'" in report.read_text() and verdict in report.read_text()


@pytest.mark.parametrize("option", [["--slope-equals", "1"], ["--qpcr"]])
def test_slope_based_options_are_refused_for_a_curved_fit(option, run):
    completed = run(str(DATA / "curve_hook_standards.csv"), "--x", "conc_ng_ml", "--y", "OD450",
                    "--degree", "2", *option)  # fmt: skip
    assert completed.returncode == 2
    assert option[0] in completed.stderr and "--degree 2" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_weighted_curve_uses_the_weight_of_the_unknowns_reading(tmp_path, run):
    out = tmp_path / "lcms.json"
    unknowns = str(DATA / "curve_lcms_unknowns.csv")
    completed = run(str(DATA / "curve_lcms_standards.csv"), "--x", "conc_nM",
                    "--y", "peak_area_ratio", "--weight-by", "1/x2",
                    "--unknowns", unknowns, "--json", str(out))  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    numbers = json.loads(out.read_text())
    frame = pd.read_csv(DATA / "curve_lcms_standards.csv")
    x, y = frame["conc_nM"].to_numpy(), frame["peak_area_ratio"].to_numpy()
    fit = sm.WLS(y, sm.add_constant(x), weights=1 / x**2).fit()
    (a, b), cov, s2 = fit.params, fit.cov_params(), fit.scale
    plasma_1 = next(u for u in numbers["unknowns"] if u["sample"] == "plasma_1")
    y0, m = (2.41 + 2.55) / 2, 2
    x0 = (y0 - a) / b
    w0 = 1 / x0**2
    t = stats.t.ppf(0.975, fit.df_resid)
    # (y0 - a - b u)² = t² (s²/(m w0) + Var(a) + 2u Cov(a, b) + u² Var(b)), solved for u.
    lower, upper = np.sort(np.roots([
        b**2 - t**2 * cov[1, 1],
        -2 * b * (y0 - a) - 2 * t**2 * cov[0, 1],
        (y0 - a) ** 2 - t**2 * (s2 / (m * w0) + cov[0, 0]),
    ]))  # fmt: skip
    assert numbers["weighting"]["rule"] == "1/x2"
    assert plasma_1["reading_weight"] == pytest.approx(w0, rel=1e-10)
    assert plasma_1["estimate"] == pytest.approx(x0, rel=1e-10)
    assert plasma_1["lower"] == pytest.approx(lower, rel=1e-8)
    assert plasma_1["upper"] == pytest.approx(upper, rel=1e-8)
    params = {p["name"]: p for p in numbers["parameters"]}
    assert params["conc_nM"]["std_error"] == pytest.approx(fit.bse[1], rel=1e-10)
    assert "Weighted least squares with weights 1/conc_nM²" in words(completed.stdout)
    # Diagnostics use the weighted residuals: the constant-CV scatter flags no outlier.
    assert numbers["outlier_rows"] == []


def test_unknown_weight_rule_is_a_usage_error(run):
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562",
                    "--weight-by", "1/z")  # fmt: skip
    assert completed.returncode == 2
    assert "1/x2" in completed.stderr and "Traceback" not in completed.stderr


def test_qpcr_curve_reports_efficiency(tmp_path, cli, run):
    standards = tmp_path / "qpcr.csv"
    assert cli("datasets", "export", "qpcr_standard_curve", str(standards)).returncode == 0
    out = tmp_path / "qpcr.json"
    completed = run(str(standards), "--x", "copies", "--y", "ct", "--log-x", "--qpcr",
                    "--json", str(out))  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "Amplification efficiency" in completed.stdout
    frame = pd.read_csv(standards)
    log_copies = np.log10(frame["copies"].rename("log_copies"))
    fit = sm.OLS(frame["ct"], sm.add_constant(log_copies)).fit()
    reference = fit.t_test(f"log_copies = {float(-1 / np.log10(2))!r}")
    test = json.loads(out.read_text())["slope_test"]
    assert test["value"] == pytest.approx(-1 / np.log10(2), rel=1e-15)
    assert test["t"] == pytest.approx(float(reference.tvalue.item()), rel=1e-9)
    assert test["p_value"] == pytest.approx(float(reference.pvalue), rel=1e-7)


def test_log_x_with_a_zero_standard_names_the_row(tmp_path, run):
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562", "--log-x")
    assert completed.returncode == 2
    assert "row 2, column `conc_ug_ml`" in completed.stderr and "positive" in completed.stderr


def test_unknowns_file_with_a_bad_cell_gives_the_data_layers_message(tmp_path, run):
    bad = tmp_path / "samples.csv"
    bad.write_text("sample,A562\nS1,0.5\nS2,high\n")
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562",
                    "--unknowns", str(bad))  # fmt: skip
    assert completed.returncode == 2
    assert "row 3, column `A562`: 'high' is not a number" in completed.stderr


BCA = [str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562"]


def curve_json(run, *args):
    completed = run(*BCA, *args, "--json", "-")
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.parametrize(
    ("method", "key", "formula"),
    [("ich-intercept-se", "lod", "LOD = 3.3·σ/S"), ("blank-3s", "lod", "x_LOD = 3·s_y/x / b"),
     ("din32645", "critical_value", "x_NG = s_x0·t(ν;1-α)·sqrt(1/m + 1/n + x̄²/Sxx)")],
)  # fmt: skip
def test_lod_method_picks_the_convention_and_labels_every_limit(run, method, key, formula):
    from benchlearn import LinearRegression
    from benchlearn.assay import detection_limits

    numbers = curve_json(run, "--lod-method", method)
    standards = pd.read_csv(DATA / "bca_standards.csv")
    model = LinearRegression().fit(standards[["conc_ug_ml"]], standards["A562"])
    expected = detection_limits(model, method)
    limits = numbers["detection_limits"]
    assert limits["method"] == method and numbers["conventions"]["lod_method"]["name"] == method
    assert numbers["conventions"]["lod_method"]["default"] == "ich-residual-sd"
    assert limits["quantities"][key]["value"] == pytest.approx(expected[key].value, rel=1e-12)
    assert limits["quantities"][key]["formula"] == formula
    for entry in limits["quantities"].values():
        assert entry["convention"] == expected["lod"].convention and entry["formula"]


def test_blank_sd_convention_reads_the_blanks_file(run, tmp_path):
    blanks = tmp_path / "blanks.csv"
    pd.DataFrame({"A562": [0.101, 0.108, 0.097, 0.104], "well": list("abcd")}).to_csv(
        blanks, index=False)  # fmt: skip
    standards = pd.read_csv(DATA / "bca_standards.csv")
    slope = np.polyfit(standards["conc_ug_ml"], standards["A562"], 1)[0]
    sd = np.std([0.101, 0.108, 0.097, 0.104], ddof=1)
    for spec in (str(blanks), f"{blanks}:A562"):
        numbers = curve_json(run, "--lod-method", "ich-blank-sd", "--blanks", spec)
        lod = numbers["detection_limits"]["quantities"]["lod"]
        assert lod["value"] == pytest.approx(3.3 * sd / slope, rel=1e-9)
        assert "blank" in lod["convention"]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--lod-method", "3sigma"], "not one of"),
     (["--lod-method", "ich-blank-sd"], "--blanks"),
     (["--blanks", "b.csv"], "--lod-method ich-blank-sd"),
     (["--interval", "wald"], "not one of"),
     (["--interval", "symmetric", "--degree", "2"], "straight line")],
)  # fmt: skip
def test_convention_options_that_cannot_work_exit_2(run, args, message):
    completed = run(*BCA, *args)
    assert completed.returncode == 2
    assert message in words(completed.stderr) and "Traceback" not in completed.stderr


@pytest.mark.parametrize("interval", ["symmetric", "multiple-use"])
def test_interval_option_gives_the_named_interval_with_s_x0(run, interval):
    from benchlearn import LinearRegression
    from benchlearn.assay import INTERVAL_METHODS, inverse_prediction

    numbers = curve_json(run, "--unknowns", str(DATA / "bca_unknowns.csv"), "--interval",
                         interval, "--level", "0.9")  # fmt: skip
    standards = pd.read_csv(DATA / "bca_standards.csv")
    model = LinearRegression().fit(standards[["conc_ug_ml"]], standards["A562"])
    row = next(r for r in numbers["unknowns"] if r["in_range"])
    expected = inverse_prediction(model, row["signal"], n_replicates=row["n_replicates"],
                                  interval=interval, level=0.9)  # fmt: skip
    assert row["lower"] == pytest.approx(expected.estimate.lower, rel=1e-9)
    assert row["upper"] == pytest.approx(expected.estimate.upper, rel=1e-9)
    assert row["s_x0"] == pytest.approx(expected.std_error.value, rel=1e-12)
    assert row["convention"] == INTERVAL_METHODS[interval]["convention"]
    assert numbers["conventions"]["interval"] | {"name": interval, "default": "fieller"} == (
        numbers["conventions"]["interval"])  # fmt: skip
    assert numbers["conventions"]["s_x0"]["formula"].startswith("s_x0 = ")


def test_calibration_statistics_give_r_s_x0_and_its_relative_form(run, bca_statsmodels):
    _, _, fit = bca_statsmodels
    completed = run(*BCA, "--json", "-")
    calibration = json.loads(completed.stdout)["calibration"]["quantities"]
    x = pd.read_csv(DATA / "bca_standards.csv")["conc_ug_ml"]
    s_x0 = np.sqrt(fit.scale) / fit.params[1]
    assert calibration["r"]["value"] == pytest.approx(np.sqrt(fit.rsquared), rel=1e-12)
    assert calibration["method_sd"]["value"] == pytest.approx(s_x0, rel=1e-10)
    assert calibration["relative_method_sd"]["value"] == pytest.approx(s_x0 / x.mean(), rel=1e-10)
    for entry in calibration.values():
        assert entry["convention"] and entry["formula"]
    out = run(*BCA).stdout
    assert "r = " in words(out) and "s_x0 = s_y/x / b" in words(out)


def test_weighted_unknowns_carry_the_weight_of_their_reading_from_the_rule(run):
    completed = run(str(DATA / "curve_lcms_standards.csv"), "--x", "conc_nM", "--y",
                    "peak_area_ratio", "--weight-by", "1/x2", "--unknowns",
                    str(DATA / "curve_lcms_unknowns.csv"), "--json", "-")  # fmt: skip
    rows = json.loads(completed.stdout)["unknowns"]
    for row in rows:
        assert row["reading_weight"] == pytest.approx(1 / row["estimate"] ** 2, rel=1e-12)
        assert row["weight_source"] == "rule 1/x2 at the estimated concentration"
    text = words(run(str(DATA / "curve_lcms_standards.csv"), "--x", "conc_nM", "--y",
                     "peak_area_ratio", "--weight-by", "1/x2", "--unknowns",
                     str(DATA / "curve_lcms_unknowns.csv")).stdout)  # fmt: skip
    assert "Reading weight w0: rule 1/x2 at the estimated concentration" in text


def test_qpcr_shows_the_amplification_factor_beside_the_efficiency(tmp_path, cli, run):
    standards = tmp_path / "qpcr.csv"
    assert cli("datasets", "export", "qpcr_standard_curve", str(standards)).returncode == 0
    completed = run(str(standards), "--x", "copies", "--y", "ct", "--log-x", "--qpcr",
                    "--level", "0.9", "--json", "-")  # fmt: skip
    qpcr = json.loads(completed.stdout)["qpcr"]["quantities"]
    factor, efficiency = qpcr["amplification_factor"], qpcr["efficiency"]
    assert factor["value"] == pytest.approx(efficiency["value"] + 1, rel=1e-12)
    assert factor["value"] == pytest.approx(10 ** (-1 / qpcr["slope"]["value"]), rel=1e-12)
    assert factor["formula"] == "A = 10^(-1/b)" and factor["level"] == 0.9
    assert efficiency["formula"] == "E = 10^(-1/b) - 1"
    text = words(run(str(standards), "--x", "copies", "--y", "ct", "--log-x", "--qpcr").stdout)
    assert "beside the amplification factor A = " in text


def test_numeric_sample_ids_are_averaged_as_one_sample_each(tmp_path, run):
    unknowns = tmp_path / "unk.csv"
    unknowns.write_text("sample,A562\n101,0.512\n101,0.530\n102,0.880\n")
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562",
                    "--unknowns", str(unknowns), "--json", "-")  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    rows = json.loads(completed.stdout)["unknowns"]
    assert [(r["sample"], r["n_replicates"]) for r in rows] == [("101", 2), ("102", 1)]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("sample,A562\nlysate_1,0.512\nlysate_2,\nlysate_3,0.9\n", ["row 3", "lysate_2", "signal"]),
        ("sample,A562\nlysate_1,0.512\n,0.6\n,0.9\n", ["rows 3, 4", "no sample name"]),
    ],
    ids=["empty signal", "blank names"],
)
def test_an_unknown_row_that_would_be_lost_or_merged_is_refused_by_its_row(
    tmp_path, run, text, said
):
    unknowns = tmp_path / "unk.csv"
    unknowns.write_text(text)
    completed = run(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562",
                    "--unknowns", str(unknowns))  # fmt: skip
    assert completed.returncode == 2, completed.stderr
    message = words(completed.stderr)
    assert all(piece in message for piece in said), message
    assert "unk.csv" in message


LINE = "x,y\n1,3\n2,5\n3,7\n4,9\n5,11\n"
NOISY = "x,y\n1,3.1\n2,4.9\n3,7.2\n4,8.8\n5,11.1\n"


@pytest.mark.parametrize(
    ("text", "options", "said"),
    [
        (LINE, ["--report", "REPORT"], "lie exactly on the fitted curve"),
        ("x,y\n1,30\n2,26.68\n3,23.36\n4,20.04\n5,16.72\n", ["--qpcr"],
         "lie exactly on the fitted curve"),
        (LINE, ["--slope-equals", "2", "--json", "-"], "lie exactly on the fitted curve"),
        (NOISY, ["--slope-equals", "inf"], "--slope-equals inf is not a finite number"),
        (NOISY, ["--slope-equals", "nan"], "--slope-equals nan is not a finite number"),
        ("x,y\n1,1e-310\n2,2.1e-310\n3,2.9e-310\n4,4.2e-310\n", [],
         "too close to the limits of double precision"),
        ("x,y\n1e200,1\n2e200,2.1\n3e200,2.9\n4e200,4.2\n", [],
         "too close to the limits of double precision"),
    ],
    ids=["perfect line report", "perfect qpcr", "perfect line slope test", "slope inf",
         "slope nan", "values near 1e-310", "x near 1e200"],
)  # fmt: skip
def test_exact_or_degenerate_standards_are_refused_with_a_message(
    tmp_path, run, text, options, said
):
    data = tmp_path / "std.csv"
    data.write_text(text)
    options = [str(tmp_path / "r.html") if o == "REPORT" else o for o in options]
    completed = run(str(data), "--x", "x", "--y", "y", *options)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert said in words(completed.stderr)
    assert not (tmp_path / "r.html").exists()


def test_a_scattered_qpcr_curve_with_a_slope_test_and_report_writes_only_finite_numbers(
    tmp_path, run
):
    data = tmp_path / "qpcr.csv"
    data.write_text("x,y\n1,30.1\n2,26.5\n3,23.5\n4,19.9\n5,16.8\n")
    report = tmp_path / "r.html"
    completed = run(str(data), "--x", "x", "--y", "y", "--qpcr", "--slope-equals", "-3.3",
                    "--report", str(report), "--json", "-")  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "NaN" not in completed.stdout and "Infinity" not in completed.stdout
    numbers = json.loads(completed.stdout)
    assert numbers["slope_test"]["value"] == -3.3
    assert numbers["slope_test"]["slope"] == pytest.approx(-3.32)
    assert 0 < numbers["qpcr"]["quantities"]["efficiency"]["value"] < 2
    assert report.stat().st_size > 0


def test_unknowns_sheet_and_decimal_reach_the_unknowns_file(tmp_path, run):
    # one workbook from a decimal-comma lab: notes first, the standards, then the unknowns on
    # a sheet named "2", their signals written as text the cells alone cannot settle ("1,234")
    standards = pd.read_csv(DATA / "bca_standards.csv")
    as_text = standards.astype(str).map(lambda cell: cell.replace(".", ","))
    book = tmp_path / "plate.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"note": ["read on the plate reader"]}).to_excel(
            writer, sheet_name="notes", index=False
        )
        as_text.to_excel(writer, sheet_name="standards", index=False)
        pd.DataFrame({"sample": ["S1", "S2"], "A562": ["1,567", "1,234"]}).to_excel(
            writer, sheet_name="2", index=False
        )
    base = [str(book), "--sheet", "standards", "--x", "conc_ug_ml", "--y", "A562",
            "--unknowns", str(book), "--unknowns-sheet", "2", "--json", "-"]  # fmt: skip
    refused = run(*base)
    assert refused.returncode == 2 and "--decimal" in words(refused.stderr)
    read = run(*base, "--decimal", ",")
    assert read.returncode == 0, read.stderr
    signals = {u["sample"]: u["signal"] for u in json.loads(read.stdout)["unknowns"]}
    assert signals == {"S1": pytest.approx(1.567), "S2": pytest.approx(1.234)}
    plain = json.loads(run(*BCA, "--json", "-").stdout)["parameters"]
    for ours, reference in zip(json.loads(read.stdout)["parameters"], plain, strict=True):
        assert ours["estimate"] == pytest.approx(reference["estimate"], rel=1e-12)
