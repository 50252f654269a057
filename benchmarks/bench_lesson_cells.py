"""Lesson 1 in-process: the time each control's move costs the lesson server, cell by cell.

A control's move in the browser makes marimo rerun every cell that refers to the control (or,
for a button, to the state its click sets) and every cell that depends on those, then turn each
cell's output into HTML. This script runs the lesson once (``app.run()``), then, for each
control, makes the move the browser benchmark makes (``bench_lesson_latency.py``) and reruns
exactly those cells in the page's order, formatting their outputs as the server does, and
reports the median time per move, the cells rerun and the slowest cells. No browser and no
websocket: what is
left is the lesson's own computation, the part the lesson's code controls, measured without the
noise of a shared machine's Chromium.

The number of cells a move reruns matters beyond their own time: for each, marimo sends the page
about eight websocket messages (queued, running, output, idle, ...) that the page handles one at a
time, which on a loaded machine costs tens of milliseconds per cell.

Part 4's examples are computed when scrolled into view on the live page (``mo.lazy``); here, as
in ``app.run()``, at once, so their time is included.

Run with ``.venv/bin/python benchmarks/bench_lesson_cells.py [--repeats N]``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

REPEATS = 11

# control kind, accessible name, the defining variable, the two values set in turn (slider:
# the position, which is the step's index for a slider of steps; select: the option's label)
CONTROLS: list[tuple[str, str, str, tuple[Any, ...]]] = [
    ("slider", "Rule threshold: mean nucleus radius (pixels)", "threshold", (20.0, 15.0)),
    ("radio", "Data for Part 2", "part2_data", ("+", "-")),
    ("slider", "Number of clusters (k)", "k", (3, 2)),
    ("slider", "Intercept (b0)", "b0", ("+", "-")),
    ("slider", "Slope (b1)", "b1", ("+", "-")),
    ("slider", "Learning rate", "learning_rate", ("+", "-")),
    ("button", "Take one step", "one_step", ()),
    ("button", "Run 50 steps", "fifty_steps", ()),
    ("button", "Start again", "restart", ()),
    ("button", "Solve exactly", "solve", ()),
    ("multiselect", "Predictors", "predictors", ("+", "-")),
    ("slider", "Polynomial degree", "degree", (2, 1)),
    ("slider", "Optimiser step", "bend_step", ("+", "-")),
    ("select", "Descriptors used to predict solubility", "solubility_set", ("+", "-")),
    ("slider", "Untested compounds tested next (%)", "screen_percent", ("+", "-")),
    ("slider", "Tumour groups asked for (k)", "subtypes_k", ("+", "-")),
    ("slider", "Cell groups asked for (k)", "cells_k", ("+", "-")),
    ("slider", "Annotated pixels to learn from", "annotated_pixels", ("+", "-")),
    ("select", "Patient groups by", "bias_grouping", ("+", "-")),
]


class Page:
    """The lesson's cells and their definitions after one run, able to rerun what a move does."""

    def __init__(self) -> None:
        from benchlearn.lessons.lesson1.app import app

        _, defs = app.run()
        self.app = app
        self.glbls: dict[str, Any] = dict(defs)
        self.glbls["__builtins__"] = __builtins__
        self.graph = app._graph
        self.order = list(app._execution_order)
        self.cells = {cid: app._cell_manager.cell_data_at(cid).cell._cell for cid in self.order}

    def affected(self, names: set[str]) -> list[str]:
        """The cells marimo reruns when ``names`` change, in the page's order."""
        start: set[str] = set()
        for name in names:
            start |= self.graph.get_referring_cells(name, language="python")
        run = set(start)
        for cell in start:
            run |= self.graph.descendants(cell)
        return [c for c in self.order if c in run]

    def rerun(self, cells: list[str]) -> dict[str, float]:
        """Run ``cells`` in order and format their outputs; seconds per cell (and the size of
        the outputs in characters, in :attr:`sent`)."""
        from marimo._output.formatting import try_format

        times = {}
        self.sent = 0
        for cid in cells:
            cell = self.cells[cid]
            start = time.perf_counter()
            exec(cell.body, self.glbls)
            output = eval(cell.last_expr, self.glbls)
            if output is not None:
                self.sent += len(try_format(output).data)
            times[cid] = time.perf_counter() - start
        return times

    def describe(self, cid: str) -> str:
        code = self.cells[cid].code.strip().splitlines()
        first = next((line for line in code if not line.startswith("@")), "")
        body = [line.strip() for line in code[1:] if line.strip()]
        return f"{first[:40]} {body[0][:60] if body else ''}"


def move(page: Page, kind: str, variable: str, values: tuple[Any, ...], i: int) -> set[str]:
    """Make the ``i``-th move of a control; the names whose change reruns cells."""
    element = page.glbls[variable]
    if kind == "button":
        element._update(element._value_frontend + 1)  # a click: on_click sets the state
        return {variable, *_states_set(page, variable)}
    wanted = values[i % 2]
    if wanted in ("+", "-"):
        wanted = _neighbour(kind, element, wanted == "+")
    element._update(wanted)
    return {variable}


def _neighbour(kind: str, element: Any, up: bool) -> Any:
    if kind == "slider":
        steps = list(element.steps) if getattr(element, "steps", None) else None
        if steps:
            index = element._value_frontend
            return index + 1 if up and index + 1 < len(steps) else max(index - 1, 0)
        value = element.value + (element.step if up else -element.step)
        if value > element.stop:
            value = element.value - element.step
        return value
    options = list(element.options)
    if kind == "multiselect":
        chosen = list(element.value)
        extra = next(o for o in options if o not in chosen)
        return [*chosen, extra] if up else chosen[:-1]
    current = element._value_frontend
    current = current if kind == "radio" else current[0]
    other = next(label for label in options if label != current)
    return other if kind == "radio" else [other]


def _states_set(page: Page, button: str) -> set[str]:
    return {"solve": {"get_solved"}}.get(button, {"get_steps"})


def measure(page: Page, kind: str, variable: str, values: tuple[Any, ...],
            repeats: int) -> tuple[list[float], dict[str, float], float, int]:  # fmt: skip
    """Milliseconds per move, the cells' total seconds over the moves, the median kB of output
    sent to the page per move, and the most cells one move reran."""
    totals: dict[str, float] = {}
    times, sent, rerun = [], [], 0
    for i in range(repeats):
        if variable == "restart":  # a step first, untimed, so that starting again changes it
            page.rerun(page.affected(move(page, "button", "one_step", (), i)))
        cells = page.affected(move(page, kind, variable, values, i))
        rerun = max(rerun, len(cells))
        per_cell = page.rerun(cells)
        times.append(1000 * sum(per_cell.values()))
        sent.append(page.sent)
        for cid, seconds in per_cell.items():
            totals[cid] = totals.get(cid, 0.0) + seconds
    return times, totals, statistics.median(sent) / 1000, rerun


def main(report: Callable[[str], None] = print) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help="moves per control")
    parser.add_argument("--only", default="", help="measure only controls whose name has this")
    args = parser.parse_args()
    start = time.perf_counter()
    page = Page()
    report(f"one run of the lesson (app.run): {time.perf_counter() - start:.1f} s")
    report("")
    report("| control | median (ms) | 90th percentile (ms) | cells rerun | output sent (kB) | "
           "slowest cell (ms per move) |")  # fmt: skip
    report("|---|---:|---:|---:|---:|---|")
    for kind, name, variable, values in CONTROLS:
        if args.only.lower() not in name.lower():
            continue
        times, totals, sent, rerun = measure(page, kind, variable, values, args.repeats)
        slowest = max(totals, key=totals.get)
        p90 = sorted(times)[int(0.9 * (len(times) - 1))]
        per_move = 1000 * totals[slowest] / args.repeats
        report(f"| {name} | {statistics.median(times):.0f} | {p90:.0f} | {rerun} | {sent:.0f} | "
               f"{page.describe(slowest)} ({per_move:.0f}) |")  # fmt: skip


if __name__ == "__main__":
    main()
