"""Bounds that hold whatever the number of locations, and runs that stop when nothing can succeed (issue 20).

Over 127.0.0.1: a counting server that answers every appointments request after a short delay and records how
many requests were in flight at once (in all and per location) and over how many connections; the embedded mock
for OAuth; a port nothing listens on for a base URL that cannot be reached; the CLI in a child process under a
256-descriptor limit.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from highlevel_contacts import AuthenticatedClient, RateBudget
from highlevel_contacts.auth import HighLevelOAuth, MemoryTokenStore
from highlevel_contacts.bulk import (
    STOP_AFTER_FAILURES,
    ContactResult,
    fetch_appointments,
    fetch_appointments_by_location,
    fetch_appointments_by_location_sync,
    fetch_appointments_sync,
)
from highlevel_contacts.errors import APIConnectionError, RunStoppedError, TokenRefreshError
from highlevel_contacts.loopback import LoopbackServer, QuietHandler
from highlevel_contacts.pool import ConnectionPool
from highlevel_contacts.testing import MockServer

from tests.helpers import TOKEN

ROOT = Path(__file__).resolve().parent.parent


class _Counts:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.by_location: Counter[str] = Counter()
        self.peak_by_location: Counter[str] = Counter()
        self.open_connections = 0
        self.peak_connections = 0
        self.requests = 0


class _CountingHandler(QuietHandler):
    counts: _Counts
    delay: float

    def setup(self) -> None:
        super().setup()
        with self.counts.lock:
            self.counts.open_connections += 1
            self.counts.peak_connections = max(self.counts.peak_connections, self.counts.open_connections)

    def finish(self) -> None:
        with self.counts.lock:
            self.counts.open_connections -= 1
        super().finish()

    def do_GET(self) -> None:
        # /contacts/<location>~<contact>/appointments: the location is the contact id's prefix
        location = self.path.split("/")[2].split("~")[0]
        counts = self.counts
        with counts.lock:
            counts.requests += 1
            counts.in_flight += 1
            counts.peak = max(counts.peak, counts.in_flight)
            counts.by_location[location] += 1
            counts.peak_by_location[location] = max(counts.peak_by_location[location], counts.by_location[location])
        time.sleep(self.delay)
        with counts.lock:
            counts.in_flight -= 1
            counts.by_location[location] -= 1
        self.send_body(200, b'{"events": []}', {"Content-Type": "application/json"})


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # hundreds of connections may arrive at once


class CountingServer(LoopbackServer):
    def __init__(self, delay: float) -> None:
        self.counts = _Counts()
        handler = type("Handler", (_CountingHandler,), {"counts": self.counts, "delay": delay})
        server = _Server(("127.0.0.1", 0), handler)
        super().__init__(server, name="counting")


def _clients(base_url: str, locations: list[str], pool: ConnectionPool) -> dict[str, AuthenticatedClient]:
    return {
        location: AuthenticatedClient(base_url=base_url, token=TOKEN, rate_limit=None, connection_pool=pool)
        for location in locations
    }


def _pairs(locations: list[str], contacts: int) -> list[tuple[str, str]]:
    return [(location, f"{location}~c{number}") for location in locations for number in range(contacts)]


# Global bounds ------------------------------------------------------------------------------------------------


def test_sync_by_location_of_100_locations_runs_on_one_bounded_thread_pool() -> None:
    locations = [f"loc{number}" for number in range(100)]
    pairs = _pairs(locations, 10)
    peak_threads = peak_workers = 0
    with CountingServer(delay=0.01) as server, ConnectionPool(max_connections=50) as pool:
        clients = _clients(server.base_url, locations, pool)
        results: list[ContactResult] = []
        for result in fetch_appointments_by_location_sync(clients, pairs, concurrency=10):
            results.append(result)
            # this process's threads but the server's (one per connection it serves)
            ours = [thread for thread in threading.enumerate() if "process_request_thread" not in thread.name]
            peak_threads = max(peak_threads, len(ours))
            peak_workers = max(peak_workers, sum(thread.name.startswith("highlevel-bulk-") for thread in ours))
        for client in clients.values():
            client.close()
        counts = server.counts
    assert sorted((result.location_id, result.contact_id) for result in results) == sorted(pairs)
    assert [result.error for result in results if not result.ok] == []
    assert peak_workers == 50  # was 100 x (10 + 1) = 1,100 threads
    assert peak_threads <= 80
    assert counts.peak <= 50
    assert max(counts.peak_by_location.values()) <= 10
    assert counts.peak_connections <= 50  # one pool for the hundred clients


def test_async_by_location_keeps_requests_and_connections_under_one_cap() -> None:
    locations = [f"loc{number}" for number in range(300)]
    pairs = _pairs(locations, 2)

    async def fetch(base_url: str) -> list[ContactResult]:
        async with ConnectionPool(max_connections=20) as pool:
            clients = _clients(base_url, locations, pool)
            fetched = fetch_appointments_by_location(clients, pairs, concurrency=2, max_in_flight=20)
            results = [result async for result in fetched]
            for client in clients.values():
                await client.aclose()
            return results

    with CountingServer(delay=0.0) as server:
        results = asyncio.run(fetch(server.base_url))
        counts = server.counts
    assert sorted((result.location_id, result.contact_id) for result in results) == sorted(pairs)
    assert [result.error for result in results if not result.ok] == []
    assert counts.requests == 600
    assert counts.peak <= 20
    assert max(counts.peak_by_location.values()) <= 2
    assert counts.peak_connections <= 20


def test_the_locations_take_turns() -> None:
    # Every location gets a request in before any location gets its tenth: none waits for another to finish.
    locations = [f"loc{number}" for number in range(10)]
    pairs = _pairs(locations, 10)
    with CountingServer(delay=0.0) as server, ConnectionPool(max_connections=4) as pool:
        clients = _clients(server.base_url, locations, pool)
        fetched = fetch_appointments_by_location_sync(clients, pairs, concurrency=4, max_in_flight=4)
        first = [next(fetched).location_id for _ in range(10)]
        fetched.close()
    assert len(set(first)) >= 8


def test_clients_that_make_connections_differently_cannot_share_a_pool() -> None:
    with CountingServer(delay=0.0) as server, ConnectionPool() as pool:
        plain = AuthenticatedClient(base_url=server.base_url, token=TOKEN, connection_pool=pool)
        other = AuthenticatedClient(base_url=server.base_url, token=TOKEN, connection_pool=pool, verify_ssl=False)
        plain.get_httpx_client()
        with pytest.raises(ValueError, match="clients sharing a ConnectionPool must make connections alike"):
            other.get_httpx_client()


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "50"])
def test_max_connections_must_be_a_whole_number(value: Any) -> None:
    with pytest.raises(ValueError, match="max_connections must be a whole number >= 1"):
        ConnectionPool(value)
    with pytest.raises(ValueError, match="max_connections must be a whole number >= 1"):
        AuthenticatedClient(base_url="http://127.0.0.1:1", token=TOKEN, max_connections=value)


def test_a_closed_pool_is_an_error_not_a_new_pool() -> None:
    pool = ConnectionPool()
    pool.close()
    client = AuthenticatedClient(base_url="http://127.0.0.1:1", token=TOKEN, connection_pool=pool)
    with pytest.raises(RuntimeError, match="this ConnectionPool was closed"):
        client.get_httpx_client()


# Stopping early -----------------------------------------------------------------------------------------------


def _unreachable_base_url() -> str:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_an_unreachable_base_url_stops_the_run_after_the_first_failures() -> None:
    base_url = _unreachable_base_url()
    ids = [f"c{number}" for number in range(300)]

    async def fetch() -> list[ContactResult]:
        async with AuthenticatedClient(base_url=base_url, token=TOKEN) as client:  # the default retry policy
            return [result async for result in fetch_appointments(client, ids)]

    started = time.monotonic()
    results = asyncio.run(fetch())
    elapsed = time.monotonic() - started
    assert sorted(result.contact_id for result in results) == sorted(ids)
    tried = [result.error for result in results if isinstance(result.error, APIConnectionError)]
    stopped = [result.error for result in results if isinstance(result.error, RunStoppedError)]
    assert STOP_AFTER_FAILURES <= len(tried) <= 20  # the first ones, then those already in flight
    assert len(stopped) == 300 - len(tried)
    assert all(isinstance(error.cause, APIConnectionError) for error in stopped)
    assert stopped[0].failures == STOP_AFTER_FAILURES
    assert base_url in str(stopped[0])
    assert str(stopped[0]).startswith("stopped after the first 5 requests all failed the same way and none succeeded")
    assert elapsed < 30  # was 118 s


def test_sync_an_unreachable_base_url_stops_too() -> None:
    base_url = _unreachable_base_url()
    with AuthenticatedClient(base_url=base_url, token=TOKEN, retry=None) as client:
        results = list(fetch_appointments_sync(client, [f"c{number}" for number in range(100)], concurrency=3))
    errors = Counter(type(result.error).__name__ for result in results)
    assert errors["APIConnectionError"] <= 3 + STOP_AFTER_FAILURES
    assert errors["RunStoppedError"] == 100 - errors["APIConnectionError"]


def _mock_transport_client(fail: set[str]) -> AuthenticatedClient:
    def answer(request: httpx.Request) -> httpx.Response:
        contact_id = request.url.path.split("/")[2]
        if contact_id in fail:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"events": []})

    transport = httpx.MockTransport(answer)
    return AuthenticatedClient(
        base_url="https://api.test", token=TOKEN, retry=None, rate_limit=None, httpx_args={"transport": transport}
    )


def test_a_run_that_has_had_a_success_keeps_going_through_failures() -> None:
    ids = ["ok", *(f"c{number}" for number in range(20))]
    with _mock_transport_client(fail=set(ids[1:])) as client:
        results = list(fetch_appointments_sync(client, ids, concurrency=1))
    assert [type(result.error).__name__ for result in results] == ["NoneType", *["APIConnectionError"] * 20]


def test_failures_of_different_kinds_do_not_stop_a_run() -> None:
    # Each hopeless failure resets the count of another: five in a row of the same kind are needed.
    ids = [f"c{number}" for number in range(12)]
    with _mock_transport_client(fail=set(ids[::2])) as client:
        results = list(fetch_appointments_sync(client, ids, concurrency=1))
    assert [result.ok for result in results] == [False, True] * 6


def test_stop_after_failures_none_never_stops() -> None:
    ids = [f"c{number}" for number in range(12)]
    with _mock_transport_client(fail=set(ids)) as client:
        results = list(fetch_appointments_sync(client, ids, concurrency=1, stop_after_failures=None))
    assert {type(result.error) for result in results} == {APIConnectionError}


@pytest.mark.parametrize("value", [0, -1, 2.5, True])
def test_stop_after_failures_must_be_a_whole_number(value: Any) -> None:
    with _mock_transport_client(fail=set()) as client, pytest.raises(ValueError, match="stop_after_failures"):
        list(fetch_appointments_sync(client, ["c1"], stop_after_failures=value))


def test_a_refused_refresh_token_stops_the_run_after_one_token_call() -> None:
    with MockServer() as mock:
        seed = {**mock.authorize(), "expires_at": time.time() - 10}  # due: the first request refreshes
        assert mock.tokens.spend(seed["refresh_token"])  # someone else used it: invalid_grant
        oauth = HighLevelOAuth(client_id="id", client_secret="secret-7f3c-do-not-print", store=MemoryTokenStore(seed))
        with AuthenticatedClient(base_url=mock.base_url, auth=oauth) as client:
            results = list(fetch_appointments_sync(client, [f"c{number}" for number in range(300)]))
        sent = mock.limits_for(mock.default_location).requests
        token_calls = mock.token_calls
    stopped = [result.error for result in results if isinstance(result.error, RunStoppedError)]
    assert token_calls <= 2
    assert sent <= 20
    assert len(stopped) >= 300 - 20
    assert isinstance(stopped[0].cause, TokenRefreshError)
    assert "invalid_grant" in str(stopped[0])


# The CLI under a descriptor limit ------------------------------------------------------------------------------


@pytest.fixture
def agency_mock(tmp_path: Path) -> Iterator[tuple[MockServer, Path, list[str]]]:
    locations = [f"loc{number:03d}" for number in range(300)]
    with MockServer(installed_locations=locations, burst=(1000, 1.0)) as mock:
        path = tmp_path / "agency.json"
        path.write_text(json.dumps({**mock.authorize_agency(), "expires_at": time.time() + 86000}))
        os.chmod(path, 0o600)
        yield mock, path, locations


def _with_descriptor_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


def test_all_locations_over_300_locations_completes_under_256_descriptors(
    agency_mock: tuple[MockServer, Path, list[str]], tmp_path: Path
) -> None:
    mock, path, locations = agency_mock
    output = tmp_path / "out.jsonl"
    env = {**os.environ, "HIGHLEVEL_CLIENT_ID": "agency-id", "HIGHLEVEL_CLIENT_SECRET": "secret-7f3c-do-not-print"}
    env.pop("HIGHLEVEL_TOKEN", None)
    command = [sys.executable, "-m", "highlevel_contacts", "appointments", "--base-url", mock.base_url]
    command += ["--token-file", str(path), "--all-locations", "-o", str(output), "c1", "c2"]
    child = subprocess.run(
        command,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        preexec_fn=_with_descriptor_limit,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert sorted((line["locationId"], line["contactId"]) for line in lines) == sorted(
        (location, contact) for location in locations for contact in ("c1", "c2")
    )
    assert all("error" not in line for line in lines)
    assert mock.location_token_calls == 300


# What an adversarial review found (each failed before its fix) -------------------------------------------------


def _scripted_client(answer: Any, **options: Any) -> AuthenticatedClient:
    """A client whose requests `answer(request)` handles in process (the unit layer: no sockets)."""
    options = {"retry": None, "rate_limit": None, **options}
    transport = httpx.MockTransport(answer)
    return AuthenticatedClient(base_url="https://api.test", token=TOKEN, httpx_args={"transport": transport}, **options)


def test_a_refresh_that_may_pass_does_not_stop_the_run() -> None:
    # A 503 from the token endpoint is remembered for 5 s, so the first results all fail alike; it may pass, and
    # a daily job's first act is often a refresh: the run must not stop on it.
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(503, json={"message": "try later"})
        return httpx.Response(200, json={"events": []})

    seed = {"access_token": "expired-access-token-1", "refresh_token": "refresh-token-12345678", "expires_at": 0}
    oauth = HighLevelOAuth(client_id="id", client_secret="secret-7f3c-do-not-print", store=MemoryTokenStore(seed))
    transport = httpx.MockTransport(answer)
    options: dict[str, Any] = {"retry": None, "rate_limit": None, "httpx_args": {"transport": transport}}
    with AuthenticatedClient(base_url="https://api.test", auth=oauth, **options) as client:
        results = list(fetch_appointments_sync(client, [f"c{number}" for number in range(12)], concurrency=2))
    assert {type(result.error) for result in results} == {TokenRefreshError}


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_success_still_in_flight_keeps_the_run_going(asynchronous: bool) -> None:
    # Five quick connection failures while one slow request is still out: it succeeds, so the run goes on.
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.split("/")[2] == "slow":
            time.sleep(0.3)
            return httpx.Response(200, json={"events": []})
        raise httpx.ConnectError("connection refused", request=request)

    ids = ["slow", *(f"c{number}" for number in range(30))]
    with _scripted_client(answer) as client:
        if asynchronous:

            async def fetch() -> list[ContactResult]:
                return [result async for result in fetch_appointments(client, ids, concurrency=6)]

            results = asyncio.run(fetch())
        else:
            results = list(fetch_appointments_sync(client, ids, concurrency=6))
    assert Counter(type(result.error).__name__ for result in results) == {"NoneType": 1, "APIConnectionError": 30}


def test_stopped_ids_each_get_their_own_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with _scripted_client(answer) as client:
        results = list(fetch_appointments_sync(client, [f"c{number}" for number in range(50)], concurrency=1))
    stopped = [result.error for result in results if isinstance(result.error, RunStoppedError)]
    assert len(stopped) == 45
    assert len({id(error) for error in stopped}) == 45  # raising one does not grow the others' tracebacks


def test_the_thread_pool_waits_for_a_slow_consumer() -> None:
    sent = Counter[str]()

    def answer(request: httpx.Request) -> httpx.Response:
        sent["requests"] += 1
        return httpx.Response(200, json={"events": []})

    with _scripted_client(answer) as client:
        fetched = fetch_appointments_sync(client, [f"c{number}" for number in range(3000)], concurrency=5)
        next(fetched)
        time.sleep(0.5)  # a consumer busy with its first result
        sent_meanwhile = sent["requests"]
        fetched.close()
    assert sent_meanwhile <= 1 + 5 + 5  # the one consumed, the results waiting for it, one in hand each (was 2995)


class _Boom(BaseException):
    """Not an Exception: what a KeyboardInterrupt or a SystemExit inside a request looks like to a worker."""


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_worker_ended_by_a_base_exception_raises_it_rather_than_hang(asynchronous: bool) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.split("/")[2] == "c3":
            raise _Boom()
        return httpx.Response(200, json={"events": []})

    ids = [f"c{number}" for number in range(10)]

    def run(client: AuthenticatedClient) -> list[ContactResult]:
        if asynchronous:

            async def fetch() -> list[ContactResult]:
                return [result async for result in fetch_appointments(client, ids, concurrency=3)]

            return asyncio.run(asyncio.wait_for(fetch(), 10))
        return list(fetch_appointments_sync(client, ids, concurrency=3))

    with _scripted_client(answer) as client, pytest.raises(_Boom):
        run(client)


def test_closing_a_sync_fetch_does_not_wait_out_a_rate_window() -> None:
    sent = Counter[str]()

    def answer(request: httpx.Request) -> httpx.Response:
        sent["requests"] += 1
        return httpx.Response(200, json={"events": []})

    with _scripted_client(answer, rate_limit=RateBudget(2, 5.0)) as client:
        fetched = fetch_appointments_sync(client, [f"c{number}" for number in range(20)], concurrency=4)
        first = [next(fetched) for _ in range(2)]
        started = time.monotonic()
        fetched.close()  # two threads are waiting for a slot that frees in 5 s
        took = time.monotonic() - started
    assert [result.ok for result in first] == [True, True]
    assert took < 1.0  # was 7.6 s
    assert sent["requests"] == 2  # the waiting threads gave up without sending


def test_closing_an_async_fetch_cancels_its_workers() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"events": []})

    async def fetch() -> int:
        async with _scripted_client(answer) as client:
            fetched = fetch_appointments(client, [f"c{number}" for number in range(100)], concurrency=10)
            await anext(fetched)
            await fetched.aclose()
            return len(asyncio.all_tasks()) - 1  # but this one

    assert asyncio.run(fetch()) == 0  # was 10 workers still running


def test_a_closed_pool_sends_nothing_more() -> None:
    with CountingServer(delay=0.0) as server:
        pool = ConnectionPool()
        client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, connection_pool=pool, rate_limit=None)
        assert next(fetch_appointments_sync(client, ["l~c1"])).ok
        pool.close()
        result = next(fetch_appointments_sync(client, ["l~c2"]))
        requests = server.counts.requests
    assert isinstance(result.error, RuntimeError)
    assert str(result.error) == "this ConnectionPool was closed: make a new one for new clients"
    assert requests == 1


def test_a_pool_used_from_a_second_event_loop_says_so() -> None:
    pool = ConnectionPool()

    async def connect() -> None:
        client = AuthenticatedClient(base_url="http://127.0.0.1:1", token=TOKEN, connection_pool=pool)
        client.get_async_httpx_client()  # the pool's async connections now belong to this event loop

    asyncio.run(connect())
    with pytest.raises(RuntimeError, match="async connections belong to another event loop"):
        asyncio.run(connect())


@pytest.mark.parametrize(
    ("options", "named"),
    [({"max_connections": 5}, "max_connections"), ({"httpx_args": {"limits": httpx.Limits()}}, "httpx_args limits")],
)
def test_a_pool_and_limits_of_ones_own_exclude_each_other(options: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=f"^{named} and connection_pool exclude each other"):
        AuthenticatedClient(base_url="http://127.0.0.1:1", token=TOKEN, connection_pool=ConnectionPool(), **options)


def test_validation_of_a_sync_fetch_happens_at_the_call() -> None:
    with (
        _scripted_client(lambda request: httpx.Response(200)) as client,
        pytest.raises(ValueError, match="concurrency"),
    ):
        fetch_appointments_sync(client, ["c1"], concurrency=0)  # no next() needed
