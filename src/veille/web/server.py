"""Running the app for ``veille serve``: the socket, timeouts, the Host check, shutdown.

- **Host header.** A web page could reach the API through DNS rebinding (its own name
  resolving to 127.0.0.1). Only requests naming the bound host, ``localhost``, a literal IP
  address or a name given with ``--allow-host`` are answered; others get 421.
- **Slow clients.** uvicorn closes idle keep-alive connections but waits forever for a
  request that trickles in a byte at a time. :class:`TimedH11Protocol` gives every request
  ``READ_TIMEOUT_S`` from its first byte (or the connection's opening) to arrive whole,
  then answers 408 and closes. At most ``MAX_CONNECTIONS`` are served at once (503 beyond).
- **The port.** The socket is bound here, so a port in use is veille's own error (V070,
  exit 4) rather than uvicorn's exit 3, and there is no race between checking and binding.
- **Shutdown.** SIGINT/SIGTERM stop the server within about 2 s: running requests get 1 s,
  and the /api/extract worker process is killed (veille.web.isolate).
"""

from __future__ import annotations

import errno
import ipaddress
import json
import socket
from collections.abc import Iterable
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from veille.web.errors import error_body

#: Seconds a request has to arrive whole (headers and body) once it has started.
READ_TIMEOUT_S = 10.0
#: Connections served at once; more get 503 at once.
MAX_CONNECTIONS = 64
#: Seconds an idle keep-alive connection stays open.
KEEP_ALIVE_S = 5
#: Seconds running requests get to finish at shutdown.
GRACEFUL_S = 1


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for reading each request (see module doc)."""

    read_timeout = READ_TIMEOUT_S

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._read_timer = None
        self._arm()

    def _arm(self) -> None:
        if getattr(self, "_read_timer", None) is None:
            self._read_timer = self.loop.call_later(self.read_timeout, self._read_timed_out)

    def _disarm(self) -> None:
        timer = getattr(self, "_read_timer", None)
        if timer is not None:
            timer.cancel()
            self._read_timer = None

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
            self._arm()  # a request is on its way: it has read_timeout to arrive whole
        super().data_received(data)
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._disarm()  # received whole (or the connection is over)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            return
        if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE) and (self.cycle is None or not self.cycle.response_started):
            body = json.dumps(error_body(408, "request_timeout",
                                         f"the request did not arrive within {self.read_timeout:.0f} s")).encode()
            self.transport.write(b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
                                 b"connection: close\r\ncontent-length: " + str(len(body)).encode()
                                 + b"\r\n\r\n" + body)
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self.transport.close()


def _host_name(header: bytes) -> str:
    value = header.decode("latin-1").strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class HostCheck:
    """ASGI middleware: answer 421 to a request whose Host is not one of ours (DNS rebinding)."""

    def __init__(self, app: Any, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed} | {"localhost", "127.0.0.1", "::1"}

    def accepts(self, header: bytes | None) -> bool:
        if not header:
            return False
        name = _host_name(header)
        return name in self.allowed or _is_ip(name)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            host = dict(scope.get("headers", [])).get(b"host")
            if not self.accepts(host):
                body = json.dumps(error_body(
                    421, "misdirected_request",
                    "this server answers only for its own host names (localhost, 127.0.0.1, the bound "
                    "address, or a name given with `veille serve --allow-host`)")).encode()
                await send({"type": "http.response.start", "status": 421,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class AddressInUse(OSError):
    """The port is taken (or the address cannot be bound)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); AddressInUse when it cannot be had."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise AddressInUse(f"port {port} on {host} is already in use; stop the other server or "
                               "choose another with --port") from exc
        raise AddressInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class StoppingServer(uvicorn.Server):
    """uvicorn's server that also stops the /api/extract worker as soon as a signal comes,
    so a long extraction cannot hold the shutdown (its request answers 503)."""

    def __init__(self, config: uvicorn.Config, on_exit: Any = None) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: Any) -> None:
        super().handle_exit(sig, frame)
        if self._on_exit is not None:
            self._on_exit.close()
