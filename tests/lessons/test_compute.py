"""Part 3 on the learner's own file: reading the upload, choosing columns, fitting the widgets.

marimo's ``app.run()`` cannot upload a file, so these call the functions the app calls, with
the numbers checked against scikit-learn, SciPy, NumPy and hand computations.
"""

import io

import numpy as np
import pandas as pd
import pytest
import scipy.stats
import sklearn.linear_model
import sklearn.metrics

from benchlearn.errors import DataError, UsageError
from benchlearn.lessons.lesson1 import compute, figures

# A BCA plate as a lab would type it: sample names, concentrations in µg/mL, absorbances.
CONC = [0, 0, 125, 125, 250, 250, 500, 500, 750, 1000, 1000]
A562 = [0.101, 0.098, 0.247, 0.251, 0.392, 0.387, 0.662, 0.671, 0.949, 1.221, 1.230]


def plate_csv(a562=None) -> bytes:
    values = A562 if a562 is None else a562
    lines = ["sample,conc_ug_per_ml,A562"]
    lines += [f"S{i + 1},{c},{a}" for i, (c, a) in enumerate(zip(CONC, values, strict=True))]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def plate() -> pd.DataFrame:
    return compute.read_upload("plate 3.csv", plate_csv())


def test_uploaded_csv_is_read_with_the_users_row_numbers_and_file_name(plate):
    assert plate.attrs["source"] == "plate 3.csv"
    assert list(plate.columns) == ["sample", "conc_ug_per_ml", "A562"]
    assert list(plate.index) == list(range(2, 13))  # the header is line 1
    np.testing.assert_array_equal(plate["A562"], A562)


def file_bytes(kind: str) -> bytes:
    """The plate without sample names as a file of the given type, written by pandas."""
    table = pd.DataFrame({"conc_ug_per_ml": CONC, "A562": A562})
    buffer = io.BytesIO()
    if kind == "xlsx":
        table.to_excel(buffer, index=False)
    elif kind == "parquet":
        table.to_parquet(buffer, index=False)
    else:
        buffer.write(table.to_csv(index=False, sep="\t" if kind == "tsv" else ",").encode())
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["csv", "tsv", "txt", "xlsx", "parquet"])
def test_every_accepted_file_type_gives_the_same_numbers(kind):
    assert f".{kind}" in compute.UPLOAD_TYPES
    frame = compute.read_upload(f"plate.{kind}", file_bytes(kind))
    X, y = compute.own_line_data(frame, "A562", "conc_ug_per_ml")
    np.testing.assert_array_equal(X["conc_ug_per_ml"], CONC)
    np.testing.assert_array_equal(y, A562)


def test_upload_name_is_only_a_name_never_a_path_outside_the_temporary_folder(tmp_path):
    frame = compute.read_upload("../../" + str(tmp_path / "escape.csv"), plate_csv())
    assert frame.attrs["source"] == "escape.csv"
    assert not (tmp_path / "escape.csv").exists()


def test_empty_or_unsupported_uploads_raise_the_data_layers_errors():
    with pytest.raises(DataError, match=r"file empty\.csv: the file is empty"):
        compute.read_upload("empty.csv", b"")
    with pytest.raises(
        UsageError, match=r"'\.xls' are not supported.*Save it from Excel as \.xlsx"
    ):
        compute.read_upload("old.xls", b"not really excel")


def test_text_in_a_number_column_gives_the_message_naming_file_row_and_column():
    bad = [*A562]
    bad[4] = "n/a"  # the fifth sample, on line 6 of the file
    frame = compute.read_upload("plate 3.csv", plate_csv(bad))
    assert compute.numeric_columns(frame) == ["conc_ug_per_ml", "A562"]  # still offered
    with pytest.raises(DataError) as caught:
        compute.own_line_data(frame, "A562", "conc_ug_per_ml")
    assert caught.value.message.startswith(
        "file plate 3.csv, row 6, column `A562`: 'n/a' is not a number."
    )


def test_only_columns_of_numbers_are_offered_and_one_is_not_enough(plate):
    assert compute.numeric_columns(plate) == ["conc_ug_per_ml", "A562"]
    assert compute.default_columns(compute.numeric_columns(plate)) == ("A562", "conc_ug_per_ml")
    single = compute.read_upload("one.csv", b"sample,A562\nS1,0.1\nS2,0.2\nS3,0.4\n")
    with pytest.raises(DataError, match=r"one\.csv: a line needs two columns of numbers.*`A562`"):
        compute.numeric_columns(single)


def test_too_few_rows_constant_column_and_same_column_twice_are_refused(plate):
    short = compute.read_upload("short.csv", b"x,y\n1,2\n2,3\n")
    with pytest.raises(DataError, match=r"only 2 usable row.*at least 3"):
        compute.own_line_data(short, "y", "x")
    flat = compute.read_upload("flat.csv", b"x,y\n5,2\n5,3\n5,4\n")
    with pytest.raises(DataError, match="column `x` has the same value"):
        compute.own_line_data(flat, "y", "x")
    with pytest.raises(UsageError, match="both the response and a predictor"):
        compute.own_line_data(plate, "A562", "A562")


def test_empty_cells_are_an_error_unless_the_learner_leaves_those_rows_out():
    gappy = [*A562]
    gappy[2] = ""
    frame = compute.read_upload("gappy.csv", plate_csv(gappy))
    with pytest.raises(DataError, match="row 4, column `A562`: the cell is empty"):
        compute.own_line_data(frame, "A562", "conc_ug_per_ml")
    X, y = compute.own_line_data(frame, "A562", "conc_ug_per_ml", drop_missing=True)
    assert len(y) == len(A562) - 1
    assert compute.line_settings(X, y).dropped_rows == (4,)


def test_builtin_settings_are_the_lessons_original_sliders():
    line = compute.builtin_line_settings()
    assert line.builtin and line.source is None
    assert line.b0 == compute.SliderRange(-0.4, 1.0, 0.01, 0.3)
    assert line.b1 == compute.SliderRange(-0.5, 2.5, 0.01, 0.5)
    assert line.learning_rates == compute.LEARNING_RATES
    assert line.default_learning_rate == compute.DEFAULT_LEARNING_RATE
    assert line.number(0.0123456, ".4f") == "0.0123"


@pytest.mark.parametrize("step,expected", [(1.4, 0.01), (3.0, 0.02), (0.0035, 2e-5), (900, 5)])
def test_slider_steps_are_round_numbers_giving_about_200_positions(step, expected):
    assert compute.nice_step(step) == expected  # hand-picked: the next of 1, 2, 5 × 10^k


@pytest.mark.parametrize("x_scale", [1e-6, 1.0, 1000.0])
@pytest.mark.parametrize("y_scale", [1e-3, 1.0, 1e5])
def test_slider_ranges_hold_the_exact_line_and_the_flat_start_whatever_the_units(x_scale, y_scale):
    X = pd.DataFrame({"conc": np.array(CONC, float) * x_scale})
    y = pd.Series(np.array(A562) * y_scale, name="signal")
    line = compute.line_settings(X, y)
    fit = scipy.stats.linregress(X["conc"], y)
    for slider, exact in [(line.b0, fit.intercept), (line.b1, fit.slope)]:
        assert slider.start < exact < slider.stop
        positions = (slider.stop - slider.start) / slider.step
        assert 100 <= positions <= 600 and positions == pytest.approx(round(positions))
        assert slider.start / slider.step == pytest.approx(round(slider.start / slider.step))
    assert line.b0.value == pytest.approx(y.mean(), abs=line.b0.step / 2)  # flat line at mean y
    assert line.b1.value == 0.0
    # the slope slider spans exact slope ± 1.5·sd(y)/sd(x), widened to whole steps
    half_width = 1.5 * y.std() / X["conc"].std()
    assert line.b1.stop - line.b1.start == pytest.approx(2 * half_width, abs=2 * line.b1.step)
    assert line.number(123456.789, ".4f") == "123457"


@pytest.mark.parametrize("x_scale", [1e-3, 1.0, 1000.0])
def test_learning_rates_straddle_the_divergence_limit_two_over_L(x_scale):
    X = pd.DataFrame({"conc": np.array(CONC, float) * x_scale})
    y = pd.Series(A562, name="A562")
    D = np.column_stack([np.ones(len(X)), X["conc"]])
    limit = 2 / np.linalg.eigvalsh(2 * D.T @ D / len(y)).max()  # Hessian of the MSE
    rates, start = compute.learning_rate_options(X)
    assert min(rates) < limit < max(rates)
    assert start <= 0.6 * limit
    assert not compute.descend(X, y, start, 100).growing
    assert compute.descend(X, y, max(rates), 100).growing


def test_standardising_own_x_lets_gradient_descent_reach_the_exact_loss(plate):
    X, y = compute.own_line_data(plate, "A562", "conc_ug_per_ml")
    table = compute.standardised_scaling_comparison(X, y)
    z = (X["conc_ug_per_ml"] - X["conc_ug_per_ml"].mean()) / X["conc_ug_per_ml"].std()
    for name, column in [("as given", X["conc_ug_per_ml"]), ("standardised", z)]:
        design = np.column_stack([np.ones(len(column)), column])
        assert table.loc[name, "condition_number"] == pytest.approx(np.linalg.cond(design))
    exact = sklearn.metrics.mean_squared_error(
        y, sklearn.linear_model.LinearRegression().fit(X, y).predict(X)
    )
    np.testing.assert_allclose(table["exact_loss"], exact, rtol=1e-9)
    assert table.loc["standardised", "loss_after_steps"] == pytest.approx(exact, rel=1e-6)
    assert table.loc["as given", "loss_after_steps"] > 10 * exact  # µg/mL: a narrow valley


def test_loss_surface_axes_follow_the_own_data_slider_ranges(plate):
    X, y = compute.own_line_data(plate, "A562", "conc_ug_per_ml")
    line = compute.line_settings(X, y)
    b0_range, b1_range = (line.b0.start, line.b0.stop), (line.b1.start, line.b1.stop)
    fig = figures.loss_surface(X.iloc[:, 0], y, line.b0.value, line.b1.value,
                               b0_range=b0_range, b1_range=b1_range)  # fmt: skip
    axes = fig.axes[0]
    assert axes.get_xlim() == pytest.approx(b0_range) and axes.get_ylim() == pytest.approx(b1_range)
    residual_fig = figures.line_with_residuals(X.iloc[:, 0], y, 0.1, 0.001, xlabel=line.x_label,
                                               ylabel=line.y_label)  # fmt: skip
    assert residual_fig.axes[0].get_xlabel() == "conc_ug_per_ml"
    assert residual_fig.axes[0].get_ylabel() == "A562"


def test_the_page_opens_on_the_builtin_example_with_no_file(lesson_defs):
    assert lesson_defs["data_source"].value == compute.BUILTIN_DATA
    assert lesson_defs["own_table"] is None and lesson_defs["own_problem"] is None
    assert lesson_defs["line"] == compute.builtin_line_settings()


def lesson_folds(n: int):
    from benchlearn.evaluate import KFold

    return KFold(compute.CV_FOLDS, shuffle=True, random_state=compute.SEED).split(np.zeros(n))


def test_own_polynomial_errors_are_numpy_polyfits_on_the_same_split(plate):
    X, y = compute.own_line_data(plate, "A562", "conc_ug_per_ml")
    split = compute.own_curve_split(X, y)
    X_train, X_test, y_train, y_test = split
    assert len(y_train) + len(y_test) == len(y) and not set(X_train.index) & set(X_test.index)
    max_degree = compute.own_max_degree(X, y, split)
    table = compute.degree_errors(X, y, split, max_degree)
    assert list(table.index) == list(range(1, max_degree + 1))
    folds = list(lesson_folds(len(y)))
    for degree in table.index:
        coefficients = np.polyfit(X_train.iloc[:, 0], y_train, degree)
        predicted = np.polyval(coefficients, X_test.iloc[:, 0])
        assert table.loc[degree, "test_rmse"] == pytest.approx(
            sklearn.metrics.root_mean_squared_error(y_test, predicted), rel=1e-7
        )
        fold_rmse = []
        for train, test in folds:
            c = np.polyfit(X.iloc[train, 0], y.iloc[train], degree)
            fold_rmse.append(
                sklearn.metrics.root_mean_squared_error(
                    y.iloc[test], np.polyval(c, X.iloc[test, 0])
                )
            )
        assert table.loc[degree, "cv_rmse"] == pytest.approx(np.mean(fold_rmse), rel=1e-7)


def test_own_polynomial_degree_is_limited_by_distinct_x_values_and_rows(plate):
    X, y = compute.own_line_data(plate, "A562", "conc_ug_per_ml")
    split = compute.own_curve_split(X, y)
    distinct = split[0].iloc[:, 0].nunique()  # hand count: degree d needs d + 1 x values
    assert compute.own_max_degree(X, y, split) == min(compute.MAX_DEGREE, distinct - 1)
    X20 = pd.DataFrame({"x": np.arange(20.0)})
    y20 = pd.Series(np.sin(np.arange(20.0)))
    # 10 training rows, all different: degree 9; the smallest CV training set has 16 rows
    assert compute.own_max_degree(X20, y20, compute.own_curve_split(X20, y20)) == 9
    X9, y9 = X20.iloc[:9], y20.iloc[:9]
    assert compute.own_max_degree(X9, y9, compute.own_curve_split(X9, y9)) == 0  # < 10 rows
    n = compute.MAX_OWN_DEGREE_ROWS + 1
    X_big, y_big = pd.DataFrame({"x": np.arange(n, dtype=float)}), pd.Series(np.ones(n))
    assert compute.own_max_degree(X_big, y_big, compute.own_curve_split(X_big, y_big)) == 0


def test_own_file_sections_list_every_section_used_only_for_a_learners_file():
    from benchlearn.lessons.lesson1 import content

    own = {key for key in content.SECTIONS if key.startswith("own_") and key != "own_data"}
    assert set(content.OWN_FILE_SECTIONS) == own


def test_a_table_too_big_to_stay_interactive_points_to_benchlearn_fit():
    n = compute.MAX_OWN_ROWS + 1
    frame = pd.DataFrame({"conc": np.arange(n, dtype=float), "A562": np.arange(n) % 7.0})
    frame.attrs["source"] = "kinetics.csv"
    with pytest.raises(UsageError) as caught:
        compute.own_line_data(frame, "A562", "conc")
    assert "10,001 usable rows" in caught.value.message
    assert "benchlearn fit kinetics.csv --y A562 --x conc" in caught.value.message
    _, y = compute.own_line_data(frame.iloc[:-1], "A562", "conc")
    assert len(y) == compute.MAX_OWN_ROWS


def test_loss_surface_of_the_largest_allowed_table_is_the_mse_at_every_grid_point():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1000, compute.MAX_OWN_ROWS)
    y = 0.1 + 0.001 * x + rng.normal(0, 0.02, x.size)
    b0, b1 = np.linspace(-1, 1, 121), np.linspace(-0.001, 0.003, 121)
    grid = figures.mse_grid(x, y, b0, b1)  # one slope at a time: ~10 MB, not 1.2 GB
    for i, j in [(0, 0), (60, 70), (120, 3)]:
        expected = sklearn.metrics.mean_squared_error(y, b0[j] + b1[i] * x)
        assert grid[i, j] == pytest.approx(expected, rel=1e-12)
