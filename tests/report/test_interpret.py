"""Plain-language reading of a fit: a few named rows, however many the rules flag."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchlearn import LinearRegression
from benchlearn.evaluate import residual_diagnostics
from benchlearn.report.interpret import MAX_ROWS_NAMED, plain_language


def _fit_with_outliers(n_outliers: int):
    rng = np.random.default_rng(7)
    x = np.linspace(0, 10, 400)
    y = 1 + 2 * x + rng.normal(0, 0.1, x.size)
    y[:n_outliers] += np.linspace(3, 6, n_outliers)  # the last of these lies furthest
    X = pd.DataFrame({"x": x})
    model = LinearRegression().fit(X, y)
    return model, residual_diagnostics(model, X, y)


def test_sentences_name_at_most_ten_outliers_the_worst_first_and_count_the_rest():
    model, table = _fit_with_outliers(30)
    sentences = plain_language(model, "y", table)
    named = [s for s in sentences if " is an outlier:" in s]
    n_outliers = int(table["outlier"].sum())
    assert n_outliers > MAX_ROWS_NAMED
    assert len(named) == MAX_ROWS_NAMED
    worst = table.loc[table["outlier"], "studentized_residual"].abs().idxmax()
    assert named[0].startswith(f"Row {worst} is an outlier")
    assert f"{n_outliers - MAX_ROWS_NAMED} more rows are outliers" in " ".join(sentences)


def test_a_few_outliers_are_each_named_with_no_count_sentence():
    model, table = _fit_with_outliers(2)
    sentences = plain_language(model, "y", table)
    assert sum(" is an outlier:" in s for s in sentences) == int(table["outlier"].sum())
    assert not any("more rows are outliers" in s for s in sentences)
