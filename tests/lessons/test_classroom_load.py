"""A room of 20 simulated learners on 127.0.0.1 opens a served notebook at the same moment:
every session opens and runs every cell, the sessions share what the process computed once,
and open time and memory per session are reported.

A simulated learner does what marimo's page does (``benchmarks/bench_classroom.py``): follows
the link with the secret, loads the page with the session cookie, opens the websocket with the
page's own Origin, and waits until every cell has run. Twenty of them, not twenty Chromiums.

The room here opens a small notebook served by the lesson server itself (``start_lesson``: the
secret, the Host/Origin guard, the server process, its sessions as threads sharing
:mod:`benchlearn.lessons.shared`), so the test costs a few seconds of processor time; lesson 1
itself costs the server about 1-2 processor-seconds per session after its preparation
(15-35 s), which is the benchmark's to measure:
``.venv/bin/python benchmarks/bench_classroom.py``.

Robust on a loaded machine: a learner sends no keep-alive pings of its own (the websocket
client's default hangs up when a busy server answers a ping 20 s late: what closed the
websockets of an earlier version of this test) and waits minutes, not seconds.
"""

import importlib.util
import math
import statistics
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_classroom.py"
LEARNERS = 20

# Three cells as a lesson has them: imports; a result computed once in the server process and
# shown to every session (a random number: equal in every session only if it is shared); a
# slider with its readout.
NOTEBOOK = """
import marimo

app = marimo.App()


@app.cell
def _():
    import os

    import marimo as mo

    from benchlearn.lessons.shared import kept

    return kept, mo, os


@app.cell
def _(kept, mo, os):
    mo.md(f"Shared: {kept(('room test', 'shared'), lambda: os.urandom(8).hex())}")
    return


@app.cell
def _(mo):
    k = mo.ui.slider(2, 6, value=3, label="Number of clusters (k)")
    mo.hstack([k, mo.md(f"k = {k.value}")])
    return


if __name__ == "__main__":
    app.run()
"""


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_classroom", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """The server serves NOTEBOOK as its lesson; 20 learners open it at the same moment."""
    from benchlearn.lessons import server

    notebook = tmp_path_factory.mktemp("room") / "room.py"
    notebook.write_text(NOTEBOOK, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server, "lesson_app", lambda number: notebook)
        yield load_benchmark().measure_room(
            learners=LEARNERS, timeout=300, prepare=False, alone_first=False
        )


def test_twenty_learners_opening_at_once_each_get_every_cell_run(room, record_property):
    seconds = room["room"]
    record_property("learners", LEARNERS)
    record_property("open_seconds_median", round(statistics.median(seconds), 2))
    record_property("open_seconds_slowest", round(max(seconds), 2))
    record_property("mb_per_session", round(room["mb_per_session"], 2))
    record_property("server_cpu_seconds_per_session", round(room["cpu_per_session"], 3))
    print(f"\n{LEARNERS} learners at once: sessions open in {min(seconds):.1f} to "
          f"{max(seconds):.1f} s (median {statistics.median(seconds):.1f} s); server: "
          f"{room['mb_per_session']:.1f} MB and {room['cpu_per_session']:.2f} processor-s "
          "per session")  # fmt: skip
    assert room["errors"] == []
    assert len(seconds) == LEARNERS and all(math.isfinite(s) and s > 0 for s in seconds)
    assert room["cells"] == 3


def test_sessions_share_what_the_server_computed_once_but_each_has_its_own_widgets(room):
    outputs = room["outputs_room"]
    assert all(len(shown) == 3 for shown in outputs)  # every cell showed something
    same_for_all = sorted(
        all(shown[cell] == outputs[0][cell] for shown in outputs) for cell in outputs[0]
    )
    # the imports and the shared random number (one process, one cache) are the same for every
    # learner; the slider is each session's own
    assert same_for_all == [False, True, True]


def test_the_room_is_measured_in_memory_and_processor_time(room):
    rss = room["rss_mb"]
    assert rss["room"] > rss["after_first"] > 0  # twenty live sessions cost memory, and it shows
    assert 0 < room["mb_per_session"] < 50
    assert room["cpu_per_session"] > 0


def test_the_room_is_capped():
    with pytest.raises(ValueError, match="between 1 and 50"):
        load_benchmark().measure_room(learners=500)
