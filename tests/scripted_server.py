"""A loopback HTTP server that answers from a script, for tests that need statuses the mock never sends.

Each request takes the next `Reply` from the script (the last one repeats once the script is spent) and is
recorded, raw path and headers included, so tests can assert exactly what went on the wire. The contract tests'
two ways to serve one answer (through httpx.MockTransport, over 127.0.0.1) and a URL where nothing listens are here
too.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any, TypeVar

import httpx
from highlevel_contacts.loopback import LoopbackServer, QuietHandler

C = TypeVar("C")


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `reset` drops the connection without answering; `delay` sleeps first. After the
    headers (whose Content-Length is always the whole body's): `cut_after` sends only that many bytes of the
    body, then closes; `stall` sleeps that long after `cut_after` bytes, then sends the rest; `drip` sends the
    body one byte at a time, that many seconds apart (bounded by the body's length)."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    reset: bool = False
    cut_after: int | None = None
    stall: float = 0.0
    drip: float = 0.0

    @staticmethod
    def json(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Reply:
        return Reply(status=status, body=json.dumps(payload).encode(), headers=dict(headers or {}))


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived: `headers` are looked up case-insensitively."""

    method: str
    raw_path: str
    headers: httpx.Headers
    received_at: float
    body: bytes = b""

    @staticmethod
    def of(request: httpx.Request) -> RecordedRequest:
        """The same record for a request that httpx.MockTransport handled."""
        return RecordedRequest(
            request.method, request.url.raw_path.decode("ascii"), request.headers, time.monotonic(), request.read()
        )


class _Handler(QuietHandler):
    server: _Server

    def do_GET(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        reply = self.server.record_and_next(
            RecordedRequest(self.command, self.path, httpx.Headers(self.headers.items()), time.monotonic(), body)
        )
        if reply.delay:
            time.sleep(reply.delay)
        if reply.reset:
            # SO_LINGER 0: close() sends RST, so the client sees a reset connection rather than EOF.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        headers = {"Content-Type": reply.content_type, **reply.headers}
        if reply.cut_after is None and not reply.drip:
            self.send_body(reply.status, reply.body, headers)
            return
        self.send_body(reply.status, b"", {**headers, "Content-Length": str(len(reply.body))})
        head, rest = reply.body[: reply.cut_after or 0], reply.body[reply.cut_after or 0 :]
        self.wfile.write(head)
        self.wfile.flush()
        if reply.cut_after is not None and not reply.stall:
            self.close_connection = True
            return
        time.sleep(reply.stall)
        for index in range(len(rest)):
            self.wfile.write(rest[index : index + 1])
            self.wfile.flush()
            time.sleep(reply.drip)

    do_POST = do_GET


class _Server(ThreadingHTTPServer):
    def __init__(self, script: Iterable[Reply]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = list(script)
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet about clients that hang up first (timeout tests do so on purpose); loud about anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def record_and_next(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            index = min(len(self.requests), len(self.script)) - 1
            return self.script[index]


class ScriptedServer(LoopbackServer):
    """`with ScriptedServer([Reply.json(503, {}), Reply.json(200, {...})]) as server: ...`"""

    def __init__(self, script: Iterable[Reply]) -> None:
        server = _Server(script)
        if not server.script:
            server.server_close()
            raise ValueError("a script needs at least one reply")
        super().__init__(server, name="scripted-server")
        self._scripted = server

    @property
    def requests(self) -> list[RecordedRequest]:
        return list(self._scripted.requests)


def refused_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens: a scripted server's, after it stopped."""
    with ScriptedServer([Reply()]) as server:
        return server.base_url


@contextmanager
def through_mock_transport(
    status: int, body: Any, client: Callable[..., C]
) -> Iterator[tuple[C, list[RecordedRequest]]]:
    """`client(base_url=..., httpx_args=...)` whose every request is answered `status` with JSON `body` by an
    httpx.MockTransport (the cheap unit layer), and the list its requests are recorded in."""
    wire: list[RecordedRequest] = []

    def handler(request: httpx.Request) -> httpx.Response:
        wire.append(RecordedRequest.of(request))
        return httpx.Response(status, json=body)

    transport = httpx.MockTransport(handler)
    yield client(base_url="https://services.leadconnectorhq.com", httpx_args={"transport": transport}), wire


@contextmanager
def over_loopback(status: int, body: Any, client: Callable[..., C]) -> Iterator[tuple[C, list[RecordedRequest]]]:
    """`client(base_url=...)` for a ScriptedServer on 127.0.0.1 that answers `status` with JSON `body` (what users
    hit), and the list its requests are recorded in once the block ends."""
    wire: list[RecordedRequest] = []
    with ScriptedServer([Reply.json(status, body)]) as server:
        yield client(base_url=server.base_url), wire
        wire.extend(server.requests)


SERVINGS = {"mock_transport": through_mock_transport, "loopback": over_loopback}
"""The contract tests' two ways to serve one answer, by the name their test ids carry."""
