"""Lesson 1 in Chromium on the learner's own file: upload, choose columns, every Part 3 widget.

The session's served lesson (``lesson_page``) is driven as a learner would: choose "Your own
file", upload a CSV with an unread well, pick the columns, leave the unread row out, move the
sliders, press the buttons. Before the upload, and while the file is refused, every section
stays on the lesson's example. The numbers on the page are checked against the file read
independently (the data layer, then benchlearn's metric, scikit-learn's LinearRegression and a
hand-computed gradient step); the refused file must show the data layer's own message. No
request may leave this machine. Choosing the lesson's example again at the end gives the page
back as the other browser tests expect it.

Each accepted choice of data recomputes all of Part 3 (seconds), so the test makes one: the
upload and the column choice are refused (an empty cell), and only ticking "Leave out rows with
empty cells" gives data. The messages of other bad files (text in a number column, too few
rows, a constant predictor) are the same page code with other texts: they are checked without a
browser in test_app_own_data.py and test_own_data.py.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest
import sklearn.linear_model
import sklearn.metrics

from benchlearn.data import MissingValuesDropped, read_table, select_columns
from benchlearn.errors import DataError
from benchlearn.evaluate import mean_squared_error
from benchlearn.lessons.lesson1 import overfitting, own_data, settings

pytestmark = pytest.mark.browser

UPDATE_MS = 120_000  # a new file recomputes all of Part 3: seconds when idle, a minute when busy

# A BCA plate with a column the learner does not want as y: the lesson's default (last
# numeric column) is the plate temperature, so the test has to choose A562 itself. Well C2
# was not read: its absorbance and temperature cells are empty (row 7 of the file).
PLATE = """well,conc_ug_per_ml,A562,temperature_c
A1,0,0.101,24.9
A2,0,0.098,25.0
B1,125,0.247,25.1
B2,125,0.251,25.0
C1,250,0.392,24.8
C2,250,,
D1,500,0.662,25.1
D2,500,0.671,24.9
E1,750,0.949,25.0
F1,1000,1.221,25.3
F2,1000,1.230,25.1
"""


def numbers_after(text: str, *names: str) -> list[float]:
    """The numbers printed after ``name = `` in a readout, in the order of ``names``."""
    return [float(re.search(rf"{re.escape(n)} = ([-+\d.e]+)", text).group(1)) for n in names]


def wait_until(check, timeout_ms: int = UPDATE_MS):
    """Poll ``check()`` until it returns a true value (the page updates asynchronously)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            result = check()
        except (AttributeError, ValueError):  # readout not there yet, or half-drawn
            result = None
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def photograph_part_3(page, path: Path, last=None) -> None:
    """Screenshot from the data choice down to ``last`` (default: the over-fitting figures), or
    to the bottom of the screen if ``last`` is further down.

    marimo scrolls its own container, not the window, so a picture holds at most the viewport;
    making the viewport as tall as Part 3 for it would lay out and paint the whole page again
    twice (~3 s of Chromium's processor time), for a picture only a reviewer looks at.
    """
    from playwright.sync_api import expect

    if last is None:
        last = page.locator('img[alt^="Training, test and cross-validation RMSE"]')
    # wait until no cell is re-running (marimo greys such outputs out)
    expect(page.locator(".marimo-output-stale")).to_have_count(0, timeout=UPDATE_MS)
    size = page.viewport_size
    top = page.get_by_text("Data for Part 3", exact=True)
    top.evaluate("element => element.scrollIntoView({block: 'start'})")
    start = max(0, top.bounding_box()["y"] - 20)
    bottom = min(last.bounding_box()["y"] + last.bounding_box()["height"] + 20, size["height"])
    page.screenshot(path=str(path), clip={"x": 0, "y": start, "width": size["width"],
                                          "height": bottom - start})  # fmt: skip


def several_predictors_run_on_the_plate(page, frame) -> None:
    """Part 3's several predictors on the plate: its x column, then the temperature added.

    The scores are scikit-learn's on the lesson's random quarter of the plate's read rows.
    """
    from playwright.sync_api import expect

    from benchlearn.evaluate import train_test_split

    def expected_r2(columns: list[str]) -> str:
        with pytest.warns(MissingValuesDropped):
            X, y = select_columns(frame, "A562", columns, drop_missing=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
        model = sklearn.linear_model.LinearRegression().fit(X_train, y_train)
        return f"Test R² = {model.score(X_test, y_test):.3f}"

    readout = page.get_by_test_id("readout-test-r2")
    expect(readout).to_have_text(expected_r2(["conc_ug_per_ml"]), timeout=UPDATE_MS)
    chooser = page.get_by_role("button", name="Predictors")
    chooser.scroll_into_view_if_needed()
    chooser.click()
    popup = page.get_by_role("dialog")  # the multiselect's list of choices
    temperature = popup.get_by_role("option", name="temperature_c", exact=True)
    expect(temperature).to_be_visible()
    expect(popup.get_by_role("option", name="logP", exact=True)).to_have_count(0)
    temperature.click()
    page.keyboard.press("Escape")
    expect(readout).to_have_text(expected_r2(["conc_ug_per_ml", "temperature_c"]),
                                 timeout=UPDATE_MS)  # fmt: skip
    rows = page.locator("table").filter(has_text="95% CI lower").locator("tbody tr")
    expect(rows).to_have_count(3)  # intercept, concentration, temperature


@pytest.fixture
def plate_file(tmp_path) -> Path:
    """The plate with its unread well, as the learner saved it."""
    path = tmp_path / "bca_plate.csv"
    path.write_text(PLATE)
    return path


@pytest.fixture
def own_file_page(lesson_page):
    """The session's lesson page, given back on the lesson's example whatever the test left."""
    from playwright.sync_api import expect

    yield lesson_page
    page = lesson_page.page
    page.get_by_role("radio", name=own_data.BUILTIN_DATA).check()
    expect(page.get_by_text(re.compile(r"Using \d+ rows of "))).to_have_count(0, timeout=UPDATE_MS)
    builtin = settings.builtin_line_settings()
    expect(page.get_by_role("slider", name="Intercept (b0)")).to_have_attribute(
        "aria-valuemax", f"{builtin.b0.stop:g}", timeout=UPDATE_MS
    )
    expect(page.locator(".marimo-output-stale")).to_have_count(0, timeout=UPDATE_MS)


def test_own_csv_is_refused_for_an_empty_cell_then_drives_every_part_3_widget(
    own_file_page, plate_file, lesson_artifacts
):
    from playwright.sync_api import expect

    page = own_file_page.page
    frame = read_table(plate_file)
    with pytest.warns(MissingValuesDropped):
        X, y = select_columns(frame, "A562", ["conc_ug_per_ml"], drop_missing=True)
    x = X["conc_ug_per_ml"].to_numpy()
    builtin = settings.builtin_line_settings()

    def on_the_lesson_example() -> None:
        """Every Part 3 section there, running on the lesson's example (its slider ranges)."""
        for role, name in [("slider", "Intercept (b0)"), ("slider", "Slope (b1)"),
                           ("button", "Take one step"), ("button", "Solve exactly"),
                           ("slider", "Polynomial degree"), ("button", "Predictors")]:  # fmt: skip
            expect(page.get_by_role(role, name=name, exact=True)).to_have_count(1)
        for readout in ["mse", "gd", "curve", "test-r2", "degree-rmse"]:
            expect(page.get_by_test_id(f"readout-{readout}")).to_have_count(1)
        expect(page.get_by_role("slider", name="Intercept (b0)")).to_have_attribute(
            "aria-valuemax", f"{builtin.b0.stop:g}", timeout=UPDATE_MS
        )
        expect(page.get_by_text(re.compile(r"Using \d+ rows of "))).to_have_count(0)

    # "Your own file" chosen, nothing uploaded yet: the page waits, every section stays
    page.get_by_role("radio", name=own_data.OWN_DATA).check()
    expect(page.get_by_text("Choose a file above (or drop it on the box).")).to_be_visible()
    on_the_lesson_example()

    # the upload: the default y (the last numeric column, the temperature) has an empty cell
    upload = page.locator("input[type=file]")
    upload.wait_for(state="attached", timeout=UPDATE_MS)
    upload.set_input_files(plate_file)
    y_choice = page.get_by_role("combobox", name="Measured quantity (y)")
    expect(y_choice).to_have_value("temperature_c", timeout=UPDATE_MS)
    problem = page.get_by_test_id("own-data-error")
    expect(problem).to_contain_text("row 7, column `temperature_c`: the cell is empty",
                                    timeout=UPDATE_MS)  # fmt: skip
    # A562 chosen as y: refused for its own empty cell, in the data layer's words made the page's
    with pytest.raises(DataError) as caught:
        select_columns(frame, "A562", ["conc_ug_per_ml"], min_rows=own_data.MIN_OWN_ROWS)
    y_choice.select_option("A562")
    page.get_by_role("combobox", name="Predictor (x)").select_option("conc_ug_per_ml")
    expect(problem).to_have_text(own_data.page_message(caught.value), timeout=UPDATE_MS)
    assert "bca_plate.csv, row 7, column `A562`: the cell is empty" in problem.inner_text()
    assert "rows out by ticking “Leave out rows with empty cells”" in problem.inner_text()
    # every section below keeps running, on the lesson's example: no stale numbers, no traceback
    on_the_lesson_example()
    assert "Traceback" not in page.locator("body").inner_text()
    expect(page.get_by_text("An internal error occurred")).to_have_count(0)  # marimo's crash text
    photograph_part_3(page, lesson_artifacts / "own-data-error.png", last=problem)

    # the box ticked: the unread row is left out, the page says so, Part 3 runs on the other 10
    page.get_by_role("checkbox", name="Leave out rows with empty cells").check()
    expect(page.get_by_text("Using 10 rows of bca_plate.csv: A562 (y) against conc_ug_per_ml")
           ).to_be_visible(timeout=UPDATE_MS)  # fmt: skip
    expect(page.get_by_text("1 row(s) with empty cells were left out: row(s) 7 of your file")
           ).to_be_visible()  # fmt: skip
    expect(problem).to_have_count(0)

    # the sliders are rebuilt for the chosen columns (ranges from the data): wait for them
    line = settings.line_settings(X, y)
    for name, expected in [("Intercept (b0)", line.b0), ("Slope (b1)", line.b1)]:
        slider = page.get_by_role("slider", name=name, exact=True)
        assert wait_until(
            lambda slider=slider, expected=expected: (
                [float(slider.get_attribute(f"aria-value{end}")) for end in ("min", "max", "now")]
                == pytest.approx([expected.start, expected.stop, expected.value])
            )
        ), (name, expected)
    # sliders: move both (ten steps each, one update each), then the MSE readout must be
    # benchlearn's MSE at the values shown
    readout = page.get_by_test_id("readout-mse")
    for name, key in [("Intercept (b0)", "PageDown"), ("Slope (b1)", "PageUp")]:
        slider = page.get_by_role("slider", name=name, exact=True)
        slider.focus()
        slider.press(key)
    b0 = float(page.get_by_role("slider", name="Intercept (b0)").get_attribute("aria-valuenow"))
    b1 = float(page.get_by_role("slider", name="Slope (b1)").get_attribute("aria-valuenow"))
    moved = (line.b0.value - 10 * line.b0.step, line.b1.value + 10 * line.b1.step)
    assert (b0, b1) == pytest.approx(moved) and b1 > 0  # off the flat starting line
    expected_mse = mean_squared_error(y, b0 + b1 * x)
    assert wait_until(
        lambda: (
            numbers_after(readout.inner_text(), "MSE")[0] == pytest.approx(expected_mse, rel=1e-5)
        )
    ), (readout.inner_text(), expected_mse)

    # "Solve exactly" is scikit-learn's least-squares line on the same two columns
    page.get_by_role("button", name="Solve exactly").click()
    exact = page.get_by_test_id("readout-exact")
    expect(exact).to_be_visible(timeout=UPDATE_MS)
    reference = sklearn.linear_model.LinearRegression().fit(x[:, None], y)
    reference_mse = sklearn.metrics.mean_squared_error(y, reference.predict(x[:, None]))
    np.testing.assert_allclose(
        numbers_after(exact.inner_text(), "b0", "b1", "MSE"),
        [reference.intercept_, reference.coef_[0], reference_mse],
        rtol=1e-5,
    )

    # one gradient step from (0, 0) at the offered rate is the hand-computed step on this data
    rates, start_rate = settings.learning_rate_options(X)
    page.get_by_role("button", name="Take one step").click()
    gd = page.get_by_test_id("readout-gd")
    expect(gd).to_have_text(re.compile(r"^Step 1: loss = "), timeout=UPDATE_MS)
    design = np.column_stack([np.ones_like(x), x])
    theta = start_rate * 2 * design.T @ y.to_numpy() / len(y)
    step_loss = float(np.mean((y.to_numpy() - design @ theta) ** 2))
    assert numbers_after(gd.inner_text(), "loss")[0] == pytest.approx(step_loss, rel=1e-5)
    assert min(rates) <= start_rate < max(rates)

    # the over-fitting demo runs on the same rows: degree 1's errors are NumPy's polyfit's
    X_train, X_test, y_train, y_test = overfitting.own_curve_split(X, y)
    coefficients = np.polyfit(X_train.iloc[:, 0], y_train, 1)
    rmse = [
        sklearn.metrics.root_mean_squared_error(part_y, np.polyval(coefficients, part_X.iloc[:, 0]))
        for part_X, part_y in [(X_train, y_train), (X_test, y_test)]
    ]
    degree_readout = page.get_by_test_id("readout-degree-rmse")
    np.testing.assert_allclose(
        numbers_after(degree_readout.inner_text(), "train RMSE", "test RMSE"), rmse, rtol=1e-5
    )
    # a degree-d curve needs d + 1 different x values among the (cross-validation) training rows
    highest = overfitting.own_max_degree(X, y, [X_train, X_test, y_train, y_test])
    degree = page.get_by_role("slider", name="Polynomial degree")
    assert float(degree.get_attribute("aria-valuemax")) == highest

    # the standard curve judged where it is built: scikit-learn's R² and slope, in the file's units
    curve = page.get_by_test_id("readout-curve")
    expect(curve).to_have_text(
        f"Standard curve: R² = {reference.score(x[:, None], y):.4f}, slope = "
        f"{reference.coef_[0]:.6g} A562 per unit of conc_ug_per_ml"
    )

    several_predictors_run_on_the_plate(page, frame)
    photograph_part_3(page, lesson_artifacts / "own-data.png")

    assert own_file_page.outside_requests() == []
