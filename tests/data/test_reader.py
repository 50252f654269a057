"""What instruments and spreadsheets really write is read correctly, with the user's row numbers."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchlearn.data import MissingValuesDropped, read_table, reader, select_columns
from benchlearn.errors import BenchlearnError, DataError

EXPECTED = pd.DataFrame({"conc": [0.0, 0.5, 1250.0], "signal": [0.1, 0.25, 1.5]})


def check(frame: pd.DataFrame, first_row: int) -> None:
    pd.testing.assert_frame_equal(
        frame[["conc", "signal"]].reset_index(drop=True), EXPECTED, check_dtype=False
    )
    assert list(frame.index) == [first_row, first_row + 1, first_row + 2]


@pytest.mark.parametrize(
    ("name", "content", "first_row", "options"),
    [
        ("plain.csv", "conc,signal\n0,0.1\n0.5,0.25\n1250,1.5\n", 2, {}),
        ("bom.csv", "\ufeffconc,signal\n0,0.1\n0.5,0.25\n1250,1.5\n", 2, {}),
        ("european.csv", "conc;signal\n0;0,1\n0,5;0,25\n1.250;1,5\n", 2, {"decimal": ","}),
        ("european_grouped.csv", "conc;signal\n0;0,1\n0,5;0,25\n1.250,0;1,5\n", 2, {}),
        ("thousands.csv", 'conc,signal\n0,0.1\n0.5,0.25\n"1,250",1.5\n', 2, {"decimal": "."}),
        ("thousands_shown.csv", 'conc,signal\n0,0.1\n0.5,0.25\n"1,250.0",1.5\n', 2, {}),
        ("tabs.tsv", "conc\tsignal\n0\t0.1\n0.5\t0.25\n1250\t1.5\n", 2, {}),
        ("tabs.txt", "conc\tsignal\n0\t0.1\n0.5\t0.25\n1250\t1.5\n", 2, {}),
        ("trailing.csv", "conc,signal,\n0,0.1,\n0.5,0.25,\n1250,1.5,\n,,\n\n\n", 2, {}),
        ("crlf.csv", "conc,signal\r\n0,0.1\r\n0.5,0.25\r\n1250,1.5\r\n", 2, {}),
        (
            "preamble.csv",
            "Instrument: SpectraMax M5\nDate: 2026-11-02\n\n"
            "conc,signal\n0,0.1\n0.5,0.25\n1250,1.5\n",
            5,
            {},
        ),
        ("spaces.csv", "conc;signal\n0;0,1\n0,5;0,25\n1 250;1,5\n", 2, {}),
    ],
)
def test_text_variants_read_to_the_same_table(tmp_path, name, content, first_row, options):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    check(read_table(path, **options), first_row)


def test_utf16_export_is_read(tmp_path):
    path = tmp_path / "qpcr_export.txt"
    path.write_bytes("conc\tsignal\n0\t0.1\n0.5\t0.25\n1250\t1.5\n".encode("utf-16"))
    check(read_table(path), 2)


def test_windows_1252_text_is_read_and_the_encoding_noted(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("conc (µg/mL),signal\n0,0.1\n0.5,0.25\n1250,1.5\n".encode("cp1252"))
    frame = read_table(path)
    assert frame.columns[0] == "conc (µg/mL)"
    assert frame.attrs["encoding"] == "cp1252"


def test_text_columns_such_as_well_names_are_kept_as_text(tmp_path):
    path = tmp_path / "plate.csv"
    path.write_text("well,conc,signal\nA1,0,0.1\nA2,0.5,0.25\nA3,1250,1.5\n")
    frame = read_table(path)
    assert frame["well"].tolist() == ["A1", "A2", "A3"]
    X, _ = select_columns(frame, "signal")
    assert list(X.columns) == ["conc"]


def test_excel_sheet_is_chosen_by_name_or_position_with_spreadsheet_rows(tmp_path):
    path = tmp_path / "assay.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [9]}).to_excel(writer, sheet_name="Notes", index=False)
        EXPECTED.to_excel(writer, sheet_name="Standards", index=False, startrow=2)
    check(read_table(path, sheet="Standards"), 4)
    check(read_table(path, sheet=1), 4)
    assert read_table(path).attrs["sheet"] == "Notes"


def test_parquet_rows_are_numbered_from_one(tmp_path):
    path = tmp_path / "screen.parquet"
    EXPECTED.to_parquet(path)
    check(read_table(path), 1)


def test_drop_missing_leaves_rows_out_and_says_which(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("conc,signal\n0,0.1\n1,\n2,0.3\n3,0.4\n")
    frame = read_table(path)
    with pytest.warns(MissingValuesDropped, match=r"1 row\(s\) .* \(rows 3\)"):
        X, y = select_columns(frame, "signal", "conc", drop_missing=True)
    assert list(y.index) == [2, 4, 5]
    assert X.attrs["dropped_rows"] == [3]
    np.testing.assert_array_equal(y.to_numpy(), [0.1, 0.3, 0.4])


def test_long_instrument_preamble_does_not_outvote_the_tab_separated_table(tmp_path):
    metadata = "".join(f"* Setting {i} = value {i}\n" for i in range(8))
    path = tmp_path / "qpcr_results.txt"
    path.write_text(metadata + "[Results]\nWell\tconc\tsignal\nA1\t0\t0.1\nA2\t0.5\t0.25\n"
                    "A3\t1250\t1.5\n")  # fmt: skip
    frame = read_table(path)
    check(frame, 11)
    assert frame.attrs["delimiter"] == "\t" and frame.attrs["header_row"] == 10
    assert frame.attrs["preamble"][0] == "* Setting 0 = value 0"


def test_a_column_written_entirely_with_decimal_commas_is_read_as_numbers(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('conc,signal\n0,"0,1"\n0.5,"0,25"\n1250,"1,5"\n')
    X, y = select_columns(read_table(path), "signal", "conc")
    np.testing.assert_array_equal(y.to_numpy(), EXPECTED["signal"].to_numpy())
    np.testing.assert_array_equal(X["conc"].to_numpy(), EXPECTED["conc"].to_numpy())


# ------------------------------------------------------------------ big files, read in pieces
# A big text file is read piece by piece (each piece's text freed once its numbers are read).
# With pieces of a few bytes, every file below is read in many pieces: the table, its row
# numbers and every message must be those of the file read whole.
CORPUS = Path(__file__).parent / "malformed"
TEXT_FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in {".csv", ".tsv", ".txt"})


def outcome(action):
    """What ``action()`` gives: its result and the messages of the warnings it gives, or those
    messages and the message of the error it raises, as one text."""
    with warnings.catch_warnings(record=True) as given:
        warnings.simplefilter("always")
        try:
            result = action()
        except BenchlearnError as error:
            result = f"{type(error).__name__}: {error.message}"
    warned = [f"{w.category.__name__}: {w.message}" for w in given]
    return "\n".join([*warned, result]) if isinstance(result, str) else (result, warned)


def read_and_select(path, options=None):
    """The table read from ``path`` (with the warnings reading it gave) and, for each column,
    what selecting it as response gives."""
    read = outcome(lambda: read_table(path, **(options or {})))
    if isinstance(read, str):
        return read, []
    frame, _ = read
    selections = [
        outcome(lambda c=c: select_columns(frame, str(c), drop_missing=True, min_rows=1))
        for c in frame.columns
    ]
    return read, selections


def assert_same_reading(whole, pieces):
    frame_w, selected_w = whole
    frame_p, selected_p = pieces
    if isinstance(frame_w, str):
        assert frame_p == frame_w
        return
    (frame_p, read_warned_p), (frame_w, read_warned_w) = frame_p, frame_w
    pd.testing.assert_frame_equal(frame_p, frame_w)
    assert frame_p.attrs == frame_w.attrs
    assert read_warned_p == read_warned_w
    for got, expected in zip(selected_p, selected_w, strict=True):
        if isinstance(expected, str):
            assert got == expected
        else:
            (X_got, y_got), warned = got
            (X_expected, y_expected), expected_warnings = expected
            pd.testing.assert_frame_equal(X_got, X_expected)
            pd.testing.assert_series_equal(y_got, y_expected)
            assert warned == expected_warnings  # rows left out: the same rows named


def read_both_ways(monkeypatch, path, options=None, piece=16):
    monkeypatch.setattr(reader, "_PIECE_BYTES", 1 << 40)
    whole = read_and_select(path, options)
    monkeypatch.setattr(reader, "_PIECE_BYTES", piece)
    return whole, read_and_select(path, options)


@pytest.mark.parametrize("name", TEXT_FILES)
def test_every_corpus_file_reads_in_pieces_as_it_reads_whole(monkeypatch, name):
    assert_same_reading(*read_both_ways(monkeypatch, CORPUS / name))


PIECEWISE = {
    # a column of numbers until a text cell far down: its text is read again, the row named
    "late_text.csv": "conc,signal\n" + "".join(f"{i},{i / 10}\n" for i in range(40)) + "41,n/a\n",
    # '1.234' early is settled by '0.5' in a later piece, as when the column is read whole
    "late_settling.csv": "conc,signal\n1.234,1\n" + "2,2\n" * 30 + "0.5,3\n",
    # every decimal point could group thousands: refused with both readings, first row named
    "never_settled.csv": "conc,signal\n" + "".join(f"{i}.250,{i}\n" for i in range(1, 30)),
    # a column of text from the start (well names) and a row of empty cells in a later piece
    "wells_and_blank_row.csv": "well,conc,signal\n"
    + "".join(f"A{i},{i},{i / 4}\n" for i in range(30))
    + ",,\n"
    + "B1,31,7.75\n",
    # a blank line between pieces, and trailing blank lines
    "blank_line.csv": "conc,signal\n" + "1,2\n" * 20 + "\n" + "3,4\n" * 20 + "\n\n",
    # a quoted line break: the csv module reads the file
    "quoted_break.csv": 'name,conc,signal\n"a\nb",1,2\n' + "c,3,4\n" * 20,
    # CRLF line ends; no line end after the last row
    "crlf.csv": "conc,signal\r\n" + "1.5,2\r\n" * 30,
    "no_final_line_end.csv": "conc,signal\n" + "1.5,2\n" * 30 + "2.5,3",
    # Excel's "CSV UTF-8" starts with a byte-order mark; some exporters write it twice
    "bom.csv": "\ufeffconc,signal\n" + "1.5,2\n" * 30,
    "double_bom.csv": "\ufeff\ufeffconc,signal\n" + "1.5,2\n" * 30,
    # Windows-1252 (read whole, transcoded) and UTF-8 with a character beyond ASCII
    "cp1252.csv": "conc (\u00b5M),signal\n".encode("cp1252") + b"1.5,2\n" * 30,
    "utf8_micro.csv": "conc (\u00b5M),signal\n" + "1.5,2\n" * 30,
    # a preamble above the header and a row too wide far down
    "preamble_late_extra.csv": "Reader: X\nDate: 2026-11-30\n\nconc,signal\n"
    + "1,2\n" * 30
    + "3,4,5\n",
}


@pytest.mark.parametrize("name", sorted(PIECEWISE))
@pytest.mark.parametrize("piece", [1, 40])
def test_a_table_cut_in_pieces_anywhere_reads_as_when_whole(monkeypatch, tmp_path, name, piece):
    path = tmp_path / name
    content = PIECEWISE[name]
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert_same_reading(*read_both_ways(monkeypatch, path, piece=piece))


def test_a_late_text_cell_is_named_by_its_row_when_read_in_pieces(monkeypatch, tmp_path):
    path = tmp_path / "late_text.csv"
    path.write_text(PIECEWISE["late_text.csv"])
    monkeypatch.setattr(reader, "_PIECE_BYTES", 16)
    frame = read_table(path)
    assert frame["conc"].dtype == float and frame.index[-1] == 42
    with pytest.raises(DataError, match="row 42") as caught:
        select_columns(frame, "signal")
    assert "'n/a' is not a number" in caught.value.message


def test_a_settling_cell_in_a_later_piece_settles_the_whole_column(monkeypatch, tmp_path):
    path = tmp_path / "late_settling.csv"
    path.write_text(PIECEWISE["late_settling.csv"])
    monkeypatch.setattr(reader, "_PIECE_BYTES", 16)
    frame = read_table(path)
    assert frame["conc"].iloc[0] == 1.234 and frame["conc"].iloc[-1] == 0.5


@pytest.mark.parametrize(("mark", "encoding"), [("", "utf-8"), ("\ufeff", "utf-8-sig")])
def test_a_big_file_of_numbers_is_read_from_disk_in_pieces_not_whole(
    monkeypatch, tmp_path, mark, encoding
):
    path = tmp_path / "big.csv"
    path.write_text(mark + "conc,signal\n" + "".join(f"{i},{i / 8}\n" for i in range(2000)))
    monkeypatch.setattr(reader, "_PIECE_BYTES", 1000)

    def refuse(*_):
        raise AssertionError("the whole file was loaded")

    monkeypatch.setattr(reader, "load_text", refuse)
    frame = read_table(path)
    assert frame.shape == (2000, 2) and frame.index[0] == 2 and frame.index[-1] == 2001
    np.testing.assert_array_equal(frame["signal"].to_numpy(), np.arange(2000) / 8)
    assert frame.attrs["encoding"] == encoding and frame.attrs["delimiter"] == ","


def test_a_column_never_settled_stays_text_and_is_refused_with_both_readings(monkeypatch, tmp_path):
    path = tmp_path / "never_settled.csv"
    path.write_text(PIECEWISE["never_settled.csv"])
    monkeypatch.setattr(reader, "_PIECE_BYTES", 16)
    frame = read_table(path)
    assert frame["conc"].iloc[0] == "1.250"
    with pytest.raises(DataError) as caught:
        select_columns(frame, "signal", "conc")
    assert all(s in caught.value.message for s in ["row 2", "`conc`", "1.25", "1250"])
