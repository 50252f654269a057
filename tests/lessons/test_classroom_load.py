"""A room of 20 simulated learners on 127.0.0.1 opens the prepared lesson at once; every session
opens and runs every cell; open time, processor time and memory per session are reported.

A simulated learner does what marimo's page does (``benchmarks/bench_classroom.py``): follows
the link with the secret, loads the page with the session cookie, opens the websocket with the
page's own Origin, and waits until every cell has run. Twenty of them, not twenty Chromiums: the
server's work per session is the same, the test's is small. The server is prepared before it
answers (``start_lesson(warm=True)``), so each session runs the lesson's cells from the shared
caches: about a second of the server's processor time per learner.

Robust on a loaded machine: a learner sends no keep-alive pings of its own (the client's default
hangs up when a busy server answers one late: what closed the websockets of an earlier version
of this test) and waits minutes, not seconds. The benchmark prints the same numbers as a table.
"""

import importlib.util
import math
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_classroom.py"
LEARNERS = 20


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_classroom", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def room():
    """One prepared server; 20 learners open it at the same moment (no learner alone first)."""
    return load_benchmark().measure_room(learners=LEARNERS, timeout=600, alone_first=False)


@pytest.mark.slow
def test_twenty_learners_opening_at_once_each_get_every_cell_run(room, record_property):
    seconds = sorted(room["room"])
    record_property("learners", LEARNERS)
    record_property("open_seconds_median", round(seconds[LEARNERS // 2], 2))
    record_property("open_seconds_slowest", round(seconds[-1], 2))
    record_property("server_cpu_seconds_per_session", round(room["cpu_per_session"], 2))
    record_property("mb_per_session", round(room["mb_per_session"], 1))
    print(f"\n{LEARNERS} learners at once: open in {seconds[0]:.1f} to {seconds[-1]:.1f} s "
          f"(median {seconds[LEARNERS // 2]:.1f} s); server: {room['cpu_per_session']:.2f} "
          f"processor-s and {room['mb_per_session']:.1f} MB per session "
          f"(ready after {room['ready']:.1f} s)")  # fmt: skip
    assert room["errors"] == []
    assert len(room["room"]) == LEARNERS
    assert all(math.isfinite(s) and s > 0 for s in room["room"])
    assert room["cells"] > 50  # the whole lesson ran, not a login page's few cells


@pytest.mark.slow
def test_the_room_is_measured_in_memory_and_processor_time(room):
    rss = room["rss_mb"]
    assert rss["start"] > 100  # a prepared server holds the lesson's data and figures
    assert rss["room"] > rss["after_first"]  # twenty live sessions cost memory, and it is seen
    assert 0 < room["mb_per_session"] < 100
    assert room["cpu_per_session"] > 0


def test_the_room_is_capped():
    with pytest.raises(ValueError, match="between 1 and 50"):
        load_benchmark().measure_room(learners=500)
