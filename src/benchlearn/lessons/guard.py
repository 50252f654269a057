"""Refuse requests that name another host, and websockets opened by another site's page.

A lesson server answers only when the ``Host`` header is one of the addresses it was started
for (``127.0.0.1:PORT`` and ``localhost:PORT`` on one computer). A web page on another site
that rebinds its own name to 127.0.0.1 (DNS rebinding) sends its own name as ``Host`` and is
refused. Browsers send an ``Origin`` header on every websocket and on cross-site requests;
only the server's own origins are let through, so another page the learner has open cannot
start lesson sessions or read their outputs. A websocket without an ``Origin`` is refused too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                   Awaitable[None]]  # fmt: skip

# Close code for a websocket refused by policy (RFC 6455); uvicorn turns a close before
# accept into an HTTP 403 answer to the handshake.
POLICY_VIOLATION = 1008


def allowed_hosts(names: Iterable[str], port: int) -> frozenset[str]:
    """``Host`` header values for a server reached as any of ``names`` on ``port``."""
    hosts = set()
    for name in names:
        bare = f"[{name}]" if ":" in name else name  # an IPv6 address is bracketed
        hosts.add(f"{bare}:{port}".lower())
        if port == 80:
            hosts.add(bare.lower())
    return frozenset(hosts)


def allowed_origins(hosts: Iterable[str]) -> frozenset[str]:
    """``Origin`` header values of pages served from ``hosts`` (plain http)."""
    return frozenset(f"http://{host}" for host in hosts)


class HostOriginGuard:
    """ASGI middleware: answer only for known ``Host`` values and same-site ``Origin`` values.

    Parameters
    ----------
    app
        The application to protect.
    hosts
        Accepted ``Host`` header values, lower case, with the port (see :func:`allowed_hosts`).
    origins
        Accepted ``Origin`` header values (see :func:`allowed_origins`).
    """

    def __init__(self, app: ASGIApp, *, hosts: Iterable[str], origins: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)
        self.origins = frozenset(o.lower() for o in origins)

    def refusal(self, scope: Scope) -> str | None:
        """Why the request is refused, or ``None`` when it may go through."""
        host_values = _header_values(scope, b"host")
        if len(host_values) != 1 or host_values[0].lower() not in self.hosts:
            return "unknown host"
        origin_values = _header_values(scope, b"origin")
        if scope["type"] == "websocket" and not origin_values:
            return "websocket without an origin"
        if any(origin.lower() not in self.origins for origin in origin_values):
            return "foreign origin"
        return None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        reason = self.refusal(scope)
        if reason is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": POLICY_VIOLATION, "reason": reason})
        else:
            body = f"Refused: {reason}.\n".encode()
            await send({
                "type": "http.response.start",
                "status": 400 if reason == "unknown host" else 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())],
            })  # fmt: skip
            await send({"type": "http.response.body", "body": body})


def _header_values(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1").strip() for key, value in scope["headers"] if key == name]
