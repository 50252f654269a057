"""A room of simulated learners on 127.0.0.1 opens the lesson; open time and memory are reported.

The measurement with 20 learners lives in ``benchmarks/bench_classroom.py`` (run it by hand on
an idle machine): a room's websockets on a loaded 2-core test machine can miss their keep-alive
and close, so the suite checks only the benchmark's bounds.
"""

import importlib.util
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


def test_the_room_is_capped():
    with pytest.raises(ValueError, match="between 1 and 50"):
        load_benchmark().measure_room(learners=500)
