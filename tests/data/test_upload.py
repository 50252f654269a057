"""Uploaded bytes under any name end in a table or in the data layer's own message."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchlearn.data.upload import MAX_NAME_BYTES, read_upload, upload_file_name
from benchlearn.errors import BenchlearnError, UsageError

CSV = b"conc,A562\n0,0.05\n1.5,0.91\n"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plate.csv", "plate.csv"),
        ("../../etc/plate.csv", "plate.csv"),
        ("C:\\Users\\ana\\plate.csv", "plate.csv"),
        ("..", "upload"),
        (".", "upload"),
        ("", "upload"),
        ("...", "upload"),
        ("a/..", "upload"),
        ("pl\x00ate\n.csv", "plate.csv"),
        ("CON.csv", "upload-CON.csv"),
        (".csv", ".csv"),
    ],
)
def test_file_names_are_plain_and_keep_the_learners_name_where_usable(name, expected):
    assert upload_file_name(name) == expected


def test_a_very_long_name_is_shortened_keeping_its_extension():
    name = upload_file_name("é" * 300 + ".csv")
    assert name.endswith(".csv") and len(name.encode()) <= MAX_NAME_BYTES


def test_a_csv_named_with_a_path_is_read_under_its_own_name():
    frame = read_upload("../plates/plate 3.csv", CSV)
    assert list(frame.columns) == ["conc", "A562"] and frame.attrs["source"] == "plate 3.csv"


def test_an_upload_named_dot_dot_is_a_usage_message_not_a_crash():
    with pytest.raises(UsageError, match="not supported"):
        read_upload("..", CSV)


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=300), contents=st.sampled_from([CSV, b"", b"\x00\x01", b"a,b\n1"]))
def test_any_name_and_any_bytes_give_a_table_or_a_benchlearn_message(name, contents):
    with contextlib.suppress(BenchlearnError):
        read_upload(name, contents)
