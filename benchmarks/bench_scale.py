"""Benchmark: fitting at scale, side by side with the tools a user would otherwise reach for.

1. Streaming: benchlearn's streaming fit of a Parquet file (both passes: factor and refine; and
   the one-pass fit) against the bare pyarrow read of the same file, in the page cache.
   Goal (issue 13): both passes at most 2.5 x one read.
2. Dask: benchlearn's Dask fit (the exact engine as a map + tree reduction per pass) on a
   LocalCluster of 2 worker processes (and of 1, for the scaling note) against dask-ml's
   LinearRegression on the same Dask array; agreement with benchlearn's in-memory fit.

Run:  .venv/bin/python benchmarks/bench_scale.py [--rows N] [--cols P]
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--cols", type=int, default=20)
    args = parser.parse_args()

    import dask.array as da
    import pyarrow as pa
    import pyarrow.parquet as pq
    from dask_ml.linear_model import LinearRegression as DaskMLLinearRegression
    from distributed import Client, LocalCluster
    from sklearn.linear_model import LinearRegression as SklearnLinearRegression

    from benchlearn import LinearRegression
    from benchlearn.scale import fit_streaming

    rng = np.random.default_rng(0)
    n, p = args.rows, args.cols
    X = rng.normal(size=(n, p))
    beta = rng.normal(size=p)
    y = 2.0 + X @ beta + rng.normal(size=n)
    folder = Path(tempfile.mkdtemp())
    path = folder / "tall.parquet"
    pq.write_table(
        pa.table({f"x{i}": X[:, i] for i in range(p)} | {"y": y}), path, row_group_size=250_000
    )
    size_mb = path.stat().st_size / 1e6

    def raw_read() -> int:
        # What any fit must do at least: read every batch and turn its columns into arrays.
        handle = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
        rows = 0
        for batch in handle.iter_batches(batch_size=65_536):
            rows += len(np.column_stack([c.to_numpy() for c in batch.columns]))
        return rows

    read_time, _ = timed(raw_read)
    read_time = min(read_time, timed(raw_read)[0])
    stream_time, streamed = timed(lambda: fit_streaming(path, y="y", batch_rows=65_536))
    one_pass_time, one_pass = timed(
        lambda: fit_streaming(path, y="y", batch_rows=65_536, refine=False)
    )
    memory_time, in_memory = timed(lambda: LinearRegression().fit(X, y))
    print(f"## Scale benchmarks, {n:,} rows x {p} predictors ({size_mb:.0f} MB Parquet)")
    print()
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}")
    print()
    print("### Streaming fit vs reading the file")
    print()
    print("| step | time (s) | rows/s | ratio to reading | max rel. coef. diff vs in-memory |")
    print("|---|---:|---:|---:|---:|")
    reference = np.r_[in_memory.intercept_, in_memory.coef_]

    def diff(model) -> float:
        coef = np.r_[model.intercept_, np.ravel(model.coef_)]
        return float(np.max(np.abs(coef - reference) / np.abs(reference)))

    print(
        f"| pyarrow read into NumPy arrays (batches of 65,536) | {read_time:.2f} | "
        f"{n / read_time:,.0f} | 1.00 | – |"
    )
    print(
        f"| benchlearn fit_streaming (two passes: factor + refine) | {stream_time:.2f} | "
        f"{n / stream_time:,.0f} | {stream_time / read_time:.2f} | {diff(streamed):.1e} |"
    )
    print(
        f"| benchlearn fit_streaming(refine=False) (one pass) | {one_pass_time:.2f} | "
        f"{n / one_pass_time:,.0f} | {one_pass_time / read_time:.2f} | {diff(one_pass):.1e} |"
    )
    print()

    rows = []
    for workers in (2, 1):
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                protocol="tcp://",
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster),
        ):
            with warnings.catch_warnings():
                # Shipping the in-memory data to the workers once, before any timing, is intended.
                warnings.filterwarnings("ignore", message="Sending large graph")
                Xd = da.from_array(X, chunks=(250_000, p)).persist()
                yd = da.from_array(y, chunks=250_000).persist()
            ours_time, ours = timed(lambda Xd=Xd, yd=yd: LinearRegression().fit(Xd, yd))
            rows.append(
                f"| benchlearn LinearRegression on a Dask array, {workers} worker(s) | "
                f"{ours_time:.2f} | {ours_time / memory_time:.2f} | {diff(ours):.1e} |"
            )
            if workers == 2:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    daskml_time, daskml = timed(
                        lambda Xd=Xd, yd=yd: DaskMLLinearRegression(
                            solver="lbfgs", fit_intercept=True, C=1e12, max_iter=200
                        ).fit(Xd, yd)
                    )
                rows.append(
                    f"| dask-ml LinearRegression (lbfgs), 2 workers | {daskml_time:.2f} | "
                    f"{daskml_time / memory_time:.2f} | {diff(daskml):.1e} |"
                )
    sklearn_time, sklearn_model = timed(lambda: SklearnLinearRegression().fit(X, y))

    print("### Dask fit vs dask-ml (LocalCluster of worker processes, chunks of 250,000 rows)")
    print()
    print("| implementation | time (s) | time / benchlearn in memory | max rel. coef. diff vs "
          "benchlearn in memory |")  # fmt: skip
    print("|---|---:|---:|---:|")
    for row in rows:
        print(row)
    print(f"| benchlearn LinearRegression (in memory) | {memory_time:.2f} | 1.00 | 0 |")
    print(
        f"| scikit-learn LinearRegression (in memory) | {sklearn_time:.2f} | "
        f"{sklearn_time / memory_time:.2f} | {diff(sklearn_model):.1e} |"
    )
    path.unlink()


if __name__ == "__main__":
    main()
