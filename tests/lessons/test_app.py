"""Lesson 1 runs end to end, and its numbers are the references' numbers at default widgets."""

import ast
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
import scipy.stats
import sklearn.linear_model
import sklearn.metrics
import statsmodels.api as sm

from benchlearn.lessons.lesson1 import approaches, content, data, descent, overfitting, settings


def test_app_runs_end_to_end_and_defines_every_part(lesson_defs):
    names = ["rule_accuracy", "classifiers", "grouping", "slider_mse", "descent_run", "scaling",
             "several_model", "scores", "cv_scores", "degree_table", "polynomial"]  # fmt: skip
    assert [name for name in names if name not in lesson_defs] == []


def test_mse_readout_at_default_sliders_is_scikit_learns_mse(lesson_defs):
    x, y = lesson_defs["X_line"].iloc[:, 0], lesson_defs["y_line"]
    expected = sklearn.metrics.mean_squared_error(y, settings.DEFAULT_B0 + settings.DEFAULT_B1 * x)
    assert lesson_defs["slider_mse"] == pytest.approx(expected, rel=1e-12)


def test_line_data_are_the_straight_middle_of_elisa_run_1_in_log10_ng_per_ml(lesson_defs):
    from benchlearn.data.lab_curves import load_dnase

    x, y = lesson_defs["X_line"]["log10_conc"], lesson_defs["y_line"]
    # the 5 highest standards of run 1 (0.78 to 12.5 ng/mL), two wells each, read from R's table
    frame = load_dnase().frame
    wells = frame[(frame["Run"] == 1) & (frame["conc"] > 0.7)]
    assert len(wells) == len(x) == 10
    np.testing.assert_allclose(10**x, wells["conc"], rtol=1e-12)
    np.testing.assert_array_equal(y, wells["density"])
    np.testing.assert_allclose(np.sort(10 ** x.unique()), 12.5 / 2.0 ** np.arange(4, -1, -1))


def test_the_straight_middle_is_the_straightest_stretch_of_the_run():
    from benchlearn.data.lab_curves import load_dnase

    # NumPy's straight-line R² over every stretch of 5 or more of run 1's standards: the
    # lesson's stretch is the best, and it passes the 0.99 a standard curve should
    frame = load_dnase().frame
    run = frame[frame["Run"] == 1]
    concs = np.sort(run["conc"].unique())
    r2 = {}
    for low in range(len(concs) - 4):
        for high in range(low + 4, len(concs)):
            wells = run[run["conc"].between(concs[low], concs[high])]
            x, y = np.log10(wells["conc"]), wells["density"]
            r2[(low, high)] = np.corrcoef(x, y)[0, 1] ** 2
    assert max(r2, key=r2.get) == (3, 7) and r2[(3, 7)] > 0.99


def test_solve_exactly_gives_scipys_least_squares_line(lesson_defs):
    reference = scipy.stats.linregress(lesson_defs["X_line"].iloc[:, 0], lesson_defs["y_line"])
    assert lesson_defs["exact_b0"] == pytest.approx(reference.intercept, rel=1e-10)
    assert lesson_defs["exact_b1"] == pytest.approx(reference.slope, rel=1e-10)


def test_first_gradient_step_from_zero_is_the_hand_computed_step():
    X, y = data.assay_line_data()
    rate = settings.DEFAULT_LEARNING_RATE
    D = np.column_stack([np.ones(len(X)), X.iloc[:, 0]])
    # gradient of mean((y - D theta)^2) at theta = 0 is -2 Dᵀy / n
    expected = rate * 2 * D.T @ y.to_numpy() / len(y)
    step = descent.descend(X, y, rate, 1).history.iloc[1]
    np.testing.assert_allclose([step["intercept"], step["log10_conc"]], expected, rtol=1e-12)


def test_gradient_descent_loss_decreases_every_step_and_reaches_the_exact_loss(lesson_defs):
    X, y = lesson_defs["X_line"], lesson_defs["y_line"]
    run = descent.descend(X, y, settings.DEFAULT_LEARNING_RATE, 200)
    loss = run.history["loss"].to_numpy()
    # downhill every step, up to rounding once it has arrived
    assert np.all(np.diff(loss) <= 1e-12 * loss[:-1])
    assert not run.diverged and not run.growing
    assert loss[-1] == pytest.approx(lesson_defs["exact_loss"], rel=1e-6)


def test_gradient_descent_starts_at_zero_steps_on_page_load(lesson_defs):
    assert len(lesson_defs["descent_run"].history) == 1


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8, 1.2])
def test_the_steps_shown_of_one_long_run_are_those_of_a_run_stopped_there(rate):
    # the page fits once per learning rate and shows the first steps; a fit stopped after
    # those steps (descend) must give the same path, loss and divergence verdict
    import warnings

    from benchlearn import LinearRegression

    X, y = data.assay_line_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        long_run = LinearRegression(solver="gd", learning_rate=rate,
                                    max_iter=settings.MAX_STEPS, tol=1e-12).fit(X, y)  # fmt: skip
    for steps in (0, 1, 7, 50, 300):
        shown, stopped = (
            descent.descent_so_far(long_run, X, steps),
            descent.descend(X, y, rate, steps),
        )
        pd.testing.assert_frame_equal(shown.history, stopped.history)
        assert (shown.diverged, shown.growing) == (stopped.diverged, stopped.growing)


def test_learning_rate_above_two_over_L_is_reported_as_diverging():
    X, y = data.assay_line_data()
    D = np.column_stack([np.ones(len(X)), X.iloc[:, 0]])
    L = np.linalg.eigvalsh(2 * D.T @ D / len(y)).max()
    too_large = min(r for r in settings.LEARNING_RATES if r > 2 / L)
    run = descent.descend(X, y, too_large, 200)
    assert run.limit == pytest.approx(2 / L, rel=1e-10)
    assert run.growing
    assert descent.descend(X, y, max(settings.LEARNING_RATES), 200).diverged
    safe = max(r for r in settings.LEARNING_RATES if r < 2 / L)
    assert not descent.descend(X, y, safe, 200).growing


def test_concentrations_in_picograms_leave_gradient_descent_far_from_the_answer(lesson_defs):
    scaling = lesson_defs["scaling"]
    exact = scaling.loc["ng/mL", "exact_loss"]
    assert scaling.loc["ng/mL", "loss_after_steps"] == pytest.approx(exact, rel=1e-6)
    assert scaling.loc["pg/mL", "loss_after_steps"] > 10 * exact
    assert scaling.loc["pg/mL", "exact_loss"] == pytest.approx(exact, rel=1e-9)  # same line
    X, _ = lesson_defs["X_line"], lesson_defs["y_line"]
    # log10 of pg/mL is log10 of ng/mL plus 3: x from 2.9 to 4.1, as the table says
    for unit, shift in [("ng/mL", 0.0), ("pg/mL", 3.0)]:
        D = np.column_stack([np.ones(len(X)), X.iloc[:, 0] + shift])
        assert scaling.loc[unit, "condition_number"] == pytest.approx(np.linalg.cond(D), rel=1e-8)
        low, high = D[:, 1].min(), D[:, 1].max()
        assert (
            f"log10 from {low:.1f} to {high:.1f}".replace("-", "−")
            in content.SECTIONS["gd_scaling"]
        )


def test_rule_accuracy_is_the_hand_counted_share_of_correct_test_biopsies(lesson_defs):
    biopsy = lesson_defs["biopsy"]
    called = np.where(biopsy.X_test["mean_radius"] > settings.DEFAULT_THRESHOLD, "malignant",
                      "benign")  # fmt: skip
    assert lesson_defs["rule_accuracy"] == pytest.approx(np.mean(called == biopsy.y_test))


def test_test_set_is_a_stratified_quarter_never_used_for_training(lesson_defs):
    biopsy = lesson_defs["biopsy"]
    assert not set(biopsy.X_train.index) & set(biopsy.X_test.index)
    assert len(biopsy.y_test) == pytest.approx(0.25 * 569, abs=1)
    share = (biopsy.y_test == "malignant").mean()
    assert share == pytest.approx(212 / 569, abs=0.01)


def test_learned_classifiers_accuracies_agree_with_scikit_learn(lesson_defs):
    biopsy, classifiers = lesson_defs["biopsy"], lesson_defs["classifiers"]
    for name in ["logistic", "network"]:
        predicted = classifiers[name].predict(biopsy.Z_test)
        assert classifiers[f"{name}_accuracy"] == pytest.approx(
            sklearn.metrics.accuracy_score(biopsy.y_test, predicted)
        )
    reference = sklearn.linear_model.LogisticRegression().fit(biopsy.Z_train, biopsy.y_train)
    assert classifiers["logistic_accuracy"] == pytest.approx(
        reference.score(biopsy.Z_test, biopsy.y_test), abs=0.02
    )


def test_parameter_counts_are_the_hand_counted_weights_and_intercepts(lesson_defs):
    classifiers, n_features = lesson_defs["classifiers"], lesson_defs["biopsy"].Z_train.shape[1]
    assert classifiers["logistic_parameters"] == n_features + 1
    # hidden layer: one weight per feature plus an offset for each unit; output: one per unit + 1
    hidden = approaches.HIDDEN_UNITS
    assert classifiers["network_parameters"] == (n_features + 1) * hidden + hidden + 1


def test_prose_claims_about_part_1_and_2_hold_for_the_computed_numbers(lesson_defs):
    classifiers = lesson_defs["classifiers"]
    # "the network does not beat the simpler model"; learned models beat the rule
    assert classifiers["network_accuracy"] <= classifiers["logistic_accuracy"]
    assert classifiers["logistic_accuracy"] > lesson_defs["rule_accuracy"]
    # "with k = 2 the clusters line up with benign and malignant well, though not perfectly"
    assert 0.5 < lesson_defs["grouping"]["ari"] < 1


def test_cluster_comparison_matches_scikit_learns_adjusted_rand_score(lesson_defs):
    grouping, biopsy = lesson_defs["grouping"], lesson_defs["biopsy"]
    assert len(np.unique(grouping["labels"])) == settings.DEFAULT_K
    assert grouping["ari"] == pytest.approx(
        sklearn.metrics.adjusted_rand_score(biopsy.y_all, grouping["labels"]), rel=1e-12
    )
    expected = pd.crosstab(biopsy.y_all.to_numpy(), grouping["labels"])
    np.testing.assert_array_equal(grouping["table"].to_numpy(), expected.to_numpy())


def test_pca_map_has_the_variance_of_scikit_learns_first_two_components(lesson_defs):
    from sklearn.decomposition import PCA

    reference = PCA(2).fit_transform(lesson_defs["biopsy"].Z_all)
    np.testing.assert_allclose(
        np.var(lesson_defs["pca"].transform(lesson_defs["biopsy"].Z_all), axis=0),
        np.var(reference, axis=0),
        rtol=1e-8,
    )


# Several predictors, evaluation and cross-validation: tests/lessons/test_several.py


def test_training_error_never_rises_with_degree_and_test_error_shows_over_fitting(lesson_defs):
    table = lesson_defs["degree_table"]
    assert list(table.index) == list(range(1, 10))  # "at degree 9": 10 training wells
    assert len(lesson_defs["curve_train_test"][0]) == 10
    # nested models: a higher degree can always reproduce a lower one on the training wells
    assert np.all(np.diff(table["train_rmse"]) <= 1e-12)
    assert table.loc[9, "train_rmse"] < 1e-9  # "passes through all 10 training wells"
    # as the text says: lowest test error at degree 5, far higher at the highest degrees
    assert table["test_rmse"].idxmin() == 5
    assert table.loc[5, "test_rmse"] < 0.5 * table.loc[1, "test_rmse"]
    assert (table.loc[6:, "test_rmse"] > 2 * table.loc[5, "test_rmse"]).all()
    assert table.loc[9, "test_rmse"] > 20 * table.loc[5, "test_rmse"]
    assert table["cv_rmse"].idxmin() in (4, 5, 6)
    assert table.loc[9, "cv_rmse"] > 10 * table["cv_rmse"].min()


def test_over_fitting_test_wells_lie_inside_the_training_range(lesson_defs):
    X_train, X_test, y_train, y_test = lesson_defs["curve_train_test"]
    # whole standards held out, each between two trained standards, in amount and in signal
    assert sorted(np.round(10 ** y_test.unique(), 2)) == [0.2, 0.78, 3.13]
    assert "(0.2, 0.78 and 3.1 ng/mL)" in content.SECTIONS["overfitting"]
    assert not set(y_train) & set(y_test) and len(y_test) == 6
    for low, high in [(y_train, y_test), (X_train.iloc[:, 0], X_test.iloc[:, 0])]:
        assert low.min() < high.min() and high.max() < low.max()
    # and so does every cross-validation fold's test standard
    X, y = data.assay_curve_data()
    for train, test in overfitting.standards_folds(y):
        assert y.iloc[train].min() < y.iloc[test].min() <= y.iloc[test].max() < y.iloc[train].max()
        assert X.iloc[train, 0].min() < X.iloc[test, 0].min()
        assert X.iloc[test, 0].max() < X.iloc[train, 0].max()
    assert sorted(np.concatenate([test for _, test in overfitting.standards_folds(y)])) == sorted(
        np.flatnonzero(~y.isin([y.min(), y.max()]).to_numpy())
    )


def test_over_fitting_wells_are_run_1_read_back_from_density():
    from benchlearn.data.lab_curves import load_dnase

    frame = load_dnase().frame
    run = frame[frame["Run"] == 1]
    X, y = data.assay_curve_data()
    np.testing.assert_array_equal(X["density"], run["density"])
    np.testing.assert_allclose(10**y, run["conc"], rtol=1e-12)


def test_cross_validated_errors_are_numpys_polynomials_on_the_standards_folds(lesson_defs):
    X, y = data.assay_curve_data()
    table = lesson_defs["degree_table"]
    for degree in (1, 4, 9):
        fold_rmse = []
        for train, test in overfitting.standards_folds(y):
            # NumPy maps x onto [-1, 1] first: a stable reference even at degree 9
            curve = np.polynomial.Polynomial.fit(X.iloc[train, 0], y.iloc[train], degree)
            fold_rmse.append(
                sklearn.metrics.root_mean_squared_error(y.iloc[test], curve(X.iloc[test, 0]))
            )
        assert table.loc[degree, "cv_rmse"] == pytest.approx(np.mean(fold_rmse), rel=1e-6)


def test_low_degree_errors_match_numpy_polyfit(lesson_defs):
    X_train, X_test, y_train, y_test = lesson_defs["curve_train_test"]
    for degree in (1, 2, 3, 5, 9):
        curve = np.polynomial.Polynomial.fit(X_train.iloc[:, 0], y_train, degree)
        predicted = curve(X_test.iloc[:, 0])
        expected = sklearn.metrics.root_mean_squared_error(y_test, predicted)
        assert lesson_defs["degree_table"].loc[degree, "test_rmse"] == pytest.approx(
            expected, rel=1e-8
        )


# Lesson helpers that once stood between a cell and the library; "Show code" showed only these.
LESSON_WRAPPERS = ["exact_fit", "line_mse", "fit_predictors", "split_scores", "pca_map",
                   "cross_validation_scores", "fit_polynomial", "clusters", "rule_accuracy",
                   "descend", "learned_classifiers"]  # fmt: skip


MAX_CELL_LINES, MAX_CELL_INPUTS = 45, 12


def cell_code(defines: str) -> str:
    """The source of the app cell that defines ``defines``, as "Show code" reveals it."""
    from benchlearn.lessons.lesson1.app import app

    found = [data.code for data in app._cell_manager.cell_data() if defines in data.cell.defs]
    assert len(found) == 1, f"{len(found)} cells define {defines}"
    return found[0]


@pytest.mark.parametrize(
    ("defines", "calls"),
    [
        ("classifiers", ["LogisticRegression().fit(biopsy.Z_train, biopsy.y_train)",
                         "MLPClassifier(", "accuracy(biopsy.y_test, logistic.predict("]),
        ("rule_accuracy", ["accuracy(biopsy.y_test"]),
        ("pca", ["part2.fitted(PCA(n_components=2), part2_rows.key)"]),
        ("grouping", ["KMeans(n_clusters=k.value", "adjusted_rand_index(", "contingency_table("]),
        ("exact_line", ['LinearRegression(solver="exact").fit(X_line, y_line)',
                        "mean_squared_error(y_line, exact_line.predict(X_line))"]),
        ("slider_mse", ["mean_squared_error(y_line, b0.value + b1.value * X_line.iloc[:, 0])"]),
        ("gd_model", ["LinearRegression(", 'solver="gd"', "learning_rate=learning_rate.value",
                      "max_iter=settings.MAX_STEPS", ".fit(X_line, y_line)"]),
        ("several_model", ["LinearRegression().fit(X_several, y_several)"]),
        ("scores", ["train_test_split(", "LinearRegression().fit(X_train, y_train)",
                    "r2_score(y_test", "root_mean_squared_error(y_test"]),
        ("cv_scores", ["cross_validate(", "LinearRegression()", "KFold(data.CV_FOLDS"]),
        ("polynomial", ["PolynomialRegression(degree=degree.value).fit("]),
    ],
)  # fmt: skip
def test_show_code_of_each_figures_cell_is_the_benchlearn_call_itself(defines, calls):
    code = cell_code(defines)
    assert [call for call in calls if call not in code] == []
    # no lesson-only wrapper between the learner and the library
    assert re.findall(rf"\b\w+\.({'|'.join(LESSON_WRAPPERS)})\(", code) == []


def test_every_cell_is_small_enough_to_read_with_few_inputs():
    from benchlearn.lessons.lesson1.app import app

    cells = list(app._cell_manager.cell_data())
    first, rest = cells[0], cells[1:]  # the first cell imports the tools every cell uses
    assert "import marimo as mo" in first.code
    too_big = [
        (len(c.code.splitlines()), sorted(c.cell.refs))
        for c in rest
        if len(c.code.splitlines()) > MAX_CELL_LINES or len(c.cell.refs) > MAX_CELL_INPUTS
    ]
    assert too_big == []


def test_the_first_cell_imports_the_calls_from_benchlearns_public_api():
    tree = ast.parse(cell_code("LinearRegression"))
    imported = {
        node.module: {alias.name for alias in node.names}
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
    }
    assert {"PCA", "KMeans", "LinearRegression", "LogisticRegression", "MLPClassifier",
            "PolynomialRegression"} <= imported["benchlearn"]  # fmt: skip
    assert {"accuracy", "cross_validate", "mean_squared_error", "train_test_split"} <= imported[
        "benchlearn.evaluate"
    ]


def test_marimo_check_finds_nothing_to_fix_in_the_lesson():
    # `marimo check --strict FILE`, run in this process (marimo is loaded here already) through
    # the click command that the `marimo` program and `python -m marimo` start.
    from click.testing import CliRunner
    from marimo._cli.cli import main as marimo_command

    import benchlearn.lessons.lesson1.app as app_module

    def check():
        return CliRunner().invoke(marimo_command, ["check", "--strict", app_module.__file__])

    # in a thread of its own: this worker may already run an event loop (Playwright's)
    with ThreadPoolExecutor(1) as thread:
        result = thread.submit(check).result()
    assert result.exit_code == 0, (result.output, result.exception)


@pytest.mark.parametrize(("rate", "steps"), [(0.5, 1), (0.5, 50), (0.1, 300), (0.7, 40)])
def test_the_visible_gradient_descent_cell_takes_the_engines_steps(lesson_defs, rate, steps):
    X, y = lesson_defs["X_line"], lesson_defs["y_line"]
    by_hand = lesson_defs["gradient_descent_by_hand"]
    engine = descent.descend(X, y, rate, steps).history.iloc[-1]
    np.testing.assert_allclose(
        by_hand(X.iloc[:, 0].to_numpy(), y.to_numpy(), rate, steps),
        [engine["intercept"], engine["log10_conc"], engine["loss"]],
        rtol=1e-10,
    )


def test_the_visible_exact_solution_cell_is_the_engines_line(lesson_defs):
    x, y = lesson_defs["X_line"].iloc[:, 0].to_numpy(), lesson_defs["y_line"].to_numpy()
    b0, b1, loss = lesson_defs["exact_line_by_hand"](x, y)
    assert b0 == pytest.approx(lesson_defs["exact_b0"], rel=1e-12)
    assert b1 == pytest.approx(lesson_defs["exact_b1"], rel=1e-12)
    assert loss == pytest.approx(lesson_defs["exact_loss"], rel=1e-10)
    # the page prints the by-hand numbers of both cells, run on the page's own data and steps
    assert lesson_defs["by_hand"]["exact"] == pytest.approx((b0, b1, loss), rel=1e-12)


def test_the_visible_cells_are_short_numpy_not_a_call_into_benchlearn():
    for name in ("gradient_descent_by_hand", "exact_line_by_hand"):
        code = cell_code(name)
        assert len(code.splitlines()) <= 16, name
        assert "np." in code and "benchlearn" not in code and ".fit(" not in code


def test_the_standard_curve_is_judged_where_it_is_built(lesson_defs):
    X, y = lesson_defs["X_line"], lesson_defs["y_line"]
    check = lesson_defs["curve_check"]
    reference = sm.OLS(y, sm.add_constant(X)).fit()
    assert check["r2"] == pytest.approx(reference.rsquared, rel=1e-12)
    assert check["r2"] >= 0.99  # "expect 0.99 or more" for a standard curve
    np.testing.assert_allclose(check["residuals"], reference.resid, atol=1e-12)
    # each standard's mean optical density read back through the line, in ng/mL, by hand
    table = check["read_back"]
    means = y.groupby(X.iloc[:, 0].to_numpy()).mean()
    np.testing.assert_allclose(table["known"], 10**means.index, rtol=1e-12)
    b0, b1 = reference.params
    by_hand = 10 ** ((means.to_numpy() - b0) / b1)
    np.testing.assert_allclose(table["read_back"], by_hand, rtol=1e-10)
    recovery = table["recovery_percent"]
    np.testing.assert_allclose(recovery, 100 * by_hand / 10**means.index, rtol=1e-10)
    # the ELISA's standards pass the 15% (20% at the lowest) rule the text quotes
    assert abs(recovery.iloc[0] - 100) <= 20 and (abs(recovery.iloc[1:] - 100) <= 15).all()


def test_the_curve_readout_gives_the_slope_in_od_per_tenfold_concentration(lesson_run):
    outputs, defs = lesson_run
    reference = scipy.stats.linregress(defs["X_line"].iloc[:, 0], defs["y_line"])
    page = "".join(getattr(output, "text", "") or "" for output in outputs)
    expected = (
        f"Standard curve: R² = {reference.rvalue**2:.4f}, "
        f"slope = {reference.slope:.3f} OD per tenfold concentration"
    )
    assert expected in page
    assert (round(reference.rvalue**2, 4), round(reference.slope, 3)) == (0.9943, 1.138)


def test_the_slope_question_quotes_the_lessons_own_line(lesson_defs):
    from benchlearn.lessons.lesson1.questions import QUESTIONS_BY_ID

    b0, b1 = lesson_defs["exact_b0"], lesson_defs["exact_b1"]
    question = QUESTIONS_BY_ID["slope_in_lab_units"]
    assert f"optical density = {b0:.2f} + {b1:.2f} × log10" in question.prompt
    assert (
        f"the OD by about {b1 * np.log10(2):.2f}"
        in question.misconceptions["Each extra ng/mL raises the optical density by 1.14"]
    )


def test_gradient_descent_is_kept_for_every_learner_per_data_and_learning_rate(lesson_defs):
    from benchlearn.lessons.shared import fingerprint, kept

    def never():
        raise AssertionError("computed again")

    data_key = fingerprint(lesson_defs["X_line"], lesson_defs["y_line"])
    rate = lesson_defs["learning_rate"].value
    assert kept(("descent", data_key, rate), never) is lesson_defs["gd_model"]
