"""Serving the lesson: an offline marimo workspace, a server on 127.0.0.1, and the CLI command."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

from benchlearn.errors import UsageError
from benchlearn.lessons.server import build_workspace, free_port, lesson_app, start_lesson


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "benchlearn.cli.main", *args],
                          capture_output=True, text=True, check=False, timeout=60)  # fmt: skip


def test_workspace_settings_switch_off_marimos_ai_completion_and_sharing(tmp_path):
    from marimo._config.manager import get_default_config_manager

    app_file = build_workspace(tmp_path, 1)
    config = get_default_config_manager(current_path=str(app_file)).get_config()
    assert config["ai"]["enabled"] is False
    assert config["completion"]["copilot"] is False
    assert config["sharing"] == {"html": False, "wasm": False, "molab": False}


def test_presenting_adds_the_slides_layout_that_marimo_loads(tmp_path):
    from marimo._ast.load import load_app

    app_file = build_workspace(tmp_path, 1, present=True)
    app = load_app(app_file)
    layout = tmp_path / app._config.layout_file
    assert json.loads(layout.read_text())["type"] == "slides"


def test_normal_workspace_has_no_layout_file(tmp_path):
    from marimo._ast.load import load_app

    assert load_app(build_workspace(tmp_path, 1))._config.layout_file is None


def test_unknown_lesson_is_a_usage_error():
    with pytest.raises(UsageError, match="no lesson 7"):
        lesson_app(7)


def test_server_answers_on_127_0_0_1_and_stops_cleanly():
    with start_lesson(1) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(server.url, timeout=10) as response:
            page = response.read().decode()
        assert response.status == 200 and "marimo" in page.lower()
        workspace = server.workspace
    assert server.process.poll() is not None
    assert not workspace.exists()


def test_free_port_can_be_bound():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", free_port()))


def test_cli_rejects_an_unknown_lesson_with_status_2_and_no_traceback():
    result = run_cli("lesson", "2", "--no-browser")
    assert result.returncode == 2
    assert "no lesson 2" in result.stderr and "Traceback" not in result.stderr


def test_cli_rejects_a_port_out_of_range():
    result = run_cli("lesson", "1", "--no-browser", "--port", "70000")
    assert result.returncode == 2
    assert "not a TCP port" in result.stderr and "Traceback" not in result.stderr


def test_cli_help_lists_the_options():
    result = run_cli("lesson", "--help")
    assert result.returncode == 0
    for option in ["--port", "--no-browser", "--present"]:
        assert option in result.stdout


def test_cli_serves_on_the_given_port_prints_the_url_and_stops_marimo_on_sigterm():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchlearn.cli.main", "lesson", "1", "--no-browser",
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if match := re.search(r"running at (http://\S+)", line):
                url = match.group(1)
        assert url == f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
        children = psutil.Process(process.pid).children(recursive=True)
        assert children
        process.send_signal(signal.SIGTERM)
        process.wait(20)
        _, still_running = psutil.wait_procs(children, timeout=10)
        assert still_running == []
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
