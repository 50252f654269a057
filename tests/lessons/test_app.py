"""Lesson 1 runs end to end, and its numbers are the references' numbers at default widgets."""

import ast
import re

import numpy as np
import pandas as pd
import pytest
import scipy.stats
import sklearn.linear_model
import sklearn.metrics

from benchlearn.lessons.lesson1 import approaches, content, data, descent, overfitting, settings


def test_app_runs_end_to_end_and_defines_every_part(lesson_defs):
    names = ["rule_accuracy", "classifiers", "grouping", "slider_mse", "descent_run", "scaling",
             "several_model", "scores", "cv_scores", "degree_table", "polynomial"]  # fmt: skip
    assert [name for name in names if name not in lesson_defs] == []


def test_mse_readout_at_default_sliders_is_scikit_learns_mse(lesson_defs):
    x, y = lesson_defs["X_line"].iloc[:, 0], lesson_defs["y_line"]
    expected = sklearn.metrics.mean_squared_error(y, settings.DEFAULT_B0 + settings.DEFAULT_B1 * x)
    assert lesson_defs["slider_mse"] == pytest.approx(expected, rel=1e-12)


def test_line_data_are_the_straight_part_of_the_assay_in_mg_per_ml(lesson_defs):
    x = lesson_defs["X_line"]["bsa_mg_per_ml"]
    assert x.min() == 0 and x.max() == 1.0
    assert len(x) == 21  # 7 standards up to 1000 µg/mL, 3 wells each


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
    np.testing.assert_allclose([step["intercept"], step["bsa_mg_per_ml"]], expected, rtol=1e-12)


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


def test_features_in_micrograms_leave_gradient_descent_far_from_the_answer(lesson_defs):
    scaling = lesson_defs["scaling"]
    exact = scaling.loc["mg/mL", "exact_loss"]
    assert scaling.loc["mg/mL", "loss_after_steps"] == pytest.approx(exact, rel=1e-6)
    assert scaling.loc["µg/mL", "loss_after_steps"] > 10 * exact
    X, _ = lesson_defs["X_line"], lesson_defs["y_line"]
    for unit, factor in [("mg/mL", 1.0), ("µg/mL", 1000.0)]:
        D = np.column_stack([np.ones(len(X)), factor * X.iloc[:, 0]])
        assert scaling.loc[unit, "condition_number"] == pytest.approx(np.linalg.cond(D), rel=1e-8)


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
    assert list(table.index) == list(range(1, overfitting.MAX_DEGREE + 1))
    # nested models: a higher degree can always reproduce a lower one on the training wells
    assert np.all(np.diff(table["train_rmse"]) <= 1e-12)
    # as the text says: degree 2 catches the bend, the highest degrees wiggle between the wells
    assert table["test_rmse"].idxmin() == 2 and table["cv_rmse"].idxmin() == 2
    assert table.loc[2, "test_rmse"] < 0.8 * table.loc[1, "test_rmse"]
    assert table["test_rmse"].iloc[-1] > 1.3 * table["test_rmse"].min()
    assert table["cv_rmse"].iloc[-1] > 3 * table["cv_rmse"].min()


def test_over_fitting_test_wells_lie_between_training_wells(lesson_defs):
    X_train, X_test, _, _ = lesson_defs["curve_train_test"]
    train, test = X_train.iloc[:, 0], X_test.iloc[:, 0]
    assert train.min() < test.min() and test.max() < train.max()
    assert len(test) == len(train) - 1  # 25 wells: 13 to train, 12 to test


def test_the_curve_bends_as_much_as_the_text_says():
    from benchlearn.data import simulate_protein_assay

    truth = simulate_protein_assay(random_state=0).truth
    top = 4000.0  # µg/mL
    curve = truth["blank"] + truth["a_max"] * top / (truth["saturation_constant"] + top)
    straight = truth["blank"] + truth["initial_slope"] * top
    assert (round(curve, 1), round(straight, 1)) == (4.1, 4.9)
    assert "about 4.1 instead of the 4.9" in content.SECTIONS["overfitting"]


def test_low_degree_errors_match_numpy_polyfit(lesson_defs):
    X_train, X_test, y_train, y_test = lesson_defs["curve_train_test"]
    for degree in (1, 2, 3):
        coefficients = np.polyfit(X_train.iloc[:, 0], y_train, degree)
        predicted = np.polyval(coefficients, X_test.iloc[:, 0])
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
        ("descent_run", ["LinearRegression(", 'solver="gd"', "learning_rate=learning_rate.value",
                     "max_iter=max(steps_taken, 1)", ".fit(X_line, y_line)"]),
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
    import subprocess
    import sys

    import benchlearn.lessons.lesson1.app as app_module

    result = subprocess.run(
        [sys.executable, "-m", "marimo", "check", "--strict", app_module.__file__],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("rate", "steps"), [(0.5, 1), (0.5, 50), (0.1, 300), (0.9, 40)])
def test_the_visible_gradient_descent_cell_takes_the_engines_steps(lesson_defs, rate, steps):
    X, y = lesson_defs["X_line"], lesson_defs["y_line"]
    by_hand = lesson_defs["gradient_descent_by_hand"]
    engine = descent.descend(X, y, rate, steps).history.iloc[-1]
    np.testing.assert_allclose(
        by_hand(X.iloc[:, 0].to_numpy(), y.to_numpy(), rate, steps),
        [engine["intercept"], engine["bsa_mg_per_ml"], engine["loss"]],
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
    reference = sklearn.linear_model.LinearRegression().fit(X, y)
    assert check["r2"] == pytest.approx(reference.score(X, y), rel=1e-12)
    assert check["r2"] >= 0.99  # "expect 0.99 or more" for a standard curve
    np.testing.assert_allclose(check["residuals"], y - reference.predict(X), atol=1e-12)
    # each standard's mean absorbance read back through the line, by hand
    table = check["read_back"]
    means = y.groupby(X.iloc[:, 0].to_numpy()).mean()
    np.testing.assert_array_equal(table["known"], means.index)
    by_hand = (means.to_numpy() - reference.intercept_) / reference.coef_[0]
    np.testing.assert_allclose(table["read_back"], by_hand, rtol=1e-10)
    recovery = table["recovery_percent"]
    assert np.isnan(recovery.iloc[0])  # the blank has no percentage
    np.testing.assert_allclose(recovery.iloc[1:], 100 * by_hand[1:] / means.index[1:], rtol=1e-10)
    # the lesson's standards pass the 15% (20% at the lowest) rule the text quotes
    assert abs(recovery.iloc[1] - 100) <= 20 and (abs(recovery.iloc[2:] - 100) <= 15).all()
