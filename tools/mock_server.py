"""The embedded mock of HighLevel's Get Appointments for Contact, on 127.0.0.1 only.

It serves the spec's example payloads (read once, at start-up) and answers like the live API:
  - no `Authorization: Bearer <token>` header: 401 with the 401 example;
  - an access token this mock issued that has expired, or one that looks issued (`mock-at-`) but never was:
    401 with the 401 example; any other bearer token (a Private Integration Token) is accepted;
  - no `Version` header: 400 with the 400 example;
  - otherwise: 200 with the 200 example.
`POST /oauth/token` works like HighLevel's: `grant_type=authorization_code` (any code) or `refresh_token`
issues a token set shaped like the spec's 200 example, with access tokens valid `access_token_lifetime`
seconds; refresh tokens rotate, and a used or unknown one answers 400 with the spec's invalid_grant example.
`token_calls` counts the calls. Any other path or method answers 404 with a JSON body. Every answer carries
HighLevel's five `X-RateLimit-*` headers (burst 100 per 10 s, 200,000 a day).

    with MockServer() as server:
        server.base_url  # "http://127.0.0.1:<port>"

or, in a process of its own: `python -m tools.mock_server` (prints the URL, serves until stdin closes).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tools.loopback import LoopbackServer, QuietHandler
from tools.spec import OPERATION_PATH, TOKEN_PATH, response_examples

_PATH_PATTERN = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/?#]+", OPERATION_PATH) + "$")

RATE_LIMIT_HEADERS = {
    "X-RateLimit-Max": "100",
    "X-RateLimit-Remaining": "99",
    "X-RateLimit-Interval-Milliseconds": "10000",
    "X-RateLimit-Limit-Daily": "200000",
    "X-RateLimit-Daily-Remaining": "199999",
}


class TokenAuthority:
    """The mock's OAuth state: the access tokens it issued (with their expiry) and the refresh tokens not yet
    used. Thread-safe: the server answers each request in a thread of its own."""

    def __init__(self, access_token_lifetime: float, token_delay: float) -> None:
        self.access_token_lifetime = access_token_lifetime
        self.token_delay = token_delay
        self.token_calls = 0
        self._counter = itertools.count(1)
        self._access_expiry: dict[str, float] = {}
        self._live_refresh_tokens: set[str] = set()
        self._lock = threading.Lock()

    def issue(self, template: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            number = next(self._counter)
            access_token, refresh_token = f"mock-at-{number}", f"mock-rt-{number}"
            self._access_expiry[access_token] = time.time() + self.access_token_lifetime
            self._live_refresh_tokens.add(refresh_token)
        lifetime = max(1, round(self.access_token_lifetime))
        return {**template, "access_token": access_token, "refresh_token": refresh_token, "expires_in": lifetime}

    def count_call(self) -> None:
        with self._lock:
            self.token_calls += 1

    def revoke(self, access_token: str) -> None:
        """The access token answers 401 from now on, as an expired one does."""
        with self._lock:
            self._access_expiry[access_token] = 0.0

    def spend(self, refresh_token: str) -> bool:
        """Use a refresh token up; False when it was used before or never issued."""
        with self._lock:
            if refresh_token not in self._live_refresh_tokens:
                return False
            self._live_refresh_tokens.remove(refresh_token)
            return True

    def accepts(self, access_token: str) -> bool:
        if not access_token.startswith("mock-at-"):
            return True  # a Private Integration Token: static, accepted as it is
        with self._lock:
            expiry = self._access_expiry.get(access_token)
        return expiry is not None and expiry > time.time()


class _Handler(QuietHandler):
    server: _Server

    def do_GET(self) -> None:
        examples = self.server.examples
        authorization = self.headers.get("Authorization", "")
        if not _PATH_PATTERN.match(self.path):
            self._answer(404, {"statusCode": 404, "message": f"Cannot GET {self.path}"})
        elif not authorization.startswith("Bearer ") or not self.server.tokens.accepts(authorization[7:]):
            self._answer(401, examples[401])
        elif self.headers.get("Version") is None:
            self._answer(400, examples[400])
        else:
            self._answer(200, examples[200])

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != TOKEN_PATH:
            self._answer(404, {"statusCode": 404, "message": f"Cannot POST {self.path}"})
            return
        tokens, examples = self.server.tokens, self.server.token_examples
        tokens.count_call()
        time.sleep(tokens.token_delay)
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", errors="replace")))
        grant_type = form.get("grant_type")
        if not form.get("client_id") or not form.get("client_secret"):
            self._answer(401, examples[401])
        elif (grant_type == "authorization_code" and form.get("code")) or (
            grant_type == "refresh_token" and tokens.spend(form.get("refresh_token", ""))
        ):
            self._answer(200, tokens.issue(examples[200]))
        elif grant_type == "refresh_token":
            self._answer(400, examples[400])  # invalid_grant: used, revoked or never issued
        else:
            self._answer(422, examples[422])

    def _answer(self, status: int, body: Any) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8", **RATE_LIMIT_HEADERS}
        self.send_body(status, json.dumps(body).encode(), headers)


class _Server(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], tokens: TokenAuthority) -> None:
        super().__init__(address, _Handler)
        self.examples = response_examples()
        self.token_examples = response_examples(TOKEN_PATH, "post")
        self.tokens = tokens


class MockServer(LoopbackServer):
    """The mock in a background thread of this process; a context manager that always stops it.

    `access_token_lifetime`: seconds an access token issued by `POST /oauth/token` is valid (HighLevel: 86399).
    `token_delay`: seconds the token endpoint takes to answer (a slow refresh, for concurrency tests)."""

    def __init__(self, port: int = 0, *, access_token_lifetime: float = 86399.0, token_delay: float = 0.0) -> None:
        self.tokens = TokenAuthority(access_token_lifetime, token_delay)
        super().__init__(_Server(("127.0.0.1", port), self.tokens), name="highlevel-mock")

    @property
    def token_calls(self) -> int:
        """How many requests the token endpoint has answered."""
        return self.tokens.token_calls

    def authorize(self) -> dict[str, Any]:
        """A token set as an authorization-code exchange gives it (what a user seeds a token store with)."""
        return self.tokens.issue(self.examples_for_token()[200])

    def examples_for_token(self) -> dict[int, Any]:
        return response_examples(TOKEN_PATH, "post")


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
