"""Lesson 1 in Chromium: first-load time and the latency from a control's move to its output.

Serves lesson 1 on 127.0.0.1 (as ``benchlearn lesson 1`` does), opens it in Debian's headless
Chromium through Playwright, and measures

- the first load: from the request of the page until every cell has shown its output (the
  glossary, the last cell, and the over-fitting readout, the slowest) and nothing is stale.
  ``--loads N`` first loads (default 5), each in a new browser context (an empty cache, as a
  learner's first visit), one after another on the same server: the first is the server's
  first session; the median and range show the scatter of one machine's runs;
- for each control on the page (those of ``tests/lessons/test_browser_layout.py``'s
  ``CONTROLS``, plus Part 2's data radio buttons and Part 3's "Predictors"), ``REPEATS``
  moves (a key press on a slider, a click on a button or an option, a new choice in a
  dropdown) and the time until the readout that control drives shows new text. Each control
  is first scrolled to the top of the window: Part 4's examples are computed only once they
  are in view. Part 3's "Data for Part 3" is left out: choosing "Your own file" changes no
  readout until a file is loaded (``tests/lessons/test_browser_own_data.py`` covers it);
- "Show code" (``--show-code N`` times, default 3): from choosing it in the page's menu until
  every cell's code editor is there;
- marimo's own cost (``--floor N`` first loads each, default 3): the same first load of two
  notebooks of plain Markdown cells served by ``marimo run`` as marimo ships it, one of two
  cells and one of as many cells as lesson 1 (written to a temporary folder; each load in a
  new browser context, taken in turn with the lesson's loads). What a page of that many
  cells costs before its content (marimo's page code, its work for each cell), the lesson's
  first load cannot go below.

Prints the median and 90th percentile per control in one table. Goal (issue 15): at most 150 ms
median per control, first load under 5 s. Run it with
``.venv/bin/python benchmarks/bench_lesson_latency.py`` (needs ``/usr/bin/chromium``; takes a
few minutes).
"""

from __future__ import annotations

import ast
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
REPEATS = 11
LOADS = 5
SHOW_CODE = 3  # times "Show code" is timed, on the page the controls were moved on
SCREEN = {"width": 1366, "height": 768}  # a common laptop screen, as the browser tests use
FLOOR = 3  # first loads of each plain-Markdown notebook served by marimo as it ships
TIMEOUT_MS = 60_000
LOAD_TIMEOUT_MS = 600_000  # the first load on a busy machine can take minutes
PART2_DATA = ("Tumour gene expression (label: ER status)", "Breast biopsies (label: the diagnosis)")
# One row per control: its kind, accessible name, the readout it drives (data-testid), the two
# moves made in turn, and an untimed move made before each timed one, or None.
# - slider: the keys pressed (each press must change the readout's text: one step of the
#   threshold often does not, so it goes from end to end);
# - select: the options chosen; radio: the options clicked;
# - multiselect: the option clicked in its list (in, then out again);
# - button: clicked.
# The untimed move changes the readout so that the timed one changes it back: "Start again"
# and the learning rate (which starts the descent again, at step 0 whatever the rate) after a
# step, "Solve exactly" after the intercept moved off the exact line.
# A control's readout is in the same cell output as its figure (marimo sends a cell's output
# whole), so a readout's new text means the figure has arrived too.
CONTROLS = [
    # Part 1
    ("slider", "Rule threshold: mean nucleus radius (pixels)", "readout-rule-accuracy",
     ("End", "Home"), None),
    # Part 2
    ("radio", "Data for Part 2", "readout-supervised-accuracy", PART2_DATA, None),
    ("slider", "Number of clusters (k)", "readout-ari", ("ArrowRight", "ArrowLeft"), None),
    # Part 3
    ("slider", "Intercept (b0)", "readout-mse", ("ArrowRight", "ArrowLeft"), None),
    ("slider", "Slope (b1)", "readout-mse", ("ArrowRight", "ArrowLeft"), None),
    ("slider", "Learning rate", "readout-gd", ("ArrowRight", "ArrowLeft"),
     ("button", "Take one step")),
    ("button", "Take one step", "readout-gd", (), None),
    ("button", "Run 50 steps", "readout-gd", (), None),
    ("button", "Start again", "readout-gd", (), ("button", "Take one step")),
    ("button", "Solve exactly", "readout-mse", (), ("slider", "Intercept (b0)")),
    ("multiselect", "Predictors", "readout-test-r2", ("tpsa", "tpsa"), None),
    ("slider", "Polynomial degree", "readout-degree-rmse", ("ArrowRight", "ArrowLeft"), None),
    ("slider", "Optimiser step", "readout-bend-step", ("ArrowRight", "ArrowLeft"), None),
    # Part 4
    ("select", "Descriptors used to predict solubility", "readout-solubility",
     ("all eight descriptors", "the four of Delaney's ESOL equation"), None),
    ("slider", "Untested compounds tested next (%)", "readout-screening",
     ("ArrowRight", "ArrowLeft"), None),
    ("slider", "Tumour groups asked for (k)", "readout-subtypes", ("ArrowRight", "ArrowLeft"),
     None),
    ("slider", "Cell groups asked for (k)", "readout-cell-types", ("ArrowRight", "ArrowLeft"),
     None),
    ("slider", "Annotated pixels to learn from", "readout-nuclei", ("ArrowRight", "ArrowLeft"),
     None),
    ("select", "Patient groups by", "readout-bias", ("tumour grade", "age at diagnosis"), None),
]  # fmt: skip


# The readout with a given data-testid, looked for through the shadow roots of marimo's widgets
# too (Part 4's examples are drawn inside mo.lazy's).
FIND_READOUT = """
(id) => {
  const find = (root) => {
    const found = root.querySelector(`[data-testid='${id}']`);
    if (found) return found;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) {
        const inner = find(el.shadowRoot);
        if (inner) return inner;
      }
    }
    return null;
  };
  return find(document);
}
"""


# In the page: from the move's input event (the key, the pointer or the choice, as the browser
# received it) to the start of the first animation frame that draws the readout's new text with
# every picture of its cell loaded (a picture sent by its address arrives after the text). This
# is what the learner sees; the time taken in Python also holds Playwright's own round trips to
# the browser (finding the control, sending the key, polling for the text).
WATCH_MOVE = f"""
([id, old]) => {{
  const find = {FIND_READOUT};
  const watch = {{start: null, end: null}};
  window.benchlearnMove = watch;
  const mark = (event) => {{ if (watch.start === null) watch.start = event.timeStamp; }};
  for (const type of ['keydown', 'pointerdown', 'input']) {{
    document.addEventListener(type, mark, {{capture: true, once: true}});
  }}
  const pictured = (readout) => {{
    const output = readout.closest('.marimo-cell') || readout.getRootNode();
    return [...output.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth);
  }};
  const frame = (now) => {{
    const readout = find(id);
    if (watch.start !== null && readout && readout.textContent !== old && pictured(readout)) {{
      watch.end = now;
    }} else {{
      requestAnimationFrame(frame);
    }}
  }};
  requestAnimationFrame(frame);
}}
"""


def wait_for_new_text(page, testid: str, old: str | None) -> None:
    """Wait until the readout ``testid`` shows text other than ``old``."""
    page.wait_for_function(
        f"([id, old]) => {{ const e = ({FIND_READOUT})(id); return e && e.textContent !== old; }}",
        arg=[testid, old],
        polling="raf",
        timeout=TIMEOUT_MS,
    )


def first_load(page, url: str, readouts: tuple[str, ...] = ("readout-degree-rmse",)) -> float:
    """Seconds from asking for the page until every cell has shown its output: the last cell's
    heading "Glossary" and the ``readouts`` (by data-testid; the lesson's slowest, by default)
    are there and nothing is stale."""
    start = time.perf_counter()
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("heading", name="Glossary").wait_for(timeout=LOAD_TIMEOUT_MS)
    for readout in readouts:
        page.get_by_test_id(readout).wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelectorAll('.marimo-output-stale').length === 0",
        polling="raf",
        timeout=LOAD_TIMEOUT_MS,
    )
    return time.perf_counter() - start


def lesson_cell_count() -> int:
    """The number of cells of lesson 1's app (its functions decorated with ``@app.cell``)."""
    source = Path(importlib.util.find_spec("benchlearn.lessons.lesson1.app").origin)
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return sum(
        isinstance(node, ast.FunctionDef)
        and any("app.cell" in ast.unparse(decorator) for decorator in node.decorator_list)
        for node in tree.body
    )


def plain_notebook(cells: int) -> str:
    """A marimo notebook of ``cells`` cells: marimo's import, then short Markdown paragraphs,
    and last the heading "Glossary" (what :func:`first_load` waits for, as for the lesson)."""
    parts = [
        "import marimo\n\napp = marimo.App()\n",
        "@app.cell\ndef _():\n    import marimo as mo\n    return (mo,)\n",
    ]
    for i in range(cells - 2):
        text = f"Paragraph {i + 1}: a few sentences of a lesson's text, to be read."
        parts.append(f'@app.cell\ndef _(mo):\n    mo.md("{text}")\n    return\n')
    parts.append('@app.cell\ndef _(mo):\n    mo.md("# Glossary")\n    return\n')
    return "\n\n".join(parts)


def serve_plain(path: Path) -> tuple[subprocess.Popen, str]:
    """Serve ``path`` with ``marimo run`` on a free port of 127.0.0.1; its process and URL once
    it answers."""
    from benchlearn.lessons.server import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "marimo", "-q", "run", str(path), "--headless", "--host",
         "127.0.0.1", "--port", str(port), "--no-token"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "health", timeout=5):
                return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"marimo run {path.name} did not start") from None
            time.sleep(0.2)


@contextmanager
def plain_notebooks_served() -> Iterator[dict[int, str]]:
    """A two-cell and a lesson-sized plain notebook, each served by ``marimo run``: their URLs
    by number of cells."""
    with tempfile.TemporaryDirectory(prefix="bench-marimo-floor-") as folder:
        processes = []
        try:
            urls = {}
            for size in (2, lesson_cell_count()):
                path = Path(folder) / f"plain_{size}_cells.py"
                path.write_text(plain_notebook(size), encoding="utf-8")
                process, urls[size] = serve_plain(path)
                processes.append(process)
            yield urls
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)


def find(page, kind: str, name: str, moves: tuple[str, ...] = ()):
    """The control ``name`` of ``kind`` (a multiselect: the button that opens its list; radio
    buttons: the first option it clicks)."""
    if kind == "radio":
        return page.get_by_role("radio", name=moves[0], exact=True)
    role = {"select": "combobox", "multiselect": "button"}.get(kind, kind)
    return page.get_by_role(role, name=name, exact=True)


def make_move(page, kind: str, control, move: str) -> None:
    """One move of a control: a key press, a choice, a click."""
    if kind == "slider":
        control.press(move)
    elif kind == "select":
        control.select_option(label=move)
    elif kind == "radio":
        page.get_by_role("radio", name=move, exact=True).click()
    elif kind == "multiselect":
        page.get_by_role("dialog").get_by_role("option", name=move, exact=True).click()
    else:
        control.click()


def control_latencies(
    page,
    kind: str,
    name: str,
    testid: str,
    moves: tuple[str, ...],
    before: tuple[str, str] | None,
    repeats: int = REPEATS,
) -> tuple[list[float], list[float]]:
    """Milliseconds from each of ``repeats`` moves of a control until its readout changes: as
    timed in Python around Playwright's calls, and as the page saw it (:data:`WATCH_MOVE`)."""
    control = find(page, kind, name, moves)
    # at the top of the window: Part 4's examples are computed only once they are in view
    control.evaluate("e => e.scrollIntoView({block: 'start'})")
    readout = page.get_by_test_id(testid)
    readout.wait_for(timeout=TIMEOUT_MS)
    if kind == "slider":
        control.focus()
        position, old = control.get_attribute("aria-valuenow"), readout.text_content()
        control.press("Home")  # from the lowest position the first ArrowRight changes the value
        page.wait_for_timeout(200)
        # untimed: perhaps a value computed anew (an untimed move before each timed one
        # waits for its own readout; the learning rate's, at step 0, would not change)
        if before is None and control.get_attribute("aria-valuenow") != position:
            wait_for_new_text(page, testid, old)
    page.wait_for_timeout(1000)
    times, seen = [], []
    for i in range(repeats):
        if before is not None:
            untimed_move(page, *before, testid)
        if kind == "multiselect":
            control.click()  # open its list (untimed)
            page.get_by_role("dialog").wait_for(timeout=TIMEOUT_MS)
        old = readout.text_content()
        page.evaluate(WATCH_MOVE, [testid, old])
        start = time.perf_counter()
        make_move(page, kind, control, moves[i % 2] if moves else "")
        wait_for_new_text(page, testid, old)
        times.append(1000 * (time.perf_counter() - start))
        page.wait_for_function("() => window.benchlearnMove.end !== null", timeout=TIMEOUT_MS)
        seen.append(page.evaluate("() => window.benchlearnMove.end - window.benchlearnMove.start"))
        if kind == "multiselect":
            page.keyboard.press("Escape")
        page.wait_for_timeout(300)  # let the other cells the move reran settle
    return times, seen


def untimed_move(page, kind: str, name: str, testid: str) -> None:
    """A move that changes the readout ``testid``, so that the timed move changes it back."""
    old = page.get_by_test_id(testid).text_content()
    make_move(page, kind, find(page, kind, name), "ArrowRight")
    wait_for_new_text(page, testid, old)
    page.wait_for_timeout(300)


def show_code(page) -> float:
    """Seconds from choosing "Show code" in the page's menu until every cell's code editor is
    there; the code is hidden again afterwards."""
    menu = page.get_by_test_id("notebook-actions-dropdown").get_by_role("button")
    page.evaluate("() => window.scrollTo(0, 0)")
    menu.click()
    start = time.perf_counter()
    page.get_by_role("menuitem", name="Show code").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.cm-content').length"
        " === document.querySelectorAll('.marimo-cell').length",
        polling="raf",
        timeout=LOAD_TIMEOUT_MS,
    )
    seconds = time.perf_counter() - start
    menu.click()
    page.get_by_role("menuitem", name="Show code").click()  # the same item hides it
    page.locator(".cm-content").first.wait_for(state="detached", timeout=LOAD_TIMEOUT_MS)
    return seconds


def main() -> None:
    import argparse

    from playwright.sync_api import sync_playwright

    from benchlearn.lessons.server import start_lesson

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help="moves per control")
    parser.add_argument(
        "--only",
        default="",
        help="measure only the controls whose names contain one of these comma-separated words",
    )
    parser.add_argument(
        "--loads", type=int, default=LOADS, help="first loads, each in a new browser context"
    )
    parser.add_argument(
        "--show-code", type=int, default=SHOW_CODE, help='times "Show code" is timed'
    )
    parser.add_argument(
        "--floor",
        type=int,
        default=FLOOR,
        help="first loads of each plain-Markdown notebook served by marimo run (0: none)",
    )
    args = parser.parse_args()
    repeats = args.repeats
    started = time.perf_counter()
    with ExitStack() as stack:
        playwright = stack.enter_context(sync_playwright())
        server = stack.enter_context(start_lesson(1))
        ready = time.perf_counter() - started
        plain = stack.enter_context(plain_notebooks_served()) if args.floor > 0 else {}
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        # the lesson's loads and the plain notebooks' in turn, so that all see the same machine
        loads, floor, lesson_context = [], {size: [] for size in plain}, None
        for round_ in range(max(1, args.loads, args.floor)):
            if round_ < max(1, args.loads):
                if lesson_context is not None:
                    lesson_context.close()  # the last lesson page stays open for the controls
                lesson_context = browser.new_context(viewport=SCREEN)
                page = lesson_context.new_page()
                loads.append(first_load(page, server.url))
            for size, url in plain.items() if round_ < args.floor else ():
                context = browser.new_context(viewport=SCREEN)
                floor[size].append(first_load(context.new_page(), url, readouts=()))
                context.close()
        rows = []
        for kind, name, testid, moves, before in CONTROLS:
            if not any(word.lower() in name.lower() for word in args.only.split(",")):
                continue
            try:
                times, seen = control_latencies(page, kind, name, testid, moves, before, repeats)
                rows.append((name, times, seen, ""))
            except Exception as error:  # reported in the table; the other controls go on
                failure = f"{type(error).__name__}: {str(error).splitlines()[0]}"
                rows.append((name, [], [], failure))
        shown = [show_code(page) for _ in range(args.show_code)]
        browser.close()
    print(f"server ready after {ready:.1f} s (it prepares the lesson before it answers)")
    print(
        f"first load until every cell has its output: median {statistics.median(loads):.2f} s "
        f"of {len(loads)} (each a new browser context; range {min(loads):.2f}-{max(loads):.2f} "
        f"s; the server's first session: {loads[0]:.2f} s)"
    )
    for size, seconds in floor.items():
        print(
            f"  marimo run, {size} plain Markdown cells: median {statistics.median(seconds):.2f} s "
            f"of {len(seconds)} (range {min(seconds):.2f}-{max(seconds):.2f} s)"
        )
    print()
    print("Milliseconds from a move to its readout's new text: in the page (from the input event")
    print("to the frame that draws the text: what the learner sees), and timed in Python around")
    print("Playwright's calls (which adds its round trips to the browser).")
    print()
    print("| control | in the page: median | p90 | in Python: median | p90 |")
    print("|---|---:|---:|---:|---:|")
    for name, times, seen, failure in rows:
        if failure:
            print(f"| {name} | not measured: {failure} | | | |")
            continue
        cells = [f"{statistics.median(t):.0f} | {np.percentile(t, 90):.0f}" for t in (seen, times)]
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    if shown:
        print(
            f'\n"Show code" until every cell\'s code is there: median '
            f"{statistics.median(shown):.2f} s of {len(shown)} "
            f"(range {min(shown):.2f}-{max(shown):.2f} s)"
        )
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
