"""`benchlearn fit --model` and `benchlearn curve --model`: curves that bend (in-process)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import curve_fit

from benchlearn.analysis import bending_standard_curve, fit_curve
from benchlearn.data import load_dnase, load_puromycin, read_table


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nonlinear")
    dnase = load_dnase().frame
    dnase[dnase["Run"] == 1].to_csv(folder / "elisa.csv", index=False)
    two = dnase[dnase["Run"].isin([1, 2])].rename(columns={"Run": "line"})
    two.to_csv(folder / "two_lines.csv", index=False)
    load_puromycin().frame.to_csv(folder / "puromycin.csv", index=False)
    pd.DataFrame({"sample": ["s1", "s1", "s2", "s3"], "density": [0.30, 0.32, 1.2, 3.5]}).to_csv(
        folder / "samples.csv", index=False
    )
    pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "y": [5, 5.1, 4.9, 5.05, 4.95, 5.02]}).to_csv(
        folder / "flat.csv", index=False
    )
    return folder


@pytest.fixture(scope="module")
def elisa(cli, files):
    out, report = files / "elisa.json", files / "elisa.html"
    done = cli(
        "curve",
        str(files / "elisa.csv"),
        "--x",
        "conc",
        "--y",
        "density",
        "--model",
        "4pl",
        "--unknowns",
        str(files / "samples.csv"),
        "--json",
        str(out),
        "--report",
        str(report),
        columns=120,
    )
    assert done.returncode == 0, done.stderr
    return done, json.loads(out.read_text()), report.read_text()


def without_reading(numbers: dict) -> dict:
    return {k: v for k, v in numbers.items() if k not in ("reading", "source")}


def test_elisa_4pl_standard_curve_json_equals_the_analysis(elisa, files):
    _, numbers, _ = elisa
    analysis = bending_standard_curve(
        read_table(files / "elisa.csv"),
        "conc",
        "density",
        model="4pl",
        unknowns=read_table(files / "samples.csv"),
    )
    assert without_reading(numbers) == without_reading(analysis.to_dict())
    assert numbers["parameters"]["hill"]["label"] == "Hill slope"
    assert numbers["parameters"]["EC50"]["interval"] == "profile"


def test_elisa_4pl_parameters_agree_with_scipy_curve_fit(elisa, files):
    _, numbers, _ = elisa
    data = pd.read_csv(files / "elisa.csv")

    def four_pl(x, bottom, top, ec50, hill):
        return bottom + (top - bottom) / (1 + (ec50 / x) ** hill)

    p, pcov = curve_fit(
        four_pl, data["conc"], data["density"], p0=[0, 2, 4, 1], xtol=1e-14, ftol=1e-14, gtol=1e-14
    )
    ours = numbers["parameters"]
    names = ["bottom", "top", "EC50", "hill"]
    for name, value, se in zip(names, p, np.sqrt(np.diag(pcov)), strict=True):
        assert ours[name]["estimate"] == pytest.approx(value, abs=1e-5 * se)  # in units of its SE
        assert ours[name]["std_error"] == pytest.approx(se, rel=1e-5)


def test_elisa_terminal_shows_parameters_limits_and_flagged_unknowns(elisa):
    done, numbers, _ = elisa
    text = done.stdout
    for words in ["Hill slope", "EC50", "profile", "Limit of detection", "Unknown samples"]:
        assert words in text
    s3 = next(u for u in numbers["unknowns"] if u["sample"] == "s3")
    assert s3["estimate"] is None and "plateau" in s3["flag"]
    assert "Flag: sample s3" in " ".join(text.split())
    s1 = next(u for u in numbers["unknowns"] if u["sample"] == "s1")
    assert s1["n_replicates"] == 2 and s1["flag"] == ""


def test_elisa_report_holds_the_curve_bands_residuals_and_parameter_table(elisa):
    _, _, html = elisa
    assert 'id="parameters"' in html and "Hill slope" in html
    for figure in ['id="curve"', 'id="residuals"', 'id="unknowns-figure"']:
        assert figure in html
    assert "confidence-band" in html and "prediction-band" in html
    assert "http://" not in html.replace("http://www.w3.org", "")


def test_puromycin_michaelis_menten_through_fit_matches_r(cli, files):
    done = cli(
        "fit",
        str(files / "puromycin.csv"),
        "--y",
        "rate",
        "--x",
        "conc",
        "--model",
        "michaelis-menten",
        "--json",
        "-",
    )
    assert done.returncode == 0, done.stderr
    numbers = json.loads(done.stdout)
    # all 23 rows, both states: R's nls(rate ~ SSmicmen(conc, Vm, K), Puromycin) would give
    # the same; here the treated-only values are checked through --group below.
    assert numbers["model"] == "michaelis-menten"
    assert numbers["n_samples"] == 23
    grouped = cli(
        "fit",
        str(files / "puromycin.csv"),
        "--y",
        "rate",
        "--x",
        "conc",
        "--model",
        "mm",
        "--group",
        "state",
        "--json",
        "-",
    )
    assert grouped.returncode == 0, grouped.stderr
    treated = json.loads(grouped.stdout)["groups"]["parameters"]["treated"]
    # R, ?Puromycin: Vm 212.7 (SE 6.947), K 0.06412 (SE 0.008281)
    assert treated["Vmax"]["estimate"] == pytest.approx(212.7, abs=0.05)
    assert treated["Vmax"]["std_error"] == pytest.approx(6.947, abs=5e-4)
    assert treated["Km"]["estimate"] == pytest.approx(0.06412, abs=5e-6)
    assert treated["Km"]["std_error"] == pytest.approx(0.008281, abs=5e-7)


def test_two_cell_lines_dose_response_comparison(cli, files):
    report = files / "lines.html"
    done = cli(
        "fit",
        str(files / "two_lines.csv"),
        "--y",
        "density",
        "--x",
        "conc",
        "--model",
        "dose-response",
        "--group",
        "line",
        "--json",
        "-",
        "--report",
        str(report),
    )
    assert done.returncode == 0, done.stderr
    numbers = json.loads(done.stdout)
    analysis = fit_curve(
        read_table(files / "two_lines.csv"), "density", "conc", model="dose-response", group="line"
    )
    assert without_reading(numbers) == without_reading(analysis.to_dict())
    ec50 = next(t for t in numbers["groups"]["tests"] if t["shared"] == ["EC50"])
    assert ec50["df1"] == 1 and 0 < ec50["p_value"] < 1
    assert any("Is EC50 the same in every line?" in s for s in numbers["reading"])
    (potency,) = numbers["groups"]["relative_potency"]
    assert potency["reference"] == "1" and potency["lower"] < potency["potency"] < potency["upper"]
    html = report.read_text()
    assert 'id="groups"' in html and 'id="group-tests"' in html


def test_a_fit_that_fails_exits_2_saying_what_to_check(cli, files):
    done = cli("fit", str(files / "flat.csv"), "--y", "y", "--x", "x", "--model", "mm")
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert message.startswith("Error: file flat.csv, michaelis-menten curve of `y` against `x`")
    assert "--fix" in message and "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--model", "4pl", "--degree", "2"], "--degree cannot be used with --model"),
        (["--model", "mm", "--log-x"], "Drop --log-x"),
        (["--model", "4pl", "--fix", "bottom"], "is not NAME=VALUE"),
        (["--model", "4pl", "--fix", "floor=0"], "cannot fix 'floor'"),
        (["--model", "sigmoid"], "no built-in curve named 'sigmoid'"),
        (["--shared", "EC50"], "go with --model"),
    ],
)
def test_unusable_options_exit_2_with_a_message(cli, files, args, expected):
    done = cli("fit", str(files / "elisa.csv"), "--y", "density", "--x", "conc", *args)
    assert done.returncode == 2
    assert expected in " ".join(done.stderr.split())


def test_help_explains_the_curve_options_in_plain_words(cli):
    fit_help = " ".join(cli("fit", "--help", columns=200).stdout.split())
    assert "michaelis-menten" in fit_help and "--reference" in fit_help
    curve_help = " ".join(cli("curve", "--help", columns=200).stdout.split())
    assert "--max-cv" in curve_help and "near a plateau" in curve_help


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--model", "4pl", "--qpcr"], "--qpcr cannot be used with --model"),
        (["--fix", "bottom=0"], "--fix holds a parameter of a --model curve"),
        (["--model", "4pl", "--max-cv", "0"], "--max-cv 0.0 must be above 0"),
    ],
)
def test_curve_refuses_options_that_do_not_go_with_a_bending_curve(cli, files, args, expected):
    done = cli("curve", str(files / "elisa.csv"), "--x", "conc", "--y", "density", *args)
    assert done.returncode == 2
    assert expected in " ".join(done.stderr.split())


def test_a_standard_curve_that_cannot_be_fitted_exits_2(cli, files):
    done = cli("curve", str(files / "flat.csv"), "--x", "x", "--y", "y", "--model", "mm")
    assert done.returncode == 2
    assert "the data do not determine Km" in " ".join(done.stderr.split())


def test_a_bending_curves_unknown_with_an_empty_signal_is_refused_by_its_row(cli, files):
    unknowns = files / "gap.csv"
    unknowns.write_text("sample,density\ns1,0.30\ns2,\n")
    done = cli("curve", str(files / "elisa.csv"), "--x", "conc", "--y", "density", "--model",
               "4pl", "--unknowns", str(unknowns))  # fmt: skip
    assert done.returncode == 2, done.stderr
    message = " ".join(done.stderr.split())
    assert "row 3" in message and "(s2)" in message and "gap.csv" in message
