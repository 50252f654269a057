"""The lesson app end to end on a learner's file, without a browser.

marimo's ``app.run()`` cannot upload, so the cell holding the data-source widgets is replaced
(``app.run(defs=...)``) by stand-ins with the values a learner's choices give: "Your own file",
an uploaded file's name and bytes, the "leave out empty rows" box. Every other cell runs as
written, and the numbers it defines are checked against scikit-learn and NumPy.
"""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import sklearn.linear_model
import sklearn.metrics

from benchlearn.data import read_table, select_columns
from benchlearn.errors import DataError
from benchlearn.lessons.lesson1 import data, overfitting, own_data, settings

# An ELISA-like standard curve: the signal is measured in the thousands, dose in ng/mL.
ROWS = [(0, 1210), (0, 1185), (5, 2390), (5, 2460), (10, 3620), (10, 3555), (20, 6010),
        (20, 5890), (40, 10850), (40, 10620), (80, 20400), (80, 20950)]  # fmt: skip


class Upload:
    """What ``mo.ui.file`` holds after a learner picked one file."""

    def __init__(self, name: str, contents: bytes) -> None:
        self.value = (SimpleNamespace(name=name, contents=contents),)
        self._name, self._contents = name, contents

    def name(self) -> str:
        return self._name

    def contents(self) -> bytes:
        return self._contents


def error_messages(outputs) -> list[str]:
    """Texts of the ``own-data-error`` paragraphs in the page's callouts.

    A marimo callout carries its content as JSON in an HTML-escaped ``data-html`` attribute.
    """
    found = []
    for output in outputs:
        text = getattr(output, "text", "") or ""
        for attribute in re.findall(r"<marimo-callout-output data-html='([^']*)'", text):
            inner = json.loads(html.unescape(attribute))
            for message in re.findall(r'<p data-testid="own-data-error">(.*?)</p>', inner):
                found.append(html.unescape(message))
    return found


def run_with_file(name: str, contents: bytes, *, drop_missing: bool = False):
    from benchlearn.lessons.lesson1.app import app

    outputs, defs = app.run(
        defs={
            "data_source": SimpleNamespace(value=own_data.OWN_DATA),
            "upload": Upload(name, contents),
            "drop_missing": SimpleNamespace(value=drop_missing),
        }
    )
    return outputs, defs


def elisa_csv(signal_at_row_5: str | None = None) -> bytes:
    lines = ["dose_ng_per_ml,signal_rfu"]
    lines += [f"{dose},{signal}" for dose, signal in ROWS]
    if signal_at_row_5 is not None:
        lines[4] = f"{ROWS[3][0]},{signal_at_row_5}"  # line 5 of the file
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def own_run():
    return run_with_file("elisa plate.csv", elisa_csv())[1]


def test_every_part_3_widget_runs_on_the_learners_columns(own_run):
    line = own_run["line"]
    assert not line.builtin and line.source == "elisa plate.csv"
    assert (line.x_label, line.y_label) == ("dose_ng_per_ml", "signal_rfu")
    assert list(own_run["X_line"].columns) == ["dose_ng_per_ml"]
    names = ["slider_mse", "descent_run", "curve_check", "scaling", "several_model", "scores",
             "cv_scores", "degree_table", "polynomial"]  # fmt: skip
    assert [name for name in names if name not in own_run] == []


def test_slider_mse_and_exact_line_on_own_data_are_scikit_learns(own_run):
    dose, signal = np.array(ROWS, dtype=float).T
    line = own_run["line"]
    expected = sklearn.metrics.mean_squared_error(signal, line.b0.value + line.b1.value * dose)
    assert own_run["slider_mse"] == pytest.approx(expected, rel=1e-12)
    reference = sklearn.linear_model.LinearRegression().fit(dose[:, None], signal)
    assert own_run["exact_b0"] == pytest.approx(reference.intercept_, rel=1e-10)
    assert own_run["exact_b1"] == pytest.approx(reference.coef_[0], rel=1e-10)


def test_gradient_descent_and_scaling_use_the_learners_data(own_run):
    assert len(own_run["descent_run"].history) == 1  # step 0 until a button is pressed
    dose = np.array(ROWS, dtype=float)[:, 0]
    design = np.column_stack([np.ones_like(dose), dose])
    limit = 2 / np.linalg.eigvalsh(2 * design.T @ design / len(dose)).max()
    assert own_run["descent_run"].limit == pytest.approx(limit, rel=1e-10)
    assert list(own_run["scaling"].index) == ["as given", "standardised"]
    assert own_run["scaling"].loc["as given", "condition_number"] == pytest.approx(
        np.linalg.cond(design)
    )


def test_over_fitting_demo_uses_the_learners_rows(own_run):
    assert own_run["curve_own"]
    X_train = own_run["curve_train_test"][0]
    assert set(X_train.index) <= set(own_run["X_line"].index)
    X_test = own_run["curve_train_test"][1]
    highest = overfitting.own_max_degree(
        own_run["X_line"], own_run["y_line"], own_run["curve_train_test"]
    )
    assert own_run["degree_table"].index.max() == highest >= 2
    # the test rows lie between training rows
    assert X_train.iloc[:, 0].min() <= X_test.iloc[:, 0].min()
    assert X_test.iloc[:, 0].max() <= X_train.iloc[:, 0].max()


def test_a_typo_in_the_file_keeps_part_3_on_the_example_and_says_where_it_is(
    tmp_path, lesson_defs, own_run
):
    from benchlearn.lessons.lesson1 import part3_figures
    from benchlearn.lessons.shared import figure_cache_info

    contents = elisa_csv(signal_at_row_5="n/a")
    (tmp_path / "elisa plate.csv").write_bytes(contents)
    with pytest.raises(DataError) as caught:
        select_columns(read_table(tmp_path / "elisa plate.csv"), "signal_rfu", ["dose_ng_per_ml"],
                       min_rows=own_data.MIN_OWN_ROWS)  # fmt: skip
    caches = [part3_figures.line_backdrop, part3_figures.surface_backdrop,
              part3_figures.loss_backdrop, part3_figures.curve_backdrop,
              part3_figures.errors_backdrop, overfitting.overfitting_table]  # fmt: skip
    made = [cache.cache_info().misses for cache in caches] + list(figure_cache_info())
    outputs, defs = run_with_file("elisa plate.csv", contents)
    # back on the lesson's example after a learner's file: every figure and table it shows was
    # made for the lesson's own run (lesson_defs), none is made again
    assert [cache.cache_info().misses for cache in caches] == made[: len(caches)]
    assert [info.misses for info in figure_cache_info()] == [i.misses for i in made[len(caches) :]]
    # every section below keeps running, on the lesson's example
    assert defs["line"] == settings.builtin_line_settings() and "slider_mse" in defs
    pd.testing.assert_series_equal(defs["y_line"], data.assay_line_data()[1])
    assert "row 5, column `signal_rfu`: 'n/a' is not a number" in caught.value.message
    assert error_messages(outputs) == [own_data.page_message(caught.value)]


@pytest.mark.parametrize(
    "name, contents",
    [("two_wells.csv", b"conc,A562\n0,0.1\n100,0.2\n"),  # too few rows for a line
     ("one_dose.csv", b"conc,A562\n5,0.1\n5,0.2\n5,0.3\n")],  # a predictor that never changes
)  # fmt: skip
def test_a_file_too_small_or_with_one_dose_shows_the_data_layers_message(tmp_path, name, contents):
    (tmp_path / name).write_bytes(contents)
    with pytest.raises(DataError) as caught:
        select_columns(read_table(tmp_path / name), "A562", ["conc"],
                       min_rows=own_data.MIN_OWN_ROWS)  # fmt: skip
    outputs, defs = run_with_file(name, contents)
    assert defs["line"].builtin and "slider_mse" in defs
    assert error_messages(outputs) == [own_data.page_message(caught.value)]
    assert name in error_messages(outputs)[0]


def test_rows_with_empty_cells_can_be_left_out(own_run):
    # the ELISA file with one more well, unread (an empty signal cell) on line 5
    lines = elisa_csv().decode().splitlines()
    contents = ("\n".join([*lines[:4], "5,", *lines[4:]]) + "\n").encode()
    outputs, refused = run_with_file("gappy.csv", contents)
    assert refused["line"].builtin
    (message,) = error_messages(outputs)
    assert "leave such rows out by ticking “Leave out rows with empty cells”" in message
    _, defs = run_with_file("gappy.csv", contents, drop_missing=True)
    assert defs["line"].dropped_rows == (5,)
    # the other rows are used, all of them: the ELISA file's (whose figures are drawn already)
    np.testing.assert_array_equal(defs["y_line"], own_run["y_line"])
    np.testing.assert_array_equal(defs["X_line"], own_run["X_line"])
    dose, signal = np.array(ROWS, dtype=float).T
    reference = sklearn.linear_model.LinearRegression().fit(pd.DataFrame({"d": dose}), signal)
    assert defs["exact_b1"] == pytest.approx(reference.coef_[0], rel=1e-10)


def test_several_predictors_evaluation_and_cross_validation_run_on_the_learners_file(own_run):
    from benchlearn.evaluate import KFold, train_test_split

    dose, signal = np.array(ROWS, dtype=float).T
    X, y = pd.DataFrame({"dose_ng_per_ml": dose}), pd.Series(signal)
    assert own_run["several_own"] and own_run["chosen"] == ["dose_ng_per_ml"]
    assert own_run["several_options"] == ["dose_ng_per_ml"]  # the other numeric columns
    reference = sklearn.linear_model.LinearRegression().fit(X, y)
    estimates = own_run["several_model"].params_["estimate"]
    np.testing.assert_allclose(estimates, [reference.intercept_, reference.coef_[0]], rtol=1e-10)
    # the lesson's split of the learner's rows, scored by scikit-learn
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    split = sklearn.linear_model.LinearRegression().fit(X_train, y_train)
    assert own_run["scores"]["test_r2"] == pytest.approx(split.score(X_test, y_test), rel=1e-10)
    folds = KFold(5, shuffle=True, random_state=0).split(X)
    for row, (train, test) in zip(own_run["cv_scores"].itertuples(), folds, strict=True):
        fold = sklearn.linear_model.LinearRegression().fit(X.iloc[train], y.iloc[train])
        expected = sklearn.metrics.root_mean_squared_error(y.iloc[test], fold.predict(X.iloc[test]))
        assert row.test_rmse == pytest.approx(expected, rel=1e-9)


def test_several_predictors_on_a_learners_file_give_benchlearn_fits_numbers(own_run, tmp_path, cli):
    # the page's parameter table for a learner's file is the analysis layer's, as the CLI's
    path = tmp_path / "elisa plate.csv"
    path.write_bytes(elisa_csv())
    result = cli("fit", str(path), "--y", "signal_rfu", "--x", "dose_ng_per_ml", "--json", "-")
    assert result.returncode == 0, result.stderr
    parameters = json.loads(result.stdout)["parameters"]
    table = own_run["several_model"].params_
    for row in parameters:
        shown = table.loc[row["name"]]
        for column in ["estimate", "std_error", "ci_lower", "ci_upper", "p_value"]:
            assert shown[column] == pytest.approx(row[column], rel=1e-12, abs=1e-300)


def test_part_3_is_handed_new_data_only_when_the_choice_changes_them(plate):
    # the data cell sets the state Part 3 reads only for other data: choosing "Your own file"
    # before an upload, or a refused file, on the lesson's example reruns no Part 3 cell
    from benchlearn.errors import BenchlearnError
    from benchlearn.lessons.lesson1.app import app

    cell = next(d.cell for d in app._cell_manager.cell_data() if "line_problem" in d.cell.defs)
    shown = [own_data.Part3Data(*data.assay_line_data(), settings.builtin_line_settings())]

    def choose(table, y="A562", x="conc_ug_per_ml", problem=None) -> str | None:
        names = {"BenchlearnError": BenchlearnError, "data": data, "own_data": own_data,
                 "settings": settings, "own_table": table, "own_problem": problem,
                 "own_columns": [] if table is None else own_data.numeric_columns(table),
                 "y_column": SimpleNamespace(value=y), "x_column": SimpleNamespace(value=x),
                 "drop_missing": SimpleNamespace(value=False),
                 "get_part3_data": lambda: shown[-1], "set_part3_data": shown.append,
                 "lesson_part3_data": shown[0]}  # fmt: skip
        return cell.run(**{name: names[name] for name in cell.refs})[1]["line_problem"]

    assert choose(None) is None and len(shown) == 1  # own file chosen, nothing uploaded
    assert choose(None, problem="empty file") == "empty file" and len(shown) == 1
    assert "same value" in choose(plate.assign(conc_ug_per_ml=1.0)) and len(shown) == 1
    assert choose(plate) is None and len(shown) == 2  # usable columns: Part 3 gets them
    assert not shown[-1].line.builtin and shown[-1].y_name == "A562"
    assert choose(plate.copy()) is None and len(shown) == 2  # the same data again
    assert choose(None) is None and len(shown) == 3 and shown[-1].line.builtin  # the example
