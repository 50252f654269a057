"""A room of simulated learners on 127.0.0.1 opens the lesson; open time and memory are reported.

The measurement with 20 learners lives in ``benchmarks/bench_classroom.py``; this test runs the
same simulation with 2 learners (bounded in count and time) to check that it works: every
learner's session runs every cell of the lesson, and the numbers it reports are real.
"""

import importlib.util
import math
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_classroom.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_classroom", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_two_learners_at_once_each_get_a_lesson_that_runs_every_cell():
    result = load_benchmark().measure_room(learners=2, timeout=300)
    print(result)
    assert result["errors"] == []
    assert result["cells"] > 10
    assert len(result["room"]) == 2 and all(math.isfinite(s) and s > 0 for s in result["room"])
    rss = result["rss_mb"]
    assert rss["start"] < rss["after_first"]  # a session costs memory, and it is measured
    assert math.isfinite(result["mb_per_session"])


def test_the_room_is_capped():
    with pytest.raises(ValueError, match="between 1 and 50"):
        load_benchmark().measure_room(learners=500)
