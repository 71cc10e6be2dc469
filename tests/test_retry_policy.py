"""RetryPolicy.next_wait: the one retry decision, tested without a server or a clock."""

from __future__ import annotations

import httpx
import pytest
from highlevel_contacts import RetryPolicy

POLICY = RetryPolicy(max_attempts=4, initial_backoff=0.5, max_backoff=10.0, max_total_wait=30.0, jitter=False)


def _answer(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={name.replace("_", "-"): value for name, value in headers.items()})


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_back_off_exponentially(status: int) -> None:
    assert [POLICY.next_wait(attempt, _answer(status), 0.0) for attempt in (1, 2, 3)] == [0.5, 1.0, 2.0]


@pytest.mark.parametrize("status", [200, 201, 204, 301, 400, 401, 403, 404, 422, 501])
def test_other_statuses_stop(status: int) -> None:
    assert POLICY.next_wait(1, _answer(status), 0.0) is None


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("closed"),
     httpx.ReadError("reset")],
)  # fmt: skip
def test_connection_failures_are_retried(error: Exception) -> None:
    assert POLICY.next_wait(1, error, 0.0) == 0.5


@pytest.mark.parametrize("error", [httpx.UnsupportedProtocol("ftp"), httpx.DecodingError("gzip"), ValueError("x")])
def test_other_exceptions_stop(error: Exception) -> None:
    assert POLICY.next_wait(1, error, 0.0) is None


def test_attempts_are_bounded() -> None:
    assert POLICY.next_wait(3, _answer(503), 0.0) == 2.0
    assert POLICY.next_wait(4, _answer(503), 0.0) is None
    assert RetryPolicy(max_attempts=1).next_wait(1, _answer(503), 0.0) is None


def test_the_total_wait_is_bounded() -> None:
    assert POLICY.next_wait(2, _answer(503), 29.0) == 1.0
    assert POLICY.next_wait(2, _answer(503), 29.5) is None


def test_each_wait_is_capped() -> None:
    patient = RetryPolicy(max_attempts=10, initial_backoff=4.0, max_backoff=10.0, jitter=False)
    assert patient.next_wait(3, _answer(503), 0.0) == 10.0


def test_retry_after_sets_the_wait() -> None:
    assert POLICY.next_wait(1, _answer(503, Retry_After="3"), 0.0) == 3.0
    assert POLICY.next_wait(1, _answer(429, Retry_After="0"), 0.0) == 0.0


def test_a_server_wait_beyond_max_backoff_stops() -> None:
    assert POLICY.next_wait(1, _answer(429, Retry_After="11"), 0.0) is None


def test_a_spent_burst_window_waits_for_the_window() -> None:
    answer = _answer(429, X_RateLimit_Remaining="0", X_RateLimit_Interval_Milliseconds="2500")
    assert POLICY.next_wait(1, answer, 0.0) == 2.5


def test_a_burst_window_is_ignored_while_requests_remain() -> None:
    answer = _answer(429, X_RateLimit_Remaining="5", X_RateLimit_Interval_Milliseconds="2500")
    assert POLICY.next_wait(1, answer, 0.0) == 0.5


def test_the_daily_limit_is_never_retried() -> None:
    assert POLICY.next_wait(1, _answer(429, X_RateLimit_Daily_Remaining="0"), 0.0) is None
    assert POLICY.next_wait(1, _answer(429, X_RateLimit_Daily_Remaining="1"), 0.0) == 0.5


def test_jitter_stays_under_the_exponential_ceiling() -> None:
    jittered = RetryPolicy(initial_backoff=1.0, max_backoff=10.0)
    waits = [jittered.next_wait(3, _answer(503), 0.0) for _ in range(200)]
    assert all(wait is not None and 0.0 <= wait <= 4.0 for wait in waits)
    assert len({wait for wait in waits}) > 100
