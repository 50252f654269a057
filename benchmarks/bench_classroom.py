"""Benchmark: a room of simulated learners opening lesson 1 at once, on 127.0.0.1 only.

One lesson server (``start_lesson(1)``, listening on 127.0.0.1), prepared before it is announced
(the lesson run once in the server process: its data, results and figures computed for every
session; ``--no-prepare`` serves at once, so the first learner computes them). First one
learner opens the lesson alone, then ``--learners`` learners (20 by default) open it at the
same moment. A simulated learner does what the browser does: follows
the link with the secret (gets the session cookie), loads the page, opens the websocket with the
page's own Origin, and waits until marimo reports every cell of the lesson idle (run). Reported:
the seconds until the server is ready, each learner's open time (link to last cell run), the
server process's processor time per session in the room, and its resident memory before,
after the first learner, and with all sessions open; memory per session is the growth over the
room divided by its size. Every connection goes to 127.0.0.1; the count is capped at
50 and each learner gives up after ``--timeout`` seconds.

Run:  .venv/bin/python benchmarks/bench_classroom.py [--learners N] [--timeout S] [--no-prepare]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import platform
import statistics
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import psutil
from websockets.sync.client import connect

from benchlearn.lessons.server import HOST, LessonServer, start_lesson

MAX_LEARNERS = 50


@dataclass
class Opened:
    """One simulated learner's visit: seconds from the link to the last cell run, how many
    cells the lesson has, a digest of each cell's last output (by cell id), the error if any."""

    seconds: float
    cells: int
    error: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)


def open_lesson(
    server: LessonServer, name: str, deadline: float, sockets: ExitStack, lock: threading.Lock
) -> Opened:
    """Open the lesson as a browser would; the websocket stays open (the session stays live)
    until ``sockets`` is closed (``lock`` guards it: learners are threads).

    The learner never hangs up on the server: no keep-alive pings of its own (a busy server
    answers them late, and the client's default closes the connection after 20 s without an
    answer: what closed the room's websockets on a loaded machine), and generous time limits.
    """
    start = time.perf_counter()
    port = int(urlsplit(server.address).port)
    own = {"Host": f"{HOST}:{port}"}
    web = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        web.request("GET", f"/?access_token={server.token}", headers=own)
        answer = web.getresponse()
        answer.read()
        cookie = answer.getheader("set-cookie").split(";")[0]
        web.request("GET", "/", headers=own | {"Cookie": cookie})
        page = web.getresponse()
        page.read()
        if page.status != 200:
            return Opened(time.perf_counter() - start, 0, f"page answered {page.status}")
    finally:
        web.close()
    ws = connect(f"ws://{HOST}:{port}/ws?session_id={name}", origin=f"http://{HOST}:{port}",
                 additional_headers={"Cookie": cookie}, open_timeout=300, max_size=None,
                 ping_interval=None, close_timeout=5)  # fmt: skip
    with lock:
        sockets.enter_context(ws)
    cells: list[str] = []
    status: dict[str, str] = {}
    outputs: dict[str, str] = {}
    while time.monotonic() < deadline:
        try:
            message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        except TimeoutError:
            break
        if message.get("op") == "kernel-ready":
            cells = message["data"]["cell_ids"]
        elif message.get("op") == "cell-op":
            data = message["data"]
            if (data.get("output") or {}).get("data") is not None:
                shown = json.dumps(data["output"]["data"]).encode()
                outputs[data["cell_id"]] = hashlib.blake2b(shown, digest_size=8).hexdigest()
            if data.get("status"):
                status[data["cell_id"]] = data["status"]
            if cells and len(status) == len(cells) and set(status.values()) == {"idle"}:
                return Opened(time.perf_counter() - start, len(cells), outputs=outputs)
    return Opened(time.perf_counter() - start, len(cells), "did not finish in time", outputs)


def open_together(
    server: LessonServer, count: int, timeout: float, tag: str, sockets: ExitStack
) -> list[Opened]:
    """``count`` learners opening the lesson at the same moment (threads)."""
    results: list[Opened | None] = [None] * count
    barrier = threading.Barrier(count)
    lock = threading.Lock()

    def learner(i: int) -> None:
        barrier.wait()
        try:
            deadline = time.monotonic() + timeout
            results[i] = open_lesson(server, f"{tag}-{i}", deadline, sockets, lock)
        except Exception as error:  # reported, not raised: the others go on
            results[i] = Opened(float("nan"), 0, f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=learner, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 120)
    return [r if r is not None else Opened(float("nan"), 0, "no answer") for r in results]


def processor_seconds(process: psutil.Process) -> float:
    """User and system processor time of ``process`` so far."""
    times = process.cpu_times()
    return times.user + times.system


def measure_room(
    learners: int = 20, timeout: float = 900.0, *, prepare: bool = True, alone_first: bool = True
) -> dict:
    """Serve lesson 1 on 127.0.0.1, open it once alone, then ``learners`` times at once.

    Parameters
    ----------
    learners
        How many learners open the lesson at once (1 to 50).
    timeout
        Seconds each learner waits for every cell to run.
    prepare
        Prepare the lesson before serving it (``start_lesson(warm=True)``).
    alone_first
        Let one learner open the lesson alone before the room.

    Returns
    -------
    dict
        ``ready`` (seconds until the server was ready), ``first`` (seconds, the learner
        alone; NaN without one), ``room`` (each learner's seconds), ``cells``, ``errors``,
        ``outputs_room`` (each learner's digests of the cells' outputs), ``rss_mb`` (server
        memory: ``start``, ``after_first``, ``room``), ``mb_per_session`` and
        ``cpu_per_session`` (the server's processor seconds over the room, per learner).
    """
    if not 1 <= learners <= MAX_LEARNERS:
        raise ValueError(f"learners must be between 1 and {MAX_LEARNERS}")
    started = time.perf_counter()
    with (
        start_lesson(1, session_ttl=600, warm=prepare) as server,
        ExitStack() as sockets,
    ):
        ready = time.perf_counter() - started
        memory = psutil.Process(server.process.pid)
        rss = {"start": memory.memory_info().rss / 1e6}
        first = Opened(math.nan, 0)
        if alone_first:
            (first,) = open_together(server, 1, timeout, "first", sockets)
        rss["after_first"] = memory.memory_info().rss / 1e6
        cpu = processor_seconds(memory)
        room = open_together(server, learners, timeout, "room", sockets)
        cpu = processor_seconds(memory) - cpu
        rss["room"] = memory.memory_info().rss / 1e6
    visits = [first, *room] if alone_first else room
    return {
        "ready": ready,
        "first": first.seconds,
        "room": [visit.seconds for visit in room],
        "cells": max(visit.cells for visit in visits),
        "errors": [visit.error for visit in visits if visit.error],
        "errors_room": [visit.error for visit in room],
        "outputs_room": [visit.outputs for visit in room],
        "rss_mb": rss,
        "mb_per_session": (rss["room"] - rss["after_first"]) / learners,
        "cpu_per_session": cpu / learners,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--no-prepare", dest="prepare", action="store_false",
                        help="serve at once, without preparing the lesson first")  # fmt: skip
    args = parser.parse_args()
    result = measure_room(args.learners, args.timeout, prepare=args.prepare)
    room = result["room"]
    print(f"Python {platform.python_version()}, {platform.machine()}, "
          f"{psutil.cpu_count()} cores; lesson 1 ({result['cells']} cells)")  # fmt: skip
    print("| who | open time (s) |")
    print("|---|---:|")
    print(f"| server ready ({'prepared' if args.prepare else 'not prepared'}) | "
          f"{result['ready']:.1f} |")  # fmt: skip
    print(f"| first learner, alone | {result['first']:.1f} |")
    opened = [seconds for seconds, error in zip(room, result["errors_room"], strict=True)
              if error is None]  # fmt: skip
    print(f"| {len(room)} learners at once: opened | {len(opened)} of {len(room)} |")
    if opened:
        print(f"| {len(room)} learners at once: median of those opened | "
              f"{statistics.median(opened):.1f} |")  # fmt: skip
        print(f"| {len(room)} learners at once: slowest of those opened | {max(opened):.1f} |")
    rss = result["rss_mb"]
    print(f"\nserver memory: {rss['start']:.0f} MB at start, {rss['after_first']:.0f} MB after "
          f"the first learner, {rss['room']:.0f} MB with the room open: "
          f"{result['mb_per_session']:.1f} MB per session")  # fmt: skip
    print(f"server processor time over the room: {result['cpu_per_session']:.2f} s per session")
    if result["errors"]:
        print("errors:", *result["errors"], sep="\n  ")


if __name__ == "__main__":
    main()
