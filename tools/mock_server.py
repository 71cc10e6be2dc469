"""The embedded mock of HighLevel's Get Appointments for Contact, on 127.0.0.1 only.

It serves the spec's example payloads (read once, at start-up) and answers like the live API:
  - no `Authorization: Bearer <token>` header: 401 with the 401 example;
  - an access token this mock issued that has expired, or one that looks issued (`mock-at-`) but never was:
    401 with the 401 example; any other bearer token (a Private Integration Token) is accepted;
  - no `Version` header, or one the spec's enum does not list (`2021-07-28` and `v3` are): 400 with the 400
    example, as HighLevel answers an unknown version;
  - otherwise: 200 with the 200 example.
`POST /oauth/token` works like HighLevel's: `grant_type=authorization_code` (any code) or `refresh_token`
issues a token set shaped like the spec's 200 example, with access tokens valid `access_token_lifetime`
seconds; refresh tokens rotate, and a used or unknown one answers 400 with the spec's invalid_grant example.
`token_calls` counts the calls. Any other path or method answers 404 with a JSON body.

Rate limits, as HighLevel enforces them per location (the mock is one location): a sliding burst window
(`burst`, default 100 requests per 10 s) and a daily quota (`daily`, default 200,000) over the appointment
requests; past either it answers 429 (the daily one with `X-RateLimit-Daily-Remaining: 0`). Every answer carries
the five `X-RateLimit-*` headers with the current counts. `latency` delays every appointments answer.
`GET /__stats` answers the counters as JSON (`requests`, `rate_limited`, `token_calls`), for the benchmark.

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
from tools.spec import OPERATION_PATH, TOKEN_PATH, response_examples, version_values

_PATH_PATTERN = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/?#]+", OPERATION_PATH) + "$")

RATE_LIMIT_HEADER_NAMES = (
    "X-RateLimit-Max",
    "X-RateLimit-Remaining",
    "X-RateLimit-Interval-Milliseconds",
    "X-RateLimit-Limit-Daily",
    "X-RateLimit-Daily-Remaining",
)


class RateLimits:
    """HighLevel's two limits for one location: a sliding burst window and a daily quota. Thread-safe."""

    def __init__(self, burst: tuple[int, float], daily: int) -> None:
        self.burst_requests, self.burst_seconds = burst
        self.daily = daily
        self.requests = 0
        self.rate_limited = 0
        self.first_admitted: float | None = None  # time.monotonic() of the first and the last 200
        self.last_admitted: float | None = None
        self._window: list[float] = []
        self._today = 0
        self._lock = threading.Lock()

    def admit(self) -> tuple[int, dict[str, str]]:
        """Count one request: the status it gets (200 or 429) and the headers of its answer."""
        with self._lock:
            now = time.monotonic()
            self.requests += 1
            self._window = [sent for sent in self._window if sent > now - self.burst_seconds]
            if self._today >= self.daily or len(self._window) >= self.burst_requests:
                self.rate_limited += 1
                status = 429
            else:
                self._window.append(now)
                self._today += 1
                status = 200
                self.first_admitted = self.first_admitted or now
                self.last_admitted = now
            return status, self.headers()

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Max": str(self.burst_requests),
            "X-RateLimit-Remaining": str(max(0, self.burst_requests - len(self._window))),
            "X-RateLimit-Interval-Milliseconds": str(round(self.burst_seconds * 1000)),
            "X-RateLimit-Limit-Daily": str(self.daily),
            "X-RateLimit-Daily-Remaining": str(max(0, self.daily - self._today)),
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
        examples, limits = self.server.examples, self.server.limits
        authorization = self.headers.get("Authorization", "")
        if self.path == "/__stats":
            stats = {"requests": limits.requests, "rate_limited": limits.rate_limited}
            self._answer(200, {**stats, "token_calls": self.server.tokens.token_calls})
        elif not _PATH_PATTERN.match(self.path):
            self._answer(404, {"statusCode": 404, "message": f"Cannot GET {self.path}"})
        elif not authorization.startswith("Bearer ") or not self.server.tokens.accepts(authorization[7:]):
            self._answer(401, examples[401])
        elif self.headers.get("Version") not in self.server.versions:
            self._answer(400, examples[400])
        else:
            time.sleep(self.server.latency)
            status, headers = limits.admit()
            if status == 429:
                self._answer(429, {"statusCode": 429, "message": "Too Many Requests"}, headers)
            else:
                self._answer(200, examples[200], headers)

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

    def _answer(self, status: int, body: Any, rate_headers: dict[str, str] | None = None) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8", **(rate_headers or self.server.limits.headers())}
        self.send_body(status, json.dumps(body).encode(), headers)


class _Server(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], tokens: TokenAuthority, limits: RateLimits, latency: float) -> None:
        super().__init__(address, _Handler)
        self.limits = limits
        self.latency = latency
        self.examples = response_examples()
        self.versions = frozenset(version_values())
        self.token_examples = response_examples(TOKEN_PATH, "post")
        self.tokens = tokens


class MockServer(LoopbackServer):
    """The mock in a background thread of this process; a context manager that always stops it.

    `access_token_lifetime`: seconds an access token issued by `POST /oauth/token` is valid (HighLevel: 86399).
    `token_delay`: seconds the token endpoint takes to answer (a slow refresh, for concurrency tests).
    `burst`, `daily`: the rate limits it enforces (HighLevel's by default; tests scale them down).
    `latency`: seconds every appointments answer takes."""

    def __init__(
        self,
        port: int = 0,
        *,
        access_token_lifetime: float = 86399.0,
        token_delay: float = 0.0,
        burst: tuple[int, float] = (100, 10.0),
        daily: int = 200_000,
        latency: float = 0.0,
    ) -> None:
        self.tokens = TokenAuthority(access_token_lifetime, token_delay)
        self.limits = RateLimits(burst, daily)
        server = _Server(("127.0.0.1", port), self.tokens, self.limits, latency)
        super().__init__(server, name="highlevel-mock")

    @property
    def token_calls(self) -> int:
        """How many requests the token endpoint has answered."""
        return self.tokens.token_calls

    def authorize(self) -> dict[str, Any]:
        """A token set as an authorization-code exchange gives it (what a user seeds a token store with)."""
        return self.tokens.issue(self.examples_for_token()[200])

    def examples_for_token(self) -> dict[int, Any]:
        return response_examples(TOKEN_PATH, "post")


def _burst(text: str) -> tuple[int, float]:
    requests, _, seconds = text.partition("/")
    return int(requests), float(seconds)


def main(argv: list[str] | None = None) -> int:
    """`python -m tools.mock_server [--port N] [--burst N/SECONDS] [--daily N] [--latency SECONDS]`: print the
    base URL, serve until stdin closes (or Ctrl-C)."""
    parser = argparse.ArgumentParser(prog="python -m tools.mock_server", description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--burst", type=_burst, default=(100, 10.0), help="burst limit, N/SECONDS (100/10)")
    parser.add_argument("--daily", type=int, default=200_000, help="daily quota (200000)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each appointments answer takes")
    args = parser.parse_args(argv)
    with MockServer(args.port, burst=args.burst, daily=args.daily, latency=args.latency) as server:
        print(server.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            sys.stdin.read()
    return 0


@contextlib.contextmanager
def mock_server_process(*options: str) -> Iterator[str]:
    """The mock in a child process (its own GIL, so a benchmark measures only the client); yields its URL.
    `options` are main()'s command-line options (`--burst 20/1`)."""
    with subprocess.Popen(
        [sys.executable, "-m", "tools.mock_server", *options],
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
