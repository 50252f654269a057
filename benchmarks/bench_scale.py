"""Benchmark: fitting at scale, side by side with the tools a user would otherwise reach for.

1. Streaming: benchlearn's one-pass streaming fit of a Parquet file against the raw pyarrow read
   of the same file (the fit should cost little beyond reading).
2. Dask: benchlearn's Dask fit (tall-skinny QR) against dask-ml's LinearRegression on the same
   Dask array, and in-memory scikit-learn, with coefficient agreement.

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
    stream_time, streamed = timed(lambda: fit_streaming(path, y="y", batch_rows=65_536))
    print(f"## Scale benchmarks, {n:,} rows x {p} predictors ({size_mb:.0f} MB Parquet)")
    print()
    print(f"Machine: {platform.machine()}, 2 cores, Python {platform.python_version()}")
    print()
    print("### Streaming fit vs reading the file")
    print()
    print("| step | time (s) | rows/s | ratio to reading |")
    print("|---|---:|---:|---:|")
    print(
        f"| pyarrow read into NumPy arrays (batches of 65,536) | {read_time:.2f} | "
        f"{n / read_time:,.0f} | 1.00 |"
    )
    print(
        f"| benchlearn fit_streaming (read + TSQR + inference) | {stream_time:.2f} | "
        f"{n / stream_time:,.0f} | {stream_time / read_time:.2f} |"
    )
    print()

    with (
        LocalCluster(
            n_workers=2,
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
        ours_time, ours = timed(lambda: LinearRegression().fit(Xd, yd))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            daskml_time, daskml = timed(
                lambda: DaskMLLinearRegression(
                    solver="lbfgs", fit_intercept=True, C=1e12, max_iter=200
                ).fit(Xd, yd)
            )
    sklearn_time, sklearn_model = timed(lambda: SklearnLinearRegression().fit(X, y))

    reference = np.r_[sklearn_model.intercept_, sklearn_model.coef_]
    ours_coef = np.r_[ours.intercept_, ours.coef_]
    daskml_coef = np.r_[daskml.intercept_, np.ravel(daskml.coef_)]
    streamed_coef = np.r_[streamed.intercept_, streamed.coef_]

    def diff(coef: np.ndarray) -> float:
        return float(np.max(np.abs(coef - reference) / np.abs(reference)))

    print("### Dask fit vs dask-ml and in-memory scikit-learn (LocalCluster, 2 workers)")
    print()
    print(
        "| implementation | time (s) | time / scikit-learn | max rel. coef. diff vs scikit-learn |"
    )
    print("|---|---:|---:|---:|")
    print(
        f"| benchlearn LinearRegression on dask array (TSQR) | {ours_time:.2f} | "
        f"{ours_time / sklearn_time:.2f} | {diff(ours_coef):.1e} |"
    )
    print(
        f"| dask-ml LinearRegression (lbfgs) | {daskml_time:.2f} | "
        f"{daskml_time / sklearn_time:.2f} | {diff(daskml_coef):.1e} |"
    )
    print(f"| scikit-learn LinearRegression (in memory) | {sklearn_time:.2f} | 1.00 | 0 |")
    print(
        f"| benchlearn fit_streaming (from Parquet) | {stream_time:.2f} | "
        f"{stream_time / sklearn_time:.2f} | {diff(streamed_coef):.1e} |"
    )
    path.unlink()


if __name__ == "__main__":
    main()
