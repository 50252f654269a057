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
    # issue 18: numbers in locales, instrument exports, spreadsheet quirks
    ("rfu_thousands.tsv", {}, ("RFU", "conc"),
     ["row 2", "`RFU`", "'12,345' could be 12345", "or 12.345", "--decimal"]),
    ("quoted_decimal_comma.csv", {}, ("signal", "conc"),
     ["row 3", "`signal`", "'0,34' mixes decimal marks", "0.34"]),
    ("quoted_leading_zero_comma.csv", {}, ("signal", "conc"),
     ["row 3", "'0,095' mixes decimal marks", "0.095"]),
    ("one_point_among_commas.csv", {}, ("Signal", "Konz"),
     ["row 4", "`Signal`", "'1.234' could be 1.234", "or 1234"]),
    ("points_3dp_commas.csv", {}, ("y", "x"), ["row 2", "`x`", "'1.000' could be 1", "or 1000"]),
    ("exponent_comma.csv", {}, ("signal", "conc"), ["row 4", "'1,5e3' mixes", "1500"]),
    ("thousands_comma_among_points.csv", {}, ("signal", "conc"),
     ["row 3", "`conc`", "'1,250' could be 1250", "or 1.25"]),
    ("one_point_among_commas.csv", {"decimal": "."}, ("Signal", "Konz"),
     ["row 2", "'0,5' is not a number", "decimal mark was set to '.'"]),
    ("unicode_minus.csv", {}, ("signal", "conc"), ["row 3", "'\u22120.5' is not a number"]),
    ("units_in_cells.csv", {}, ("signal", "conc"), ["row 2", "'0.5 mg/mL' is not a number"]),
    ("percent_cells.csv", {}, ("inhibition", "conc"), ["row 2", "'12%' is not a number"]),
    ("plus_minus.csv", {}, ("signal", "conc"), ["row 2", "'0.12 \u00b1 0.01' is not a number"]),
    ("fraction_cells.csv", {}, ("signal", "dilution"), ["row 2", "'1/2' is not a number"]),
    ("hex_cells.csv", {}, ("code", "conc"), ["row 2", "'0x1F' is not a number"]),
    ("dates_as_predictor.csv", {}, ("signal", "date"), ["row 2", "'2026-11-01' is not a"]),
    ("kinetic_times.csv", {}, ("OD600", "time"), ["row 2", "'00:00:00' is not a number"]),
    ("true_false_text.csv", {}, ("signal", "treated"), ["row 2", "code them as 0 and 1"]),
    ("ovrflw.csv", {}, ("RFU", "conc"), ["row 3", "'OVRFLW'", "off its scale"]),
    ("value_error.csv", {}, ("signal", "conc"), ["row 3", "'#VALUE!'", "spreadsheet error"]),
    ("na_error.csv", {}, ("signal", "conc"), ["row 3", "'#N/A'", "leave the cell empty"]),
    ("hash_too_narrow.csv", {}, ("signal", "conc"), ["row 3", "'########'", "spreadsheet"]),
    ("na_word.csv", {}, ("signal", "conc"), ["row 3", "'NA' is not a number", "--drop-missing"]),
    ("no_ct.txt", {}, ("Ct", "Quantity"), ["row 4", "'No Ct'", "no amplification"]),
    ("question_marks.csv", {}, ("A450", "conc"), ["row 3", "'?????' is not a number"]),
    ("infinity_word.csv", {}, ("signal", "conc"), ["row 3", "infinite"]),
    ("whitespace_cell.csv", {}, ("signal", "conc"), ["row 3", "the cell is empty"]),
    ("late_extra_cells.csv", {}, None, ["row 61", "more cells than the header"]),
    ("late_unclosed_quote.csv", {}, None, ["row 62", "unclosed quote"]),
    ("repeated_header.csv", {}, ("signal", "conc"), ["row 4", "'conc' is not a number"]),
    ("summary_row_mean.csv", {}, ("signal", "conc"), ["row 5", "'Mean'", "below the table"]),
    ("short_row.csv", {}, ("signal", "conc"), ["row 3", "`signal`", "the cell is empty"]),
    ("duplicate_after_strip.csv", {}, None, ["`conc` appears twice"]),
    ("blank_header_name.csv", {}, None, ["column 2 has values but no name"]),
    ("html_as_csv.csv", {}, None, ["no table found"]),
    ("json_as_csv.csv", {}, None, ["no table found"]),
    ("gzip_as_csv.csv", {}, None, ["binary data"]),
    ("zip_as_csv.csv", {}, None, ["binary data"]),
    ("header_and_blank_lines.csv", {}, None, ["no table found"]),
    ("mac_cr_bad_cell.csv", {}, ("signal", "conc"), ["row 3", "'oops' is not a number"]),
    ("utf8_invalid_after_bom.csv", {}, None, ["says it is UTF-8", "not UTF-8"]),
    ("notes_first.xlsx", {}, None, ["the first sheet, 'Notes'", "--sheet", "'Data'"]),
    ("text_comma_cells.xlsx", {}, ("signal", "conc"), ["row 2", "'12,345' could be 12345"]),
    ("dates_in_excel.xlsx", {}, ("signal", "day"), ["row 2", "'2026-11-01 00:00:00'"]),
    ("booleans_in_excel.xlsx", {}, ("signal", "treated"), ["row 2", "code them as 0 and 1"]),
    ("error_cell.xlsx", {}, ("signal", "conc"), ["row 3", "'#DIV/0!'", "spreadsheet error"]),
    ("stray_far_cell.xlsx", {}, None, ["row 1048576", "more cells than the header"]),
    ("formulas_not_calculated.xlsx", {}, None,
     ["cell B2 holds a formula (=A2*0.1)", "never saved", "save it"]),
    ("duplicate_names.parquet", {}, None, ["`conc` appears twice", "columns 1 and 2"]),
    ("int64_overflow.parquet", {}, ("signal", "id"),
     ["row 1", "`id`", "too large to compute with exactly", "2^53"]),
    ("all_null_column.parquet", {}, ("signal", "conc"), ["row 1", "the cell is empty"]),
    ("timestamps.parquet", {}, ("signal", "when"), ["row 1", "`when`", "is not a number"]),
]  # fmt: skip

# file, read options, (y, x), expected x values, expected y values, first row number
READ_CORRECTLY = [
    ("tab_named_csv.csv", {}, 2),
    ("german_grouped.csv", {}, 2),
    ("utf16_be.txt", {}, 2),
    ("double_bom.csv", {}, 2),
    ("cp1252_micro.csv", {}, 2),
    ("mac_cr.csv", {}, 2),
    ("space_grouped_points.csv", {}, 2),
    ("swiss_apostrophe.csv", {}, 2),
    ("nbsp_grouped_commas.csv", {}, 2),
    ("plus_and_exponents.csv", {}, 2),
    ("last_column_empty.csv", {}, 2),
    ("metadata_same_width.csv", {}, 3),
    ("metadata_key_colon.csv", {}, 3),
    ("header_extra_named_column.csv", {}, 2),
    ("sheet_named_2.xlsx", {"sheet": "2"}, 2),
    ("text_decimal_comma_cells.xlsx", {}, 2),
    ("offset_table.xlsx", {}, 5),
    ("comment_column_empty.xlsx", {}, 2),
    ("metadata_above.xlsx", {}, 4),
    ("macro_enabled.xlsm", {}, 2),
    ("comma_strings.parquet", {}, 1),
]
GROUPED = {"german_grouped.csv", "space_grouped_points.csv", "swiss_apostrophe.csv",
           "nbsp_grouped_commas.csv"}  # fmt: skip


@pytest.mark.parametrize(("name", "options", "first_row"), READ_CORRECTLY)
def test_odd_but_clear_files_are_read_correctly(name, options, first_row):
    frame = read_table(CORPUS / name, **options)
    x_name, y_name = frame.columns[0], "Signal" if "Signal" in frame.columns else "signal"
    X, y = select_columns(frame, y_name, x_name)
    expected_x = [1250.5, 2500.0, 3750.5] if name in GROUPED else [1.0, 2.0, 3.0]
    assert X[x_name].tolist() == expected_x
    assert y.tolist() == [0.1, 0.2, 0.3]
    assert list(y.index) == [first_row, first_row + 1, first_row + 2]


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


def test_corpus_has_at_least_a_hundred_files():
    assert len(list(CORPUS.iterdir())) >= 100


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
