"""A client-side budget for HighLevel's rate limits, learned from the answers.

HighLevel allows each app 100 requests per 10 s per location (the burst window) and 200,000 a day, and answers
429 past either. Every request through a client takes a slot from its `RateLimiter` before it is sent; when
none is free it waits until the oldest slot leaves the sliding window. Each answer teaches it: the
`X-RateLimit-Max` and `X-RateLimit-Interval-Milliseconds` headers set the budget, `X-RateLimit-Remaining`
corrects the count when the server has seen requests this limiter has not (other clients, other processes),
and `X-RateLimit-Daily-Remaining: 0` stops every further request of the client at once with
`DailyRateLimitError`, without sending one to be refused.

The limiter is hand-written (a deque of send times under a lock, for threads and tasks alike): the `limits`
library's moving window was the candidate, but its windows are whole seconds (HighLevel states its window in
milliseconds) and it would add four packages to the core's dependencies for what is here some thirty lines;
the HighLevel-specific learning is ours either way.
"""

import asyncio
import collections
import threading
import time
from collections.abc import Mapping

from attrs import frozen

from .errors import DailyRateLimitError
from .types import RateLimit

# A slot leaves the window one window after its answer came back, and the server counted the request before it
# answered, so the limiter never frees a slot before the server does; the slack only absorbs clock granularity.
_SLACK_SECONDS = 0.005
_SLACK_FRACTION = 0.005
# How often requests waiting for an answer (the first one, or any while all slots are in flight) look again.
_POLL_SECONDS = 0.01


@frozen
class RateBudget:
    """How many requests a client may send per window: HighLevel's 100 per 10 s unless the answers say other."""

    requests: int = 100
    per_seconds: float = 10.0

    def __attrs_post_init__(self) -> None:
        if not (isinstance(self.requests, int) and self.requests >= 1):
            raise ValueError(f"requests must be a whole number >= 1, got {self.requests!r}")
        if not self.per_seconds > 0:
            raise ValueError(f"per_seconds must be > 0, got {self.per_seconds!r}")


class DailyLimitSpent(Exception):
    """Raised inside the limiter; the transport turns it into DailyRateLimitError with the request's details."""


class RateLimiter:
    """A sliding-window budget shared by every thread and task that uses one client.

    A request holds its slot from before it is sent until its answer comes back, and the slot then stays in the
    window for one window from that moment. The server counts a request when it arrives, which can be well after
    it took its slot (a new connection, a busy event loop) but never after its answer: so the server's count is
    never above the limiter's."""

    def __init__(self, budget: RateBudget) -> None:
        self._requests = budget.requests
        self._window = budget.per_seconds
        self._answered: collections.deque[float] = collections.deque()  # when each answer in the window came
        self._in_flight = 0
        self._daily_spent = False
        # Until an answer has said what the budget is, one request at a time: a burst sent on the configured
        # budget alone would draw 429s from a server whose limit is smaller (a sandbox's 25 per 10 s).
        self._learned = False
        self._probe_out = False
        self._lock = threading.Lock()

    @property
    def budget(self) -> RateBudget:
        """The budget in force: the configured one until an answer states HighLevel's."""
        return RateBudget(self._requests, self._window)

    @property
    def daily_spent(self) -> bool:
        return self._daily_spent

    def _expire(self, now: float) -> None:
        while self._answered and self._answered[0] <= now - self._window:
            self._answered.popleft()

    def _take(self) -> float:
        """0 once a slot is taken, else the seconds to wait before trying again."""
        with self._lock:
            if self._daily_spent:
                raise DailyLimitSpent
            if not self._learned:
                if self._probe_out:
                    return _POLL_SECONDS
                self._probe_out = True
            now = time.monotonic()
            self._expire(now)
            used = len(self._answered) + self._in_flight
            if used < self._requests:
                self._in_flight += 1
                return 0.0
            # The slot that frees first: an answered one leaving the window, or else an answer coming back.
            excess = used - self._requests
            if excess < len(self._answered):
                slack = _SLACK_SECONDS + _SLACK_FRACTION * self._window
                return max(_POLL_SECONDS, self._answered[excess] + self._window + slack - now)
            return _POLL_SECONDS

    def acquire(self, deadline: float | None) -> bool:
        """Wait for a slot; then the request must be followed by `answered()` or `unanswered()`. False, with
        nothing taken, when the wait would pass `deadline`."""
        while wait := self._take():
            if deadline is not None and time.monotonic() + wait > deadline:
                return False
            time.sleep(wait)
        return True

    async def acquire_async(self, deadline: float | None) -> bool:
        while wait := self._take():
            if deadline is not None and time.monotonic() + wait > deadline:
                return False
            await asyncio.sleep(wait)
        return True

    def answered(self, headers: Mapping[str, str]) -> None:
        """The request that took a slot got an answer: take in what its X-RateLimit-* headers say."""
        state = RateLimit.from_headers(headers)
        with self._lock:
            now = time.monotonic()
            self._in_flight -= 1
            self._answered.append(now)
            self._learned = True  # an answer, with or without the headers: no more reason to hold back
            if state.daily_remaining == 0:
                self._daily_spent = True
            if state.max is not None and state.max >= 1 and state.interval_milliseconds:
                self._requests, self._window = state.max, state.interval_milliseconds / 1000
            if state.remaining is not None:
                # The server has counted more in this window than we have: the rest came from elsewhere (other
                # clients, other processes); count them as if answered now.
                self._expire(now)
                for _ in range(self._requests - state.remaining - len(self._answered) - self._in_flight):
                    self._answered.append(now)

    def unanswered(self) -> None:
        """The request that took a slot got no answer (or was not sent): it counts as if answered now, since the
        server may have seen it; if it was the first, another request may now find out the budget."""
        with self._lock:
            self._in_flight -= 1
            self._answered.append(time.monotonic())
            self._probe_out = False


def daily_limit_error(method: str, url: str) -> DailyRateLimitError:
    """What a request gets, unsent, once an answer said the day's quota is spent."""
    return DailyRateLimitError(
        429,
        message=f"daily rate limit spent (X-RateLimit-Daily-Remaining: 0 earlier): {method} {url} was not sent",
        retry_after=None,
        error=None,
        trace_id=None,
        body=b"",
        headers={},
    )


__all__ = ["DailyLimitSpent", "RateBudget", "RateLimiter", "daily_limit_error"]
