"""Retries, backoff, Retry-After, HighLevel's rate-limit headers, timeouts, resets: a scripted server on 127.0.0.1.

Waits are measured from the times the server received each request.
"""

from __future__ import annotations

import datetime
import email.utils
import itertools
from typing import Any

import httpx
import pytest
from highlevel_contacts import (
    DEFAULT_TIMEOUT,
    APIConnectionError,
    APITimeoutError,
    AuthenticatedClient,
    DailyRateLimitError,
    RateLimit,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.testing import MockServer

from tests.helpers import FAST_RETRY as FAST
from tests.helpers import TOKEN
from tests.helpers import client_for as _client
from tests.scripted_server import Reply, ScriptedServer, refused_url

DAILY_SPENT = {"X-RateLimit-Daily-Remaining": "0", "X-RateLimit-Limit-Daily": "200000"}


def _gaps(server: ScriptedServer) -> list[float]:
    times = [request.received_at for request in server.requests]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


@pytest.fixture
def ok(examples: dict[int, Any]) -> Reply:
    return Reply.json(200, examples[200])


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(ok: Reply, status: int) -> None:
    with ScriptedServer([Reply.json(status, {"message": "later"}), ok]) as server, _client(server) as client:
        result = get_appointments_for_contact.sync("c1", client=client)
    assert result.events is not None
    assert len(server.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 501])
def test_other_statuses_are_not_retried(ok: Reply, status: int) -> None:
    with ScriptedServer([Reply.json(status, {"message": "no"}), ok]) as server, _client(server) as client:
        response = get_appointments_for_contact.sync_detailed("c1", client=client)
    assert response.status_code == status
    assert len(server.requests) == 1


def test_503_sequence_then_success(ok: Reply) -> None:
    script = [Reply.json(503, {}), Reply.json(503, {}), Reply.json(503, {}), ok]
    with ScriptedServer(script) as server, _client(server) as client:
        result = get_appointments_for_contact.sync("c1", client=client)
    assert result.events is not None
    assert len(server.requests) == 4


def test_attempts_are_bounded_and_the_last_answer_raises() -> None:
    page = b"<html><body>502 Bad Gateway</body></html>"
    with ScriptedServer([Reply(status=502, body=page, content_type="text/html")]) as server:
        with _client(server) as client, pytest.raises(ServerError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
    assert len(server.requests) == FAST.max_attempts
    assert caught.value.status_code == 502
    assert caught.value.body == page


def test_backoff_grows_exponentially_without_jitter(ok: Reply) -> None:
    policy = RetryPolicy(max_attempts=4, initial_backoff=0.1, jitter=False)
    assert [policy.backoff(n) for n in (1, 2, 3, 4)] == [0.1, 0.2, 0.4, 0.8]
    with ScriptedServer([Reply.json(503, {})] * 3 + [ok]) as server, _client(server, policy) as client:
        get_appointments_for_contact.sync("c1", client=client)
    gaps = _gaps(server)
    assert len(gaps) == 3
    for gap, expected in zip(gaps, [0.1, 0.2, 0.4], strict=True):
        assert expected <= gap < expected + 0.25  # slack above for a busy machine; never below


def test_jitter_stays_within_the_exponential_ceiling() -> None:
    policy = RetryPolicy(initial_backoff=1.0, max_backoff=3.0)
    waits = [policy.backoff(n) for n in (1, 2, 3) for _ in range(200)]
    assert all(0 <= wait <= 3.0 for wait in waits)
    assert len({round(wait, 6) for wait in waits}) > 100


def test_total_wait_is_bounded() -> None:
    policy = RetryPolicy(max_attempts=10, initial_backoff=0.2, jitter=False, max_total_wait=0.5)
    with ScriptedServer([Reply.json(503, {})]) as server, _client(server, policy) as client:
        with pytest.raises(ServerError):
            get_appointments_for_contact.sync("c1", client=client)
    # waits 0.2 s, then the next wait (0.4 s) would pass 0.5 s in total: gives up after 2 requests
    assert len(server.requests) == 2


def test_retries_can_be_turned_off() -> None:
    with ScriptedServer([Reply.json(503, {})]) as server, _client(server, retry=None) as client:
        with pytest.raises(ServerError):
            get_appointments_for_contact.sync("c1", client=client)
    assert len(server.requests) == 1


def test_retry_after_in_seconds_is_honoured(ok: Reply) -> None:
    script = [Reply.json(429, {"message": "Too many requests"}, headers={"Retry-After": "1"}), ok]
    with ScriptedServer(script) as server, _client(server) as client:
        get_appointments_for_contact.sync("c1", client=client)
    (gap,) = _gaps(server)
    assert 0.95 <= gap < 2.0


def test_retry_after_as_an_http_date_is_honoured(ok: Reply) -> None:
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3)
    header = email.utils.format_datetime(when, usegmt=True)  # whole seconds: the wait is between 2 and 3 s
    script = [Reply.json(503, {}, headers={"Retry-After": header}), ok]
    patient = RetryPolicy(max_attempts=2, max_backoff=5.0)
    with ScriptedServer(script) as server, _client(server, patient) as client:
        get_appointments_for_contact.sync("c1", client=client)
    (gap,) = _gaps(server)
    assert 1.5 <= gap < 3.5


def test_a_retry_after_beyond_the_budget_is_not_waited_out() -> None:
    script = [Reply.json(429, {"message": "slow down"}, headers={"Retry-After": "120"})]
    with ScriptedServer(script) as server, _client(server) as client, pytest.raises(RateLimitError) as caught:
        get_appointments_for_contact.sync("c1", client=client)
    assert len(server.requests) == 1
    assert caught.value.retry_after == 120.0
    assert type(caught.value) is RateLimitError


def test_burst_limit_waits_for_the_window(ok: Reply) -> None:
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": "300", "X-RateLimit-Max": "100"}
    with ScriptedServer([Reply.json(429, {}, headers=headers), ok]) as server, _client(server) as client:
        get_appointments_for_contact.sync("c1", client=client)
    (gap,) = _gaps(server)
    assert 0.29 <= gap < 0.8


def test_spent_daily_limit_raises_at_once() -> None:
    script = [Reply.json(429, {"message": "Too Many Requests"}, headers=DAILY_SPENT)]
    with ScriptedServer(script) as server, _client(server) as client, pytest.raises(DailyRateLimitError) as caught:
        get_appointments_for_contact.sync("c1", client=client)
    assert len(server.requests) == 1
    assert isinstance(caught.value, RateLimitError)
    assert caught.value.rate_limit.daily_remaining == 0
    assert str(caught.value) == ("HTTP 429: daily rate limit spent (X-RateLimit-Daily-Remaining: 0): Too Many Requests")


@pytest.mark.anyio
async def test_async_retries_and_daily_limit(ok: Reply) -> None:
    with ScriptedServer([Reply.json(503, {}), Reply.json(429, {}), ok]) as server:
        async with _client(server) as client:
            result = await get_appointments_for_contact.asyncio("c1", client=client)
    assert result.events is not None
    assert len(server.requests) == 3
    with ScriptedServer([Reply.json(429, {}, headers=DAILY_SPENT)]) as server:
        async with _client(server) as client:
            with pytest.raises(DailyRateLimitError):
                await get_appointments_for_contact.asyncio("c1", client=client)
    assert len(server.requests) == 1


def test_a_reset_connection_is_retried(ok: Reply) -> None:
    with ScriptedServer([Reply(reset=True), ok]) as server, _client(server) as client:
        result = get_appointments_for_contact.sync("c1", client=client)
    assert result.events is not None
    assert len(server.requests) == 2


def test_resets_beyond_the_attempts_raise_a_connection_error() -> None:
    with ScriptedServer([Reply(reset=True)]) as server, _client(server) as client:
        with pytest.raises(APIConnectionError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
    assert len(server.requests) == FAST.max_attempts
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert caught.value.method == "GET"
    assert caught.value.url == f"{server.base_url}/contacts/c1/appointments"  # the full URL: a wrong base_url shows


def test_a_refused_connection_raises_a_connection_error() -> None:
    base_url = refused_url()
    client = AuthenticatedClient(base_url=base_url, token=TOKEN, retry=RetryPolicy(max_attempts=2, initial_backoff=0))
    with client, pytest.raises(APIConnectionError) as caught:
        get_appointments_for_contact.sync("c1", client=client)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_a_slow_response_times_out(ok: Reply) -> None:
    slow = Reply(status=200, body=ok.body, delay=0.6)
    with ScriptedServer([slow]) as server, _client(server, retry=None, timeout=0.2) as client:
        with pytest.raises(APITimeoutError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert isinstance(caught.value, APIConnectionError)


def test_a_read_timeout_is_retried(ok: Reply) -> None:
    slow = Reply(status=200, body=ok.body, delay=0.6)
    with ScriptedServer([slow, ok]) as server, _client(server, timeout=0.2) as client:
        result = get_appointments_for_contact.sync("c1", client=client)
    assert result.events is not None
    assert len(server.requests) == 2


def test_timeout_default_is_finite_and_overridable() -> None:
    assert httpx.Timeout(30.0, connect=10.0) == DEFAULT_TIMEOUT
    default = AuthenticatedClient(base_url="http://127.0.0.1:9", token=TOKEN)
    assert default.get_httpx_client().timeout == httpx.Timeout(30.0, connect=10.0)
    assert default.get_async_httpx_client().timeout == httpx.Timeout(30.0, connect=10.0)
    custom = AuthenticatedClient(base_url="http://127.0.0.1:9", token=TOKEN, timeout=2.5)
    assert custom.get_httpx_client().timeout == httpx.Timeout(2.5)
    assert default.with_timeout(httpx.Timeout(1.0)).get_httpx_client().timeout == httpx.Timeout(1.0)


def test_retry_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts must be at least 1"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="max_total_wait must not be negative"):
        RetryPolicy(max_total_wait=-1)


def test_detailed_response_exposes_rate_limit_state() -> None:
    with MockServer() as mock, AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
        response = get_appointments_for_contact.sync_detailed("c1", client=client)
    assert response.rate_limit == RateLimit(
        max=100, remaining=99, interval_milliseconds=10000, limit_daily=200000, daily_remaining=199999
    )


def test_rate_limit_values_are_none_when_absent_or_garbled(ok: Reply) -> None:
    reply = Reply(status=200, body=ok.body, headers={"X-RateLimit-Max": "lots", "X-RateLimit-Remaining": " 3 "})
    with ScriptedServer([reply]) as server, _client(server) as client:
        response = get_appointments_for_contact.sync_detailed("c1", client=client)
    assert response.rate_limit == RateLimit(
        max=None, remaining=3, interval_milliseconds=None, limit_daily=None, daily_remaining=None
    )


@pytest.mark.anyio
async def test_a_sync_only_transport_used_async_is_a_clear_type_error() -> None:
    client = AuthenticatedClient(
        base_url="http://127.0.0.1:9", token=TOKEN, httpx_args={"transport": httpx.HTTPTransport()}
    )
    async with client:
        with pytest.raises(TypeError, match="HTTPTransport cannot send asynchronous requests"):
            await get_appointments_for_contact.asyncio("c1", client=client)
