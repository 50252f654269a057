"""The Host/Origin guard in front of the lesson server, on hand-made ASGI requests."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchlearn.lessons.guard import HostOriginGuard, allowed_hosts, allowed_origins

HOSTS = allowed_hosts(["127.0.0.1", "localhost"], 8123)
GUARD_ARGS = {"hosts": HOSTS, "origins": allowed_origins(HOSTS)}


def request(kind="http", **headers):
    return {"type": kind, "path": "/", "headers": [(k.encode(), v.encode()) for k, v in
                                                    headers.items()]}  # fmt: skip


def call(scope):
    """Run the guard on ``scope``; return (did the app run, messages the guard sent)."""
    reached, sent = [], []

    async def app(scope, receive, send):
        reached.append(scope)

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    guarded = HostOriginGuard(app, **GUARD_ARGS)
    # A thread of its own: a browser test's Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, guarded(scope, receive, send)).result()
    return bool(reached), sent


def test_hosts_carry_the_port_and_ipv6_addresses_are_bracketed():
    assert allowed_hosts(["127.0.0.1", "::1"], 8123) == {"127.0.0.1:8123", "[::1]:8123"}
    assert allowed_origins({"127.0.0.1:8123"}) == {"http://127.0.0.1:8123"}


@pytest.mark.parametrize("host", ["127.0.0.1:8123", "localhost:8123", "LOCALHOST:8123"])
def test_own_host_without_origin_goes_through(host):
    assert call(request(host=host)) == (True, [])


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8123", "127.0.0.1:9999",
                                  "127.0.0.1", ""])  # fmt: skip
def test_foreign_host_gets_400_and_never_reaches_the_app(host):
    reached, sent = call(request(host=host))
    assert not reached
    assert sent[0]["status"] == 400 and b"unknown host" in sent[1]["body"]


def test_request_without_host_or_with_two_hosts_is_refused():
    assert call(request())[0] is False
    scope = request(host="127.0.0.1:8123")
    scope["headers"].append((b"host", b"evil.example"))
    assert call(scope)[0] is False


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://127.0.0.1:8123",
                                    "http://127.0.0.1:9999"])  # fmt: skip
def test_http_request_from_a_foreign_origin_gets_403(origin):
    reached, sent = call(request(host="127.0.0.1:8123", origin=origin))
    assert not reached and sent[0]["status"] == 403


def test_same_origin_http_request_goes_through():
    assert call(request(host="127.0.0.1:8123", origin="http://127.0.0.1:8123"))[0] is True


def test_websocket_from_a_foreign_origin_is_closed_before_accepting():
    reached, sent = call(request("websocket", host="127.0.0.1:8123", origin="http://evil.example"))
    assert not reached
    assert sent == [{"type": "websocket.close", "code": 1008, "reason": "foreign origin"}]


def test_websocket_without_origin_is_refused_and_same_origin_goes_through():
    assert call(request("websocket", host="localhost:8123"))[0] is False
    assert call(request("websocket", host="localhost:8123", origin="http://localhost:8123"))[0]


def test_lifespan_messages_pass_untouched():
    assert call({"type": "lifespan"}) == (True, [])
