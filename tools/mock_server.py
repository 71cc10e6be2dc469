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
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tools.loopback import LoopbackServer, QuietHandler
from tools.spec import OPERATION_PATH, response_examples

_PATH_PATTERN = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/?#]+", OPERATION_PATH) + "$")

RATE_LIMIT_HEADERS = {
    "X-RateLimit-Max": "100",
    "X-RateLimit-Remaining": "99",
    "X-RateLimit-Interval-Milliseconds": "10000",
    "X-RateLimit-Limit-Daily": "200000",
    "X-RateLimit-Daily-Remaining": "199999",
}


class _Handler(QuietHandler):
    server: _Server

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
        headers = {"Content-Type": "application/json; charset=utf-8", **RATE_LIMIT_HEADERS}
        self.send_body(status, json.dumps(body).encode(), headers)


class _Server(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], examples: dict[int, Any]) -> None:
        super().__init__(address, _Handler)
        self.examples = examples


class MockServer(LoopbackServer):
    """The mock in a background thread of this process; a context manager that always stops it."""

    def __init__(self, port: int = 0) -> None:
        super().__init__(_Server(("127.0.0.1", port), response_examples()), name="highlevel-mock")


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
