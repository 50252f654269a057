"""``select_columns``: the checks every fit's data pass before any arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchlearn.data import select_columns
from benchlearn.errors import DataError


def table(x: list[float], y: list[float]) -> pd.DataFrame:
    frame = pd.DataFrame({"x": x, "y": y})
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    frame.attrs["source"] = "t.csv"
    return frame


@pytest.mark.parametrize(
    ("x", "y", "row", "column"),
    [
        ([1, 2, 3], [1e-310, 2e-310, 3.1e-310], 2, "y"),
        ([1, 2e200, 3], [1, 2, 3.1], 3, "x"),
        ([1, 2, 3], [1, -1e151, 3.1], 3, "y"),
    ],
    ids=["subnormal", "near overflow", "negative huge"],
)
def test_values_whose_squares_leave_double_precision_are_refused_by_row_and_column(
    x, y, row, column
):
    with pytest.raises(DataError) as raised:
        select_columns(table(x, y), "y", "x")
    assert raised.value.row == row
    assert f"column `{column}`" in raised.value.message
    assert "Rescale" in raised.value.message


def test_zeros_and_ordinary_small_and_large_values_pass():
    X, y = select_columns(table([0, 1e-100, 1e100], [0.0, 1e-12, 5e9]), "y", "x")
    assert y.tolist() == [0.0, 1e-12, 5e9]
    assert X["x"].tolist() == [0, 1e-100, 1e100]


def test_selecting_a_big_table_copies_the_chosen_columns_once_and_never_aliases_them():
    import tracemalloc

    n = 100_000
    rng = np.random.default_rng(0)
    columns = {f"x{i}": rng.normal(size=n) for i in range(10)} | {"y": rng.normal(size=n)}
    frame = pd.DataFrame(columns, index=pd.RangeIndex(2, n + 2, name="row"), copy=False)
    tracemalloc.start()
    try:
        X, y = select_columns(frame, "y")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.25 * n * 11 * 8  # X and y once, not a whole-table copy on the way
    assert np.shares_memory(X.to_numpy(), X.to_numpy())  # one block: the fit reads it in place
    X.iloc[0, 0] = 99.0
    y.iloc[0] = 99.0
    assert frame.loc[2, "x0"] == columns["x0"][0] != 99.0 and frame.loc[2, "y"] != 99.0


@pytest.mark.parametrize(
    "text",
    [
        "a,b,y,c\n1,2.5,3,4\n2,3.5,5,6\n3,1.5,7,9\n",
        "sample,a,b,y,c\nS1,1,2.5,3,4\nS2,2,3.5,5,6\nS3,3,1.5,7,9\n",  # names kept as text
    ],
    ids=["numbers only", "with a text column"],
)
def test_predictors_read_from_a_file_are_a_view_of_the_table_that_writing_never_changes(
    tmp_path, text
):
    from benchlearn.data import read_table

    path = tmp_path / "plate.csv"
    path.write_text(text)
    frame = read_table(path)
    X, y = select_columns(frame, "y", ["a", "b"])
    assert np.shares_memory(X.to_numpy(), frame["a"].to_numpy())  # no copy: read in place
    assert X.to_numpy().tolist() == [[1, 2.5], [2, 3.5], [3, 1.5]]
    X.iloc[0, 0] = 99.0
    y.iloc[0] = 99.0
    assert frame.loc[2, "a"] == 1.0 and frame.loc[2, "y"] == 3.0
    X, _ = select_columns(frame, "y", ["a", "c"])  # not side by side: copied, same numbers
    assert not np.shares_memory(X.to_numpy(), frame["a"].to_numpy())
    assert X.to_numpy().tolist() == [[1, 4], [2, 6], [3, 9]]
    assert X.index.tolist() == [2, 3, 4] and X.attrs["source"] == "plate.csv"
