"""Benchmark: ``benchlearn fit --report`` of a large file against the plain fit of the same file.

Goal (issue 19): the report of a 1,000,000-row fit takes at most 3x the plain fit's time and
the HTML file stays under 10 MB. Both commands run end to end in their own process (read the
CSV, fit, print; the second also writes the report), best of ``--repeat`` runs each (the two
commands alternated), with the peak memory (maximum resident set size) of each process.

Data: simulated assay, ``signal = 0.05 + 0.6 * conc + noise`` with conc uniform on [0, 10] and
Student-t noise (3 degrees of freedom, scale 0.05: heavy tails give outliers to flag), fixed
seed 19, written once as CSV to a temporary folder.

Run:  .venv/bin/python benchmarks/bench_report.py [--rows N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 19


def write_data(path: Path, rows: int) -> None:
    rng = np.random.default_rng(SEED)
    conc = rng.uniform(0, 10, rows)
    signal = 0.05 + 0.6 * conc + 0.05 * rng.standard_t(3, rows)
    pd.DataFrame({"conc": conc, "signal": signal}).to_csv(path, index=False, float_format="%.6g")


def run(command: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one run of ``command`` in its own process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    process.stderr.close()
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    cli = [sys.executable, "-m", "benchlearn.cli.main", "fit"]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="benchlearn-bench-report-") as folder:
        data = Path(folder) / "assay.csv"
        write_data(data, args.rows)
        report = Path(folder) / "report.html"
        plain = [*cli, str(data), "--y", "signal", "--x", "conc"]
        with_report = [*plain, "--report", str(report), "--force"]
        commands = {"fit": plain, "fit --report": with_report}
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeat):  # alternated, so that a change in the machine's load
            for name, command in commands.items():  # weighs on both commands alike
                runs[name].append(run(command))
        results = {
            name: (min(s for s, _ in done), max(m for _, m in done)) for name, done in runs.items()
        }
        size_mb = report.stat().st_size / 1e6
        data_mb = data.stat().st_size / 1e6

    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
          f"{args.rows:,} rows ({data_mb:.0f} MB CSV), best of {args.repeat}")  # fmt: skip
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
    print("| command | time (s) | time / plain fit | peak memory (MB) |")
    print("|---|---:|---:|---:|")
    base = results["fit"][0]
    for name, (seconds, memory) in results.items():
        print(f"| `benchlearn {name}` | {seconds:.2f} | {seconds / base:.2f} | {memory:.0f} |")
    ratio = results["fit --report"][0] / base
    print(
        f"\nreport: {size_mb:.2f} MB (goal: under 10 MB); time ratio {ratio:.2f} (goal: at most 3)"
    )


if __name__ == "__main__":
    main()
