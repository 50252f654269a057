"""The lesson server process: marimo's app behind the Host/Origin guard, on a socket it is given.

Started by :func:`benchlearn.lessons.server.start_lesson` as
``python -m benchlearn.lessons.serve`` with its settings as one JSON object on standard input
(so the per-launch secret never appears in the process list). The listening socket is bound
by the parent and inherited here, so the address the parent announces is this process's.

marimo's own pieces do the serving: ``marimo.create_asgi_app`` in run mode (sessions run as
threads of this process, so they share the lesson's module-level caches) with its token
authentication, mounting the lesson's page at ``/`` and its slide deck at ``/present``;
:class:`~benchlearn.lessons.guard.HostOriginGuard` wraps both; uvicorn serves it.

Before it serves, the process prepares the lesson (:func:`prepare`): it imports the app and
runs it once, so the lesson's data, results and figures are computed through the shared caches
of :mod:`benchlearn.lessons.shared` and every learner's session, the first included, finds them
ready. Nothing is accepted meanwhile: the socket already listens (the parent bound it), so a
browser that connects early waits in the socket's queue, and the parent announces the link only
once ``/health`` answers. (Preparing while sessions open is not safe: a page or websocket
opened while another thread imported and ran the app could fail with HTTP 500 or a closed
websocket.)

The process ends with its parent: on Linux the kernel sends it SIGTERM when the parent dies
(``PR_SET_PDEATHSIG``), and a watcher thread notices a changed parent process elsewhere. On its
way out it deletes its workspace folder.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Arrange a SIGTERM for this process when ``parent_pid`` (its parent) ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    # Also covers a parent that ended before prctl above took effect.
    threading.Thread(target=watch, name="benchlearn-parent-watch", daemon=True).start()


def prepare(number: int = 1, timeout: float = 600.0) -> float:
    """Import lesson ``number``'s app and run it once in this thread, filling the shared caches.

    The run is the one the tests and the handout make (``app.run()``): the same cells with the
    default widget values a new session starts from, so what it computes through
    :func:`~benchlearn.lessons.shared.shared` and the shared figures is what a session asks
    for. What the lesson prepares in the background for a served page (every k of Part 2's
    clusters, every step of the bending curve's figures) is prepared too and waited for
    (at most ``timeout`` seconds), so no session competes with it for the processor. A failure
    here only means slower sessions (they compute what the preparation could not), so it is
    reported on standard error and the server starts anyway.

    Returns
    -------
    float
        Seconds spent.
    """
    import warnings

    start = time.perf_counter()
    before = set(threading.enumerate())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if number == 1:
                from benchlearn.lessons.lesson1 import bending, descent, part2
                from benchlearn.lessons.lesson1.app import app

                # The modules just imported live as long as the server: out of the garbage
                # collector's full passes, which the run below triggers many times.
                gc.freeze()
                app.run()
                # what a served page starts in the background: here, at once
                part2.warm_up(delay=0.0, pace=0.0)
                bending.draw_ahead(bending.RUN)
                descent.descend_ahead_lesson()
    except Exception as error:  # the sessions compute what the preparation could not
        print(f"benchlearn: preparing the lesson failed ({error!r})", file=sys.stderr)
    for thread in set(threading.enumerate()) - before:  # the lesson's drawing ahead
        thread.join(max(0.0, start + timeout - time.perf_counter()))
    # What the preparation keeps (modules, data, figures) lives as long as the server:
    # leave it out of the garbage collector's full passes, which every session triggers.
    gc.collect()
    gc.freeze()
    return time.perf_counter() - start


def build_app(settings: dict[str, Any]) -> Any:
    """marimo's run-mode app for the lesson's page at ``/`` and, when the settings name one, its
    slide deck at ``deck_path`` (sessions of both are threads of this process, sharing its
    caches), wrapped in the Host/Origin guard."""
    import marimo
    from starlette.routing import Mount

    from benchlearn.lessons.guard import HostOriginGuard
    from benchlearn.lessons.page_load import StaticAssets

    builder = marimo.create_asgi_app(
        quiet=True,
        include_code=True,
        token=settings["token"],
        skew_protection=True,
        session_ttl=int(settings.get("session_ttl", 120)),
    )
    builder.with_app(path="", root=settings["app_file"])
    if settings.get("deck_file"):
        builder.with_app(path=settings["deck_path"], root=settings["deck_file"])
    app = builder.build()
    for route in app.routes:
        # As `marimo run` does: name the session cookie after the port, so lessons served on
        # other ports of 127.0.0.1 keep their own cookies (a browser shares cookies across ports).
        # (marimo names the deck's cookie after its path too, and scopes it to that path.)
        if isinstance(route, Mount):
            route.app.state.port = int(settings["port"])
    # marimo's page code answered from memory, after the guard's checks (page_load.py)
    app = StaticAssets(app)
    return HostOriginGuard(app, hosts=settings["hosts"], origins=settings["origins"])


def start_up(settings: dict[str, Any]) -> Any:
    """Import marimo and the web server and build the app (:func:`build_app`), with the garbage
    collector paused.

    Start-up makes long-lived objects (modules, classes, the two apps' cells); the collector's
    passes meanwhile find next to nothing and cost about a sixth of it (0.3 of 1.85 s of
    processor time). What start-up made then stays out of later full passes, which every session
    triggers (as :func:`prepare` does for what it imports).
    """
    gc.disable()
    try:
        import uvicorn  # noqa: F401  (loaded here, with the collector paused; serve() runs it)

        from benchlearn.lessons.page_load import prepare_marimo

        prepare_marimo()
        return build_app(settings)
    finally:
        gc.freeze()
        gc.enable()


def compile_served(settings: dict[str, Any]) -> None:
    """Compile the cells of the served notebooks (the page's and the deck's) as a starting
    session does; run before :func:`prepare`, whose last collection keeps them out of the
    garbage collector's full passes. A failure only means a slower first session."""
    from benchlearn.lessons.page_load import compile_ahead

    files = [settings["app_file"], *([settings["deck_file"]] if settings.get("deck_file") else [])]
    try:
        compile_ahead(*files)
    except Exception as error:  # the first session compiles what could not be compiled here
        print(f"benchlearn: compiling the lesson ahead failed ({error!r})", file=sys.stderr)


def serve(settings: dict[str, Any]) -> None:
    """Serve until SIGTERM/SIGINT (or the parent's end), then delete the workspace."""
    workspace = Path(settings["workspace"])
    try:
        sock = socket.socket(fileno=int(settings["fd"]))
        app = start_up(settings)
        if settings.get("prepare", True):
            compile_served(settings)
            prepare(int(settings.get("number", 1)))
        import uvicorn

        server = uvicorn.Server(
            uvicorn.Config(
                app,
                log_level="error",
                lifespan="off",
                # As `marimo run`: keep connections, ping the websocket every second.
                timeout_keep_alive=300,
                ws_ping_interval=1,
                ws_ping_timeout=60,
                # compressing the outputs costs more than it saves (page_load.py)
                ws_per_message_deflate=False,
                timeout_graceful_shutdown=1,
            )
        )
        server.run(sockets=[sock])
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Read the settings from standard input and serve; always exit without waiting for
    session threads still computing."""
    signal.signal(signal.SIGTERM, _exit_on_signal)
    settings = json.loads(sys.stdin.readline())
    sys.stdin.close()
    die_with_parent(int(settings["parent_pid"]))
    status = 0
    try:
        serve(settings)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 0
    except KeyboardInterrupt:  # Ctrl+C in the terminal reaches this process too
        status = 130
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    finally:
        shutil.rmtree(settings["workspace"], ignore_errors=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


if __name__ == "__main__":
    main()
