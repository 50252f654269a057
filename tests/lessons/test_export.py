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
from benchlearn.evaluate import KFold, train_test_split
from benchlearn.lessons import export
from benchlearn.lessons.export import write_handout
from benchlearn.lessons.lesson1 import compute, content, glossary, questions


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
        self.text_outside_details = ""
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        watched = tag in ("h1", "h2", "h3", "details", "dt") or (
            tag == "p" and attributes.get("class") in ("readout", "prompt")
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
                if key not in {*content.OWN_FILE_SECTIONS, "quiz_intro"}]  # fmt: skip
    expected += [f"Check your understanding: objective {n}" for n in content.OBJECTIVES]
    assert len(expected) > 15
    missing = [h for h in expected if h not in handout.headings]
    assert missing == []


def test_markdown_became_html_with_no_markup_or_latex_left(text, handout):
    assert "**" not in handout.text_outside_details
    assert "|---" not in text and "\n# " not in text and "\n## " not in text
    assert handout.tags.count("strong") > 30  # the bold glossary terms
    assert handout.tags.count("pre") >= 3  # the formulas and the commands of "own data"
    # the two Markdown tables of Parts 1 and 3 plus the pandas tables
    assert handout.tags.count("table") >= 6
    assert not re.search(r"\$\$|\\\(|\\frac|\\mathrm", text)


def test_biotech_uses_and_glossary_terms_are_all_listed(handout):
    for title, _ in content.BIOTECH_USES.values():
        assert title in handout.text_outside_details
    assert handout.terms == sorted(glossary.GLOSSARY)


def test_every_question_prompt_is_there_with_its_answer_folded_away(handout):
    assert export.LIVE_QUIZ_HINT in content.SECTIONS["quiz_intro"]  # the replaced sentence
    assert export.LIVE_QUIZ_HINT not in handout.text_outside_details
    assert handout.text_outside_details.count(export.HANDOUT_QUIZ_HINT) == 3
    prompts = [re.sub(r"^\d+\. ", "", p) for p in handout.prompts]
    assert prompts == [q.prompt for q in questions.QUESTIONS]
    answers = [d for d in handout.details if "Show the answer" in d.text]
    assert len(answers) == len(questions.QUESTIONS)
    for question, block in zip(questions.QUESTIONS, answers, strict=True):
        assert "open" not in block.attrs  # closed until the reader asks
        assert question.correct_choice in block.text
        assert " ".join(question.explanation.split()) in block.text
        # the explanation appears nowhere outside its folded block
        assert question.explanation[:60] not in handout.text_outside_details
    for question in questions.QUESTIONS:  # every choice is listed, the answer among them
        for choice in question.choices:
            assert choice in handout.text_outside_details


def test_exact_line_equals_numpys_least_squares_fit_of_the_same_standards(handout):
    X, y = compute.assay_line_data()
    slope, intercept = np.polyfit(X.iloc[:, 0], y, 1)
    mse = np.mean((y - (intercept + slope * X.iloc[:, 0])) ** 2)
    assert handout.readouts["exact"] == (
        f"Exact: b0 = {intercept:.4f}, b1 = {slope:.4f}, MSE = {mse:.6f}"
    )
    start_mse = np.mean((y - (compute.DEFAULT_B0 + compute.DEFAULT_B1 * X.iloc[:, 0])) ** 2)
    assert handout.readouts["mse"] == f"MSE = {start_mse:.4f}"


def test_gradient_descent_readout_is_fifty_steps_at_the_default_rate(handout):
    # 50 full-batch steps on the MSE by hand: theta <- theta - rate * grad, from (0, 0)
    X, y = compute.assay_line_data()
    A = np.column_stack([np.ones(len(y)), X.iloc[:, 0]])
    theta = np.zeros(2)
    for _ in range(export.HANDOUT_STEPS):
        theta -= compute.DEFAULT_LEARNING_RATE * 2 * A.T @ (A @ theta - y) / len(y)
    loss = np.mean((A @ theta - y) ** 2)
    assert handout.readouts["gd"] == f"Step {export.HANDOUT_STEPS}: loss = {loss:.6g}"
    assert f"b0 = {theta[0]:.4f}, b1 = {theta[1]:.4f}" in handout.text_outside_details


@pytest.mark.filterwarnings("ignore:Gradient descent did not converge")  # as on the page
def test_accuracies_and_cluster_agreement_match_independent_counts(handout):
    biopsy = compute.biopsies()
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
    labels = (
        KMeans(n_clusters=compute.DEFAULT_K, random_state=compute.SEED).fit(biopsy.Z_all).labels_
    )
    assert handout.readouts["ari"] == f"ARI = {adjusted_rand_score(biopsy.y_all, labels):.3f}"


def test_diabetes_scores_and_polynomial_errors_match_the_lessons_computation(handout, text):
    X, y = compute.diabetes_data(compute.DEFAULT_PREDICTORS)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    predicted = sklearn.linear_model.LinearRegression().fit(X_train, y_train).predict(X_test)
    assert handout.readouts["test-r2"] == f"Test R² = {r2_score(y_test, predicted):.3f}"
    rmse = np.sqrt(np.mean((y_test - predicted) ** 2))
    assert handout.readouts["test-rmse"] == f"Test RMSE = {rmse:.1f}"
    cv = []
    for train, test in KFold(5, shuffle=True, random_state=0).split(X):
        fold = sklearn.linear_model.LinearRegression().fit(X.iloc[train], y.iloc[train])
        cv.append(np.sqrt(np.mean((y.iloc[test] - fold.predict(X.iloc[test])) ** 2)))
    assert handout.readouts["cv-rmse"] == (
        f"Cross-validated RMSE = {np.mean(cv):.1f} ± {np.std(cv, ddof=1):.1f}"
    )
    table = compute.overfitting_table()
    assert handout.readouts["degree-rmse"] == (
        f"Degree 1: train RMSE = {table.loc[1, 'train_rmse']:.4f}, "
        f"test RMSE = {table.loc[1, 'test_rmse']:.4f}"
    )
    for degree in table.index:  # every degree's test error is printed in the table
        assert f"<td>{table.loc[degree, 'test_rmse']:.4g}</td>" in text


def test_numbers_equal_the_marimo_page_run_at_its_default_widgets(handout, text, lesson_defs):
    page = lesson_defs  # every variable of lesson 1's cells after app.run()
    rule = f"Rule accuracy = {100 * page['rule_accuracy']:.1f}%"
    assert handout.readouts["rule-accuracy"] == rule
    assert handout.readouts["ari"] == f"ARI = {page['grouping']['ari']:.3f}"
    assert handout.readouts["mse"] == f"MSE = {page['slider_mse']:.4f}"
    assert handout.readouts["exact"] == (
        f"Exact: b0 = {page['exact_b0']:.4f}, b1 = {page['exact_b1']:.4f}, "
        f"MSE = {page['exact_loss']:.6f}"
    )
    assert handout.readouts["test-r2"] == f"Test R² = {page['scores']['test_r2']:.3f}"
    assert handout.readouts["cv-rmse"].startswith(
        f"Cross-validated RMSE = {page['cv_scores']['test_rmse'].mean():.1f} "
    )
    params = page["diabetes_model"].params_
    assert list(page["chosen"]) == list(compute.DEFAULT_PREDICTORS)
    for value in params["estimate"]:  # the parameter table of the default predictors
        assert f"<td>{value:.4g}</td>" in text
    scaling = page["scaling"]
    assert f"{scaling.loc['µg/mL', 'loss_after_steps']:.6f}" in text


def test_handout_loads_nothing_from_outside_the_file(text, handout):
    assert all(urlsplit(url).scheme == "data" or url.startswith("#") for url in handout.urls)
    assert "<script" not in text and "<link" not in text
    assert "@import" not in text and "url(" not in text and "@font-face" not in text
    assert handout.tags.count("img") == 9
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
        assert len(widths) == 9 and min(widths) > 100
        part3 = page.get_by_role("heading", name="Part 3 · Linear regression, whole")
        assert part3.is_visible()
        explanation = questions.QUESTIONS[0].explanation
        assert not page.get_by_text(explanation).is_visible()
        page.locator("summary", has_text="Show the answer").first.click()
        assert page.get_by_text(explanation).is_visible()
        page.screenshot(path=str(lesson_artifacts / "handout.png"), full_page=True)
    finally:
        page.close()
    outside = [url for url in requests
               if url != handout_file.as_uri() and urlsplit(url).scheme != "data"]  # fmt: skip
    assert outside == []
    assert requests[0] == handout_file.as_uri()
