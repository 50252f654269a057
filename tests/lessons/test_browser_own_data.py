"""Lesson 1 in Chromium on the learner's own file: upload, choose columns, every Part 3 widget.

The session's served lesson (``lesson_page``) is driven as a learner would: choose "Your own
file", upload a CSV, pick the columns, move the sliders, press the buttons. The numbers on the
page are checked against the file read independently (the data layer, then benchlearn's
metric, scikit-learn's LinearRegression and a hand-computed gradient step); a malformed file
must show the data layer's own message. No request may leave this machine. Choosing the
lesson's example again at the end gives the page back as the other browser tests expect it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest
import sklearn.linear_model
import sklearn.metrics

from benchlearn.data import read_table, select_columns
from benchlearn.errors import DataError
from benchlearn.evaluate import mean_squared_error
from benchlearn.lessons.lesson1 import overfitting, own_data, settings

pytestmark = pytest.mark.browser

UPDATE_MS = 120_000  # a new file recomputes all of Part 3: seconds when idle, a minute when busy

# A BCA plate with a column the learner does not want as y: the lesson's default (last
# numeric column) is the plate temperature, so the test has to choose A562 itself.
PLATE = """well,conc_ug_per_ml,A562,temperature_c
A1,0,0.101,24.9
A2,0,0.098,25.0
B1,125,0.247,25.1
B2,125,0.251,25.0
C1,250,0.392,24.8
C2,250,0.387,25.2
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
    """Screenshot from the data choice down to ``last`` (default: the over-fitting figures).

    marimo scrolls its own container, not the window, so a "full page" screenshot holds only
    the viewport: make the viewport as tall as the region for the picture, then restore it.
    """
    from playwright.sync_api import expect

    if last is None:
        last = page.locator('img[alt^="Training, test and cross-validation RMSE"]')
    # wait until no cell is re-running (marimo greys such outputs out)
    expect(page.locator(".marimo-output-stale")).to_have_count(0, timeout=UPDATE_MS)
    size = page.viewport_size
    top = page.get_by_text("Data for Part 3", exact=True)
    top.scroll_into_view_if_needed()
    height = last.bounding_box()["y"] + last.bounding_box()["height"] - top.bounding_box()["y"]
    page.set_viewport_size({"width": size["width"], "height": int(height) + 200})
    try:
        top.evaluate("element => element.scrollIntoView({block: 'start'})")
        start = top.bounding_box()["y"] - 20
        bottom = last.bounding_box()["y"] + last.bounding_box()["height"] + 20
        page.screenshot(path=str(path), clip={"x": 0, "y": start, "width": size["width"],
                                              "height": bottom - start})  # fmt: skip
    finally:
        page.set_viewport_size(size)


def several_predictors_run_on_the_plate(page, frame) -> None:
    """Part 3's several predictors on the plate: its x column, then the temperature added.

    The scores are scikit-learn's on the lesson's random quarter of the plate's rows.
    """
    from playwright.sync_api import expect

    from benchlearn.evaluate import train_test_split

    def expected_r2(columns: list[str]) -> str:
        X, y = select_columns(frame, "A562", columns)
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
def plate_files(tmp_path) -> tuple[Path, Path]:
    """A good plate file and the same plate with ``n/a`` typed into one absorbance cell."""
    good = tmp_path / "bca_plate.csv"
    good.write_text(PLATE)
    bad = tmp_path / "bca_plate_typo.csv"
    bad.write_text(PLATE.replace("C2,250,0.387", "C2,250,n/a"))
    return good, bad


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


def test_own_csv_drives_the_part_3_widgets_and_a_typo_shows_the_data_layers_message(
    own_file_page, plate_files, lesson_artifacts
):
    from playwright.sync_api import expect

    page = own_file_page.page
    good, bad = plate_files
    frame = read_table(good)
    X, y = select_columns(frame, "A562", ["conc_ug_per_ml"])
    x = X["conc_ug_per_ml"].to_numpy()

    page.get_by_role("radio", name=own_data.OWN_DATA).check()
    upload = page.locator("input[type=file]")
    upload.wait_for(state="attached", timeout=UPDATE_MS)
    upload.set_input_files(good)
    y_choice = page.get_by_role("combobox", name="Measured quantity (y)")
    expect(y_choice).to_have_value("temperature_c", timeout=UPDATE_MS)
    y_choice.select_option("A562")
    page.get_by_role("combobox", name="Predictor (x)").select_option("conc_ug_per_ml")
    expect(page.get_by_text("Using 11 rows of bca_plate.csv: A562 (y) against conc_ug_per_ml")
           ).to_be_visible(timeout=UPDATE_MS)  # fmt: skip

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

    several_predictors_run_on_the_plate(page, frame)
    photograph_part_3(page, lesson_artifacts / "own-data.png")

    # the same plate with 'n/a' typed into an absorbance cell: the data layer's exact message
    with pytest.raises(DataError) as caught:
        select_columns(read_table(bad), "A562", ["conc_ug_per_ml"], min_rows=own_data.MIN_OWN_ROWS)
    upload.set_input_files(bad)
    expect(y_choice).to_have_value("temperature_c", timeout=UPDATE_MS)  # a new table
    y_choice.select_option("A562")
    problem = page.get_by_test_id("own-data-error")
    expect(problem).to_have_text(own_data.page_message(caught.value), timeout=UPDATE_MS)
    assert "bca_plate_typo.csv, row 7, column `A562`: 'n/a' is not a number" in problem.inner_text()
    # every section below keeps running, on the lesson's example: no stale numbers, no traceback
    builtin = settings.builtin_line_settings()
    expect(page.get_by_role("slider", name="Intercept (b0)")).to_have_attribute(
        "aria-valuemax", f"{builtin.b0.stop:g}", timeout=UPDATE_MS
    )
    expect(page.get_by_text("Using 11 rows of")).to_have_count(0)
    assert "Traceback" not in page.locator("body").inner_text()
    expect(page.get_by_text("An internal error occurred")).to_have_count(0)  # marimo's crash text
    photograph_part_3(page, lesson_artifacts / "own-data-error.png", last=problem)

    # too few rows, and a predictor that never changes: the data layer's messages again
    for name, text in [("two_wells.csv", "conc,A562\n0,0.1\n100,0.2\n"),
                       ("one_dose.csv", "conc,A562\n5,0.1\n5,0.2\n5,0.3\n")]:  # fmt: skip
        path = good.parent / name
        path.write_text(text)
        with pytest.raises(DataError) as caught:
            select_columns(read_table(path), "A562", ["conc"], min_rows=own_data.MIN_OWN_ROWS)
        upload.set_input_files(path)
        expect(problem).to_have_text(own_data.page_message(caught.value), timeout=UPDATE_MS)
        assert name in problem.inner_text()
    expect(page.get_by_text("only 2 usable row(s)")).to_have_count(0)  # the message was replaced

    # an empty cell is refused until the learner ticks the box that leaves such rows out
    gap = good.parent / "bca_plate_gap.csv"
    gap.write_text(PLATE.replace("C2,250,0.387", "C2,250,"))
    upload.set_input_files(gap)
    expect(y_choice).to_have_value("temperature_c", timeout=UPDATE_MS)  # the new table's
    y_choice.select_option("A562")
    expect(problem).to_contain_text("row 7, column `A562`: the cell is empty", timeout=UPDATE_MS)
    expect(problem).to_contain_text("tick “Leave out rows with empty cells”")
    page.get_by_role("checkbox", name="Leave out rows with empty cells").check()
    expect(page.get_by_text("1 row(s) with empty cells were left out: row(s) 7 of your file")
           ).to_be_visible(timeout=UPDATE_MS)  # fmt: skip
    expect(page.get_by_text("Using 10 rows of bca_plate_gap.csv")).to_be_visible()
    expect(page.get_by_role("slider", name="Intercept (b0)")).to_have_count(1)

    assert own_file_page.outside_requests() == []
