"""The client-side rate budget: sliding window, learned from HighLevel's headers, shared by threads and tasks,
and the daily quota stopping a client at once. Loopback tests run the mock with its limits scaled down."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from highlevel_contacts import AuthenticatedClient, DailyRateLimitError, RateBudget
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.ratelimit import DailyLimitSpent, RateLimiter
from highlevel_contacts.testing import MockServer

from tests.helpers import CONTACT, TOKEN, learned, run_threads


def _send(limiter: RateLimiter, headers: dict[str, str] | None = None) -> None:
    """One request: a slot, then its answer."""
    assert limiter.acquire(None)
    limiter.answered(headers or {})


def test_until_the_first_answer_one_request_at_a_time() -> None:
    limiter = RateLimiter(RateBudget(100, 10.0))
    assert limiter.acquire(None)
    assert limiter.acquire(time.monotonic() + 0.1) is None  # the first is still out
    limiter.unanswered()  # it failed without an answer: the next one may find out
    assert limiter.acquire(None)
    limiter.answered({"X-RateLimit-Max": "100", "X-RateLimit-Interval-Milliseconds": "10000"})
    assert all(limiter.acquire(None) for _ in range(50))


def test_the_window_slides_from_each_answer() -> None:
    limiter = learned(RateLimiter(RateBudget(3, 0.3)))  # one answered slot in the window
    started = time.monotonic()
    _send(limiter)
    _send(limiter)
    assert time.monotonic() - started < 0.1
    _send(limiter)  # waits for the first answer to leave the window
    assert 0.25 <= time.monotonic() - started < 0.6


def test_a_slot_in_flight_never_expires() -> None:
    limiter = learned(RateLimiter(RateBudget(2, 0.1)))
    assert limiter.acquire(None)  # in flight, never answered
    time.sleep(0.2)  # the first answer has left the window; the one in flight still counts
    assert limiter.acquire(None)
    assert limiter.acquire(time.monotonic() + 0.3) is None


def test_a_wait_past_the_deadline_takes_nothing() -> None:
    limiter = learned(RateLimiter(RateBudget(1, 10.0)))
    assert limiter.acquire(time.monotonic() + 0.5) is None


def test_the_headers_set_the_budget_and_correct_the_count() -> None:
    limiter = learned(RateLimiter(RateBudget()))
    _send(limiter, {"X-RateLimit-Max": "20", "X-RateLimit-Interval-Milliseconds": "1000"})
    assert limiter.budget == RateBudget(20, 1.0)
    _send(limiter, {"X-RateLimit-Remaining": "0"})  # others spent the window
    started = time.monotonic()
    assert limiter.acquire(None)
    assert time.monotonic() - started >= 0.95
    limiter.answered({"X-RateLimit-Max": "-5", "X-RateLimit-Interval-Milliseconds": "nan"})  # ignored
    assert limiter.budget == RateBudget(20, 1.0)


def test_a_spent_daily_quota_stops_the_limiter() -> None:
    limiter = learned(RateLimiter(RateBudget()))
    _send(limiter, {"X-RateLimit-Daily-Remaining": "0"})
    with pytest.raises(DailyLimitSpent):
        limiter.acquire(None)


@pytest.mark.parametrize(("requests", "per_seconds"), [(0, 1.0), (1, 0.0), (1, -1.0)])
def test_a_budget_that_cannot_work_is_refused(requests: int, per_seconds: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        RateBudget(requests, per_seconds)


@pytest.mark.anyio
async def test_tasks_stay_within_a_limit_learned_from_the_headers() -> None:
    with MockServer(burst=(20, 1.0)) as mock:  # smaller than the client's default: learned from the answers
        async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
            started = time.monotonic()
            results = await asyncio.gather(
                *(get_appointments_for_contact.asyncio(CONTACT, client=client) for _ in range(60))
            )
            elapsed = time.monotonic() - started
        assert all(result.events for result in results)
        assert mock.limits.rate_limited == 0
        assert mock.limits.requests == 60
    assert 1.9 <= elapsed < 6.0  # 60 requests at 20 per second: two full windows of waiting


def test_threads_share_one_budget() -> None:
    with MockServer(burst=(10, 0.5)) as mock:
        client = AuthenticatedClient(base_url=mock.base_url, token=TOKEN, rate_limit=RateBudget(10, 0.5))
        errors: list[BaseException] = []

        def work() -> None:
            try:
                for _ in range(5):
                    get_appointments_for_contact.sync(CONTACT, client=client)
            except BaseException as error:
                errors.append(error)

        with client:
            run_threads(work, 8, timeout=60)
        assert errors == []
        assert (mock.limits.requests, mock.limits.rate_limited) == (40, 0)


def test_requests_the_server_saw_from_others_are_counted() -> None:
    with MockServer(burst=(10, 1.0)) as mock:
        for _ in range(8):  # another client spends most of the window
            headers = {"Authorization": "Bearer o", "Version": "v3"}
            httpx.get(f"{mock.base_url}/contacts/x/appointments", headers=headers)
        with AuthenticatedClient(base_url=mock.base_url, token=TOKEN, rate_limit=RateBudget(10, 1.0)) as client:
            for _ in range(4):
                get_appointments_for_contact.sync(CONTACT, client=client)
        assert mock.limits.rate_limited == 0
        assert mock.limits.requests == 12


def test_a_spent_daily_quota_stops_every_further_request_unsent() -> None:
    with MockServer(daily=5) as mock, AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
        for _ in range(5):
            get_appointments_for_contact.sync(CONTACT, client=client)
        for _ in range(3):
            with pytest.raises(DailyRateLimitError, match="was not sent"):
                get_appointments_for_contact.sync(CONTACT, client=client)
        assert mock.limits.requests == 5


def test_rate_limit_none_turns_the_limiter_off() -> None:
    with MockServer(burst=(2, 10.0)) as mock:
        with AuthenticatedClient(base_url=mock.base_url, token=TOKEN, rate_limit=None, retry=None) as client:
            statuses = [
                get_appointments_for_contact.sync_detailed(CONTACT, client=client).status_code for _ in range(3)
            ]
    assert statuses == [200, 200, 429]
