"""Lesson 1 in Chromium: first-load time and the latency from a control's move to its output.

Serves lesson 1 on 127.0.0.1 (as ``benchlearn lesson 1`` does), opens it in Debian's headless
Chromium through Playwright, and measures

- the first load: from the request of the page until every cell has shown its output (the
  glossary, the last cell, and the over-fitting readout, the slowest) and nothing is stale;
- for each control, ``REPEATS`` moves (a key press on a slider, a click on a button, a new
  choice in a dropdown) and the time until the readout that control drives shows new text.
  Parts 1-3's controls are named by their accessible names; Part 4's examples are computed
  when scrolled to, so each is first scrolled into view and waited for.

Prints the median and 90th percentile per control in one table. Goal (issue 15): at most 150 ms
median per control, first load under 5 s. Run it with
``.venv/bin/python benchmarks/bench_lesson_latency.py`` (needs ``/usr/bin/chromium``; takes a
few minutes).
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
REPEATS = 11
TIMEOUT_MS = 60_000
# control kind, accessible name, readout it drives (data-testid), the two moves made in turn:
# keys pressed on a slider (each press must change the readout's text: one step of the
# threshold often does not), options chosen in a dropdown; a button is clicked (after the
# untimed undoing move given, for a button whose second press would change nothing).
CONTROLS = [
    # Part 1
    ("slider", "Rule threshold: mean nucleus radius (pixels)", "readout-rule-accuracy",
     ("End", "Home")),
    # Part 2
    ("slider", "Number of clusters (k)", "readout-ari", ("ArrowRight", "ArrowLeft")),
    # Part 3
    ("slider", "Intercept (b0)", "readout-mse", ("ArrowRight", "ArrowLeft")),
    ("slider", "Slope (b1)", "readout-mse", ("ArrowRight", "ArrowLeft")),
    ("slider", "Learning rate", "readout-gd", ("ArrowRight", "ArrowLeft")),
    ("button", "Take one step", "readout-gd", ()),
    ("button", "Run 50 steps", "readout-gd", ()),
    # pressed again these change nothing: each press follows an untimed move that undoes it
    ("button", "Start again", "readout-gd", ("button", "Take one step")),
    ("button", "Solve exactly", "readout-mse", ("slider", "Intercept (b0)")),
    ("slider", "Polynomial degree", "readout-degree-rmse", ("ArrowRight", "ArrowLeft")),
    # Part 4
    ("select", "Descriptors used to predict solubility", "readout-solubility",
     ("all eight descriptors", "the four of Delaney's ESOL equation")),
    ("slider", "Untested compounds tested next (%)", "readout-screening",
     ("ArrowRight", "ArrowLeft")),
    ("slider", "Tumour groups asked for (k)", "readout-subtypes", ("ArrowRight", "ArrowLeft")),
    ("slider", "Cell groups asked for (k)", "readout-cell-types", ("ArrowRight", "ArrowLeft")),
    ("slider", "Annotated pixels to learn from", "readout-nuclei", ("ArrowRight", "ArrowLeft")),
    ("select", "Patient groups by", "readout-bias", ("tumour grade", "age at diagnosis")),
]  # fmt: skip


def wait_for_new_text(page, testid: str, old: str) -> None:
    """Wait until the readout ``testid`` shows text other than ``old``."""
    page.wait_for_function(
        "([id, old]) => { const e = document.querySelector(`[data-testid='${id}']`);"
        " return e && e.textContent !== old; }",
        arg=[testid, old],
        polling="raf",
        timeout=TIMEOUT_MS,
    )


def first_load(page, url: str) -> float:
    """Seconds from asking for the page until every cell has shown its output."""
    start = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS * 3)
    page.get_by_role("heading", name="Glossary").wait_for(timeout=TIMEOUT_MS * 3)
    page.get_by_test_id("readout-degree-rmse").wait_for(timeout=TIMEOUT_MS * 3)
    page.wait_for_function(
        "() => document.querySelectorAll('.marimo-output-stale').length === 0",
        polling="raf",
        timeout=TIMEOUT_MS * 3,
    )
    return time.perf_counter() - start


def control_latencies(
    page, kind: str, name: str, testid: str, keys: tuple[str, ...], repeats: int = REPEATS
) -> list[float]:
    """Milliseconds from each of ``repeats`` moves of a control until its readout changes."""
    readout = page.get_by_test_id(testid)
    if kind == "slider":
        control = page.get_by_role("slider", name=name, exact=True)
        control.scroll_into_view_if_needed()
        control.focus()
        control.press("Home")  # from the lowest position the first ArrowRight changes the value
    elif kind == "select":
        control = page.get_by_role("combobox", name=name, exact=True)
        control.scroll_into_view_if_needed()
    else:
        control = page.get_by_role("button", name=name, exact=True)
        control.scroll_into_view_if_needed()
    readout.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    times = []
    for i in range(repeats):
        if kind == "button" and keys:
            undo(page, *keys, testid)
        old = readout.text_content()
        start = time.perf_counter()
        if kind == "slider":
            control.press(keys[i % 2])
        elif kind == "select":
            control.select_option(label=keys[i % 2])
        else:
            control.click()
        wait_for_new_text(page, testid, old)
        times.append(1000 * (time.perf_counter() - start))
        page.wait_for_timeout(300)  # let the other cells the move reran settle
    return times


def undo(page, kind: str, name: str, testid: str) -> None:
    """An untimed move that changes the readout ``testid``, so the next press changes it back."""
    old = page.get_by_test_id(testid).text_content()
    if kind == "slider":
        page.get_by_role("slider", name=name, exact=True).press("ArrowRight")
    else:
        page.get_by_role("button", name=name, exact=True).click()
    wait_for_new_text(page, testid, old)
    page.wait_for_timeout(300)


def main() -> None:
    import argparse

    from playwright.sync_api import sync_playwright

    from benchlearn.lessons.server import start_lesson

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help="moves per control")
    repeats = parser.parse_args().repeats
    started = time.perf_counter()
    with sync_playwright() as playwright, start_lesson(1) as server:
        ready = time.perf_counter() - started
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        load = first_load(page, server.url)
        rows = []
        for kind, name, testid, keys in CONTROLS:
            try:
                times = control_latencies(page, kind, name, testid, keys, repeats)
                rows.append((name, times, ""))
            except Exception as error:  # reported in the table; the other controls go on
                rows.append((name, [], f"{type(error).__name__}: {str(error).splitlines()[0]}"))
        browser.close()
    print(f"server answering after {ready:.1f} s (it warms the lesson up in the background)")
    print(f"first load until every cell has its output: {load:.1f} s")
    print()
    print("| control | median (ms) | 90th percentile (ms) |")
    print("|---|---:|---:|")
    for name, times, failure in rows:
        if failure:
            print(f"| {name} | not measured: {failure} | |")
        else:
            print(f"| {name} | {statistics.median(times):.0f} | {np.percentile(times, 90):.0f} |")
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
