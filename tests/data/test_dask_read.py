"""The Dask fit reads files by the same rules as the in-memory reader."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("dask")

from benchlearn import LinearRegression
from benchlearn.data import read_table, select_columns
from benchlearn.errors import DataError, UsageError
from benchlearn.scale.dask_fit import fit_file_with_dask


@pytest.fixture
def small_partitions(monkeypatch):
    import benchlearn.data.dask_read as dask_read

    monkeypatch.setattr(dask_read, "_PARTITION_BYTES", 200)


def _european(path, n=120):
    rng = np.random.default_rng(7)
    conc = np.round(rng.uniform(0, 40, n), 2)
    signal = np.round(0.1 + 0.02 * conc + rng.normal(0, 0.01, n), 4)
    body = "\n".join(
        f"{c:.2f};{s:.4f}".replace(".", ",") for c, s in zip(conc, signal, strict=True)
    )
    path.write_text("Gerät: Tecan Spark\n\nKonz;Signal\n" + body + "\n", encoding="utf-8")


def test_decimal_comma_semicolon_file_with_preamble_fits_the_same_with_dask(
    tmp_path, small_partitions
):
    path = tmp_path / "platte.csv"
    _european(path)
    X, y = select_columns(read_table(path), "Signal", "Konz")
    expected = LinearRegression().fit(X, y)
    model = fit_file_with_dask(str(path), y="Signal", x=["Konz"])
    np.testing.assert_allclose(model.coef_, expected.coef_, rtol=1e-12)
    np.testing.assert_allclose(model.intercept_, expected.intercept_, rtol=1e-12)


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("x,y\n" + "".join(f"{i},{2 * i + 0.5}\n" for i in range(60)) + "60,n/a\n",
         ["row 62", "`y`", "'n/a' is not a number"]),
        ("x,y\n" + "".join(f"{i},{2 * i + 0.5}\n" for i in range(60)) + "60,\n",
         ["row 62", "`y`", "the cell is empty"]),
        ("x;y\n" + "".join(f"{i};{i}.5\n" for i in range(40)) + "".join(
            f"{i};{i},5\n" for i in range(40, 80)),
         ["`y`", "decimal point", "decimal commas"]),
    ],
)  # fmt: skip
def test_dask_errors_name_file_row_and_column(tmp_path, small_partitions, content, fragments):
    path = tmp_path / "plate.csv"
    path.write_text(content)
    with pytest.raises(DataError) as caught:
        fit_file_with_dask(str(path), y="y", x=["x"])
    for fragment in fragments:
        assert fragment in caught.value.message, caught.value.message


def test_a_malformed_scheduler_address_is_a_usage_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x,y\n1,2\n2,3\n3,5\n")
    with pytest.raises(UsageError, match="cannot reach a Dask scheduler"):
        fit_file_with_dask(str(path), y="y", address="not a scheduler::")


def test_partitions_that_disagree_on_the_decimal_mark_are_refused():
    from benchlearn.data.dask_read import _check_marks_agree

    marks = ({"y": ("0.5", None, "a.csv")}, {"y": (None, "0,5", "a.csv")})
    with pytest.raises(DataError, match=r"decimal points in one part .*'0\.5'.* commas .*'0,5'"):
        _check_marks_agree(marks, ["y"])
    _check_marks_agree(({"y": ("0.5", None, "a.csv")}, {"y": ("1.5", None, "a.csv")}), ["y"])
