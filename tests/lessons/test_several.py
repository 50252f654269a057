"""Part 3's several predictors on the solubility molecules: numbers equal the references'.

The lesson's run (``lesson_defs``, ``lesson_run``: one ``app.run()`` per session) at the default
descriptors is checked against statsmodels (parameter table) and scikit-learn (split scores,
cross-validation on the same folds); :mod:`benchlearn.lessons.lesson1.several` on its own.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import sklearn.linear_model
import sklearn.metrics
import sklearn.model_selection
import statsmodels.api as sm

from benchlearn.lessons.lesson1 import content, data, questions, settings, several


@pytest.fixture(scope="module")
def molecules() -> several.Molecules:
    return several.molecules()


@pytest.fixture(scope="module")
def chosen() -> list[str]:
    return list(settings.DEFAULT_PREDICTORS)


@pytest.fixture(scope="module")
def page_html(lesson_run) -> str:
    outputs, _ = lesson_run
    return "".join(getattr(output, "text", "") or "" for output in outputs)


def readout(page_html: str, testid: str) -> str:
    return re.search(rf'data-testid="readout-{testid}"><strong>([^<]*)<', page_html).group(1)


# ---- the data ---------------------------------------------------------------------------------
def test_the_molecules_are_the_published_solubility_set_with_every_descriptor(molecules):
    from benchlearn.data import load_solubility
    from benchlearn.data.molecules import DESCRIPTORS, molecular_descriptors

    frame = load_solubility().frame
    assert molecules.X.shape == (1282, len(DESCRIPTORS)) and list(molecules.X) == list(DESCRIPTORS)
    assert molecules.y.name == "logS" and molecules.y.equals(frame["logS"])
    assert molecules.in_training.sum() == 1025 and (~molecules.in_training).sum() == 257
    # the same numbers RDKit gives for a molecule computed on its own
    row = molecular_descriptors(frame["smiles"].iloc[[100]]).iloc[0]
    pd.testing.assert_series_equal(molecules.X.iloc[100], row, check_names=False)


def test_the_table_is_part_4s_computed_once(molecules):
    from benchlearn.lessons.lesson1 import biotech

    assert molecules.X is biotech.solubility_table()[1]
    assert several.molecules() is molecules


def test_every_descriptor_on_offer_is_defined_in_plain_words_before_the_chooser(page_html):
    text = re.sub(r"<[^>]+>", " ", page_html)
    chooser = page_html.index("<marimo-multiselect")
    before = re.sub(r"<[^>]+>", " ", page_html[:chooser])
    for name in several.descriptor_names():
        assert re.search(rf"\b{name}\b\s*\)?\s*:\s*\w", before), name
        assert name in several.READING_STEPS
    assert "diabetes" not in text[text.index("Several predictors") : text.index("Over-fitting")]


# ---- the numbers at the default descriptors ---------------------------------------------------
def test_the_parameter_table_is_statsmodels_ols_on_all_molecules(lesson_defs, molecules, chosen):
    assert lesson_defs["chosen"] == chosen and not lesson_defs["several_own"]
    reference = sm.OLS(molecules.y, sm.add_constant(molecules.X[chosen])).fit()
    table = lesson_defs["several_model"].params_
    np.testing.assert_allclose(table["estimate"], reference.params, rtol=1e-10)
    np.testing.assert_allclose(table["std_error"], reference.bse, rtol=1e-8)
    np.testing.assert_allclose(table[["ci_lower", "ci_upper"]], reference.conf_int(), rtol=1e-8)
    np.testing.assert_allclose(table["p_value"], reference.pvalues, rtol=1e-6, atol=1e-300)


def test_split_scores_are_scikit_learns_on_the_published_split(
    lesson_defs, molecules, chosen, page_html
):
    X, y, train = molecules.X[chosen], molecules.y, molecules.in_training
    reference = sklearn.linear_model.LinearRegression().fit(X[train], y[train])
    predicted = reference.predict(X[~train])
    scores = lesson_defs["scores"]
    assert (scores["n_train"], scores["n_test"]) == (1025, 257)
    assert scores["test_r2"] == pytest.approx(
        sklearn.metrics.r2_score(y[~train], predicted), rel=1e-10
    )
    test_rmse = sklearn.metrics.root_mean_squared_error(y[~train], predicted)
    assert scores["test_rmse"] == pytest.approx(test_rmse, rel=1e-10)
    assert scores["train_r2"] == pytest.approx(reference.score(X[train], y[train]), rel=1e-10)
    assert readout(page_html, "test-r2") == f"Test R² = {scores['test_r2']:.3f}"
    assert readout(page_html, "test-rmse") == f"Test RMSE = {test_rmse:.2f} log units"


def test_cross_validation_is_scikit_learns_cross_val_score_on_the_same_folds(
    lesson_defs, molecules, chosen, page_html
):
    from benchlearn.evaluate import KFold

    X, y = molecules.X[chosen], molecules.y
    folds = list(KFold(data.CV_FOLDS, shuffle=True, random_state=data.SEED).split(X))
    model = sklearn.linear_model.LinearRegression()
    r2 = sklearn.model_selection.cross_val_score(model, X, y, cv=folds, scoring="r2")
    rmse = -sklearn.model_selection.cross_val_score(
        model, X, y, cv=folds, scoring="neg_root_mean_squared_error"
    )
    cv_scores = lesson_defs["cv_scores"]
    np.testing.assert_allclose(cv_scores["test_r2"], r2, rtol=1e-9)
    np.testing.assert_allclose(cv_scores["test_rmse"], rmse, rtol=1e-9)
    # every molecule is in exactly one test fold
    assert sorted(np.concatenate([test for _, test in folds])) == list(range(len(y)))
    # the ± is the folds' standard deviation (n - 1), as the text says
    assert readout(page_html, "cv-rmse") == (
        f"Cross-validated RMSE = {rmse.mean():.2f} ± {rmse.std(ddof=1):.2f} log units"
    )


def test_each_readout_is_printed_once(page_html):
    for testid in ("test-r2", "test-rmse", "cv-rmse"):
        assert page_html.count(f'data-testid="readout-{testid}"') == 1, testid


def test_part_3_agrees_with_part_4_on_the_same_descriptors_and_split():
    from benchlearn import LinearRegression
    from benchlearn.evaluate import r2_score
    from benchlearn.lessons.lesson1 import biotech

    example = biotech.solubility_example(biotech.ESOL_DESCRIPTORS)
    found = several.molecules()
    X, y, train = found.X[list(biotech.ESOL_DESCRIPTORS)], found.y, found.in_training
    model = LinearRegression().fit(X[train], y[train])
    assert r2_score(y[~train], model.predict(X[~train])) == pytest.approx(example.test_r2, 1e-12)


# ---- the words match the numbers --------------------------------------------------------------
def test_lab_reading_scales_each_coefficient_to_its_step_and_gives_the_factor(lesson_defs, chosen):
    params = lesson_defs["several_model"].params_
    reading = several.lab_reading(params, chosen)
    assert list(reading.columns) == list(several.READING_HEADINGS)
    assert len(reading) == len(chosen)
    weight = reading.set_index("a molecule with").loc["100 g/mol heavier"]
    change = 100 * params.loc["mol_weight", "estimate"]
    assert weight["logS changes by"] == f"{change:+.2f}"
    low, high = (100 * params.loc["mol_weight", c] for c in ("ci_lower", "ci_upper"))
    assert weight["95% CI"] == f"{low:+.2f} to {high:+.2f}"
    assert weight["solubility in mol/L ×"] == f"{10**change:.2g}"  # 10 to the power of the change


def test_lab_reading_of_a_hand_made_table():
    params = pd.DataFrame(
        {"estimate": [0.5, -1.0], "ci_lower": [0.4, -1.2], "ci_upper": [0.6, -0.8]},
        index=["intercept", "logP"],
    )
    reading = several.lab_reading(params, ["logP"])
    assert reading.iloc[0].tolist() == [several.READING_STEPS["logP"][0], "-1.00",
                                        "-1.20 to -0.80", "0.1"]  # fmt: skip


def test_the_caution_about_polar_surface_is_what_the_data_show(molecules):
    from benchlearn import LinearRegression

    alone = LinearRegression().fit(molecules.X[["tpsa"]], molecules.y).params_
    joined = LinearRegression().fit(molecules.X[["logP", "mol_weight", "tpsa"]], molecules.y)
    assert alone.loc["tpsa", "ci_lower"] > 0 > joined.params_.loc["tpsa", "ci_upper"]
    assert molecules.X[["logP", "tpsa"]].corr().iloc[0, 1] < -0.3  # oily: little polar surface
    text = " ".join(content.SECTIONS["several_honest"].split())
    assert "on its own, more polar surface goes with better solubility" in text
    weight = molecules.X["mol_weight"]
    assert weight.median() < 175 and (weight > 500).sum() == 4
    assert "half of them weigh under 175 g/mol and only 4 over 500 g/mol" in text


def test_the_quiz_quotes_the_default_test_rmse(lesson_defs):
    question = next(q for q in questions.QUESTIONS if q.id == "rmse_meaning")
    assert f"{lesson_defs['scores']['test_rmse']:.2f} log units" in question.prompt


def test_the_split_sizes_in_the_text_are_the_data_sets():
    text = content.SECTIONS["evaluation"] + content.SECTIONS["several_predictors"]
    assert "1,025" in text and "257" in text and "1,282" in text


# ---- kept per choice of descriptors -----------------------------------------------------------
def test_the_pages_results_are_kept_for_every_learner_under_the_chosen_descriptors(lesson_defs):
    from benchlearn.lessons.shared import kept

    def never():
        raise AssertionError("computed again")

    key = lesson_defs["several_key"]
    assert key == tuple(settings.DEFAULT_PREDICTORS)
    assert kept(("several model", key), never) is lesson_defs["several_model"]
    assert kept(("several scores", key), never) is lesson_defs["scores"]
    assert kept(("several folds", key), never) is lesson_defs["cv_scores"]
    assert kept(("several residuals", key), never) is lesson_defs["residual_figure"]


# ---- a learner's own file drives the same cells -----------------------------------------------
# The section's cells run on their own (marimo's Cell.run) with the upstream names a loaded file
# gives them; the whole app on a file is tests/lessons/test_app_own_data.py.
SECTION_CELLS = ["several", "several_own", "X_several", "several_model", "scores", "cv_scores",
                 "residual_figure", "several_reading", "split_readouts("]  # fmt: skip


def run_section(names: dict) -> tuple[dict, str]:
    """Run the section's cells in page order from ``names``; its definitions and its panel."""
    from benchlearn.lessons.lesson1.app import app

    cells = {data.code: data.cell for data in app._cell_manager.cell_data()}
    first = next(cell for code, cell in cells.items() if "import marimo as mo" in code)
    names = {**first.run()[1], **names}
    panel = ""
    for marker in SECTION_CELLS:
        cell = next(cell for code, cell in cells.items() if marker in cell.defs or
                    (marker.endswith("(") and marker in code))  # fmt: skip
        output, defs = cell.run(**{ref: names[ref] for ref in cell.refs if ref in names})
        names.update(defs)
        panel = getattr(output, "text", "") if output is not None else panel
    return names, panel


def plate(rows: int = 24) -> pd.DataFrame:
    """A learner's table: dose, plate temperature and signal, with text in ``operator``."""
    rng = np.random.default_rng(7)
    dose = np.linspace(0, 50, rows)
    temperature = 25 + rng.normal(0, 0.5, rows)
    signal = 0.1 + 0.03 * dose - 0.02 * (temperature - 25) + rng.normal(0, 0.05, rows)
    return pd.DataFrame({"dose": dose, "temperature": temperature, "signal": signal,
                         "operator": ["AB"] * rows})  # fmt: skip


def own_names(table: pd.DataFrame, chosen: list[str]) -> dict:
    from types import SimpleNamespace

    return {
        "line": SimpleNamespace(builtin=False),
        "y_line": table["signal"],
        "part3_data": SimpleNamespace(
            table=table,
            columns=["dose", "temperature", "operator", "signal"],
            y_name="signal",
            x_name="dose",
            drop_missing=False,
        ),
        "predictors": SimpleNamespace(value=chosen),
    }


def test_a_learners_file_with_several_columns_drives_the_table_scores_and_folds():
    from benchlearn.evaluate import KFold, train_test_split

    table = plate()
    names, panel = run_section(own_names(table, ["temperature", "dose"]))
    assert names["several_own"]
    # kept by the rows' content: the same rows again (a copy) are the same results, not refitted
    again, _ = run_section(own_names(table.copy(), ["temperature", "dose"]))
    for name in ["several_model", "scores", "cv_scores", "residual_figure"]:
        assert again[name] is names[name], name
    shifted = table.assign(signal=table["signal"] + 1.0)  # the same columns, other numbers
    other, _ = run_section(own_names(shifted, ["temperature", "dose"]))
    assert other["several_key"] != names["several_key"]
    assert names["several_options"] == ["dose", "temperature", "operator"]
    assert names["chosen"] == ["dose", "temperature"]  # in the file's order
    X, y = table[["dose", "temperature"]], table["signal"]
    reference = sklearn.linear_model.LinearRegression().fit(X, y)
    np.testing.assert_allclose(names["several_model"].params_["estimate"],
                               [reference.intercept_, *reference.coef_], rtol=1e-10)  # fmt: skip
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    split = sklearn.linear_model.LinearRegression().fit(X_train, y_train)
    assert names["scores"]["test_r2"] == pytest.approx(split.score(X_test, y_test), rel=1e-10)
    folds = list(KFold(data.CV_FOLDS, shuffle=True, random_state=data.SEED).split(X))
    rmse = -sklearn.model_selection.cross_val_score(
        sklearn.linear_model.LinearRegression(), X, y, cv=folds,
        scoring="neg_root_mean_squared_error",
    )  # fmt: skip
    np.testing.assert_allclose(names["cv_scores"]["test_rmse"], rmse, rtol=1e-9)
    # the panel: the learner's numbers to 4 significant digits, no molecules' units
    assert readout(panel, "test-rmse") == f"Test RMSE = {names['scores']['test_rmse']:.4g}"
    assert readout(panel, "cv-rmse") == (
        f"Cross-validated RMSE = {rmse.mean():.4g} ± {rmse.std(ddof=1):.4g}"
    )
    assert "in predicted signal" in names["several_reading"] and "log units" not in panel


def test_text_in_a_chosen_column_is_said_in_the_page_and_the_x_column_kept():
    names, panel = run_section(own_names(plate(), ["dose", "operator"]))
    assert names["chosen"] == ["dose"] and names["several_problem"]
    assert "operator" in names["several_problem"] and 'data-testid="readout-test-r2"' in panel
