"""Serve a lesson with ``marimo run`` on 127.0.0.1, with nothing phoning home.

The lesson is served from a private workspace (a temporary folder) holding a copy of the app,
the slides layout when presenting, and a ``pyproject.toml`` whose ``[tool.marimo]`` table
switches off marimo's AI assistant, code completion services and sharing buttons. marimo's
user configuration and state folders point into the workspace too, so the learner's own
marimo settings cannot turn those back on and nothing is written to their home folder; the
update check is skipped. Figures are PNG images made on the server, so the page requests
nothing outside 127.0.0.1. The app's source is sent to the page (``--include-code``), so a
reader can choose "Show code" in the page's menu and see every cell's code.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchlearn.errors import UsageError

HOST = "127.0.0.1"

# marimo settings for an offline, read-only lesson (keys of marimo 0.25's configuration).
MARIMO_SETTINGS = """\
[tool.marimo.ai]
enabled = false

[tool.marimo.completion]
copilot = false
activate_on_typing = false

[tool.marimo.sharing]
html = false
wasm = false
molab = false

[tool.marimo.language_servers.pylsp]
enabled = false

[tool.marimo.diagnostics]
enabled = false

[tool.marimo.display]
theme = "light"
"""

APP_LINE = 'app = marimo.App(width="medium", app_title="benchlearn · Lesson 1")'


def lesson_app(number: int) -> Path:
    """Path of lesson ``number``'s marimo app; UsageError for a lesson that does not exist."""
    if number == 1:
        from benchlearn.lessons.lesson1 import APP_PATH

        return APP_PATH
    raise UsageError(
        f"there is no lesson {number}",
        where="benchlearn lesson",
        fix="Run `benchlearn lesson 1`",
    )


def build_workspace(directory: Path, number: int = 1, *, present: bool = False) -> Path:
    """Write the app, its settings and (when presenting) its slides layout into ``directory``.

    Returns
    -------
    Path
        The app file to give to ``marimo run``.
    """
    from benchlearn.lessons.lesson1 import SLIDES_LAYOUT

    directory = Path(directory)
    source = lesson_app(number).read_text(encoding="utf-8")
    app_file = directory / f"lesson{number}.py"
    if present:
        layout = f"layouts/lesson{number}.slides.json"
        (directory / "layouts").mkdir(exist_ok=True)
        shutil.copyfile(SLIDES_LAYOUT, directory / layout)
        if APP_LINE not in source:  # the app's header changed: keep the two in step
            raise RuntimeError("the lesson app's marimo.App(...) line was not found")
        source = source.replace(APP_LINE, APP_LINE[:-1] + f', layout_file="{layout}")')
    app_file.write_text(source, encoding="utf-8")
    (directory / "pyproject.toml").write_text(
        f'[project]\nname = "benchlearn-lesson{number}"\nversion = "0"\n\n' + MARIMO_SETTINGS,
        encoding="utf-8",
    )
    return app_file


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def marimo_environment(workspace: Path) -> dict[str, str]:
    """Environment for the marimo server: private config/state folders, no update check."""
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        folder = workspace / f".{name.lower()}"
        folder.mkdir(exist_ok=True)
        env[name] = str(folder)
    env["MARIMO_SKIP_UPDATE_CHECK"] = "1"
    return env


@dataclass
class LessonServer:
    """A running ``marimo run`` process serving a lesson; stop it with :meth:`stop`."""

    process: subprocess.Popen
    url: str
    workspace: Path
    _cleanup: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and delete its workspace."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self._cleanup is not None:
            self._cleanup.cleanup()
            self._cleanup = None

    def __enter__(self) -> LessonServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_lesson(
    number: int = 1,
    *,
    port: int | None = None,
    present: bool = False,
    timeout: float = 60.0,
    quiet: bool = True,
) -> LessonServer:
    """Start ``marimo run`` on 127.0.0.1 for lesson ``number`` and wait until it answers.

    Parameters
    ----------
    number
        Which lesson.
    port
        TCP port (default: a free one).
    present
        Open in marimo's slides layout, for an instructor.
    timeout
        Seconds to wait for the server to answer.
    quiet
        Hide marimo's own console output.

    Returns
    -------
    LessonServer
        With ``url``; call ``stop()`` (or use it as a context manager) when done.
    """
    if port is not None and not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port", fix="Use a number from 1024 to 65535")
    lesson_app(number)
    cleanup = tempfile.TemporaryDirectory(prefix="benchlearn-lesson-")
    workspace = Path(cleanup.name)
    app_file = build_workspace(workspace, number, present=present)
    port = free_port() if port is None else port
    # --include-code: the page's "Show code" reveals the benchlearn calls behind each number.
    command = [sys.executable, "-m", "marimo", "run", str(app_file), "--headless",
               "--host", HOST, "--port", str(port), "--no-token", "--no-sandbox",
               "--include-code"]  # fmt: skip
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(
        command, cwd=workspace, env=marimo_environment(workspace), stdout=output, stderr=output
    )
    server = LessonServer(process, f"http://{HOST}:{port}/", workspace, cleanup)
    try:
        _wait_until_answering(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_answering(server: LessonServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise UsageError(
                f"the lesson server stopped at start-up (exit status {server.process.returncode})",
                where=server.url,
                fix="If the port is in use, choose another with --port, or leave --port out",
            )
        try:
            with urllib.request.urlopen(server.url + "health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise UsageError(
        f"the lesson server did not answer within {timeout:.0f} s",
        where=server.url,
        fix="Try again; on a busy machine the first start can be slow",
    )
