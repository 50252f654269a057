"""Benchmark: how long ``benchlearn --help`` takes to start (goal: under half a second).

Side by side in one run: the bare Python interpreter (the floor), ``benchlearn --help`` and each
sub-command's help, and a Python that merely imports scikit-learn's linear models (what the help
would cost if the CLI imported its numerical libraries at start). Median of repeated runs.

Run:  .venv/bin/python benchmarks/bench_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time


def median_seconds(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    python = sys.executable
    cli = [python, "-m", "benchlearn.cli.main"]
    rows = [
        ("python -c pass (interpreter alone)", [python, "-c", "pass"]),
        ("python -c 'import sklearn.linear_model'", [python, "-c", "import sklearn.linear_model"]),
        ("benchlearn --help", [*cli, "--help"]),
        ("benchlearn fit --help", [*cli, "fit", "--help"]),
        ("benchlearn curve --help", [*cli, "curve", "--help"]),
        ("benchlearn lesson --help", [*cli, "lesson", "--help"]),
    ]
    results = [(name, median_seconds(command, args.repeat)) for name, command in rows]
    reference = results[1][1]
    print(f"Python {platform.python_version()}, {platform.machine()}, median of {args.repeat}")
    print("| command | time (s) | time / importing scikit-learn |")
    print("|---|---:|---:|")
    for name, seconds in results:
        print(f"| {name} | {seconds:.3f} | {seconds / reference:.2f} |")
    slowest = max(seconds for name, seconds in results if name.startswith("benchlearn"))
    print(f"\nslowest help page: {slowest:.3f} s (goal: under 0.5 s)")


if __name__ == "__main__":
    main()
