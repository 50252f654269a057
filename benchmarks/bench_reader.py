"""Benchmark: reading a big CSV in memory at disk speed (issue 19).

Writes a CSV of about ``--mb`` megabytes (10 predictors and a response, numbers as an instrument
writes them), then, each in a fresh process so that peak memory is its own:

1. in memory: ``read_table`` + ``select_columns`` + ``LinearRegression().fit``;
2. streaming: ``fit_streaming`` of the same file (bounded memory);
3. ``read_table`` alone (the reader's own peak memory);
4. the bare pyarrow read of the file (the floor for any CSV reader).

Prints times, the in-memory time as a multiple of the streaming time (goal: at most 2x), peak
memory (maximum resident set) as a multiple of the file size (goal: at most 3x), both for the
whole process and above what the process held once its imports were done (the interpreter and
the libraries, whatever the file), and that the coefficients agree.

Run:  .venv/bin/python benchmarks/bench_reader.py [--mb 200]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD = r"""
import json, resource, sys, time


def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


path, mode = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if mode == "read":
    from benchlearn.data import read_table
    base = resident()
    read_table(path)
    coef, read = [], None
elif mode == "memory":
    from benchlearn import LinearRegression
    from benchlearn.data import read_table, select_columns
    base = resident()
    frame = read_table(path)
    read = time.perf_counter() - start
    X, y = select_columns(frame, "y")
    coef = LinearRegression().fit(X, y).coef_.tolist()
elif mode == "stream":
    import benchlearn.data.blocks, benchlearn.linear  # what fit_streaming imports as it starts
    from benchlearn.scale import fit_streaming
    base = resident()
    coef = fit_streaming(path, y="y").coef_.tolist()
    read = None
else:
    import pyarrow.csv as pcsv
    base = resident()
    pcsv.read_csv(path)
    coef, read = [], None
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"time": elapsed, "read": read, "peak": peak, "base": base, "coef": coef}))
"""


def write_csv(path: Path, megabytes: float, seed: int = 0) -> int:
    rng = np.random.default_rng(seed)
    columns = [f"x{i}" for i in range(10)]
    rows_per_chunk = 100_000
    rows = 0
    with path.open("w") as stream:
        stream.write(",".join([*columns, "y"]) + "\n")
        while stream.tell() < megabytes * 1e6:
            X = rng.normal(0, 10, (rows_per_chunk, 10))
            y = X @ np.arange(1, 11) * 0.1 + rng.normal(0, 1, rows_per_chunk)
            block = np.column_stack([X, y])
            np.savetxt(stream, block, delimiter=",", fmt="%.6g")
            rows += rows_per_chunk
    return rows


def run(path: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        rows = write_csv(path, args.mb)
        size = path.stat().st_size
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
        print(f"CSV: {size / 1e6:.0f} MB, {rows:,} rows x 11 columns")
        results = {mode: run(path, mode) for mode in ["pyarrow", "stream", "read", "memory"]}
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    memory, stream, bare = results["memory"], results["stream"], results["pyarrow"]
    read = results["read"]
    print("peak / file: the process's peak resident memory; above imports: that peak less what")
    print("the process held once its imports were done, both divided by the file's size")
    print("| what | time (s) | peak / file | imports / file | peak above imports / file |")
    print("|---|---:|---:|---:|---:|")
    for label, r in [
        ("`pyarrow.csv.read_csv` (the floor for any CSV reader)", bare),
        ("benchlearn `fit_streaming`", stream),
        ("benchlearn `read_table` alone", read),
        ("benchlearn in memory: `read_table` + `select_columns` + `fit`", memory),
    ]:
        print(f"| {label} | {r['time']:.2f} | {r['peak'] / size:.2f} | {r['base'] / size:.2f} "
              f"| {(r['peak'] - r['base']) / size:.2f} |")  # fmt: skip
    print(f"in-memory read alone: {memory['read']:.2f} s")
    print(f"in-memory time / streaming time: {memory['time'] / stream['time']:.2f} (goal <= 2)")
    whole, added = memory["peak"] / size, (memory["peak"] - memory["base"]) / size
    print(f"read + fit peak memory / file size: {whole:.2f} whole process, {added:.2f} above "
          "the imports (goal <= 3)")  # fmt: skip
    diff = np.max(np.abs(np.subtract(memory["coef"], stream["coef"])))
    print(f"max |coefficient difference| in memory vs streamed: {diff:.1e}")


if __name__ == "__main__":
    main()
