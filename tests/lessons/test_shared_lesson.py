"""What a room of learners shares: the lesson's heavy results and its figures, computed once.

A lesson server runs each browser session as a thread of one process; these tests play two or
more sessions as threads calling the lesson's cached functions at the same moment (no server,
no websocket).
"""

import threading

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from benchlearn.lessons import shared
from benchlearn.lessons.lesson1 import biotech, biotech_page, blocks, data, figures


def at_once(count, call):
    """``call(i)`` from threads ``i = 0 .. count - 1`` released together; results in order."""
    results = [None] * count
    barrier = threading.Barrier(count)

    def session(i):
        barrier.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_two_sessions_opening_part_4_at_once_compute_each_example_once():
    before = biotech_page.shown_example.cache_info().misses
    shown = at_once(2, lambda _: biotech_page.shown_example("subtypes", 4))
    assert shown[0] is shown[1]
    assert 'data-testid="readout-subtypes"' in shown[0] and "k = 4" in shown[0]
    assert biotech_page.shown_example.cache_info().misses == before + 1
    # and the same numbers as the example computed directly
    example = biotech.subtypes_example(n_clusters=4)
    assert biotech_page.readout_text(example) in shown[0]


def test_the_lessons_data_are_prepared_once_for_a_room():
    computed = []
    original = data.assay_curve_data.function

    def counted():
        computed.append(1)
        return original()

    data.assay_curve_data.cache_clear()
    data.assay_curve_data.function = counted
    try:
        results = at_once(5, lambda _: data.assay_curve_data())
    finally:
        data.assay_curve_data.function = original
    assert computed == [1]
    assert all(result is results[0] for result in results)


def test_a_figure_drawn_with_equal_data_by_two_sessions_is_built_and_rendered_once():
    X, y = data.assay_line_data()
    # each session holds its own copies of the data
    copies = [(X.iloc[:, 0].copy(), y.copy()) for _ in range(2)]
    built_before, rendered_before = shared.figure_cache_info()
    figs = at_once(2, lambda i: figures.residual_plot(*copies[i]))
    assert figs[0] is figs[1]
    pages = at_once(2, lambda i: blocks.figure_html(figs[i], "the residuals"))
    assert pages[0] is pages[1] and pages[0].startswith('<img src="data:image/png;base64,')
    built, rendered = shared.figure_cache_info()
    assert built.misses == built_before.misses + 1
    assert rendered.misses == rendered_before.misses + 1


@shared.shared_figure
def line_figure(x, y, b0, b1, *, points="measured wells"):
    """A small figure builder like the lesson's: the wells and the line ``b0 + b1·x``."""
    fig = Figure(figsize=(2.0, 1.6))
    ax = fig.subplots()
    ax.scatter(x, y, s=6, label=points)
    ax.plot(x, b0 + b1 * np.asarray(x, dtype=float))
    return fig


def test_a_figure_of_other_numbers_is_drawn_anew():
    X, y = data.assay_line_data()
    x = X.iloc[:, 0]
    changed = y.copy()
    changed.iloc[3] += 0.01  # one well read differently
    first = line_figure(x, y, 0.2, 1.0)
    assert line_figure(x, changed, 0.2, 1.0) is not first
    assert line_figure(x, y, 0.2, 1.01) is not first
    assert line_figure(x, y, 0.2, 1.0, points="wells") is not first
    moved = line_figure(x, changed, 0.2, 1.0)
    assert blocks.figure_html(moved, "a") != blocks.figure_html(first, "a")


def test_the_fingerprint_is_by_content_and_refuses_what_cannot_be_compared():
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    assert shared.fingerprint(frame) == shared.fingerprint(frame.copy())
    assert shared.fingerprint(frame) != shared.fingerprint(frame * 1.0000001)
    assert shared.fingerprint(np.arange(3)) != shared.fingerprint(np.arange(3.0))
    assert shared.fingerprint(lambda: 1) is None


def test_a_figure_from_an_unmarked_builder_is_rendered_each_time():
    fig = Figure(figsize=(2, 2))
    fig.subplots().plot([0, 1], [0, 1])
    _, before = shared.figure_cache_info()
    blocks.figure_html(fig, "a line")
    blocks.figure_html(fig, "a line")
    _, after = shared.figure_cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)
