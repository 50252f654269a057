"""Parts 1 and 2 of lesson 1 in Chromium: the rule's histogram, and Part 2's two data sets.

One served lesson and one page load for the module (``lesson_page`` in conftest.py, which also
checks that nothing is requested outside 127.0.0.1). Expected numbers are recomputed here with
benchlearn on the same data and checked against scikit-learn.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import expect
from sklearn.metrics import accuracy_score, adjusted_rand_score

from benchlearn import KMeans, LogisticRegression
from benchlearn.lessons.lesson1 import data, part2, rule_histogram

from .conftest import press

pytestmark = pytest.mark.browser

UPDATE_MS = 60_000  # a change reaches the page in ~0.1 s when idle; allow a busy machine
RULE = "Rule threshold: mean nucleus radius (pixels)"
K = "Number of clusters (k)"
TUMOURS = next(name for name, key in part2.DATA_CHOICES.items() if key == "tumours")
BIOPSIES = next(name for name, key in part2.DATA_CHOICES.items() if key == "biopsies")
SCREEN = {"width": 1366, "height": 768}


def ari_for(key: str, k: int) -> float:
    """The adjusted Rand index of k-means on data set ``key``, by scikit-learn."""
    rows = part2.rows_for(key)
    labels = KMeans(n_clusters=k, random_state=data.SEED).fit(rows.Z_all).labels_
    return adjusted_rand_score(rows.y_all, labels)


def fits_one_screen(page, *locators) -> None:
    """All ``locators`` can be seen together in a 1366×768 window (after scrolling the first
    into view)."""
    size = page.viewport_size
    page.set_viewport_size(SCREEN)
    try:
        locators[0].scroll_into_view_if_needed()
        boxes = [locator.bounding_box() for locator in locators]
        top = min(box["y"] for box in boxes)
        bottom = max(box["y"] + box["height"] for box in boxes)
        right = max(box["x"] + box["width"] for box in boxes)
        assert bottom - top <= SCREEN["height"] and right <= SCREEN["width"], boxes
    finally:
        page.set_viewport_size(size)


def test_the_rule_slider_moves_a_line_over_the_histogram_of_the_two_diagnoses(
    lesson_page, lesson_artifacts
):
    page = lesson_page.page
    histogram = page.get_by_test_id("rule-histogram")
    line = page.get_by_test_id("rule-line")
    expect(histogram.locator("img")).to_have_attribute("alt", re.compile("benign and malignant"))
    biopsy = data.biopsies()
    lefts = []
    for keys in (["Home"], ["End"]):
        threshold = press(page, RULE, *keys)
        expect(histogram).to_have_attribute("data-threshold", f"{threshold:g}", timeout=UPDATE_MS)
        called = np.where(biopsy.X_test["mean_radius"] > threshold, "malignant", "benign")
        expect(page.get_by_test_id("readout-rule-accuracy")).to_have_text(
            f"Rule accuracy = {100 * accuracy_score(biopsy.y_test, called):.1f}%"
        )
        wrong = rule_histogram.mistakes(biopsy.X_test, biopsy.y_test, threshold)
        expect(page.get_by_text(re.compile(r"At this threshold the rule calls"))).to_contain_text(
            f"calls {wrong['false_alarms']} benign test biopsies malignant"
        )
        lefts.append(line.bounding_box()["x"])
    assert lefts[1] > lefts[0] + 100  # the line crossed the picture
    slider = page.get_by_role("slider", name=RULE, exact=True)
    fits_one_screen(page, slider, histogram, page.get_by_test_id("readout-rule-accuracy"))
    size = page.viewport_size
    page.set_viewport_size(SCREEN)
    slider.scroll_into_view_if_needed()
    page.screenshot(path=lesson_artifacts / "part1-rule-histogram.png")
    page.set_viewport_size(size)
    press(page, RULE, "PageDown", "PageDown")  # back to the default, 15: ten steps a key
    expect(histogram).to_have_attribute("data-threshold", "15", timeout=UPDATE_MS)


def test_choosing_the_tumours_and_k_changes_every_part_2_output(lesson_page, lesson_artifacts):
    page = lesson_page.page
    supervised = page.get_by_test_id("readout-supervised-accuracy")
    ari = page.get_by_test_id("readout-ari")
    table = ari.locator("xpath=preceding-sibling::table[1]")
    figure = page.get_by_role("img", name=re.compile("on the first two principal components"))
    k = int(press(page, K, "Home"))
    assert k == 2
    expect(ari).to_have_text(f"ARI = {ari_for('biopsies', 2):.3f}", timeout=UPDATE_MS)
    expect(supervised).to_contain_text("test biopsies right (always benign")
    page.get_by_role("radio", name=TUMOURS, exact=True).check()
    tumours = part2.tumours()
    model = LogisticRegression().fit(tumours.Z_train, tumours.y_train)
    accuracy = accuracy_score(tumours.y_test, model.predict(tumours.Z_test))
    expect(supervised).to_contain_text(
        f"Trained with the labels: {100 * accuracy:.1f}% of 50 test tumours right",
        timeout=UPDATE_MS,
    )
    expect(ari).to_have_text(f"ARI = {ari_for('tumours', 2):.3f}", timeout=UPDATE_MS)
    expect(figure).to_have_attribute("alt", re.compile(r"^The 198 tumours .* by ER status"))
    headings = table.locator("thead tr").evaluate_all(
        "rows => rows.map(r => r.cells[0].textContent)"
    )
    assert headings == ["cluster", "ER status"]
    press(page, K, "ArrowRight")
    expect(ari).to_have_text(f"ARI = {ari_for('tumours', 3):.3f}", timeout=UPDATE_MS)
    expect(figure).to_have_attribute("alt", re.compile("by 3 k-means clusters"))
    counts = table.evaluate("t => [...t.tBodies[0].rows].map(r => r.cells.length - 1)")
    assert counts == [3, 3]  # ER-negative and ER-positive rows, one column per cluster
    radio = page.get_by_role("radio", name=TUMOURS, exact=True)
    fits_one_screen(page, radio, page.get_by_role("slider", name=K, exact=True), ari, figure)
    size = page.viewport_size
    page.set_viewport_size(SCREEN)
    radio.scroll_into_view_if_needed()
    page.screenshot(path=lesson_artifacts / "part2-tumours-k3.png")
    page.set_viewport_size(size)
    # back to the page's start: the biopsies at k = 2
    page.get_by_role("radio", name=BIOPSIES, exact=True).check()
    press(page, K, "Home")
    expect(ari).to_have_text(f"ARI = {ari_for('biopsies', 2):.3f}", timeout=UPDATE_MS)


def test_part_1_and_2_readouts_are_at_body_text_size(lesson_page):
    page = lesson_page.page
    body = page.get_by_text(re.compile(r"At this threshold the rule calls"))
    size = body.evaluate("e => getComputedStyle(e).fontSize")
    for testid in ("rule-accuracy", "supervised-accuracy", "ari"):
        readout = page.get_by_test_id(f"readout-{testid}")
        assert readout.evaluate("e => getComputedStyle(e).fontSize") == size, testid
