"""Every dataset is documented, deterministic, and (for simulations) its truth is recoverable."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import curve_fit
from scipy.stats import chi2

from benchlearn import LinearRegression
from benchlearn.data import (
    list_datasets,
    load_breast_cancer,
    load_dataset,
    load_diabetes,
    simulate_compound_library,
    simulate_dose_response,
    simulate_patient_subtypes,
    simulate_protein_assay,
    simulate_qpcr_standard_curve,
)
from benchlearn.errors import UsageError

NAMES = list(list_datasets()["name"])


def test_registry_lists_real_and_simulated_datasets():
    table = list_datasets()
    assert {"diabetes", "breast_cancer", "protein_assay", "qpcr_standard_curve", "dose_response",
            "patient_subtypes", "compound_library"} <= set(table["name"])  # fmt: skip
    assert set(table["kind"]) == {"real", "simulated"}


@pytest.mark.parametrize("name", NAMES)
def test_every_column_has_a_meaning_with_a_unit_and_a_source(name):
    data = load_dataset(name)
    assert set(data.frame.columns) <= set(data.columns)
    for column in data.frame.columns:
        assert "(" in data.columns[column], f"{column}: no unit in {data.columns[column]!r}"
    assert data.description and data.source and data.citation
    assert data.target is None or data.target in data.frame.columns
    assert set(data.features) <= set(data.frame.columns)


@pytest.mark.parametrize("name", [n for n in NAMES if load_dataset(n).kind == "simulated"])
def test_simulations_are_deterministic_with_a_seed(name):
    a, b, c = (
        load_dataset(name, random_state=3),
        load_dataset(name, random_state=3),
        load_dataset(name, random_state=4),
    )
    assert a.frame.equals(b.frame)
    assert not a.frame.equals(c.frame)
    assert a.truth


def test_real_datasets_have_their_published_shapes():
    assert load_diabetes().frame.shape == (442, 11)
    cancer = load_breast_cancer()
    assert cancer.frame.shape == (569, 31)
    assert cancer.frame["diagnosis"].value_counts().to_dict() == {"benign": 357, "malignant": 212}
    assert load_diabetes().frame["age"].between(18, 80).all()  # real units, not scaled


def test_qpcr_fit_recovers_the_efficiency_within_the_noise():
    data = simulate_qpcr_standard_curve(random_state=0)
    model = LinearRegression().fit(data.X, data.y)
    slope = model.params_.loc["log10_copies"]
    assert abs(slope["estimate"] - data.truth["slope"]) < 3 * slope["std_error"]
    efficiency = 10 ** (-1 / slope["estimate"]) - 1
    assert efficiency == pytest.approx(data.truth["efficiency"], abs=0.05)
    # The residual variance follows sigma²·chi²(dof)/dof: the stated noise must fit its 99% range.
    ratio = model.dof_resid_ * model.residual_std_**2 / data.truth["noise_sd"] ** 2
    assert chi2.ppf(0.005, model.dof_resid_) < ratio < chi2.ppf(0.995, model.dof_resid_)


def test_protein_assay_is_linear_only_in_its_stated_range():
    data = simulate_protein_assay(random_state=2)
    low, high = data.truth["linear_range"]
    inside = data.frame[data.frame["bsa_ug_per_ml"] <= 500]
    model = LinearRegression().fit(inside[["bsa_ug_per_ml"]], inside["a562"])
    slope = model.params_.loc["bsa_ug_per_ml"]
    assert slope["ci_lower"] <= data.truth["initial_slope"] * 1.02
    assert slope["ci_upper"] >= data.truth["initial_slope"] * 0.95
    assert model.intercept_ == pytest.approx(data.truth["blank"], abs=0.02)
    assert 900 < high < 1200 and low == 0
    top = data.frame["bsa_ug_per_ml"].max()
    line = data.truth["blank"] + data.truth["initial_slope"] * top
    assert data.frame.loc[data.frame["bsa_ug_per_ml"] == top, "a562"].mean() < 0.9 * line


def test_compound_potency_coefficients_are_recovered():
    data = simulate_compound_library(random_state=0)
    model = LinearRegression().fit(data.X, data.y)
    truth = data.truth["coefficients"]
    for name in ["logp", "tpsa", "mol_weight", "h_donors"]:
        row = model.params_.loc[name]
        assert abs(row["estimate"] - truth[name]) < 4 * row["std_error"], name
    assert model.residual_std_ == pytest.approx(data.truth["noise_sd"], rel=0.1)
    assert 0.005 < data.frame["hit"].mean() < 0.06


def test_patient_subtype_markers_differ_between_subtypes():
    data = simulate_patient_subtypes(random_state=0)
    means = data.frame.groupby("subtype")[data.truth["markers"]["subtype_A"]].mean().mean(axis=1)
    assert means["subtype_A"] - means.drop("subtype_A").max() == pytest.approx(2.0, abs=0.6)


def test_unknown_dataset_name_suggests_the_closest():
    with pytest.raises(UsageError, match="did you mean 'diabetes'"):
        load_dataset("diabetis")


def test_dataset_exposes_X_and_y():
    data = load_diabetes()
    assert data.X.shape == (442, 10) and data.y.name == "progression"
    np.testing.assert_array_equal(data.X.columns, data.features)


@pytest.mark.parametrize(
    ("name", "options", "shape"),
    [
        ("protein_assay", {"standards": (0, 100, 200), "replicates": 2}, (6, 2)),
        ("qpcr_standard_curve", {"log10_copies": (2, 4, 6), "replicates": 4}, (12, 3)),
        ("dose_response", {"log10_doses": (-8, -7, -6, -5), "replicates": 3}, (12, 3)),
        ("patient_subtypes", {"n_patients": 30, "n_genes": 15}, (30, 16)),
        ("compound_library", {"n_compounds": 50}, (50, 8)),
    ],
)
def test_simulation_shape_follows_its_design(name, options, shape):
    assert load_dataset(name, **options).frame.shape == shape


def test_dose_response_fit_recovers_the_hill_parameters_within_their_standard_errors():
    data = simulate_dose_response(random_state=1)

    def four_parameter_logistic(log_dose, bottom, top, log10_ec50, hill):
        return bottom + (top - bottom) / (1 + 10 ** (hill * (log_dose - log10_ec50)))

    start = [0.0, 100.0, -5.0, 1.5]
    estimate, covariance = curve_fit(four_parameter_logistic, data.X["log10_dose"], data.y, start)
    errors = np.sqrt(np.diag(covariance))
    for name, value, error in zip(["bottom", "top", "log10_ec50", "hill"], estimate, errors,
                                  strict=True):  # fmt: skip
        assert abs(value - data.truth[name]) < 4 * error, name
    residual = data.y - four_parameter_logistic(data.X["log10_dose"], *estimate)
    dof = len(residual) - 4
    ratio = float(residual @ residual) / data.truth["noise_sd"] ** 2
    assert chi2.ppf(0.005, dof) < ratio < chi2.ppf(0.995, dof)


def test_patient_subtype_marker_shift_is_recovered_by_regression_on_the_subtype():
    data = simulate_patient_subtypes(random_state=5)
    is_a = (data.frame["subtype"] == "subtype_A").astype(float).to_frame("is_subtype_A")
    for gene in data.truth["markers"]["subtype_A"]:
        model = LinearRegression().fit(is_a, data.frame[gene])
        row = model.params_.loc["is_subtype_A"]
        assert abs(row["estimate"] - data.truth["marker_shift"]) < 4 * row["std_error"], gene
    unrelated = LinearRegression().fit(is_a, data.frame["gene_040"]).params_.loc["is_subtype_A"]
    assert abs(unrelated["estimate"]) < 4 * unrelated["std_error"]


def test_patient_subtypes_refuses_more_marker_genes_than_genes():
    with pytest.raises(UsageError, match="need 15 genes, but n_genes is 12"):
        simulate_patient_subtypes(n_genes=12)
