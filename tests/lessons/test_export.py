"""The offline handout of lesson 1: the lesson's words, numbers and figures in one HTML file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
import sklearn.linear_model
from sklearn.metrics import adjusted_rand_score, r2_score

from benchlearn import KMeans, LogisticRegression, MLPClassifier
from benchlearn.errors import UsageError
from benchlearn.evaluate import KFold
from benchlearn.lessons import export
from benchlearn.lessons.export import write_handout
from benchlearn.lessons.lesson1 import (
    bending,
    biotech,
    biotech_page,
    content,
    data,
    glossary,
    overfitting,
    own_data,
    questions,
    settings,
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""


class Handout(HTMLParser):
    """The parsed handout: headings, readouts, details blocks, glossary terms, every URL."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.readouts: dict[str, str] = {}
        self.details: list[Element] = []
        self.prompts: list[str] = []
        self.terms: list[str] = []
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.settings: list[str] = []
        self.text_outside_details = ""
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        watched = tag in ("h1", "h2", "h3", "details", "dt") or (
            tag in ("p", "li") and attributes.get("class") in ("readout", "prompt", "setting")
        )
        if watched:
            self._open.append(Element(tag, attributes))

    def handle_endtag(self, tag):
        if self._open and self._open[-1].tag == tag:
            element = self._open.pop()
            text = " ".join(element.text.split())
            if tag in ("h1", "h2", "h3"):
                self.headings.append(text)
            elif tag == "details":
                element.text = text
                self.details.append(element)
            elif tag == "dt":
                self.terms.append(text)
            elif element.attrs.get("class") == "setting":
                self.settings.append(text)
            elif element.attrs.get("class") == "readout":
                self.readouts[element.attrs["data-testid"].removeprefix("readout-")] = text
            else:
                self.prompts.append(text)

    def handle_data(self, data):
        for element in self._open:
            element.text += data
        if not any(e.tag == "details" for e in self._open):
            self.text_outside_details += data


@pytest.fixture(scope="module")
def handout_file(tmp_path_factory) -> Path:
    return write_handout(tmp_path_factory.mktemp("handout") / "lesson1.html")


@pytest.fixture(scope="module")
def text(handout_file) -> str:
    return handout_file.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def handout(text) -> Handout:
    parser = Handout()
    parser.feed(text)
    return parser


def headings_of(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]


def test_handout_has_every_heading_of_the_lesson_as_an_html_heading(handout):
    expected = [h for key, prose in content.SECTIONS.items() for h in headings_of(prose)
                if key not in {*content.OWN_FILE_SECTIONS, "quiz_intro", "score"}]  # fmt: skip
    expected += [f"Check your understanding: objective {n}" for n in content.OBJECTIVES]
    assert len(expected) > 15
    missing = [h for h in expected if h not in handout.headings]
    assert missing == []


def test_markdown_became_html_with_no_markup_or_latex_left(text, handout):
    assert "**" not in handout.text_outside_details
    assert "|---" not in text and "\n# " not in text and "\n## " not in text
    assert handout.tags.count("strong") > 30  # the bold glossary terms
    assert handout.tags.count("pre") >= 3  # the formulas and the commands of "own data"
    # Markdown: Parts 1 and 3; pandas: ARI, standards read back, parameters, their lab reading,
    # CV, and Part 4's subtypes and bias groups; the bending curve's steps and its comparison with R
    assert handout.tags.count("table") == 11
    assert not re.search(r"\$\$|\\\(|\\frac|\\mathrm", text)


def test_biotech_uses_and_glossary_terms_are_all_listed(handout):
    for title, _ in content.BIOTECH_USES.values():
        assert title in handout.text_outside_details
    assert handout.terms == sorted(glossary.GLOSSARY)


def test_every_question_prompt_is_there_with_its_answer_folded_away(handout):
    # the replaced sentence
    assert export.LIVE_QUIZ_HINT in " ".join(content.SECTIONS["quiz_intro"].split())
    assert export.LIVE_QUIZ_HINT not in handout.text_outside_details
    assert handout.text_outside_details.count(export.HANDOUT_QUIZ_HINT) == len(content.OBJECTIVES)
    prompts = [re.sub(r"^\d+\. ", "", p) for p in handout.prompts]
    assert prompts == [q.prompt for q in questions.QUESTIONS]
    answers = [d for d in handout.details if "Show the answer" in d.text]
    assert len(answers) == len(questions.QUESTIONS)
    for question, block in zip(questions.QUESTIONS, answers, strict=True):
        assert "open" not in block.attrs  # closed until the reader asks
        assert question.correct_choice in block.text
        assert " ".join(question.explanation.split()) in block.text
        for misconception in question.misconceptions.values():  # why each wrong choice is wrong
            assert " ".join(misconception.split()) in block.text
        # the explanation appears nowhere outside its folded block
        assert question.explanation[:60] not in handout.text_outside_details
    for question in questions.QUESTIONS:  # every choice is listed, the answer among them
        for choice in question.choices:
            assert choice in handout.text_outside_details


def test_exact_line_and_the_solved_sliders_equal_numpys_least_squares_fit(handout):
    X, y = data.assay_line_data()
    slope, intercept = np.polyfit(X.iloc[:, 0], y, 1)
    mse = np.mean((y - (intercept + slope * X.iloc[:, 0])) ** 2)
    assert handout.readouts["exact"] == (
        f"Exact: b0 = {intercept:.4f}, b1 = {slope:.4f}, MSE = {mse:.6f}"
    )
    # "Solve exactly" put the sliders on the exact line, to the sliders' step of 0.01
    b0, b1 = round(intercept, 2), round(slope, 2)
    slider_mse = np.mean((y - (b0 + b1 * X.iloc[:, 0])) ** 2)
    assert handout.readouts["mse"] == f"MSE = {slider_mse:.4f}"
    assert {f"Intercept (b0): {b0:g}", f"Slope (b1): {b1:g}"} <= set(handout.settings)


def test_gradient_descent_readout_is_fifty_steps_at_the_default_rate(handout):
    # 50 full-batch steps on the MSE by hand: theta <- theta - rate * grad, from (0, 0)
    X, y = data.assay_line_data()
    A = np.column_stack([np.ones(len(y)), X.iloc[:, 0]])
    theta = np.zeros(2)
    for _ in range(export.HANDOUT_STEPS):
        theta -= settings.DEFAULT_LEARNING_RATE * 2 * A.T @ (A @ theta - y) / len(y)
    loss = np.mean((A @ theta - y) ** 2)
    assert handout.readouts["gd"] == f"Step {export.HANDOUT_STEPS}: loss = {loss:.6g}"
    assert f"b0 = {theta[0]:.4f}, b1 = {theta[1]:.4f}" in handout.text_outside_details


@pytest.mark.filterwarnings("ignore:Gradient descent did not converge")  # as on the page
def test_accuracies_and_cluster_agreement_match_independent_counts(handout):
    biopsy = data.biopsies()
    rule = np.mean(np.where(biopsy.X_test["mean_radius"] > 15, "malignant", "benign")
                   == biopsy.y_test.to_numpy())  # fmt: skip
    assert handout.readouts["rule-accuracy"] == f"Rule accuracy = {100 * rule:.1f}%"
    learned = {
        "logistic": LogisticRegression().fit(biopsy.Z_train, biopsy.y_train),
        "network": MLPClassifier(hidden_layer_sizes=(8,), random_state=0).fit(
            biopsy.Z_train, biopsy.y_train
        ),
    }
    logistic = np.mean(learned["logistic"].predict(biopsy.Z_test) == biopsy.y_test.to_numpy())
    assert handout.readouts["logistic-accuracy"] == (
        f"Logistic regression accuracy = {100 * logistic:.1f}%"
    )
    network = np.mean(learned["network"].predict(biopsy.Z_test) == biopsy.y_test.to_numpy())
    assert handout.readouts["network-accuracy"] == f"Neural network accuracy = {100 * network:.1f}%"
    labels = KMeans(n_clusters=settings.DEFAULT_K, random_state=data.SEED).fit(biopsy.Z_all).labels_
    assert handout.readouts["ari"] == f"ARI = {adjusted_rand_score(biopsy.y_all, labels):.3f}"


def test_solubility_scores_and_polynomial_errors_match_the_lessons_computation(handout, text):
    from benchlearn.lessons.lesson1 import several

    molecules = several.molecules()
    X, y = molecules.X[list(settings.DEFAULT_PREDICTORS)], molecules.y
    train = molecules.in_training  # the published split
    predicted = sklearn.linear_model.LinearRegression().fit(X[train], y[train]).predict(X[~train])
    assert handout.readouts["test-r2"] == f"Test R² = {r2_score(y[~train], predicted):.3f}"
    rmse = np.sqrt(np.mean((y[~train] - predicted) ** 2))
    assert handout.readouts["test-rmse"] == f"Test RMSE = {rmse:.2f} log units"
    cv = []
    for fold_train, fold_test in KFold(5, shuffle=True, random_state=0).split(X):
        fold = sklearn.linear_model.LinearRegression().fit(X.iloc[fold_train], y.iloc[fold_train])
        cv.append(np.sqrt(np.mean((y.iloc[fold_test] - fold.predict(X.iloc[fold_test])) ** 2)))
    assert handout.readouts["cv-rmse"] == (
        f"Cross-validated RMSE = {np.mean(cv):.2f} ± {np.std(cv, ddof=1):.2f} log units"
    )
    table = overfitting.overfitting_table()
    assert handout.readouts["degree-rmse"] == (
        f"Degree 1: train RMSE = {table.loc[1, 'train_rmse']:.4f}, "
        f"test RMSE = {table.loc[1, 'test_rmse']:.4f}"
    )


def test_every_widget_became_the_value_it_shows_and_no_live_element_is_left(text, handout):
    assert handout.settings == [
        f"Rule threshold: mean nucleus radius (pixels): {settings.DEFAULT_THRESHOLD:g}",
        "Data for Part 2: Breast biopsies (label: the diagnosis)",
        f"Number of clusters (k): {settings.DEFAULT_K}",
        f"Data for Part 3: {own_data.BUILTIN_DATA}",
        *[s for s in handout.settings if s.startswith(("Intercept", "Slope"))],
        f"Learning rate: {settings.DEFAULT_LEARNING_RATE:g}",
        f"Predictors: {', '.join(settings.DEFAULT_PREDICTORS)}",
        "Polynomial degree: 1",
        f"{bending.STEP_LABEL}: {bending.bend_fits().last_step}",
        f"{biotech_page.SCREEN_LABEL}: {biotech_page.DEFAULT_SCREEN_PERCENT}",
        f"{biotech_page.SUBTYPES_LABEL}: {biotech_page.DEFAULT_SUBTYPES_K}",
        f"{biotech_page.CELLS_LABEL}: {biotech_page.DEFAULT_CELLS_K}",
        f"{biotech_page.PIXELS_LABEL}: {biotech_page.DEFAULT_PIXELS}",
    ]
    assert "<marimo-" not in text and "object-id=" not in text


def test_the_handout_is_the_apps_own_run_not_a_second_copy_of_the_lesson():
    import inspect

    source = inspect.getsource(export)
    assert "app.run(" in source
    # no lesson words, data or model calls of its own
    for copy in ("SECTIONS", "content.fill", "figures.", "compute", "data.", ".fit("):
        assert copy not in source, copy


def test_the_live_scores_are_left_out_of_the_handout(text, handout):
    assert "Your score" not in handout.headings
    assert 'data-testid="score-' not in text and "data-live-only" not in text


def test_paper_html_turns_widgets_and_callouts_into_static_html():
    import marimo as mo

    shown: list[str] = []
    slider = mo.ui.slider(steps=[0.1, 0.5, 2.0], value=0.5, label="Learning rate")
    box = mo.callout(mo.md("The steps are **too long**"), kind="danger")
    paper = export.paper_html(
        mo.vstack([slider, mo.ui.button(label="Run 50 steps"), box]).text,
        lambda question_id: pytest.fail("no question here"),
        shown,
    )
    assert shown == ["Learning rate: 0.5"]
    assert '<p class="setting">Learning rate: 0.5</p>' in paper
    assert '<div class="callout danger">' in paper and "<strong>too long</strong>" in paper
    assert "Run 50 steps" not in paper and "marimo-" not in paper


def test_handout_loads_nothing_from_outside_the_file(text, handout):
    assert all(urlsplit(url).scheme == "data" or url.startswith("#") for url in handout.urls)
    assert "<script" not in text and "<link" not in text
    assert "@import" not in text and "url(" not in text and "@font-face" not in text
    assert handout.tags.count("img") == 18  # 12 in Parts 1-3, one per example of Part 4
    assert "@media print" in text


def test_existing_file_is_refused_and_left_untouched_before_any_computing(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "handout_html", lambda number=1: pytest.fail("computed anyway"))
    target = tmp_path / "handout.html"
    target.write_text("the instructor's own notes")
    with pytest.raises(UsageError, match=r"already exists.*--force"):
        write_handout(target)
    assert target.read_text() == "the instructor's own notes"
    with pytest.raises(UsageError, match=r"folder .* does not exist"):
        write_handout(tmp_path / "missing" / "handout.html")


def test_force_replaces_an_existing_file(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "handout_html", lambda number=1: "<p>new</p>")
    target = tmp_path / "handout.html"
    target.write_text("old")
    write_handout(target, force=True)
    assert target.read_text() == "<p>new</p>"


def test_a_lesson_that_does_not_exist_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no lesson 4"):
        write_handout(tmp_path / "handout.html", 4)
    assert not (tmp_path / "handout.html").exists()


@pytest.mark.browser
def test_handout_opens_from_disk_in_chromium_without_any_request(
    handout_file, chromium, lesson_artifacts
):
    requests: list[str] = []
    page = chromium.new_page(viewport={"width": 1000, "height": 1400})
    try:
        page.on("request", lambda request: requests.append(request.url))
        page.goto(handout_file.as_uri())
        page.wait_for_load_state("networkidle")
        # every figure decoded from its embedded data
        widths = page.locator("img").evaluate_all("images => images.map(i => i.naturalWidth)")
        assert len(widths) == 18 and min(widths) > 100
        part3 = page.get_by_role("heading", name="Part 3 · Linear regression, whole")
        assert part3.is_visible()
        explanation = questions.QUESTIONS[0].explanation
        assert not page.get_by_text(explanation).is_visible()
        page.locator("summary", has_text="Show the answer").first.click()
        assert page.get_by_text(explanation).is_visible()
        # the first screen: a photo of the whole 30 000-pixel page took seconds to encode
        page.screenshot(path=str(lesson_artifacts / "handout.png"))
    finally:
        page.close()
    outside = [url for url in requests
               if url != handout_file.as_uri() and urlsplit(url).scheme != "data"]  # fmt: skip
    assert outside == []
    assert requests[0] == handout_file.as_uri()


def test_the_handout_shows_the_five_biotech_examples_and_the_bias_section(handout):
    headings = [line.lstrip("#").strip() for prose in biotech_page.SECTIONS.values()
                for line in prose.splitlines() if line.startswith("#")]  # fmt: skip
    assert len(headings) == 7  # Part 4, five examples, the bias caution
    assert [h for h in headings if h not in handout.headings] == []
    for area, example in biotech.default_examples().items():
        testid = biotech_page.READOUT_IDS[type(example).__name__]
        assert handout.readouts[testid] == biotech_page.readout_text(example), area
        for sentence in (example.learning, example.shows, example.does_not_show):
            assert sentence in handout.text_outside_details, area
    bias = biotech.bias_example()
    assert handout.readouts["bias-shift"] == biotech_page.shift_text(bias)
    assert bias.for_a_patient() in handout.text_outside_details
    assert bias.ask in handout.text_outside_details


def test_the_handout_shows_the_rule_histogram_and_part_2_on_both_data_sets(handout, text):
    from benchlearn.lessons.lesson1 import part2

    assert text.count('data-testid="rule-histogram"') == 1 and 'data-testid="rule-line"' in text
    biopsy = data.biopsies()
    logistic = LogisticRegression().fit(biopsy.Z_train, biopsy.y_train).predict(biopsy.Z_test)
    share = np.mean(biopsy.y_test.to_numpy() == "benign")
    assert handout.readouts["supervised-accuracy"] == (
        f"Trained with the labels: {100 * np.mean(logistic == biopsy.y_test):.1f}% of 143 test "
        f"biopsies right (always benign: {100 * share:.1f}%)"
    )
    tumours = part2.tumours()
    labels = KMeans(n_clusters=2, random_state=data.SEED).fit(tumours.Z_all).labels_
    er_ari = adjusted_rand_score(tumours.y_all, labels)
    predicted = LogisticRegression().fit(tumours.Z_train, tumours.y_train).predict(tumours.Z_test)
    accuracy = np.mean(predicted == tumours.y_test.to_numpy())
    words = " ".join(handout.text_outside_details.split())
    assert f"match ER status only loosely (ARI {er_ari:.2f})" in words
    assert f"right for {100 * accuracy:.1f}% of the held-out tumours" in words
