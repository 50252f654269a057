"""Lesson 1 in Chromium: first-load time and the latency from a control's move to its output.

Serves lesson 1 on 127.0.0.1 (as ``benchlearn lesson 1`` does), opens it in Debian's headless
Chromium through Playwright, and measures

- the first load: from the request of the page until every cell has shown its output (the
  glossary, the last cell, and the over-fitting readout, the slowest) and nothing is stale;
- for each control, ``REPEATS`` moves (a key press on a slider, a click on a button) and the
  time until the readout that control drives shows new text.

Prints the median and 90th percentile per control in one table. Goal (issue 15): at most 150 ms
median per control, first load under 5 s. Run it with
``.venv/bin/python benchmarks/bench_lesson_latency.py`` (needs ``/usr/bin/chromium``; takes a
few minutes).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
REPEATS = 11
TIMEOUT_MS = 60_000
# control kind, accessible name, readout it drives (data-testid), the two keys pressed in turn
# (each press must change the readout's text: one step of the threshold often does not)
CONTROLS = [
    ("slider", "Rule threshold: mean nucleus radius (pixels)", "readout-rule-accuracy",
     ("End", "Home")),
    ("slider", "Number of clusters (k)", "readout-ari", ("ArrowRight", "ArrowLeft")),
    ("slider", "Intercept (b0)", "readout-mse", ("ArrowRight", "ArrowLeft")),
    ("slider", "Slope (b1)", "readout-mse", ("ArrowRight", "ArrowLeft")),
    ("button", "Take one step", "readout-gd", ()),
    ("slider", "Polynomial degree", "readout-degree-rmse", ("ArrowRight", "ArrowLeft")),
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
    page, kind: str, name: str, testid: str, keys: tuple[str, ...]
) -> list[float]:
    """Milliseconds from each of ``REPEATS`` moves of a control until its readout changes."""
    readout = page.get_by_test_id(testid)
    if kind == "slider":
        control = page.get_by_role("slider", name=name, exact=True)
        control.scroll_into_view_if_needed()
        control.focus()
        control.press("Home")  # from the lowest position the first ArrowRight changes the value
    else:
        control = page.get_by_role("button", name=name, exact=True)
        control.scroll_into_view_if_needed()
    readout.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    times = []
    for i in range(REPEATS):
        old = readout.text_content()
        start = time.perf_counter()
        if kind == "slider":
            control.press(keys[i % 2])
        else:
            control.click()
        wait_for_new_text(page, testid, old)
        times.append(1000 * (time.perf_counter() - start))
        page.wait_for_timeout(300)  # let the other cells the move reran settle
    return times


def main() -> None:
    from playwright.sync_api import sync_playwright

    from benchlearn.lessons.server import start_lesson

    with sync_playwright() as playwright, start_lesson(1) as server:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        load = first_load(page, server.url)
        rows = [(kind, name, control_latencies(page, kind, name, testid, keys))
                for kind, name, testid, keys in CONTROLS]  # fmt: skip
        browser.close()
    print(f"first load until every cell has its output: {load:.1f} s")
    print()
    print("| control | median (ms) | 90th percentile (ms) |")
    print("|---|---:|---:|")
    for _, name, times in rows:
        print(f"| {name} | {statistics.median(times):.0f} | {np.percentile(times, 90):.0f} |")


if __name__ == "__main__":
    main()
