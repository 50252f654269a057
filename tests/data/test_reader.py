"""What instruments and spreadsheets really write is read correctly, with the user's row numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchlearn.data import MissingValuesDropped, read_table, select_columns

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
