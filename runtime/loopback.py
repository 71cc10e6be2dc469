"""What the embedded mock and the tests' scripted server share: an HTTP/1.1 server on 127.0.0.1, in a
background thread, that a `with` block always stops; and a free port on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound for a moment, then closed): for a server to start on, or
    for a connection to be refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class QuietHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API; every answer carries Content-Length
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the client's
    # delayed ACK add ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        _connections(self.server).add(self.connection)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            # The client left mid-exchange (a run stopped early, a cancelled request): nothing is owed to it, and
            # socketserver would print the traceback into the test's or the user's terminal.
            self.close_connection = True

    def finish(self) -> None:
        _connections(self.server).discard(self.connection)
        super().finish()

    def send_body(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        if "Content-Length" not in headers:  # a test may declare more than it sends
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request lines would carry paths into test output, and headers never belong in logs."""


class _Connections:
    """The connections a server has open, so that stopping it closes kept-alive ones too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    def add(self, connection: socket.socket) -> None:
        with self._lock:
            self._open.add(connection)

    def discard(self, connection: socket.socket) -> None:
        with self._lock:
            self._open.discard(connection)

    def close_all(self) -> None:
        with self._lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)  # the handler's read ends: its thread exits


def _connections(server: object) -> _Connections:
    registry = getattr(server, "_loopback_connections", None)
    if registry is None:  # a server LoopbackServer did not wrap (one handler used on its own): registered here
        registry = _Connections()
        server._loopback_connections = registry  # type: ignore[attr-defined]
    assert isinstance(registry, _Connections)
    return registry


class LoopbackServer:
    """Serves `server` (already bound to 127.0.0.1) in a daemon thread from `start()` or `with` until `stop()`."""

    def __init__(self, server: ThreadingHTTPServer, name: str) -> None:
        server.daemon_threads = True
        server._loopback_connections = _Connections()  # type: ignore[attr-defined]
        self._server = server
        # A short poll interval: shutdown() waits for it, and tests start and stop many servers.
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=name, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, close the connections clients keep alive (a client that outlives the server gets no
        more answers from it), and release the port. Safe before start() (shutdown() would wait forever for a
        loop that never ran)."""
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
        _connections(self._server).close_all()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
