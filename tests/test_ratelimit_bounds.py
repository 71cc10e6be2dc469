"""X-RateLimit-* values are the server's word, not a size: whatever they say, the limiter's memory, its time per
answer, the Redis server's work and the wait for a slot stay bounded (by the clamps the ratelimit module
documents: 1..10,000 requests per window, a window of 100 ms..1 hour)."""

from __future__ import annotations

import threading
import time
import tracemalloc

import pytest
import redis
from highlevel_contacts import RateBudget
from highlevel_contacts.ratelimit import RateLimiter, RedisRateLimiter

from tests.helpers import learned
from tools.valkey import ValkeyServer

HUGE = "1000000000000"  # 10^12: a deque entry per request would need terabytes


def test_a_huge_max_with_nothing_remaining_costs_little_memory_and_one_window() -> None:
    limiter = learned(RateLimiter(RateBudget(100, 10.0)))
    slot = limiter.acquire(None)
    assert slot
    tracemalloc.start()
    try:
        started = time.monotonic()
        limiter.answered(
            {"X-RateLimit-Max": HUGE, "X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": "300"}, slot
        )
        answered_in = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"answer with Max 10^12, Remaining 0: {peak} bytes peak, {answered_in * 1000:.2f} ms")
    assert peak < 30_000_000
    assert answered_in < 0.5
    assert limiter.budget == RateBudget(10_000, 0.3)  # Max clamped to 10,000
    # The server said the window is full: the next request waits for it to pass (300 ms), and no longer.
    started = time.monotonic()
    assert limiter.acquire(None)
    waited = time.monotonic() - started
    assert 0.25 <= waited < 1.0, waited


@pytest.mark.parametrize(("interval", "window"), [("1000000000000000", 3600.0), ("1", 0.1), ("10000", 10.0)])
def test_the_window_is_clamped_to_100_ms_to_an_hour(interval: str, window: float) -> None:
    limiter = learned(RateLimiter(RateBudget(100, 10.0)))
    _ = limiter.acquire(None)
    limiter.answered({"X-RateLimit-Max": "5", "X-RateLimit-Interval-Milliseconds": interval})
    assert limiter.budget == RateBudget(5, window)


def test_an_absurd_interval_cannot_make_a_request_wait_past_an_hour() -> None:
    limiter = learned(RateLimiter(RateBudget(100, 10.0)))
    slot = limiter.acquire(None)
    assert slot
    limiter.answered(
        {"X-RateLimit-Max": "1", "X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": "9" * 18}, slot
    )
    wait, taken = limiter._take()  # what acquire would sleep before looking again
    assert taken == ""
    assert 3590 < wait <= 3600 * 1.005 + 0.005  # the clamped window and its slack, not 31,000 years


def test_a_huge_max_on_redis_is_one_counter_not_a_loop(valkey: ValkeyServer) -> None:
    limiter = RedisRateLimiter(RateBudget(100, 10.0), valkey.url, "bounds")
    learned(limiter)
    slot = limiter.acquire(None)
    assert slot
    other = redis.Redis.from_url(valkey.url, socket_timeout=10)
    pings: list[float] = []
    stop = threading.Event()

    def ping() -> None:  # another client, all the while
        while not stop.is_set():
            started = time.monotonic()
            other.ping()
            pings.append(time.monotonic() - started)
            time.sleep(0.01)

    pinger = threading.Thread(target=ping)
    pinger.start()
    try:
        time.sleep(0.1)
        limiter.answered(
            {"X-RateLimit-Max": HUGE, "X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": "10000"}, slot
        )
        time.sleep(0.1)
    finally:
        stop.set()
        pinger.join()
    started = time.monotonic()
    assert other.ping()
    pings.append(time.monotonic() - started)
    print(f"PING during and after the answer: max {max(pings) * 1000:.2f} ms over {len(pings)}")
    assert max(pings) < 0.5
    assert limiter.budget == RateBudget(10_000, 10.0)
    # Redis holds the two slots this limiter took and one count for the 9,998 the server saw from elsewhere.
    assert other.zcard("highlevel-contacts:budget:bounds") == 2
    assert other.get("highlevel-contacts:budget-others:bounds") == b"9998"
    assert other.hgetall("highlevel-contacts:learned-budget:bounds") == {b"requests": b"10000", b"window": b"10000"}
    assert limiter.acquire(time.monotonic() + 0.5) is None  # the window is full for the next 10 s
    other.close()
