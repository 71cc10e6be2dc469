# Vendored from runtime/retry.py by `make generate`: edit that file, never this copy.
"""The retry policy: which outcomes are retried and how long to wait, decided by one pure function.

`RetryPolicy.next_wait(attempt, outcome, waited)` looks at the outcome of one attempt (an `httpx.Response` or
the exception it raised) and answers the seconds to wait before the next attempt, or `None` to stop. The loops
that ask it live in `transport.py`, one for sync and one for async; nothing else decides about retries.
"""

import datetime
import email.utils
import math
import random
from collections.abc import Mapping

import httpx
from attrs import frozen

from .types import RateLimit

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Answers worth another try: a timeout, a burst rate limit, a server or gateway failure."""

RETRYABLE_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,  # connect, read and write timeouts (a pool timeout is not retried: is_retryable)
    httpx.NetworkError,  # refused, reset, ...
    httpx.RemoteProtocolError,  # the server closed the connection without answering
)
"""Failures to get an answer that are worth another try."""

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Only these (and requests marked safe to repeat) are sent again after they may have arrived: repeating a POST
could repeat what it did. Any request is sent again after a failure that proves it never left (no connection)."""


def retry_after_seconds(headers: Mapping[str, str], now: datetime.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date); None if absent or invalid.

    A number that is negative or not finite is invalid; a date in the past means 0; a repeated header (httpx
    joins it as `3, 5`) counts as its longest wait."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        seconds = [float(part) for part in value.split(",")]
    except ValueError:
        pass  # not numbers: an HTTP date (which itself contains a comma)
    else:
        if all(math.isfinite(number) and number >= 0 for number in seconds):
            return max(seconds)
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        now = now or datetime.datetime.now(datetime.UTC)
        return max(0.0, (when - now).total_seconds())
    except (TypeError, ValueError, OverflowError):  # not a date, or one no datetime can hold
        return None


def server_retry_delay(status_code: int, headers: Mapping[str, str]) -> float | None:
    """The wait, in seconds, that an answer asks for before the request is tried again: its Retry-After, else,
    on a 429 with X-RateLimit-Remaining: 0, the burst window X-RateLimit-Interval-Milliseconds. None when the
    answer says nothing."""
    delay = retry_after_seconds(headers)
    if delay is None and status_code == 429:
        rate_limit = RateLimit.from_headers(headers)
        if rate_limit.remaining == 0 and rate_limit.interval_milliseconds is not None:
            delay = rate_limit.interval_milliseconds / 1000
    return delay


def daily_limit_spent(status_code: int, headers: Mapping[str, str]) -> bool:
    """A 429 with X-RateLimit-Daily-Remaining: 0: the day's quota is gone and will not come back in seconds."""
    return status_code == 429 and RateLimit.from_headers(headers).daily_remaining == 0


@frozen
class RetryPolicy:
    """When and how long to retry a request that is safe to repeat (GET, HEAD, OPTIONS, PUT, DELETE).

    Retried: connection errors, timeouts, and the statuses in `retry_statuses`. The wait before retry n is the
    server's word when it gives one (Retry-After in seconds or as an HTTP date; else, on a 429 with
    X-RateLimit-Remaining: 0, the burst window X-RateLimit-Interval-Milliseconds), otherwise exponential
    backoff `initial_backoff * 2 ** (n - 1)` with full jitter. Every wait is capped at `max_backoff`; the
    client gives up (and the caller gets the last answer, or the error) once `max_attempts` requests are
    made, when the server asks for more than `max_backoff`, or when the next wait would take the total past
    `max_total_wait`. A 429 with X-RateLimit-Daily-Remaining: 0 is never retried: the daily quota will not
    come back in seconds. Pass `retry=None` to a client to turn retries off.
    """

    max_attempts: int = 4
    initial_backoff: float = 0.5
    max_backoff: float = 10.0
    max_total_wait: float = 30.0
    jitter: bool = True
    retry_statuses: frozenset[int] = RETRY_STATUSES

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.max_attempts, int) or isinstance(self.max_attempts, bool) or self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts!r}")
        for name in ("initial_backoff", "max_backoff", "max_total_wait"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
                raise ValueError(f"{name} must not be negative (and must be a finite number), got {value!r}")
        if not all(isinstance(status, int) for status in self.retry_statuses):
            raise ValueError("retry_statuses must be a set of int status codes")

    def backoff(self, retry_number: int) -> float:
        """The wait before retry `retry_number` (1 for the first) when the server gives no hint."""
        ceiling = min(self.max_backoff, self.initial_backoff * 2 ** (retry_number - 1))
        return random.uniform(0, ceiling) if self.jitter else ceiling

    def is_retryable(self, outcome: httpx.Response | Exception) -> bool:
        """Whether this outcome is worth another try at all, whatever the budget says."""
        if isinstance(outcome, httpx.PoolTimeout):
            return False  # no free connection: the caller's own concurrency, which a retry only adds to
        if isinstance(outcome, Exception):
            return isinstance(outcome, RETRYABLE_EXCEPTIONS)
        status = outcome.status_code
        return status in self.retry_statuses and not daily_limit_spent(status, outcome.headers)

    def next_wait(self, attempt: int, outcome: httpx.Response | Exception, waited: float) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to stop and hand `outcome` to the caller.

        `attempt` counts the attempts made so far (1 after the first), `outcome` is what the last one gave,
        and `waited` the seconds already spent waiting between attempts.
        """
        if attempt >= self.max_attempts or not self.is_retryable(outcome):
            return None
        hinted = None
        if isinstance(outcome, httpx.Response):
            hinted = server_retry_delay(outcome.status_code, outcome.headers)
        if hinted is not None and hinted > self.max_backoff:
            return None  # waiting less than the server asked would only be refused again
        wait = min(self.max_backoff, hinted if hinted is not None else self.backoff(attempt))
        if waited + wait > self.max_total_wait:
            return None
        return wait


__all__ = [
    "IDEMPOTENT_METHODS",
    "RETRYABLE_EXCEPTIONS",
    "RETRY_STATUSES",
    "RetryPolicy",
    "daily_limit_spent",
    "retry_after_seconds",
    "server_retry_delay",
]
