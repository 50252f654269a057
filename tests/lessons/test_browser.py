"""Lesson 1 in Chromium: sections, sliders, gradient descent, questions, clusters, "Show code".

One served lesson and one page load serve every browser test module (``lesson_page`` in
conftest.py); each test sets the widgets it reads. Numbers on the page are checked against
benchlearn recomputed here from the same data, against scikit-learn/NumPy, or by hand.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect
from scipy.special import comb
from sklearn.metrics import accuracy_score, adjusted_rand_score, root_mean_squared_error

from benchlearn import KMeans, LinearRegression
from benchlearn.evaluate import adjusted_rand_index, mean_squared_error
from benchlearn.lessons.lesson1 import content, data, figures, overfitting, settings
from benchlearn.lessons.lesson1.questions import questions_for

from .conftest import press, running_animations

pytestmark = pytest.mark.browser

UPDATE_MS = 30_000  # a widget change reaches the page in ~0.1 s when idle; allow a busy machine


def heading_of(markdown: str) -> str:
    """The text of the first Markdown heading in ``markdown``."""
    line = next(line for line in markdown.splitlines() if line.startswith("#"))
    return line.lstrip("#").strip()


SECTIONS = {
    "intro": heading_of(content.SECTIONS["intro"]),
    "biotech": heading_of(content.SECTIONS["biotech"]),
    "ai_ml_dl": heading_of(content.SECTIONS["nesting_intro"]),
    "supervised_unsupervised": heading_of(content.SECTIONS["supervised_intro"]),
    "linear_regression": heading_of(content.SECTIONS["regression_intro"]),
    "check_your_understanding": heading_of(
        content.fill("quiz_intro", objective=1, goal=content.OBJECTIVES[1])
    ),
    "glossary": heading_of(content.SECTIONS["glossary_intro"]),
}


def number_after(text: str, name: str) -> float:
    """The number printed after ``name = `` in a readout."""
    return float(re.search(rf"{re.escape(name)} = ([-+\d.e]+)", text).group(1))


def gd_readout(page) -> tuple[int, float]:
    """``(step, loss)`` shown by the gradient-descent readout."""
    text = page.get_by_test_id("readout-gd").inner_text()
    match = re.fullmatch(r"Step (\d+): loss = (\S+)", text)
    return int(match.group(1)), float(match.group(2))


def ari_from_table(counts: np.ndarray) -> float:
    """Adjusted Rand index by hand from a contingency table (Hubert and Arabie, 1985)."""
    pairs = comb(counts, 2).sum()
    rows, cols = comb(counts.sum(axis=1), 2).sum(), comb(counts.sum(axis=0), 2).sum()
    expected = rows * cols / comb(counts.sum(), 2)
    return float((pairs - expected) / ((rows + cols) / 2 - expected))


def test_the_loaded_page_keeps_still_while_the_learner_reads(lesson_page):
    # first of the browser tests: Part 4's examples, drawn when scrolled into view, are not yet
    # (marimo's spinner for them would spin out of view until then)
    page = lesson_page.page
    page.wait_for_load_state("networkidle")
    assert running_animations(page) == []


def test_every_section_renders_without_errors_and_is_photographed(lesson_page, lesson_artifacts):
    page = lesson_page.page
    for name, title in SECTIONS.items():
        heading = page.get_by_role("heading", name=title, exact=True)
        expect(heading).to_have_count(1)
        heading.evaluate("element => element.scrollIntoView({block: 'start'})")
        expect(heading).to_be_in_viewport()
        page.screenshot(path=str(lesson_artifacts / f"{name}.png"))
    for objective in (2, 3):
        title = heading_of(content.fill("quiz_intro", objective=objective, goal=""))
        expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(1)
    # every figure arrived as an image the browser could decode
    images = page.locator("img[alt]")
    assert images.count() >= 8
    widths = images.evaluate_all("imgs => imgs.map(img => img.naturalWidth)")
    assert min(widths) > 0
    # marimo's run mode replaces a failing cell's output with this sentence
    expect(page.get_by_text("An internal error occurred")).to_have_count(0)


def test_intercept_and_slope_sliders_give_the_mse_benchlearn_computes(lesson_page):
    page = lesson_page.page
    X, y = data.assay_line_data()
    x = X.iloc[:, 0].to_numpy()
    readout = page.get_by_test_id("readout-mse")
    start = press(page, "Intercept (b0)"), press(page, "Slope (b1)")
    shown = []
    # a ten-step page up the intercept and six up the slope bring the line close to the ELISA
    # standards (b0 ≈ 0.45, b1 ≈ 1.14 from the defaults 0.3, 0.5); End/Home go far away
    for b0_keys, b1_keys in [([], []), (["PageUp"], ["PageUp"] * 6), (["End"], ["Home"])]:
        b0 = press(page, "Intercept (b0)", *b0_keys)
        b1 = press(page, "Slope (b1)", *b1_keys)
        expected = mean_squared_error(y, b0 + b1 * x)
        expect(readout).to_have_text(f"MSE = {expected:.4f}", timeout=UPDATE_MS)
        shown.append((b0, b1, expected))
    assert shown[1][:2] == pytest.approx((start[0] + 0.1, start[1] + 0.6))
    assert shown[2][:2] == (figures.B0_RANGE[1], figures.B1_RANGE[0])
    assert shown[1][2] < shown[0][2] and shown[1][2] < shown[2][2]  # closer to the standards
    assert len({mse for *_, mse in shown}) == 3


@pytest.mark.parametrize(
    ("control", "figures_moved"),
    [
        (("slider", "Intercept (b0)"), ["line", "surface"]),
        (("slider", "Slope (b1)"), ["line", "surface"]),
        (("button", "Take one step"), ["descent", "loss"]),
        (("button", "Run 50 steps"), ["descent", "loss"]),
        (("slider", "Polynomial degree"), ["curve", "errors"]),
    ],
)
def test_part_3_controls_fit_one_1366_by_768_screen_with_the_figures_they_move(
    lesson_page, lesson_artifacts, control, figures_moved
):
    page = lesson_page.page
    size = page.viewport_size
    page.set_viewport_size({"width": 1366, "height": 768})
    try:
        widget = page.get_by_role(control[0], name=control[1], exact=True)
        shown = [widget] + [page.locator(f'[data-figure="{name}"]') for name in figures_moved]
        boxes = [item.bounding_box() for item in shown]
        top = min(box["y"] for box in boxes)
        bottom = max(box["y"] + box["height"] for box in boxes)
        assert bottom - top <= 768 and max(box["x"] + box["width"] for box in boxes) <= 1366
        widget.evaluate("e => e.scrollIntoView({block: 'start'})")  # the control on top
        page.mouse.move(683, 400)
        page.mouse.wheel(0, -40)
        for item in shown:
            expect(item).to_be_in_viewport(ratio=1)
        page.screenshot(path=str(lesson_artifacts / f"part3-{figures_moved[0]}.png"))
    finally:
        page.set_viewport_size(size)


def test_rule_threshold_gives_the_rules_accuracy_on_the_test_biopsies(lesson_page):
    page = lesson_page.page
    biopsies = data.biopsies()
    readout = page.get_by_test_id("readout-rule-accuracy")
    name = "Rule threshold: mean nucleus radius (pixels)"
    for keys in ([], ["ArrowRight"] * 2):
        threshold = press(page, name, *keys)
        # the hand-written rule, applied here by hand, scored by scikit-learn
        rule = np.where(biopsies.X_test["mean_radius"] > threshold, "malignant", "benign")
        expected = accuracy_score(biopsies.y_test, rule)
        expect(readout).to_have_text(f"Rule accuracy = {100 * expected:.1f}%", timeout=UPDATE_MS)


def test_polynomial_degree_gives_train_and_test_rmse_of_a_least_squares_polynomial(lesson_page):
    page = lesson_page.page
    X_train, X_test, y_train, y_test = overfitting.curve_split()
    readout = page.get_by_test_id("readout-degree-rmse")
    now = int(press(page, "Polynomial degree"))
    for target in (2, 3):
        keys = ["ArrowRight"] * (target - now) + ["ArrowLeft"] * (now - target)
        now = int(press(page, "Polynomial degree", *keys))
        assert now == target
        # NumPy's least-squares polynomial on the same training wells (x: optical density)
        coefficients = np.polyfit(X_train.iloc[:, 0], y_train, target)
        train = root_mean_squared_error(y_train, np.polyval(coefficients, X_train.iloc[:, 0]))
        test = root_mean_squared_error(y_test, np.polyval(coefficients, X_test.iloc[:, 0]))
        expect(readout).to_have_text(
            f"Degree {target}: train RMSE = {train:.4f}, test RMSE = {test:.4f}",
            timeout=UPDATE_MS,
        )


def test_gradient_descent_lowers_the_loss_and_a_too_large_rate_diverges(lesson_page):
    page = lesson_page.page
    _, y = data.assay_line_data()
    readout = page.get_by_test_id("readout-gd")
    callout = page.get_by_text("The steps are too long")
    default = settings.LEARNING_RATES.index(settings.DEFAULT_LEARNING_RATE)
    now = int(press(page, "Learning rate"))  # the slider's position is an index into the rates
    keys = ["ArrowRight"] * (default - now) + ["ArrowLeft"] * (now - default)
    assert press(page, "Learning rate", *keys) == default
    page.get_by_role("button", name="Start again").click()
    # the descent starts at b0 = b1 = 0, where the MSE is the mean of y² (hand computation)
    start = float(np.mean(np.asarray(y) ** 2))
    expect(readout).to_have_text(f"Step 0: loss = {start:.6g}", timeout=UPDATE_MS)

    page.get_by_role("button", name="Take one step").click()
    expect(readout).to_have_text(re.compile(r"^Step 1: "), timeout=UPDATE_MS)
    _, after_one = gd_readout(page)
    page.get_by_role("button", name="Run 50 steps").click()
    expect(readout).to_have_text(re.compile(r"^Step 51: "), timeout=UPDATE_MS)
    _, after_51 = gd_readout(page)
    assert after_51 < after_one < start
    expect(callout).to_have_count(0)

    largest = len(settings.LEARNING_RATES) - 1
    assert press(page, "Learning rate", "End") == largest
    expect(readout).to_have_text(re.compile(r"^Step 0: "), timeout=UPDATE_MS)  # a new rate restarts
    page.get_by_role("button", name="Run 50 steps").click()
    expect(callout).to_be_visible(timeout=UPDATE_MS)
    steps, loss = gd_readout(page)
    assert steps > 0 and loss > start


def test_solve_exactly_shows_the_least_squares_line_and_moves_the_sliders_there(lesson_page):
    page = lesson_page.page
    X, y = data.assay_line_data()
    model = LinearRegression().fit(X, y)
    b0, b1 = float(model.intercept_), float(model.coef_[0])
    mse = mean_squared_error(y, model.predict(X))
    page.get_by_role("button", name="Solve exactly").click()
    readout = page.get_by_test_id("readout-exact")
    expect(readout).to_have_text(
        f"Exact: b0 = {b0:.4f}, b1 = {b1:.4f}, MSE = {mse:.6f}", timeout=UPDATE_MS
    )
    # and the printed line is NumPy's least-squares line to the printed digits
    slope, intercept = np.polyfit(X.iloc[:, 0], y, 1)
    text = readout.inner_text()
    assert number_after(text, "b0") == pytest.approx(intercept, abs=5e-5)
    assert number_after(text, "b1") == pytest.approx(slope, abs=5e-5)
    # the sliders moved to the exact line, to their step of 0.01
    for name, value in [("Intercept (b0)", intercept), ("Slope (b1)", slope)]:
        slider = page.get_by_role("slider", name=name, exact=True)
        expect(slider).to_have_attribute("aria-valuenow", f"{round(value, 2):g}", timeout=UPDATE_MS)


def test_a_wrong_pick_gets_its_hint_then_a_retry_and_the_score_counts_first_tries(lesson_page):
    page = lesson_page.page
    first, second = questions_for(1)[:2]
    wrong = [choice for choice in first.choices if choice != first.correct_choice]
    box = page.get_by_test_id(f"question-{first.id}")
    feedback = page.get_by_test_id(f"feedback-{first.id}")
    # first miss: what the choice mixes up, no answer yet
    box.get_by_role("radio", name=wrong[0], exact=True).click()
    expect(feedback).to_have_attribute("data-revealed", "false", timeout=UPDATE_MS)
    expect(feedback).to_have_text(re.compile(r"^Not quite:"))
    expect(feedback).to_contain_text(first.misconceptions[wrong[0]])
    expect(feedback).not_to_contain_text(first.correct_choice)
    # second miss: its own hint, and now the answer
    box.get_by_role("radio", name=wrong[1], exact=True).click()
    expect(feedback).to_have_attribute("data-revealed", "true", timeout=UPDATE_MS)
    expect(feedback).to_contain_text(first.misconceptions[wrong[1]])
    expect(feedback).to_contain_text(first.correct_choice)
    box.get_by_role("radio", name=first.correct_choice, exact=True).click()
    expect(feedback).to_have_attribute("data-correct", "true", timeout=UPDATE_MS)
    # right at the first try on the second question: the score counts that one only
    page.get_by_test_id(f"question-{second.id}").get_by_role(
        "radio", name=second.correct_choice, exact=True
    ).click()
    expect(page.get_by_test_id("score-1")).to_have_text(
        f"Objective 1: 1 of {len(questions_for(1))} right at the first try (2 answered)",
        timeout=UPDATE_MS,
    )
    expect(page.get_by_test_id("score-2")).to_have_text(
        f"Objective 2: 0 of {len(questions_for(2))} right at the first try (0 answered)"
    )


def test_each_right_answer_is_confirmed_and_counted(lesson_page):
    page = lesson_page.page
    for question in questions_for(2):
        box = page.get_by_test_id(f"question-{question.id}")
        box.get_by_role("radio", name=question.correct_choice, exact=True).click()
        feedback = page.get_by_test_id(f"feedback-{question.id}")
        expect(feedback).to_have_attribute("data-correct", "true", timeout=UPDATE_MS)
        expect(feedback).to_have_text(re.compile(r"^Correct\."))
    n = len(questions_for(2))
    expect(page.get_by_test_id("score-2")).to_have_text(
        f"Objective 2: {n} of {n} right at the first try ({n} answered)", timeout=UPDATE_MS
    )


def test_number_of_clusters_changes_the_ari_which_matches_scikit_learn(lesson_page):
    page = lesson_page.page
    readout = page.get_by_test_id("readout-ari")
    table = readout.locator("xpath=preceding-sibling::table[1]")
    biopsies = data.biopsies()
    shown = {}
    for keys in (["Home"], ["ArrowRight"]):
        k = int(press(page, "Number of clusters (k)", *keys))
        labels = KMeans(n_clusters=k, random_state=data.SEED).fit(biopsies.Z_all).labels_ + 1
        reference = adjusted_rand_score(biopsies.y_all, labels)
        expect(readout).to_have_text(f"ARI = {reference:.3f}", timeout=UPDATE_MS)
        assert adjusted_rand_index(biopsies.y_all, labels) == pytest.approx(reference)
        # the table on the page is this clustering's, and gives the same ARI by hand
        cells = table.evaluate(
            "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent))"
        )
        counts = np.array([[int(c) for c in row[1:]] for row in cells])
        crosstab = pd.crosstab(biopsies.y_all.to_numpy(), labels)
        np.testing.assert_array_equal(counts, crosstab.to_numpy())
        assert ari_from_table(counts) == pytest.approx(reference)
        shown[k] = readout.inner_text()
    # the table's rows and columns are named in the reader's words
    headings = table.locator("thead tr").evaluate_all(
        "rows => rows.map(r => r.cells[0].textContent)"
    )
    assert headings == ["cluster", "diagnosis"]
    assert set(shown) == {2, 3}
    assert shown[2] != shown[3]


# The page's "Show code" is marimo's: it builds a code editor for every cell in one go (~4 s
# of Chromium's work here for ~100 cells with lesson.css's rule below, ~14 s without it;
# benchmarks/bench_lesson_latency.py times it).
# What the learner reads there is each cell's code, checked in-process for every cell behind a
# figure (test_app.py's test_show_code_of_each_figures_cell_is_the_benchlearn_call_itself);
# the served lesson's code reaching the browser is checked on the deck, whose "Show code"
# builds one slide's editors (test_presenting_mode_serves_a_slide_deck_with_nothing_from_outside).
# Here: the page offers it, and lesson.css lets Chromium skip drawing the cells out of view
# while the code is shown (marimo then takes the ``published`` class off each cell), never on
# the page as published.
CELL_DRAWING = """(cell) => {
  const published = getComputedStyle(cell).contentVisibility;
  cell.classList.remove('published');
  const showingCode = getComputedStyle(cell).contentVisibility;
  cell.classList.add('published');
  return [published, showingCode];
}"""


def test_the_page_offers_show_code(lesson_page):
    page = lesson_page.page
    menu = page.get_by_test_id("notebook-actions-dropdown").get_by_role("button")
    menu.click()
    show_code = page.get_by_role("menuitem", name="Show code")
    expect(show_code).to_be_visible(timeout=UPDATE_MS)
    page.keyboard.press("Escape")
    expect(show_code).to_have_count(0, timeout=UPDATE_MS)
    expect(page.locator(".cm-content")).to_have_count(0)  # the code stays hidden until asked
    cells = page.locator(".marimo-cell")
    assert cells.count() == page.locator(".marimo-cell.published").count() > 50
    assert cells.last.evaluate(CELL_DRAWING) == ["visible", "auto"]


def test_the_visit_requests_nothing_outside_this_machine(lesson_page):
    page = lesson_page.page
    page.get_by_role("heading", name=SECTIONS["glossary"]).scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    hosts = {re.match(r"\w+://([^/]+)", url).group(1) for url in lesson_page.requests}
    assert lesson_page.url.split("/")[2] in hosts  # the log works: the page itself is in it
    assert any(url.startswith("ws://") for url in lesson_page.requests)
    assert lesson_page.outside_requests() == []
    # the fixture checks again after the last test of the module


def test_presenting_mode_serves_a_slide_deck_with_nothing_from_outside(
    presented_lesson, lesson_page, lesson_artifacts
):
    page = presented_lesson.page
    # the deck comes from the page's own server (one preparation for both), at its /present/
    deck, learners = urlsplit(page.url), urlsplit(lesson_page.url)
    assert deck.netloc == learners.netloc and deck.path == "/present/"
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Home")  # reveal.js: to the first slide
    first = page.get_by_role("heading", name=SECTIONS["intro"], exact=True)
    expect(first).to_be_visible(timeout=UPDATE_MS)
    # one slide per output
    assert page.locator(".reveal .slides > section").count() >= 20
    second = page.get_by_role("heading", name=SECTIONS["biotech"], exact=True)
    expect(second).not_to_be_visible()  # one slide at a time

    page.get_by_role("button", name="next slide").click()
    expect(second).to_be_visible(timeout=UPDATE_MS)
    expect(first).not_to_be_visible()
    page.screenshot(path=str(lesson_artifacts / "present.png"), animations="disabled")

    show_code = page.get_by_role("button", name="Show code").element_handle()
    show_code.click()
    code = page.locator(".cm-content").filter(has_text='content.SECTIONS["biotech"]')
    expect(code).to_be_visible(timeout=UPDATE_MS)
    show_code.click()  # hidden again for the other presenting tests
    expect(code).not_to_be_visible(timeout=UPDATE_MS)
    assert presented_lesson.outside_requests() == []
