"""Serving the lesson: an offline marimo workspace, a server on 127.0.0.1 that only its learner
can use (a per-launch secret, Host and Origin checks) serving the page and the slide deck, that
ends with its parent, and the CLI (its refusals in-process; starting and stopping a server end
to end, in a process of its own)."""

import http.client
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from benchlearn.errors import UsageError
from benchlearn.lessons.server import (
    build_workspace,
    free_port,
    lesson_app,
    own_names,
    start_lesson,
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One lesson workspace, as the server process is given."""
    return build_workspace(tmp_path_factory.mktemp("workspace"), 1)


@pytest.mark.parametrize("face", ["page", "deck"])
def test_workspace_settings_switch_off_marimos_ai_completion_and_sharing(workspace, face):
    from marimo._config.manager import get_default_config_manager

    app_file = getattr(workspace, face)
    config = get_default_config_manager(current_path=str(app_file)).get_config()
    assert config["ai"]["enabled"] is False
    assert config["completion"]["copilot"] is False
    assert config["sharing"] == {"html": False, "wasm": False, "molab": False}


def test_workspace_serves_the_lessons_stylesheet_as_marimos_custom_css(workspace):
    from marimo._config.manager import get_default_config_manager

    from benchlearn.lessons.lesson1 import STYLESHEET

    config = get_default_config_manager(current_path=str(workspace.page)).get_config()
    (css,) = config["display"]["custom_css"]
    assert Path(css).read_text(encoding="utf-8") == STYLESHEET.read_text(encoding="utf-8")
    assert ".readout" in Path(css).read_text(encoding="utf-8")


def test_the_deck_is_the_page_with_the_slides_layout_that_marimo_loads(workspace):
    from marimo._ast.load import load_app

    page, deck = load_app(workspace.page), load_app(workspace.deck)
    assert page._config.layout_file is None
    layout = workspace.deck.parent / deck._config.layout_file
    assert json.loads(layout.read_text())["type"] == "slides"
    # the same cells: only the header line names the layout
    extra = f', layout_file="{deck._config.layout_file}"'
    assert workspace.deck.read_text().replace(extra, "", 1) == workspace.page.read_text()
    assert deck._config.app_title == page._config.app_title == "benchlearn · Lesson 1"


def test_unknown_lesson_is_a_usage_error():
    with pytest.raises(UsageError, match="no lesson 7"):
        lesson_app(7)


@pytest.fixture(scope="module")
def served():
    """One lesson server for the module's tests of its plumbing: not prepared (the lesson is
    not run before serving), so it answers in about a second."""
    with start_lesson(1, warm=False) as server:
        yield server


def port_of(server) -> int:
    return int(urlsplit(server.address).port)


def ask(server, path: str, **headers: str) -> http.client.HTTPResponse:
    """One GET to the server on 127.0.0.1, with the given headers (Host defaults to its own)."""
    port = port_of(server)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"} | headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def session_cookie(server, path: str = "/") -> str:
    response = ask(server, f"{path}?access_token={server.token}")
    assert response.status == 303 and response.getheader("location") == path
    return response.getheader("set-cookie").split(";")[0]


def test_the_link_opens_the_lesson_in_a_browser_like_client(served):
    assert served.url == f"{served.address}?access_token={served.token}"
    assert served.address.startswith("http://127.0.0.1:") and len(served.token) >= 32
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(served.url, timeout=30) as response:
        page = response.read().decode()
    assert response.status == 200 and "<marimo-" in page
    assert urlsplit(response.url).query == ""  # marimo drops the secret from the address bar


def test_without_the_secret_the_page_sends_to_a_login_form(served):
    for path in ["/", "/?access_token=guessed"]:
        response = ask(served, path)
        assert response.status == 303
        assert response.getheader("location").startswith("/auth/login")
        assert response.getheader("set-cookie") is None


def test_the_secret_is_a_session_cookie_that_opens_the_page(served):
    response = ask(served, "/", Cookie=session_cookie(served))
    assert response.status == 200 and b"<marimo-" in response.body
    assert served.token.encode() not in response.body
    assert f"session_{port_of(served)}=" in session_cookie(served)  # keyed by port, as marimo run


def test_the_same_server_serves_the_slide_deck_behind_the_same_secret(served):
    assert served.deck_url == f"{served.address}present/?access_token={served.token}"
    response = ask(served, "/present/")
    assert response.status == 303 and response.getheader("location").startswith("/auth/login")
    cookie = session_cookie(served, "/present/")
    assert cookie.startswith(f"session_{port_of(served)}_present=")  # the deck's own cookie
    deck = ask(served, "/present/", Cookie=cookie)
    assert deck.status == 200 and b"<marimo-" in deck.body
    assert served.token.encode() not in deck.body
    # the deck is the lesson in marimo's slides layout; the page is not
    assert b'"layout_file": "layouts/lesson1.slides.json"' in deck.body
    assert b"layout_file" not in ask(served, "/", Cookie=session_cookie(served)).body
    assert ask(served, "/present/", Cookie=session_cookie(served)).status == 303  # not the page's


@pytest.mark.parametrize(
    "path",
    ["/", "/health", "/?access_token={token}", "/api/status", "/present/?access_token={token}"],
)
def test_a_foreign_host_is_refused_on_every_path(served, path):
    response = ask(served, path.format(token=served.token), Host="evil.example",
                   Cookie=session_cookie(served))  # fmt: skip
    assert response.status == 400
    assert response.body == b"Refused: unknown host.\n"
    assert response.getheader("set-cookie") is None


def test_a_request_from_another_sites_page_is_refused(served):
    response = ask(served, "/", Origin="http://evil.example", Cookie=session_cookie(served))
    assert response.status == 403


def websocket(server, *, origin: str | None, host: str | None = None, cookie: bool = True):
    """Open the lesson's websocket through 127.0.0.1, naming ``host`` (default: its own)."""
    port = port_of(server)
    headers = {"Cookie": session_cookie(server)} if cookie else {}
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    return connect(f"ws://{host or f'127.0.0.1:{port}'}/ws?session_id=test-{time.monotonic_ns()}",
                   sock=sock, origin=origin, additional_headers=headers, open_timeout=30,
                   max_size=None)  # fmt: skip


@pytest.mark.parametrize("origin", ["http://evil.example", "null", None])
def test_a_websocket_from_another_origin_is_refused_even_with_the_cookie(served, origin):
    with pytest.raises(InvalidStatus) as refused:
        websocket(served, origin=origin)
    assert refused.value.response.status_code == 403


def test_a_websocket_naming_a_foreign_host_is_refused(served):
    port = port_of(served)
    with pytest.raises(InvalidStatus) as refused:
        websocket(served, origin=f"http://127.0.0.1:{port}", host="evil.example")
    assert refused.value.response.status_code == 403


def test_a_websocket_without_the_secret_is_refused(served):
    with pytest.raises(InvalidStatus):
        websocket(served, origin=f"http://127.0.0.1:{port_of(served)}", cookie=False)


class _SquatterHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"someone else's server")

    def log_message(self, *args):
        pass


@pytest.fixture
def squatted_port():
    """Another program on 127.0.0.1 that answers every path, /health included, with 200."""
    squatter = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SquatterHandler)
    threading.Thread(target=squatter.serve_forever, daemon=True).start()
    yield squatter.server_address[1]
    squatter.shutdown()
    squatter.server_close()


def test_a_port_served_by_another_program_is_a_clear_error(squatted_port):
    with pytest.raises(UsageError, match=f"port {squatted_port} on 127.0.0.1 is already in use"):
        start_lesson(1, port=squatted_port, warm=False)


def test_a_port_reserved_for_the_administrator_is_named_as_such(monkeypatch):
    import errno

    from benchlearn.lessons import server as server_module

    class Refusing(socket.socket):
        def bind(self, address):
            raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(server_module.socket, "socket", Refusing)
    with pytest.raises(UsageError, match="only be used by the system administrator"):
        server_module.bind_listener("127.0.0.1", 80)


def test_cli_on_a_squatted_port_exits_2_without_announcing_the_lesson(cli, squatted_port):
    result = cli("lesson", "1", "--no-browser", "--no-prepare", "--port", str(squatted_port))
    assert result.returncode == 2
    assert "already in use" in result.stderr and "Traceback" not in result.stderr
    assert "running at" not in result.stdout


def test_classroom_mode_accepts_this_computers_names_links_with_the_secret_and_stops_cleanly():
    # Listening on 127.0.0.1 here: the test reaches the server under its other names through
    # the Host header only, and nothing listens on the network.
    with start_lesson(1, classroom=True, listen="127.0.0.1", warm=False) as server:
        port = port_of(server)
        link = urlsplit(server.url)
        assert link.port == port and link.query == f"access_token={server.token}"
        assert f"{link.hostname}:{port}" in server.hosts
        for name in own_names():
            host = f"[{name}]:{port}" if ":" in name else f"{name}:{port}"
            assert ask(server, "/health", Host=host).status == 200
        assert ask(server, "/health", Host=f"evil.example:{port}").status == 400
        workspace = server.workspace
        assert (workspace / "lesson1.py").exists()
    assert server.process.poll() is not None
    assert not workspace.exists()


def test_free_port_can_be_bound():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", free_port()))


def test_cli_rejects_an_unknown_lesson_with_status_2_and_no_traceback(cli):
    result = cli("lesson", "2", "--no-browser")
    assert result.returncode == 2
    assert "no lesson 2" in result.stderr and "Traceback" not in result.stderr


def test_cli_rejects_a_port_out_of_range(cli):
    result = cli("lesson", "1", "--no-browser", "--no-prepare", "--port", "70000")
    assert result.returncode == 2
    assert "not a TCP port" in result.stderr and "Traceback" not in result.stderr


def test_cli_help_lists_the_options(cli):
    result = cli("lesson", "--help")
    assert result.returncode == 0
    for option in ["--port", "--no-browser", "--present", "--no-prepare"]:
        assert option in result.stdout


def still_running(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Those of ``processes`` still running after up to ``timeout`` seconds. A process that has
    exited counts as ended even before its parent reaps it (a server whose parent was killed
    waits as a zombie until the system's init process reaps it, which can take seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        running = [p for p in processes if _is_running(p)]
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.02)


def _is_running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def start_cli_lesson(*args: str) -> tuple[subprocess.Popen, str]:
    """``benchlearn lesson 1 --no-browser --no-prepare ...`` in its own process; returns it and
    its link."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchlearn.cli.main", "lesson", "1", "--no-browser", "--no-prepare",
         *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if match := re.search(r"running at (http://\S+)", line):
            return process, match.group(1)
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"no link announced: {process.stderr.read()}")


def test_cli_serves_on_the_given_port_prints_the_link_and_stops_the_server_on_sigterm():
    port = free_port()
    process, url = start_cli_lesson("--port", str(port))
    try:
        assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/\?access_token=[\w-]{{32}}", url)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with opener.open(url, timeout=30) as response:
            assert response.status == 200
        children = psutil.Process(process.pid).children(recursive=True)
        assert children
        process.send_signal(signal.SIGTERM)
        process.wait(20)
        assert still_running(children, timeout=10) == []
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def test_killing_the_cli_outright_ends_the_server_and_deletes_its_workspace():
    process, url = start_cli_lesson()
    try:
        (child,) = psutil.Process(process.pid).children()
        workspace = child.cwd()
        assert os.path.isdir(workspace) and "benchlearn-lesson-" in workspace
        os.kill(process.pid, signal.SIGKILL)  # no chance to clean up in the CLI process
        process.wait(10)
        assert still_running([child], timeout=20) == []
        assert not os.path.exists(workspace)
        with pytest.raises(OSError):
            urllib.request.urlopen(url.split("?")[0] + "health", timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_server_process_parses_each_notebook_text_once(monkeypatch):
    from marimo._ast import parse

    from benchlearn.lessons.page_load import parse_each_notebook_once

    monkeypatch.setattr(parse, "parse_notebook", parse.parse_notebook)  # undone after the test
    source = lesson_app(1).read_text(encoding="utf-8")
    parse_each_notebook_once()
    parse_each_notebook_once()  # a second call keeps the one cache
    first = parse.parse_notebook(source, filepath="lesson1.py")
    assert parse.parse_notebook(source, filepath="lesson1.py") is first
    assert parse.parse_notebook.cache_info().misses == 1
    assert len(first.cells) > 50
    # marimo's own callers import it by name at each call, so they get the cached one
    from marimo._session.notebook.serializer import PythonNotebookSerializer

    assert PythonNotebookSerializer().deserialize(source, "lesson1.py") is first


# Last in the module: the session it opens runs the whole lesson in the server (about 15 s of
# processor time, which other tests would share) until the module's server stops.
def test_a_websocket_of_the_learners_own_page_opens_a_session(served):
    with websocket(served, origin=f"http://127.0.0.1:{port_of(served)}") as ws:
        message = json.loads(ws.recv(timeout=60))
    assert message["op"] == "kernel-ready"
