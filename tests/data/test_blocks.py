"""Streaming reads files by the in-memory reader's rules: same numbers, same messages, same rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchlearn import LinearRegression
from benchlearn.data import read_table, select_columns
from benchlearn.data.blocks import BlockReader
from benchlearn.errors import BenchlearnError, DataError, UsageError
from benchlearn.scale import fit_streaming

PREAMBLE = "Gerät: Tecan Spark\nDatum: 02.11.2026\n\n"


def _european_csv(path, n=400, seed=3):
    rng = np.random.default_rng(seed)
    conc = np.round(rng.uniform(0, 50, n), 2)
    signal = np.round(0.05 + 0.021 * conc + rng.normal(0, 0.01, n), 4)
    lines = ["Konz;Signal"] + [
        f"{c:.2f};{s:.4f}".replace(".", ",") for c, s in zip(conc, signal, strict=True)
    ]
    path.write_text(PREAMBLE + "\n".join(lines) + "\n", encoding="utf-8")
    return conc, signal


def test_decimal_comma_semicolon_file_with_preamble_fits_the_same_streamed(tmp_path):
    path = tmp_path / "platte.csv"
    conc, signal = _european_csv(path)
    X, y = select_columns(read_table(path), "Signal", "Konz")
    np.testing.assert_array_equal(X["Konz"].to_numpy(), conc)
    np.testing.assert_array_equal(y.to_numpy(), signal)
    in_memory = LinearRegression().fit(X, y)
    streamed = fit_streaming(path, y="Signal", x=["Konz"], batch_rows=64)
    np.testing.assert_allclose(streamed.coef_, in_memory.coef_, rtol=1e-12)
    np.testing.assert_allclose(streamed.intercept_, in_memory.intercept_, rtol=1e-12)


def test_blocks_carry_the_users_row_numbers(tmp_path, monkeypatch):
    import benchlearn.data.blocks as blocks

    monkeypatch.setattr(blocks, "_BLOCK_BYTES", 256)  # many small blocks
    path = tmp_path / "platte.csv"
    conc, _ = _european_csv(path, n=300)
    reader = BlockReader(path)
    got = list(reader.blocks(["Konz"]))
    assert len(got) > 5
    rows = np.concatenate([b.rows for b in got])
    np.testing.assert_array_equal(rows, np.arange(5, 305))  # 3 preamble lines + header
    np.testing.assert_array_equal(np.concatenate([b.values["Konz"] for b in got]), conc)


def _bad_cell_after_first_block(path):
    lines = ["conc,signal"] + [f"{i},{0.5 * i + 1}" for i in range(5000)]
    lines[4001] = "4000,n/a"
    path.write_text("\n".join(lines) + "\n")


def _truncated_parquet(path):
    pd.DataFrame({"x": np.arange(1000.0), "y": np.arange(1000.0) * 2}).to_parquet(path)
    path.write_bytes(path.read_bytes()[:-300])


def _duplicate_parquet(path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table([pa.array([1.0, 2.0]), pa.array([3.0, 4.0])], names=["x", "x"])
    pq.write_table(table, path)


CASES = [
    ("semicolon.csv", lambda p: p.write_text("a;b\n1;2\n3;4\n5;x\n"),
     ["semicolon.csv", "row 4", "`b`", "'x' is not a number"]),
    ("empty.csv", lambda p: p.write_bytes(b""), ["empty.csv", "the file is empty"]),
    ("blank.csv", lambda p: p.write_text("\n\n \n"), ["blank.csv", "only blank lines"]),
    ("utf16.txt", lambda p: p.write_bytes("x\ty\n1\t2\n2\t4,5\n3\tn.d.\n".encode("utf-16")),
     ["utf16.txt", "row 4", "`y`", "'n.d.' is not a number"]),
    ("latin1.csv", lambda p: p.write_bytes("x;Größe\n1;2,0\n2;ü\n".encode("latin-1")),
     ["latin1.csv", "row 3", "`Größe`", "'ü' is not a number"]),
    ("ragged.csv", lambda p: p.write_text("x,y\n1,2\n2,3\n3,4,5\n4,5\n"),
     ["ragged.csv", "row 4", "more cells than the header"]),
    ("folder.csv", lambda p: p.mkdir(), ["folder.csv", "folder, not a file"]),
    ("missing.parquet", lambda p: None, ["missing.parquet", "does not exist"]),
    ("truncated.parquet", _truncated_parquet, ["truncated.parquet", "damaged or truncated"]),
    ("duplicate.parquet", _duplicate_parquet, ["duplicate.parquet", "`x` appears twice"]),
    ("late.csv", _bad_cell_after_first_block,
     ["late.csv", "row 4002", "`signal`", "'n/a' is not a number"]),
    ("empty_cell.csv", lambda p: p.write_text("x,y\n1,2\n2,\n3,4\n"),
     ["empty_cell.csv", "row 3", "`y`", "the cell is empty"]),
    ("ambiguous.tsv", lambda p: p.write_text("x\ty\n1\t12,345\n2\t23,456\n"),
     ["ambiguous.tsv", "row 2", "`y`", "12345", "12.345", "--decimal"]),
    ("mixed.csv", lambda p: p.write_text('x,y\n1,0.5\n2,"0,7"\n3,0.9\n'),
     ["mixed.csv", "row 3", "`y`", "mixes decimal marks"]),
    ("book.xlsx", lambda p: p.write_bytes(b"PK"), ["book.xlsx", "without --stream"]),
    ("mac.csv", lambda p: p.write_bytes(b"x,y\r1,2\r2,4\r3,oops\r"),
     ["mac.csv", "row 4", "'oops' is not a number"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_streaming_refuses_bad_files_with_file_row_and_column(tmp_path, name, make, fragments):
    path = tmp_path / name
    make(path)
    with pytest.raises(BenchlearnError) as caught:
        fit_streaming(path, y=_y(name), batch_rows=1000)
    for fragment in fragments:
        assert fragment in caught.value.message, caught.value.message


def _y(name: str) -> str:
    return {"semicolon.csv": "b", "latin1.csv": "Größe", "late.csv": "signal"}.get(name, "y")


def test_the_stated_decimal_mark_reaches_the_stream(tmp_path):
    path = tmp_path / "rfu.tsv"
    path.write_text("x\ty\n1\t12,345\n2\t23,456\n3\t35,012\n")
    model = fit_streaming(path, y="y", decimal=".")
    X, y = select_columns(read_table(path, decimal="."), "y", "x")
    np.testing.assert_allclose(model.coef_, LinearRegression().fit(X, y).coef_, rtol=1e-12)


def test_unknown_column_is_a_usage_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x,y\n1,2\n2,3\n")
    with pytest.raises(UsageError, match="no column named `z`"):
        fit_streaming(path, y="z")


def test_a_settling_cell_below_the_first_block_is_named_in_the_refusal(tmp_path, monkeypatch):
    import benchlearn.data.blocks as blocks

    monkeypatch.setattr(blocks, "_BLOCK_BYTES", 64)
    path = tmp_path / "late_evidence.csv"
    lines = ["x;y"] + [f"{i};{i},500" for i in range(1, 40)] + ["40;0,25"]
    path.write_text("\n".join(lines) + "\n")
    read_table(path)  # in memory the whole column settles it ...
    with pytest.raises(DataError, match="rows above it"):  # ... in blocks it cannot
        fit_streaming(path, y="y")
