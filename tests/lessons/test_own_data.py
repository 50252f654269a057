"""The learner's own file: reading the upload, offering its columns, messages in the page's words.

marimo's ``app.run()`` cannot upload a file, so these call the functions the app calls.
"""

import io

import numpy as np
import pandas as pd
import pytest

from benchlearn.errors import DataError, UsageError
from benchlearn.lessons.lesson1 import content, own_data, settings


def test_uploaded_csv_is_read_with_the_users_row_numbers_and_file_name(plate, plate_values):
    _, A562 = plate_values
    assert plate.attrs["source"] == "plate 3.csv"
    assert list(plate.columns) == ["sample", "conc_ug_per_ml", "A562"]
    assert list(plate.index) == list(range(2, 13))  # the header is line 1
    np.testing.assert_array_equal(plate["A562"], A562)


def file_bytes(kind: str, CONC, A562) -> bytes:
    """The plate without sample names as a file of the given type, written by pandas."""
    table = pd.DataFrame({"conc_ug_per_ml": CONC, "A562": A562})
    buffer = io.BytesIO()
    if kind == "xlsx":
        table.to_excel(buffer, index=False)
    elif kind == "parquet":
        table.to_parquet(buffer, index=False)
    else:
        buffer.write(table.to_csv(index=False, sep="\t" if kind == "tsv" else ",").encode())
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["csv", "tsv", "txt", "xlsx", "parquet"])
def test_every_accepted_file_type_gives_the_same_numbers(kind, plate_values):
    CONC, A562 = plate_values
    assert f".{kind}" in own_data.UPLOAD_TYPES
    frame = own_data.read_upload(f"plate.{kind}", file_bytes(kind, CONC, A562))
    X, y = own_data.own_line_data(frame, "A562", "conc_ug_per_ml")
    np.testing.assert_array_equal(X["conc_ug_per_ml"], CONC)
    np.testing.assert_array_equal(y, A562)


def test_upload_name_is_only_a_name_never_a_path_outside_the_temporary_folder(tmp_path, plate_csv):
    frame = own_data.read_upload("../../" + str(tmp_path / "escape.csv"), plate_csv())
    assert frame.attrs["source"] == "escape.csv"
    assert not (tmp_path / "escape.csv").exists()


def test_empty_or_unsupported_uploads_raise_the_data_layers_errors():
    with pytest.raises(DataError, match=r"file empty\.csv: the file is empty"):
        own_data.read_upload("empty.csv", b"")
    with pytest.raises(
        UsageError, match=r"'\.xls' are not supported.*Save it from Excel as \.xlsx"
    ):
        own_data.read_upload("old.xls", b"not really excel")


def test_text_in_a_number_column_gives_the_message_naming_file_row_and_column(
    plate_csv, plate_values
):
    bad = [*plate_values[1]]
    bad[4] = "n/a"  # the fifth sample, on line 6 of the file
    frame = own_data.read_upload("plate 3.csv", plate_csv(bad))
    assert own_data.numeric_columns(frame) == ["conc_ug_per_ml", "A562"]  # still offered
    with pytest.raises(DataError) as caught:
        own_data.own_line_data(frame, "A562", "conc_ug_per_ml")
    assert caught.value.message.startswith(
        "file plate 3.csv, row 6, column `A562`: 'n/a' is not a number."
    )


def test_only_columns_of_numbers_are_offered_and_one_is_not_enough(plate):
    assert own_data.numeric_columns(plate) == ["conc_ug_per_ml", "A562"]
    assert own_data.default_columns(own_data.numeric_columns(plate)) == ("A562", "conc_ug_per_ml")
    single = own_data.read_upload("one.csv", b"sample,A562\nS1,0.1\nS2,0.2\nS3,0.4\n")
    with pytest.raises(DataError, match=r"one\.csv: a line needs two columns of numbers.*`A562`"):
        own_data.numeric_columns(single)


def test_too_few_rows_constant_column_and_same_column_twice_are_refused(plate):
    short = own_data.read_upload("short.csv", b"x,y\n1,2\n2,3\n")
    with pytest.raises(DataError, match=r"only 2 usable row.*at least 3"):
        own_data.own_line_data(short, "y", "x")
    flat = own_data.read_upload("flat.csv", b"x,y\n5,2\n5,3\n5,4\n")
    with pytest.raises(DataError, match="column `x` has the same value"):
        own_data.own_line_data(flat, "y", "x")
    with pytest.raises(UsageError, match="both the response and a predictor"):
        own_data.own_line_data(plate, "A562", "A562")


def test_empty_cells_are_an_error_unless_the_learner_leaves_those_rows_out(plate_csv, plate_values):
    gappy = [*plate_values[1]]
    gappy[2] = ""
    frame = own_data.read_upload("gappy.csv", plate_csv(gappy))
    with pytest.raises(DataError, match="row 4, column `A562`: the cell is empty"):
        own_data.own_line_data(frame, "A562", "conc_ug_per_ml")
    X, y = own_data.own_line_data(frame, "A562", "conc_ug_per_ml", drop_missing=True)
    assert len(y) == len(gappy) - 1
    assert settings.line_settings(X, y).dropped_rows == (4,)


def test_page_messages_name_the_pages_widgets_not_command_line_options_or_python(
    plate_csv, plate_values, plate
):
    gappy = [*plate_values[1]]
    gappy[2] = ""
    frame = own_data.read_upload("gappy.csv", plate_csv(gappy))
    with pytest.raises(DataError) as empty_cell:
        own_data.own_line_data(frame, "A562", "conc_ug_per_ml")
    assert "--drop-missing" in empty_cell.value.message  # the data layer speaks to the CLI
    message = own_data.page_message(empty_cell.value)
    assert "row 4, column `A562`: the cell is empty" in message
    assert "leave such rows out by ticking “Leave out rows with empty cells”" in message
    with pytest.raises(UsageError) as same_column:
        own_data.own_line_data(plate, "A562", "A562")
    message_twice = own_data.page_message(same_column.value)
    assert "“Measured quantity (y)” and “Predictor (x)”" in message_twice
    for text in (message, message_twice):
        assert "--" not in text and "Python" not in text


def test_a_problem_is_shown_escaped_in_the_element_browser_tests_find():
    shown = own_data.problem_html("row 3: '<b>' is not a number")
    assert (
        shown == '<p data-testid="own-data-error">row 3: &#x27;&lt;b&gt;&#x27; is not a number</p>'
    )


def test_own_file_sections_list_every_section_used_only_for_a_learners_file():
    own = {key for key in content.SECTIONS if key.startswith("own_") and key != "own_data"}
    assert set(content.OWN_FILE_SECTIONS) == own


def test_a_table_too_big_to_stay_interactive_points_to_fitting_it_from_a_terminal():
    n = own_data.MAX_OWN_ROWS + 1
    frame = pd.DataFrame({"conc": np.arange(n, dtype=float), "A562": np.arange(n) % 7.0})
    frame.attrs["source"] = "kinetics.csv"
    with pytest.raises(UsageError) as caught:
        own_data.own_line_data(frame, "A562", "conc")
    assert "10,001 usable rows" in caught.value.message
    assert "Try it on your own data" in caught.value.message
    _, y = own_data.own_line_data(frame.iloc[:-1], "A562", "conc")
    assert len(y) == own_data.MAX_OWN_ROWS
