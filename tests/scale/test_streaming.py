"""Streaming fits equal the in-memory fit, and their memory does not grow with the file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchlearn import LinearRegression
from benchlearn.errors import DataError, UsageError
from benchlearn.scale import fit_streaming

COLUMNS = ["estimate", "std_error", "ci_lower", "ci_upper"]


@pytest.fixture(scope="module")
def screen(tmp_path_factory):
    rng = np.random.default_rng(0)
    n = 4000
    frame = pd.DataFrame(
        rng.normal(size=(n, 3)) * [1.0, 10.0, 100.0], columns=["logp", "tpsa", "mw"]
    )
    frame["pic50"] = 5 + frame @ [0.6, -0.01, 0.004] + rng.normal(0, 0.5, n)
    frame["weight"] = rng.uniform(0.5, 2.0, n)
    folder = tmp_path_factory.mktemp("screen")
    frame.to_csv(folder / "screen.csv", index=False)
    frame.to_parquet(folder / "screen.parquet")
    return frame, folder


def assert_same_fit(streamed, reference):
    np.testing.assert_allclose(streamed.params_[COLUMNS], reference.params_[COLUMNS], rtol=1e-10)
    for name in ["residual_std_", "r2_", "r2_adj_", "f_statistic_"]:
        assert getattr(streamed, name) == pytest.approx(getattr(reference, name), rel=1e-10)
    assert list(streamed.params_.index) == list(reference.params_.index)


@pytest.mark.parametrize(
    ("file", "batch_rows"),
    [
        ("screen.csv", 3),  # batches with fewer rows than parameters
        ("screen.csv", 257),  # many batches, the last one short
        ("screen.csv", 100_000),  # the whole file in one batch
        ("screen.parquet", 257),
        ("screen.parquet", 100_000),
    ],
)
def test_streamed_fit_equals_the_in_memory_fit(screen, file, batch_rows):
    frame, folder = screen
    X = frame[["logp", "tpsa", "mw"]]
    streamed = fit_streaming(folder / file, y="pic50", x=list(X.columns), batch_rows=batch_rows)
    reference = LinearRegression().fit(X, frame["pic50"])
    assert_same_fit(streamed, reference)
    new = X.iloc[:5]
    np.testing.assert_allclose(
        streamed.predict_interval(new, kind="prediction"),
        reference.predict_interval(new, kind="prediction"),
        rtol=1e-10,
    )


def test_weighted_and_no_intercept_streaming_fits_match(screen):
    frame, folder = screen
    X = frame[["logp", "tpsa", "mw"]]
    streamed = fit_streaming(
        folder / "screen.parquet",
        y="pic50",
        x=list(X.columns),
        sample_weight="weight",
        fit_intercept=False,
        batch_rows=500,
    )
    reference = LinearRegression(fit_intercept=False).fit(
        X, frame["pic50"], sample_weight=frame["weight"]
    )
    assert_same_fit(streamed, reference)


def test_chunks_of_arrays_can_be_streamed_from_a_function_or_a_list(screen):
    frame, _ = screen
    X, y = frame[["logp", "tpsa"]].to_numpy(), frame["pic50"].to_numpy()

    def chunks():
        return ((X[i : i + 100], y[i : i + 100]) for i in range(0, len(y), 100))

    reference = LinearRegression().fit(X, y)
    assert_same_fit(fit_streaming(chunks), reference)
    assert_same_fit(fit_streaming(list(chunks())), reference)


def test_a_generator_of_chunks_is_refused_unless_the_fit_is_one_pass(screen):
    frame, _ = screen
    X, y = frame[["logp", "tpsa"]].to_numpy(), frame["pic50"].to_numpy()
    with pytest.raises(UsageError, match="read only once"):
        fit_streaming((X[i : i + 100], y[i : i + 100]) for i in range(0, len(y), 100))
    one_pass = fit_streaming(
        ((X[i : i + 100], y[i : i + 100]) for i in range(0, len(y), 100)), refine=False
    )
    assert_same_fit(one_pass, LinearRegression().fit(X, y))


def test_progress_is_reported_after_each_batch(screen):
    _, folder = screen
    seen: list[int] = []
    fit_streaming(folder / "screen.parquet", y="pic50", batch_rows=1000, progress=seen.append)
    assert seen == [1000, 2000, 3000, 4000]


def test_missing_column_and_empty_cell_are_clear_errors(screen, tmp_path):
    _, folder = screen
    with pytest.raises(UsageError, match="no column named `ic50`"):
        fit_streaming(folder / "screen.csv", y="ic50")
    gappy = tmp_path / "gappy.csv"
    gappy.write_text("a,y\n1,2\n2,\n3,4\n")
    with pytest.raises(DataError, match="row 3, column `y`"):
        fit_streaming(gappy, y="y")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_nist_certified_values_through_streaming_files(
    nist_certified, nist_score, tmp_path, suffix
):
    shortfalls = {}
    for name, spec in nist_certified.items():
        X, y = nist_score.raw_design(spec)
        frame = X.assign(y=y.to_numpy())
        path = tmp_path / f"{name}{suffix}"
        if suffix == ".csv":
            frame.to_csv(path, index=False, float_format="%.17g")
        else:
            frame.to_parquet(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the hard datasets rightly warn about collinearity
            model = fit_streaming(path, y="y", fit_intercept=spec["intercept"], batch_rows=16)
        achieved = nist_score.digits(model, spec)
        if min(achieved.values()) < nist_score.required(name):
            shortfalls[name] = achieved
    assert not shortfalls, shortfalls


def test_the_one_pass_fit_reads_once_and_is_close(screen):
    frame, folder = screen
    X = frame[["logp", "tpsa", "mw"]]
    one_pass = fit_streaming(folder / "screen.parquet", y="pic50", x=list(X.columns), refine=False)
    assert one_pass.n_iter_ == 1
    assert_same_fit(one_pass, LinearRegression().fit(X, frame["pic50"]))


# One process fits the small file, then the large one: the peak after each (ru_maxrss) shows
# what the larger file added, free of the run-to-run noise of the imports' own peak.
PEAK_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    from benchlearn.scale import fit_streaming
    result = {}
    for label, path in zip(["small", "large"], sys.argv[1:], strict=True):
        model = fit_streaming(path, y="y", batch_rows=10_000)
        result[label] = {"peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                         "n": model.n_samples_}
    print(json.dumps(result))
    """
)


def write_parquet(path, n_rows: int, n_columns: int = 10) -> None:
    rng = np.random.default_rng(1)
    beta = rng.normal(size=n_columns)
    schema = pa.schema([(f"x{i}", pa.float64()) for i in range(n_columns)] + [("y", pa.float64())])
    with pq.ParquetWriter(path, schema, compression="none", use_dictionary=False) as writer:
        for start in range(0, n_rows, 50_000):  # row groups of 50 000 rows
            rows = min(50_000, n_rows - start)
            X = rng.normal(size=(rows, n_columns))
            table = {f"x{i}": X[:, i] for i in range(n_columns)} | {
                "y": X @ beta + rng.normal(size=rows)
            }
            writer.write_table(pa.table(table))


@pytest.mark.slow
def test_peak_memory_stays_bounded_as_the_file_grows_tenfold(tmp_path):
    # ~9 MB and ~88 MB of floats; an in-memory fit of the large file adds ~2.5 times its size.
    rows = {"small": 100_000, "large": 1_000_000}
    for label, n in rows.items():
        write_parquet(tmp_path / f"{label}.parquet", n)
    out = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, *(str(tmp_path / f"{x}.parquet") for x in rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    assert {label: result[label]["n"] for label in rows} == rows
    peaks = {label: result[label]["peak_kib"] / 1024 for label in rows}
    # Ten times the data (≈ 80 MB more values) costs less than 30 MB more at the peak: holding
    # even half a copy of the file would not fit.
    assert peaks["large"] < peaks["small"] + 30, peaks
