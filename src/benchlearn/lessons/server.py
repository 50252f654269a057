"""Serve a lesson with marimo on 127.0.0.1, to its learner only, with nothing phoning home.

Who can use it: each launch makes a secret (marimo's own token authentication: the announced
link carries it once, marimo swaps it for a session cookie), and every request and websocket
must name this server's own address as ``Host`` and, when a browser sends one, as ``Origin``
(:mod:`benchlearn.lessons.guard`); so neither another computer nor another web page the learner
has open can use it. The listening socket is bound here and handed to the server process
(:mod:`benchlearn.lessons.serve`), so the announced address is certainly ours: a port already
taken by another program is a clear error. The server process ends when this process ends,
even when it is killed outright, and deletes its workspace.

Classroom mode (``classroom=True``) listens on every network interface instead, for an
instructor serving a room: the join link carries the secret, and the addresses accepted as
``Host`` are this computer's own names and addresses.

Before the link is announced the server process prepares the lesson (runs it once, filling the
caches its sessions share: :func:`benchlearn.lessons.serve.prepare`), so every learner's page,
the first included, opens without computing the lesson's data, fits and figures again.

One server serves both faces of the lesson: the page at ``/`` and the same lesson as a slide
deck at ``/present/`` (marimo's slides layout), behind the same secret and guard, so an
instructor can present from the server the learners use and both share one preparation.

The lesson is served from a private workspace (a temporary folder) holding two copies of the
app (the page, and the deck naming its slides layout), the layout, the stylesheet and a
``pyproject.toml`` whose ``[tool.marimo]`` table
switches off marimo's AI assistant, code completion services and sharing buttons. marimo's
user configuration and state folders point into the workspace too, so the learner's own
marimo settings cannot turn those back on and nothing is written to their home folder; the
update check is skipped. Figures are PNG images made on the server, so the page requests
nothing outside 127.0.0.1. The app's source is sent to the page (marimo's ``include_code``), so a
reader can choose "Show code" in the page's menu and see every cell's code.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchlearn.errors import UsageError

HOST = "127.0.0.1"
EVERY_INTERFACE = "0.0.0.0"
# Seconds to wait for the server: preparing the lesson costs ~15 s of processor time on an idle
# machine and can take minutes on a loaded one; a server that only starts answers in seconds.
PREPARED_TIMEOUT = 600.0
UNPREPARED_TIMEOUT = 120.0

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
custom_css = ["lesson.css"]
"""

# Where the server serves the lesson as slides, under its address.
DECK_PATH = "present/"
# The app's header line, which the deck's copy extends with its layout file.
APP_HEADER = re.compile(r"^app = marimo\.App\((?P<options>.*)\)$", re.MULTILINE)


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


@dataclass(frozen=True)
class Workspace:
    """The app files of a lesson workspace: ``page`` for the page, ``deck`` for the slides."""

    page: Path
    deck: Path


def build_workspace(directory: Path, number: int = 1) -> Workspace:
    """Write the app (as the page and as the slide deck), its settings, its stylesheet and its
    slides layout into ``directory``.

    Returns
    -------
    Workspace
        The two app files to serve: the page and the deck (whose ``marimo.App`` names the
        slides layout).
    """
    from benchlearn.lessons.lesson1 import SLIDES_LAYOUT, STYLESHEET

    directory = Path(directory)
    source = lesson_app(number).read_text(encoding="utf-8")
    page = directory / f"lesson{number}.py"
    page.write_text(source, encoding="utf-8")
    layout = f"layouts/lesson{number}.slides.json"
    (directory / "layouts").mkdir(exist_ok=True)
    shutil.copyfile(SLIDES_LAYOUT, directory / layout)
    header = APP_HEADER.search(source)
    if header is None:  # the app's header changed: keep the two in step
        raise RuntimeError("the lesson app's `app = marimo.App(...)` line was not found")
    options = ", ".join(filter(None, [header["options"], f'layout_file="{layout}"']))
    deck = directory / f"lesson{number}_slides.py"
    deck.write_text(
        source[: header.start()] + f"app = marimo.App({options})" + source[header.end() :],
        encoding="utf-8",
    )
    shutil.copyfile(STYLESHEET, directory / "lesson.css")
    (directory / "pyproject.toml").write_text(
        f'[project]\nname = "benchlearn-lesson{number}"\nversion = "0"\n\n' + MARIMO_SETTINGS,
        encoding="utf-8",
    )
    return Workspace(page, deck)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def bind_listener(address: str, port: int | None) -> socket.socket:
    """A listening TCP socket on ``address``:``port`` (any free port when ``port`` is None).

    Raises
    ------
    UsageError
        The port is already taken (by another program, or another lesson).
    """
    if port is not None and not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port", fix="Use a number from 1024 to 65535")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((address, port or 0))
        sock.listen(128)
    except OSError as error:
        sock.close()
        where = f"http://{HOST if address == EVERY_INTERFACE else address}:{port}/"
        if error.errno in (errno.EACCES, errno.EPERM):
            raise UsageError(
                f"port {port} may only be used by the system administrator",
                where=where,
                fix="Use a port from 1024 to 65535, or leave --port out to use any free port",
            ) from None
        raise UsageError(
            f"port {port} on {address} is already in use by another program ({error.strerror})",
            where=where,
            fix="Choose another port with --port, or leave --port out to use any free port",
        ) from None
    return sock


def lan_address() -> str | None:
    """This computer's address on its local network (the interface of its default route).

    Connecting a UDP socket sends nothing; it only asks the system which interface it would use.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith(("0.", "127.")) else address


def own_names() -> list[str]:
    """Names and addresses that reach this computer: loopback, host name, LAN addresses."""
    names = [HOST, "localhost"]
    hostname = socket.gethostname()
    candidates = [hostname, f"{hostname}.local", socket.getfqdn(), lan_address()]
    with contextlib.suppress(OSError):
        candidates += socket.gethostbyname_ex(hostname)[2]
    for name in candidates:
        if name and name.lower() not in names:
            names.append(name.lower())
    return names


def marimo_environment(workspace: Path) -> dict[str, str]:
    """Environment for the marimo server: private config/state folders, no update check."""
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        folder = workspace / f".{name.lower()}"
        folder.mkdir(exist_ok=True)
        env[name] = str(folder)
    env["MARIMO_SKIP_UPDATE_CHECK"] = "1"
    # The server process imports this very benchlearn, wherever it was imported from.
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return env


@dataclass
class LessonServer:
    """A running lesson server process; stop it with :meth:`stop`.

    Attributes
    ----------
    address
        The server's address without the secret (``http://HOST:PORT/``).
    token
        The launch's secret.
    present
        Started to present: :attr:`url` is the slide deck.
    """

    process: subprocess.Popen
    address: str
    token: str
    workspace: Path
    hosts: frozenset[str] = frozenset()
    present: bool = False
    _cleanup: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The link to open: :attr:`page_url`, or :attr:`deck_url` for a server started to
        present. marimo swaps the secret for a session cookie and drops it from the address
        bar."""
        return self.deck_url if self.present else self.page_url

    @property
    def page_url(self) -> str:
        """The lesson's page, with the launch's secret (``?access_token=``)."""
        return f"{self.address}?access_token={self.token}"

    @property
    def deck_url(self) -> str:
        """The lesson as a slide deck, served by the same process, with the same secret."""
        return f"{self.address}{DECK_PATH}?access_token={self.token}"

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
            shutil.rmtree(self.workspace, ignore_errors=True)
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
    timeout: float | None = None,
    quiet: bool = True,
    classroom: bool = False,
    listen: str | None = None,
    session_ttl: int = 120,
    warm: bool = True,
) -> LessonServer:
    """Start the lesson server for lesson ``number`` and wait until it is ready.

    Parameters
    ----------
    number
        Which lesson.
    port
        TCP port (default: a free one). A port already in use is a UsageError.
    present
        Announce the slide deck (marimo's slides layout, at ``/present/``) as ``url``, for an
        instructor. The server serves the page and the deck either way, from one preparation.
    timeout
        Seconds to wait for the server to be ready (default: 600 when ``warm``, else 120).
    quiet
        Hide the server's own console output.
    classroom
        Serve a room: listen on every network interface (unless ``listen`` says otherwise) and
        accept this computer's names and LAN addresses as ``Host``; the link uses its LAN address.
    listen
        The address to listen on (default 127.0.0.1, or 0.0.0.0 in classroom mode).
    session_ttl
        Seconds a session is kept after its browser tab disconnects.
    warm
        Prepare the lesson before serving it: the server process runs the lesson once, filling
        the caches every session shares (:func:`benchlearn.lessons.serve.prepare`), before it
        accepts any connection, and this function returns only then. Every learner's page,
        the first included, then opens with its data, results and figures ready. ``False``
        serves at once (the first session computes everything): for tests of the server's
        plumbing only.

    Returns
    -------
    LessonServer
        With ``url`` (the link to open, secret included); call ``stop()`` (or use it as a
        context manager) when done.

    Notes
    -----
    The server process ends when the thread that started it ends (Linux's parent-death
    signal follows the starting thread): start it from the main thread or one that outlives it.
    """
    lesson_app(number)
    listen = listen or (EVERY_INTERFACE if classroom else HOST)
    sock = bind_listener(listen, port)
    port = int(sock.getsockname()[1])
    names = own_names() if classroom else [HOST, "localhost"]
    link_host = (lan_address() or socket.gethostname()) if classroom else HOST
    from benchlearn.lessons.guard import allowed_hosts, allowed_origins

    hosts = allowed_hosts(names, port)
    token = secrets.token_urlsafe(24)
    cleanup = tempfile.TemporaryDirectory(prefix="benchlearn-lesson-")
    workspace = Path(cleanup.name)
    try:
        apps = build_workspace(workspace, number)
        settings = {
            "workspace": str(workspace), "app_file": str(apps.page), "deck_file": str(apps.deck),
            "deck_path": "/" + DECK_PATH.rstrip("/"), "fd": sock.fileno(),
            "port": port, "token": token, "hosts": sorted(hosts),
            "origins": sorted(allowed_origins(hosts)), "parent_pid": os.getpid(),
            "session_ttl": session_ttl, "prepare": warm, "number": number,
        }  # fmt: skip
        output = subprocess.DEVNULL if quiet else None
        process = subprocess.Popen(
            [sys.executable, "-m", "benchlearn.lessons.serve"],
            cwd=workspace, env=marimo_environment(workspace), stdin=subprocess.PIPE,
            stdout=output, stderr=output, pass_fds=(sock.fileno(),),
        )  # fmt: skip
    except BaseException:
        sock.close()
        cleanup.cleanup()
        raise
    sock.close()  # the server process holds its own copy
    with process.stdin:
        process.stdin.write((json.dumps(settings) + "\n").encode())
    address = f"http://{link_host}:{port}/"
    server = LessonServer(process, address, token, workspace, hosts, present, cleanup)
    if timeout is None:
        timeout = PREPARED_TIMEOUT if warm else UNPREPARED_TIMEOUT
    try:
        _wait_until_answering(server, port, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_answering(server: LessonServer, port: int, timeout: float) -> None:
    """Wait for ``/health`` on the socket handed to the server process (so it is ours).

    While the server process prepares the lesson, the socket queues connections without
    answering them: each try waits a few seconds for its answer before the next one.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise UsageError(
                f"the lesson server stopped at start-up (exit status {server.process.returncode})",
                where=server.address,
                fix="Run again with the same options; if it keeps failing, report it",
            )
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request("GET", "/health", headers={"Host": f"{HOST}:{port}"})
            if connection.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise UsageError(
        f"the lesson server did not answer within {timeout:.0f} s",
        where=server.address,
        fix="Try again; on a busy machine preparing the lesson can take minutes",
    )
