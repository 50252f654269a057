"""Benchmark: NIST StRD nonlinear regression, benchlearn against SciPy, digits and time.

For each of the 27 problems and both of NIST's starting points, fits the model with
benchlearn's ``NonlinearRegression`` (complex-step derivatives of NIST's formula) and with
``scipy.optimize.curve_fit`` (Levenberg–Marquardt with finite differences, default and tight
tolerances), and prints the correct digits (log relative error, LRE, clipped to [0, 11]) of the
worst parameter estimate and the worst standard error, and the best-of-``--repeat`` time.
The data are read in place from ../shared/data/nist_nls.

Run:  .venv/bin/python benchmarks/bench_nist_nls.py [--repeat K] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
from scipy.optimize import curve_fit

from benchlearn.nonlinear import NonlinearRegression


def shared_folder() -> Path:
    for folder in Path(__file__).resolve().parents:
        if (folder / "shared" / "data" / "nist_nls").is_dir():
            return folder / "shared" / "data" / "nist_nls"
    raise SystemExit("NIST StRD nonlinear data not found (shared/data/nist_nls beside the repo)")


def lre(estimate: float, certified: str) -> float:
    if not np.isfinite(estimate):
        return 0.0
    c, e = Decimal(certified), Decimal(repr(float(estimate)))
    if e == c:
        return 11.0
    return max(0.0, min(11.0, float(-(abs(e - c) / abs(c)).log10())))


def load(folder: Path, name: str, spec: dict):
    data = pd.read_csv(folder / f"{name}.csv")
    names = [f"b{i + 1}" for i in range(spec["n_params"])]
    expression = spec["python"]
    if spec["response"] == "log(y)":
        y, X = np.log(data["y"].to_numpy()), data[["x1", "x2"]].to_numpy()
        expression = expression.replace("x1", "x[:, 0]").replace("x2", "x[:, 1]")
    else:
        y, X = data["y"].to_numpy(), data[["x"]].to_numpy()
    function = eval(f"lambda x, {', '.join(names)}: {expression}", {"np": np})
    return function, X, y


def score(estimates, std_errors, spec) -> tuple[float, float]:
    return (
        min(lre(e, c) for e, c in zip(estimates, spec["params"], strict=True)),
        min(lre(e, c) for e, c in zip(std_errors, spec["std_errors"], strict=True)),
    )


def timed(fit, repeat: int):
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            result = fit()
        except Exception:  # a failed fit scores 0 digits
            result = None
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    folder = shared_folder()
    certified = json.loads((folder / "certified.json").read_text())
    rows = []
    for name, spec in certified.items():
        function, X, y = load(folder, name, spec)
        x = X[:, 0] if X.shape[1] == 1 else X
        row = {"problem": name, "difficulty": spec["difficulty"]}
        for start in ("start1", "start2"):
            p0 = spec[start]

            def ours(p0=p0, function=function, X=X, y=y):
                fit = NonlinearRegression(model=function, p0=p0).fit(X, y)
                return fit.params_["estimate"], fit.params_["std_error"]

            def scipy_fit(p0=p0, function=function, tight=False, x=x, y=y):
                options = {"xtol": 1e-15, "ftol": 1e-15, "gtol": 1e-15} if tight else {}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    p, cov = curve_fit(function, x, y, p0=p0, maxfev=20000, **options)
                return p, np.sqrt(np.diag(cov))

            for label, fit in (
                ("benchlearn", ours),
                ("curve_fit", scipy_fit),
                ("curve_fit tight", lambda p0=p0, f=function: scipy_fit(p0, f, tight=True)),
            ):
                seconds, result = timed(fit, args.repeat)
                digits = score(*result, spec) if result is not None else (0.0, 0.0)
                row[f"{label} {start}"] = digits
                row[f"{label} {start} s"] = seconds
        rows.append(row)
    print(f"SciPy {scipy.__version__}, NumPy {np.__version__}; LRE estimates / standard errors")
    labels = ("benchlearn", "curve_fit", "curve_fit tight")
    header = ["problem", "difficulty"] + [
        f"{lab} {s}" for s in ("start1", "start2") for lab in labels
    ]
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
    for row in rows:
        cells = [row["problem"], row["difficulty"]]
        for s in ("start1", "start2"):
            for lab in labels:
                est, se = row[f"{lab} {s}"]
                cells.append(f"{est:.1f} / {se:.1f}")
        print(("| " + " | ".join(cells) + " |") if args.markdown else "  ".join(cells))
    for lab in labels:
        for s in ("start1", "start2"):
            passed = sum(min(row[f"{lab} {s}"]) >= 6 for row in rows)
            total = sum(row[f"{lab} {s} s"] for row in rows)
            print(f"{lab} from {s}: {passed}/27 problems with >= 6 digits; total {total:.2f} s")


if __name__ == "__main__":
    main()
