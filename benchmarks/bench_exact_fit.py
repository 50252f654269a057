"""Benchmark: the exact solver on tall data, side by side with the reference libraries.

Fits the same simulated tall design (default 1,000,000 rows x 100 predictors, with an intercept)
with benchlearn, scikit-learn, statsmodels and NumPy's lstsq, in one run on one machine. Reports
the best of ``--repeat`` wall-clock times, the time ratio against scikit-learn, and the largest
relative difference of the coefficients from benchlearn's.

Run:  .venv/bin/python benchmarks/bench_exact_fit.py [--rows N] [--cols P] [--repeat K]
"""

from __future__ import annotations

import argparse
import platform
import time
import warnings
from collections.abc import Callable

import numpy as np


def best_time(fit: Callable[[], np.ndarray], repeat: int) -> tuple[float, np.ndarray]:
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fit()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import sklearn
    import statsmodels
    import statsmodels.api as sm
    from sklearn.linear_model import LinearRegression as SklearnLinearRegression

    from benchlearn import LinearRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.rows, args.cols)) * rng.uniform(0.1, 100, args.cols)
    beta = rng.normal(size=args.cols)
    y = 3.0 + X @ beta + rng.normal(size=args.rows)
    design = np.column_stack([np.ones(args.rows), X])

    candidates: dict[str, Callable[[], np.ndarray]] = {
        "benchlearn LinearRegression (exact)": lambda: np.r_[
            (m := LinearRegression().fit(X, y)).intercept_, m.coef_
        ],
        f"scikit-learn {sklearn.__version__} LinearRegression": lambda: np.r_[
            (m := SklearnLinearRegression().fit(X, y)).intercept_, m.coef_
        ],
        f"statsmodels {statsmodels.__version__} OLS (pinv)": lambda: sm.OLS(y, design).fit().params,
        f"numpy {np.__version__} lstsq": lambda: np.linalg.lstsq(design, y, rcond=None)[0],
    }
    results = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, fit in candidates.items():
            results[name] = best_time(fit, args.repeat)

    ours = results["benchlearn LinearRegression (exact)"][1]
    sklearn_time = next(t for n, (t, _) in results.items() if n.startswith("scikit-learn"))
    print(f"## Exact fit, {args.rows:,} x {args.cols} (+ intercept), best of {args.repeat}")
    print()
    print(f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python "
          f"{platform.python_version()}, NumPy BLAS threads as configured")  # fmt: skip
    print()
    print("| implementation | time (s) | time / scikit-learn | max rel. coef. diff vs benchlearn |")
    print("|---|---:|---:|---:|")
    for name, (seconds, coef) in results.items():
        diff = np.max(np.abs(np.asarray(coef) - ours) / np.abs(ours))
        print(f"| {name} | {seconds:.3f} | {seconds / sklearn_time:.2f} | {diff:.1e} |")


if __name__ == "__main__":
    main()
