"""``benchlearn lesson 1 --export FILE.html``: the offline handout from the command line."""

from __future__ import annotations

from typer.testing import CliRunner


def test_export_writes_the_handout_then_refuses_to_overwrite_it_with_status_2(
    tmp_path, cli, monkeypatch
):
    # The command's part: which lesson it asks for, where the file goes, what it says, and
    # the refusal. The handout's own content is tests/lessons/test_export.py's (one app run).
    from benchlearn.lessons import export

    handout = "<!DOCTYPE html><html><body><details>lesson 1</details></body></html>"
    asked: list[int] = []

    def handout_html(number: int = 1) -> str:
        asked.append(number)
        return handout

    monkeypatch.setattr(export, "handout_html", handout_html)
    target = tmp_path / "lesson1.html"
    first = cli("lesson", "1", "--export", str(target))
    assert first.returncode == 0, first.stderr
    written = target.read_text(encoding="utf-8")
    assert written == handout and asked == [1]
    assert str(target) in first.stdout

    again = cli("lesson", "1", "--export", str(target))
    assert again.returncode == 2
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    assert target.read_text(encoding="utf-8") == written
    assert asked == [1], "the refusal came after building the handout again"


def test_export_of_a_lesson_that_does_not_exist_exits_with_status_2(tmp_path, cli):
    result = cli("lesson", "9", "--export", str(tmp_path / "lesson9.html"))
    assert result.returncode == 2
    assert "no lesson 9" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "lesson9.html").exists()


def test_force_replaces_the_file_without_starting_a_server(tmp_path, monkeypatch):
    from benchlearn.cli.main import _register_commands, app
    from benchlearn.lessons import export, server

    _register_commands()
    monkeypatch.setattr(export, "handout_html", lambda number=1: "<p>fresh handout</p>")

    def refuse_to_serve(*args, **kwargs):
        raise AssertionError("--export started a lesson server")

    monkeypatch.setattr(server, "start_lesson", refuse_to_serve)
    target = tmp_path / "lesson1.html"
    target.write_text("last term's handout")
    result = CliRunner().invoke(app, ["lesson", "1", "--export", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert target.read_text() == "<p>fresh handout</p>"


def test_lesson_help_documents_export_and_force():
    result = CliRunner().invoke(_app(), ["lesson", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--export" in result.output and "--force" in result.output
    assert "offline HTML handout" in result.output


def _app():
    from benchlearn.cli.main import _register_commands, app

    _register_commands()
    return app


class FakeServer:
    """What ``start_lesson`` returns, for the command's wording without a real server."""

    url = page_url = "http://192.0.2.7:8123/?access_token=s3cret"
    deck_url = "http://192.0.2.7:8123/present/?access_token=s3cret"

    def __init__(self):
        self.stopped = False
        self.process = self

    def wait(self):
        raise KeyboardInterrupt  # the instructor presses Ctrl+C at once

    def stop(self):
        self.stopped = True


def run_with_fake_server(monkeypatch, *args):
    from benchlearn.lessons import server

    calls, fake = [], FakeServer()

    def fake_start(number, **options):
        calls.append((number, options))
        return fake

    monkeypatch.setattr(server, "start_lesson", fake_start)
    result = CliRunner().invoke(_app(), ["lesson", "1", "--no-browser", *args])
    return result, calls, fake


def test_classroom_asks_for_a_room_server_and_prints_the_join_link_with_its_secret(monkeypatch):
    result, calls, fake = run_with_fake_server(monkeypatch, "--classroom")
    assert result.exit_code == 0, result.output
    assert calls == [(1, {"port": None, "present": False, "classroom": True, "warm": True})]
    assert "Join link" in result.output and FakeServer.url in result.output
    assert "local network" in result.output and "share it" in result.output
    assert fake.stopped


def test_without_classroom_the_lesson_is_for_this_computer_only(monkeypatch):
    result, calls, fake = run_with_fake_server(monkeypatch, "--port", "8123")
    assert result.exit_code == 0, result.output
    assert calls == [(1, {"port": 8123, "present": False, "classroom": False, "warm": True})]
    assert f"running at {FakeServer.url}" in result.output
    assert "Join link" not in result.output and fake.stopped
    assert "Preparing lesson 1" in result.output  # the wait before the link is explained


def test_no_prepare_asks_for_a_server_that_serves_at_once(monkeypatch):
    result, calls, fake = run_with_fake_server(monkeypatch, "--no-prepare")
    assert result.exit_code == 0, result.output
    assert calls == [(1, {"port": None, "present": False, "classroom": False, "warm": False})]
    assert "Preparing" not in result.output and fake.stopped


def test_lesson_help_documents_classroom():
    result = CliRunner().invoke(_app(), ["lesson", "--help"], env={"COLUMNS": "200"})
    assert "--classroom" in result.output and "local network" in result.output


def test_classroom_with_present_gives_the_room_the_page_and_the_instructor_the_slides(monkeypatch):
    result, calls, fake = run_with_fake_server(monkeypatch, "--classroom", "--present")
    assert result.exit_code == 0, result.output
    assert calls == [(1, {"port": None, "present": True, "classroom": True, "warm": True})]
    join, slides = result.output.split("Your slides")
    assert f"Join link:\n\n  {FakeServer.page_url}" in join and FakeServer.deck_url not in join
    assert FakeServer.deck_url in slides and fake.stopped
