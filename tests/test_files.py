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


def test_new_file_gets_the_usual_permissions_not_private_ones(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        path = write_atomically(tmp_path / "handout.html", "<p>ok</p>")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_file_appearing_while_writing_is_not_replaced(tmp_path, monkeypatch):
    from pathlib import Path

    path = tmp_path / "plate.csv"
    path.write_text("precious")
    # The existence check says "free" (as if the user's file was saved just after it).
    monkeypatch.setattr(Path, "exists", lambda self: self != path and os_exists(self))
    with pytest.raises(UsageError, match="already exists"):
        write_atomically(path, "new")
    monkeypatch.undo()
    assert path.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plate.csv"]


def os_exists(path) -> bool:
    import os

    return os.path.exists(path)
