"""The lesson server process: marimo's app behind the Host/Origin guard, on a socket it is given.

Started by :func:`benchlearn.lessons.server.start_lesson` as
``python -m benchlearn.lessons.serve`` with its settings as one JSON object on standard input
(so the per-launch secret never appears in the process list). The listening socket is bound
by the parent and inherited here, so the address the parent announces is this process's.

marimo's own pieces do the serving: ``marimo.create_asgi_app`` in run mode (sessions run as
threads of this process, so they share the lesson's module-level caches) with its token
authentication; :class:`~benchlearn.lessons.guard.HostOriginGuard` wraps it; uvicorn serves it.

As it starts serving, the process runs the lesson once in a background thread
(:func:`warm_up`): the lesson's data, results and figures are computed through the shared
caches of :mod:`benchlearn.lessons.shared`, so the first learner's session finds them ready, or
waits for the computation under way rather than repeating it.

The process ends with its parent: on Linux the kernel sends it SIGTERM when the parent dies
(``PR_SET_PDEATHSIG``), and a watcher thread notices a changed parent process elsewhere. On its
way out it deletes its workspace folder.
"""

from __future__ import annotations

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


def warm_up(number: int = 1) -> threading.Thread:
    """Run lesson ``number``'s app once in a background thread, to fill the shared caches.

    The run is the one the tests and the handout make (``app.run()``): the same cells with the
    default widget values a new session starts from, so what it computes through
    :func:`~benchlearn.lessons.shared.shared` and the shared figures is what a session asks
    for. A failure here only means a slower first session, so it is swallowed.
    """

    def run() -> None:
        import warnings

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if number == 1:
                    from benchlearn.lessons.lesson1.app import app

                    app.run()
        except Exception:  # the sessions compute what the warm-up could not
            pass

    thread = threading.Thread(target=run, name="benchlearn-warm-up", daemon=True)
    thread.start()
    return thread


def build_app(settings: dict[str, Any]) -> Any:
    """marimo's run-mode app for the lesson file, wrapped in the Host/Origin guard."""
    import marimo

    from benchlearn.lessons.guard import HostOriginGuard

    builder = marimo.create_asgi_app(
        quiet=True,
        include_code=True,
        token=settings["token"],
        skew_protection=True,
        session_ttl=int(settings.get("session_ttl", 120)),
    )
    app = builder.with_app(path="", root=settings["app_file"]).build()
    for route in app.routes:
        # As `marimo run` does: name the session cookie after the port, so lessons served on
        # other ports of 127.0.0.1 keep their own cookies (a browser shares cookies across ports).
        route.app.state.port = int(settings["port"])
    return HostOriginGuard(app, hosts=settings["hosts"], origins=settings["origins"])


def serve(settings: dict[str, Any]) -> None:
    """Serve until SIGTERM/SIGINT (or the parent's end), then delete the workspace."""
    import uvicorn

    workspace = Path(settings["workspace"])
    try:
        sock = socket.socket(fileno=int(settings["fd"]))
        server = uvicorn.Server(
            uvicorn.Config(
                build_app(settings),
                log_level="error",
                lifespan="off",
                # As `marimo run`: keep connections, ping the websocket every second.
                timeout_keep_alive=300,
                ws_ping_interval=1,
                ws_ping_timeout=60,
                timeout_graceful_shutdown=1,
            )
        )
        if settings.get("warm", False):
            warm_up()
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
