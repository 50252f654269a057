"""``import benchlearn``: the public names, loaded on first use, are the real objects."""

from __future__ import annotations

import inspect

import pytest

import benchlearn


def test_every_public_name_is_the_object_of_its_module_with_its_signature():
    from benchlearn import classify, errors, linear, neural, nonlinear, unsupervised

    homes = {"LinearRegression": linear, "PolynomialRegression": linear, "Ridge": linear,
             "LogisticRegression": classify, "KMeans": unsupervised, "PCA": unsupervised,
             "MLPClassifier": neural, "MLPRegressor": neural, "BenchlearnError": errors,
             "DataError": errors, "FitError": errors,
             "NonlinearRegression": nonlinear}  # fmt: skip
    assert set(benchlearn.__all__) == {"__version__", *homes}
    for name, module in homes.items():
        assert getattr(benchlearn, name) is getattr(module, name)
        assert name in dir(benchlearn)
    signature = inspect.signature(benchlearn.LinearRegression)
    assert all(p.kind is p.KEYWORD_ONLY for p in signature.parameters.values())


def test_a_name_that_is_not_public_is_an_attribute_error():
    with pytest.raises(AttributeError, match="LinearRegresion"):
        benchlearn.LinearRegresion  # noqa: B018


def test_a_summary_prints_in_a_fresh_session_through_the_reports_renderers():
    # linear/ never imports the report: the package root tells benchlearn.display where it is.
    import numpy as np

    x = np.arange(8.0).reshape(-1, 1)
    summary = benchlearn.LinearRegression().fit(x, 3 * x.ravel() + np.cos(x.ravel())).summary()
    assert "Residual standard error" in str(summary)
    assert summary._repr_html_().count("<tr>") == 3
