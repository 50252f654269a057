import pytest

from benchlearn.errors import UsageError
from benchlearn.files import write_atomically


def test_writes_new_file_and_leaves_no_temporary_behind(tmp_path):
    path = write_atomically(tmp_path / "report.html", "<p>ok</p>")
    assert path.read_text() == "<p>ok</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_refuses_to_replace_an_existing_file_unless_forced(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("precious")
    with pytest.raises(UsageError, match="already exists"):
        write_atomically(path, "new")
    assert path.read_text() == "precious"
    write_atomically(path, b"new", force=True)
    assert path.read_text() == "new"


def test_missing_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="folder"):
        write_atomically(tmp_path / "nope" / "x.json", "{}")
