import os

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


# ---------------------------------------------------------------- all outputs of a run together
import json  # noqa: E402
import signal  # noqa: E402

from benchlearn.files import check_outputs, json_text, write_outputs  # noqa: E402


def test_an_output_never_replaces_an_input_even_with_force(tmp_path, monkeypatch):
    data = tmp_path / "data.csv"
    data.write_text("precious")
    (tmp_path / "sub").mkdir()
    os.link(data, tmp_path / "hardlink.csv")
    (tmp_path / "symlink.csv").symlink_to(data)
    monkeypatch.chdir(tmp_path)
    for name in ["data.csv", "./sub/../data.csv", str(data), "hardlink.csv", "symlink.csv"]:
        with pytest.raises(UsageError, match="replace an input"):
            write_outputs({name: "x"}, inputs=[data], force=True)
    assert data.read_text() == "precious"


def test_all_outputs_are_checked_before_any_is_written(tmp_path):
    ok = tmp_path / "ok.json"
    with pytest.raises(UsageError, match=r"folder .* does not exist"):
        write_outputs({ok: "{}", tmp_path / "nodir" / "r.html": "<p>"})
    assert not ok.exists()


def test_the_same_output_given_twice_is_refused(tmp_path):
    with pytest.raises(UsageError, match="given twice"):
        write_outputs({tmp_path / "same.out": "a", str(tmp_path / "." / "same.out"): "b"})
    assert list(tmp_path.iterdir()) == []


def test_rendering_happens_only_after_every_output_was_checked(tmp_path):
    calls = []
    with pytest.raises(UsageError):
        write_outputs({tmp_path / "a.html": lambda: calls.append(1) or "x", tmp_path: "y"})
    assert calls == []


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: d, "folder; an output must be a file"),
        (lambda d: "", "name is empty"),
        (lambda d: d / ("x" * 250 + ".json"), None),  # legal: the temporary name is short
        (lambda d: d / ("x" * 300 + ".json"), "longer than the file system allows"),
    ],
)
def test_output_path_problems_are_clear_messages(tmp_path, make, fragment):
    path = make(tmp_path)
    if fragment is None:
        assert write_outputs({path: "{}"})[0].read_text() == "{}"
        return
    with pytest.raises(UsageError, match=fragment):
        write_outputs({path: "{}"})


def test_a_read_only_folder_is_a_clear_message(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    # As a user without write permission sees it (the tests may run as root, who has it).
    monkeypatch.setattr(os, "access", lambda path, mode: os.fspath(path) != os.fspath(folder))
    with pytest.raises(UsageError, match="cannot be written to"):
        check_outputs([folder / "r.html"])


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_during_a_write_leave_no_temporary(tmp_path, monkeypatch, number):
    import benchlearn.files as files

    real = files._publish

    def publish_then_signal(temporary, path, force):
        real(temporary, path, force)
        os.kill(os.getpid(), number)  # arrives while the second output is pending

    monkeypatch.setattr(files, "_publish", publish_then_signal)
    with pytest.raises(KeyboardInterrupt):
        write_outputs({tmp_path / "a.json": "{}", tmp_path / "b.html": "<p>"})
    assert list(tmp_path.iterdir()) == []  # neither output, no .tmp
    assert signal.getsignal(number) is not files._signals_as_interrupts


def test_json_text_writes_null_for_non_finite_numbers():
    import numpy as np

    text = json_text({"a": float("nan"), "b": [1.0, float("inf")], "c": np.float64(2.5),
                      "d": np.array([np.nan, 1.0])})  # fmt: skip
    assert json.loads(text) == {"a": None, "b": [1.0, None], "c": 2.5, "d": [None, 1.0]}
    assert "NaN" not in text and "Infinity" not in text
