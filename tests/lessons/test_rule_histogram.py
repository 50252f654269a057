"""Part 1's histogram under the rule slider: the test biopsies by radius, the threshold a line."""

import re

import numpy as np
import pytest
import sklearn.metrics

from benchlearn.lessons.lesson1 import approaches, data, rule_histogram, settings


def test_bins_are_the_sliders_steps_and_hold_every_test_biopsy():
    radius = data.biopsies().X_test["mean_radius"].to_numpy()
    edges = rule_histogram.bin_edges(radius)
    assert np.allclose(np.diff(edges), rule_histogram.STEP)
    slider = np.arange(rule_histogram.LOW, rule_histogram.HIGH + 0.25, rule_histogram.STEP)
    assert np.isin(slider, edges).all()  # each slider position is a bin edge
    counts, _ = np.histogram(radius, bins=edges)
    assert counts.sum() == len(radius) == 143


@pytest.mark.parametrize("threshold", [8.0, 12.5, settings.DEFAULT_THRESHOLD, 19.0, 25.0])
def test_the_two_mistakes_are_what_the_accuracy_does_not_count(threshold):
    biopsy = data.biopsies()
    wrong = rule_histogram.mistakes(biopsy.X_test, biopsy.y_test, threshold)
    called = approaches.rule_predictions(biopsy.X_test, threshold)
    matrix = sklearn.metrics.confusion_matrix(biopsy.y_test, called, labels=["benign", "malignant"])
    assert (wrong["false_alarms"], wrong["missed"]) == (matrix[0, 1], matrix[1, 0])
    accuracy = sklearn.metrics.accuracy_score(biopsy.y_test, called)
    assert 1 - sum(wrong.values()) / len(biopsy.y_test) == pytest.approx(accuracy)


def line_left(threshold: float) -> float:
    html = rule_histogram.histogram_html(threshold)
    return float(re.search(r'data-testid="rule-line" style="[^"]*left:([\d.]+)%', html).group(1))


def test_the_line_sits_at_the_threshold_on_the_pictures_axis():
    drawn = rule_histogram.background()
    left, _, width, _ = drawn.axes
    start, stop = drawn.x_range
    for threshold in (rule_histogram.LOW, 15.0, rule_histogram.HIGH):
        expected = 100 * (left + width * (threshold - start) / (stop - start))
        assert line_left(threshold) == pytest.approx(expected, abs=0.01)
    assert line_left(8.0) < line_left(8.5) < line_left(25.0) < 100 * (left + width)


def test_the_picture_is_drawn_once_and_only_the_line_moves():
    first, second = rule_histogram.histogram_html(10.0), rule_histogram.histogram_html(20.0)
    image = re.compile(r'<img src="(data:image/png;base64,[^"]+)"')
    assert image.search(first).group(1) == image.search(second).group(1)
    assert rule_histogram.background() is rule_histogram.background()
    assert 'data-threshold="20"' in second and "at 20 pixels" in second
