"""One rule for numbers: a column's decimal mark comes from all its cells; what could mean two
numbers is refused with both readings, never guessed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlearn.data import read_table, select_columns
from benchlearn.data.numbers import NumberRuleError, PlainColumn, read_numbers
from benchlearn.errors import DataError

# cells of one column, the decimal mark stated (or None), then the numbers or the refusal
ACCEPTED = [
    (["0.5", "1.234"], None, [0.5, 1.234]),  # '.' is this column's decimal: 1.234 is settled
    (["0,5", "1,234"], None, [0.5, 1.234]),
    (["0,095", "0,34"], None, [0.095, 0.34]),  # a leading 0 never groups thousands
    (["0.095", "0.34"], None, [0.095, 0.34]),
    (["0.5", "1,250", "12,345.6"], None, [0.5, 1250, 12345.6]),  # 12,345.6 shows ',' grouping
    (["0,5", "1.250", "12.345,6"], None, [0.5, 1250, 12345.6]),
    (["1,234,567", "1,250"], None, [1234567, 1250]),
    (["1.234.567", "1.250"], None, [1234567, 1250]),
    (["1 250", "3"], None, [1250, 3]),  # a space groups thousands under either mark
    (["1 250,5", "2"], None, [1250.5, 2]),
    (["1\u202f250.5", "2"], None, [1250.5, 2]),
    (["1,5e3", "2,5"], None, [1500, 2.5]),
    (["1.5e3", "-2.5E-2"], None, [1500, -0.025]),
    (["12", "-3", "+4", "1e5"], None, [12, -3, 4, 1e5]),
    (["inf", "2", ""], None, [np.inf, 2, np.nan]),
    ([" 2 ", "3 "], None, [2, 3]),
    (["12,345", "23,456"], ".", [12345, 23456]),  # stated: the comma groups thousands
    (["12,345", "23,456"], ",", [12.345, 23.456]),
    (["1.234", "2.345"], ",", [1234, 2345]),
    (["1.234", "2.345"], ".", [1.234, 2.345]),
    ([".5", "5."], None, [0.5, 5.0]),
]
REFUSED = [
    (["12,345", "23,456"], None, "ambiguous", 0, ("12345", "12.345")),  # RFU in a TSV
    (["1.234", "2.345"], None, "ambiguous", 0, ("1.234", "1234")),
    (["0,5", "1.234"], None, "ambiguous", 1, ("1.234", "1234")),  # one '1.234' among commas
    (["0.5", "1,250"], None, "ambiguous", 1, ("1250", "1.25")),  # one '1,250' among points
    (["0.11", "0,24", "0.35"], None, "mixed", 1, ("0.24",)),  # one quoted "0,24"
    (["1.2", "3.4", "1,5e3"], None, "mixed", 2, ("1500",)),  # "1,5e3" must not flip a column
    (["0,1", "0,2", "0.3"], None, "mixed", 2, ("0.3",)),
    (["nan", "1"], None, "not_number", 0, ()),
    (["0,5", "1"], ".", "not_number", 0, ()),
    (["1,2,3"], None, "not_number", 0, ()),
    (["1.23.4"], None, "not_number", 0, ()),
    (["0,12,5"], None, "not_number", 0, ()),
]


@pytest.mark.parametrize(("cells", "decimal", "expected"), ACCEPTED)
def test_unambiguous_columns_are_read(cells, decimal, expected):
    np.testing.assert_allclose(read_numbers(cells, decimal), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("cells", "decimal", "kind", "index", "readings"), REFUSED)
def test_columns_that_could_mean_two_numbers_are_refused(cells, decimal, kind, index, readings):
    with pytest.raises(NumberRuleError) as caught:
        read_numbers(cells, decimal)
    assert (caught.value.kind, caught.value.index) == (kind, index)
    for reading in readings:
        assert reading in caught.value.describe()


@pytest.mark.parametrize(
    ("content", "name", "options", "fragments"),
    [
        ("conc\tRFU\n1\t12,345\n2\t23,456\n", "rfu.tsv", {},
         ["row 2", "`RFU`", "12345", "12.345", "--decimal"]),
        ('conc,signal\n0,"0,34"\n1,0.95\n2,1.52\n', "quoted.csv", {},
         ["row 2", "`signal`", "'0,34' mixes decimal marks"]),
        ("x;y\n1.000;0,25\n2.000;0,50\n3.000;0,75\n", "points_and_commas.csv", {},
         ["row 2", "`x`", "'1.000'", "1000"]),
        ("conc;signal\n0;0,5\n1;1,2\n2;1.234\n", "one_point.csv", {},
         ["row 4", "`signal`", "'1.234'", "1234"]),
    ],
)  # fmt: skip
def test_file_level_refusals_name_file_row_column_and_both_readings(
    tmp_path, content, name, options, fragments
):
    path = tmp_path / name
    path.write_text(content)
    frame = read_table(path, **options)
    y = frame.columns[-1]
    with pytest.raises(DataError) as caught:
        select_columns(frame, y, [c for c in frame.columns if c != y])
    for fragment in [name, *fragments]:
        assert fragment in caught.value.message


def test_x_with_points_and_y_with_commas_is_read_column_by_column(tmp_path):
    path = tmp_path / "mixed_columns.csv"
    path.write_text("x;y\n0.5;0,25\n1.000;0,50\n1.500;0,75\n")
    X, y = select_columns(read_table(path), "y", "x")
    np.testing.assert_array_equal(X["x"].to_numpy(), [0.5, 1.0, 1.5])  # 0.5 settles the points
    np.testing.assert_array_equal(y.to_numpy(), [0.25, 0.5, 0.75])


def test_stating_the_decimal_mark_reads_the_refused_file(tmp_path):
    path = tmp_path / "rfu.tsv"
    path.write_text("conc\tRFU\n1\t12,345\n2\t23,456\n3\t34,567\n")
    X, y = select_columns(read_table(path, decimal="."), "RFU", "conc")
    np.testing.assert_array_equal(y.to_numpy(), [12345, 23456, 34567])
    X, y = select_columns(read_table(path, decimal=","), "RFU", "conc")
    np.testing.assert_array_equal(y.to_numpy(), [12.345, 23.456, 34.567])
    np.testing.assert_array_equal(X["conc"].to_numpy(), [1, 2, 3])


def test_excel_text_cells_follow_the_rule_and_numbers_stay_numbers(tmp_path):
    import openpyxl

    path = tmp_path / "rfu.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["conc", "RFU", "od"])
    sheet.append([1, "12,345", 1.234])
    sheet.append([2, "23,456", "0,5"])
    book.save(path)
    frame = read_table(path)
    assert frame["od"].tolist() == [1.234, 0.5]  # a real number is no evidence about text
    with pytest.raises(DataError, match=r"'12,345' could be 12345 .* or 12\.345"):
        select_columns(frame, "RFU", "conc")


# ---------------------------------------------------------------- round trips in any locale
def _write(value: float, style: str) -> str:
    """``value`` as a locale would write it (two decimals, optional thousands grouping)."""
    text = f"{value:,.2f}" if style.endswith("grouped") else f"{value:.2f}"
    if style.startswith("comma"):
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if style == "space grouped":
        text = f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")
    return text


STYLES = ["point", "point grouped", "comma", "comma grouped", "space grouped"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    values=st.lists(
        st.floats(min_value=-1e7, max_value=1e7, allow_nan=False).map(lambda v: round(v, 2)),
        min_size=2,
        max_size=12,
    ),
    style=st.sampled_from(STYLES),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_accepted_files_round_trip_their_numbers_in_any_locale_format(
    tmp_path, values, style, delimiter
):
    cells = [_write(v, style) for v in values]
    lines = ["id" + delimiter + "value"]
    for i, cell in enumerate(cells):
        quoted = f'"{cell}"' if delimiter in cell else cell
        lines.append(f"{i}{delimiter}{quoted}")
    path = tmp_path / "values.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = read_table(path)
    try:
        read = select_columns(frame, "value", "id", min_rows=1)[1].to_numpy()
    except DataError as error:  # refused: only ever because the column could mean two things
        assert "could be" in error.message or "same value" in error.message, error.message
        return
    np.testing.assert_allclose(read, values, rtol=0, atol=1e-6)


# ------------------------------------------------------------------ columns read in pieces
def plain_column(cells, decimal, piece):
    """PlainColumn fed ``cells`` ``piece`` at a time: its numbers, or None if it needs the text."""
    import pyarrow as pa

    column = PlainColumn(decimal, size=1)
    for start in range(0, len(cells), piece):
        part = [None if c == "" else c for c in cells[start : start + piece]]
        if not column.add(pa.array(part, type=pa.string())):
            return None
    return column.values()


def whole_column(cells, decimal):
    try:
        return read_numbers(cells, decimal)
    except NumberRuleError:
        return None


@pytest.mark.parametrize(("cells", "decimal"), [c[:2] for c in ACCEPTED + REFUSED])
@pytest.mark.parametrize("piece", [1, 2, 100])
def test_a_column_read_in_pieces_gives_the_whole_columns_numbers_or_asks_for_its_text(
    cells, decimal, piece
):
    got = plain_column(cells, decimal, piece)
    if got is not None:
        np.testing.assert_array_equal(got, whole_column(cells, decimal))


@pytest.mark.parametrize(
    ("cells", "decimal", "expected"),
    [
        (["0.5", "", "1.234"], None, [0.5, np.nan, 1.234]),  # the '.' in 0.5 settles 1.234
        (["1.234", "0.5"], None, [1.234, 0.5]),  # also when it comes later
        (["1.5e3", "-2.5E-2", "12"], None, [1500, -0.025, 12]),
        (["1.234", "2.345"], ".", [1.234, 2.345]),
        (["1.234", "2.345"], None, None),  # refused with both readings: needs the text
        (["0,5", "1"], None, None),  # a decimal comma: read from the text
        (["1", "2"], ",", None),
        (["nan", "1"], None, None),
        ([" 2 ", "3"], None, None),
    ],
)
def test_plain_numbers_are_read_in_pieces_and_anything_else_needs_the_text(
    cells, decimal, expected
):
    got = plain_column(cells, decimal, piece=1)
    if expected is None:
        assert got is None
    else:
        np.testing.assert_array_equal(got, expected)


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(st.text(alphabet=st.sampled_from(list("0123456789.,e- ")), max_size=7),
                   min_size=1, max_size=12),
    decimal=st.sampled_from([None, ".", ","]),
    piece=st.integers(1, 5),
)  # fmt: skip
def test_any_column_in_any_pieces_never_gets_numbers_the_whole_column_would_not(
    cells, decimal, piece
):
    got = plain_column(cells, decimal, piece)
    if got is not None:
        np.testing.assert_array_equal(got, whole_column(cells, decimal))


def test_counting_the_cells_that_read_as_numbers_agrees_with_reading_each_cell_alone():
    import pyarrow as pa

    from benchlearn.data.numbers import count_numbers
    from benchlearn.data.reader import parse_number

    cells = ["", " ", "1", "1.5", "1,5", "1.234", "12,345", "1,234.5", "1.234,5", "1 250",
             "1e5", "-3e-2", ".5", "5.", "+1", "nan", "NaN", "inf", "-Infinity", "abc", "n/a",
             "1.2.3", "1,2,3", " 7 ", "0x10", "1\u00a0250,5", "1'250.5", "12,34", "--1", "1e",
             "S1"]  # fmt: skip
    for cell in cells:
        alone = parse_number(cell) is not None or parse_number(cell, True) is not None
        assert count_numbers(pa.array([cell])) == int(alone), cell
    assert count_numbers(pa.chunked_array([cells[:10], cells[10:]])) == sum(
        parse_number(c) is not None or parse_number(c, True) is not None for c in cells
    )
