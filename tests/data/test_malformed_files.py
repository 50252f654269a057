"""Every malformed file gets its own message: where (file, row, column), what, and the fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlearn.data import read_table, select_columns
from benchlearn.errors import BenchlearnError, DataError, UsageError

CORPUS = Path(__file__).parent / "malformed"

# file, read options, (y, x) to select or None to stop after reading, expected fragments
CASES = [
    ("text_in_numeric.csv", {}, ("signal", "conc"),
     ["text_in_numeric.csv", "row 3", "`signal`", "'n/a' is not a number", "leave the cell empty"]),
    ("empty.csv", {}, None, ["empty.csv", "the file is empty"]),
    ("only_blank_lines.csv", {}, None, ["no data, only blank lines"]),
    ("header_only.csv", {}, None, ["no data rows"]),
    ("duplicate_columns.csv", {}, None, ["`conc` appears twice", "columns 1 and 2", "row 1"]),
    ("missing_value.csv", {}, ("signal", "conc"),
     ["row 3", "`signal`", "the cell is empty", "--drop-missing"]),
    ("infinity.csv", {}, ("signal", "conc"), ["row 3", "`signal`", "infinite"]),
    ("negative_infinity_predictor.csv", {}, ("signal", "conc"), ["row 3", "`conc`", "infinite"]),
    ("constant_predictor.csv", {}, ("signal", "conc"), ["`conc` has the same value (1)"]),
    ("constant_response.csv", {}, ("signal", "conc"), ["`signal` has the same value (0.5)"]),
    ("too_few_rows.csv", {}, ("signal", "conc"), ["only 1 usable row", "at least 2"]),
    ("misspelt_column.csv", {}, ("Signal", "conc"),
     ["no column named `Signal`", "did you mean `signal`", "`conc`, `signal`"]),
    ("binary.csv", {}, None, ["binary data", "CSV"]),
    ("old_excel.xls", {}, None, ["'.xls' are not supported", "save it from excel as .xlsx"]),
    ("settings.json", {}, None, ["'.json' are not supported", ".csv"]),
    ("corrupt.xlsx", {}, None, ["not a readable Excel workbook", "save it again"]),
    ("corrupt.parquet", {}, None, ["not a readable Parquet file"]),
    ("unclosed_quote.csv", {}, None, ["cannot be split into cells", "quote"]),
    ("extra_cells.csv", {}, None, ["row 3", "more cells than the header"]),
    ("unnamed_column.csv", {}, None, ["column 2 has values but no name", "row 1"]),
    ("excel_error_value.csv", {}, ("signal", "conc"),
     ["row 3", "'#DIV/0!' is not a number", "spreadsheet error value"]),
    ("european_text.csv", {}, ("Signal", "Konz"), ["row 3", "`Signal`", "'ca. 0,25'"]),
    ("utf16_text_cell.tsv", {}, ("signal", "conc"), ["row 4", "'saturated' is not a number"]),
    ("plate_reader_preamble.csv", {}, ("A562", "conc"),
     ["row 8", "`A562`", "'overflow' is not a number"]),
    ("text_response.csv", {}, ("sample", "conc"), ["row 2", "`sample`", "'S1' is not a number"]),
    ("nan_text.csv", {}, ("signal", "conc"), ["row 3", "'NaN' is not a number"]),
    ("below_detection_limit.csv", {}, ("signal", "conc"),
     ["row 2", "'<0.05' is not a number", "detection limit"]),
    ("no_numeric_predictor.csv", {}, ("signal", None), ["no numeric column besides"]),
    ("same_column_twice.csv", {}, ("signal", "signal"),
     ["`signal` is both the response and a predictor"]),
    ("dash_for_missing.csv", {}, ("signal", "conc"),
     ["'-' is not a number", "leave the cell empty"]),
    ("one_sheet.xlsx", {"sheet": "Plate2"}, None, ["no sheet named 'Plate2'", "'Plate1'"]),
    ("one_sheet.xlsx", {"sheet": 3}, None, ["no sheet number 3", "numbered from 0"]),
    ("empty_sheet.xlsx", {}, None, ["sheet 'Sheet1' is empty", "--sheet"]),
    ("lod_in_excel.xlsx", {}, ("signal", "conc"), ["row 4", "'<LOD' is not a number"]),
    ("boolean_column.parquet", {}, ("signal", "treated"), ["true/false", "0 and 1"]),
    ("no_rows.parquet", {}, None, ["has no rows"]),
    ("qpcr_undetermined.txt", {}, ("CT", "Quantity"),
     ["row 12", "`CT`", "'Undetermined' is not a number", "no amplification", "--drop-missing"]),
    ("mixed_decimal_marks.csv", {}, ("signal", "conc"),
     ["row 3", "`signal`", "'0,24' mixes decimal marks", "use decimal points", "same decimal"]),
    ("units_row.csv", {}, ("signal", "conc"),
     ["row 2", "`conc`", "'ug/mL' is not a number", "holds units", "`conc (ug/mL)`"]),
    ("note_below_table.csv", {}, ("signal", "conc"),
     ["row 6", "`conc`", "'Measured by J. Doe'", "note written below the table"]),
    ("plate_layout.csv", {}, None, ["row 4", "plate layout", "one row per well"]),
    ("plate_layout.xlsx", {}, None, ["row 3", "plate layout", "one row per well"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "options", "selection", "fragments"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_malformed_file_gives_its_specific_message(name, options, selection, fragments):
    path = CORPUS / name
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    with pytest.raises(BenchlearnError) as caught:
        frame = read_table(path, **options)
        if selection is None:
            pytest.fail(f"{name} was read without complaint")
        y, x = selection
        select_columns(frame, y, x)
    message = caught.value.message.lower()
    for fragment in fragments:
        assert fragment.lower() in message, message
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before  # the user's file is untouched


def test_corpus_has_at_least_thirty_files():
    assert len(list(CORPUS.iterdir())) >= 30


def test_missing_file_and_folder_are_clear(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        read_table(tmp_path / "plate7.csv")
    with pytest.raises(DataError, match="folder, not a file"):
        read_table(tmp_path)


def test_unknown_dataset_column_is_a_usage_error():
    frame = read_table(CORPUS / "misspelt_column.csv")
    with pytest.raises(UsageError):
        select_columns(frame, "absorbance")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".tsv", ".txt"]))
def test_reader_never_raises_anything_but_its_own_errors_on_arbitrary_bytes(
    tmp_path, content, suffix
):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    try:
        frame = read_table(path)
        select_columns(frame, str(frame.columns[0]), drop_missing=True, min_rows=1)
    except (DataError, UsageError):
        pass


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(alphabet=st.sampled_from(list("0123456789.,;\t\n -eEnaAx\"'#<>")), max_size=200)
)
def test_reader_never_raises_anything_but_its_own_errors_on_table_like_text(tmp_path, text):
    path = tmp_path / "fuzz.csv"
    path.write_text(text, encoding="utf-8")
    try:
        frame = read_table(path)
        for column in frame.columns[:2]:
            select_columns(frame, str(column), drop_missing=True, min_rows=1)
    except (DataError, UsageError):
        pass
