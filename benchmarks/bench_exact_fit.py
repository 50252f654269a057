"""Benchmark: the exact in-memory fit against one Gram pass and scikit-learn, in one run.

For each shape (default 1,000,000 x 100 and 10,000,000 x 10, plus an intercept) the same
simulated design is fitted by benchlearn's ``LinearRegression`` (exact: one Gram pass over row
blocks, Cholesky, a refinement pass, full inference) and scikit-learn's. Times are the best of
``--repeat`` runs, printed in seconds, as a multiple of one Gram pass ``A.T @ A`` over
``A = [1 | X | y]`` (what any exact method must at least read and multiply), and as a multiple of
scikit-learn's time. Peak memory above the input is measured in a separate run with
``tracemalloc`` (which sees NumPy's allocations), as a fraction of the input's size.

Goals (issue 13): at 1e6 x 100, at most 3 Gram passes and at most 0.2 x the input's size of
extra memory.

Run:  .venv/bin/python benchmarks/bench_exact_fit.py [--shapes 1000000x100 10000000x10]
"""

from __future__ import annotations

import argparse
import platform
import time
import tracemalloc
from collections.abc import Callable

import numpy as np


def best_time(function: Callable[[], object], repeat: int) -> float:
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def peak_above_input(function: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def gram_pass_time(A: np.ndarray, repeat: int) -> float:
    return best_time(lambda: A.T @ A, repeat)


def run_shape(n: int, p: int, repeat: int) -> list[str]:
    import sklearn
    from sklearn.linear_model import LinearRegression as SklearnLinearRegression

    from benchlearn import LinearRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, p)) * rng.uniform(0.1, 100, p)
    y = 3.0 + X @ rng.normal(size=p) + rng.normal(size=n)

    gram = gram_pass_time(np.column_stack([np.ones(n), X, y]), repeat)
    ours_time = best_time(lambda: LinearRegression().fit(X, y), repeat)
    theirs_time = best_time(lambda: SklearnLinearRegression().fit(X, y), repeat)
    ours = LinearRegression().fit(X, y)
    theirs = SklearnLinearRegression().fit(X, y)
    ours_peak = peak_above_input(lambda: LinearRegression().fit(X, y))
    theirs_peak = peak_above_input(lambda: SklearnLinearRegression().fit(X, y))
    a = np.r_[ours.intercept_, ours.coef_]
    b = np.r_[theirs.intercept_, theirs.coef_]
    agreement = float(np.max(np.abs(a - b) / np.abs(b)))
    size = X.nbytes + y.nbytes
    return [
        f"| {n:,} x {p} | one Gram pass `A.T @ A` | {gram:.3f} | 1.00 | {gram / theirs_time:.2f} "
        "| – | – |",
        f"| {n:,} x {p} | benchlearn LinearRegression (exact, full inference) | {ours_time:.3f} | "
        f"{ours_time / gram:.2f} | {ours_time / theirs_time:.2f} | {ours_peak / size:.3f} | "
        f"{ours.solution_.n_refinements} refinement pass(es) |",
        f"| {n:,} x {p} | scikit-learn {sklearn.__version__} LinearRegression | "
        f"{theirs_time:.3f} | {theirs_time / gram:.2f} | 1.00 | {theirs_peak / size:.3f} | "
        f"coef. differ from benchlearn by {agreement:.1e} (relative) |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", nargs="+", default=["1000000x100", "10000000x10"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}, NumPy {np.__version__}"
    )
    print()
    print(
        "| rows x predictors | what | time (s) | x one Gram pass | x scikit-learn "
        "| peak memory above input / input size | note |"
    )
    print("|---|---|---:|---:|---:|---:|---|")
    for shape in args.shapes:
        n, p = (int(v) for v in shape.split("x"))
        for line in run_shape(n, p, args.repeat):
            print(line)


if __name__ == "__main__":
    main()
