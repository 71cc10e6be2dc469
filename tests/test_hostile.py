"""Every failure is a documented error and every call has an end: hostile answers and misuse, over 127.0.0.1.

One row per case of the hardening issue; each asserts the exact exception type (and what else it promises).
"""

from __future__ import annotations

import asyncio
import copy
import gzip
import logging
import pickle
import threading
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest
from highlevel_contacts import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticatedClient,
    AuthenticationError,
    DailyRateLimitError,
    HighLevelError,
    MalformedResponseError,
    RateLimitError,
    ResponseTooLargeError,
    RetryPolicy,
    ServerError,
)
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.parsing import status_error, with_response

from tests.helpers import FAST_RETRY, TOKEN, client_for, run_threads
from tests.scripted_server import Reply, ScriptedServer, refused_url

OK = Reply.json(200, {"events": []})


def _call(replies: list[Reply], **client_kwargs: Any) -> tuple[HighLevelError, ScriptedServer]:
    with ScriptedServer(replies) as server, client_for(server, **client_kwargs) as client:
        with pytest.raises(HighLevelError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
    return caught.value, server


# --- the server's answers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "encoding"), [(200, "gzip"), (200, "deflate"), (401, "gzip"), (503, "deflate")])
def test_a_corrupt_content_encoding_is_a_malformed_response(status: int, encoding: str) -> None:
    corrupt = Reply(status=status, body=b"\x1f\x8b\x08\x00garbage" * 20, headers={"Content-Encoding": encoding})
    error, server = _call([corrupt])
    assert type(error) is MalformedResponseError
    assert error.status_code == status
    assert f"a body that decodes as its Content-Encoding ({encoding})" in str(error)
    assert isinstance(error.__cause__, httpx.DecodingError)
    assert len(server.requests) == 1


def test_a_redirect_loop_is_a_connection_error() -> None:
    loop = Reply(status=302, headers={"Location": "/contacts/c1/appointments"})
    error, server = _call([loop], follow_redirects=True)
    assert type(error) is APIConnectionError
    assert isinstance(error.__cause__, httpx.TooManyRedirects)
    assert len(server.requests) == 21  # httpx's limit: the first request and 20 redirects


@pytest.mark.parametrize("depth", [980, 990, 1000, 100_000])
def test_deeply_nested_json_is_a_malformed_response(depth: int) -> None:
    body = b'{"events":' + b"[" * depth + b"]" * depth + b"}"
    error, _ = _call([Reply(status=200, body=body)])
    assert type(error) is MalformedResponseError
    assert error.path.startswith("$")


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_in_an_error_body_keeps_its_status_class(depth: int) -> None:
    body = b'{"message":' + b"[" * depth + b"]" * depth + b"}"
    error, _ = _call([Reply(status=401, body=body)])
    assert type(error) is AuthenticationError


def test_a_body_cut_after_the_headers_is_retried() -> None:
    cut = Reply(status=200, body=b'{"events": []}', cut_after=4)
    with ScriptedServer([cut, OK]) as server, client_for(server) as client:
        assert get_appointments_for_contact.sync("c1", client=client).events == []
    assert len(server.requests) == 2


def test_a_body_that_stalls_after_the_headers_is_retried() -> None:
    stalled = Reply(status=200, body=b'{"events": []}', cut_after=4, stall=1.0)
    with ScriptedServer([stalled, OK]) as server, client_for(server, timeout=0.2) as client:
        assert get_appointments_for_contact.sync("c1", client=client).events == []
    assert len(server.requests) == 2


@pytest.mark.anyio
async def test_a_cut_body_is_retried_async() -> None:
    cut = Reply(status=200, body=b'{"events": []}', cut_after=4)
    with ScriptedServer([cut, OK]) as server:
        async with client_for(server) as client:
            assert (await get_appointments_for_contact.asyncio("c1", client=client)).events == []
    assert len(server.requests) == 2


def test_cut_bodies_beyond_the_attempts_are_a_connection_error() -> None:
    error, server = _call([Reply(status=200, body=b'{"events": []}', cut_after=4)])
    assert type(error) is APIConnectionError
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)
    assert len(server.requests) == FAST_RETRY.max_attempts


@pytest.mark.parametrize("interval", ["-1", "-10000", "nan", "inf", "1e400"])
def test_a_negative_or_non_finite_burst_window_is_ignored(interval: str) -> None:
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": interval}
    started = time.monotonic()
    # rate_limit=None: the limiter would wait out its own window (10 s) after a spent one; here the headers alone
    error, server = _call([Reply.json(429, {"message": "slow down"}, headers=headers)], rate_limit=None)
    assert type(error) is RateLimitError
    assert isinstance(error, RateLimitError)
    assert error.retry_after is None
    assert error.rate_limit.interval_milliseconds is None
    assert len(server.requests) == FAST_RETRY.max_attempts
    assert time.monotonic() - started < 2.0  # backoff of FAST_RETRY, not a wait the header invented


@pytest.mark.anyio
async def test_a_negative_burst_window_is_ignored_async() -> None:
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": "-1"}
    with ScriptedServer([Reply.json(429, {}, headers=headers)]) as server:
        async with client_for(server, rate_limit=None) as client:
            with pytest.raises(RateLimitError) as caught:
                await get_appointments_for_contact.asyncio("c1", client=client)
    assert caught.value.retry_after is None
    assert len(server.requests) == FAST_RETRY.max_attempts


@pytest.mark.parametrize("retry_after", ["-5", "nan", "soon", "1e400"])
def test_a_retry_after_that_is_no_wait_is_ignored(retry_after: str) -> None:
    error, server = _call([Reply.json(503, {}, headers={"Retry-After": retry_after})])
    assert type(error) is ServerError
    assert len(server.requests) == FAST_RETRY.max_attempts


@pytest.mark.parametrize("daily", ["0", "0.0", "0, 0", " 0 ", "0,5"])
def test_a_spent_daily_limit_is_read_as_it_is_written_and_never_retried(daily: str) -> None:
    error, server = _call([Reply.json(429, {}, headers={"X-RateLimit-Daily-Remaining": daily})])
    assert type(error) is DailyRateLimitError
    assert len(server.requests) == 1


# --- bounded time and memory ----------------------------------------------------------------------------------


def test_a_body_dripped_at_one_byte_per_second_ends_at_the_deadline() -> None:
    drip = Reply(status=200, body=b'{"events": []}' + b" " * 60, drip=1.0)
    started = time.monotonic()
    error, _ = _call([drip], deadline=2.0)
    elapsed = time.monotonic() - started
    assert type(error) is APITimeoutError
    assert "deadline passed" in str(error)
    assert 1.9 <= elapsed < 3.5


@pytest.mark.anyio
async def test_the_deadline_holds_async() -> None:
    drip = Reply(status=200, body=b" " * 60, drip=1.0)
    with ScriptedServer([drip]) as server:
        async with client_for(server, deadline=1.5) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError, match="deadline passed"):
                await get_appointments_for_contact.asyncio("c1", client=client)
    assert 1.4 <= time.monotonic() - started < 3.0


def test_a_slow_503_asking_for_a_long_wait_ends_at_the_deadline() -> None:
    slow = Reply(status=503, body=b"{}" + b" " * 30, headers={"Retry-After": "10"}, drip=0.1)
    started = time.monotonic()
    error, _ = _call([slow], deadline=2.0, retry=RetryPolicy(max_backoff=20.0, max_total_wait=60.0))
    assert isinstance(error, APITimeoutError | ServerError)
    assert time.monotonic() - started < 3.5


def test_with_deadline_sets_it_for_one_call_and_shares_the_connections() -> None:
    drip = Reply(status=200, body=b" " * 30, drip=1.0)
    with ScriptedServer([OK, drip]) as server, client_for(server) as client:
        get_appointments_for_contact.sync("c1", client=client)
        hurried = client.with_deadline(1.0)
        assert hurried.get_httpx_client() is client.get_httpx_client()
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            get_appointments_for_contact.sync("c1", client=hurried)
        assert time.monotonic() - started < 2.5


def test_a_gzip_bomb_stops_at_the_size_limit() -> None:
    bomb = gzip.compress(b"0" * (20 * 1024 * 1024))
    assert len(bomb) < 100_000
    reply = Reply(status=200, body=bomb, headers={"Content-Encoding": "gzip"})
    error, server = _call([reply], max_response_bytes=1024 * 1024)
    assert type(error) is ResponseTooLargeError
    assert isinstance(error, ResponseTooLargeError)
    assert error.limit == 1024 * 1024
    assert error.body == b""
    assert len(server.requests) == 1


def test_a_large_plain_body_is_refused_from_its_content_length() -> None:
    reply = Reply(status=200, body=b" " * (3 * 1024 * 1024))
    error, _ = _call([reply], max_response_bytes=1024 * 1024)
    assert type(error) is ResponseTooLargeError
    assert "a body of at most 1048576 bytes (max_response_bytes)" in str(error)


def test_a_deflate_body_within_the_limit_parses() -> None:
    body = zlib.compress(b'{"events": []}')
    with ScriptedServer([Reply(status=200, body=body, headers={"Content-Encoding": "deflate"})]) as server:
        with client_for(server, max_response_bytes=100) as client:
            assert get_appointments_for_contact.sync("c1", client=client).events == []


@pytest.mark.anyio
async def test_an_exhausted_pool_is_not_retried_and_says_why(caplog: pytest.LogCaptureFixture) -> None:
    slow = Reply(status=200, body=b'{"events": []}', delay=0.5)
    limits = httpx.Limits(max_connections=2)
    timeout = httpx.Timeout(5.0, pool=0.1)
    with ScriptedServer([slow]) as server, caplog.at_level(logging.INFO, logger="highlevel_contacts"):
        # rate_limit=None: the limiter would send one request before the others (to learn the budget)
        async with client_for(server, timeout=timeout, rate_limit=None, httpx_args={"limits": limits}) as client:
            outcomes = await asyncio.gather(
                *(get_appointments_for_contact.asyncio("c1", client=client) for _ in range(10)),
                return_exceptions=True,
            )
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert len(failures) == 8
    assert all(type(failure) is APITimeoutError for failure in failures)
    assert "bound your own concurrency" in str(failures[0])
    assert isinstance(failures[0].__cause__, httpx.PoolTimeout)
    assert len(server.requests) == 2
    assert [record for record in caplog.records if "retry" in record.getMessage()] == []


# --- the caller's side ----------------------------------------------------------------------------------------


def test_threads_sharing_a_new_client_share_one_httpx_client() -> None:
    with ScriptedServer([OK]) as server:
        client = client_for(server)
        barrier = threading.Barrier(50)
        seen: list[int] = []

        def work() -> None:
            barrier.wait()
            seen.append(id(client.get_httpx_client()))
            get_appointments_for_contact.sync("c1", client=client)

        run_threads(work, 50, timeout=30)
        client.get_httpx_client().close()
    assert len(seen) == 50
    assert len(set(seen)) == 1
    assert len(server.requests) == 50


def test_a_call_after_the_with_block_is_a_clear_runtime_error() -> None:
    with ScriptedServer([OK]) as server:
        client = client_for(server)
        with client:
            get_appointments_for_contact.sync("c1", client=client)
        with pytest.raises(RuntimeError, match=r"this client was closed \(its `with` block ended\)"):
            get_appointments_for_contact.sync("c1", client=client)
    assert len(server.requests) == 1


def test_a_second_event_loop_is_a_clear_runtime_error() -> None:
    # Connection: close, so that the first loop's connection does not outlive it (it cannot be closed later).
    with ScriptedServer([Reply.json(200, {"events": []}, headers={"Connection": "close"})]) as server:
        client = client_for(server)

        async def fetch() -> Any:
            return await get_appointments_for_contact.asyncio("c1", client=client)

        assert asyncio.run(fetch()).events == []
        with pytest.raises(RuntimeError, match="belong to another event loop"):
            asyncio.run(fetch())
    assert len(server.requests) == 1


@pytest.mark.parametrize("contact_id", ["x" * 100_000, "a\udc80b"])
def test_an_id_no_url_can_carry_is_a_value_error(contact_id: str) -> None:
    with ScriptedServer([OK]) as server, client_for(server) as client:
        with pytest.raises(ValueError, match="path parameter contactId"):
            get_appointments_for_contact.sync(contact_id, client=client)
    assert server.requests == []


# --- errors travel --------------------------------------------------------------------------------------------


def _errors() -> list[HighLevelError]:
    response = httpx.Response(
        401, json={"statusCode": 401, "message": "Invalid JWT", "traceId": "t-1"}, headers={"X-RateLimit-Max": "100"}
    )
    within = MalformedResponseError("an array", {"id": 1}).within("events")
    malformed = with_response(within, httpx.Response(200, content=b'{"events": {"id": 1}}'))
    connection = APIConnectionError("GET https://x/contacts/c1/appointments: ConnectError: refused", method="GET",
                                    url="https://x/contacts/c1/appointments")  # fmt: skip
    too_large = ResponseTooLargeError(10, status_code=200, headers=httpx.Headers({"a": "b"}))
    return [status_error(response), malformed, connection, too_large]


@pytest.mark.parametrize("error", _errors(), ids=lambda error: type(error).__name__)
@pytest.mark.parametrize("clone", [lambda e: pickle.loads(pickle.dumps(e)), copy.deepcopy], ids=["pickle", "deepcopy"])
def test_errors_survive_pickle_and_deepcopy(error: HighLevelError, clone: Any) -> None:
    copied = clone(error)
    assert type(copied) is type(error)
    assert str(copied) == str(error)
    assert repr(copied) == repr(error)
    for name in ("status_code", "message", "body", "headers", "path", "value", "expected", "trace_id", "method",
                 "url", "limit", "error", "rate_limit"):  # fmt: skip
        assert getattr(copied, name, None) == getattr(error, name, None), name
    assert TOKEN.encode() not in pickle.dumps(error)


def _raise_in_a_child(kind: str) -> None:
    """Run in a worker process: raises a HighLevelError the parent must receive intact."""
    raise next(error for error in _errors() if type(error).__name__ == kind)


@pytest.mark.parametrize("kind", ["AuthenticationError", "MalformedResponseError", "APIConnectionError"])
def test_an_error_raised_in_a_worker_process_reaches_the_parent_intact(kind: str) -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_raise_in_a_child, kind)
        with pytest.raises(HighLevelError) as caught:
            future.result(timeout=60)
    assert type(caught.value).__name__ == kind
    if isinstance(caught.value, APIStatusError):
        assert caught.value.status_code == 401
        assert caught.value.trace_id == "t-1"
        assert caught.value.rate_limit.max == 100


def test_the_token_stays_out_of_a_pickled_connection_error() -> None:
    url = refused_url()
    with AuthenticatedClient(base_url=url, token=TOKEN, retry=None) as client:
        with pytest.raises(APIConnectionError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
    assert TOKEN.encode() not in pickle.dumps(caught.value)
    assert pickle.loads(pickle.dumps(caught.value)).url == f"{url}/contacts/c1/appointments"
