"""`benchlearn curve` on files in the test tree (in-process; the first case end to end)."""

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


@pytest.fixture(scope="session")
def run_installed(installed):
    """``benchlearn curve ARGS`` end to end in a new process."""
    return lambda *args, **options: installed("curve", *args, **options)


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
def result(tmp_path_factory, run_installed):
    folder = tmp_path_factory.mktemp("curve")
    out, report = folder / "curve.json", folder / "curve.html"
    completed = run_installed(str(DATA / "bca_standards.csv"), "--x", "conc_ug_ml", "--y", "A562",
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
    assert limits["sigma"] == pytest.approx(sigma, rel=1e-10)
    assert limits["lod"] == pytest.approx(3.3 * sigma / slope, rel=1e-10)
    assert limits["loq"] == pytest.approx(10 * sigma / slope, rel=1e-10)
    assert "3.3·σ/slope" in limits["method"] and "residual SD" in limits["sigma_source"]
    shown = (
        f"(LOD) {3.3 * sigma / slope:.4g}, limit of quantification (LOQ) {10 * sigma / slope:.4g}"
    )
    assert shown in words(completed.stdout)
    assert "residual SD of the calibration" in words(completed.stdout)
    assert shown in html and "LOD = 3.3·σ/slope, LOQ = 10·σ/slope" in html


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
