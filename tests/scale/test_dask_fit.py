"""The Dask fit, on a local cluster bound to 127.0.0.1, equals the in-memory fit."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from benchlearn import LinearRegression
from benchlearn.errors import UsageError
from benchlearn.scale import fit_file_with_dask

COLUMNS = ["estimate", "std_error", "ci_lower", "ci_upper"]

# Dask is imported by the fixtures, not at collection: every pytest-xdist worker collects this
# file, and only the one that runs it needs Dask's long import.


@pytest.fixture(scope="module")
def dask():
    return pytest.importorskip("dask")


@pytest.fixture(scope="module")
def da(dask):
    import dask.array

    return dask.array


@pytest.fixture(scope="module")
def dd(dask):
    import dask.dataframe

    return dask.dataframe


@pytest.fixture(scope="module")
def client(dask):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp://",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(3000, 3)) * [1, 5, 50], columns=["age", "bmi", "bp"])
    frame["progression"] = 150 + frame @ [0.2, 5.0, 1.1] + rng.normal(0, 50, 3000)
    return frame


def test_dask_dataframe_fit_on_a_cluster_equals_in_memory(client, data, dd):
    X = dd.from_pandas(data[["age", "bmi", "bp"]], npartitions=6)
    y = dd.from_pandas(data["progression"], npartitions=6)
    ours = LinearRegression().fit(X, y)
    reference = LinearRegression().fit(data[["age", "bmi", "bp"]], data["progression"])
    np.testing.assert_allclose(ours.params_[COLUMNS], reference.params_[COLUMNS], rtol=1e-12)
    assert ours.r2_ == pytest.approx(reference.r2_, rel=1e-10)
    assert list(ours.params_.index) == ["intercept", "age", "bmi", "bp"]
    new = data[["age", "bmi", "bp"]].iloc[:4]
    np.testing.assert_allclose(
        ours.predict_interval(new), reference.predict_interval(new), rtol=1e-10
    )


def test_dask_array_with_weights_equals_in_memory(client, data, da):
    X = data[["age", "bmi", "bp"]].to_numpy()
    w = np.linspace(0.5, 2, len(X))
    ours = LinearRegression().fit(
        da.from_array(X, chunks=(400, 3)),
        da.from_array(data["progression"].to_numpy(), chunks=400),
        sample_weight=da.from_array(w, chunks=400),
    )
    reference = LinearRegression().fit(X, data["progression"], sample_weight=w)
    np.testing.assert_allclose(ours.params_[COLUMNS], reference.params_[COLUMNS], rtol=1e-12)


def test_file_fit_reads_with_dask(client, data, tmp_path):
    path = tmp_path / "cohort.parquet"
    data.to_parquet(path)
    ours = fit_file_with_dask(str(path), y="progression")
    reference = LinearRegression().fit(data[["age", "bmi", "bp"]], data["progression"])
    np.testing.assert_allclose(ours.params_[COLUMNS], reference.params_[COLUMNS], rtol=1e-12)


def test_nist_certified_values_through_dask(nist_certified, nist_score, dask, dd):
    # The same chunked passes and tree of merges as on the cluster (the tests around this one
    # hold the cluster's answers to the in-memory fit's), run by Dask's synchronous scheduler:
    # some 60 passes of a few rows each would otherwise wait on as many scheduler round trips.
    shortfalls = {}
    for name, spec in nist_certified.items():
        X, y = nist_score.raw_design(spec)
        with warnings.catch_warnings(), dask.config.set(scheduler="synchronous"):
            warnings.simplefilter("ignore")  # the hard datasets rightly warn about collinearity
            model = LinearRegression(fit_intercept=spec["intercept"]).fit(
                dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
            )
        achieved = nist_score.digits(model, spec)
        if min(achieved.values()) < nist_score.required(name):
            shortfalls[name] = achieved
    assert not shortfalls, shortfalls


def test_ill_conditioned_dask_fit_equals_in_memory_to_1e_12(client, da):
    rng = np.random.default_rng(5)
    x = rng.uniform(5, 10, 6000)
    X = np.column_stack(
        [x, x**2, x**3, rng.normal(size=x.size)]
    )  # scaled condition ~2e3: Householder
    y = 1 + X @ [0.5, -0.2, 0.01, 2.0] + rng.normal(0, 0.1, x.size)
    ours = LinearRegression().fit(da.from_array(X, chunks=(700, 4)), da.from_array(y, chunks=700))
    reference = LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.params_[COLUMNS], reference.params_[COLUMNS], rtol=1e-12)


def test_gradient_descent_on_dask_data_is_refused_clearly(client, data, dd):
    X = dd.from_pandas(data[["age"]], npartitions=2)
    with pytest.raises(UsageError, match="exact solver"):
        LinearRegression(solver="gd").fit(X, dd.from_pandas(data["progression"], npartitions=2))
