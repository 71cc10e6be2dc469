"""The embedded mock of HighLevel's Get Appointments for Contact, on 127.0.0.1 only.

It serves the spec's example payloads (read once, at start-up) and answers like the live API:
  - no `Authorization: Bearer <token>` header: 401 with the 401 example;
  - no `Version` header: 400 with the 400 example;
  - otherwise: 200 with the 200 example.
Any other path or method answers 404 with a JSON body. Every answer carries HighLevel's five
`X-RateLimit-*` headers (burst 100 per 10 s, 200,000 a day).

    with MockServer() as server:
        server.base_url  # "http://127.0.0.1:<port>"

or, in a process of its own: `python -m tools.mock_server` (prints the URL, serves until stdin closes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from tools.spec import OPERATION_PATH, response_examples

_PATH_PATTERN = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/?#]+", OPERATION_PATH) + "$")

RATE_LIMIT_HEADERS = {
    "X-RateLimit-Max": "100",
    "X-RateLimit-Remaining": "99",
    "X-RateLimit-Interval-Milliseconds": "10000",
    "X-RateLimit-Limit-Daily": "200000",
    "X-RateLimit-Daily-Remaining": "199999",
}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API; bodies always carry Content-Length
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the client's
    # delayed ACK add ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        examples = self.server.examples
        if not _PATH_PATTERN.match(self.path):
            self._answer(404, {"statusCode": 404, "message": f"Cannot GET {self.path}"})
        elif not self.headers.get("Authorization", "").startswith("Bearer "):
            self._answer(401, examples[401])
        elif self.headers.get("Version") is None:
            self._answer(400, examples[400])
        else:
            self._answer(200, examples[200])

    def _answer(self, status: int, body: Any) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in RATE_LIMIT_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request lines would carry paths into test output, and headers never belong in logs."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], examples: dict[int, Any]) -> None:
        super().__init__(address, _Handler)
        self.examples = examples


class MockServer:
    """A loopback HTTP server in a background thread; a context manager that always stops it."""

    def __init__(self, port: int = 0) -> None:
        self._server = _Server(("127.0.0.1", port), response_examples())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="highlevel-mock", daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> MockServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """`python -m tools.mock_server [--port N]`: print the base URL, serve until stdin closes (or Ctrl-C)."""
    parser = argparse.ArgumentParser(prog="python -m tools.mock_server", description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    args = parser.parse_args(argv)
    with MockServer(args.port) as server:
        print(server.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            sys.stdin.read()
    return 0


@contextlib.contextmanager
def mock_server_process() -> Iterator[str]:
    """The mock in a child process (its own GIL, so a benchmark measures only the client); yields its URL."""
    with subprocess.Popen(
        [sys.executable, "-m", "tools.mock_server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ) as child:  # on exit: closes the pipes and waits for the child
        assert child.stdin is not None
        assert child.stdout is not None
        try:
            yield child.stdout.readline().strip()
        finally:
            child.stdin.close()  # the child's stdin.read() returns: it stops its server and exits
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    sys.exit(main())
