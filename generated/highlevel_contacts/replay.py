# Vendored from runtime/replay.py by `make generate`: edit that file, never this copy.
"""Replay guards for webhooks: each `webhookId` accepted once while a delivery bearing it could still pass the
timestamp check. `webhooks.verify(..., replay_guard=guard)` asks `guard.first_sighting(webhook_id, ttl)` only
after a delivery's signature and timestamp are good (a forged copy cannot burn a real id); the guard answers True
the first time and False for every later sighting until `ttl` seconds have passed. A receiver that verified a
delivery but then fails to take it (and answers 5xx, so HighLevel retries) calls `guard.forget(webhook_id)`:
otherwise the retry would be refused as a replay and the change lost.

- `MemoryReplayGuard`: one process (thread-safe); entries expire after their ttl; at most `max_entries` kept.
- `RedisReplayGuard`: every receiver that shares the Redis server (`SET key 1 NX EX ttl`: atomic, so two
  receivers given the same delivery at once accept it once). Needs the `redis` extra. A Redis that cannot answer
  raises `RedisUnavailableError`: the delivery is refused (HighLevel delivers it again), never let through.
"""

import heapq
import math
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from .redis_backend import redis_client, unavailable

DEFAULT_MAX_ENTRIES = 1_000_000
DEFAULT_PREFIX = "highlevel:webhook:"


class ReplayGuard(Protocol):
    def first_sighting(self, webhook_id: str, ttl: float) -> bool:
        """True the first time `webhook_id` is seen within `ttl` seconds, False after; thread-safe."""
        ...

    def forget(self, webhook_id: str) -> None:
        """Let `webhook_id` be accepted again: for a receiver that verified a delivery but could not take it (it
        answers 5xx, so HighLevel delivers it again, and that copy must not be refused as a replay)."""
        ...


def _checked_ttl(ttl: object) -> float:
    if not isinstance(ttl, int | float) or isinstance(ttl, bool) or not math.isfinite(ttl) or ttl <= 0:
        raise ValueError(f"ttl must be a finite number of seconds > 0, got {ttl!r}")
    return float(ttl)


class MemoryReplayGuard:
    """The webhook ids seen by this process, each forgotten `ttl` seconds after it was recorded. At most
    `max_entries` are kept: past that the one closest to expiry is dropped first (at HighLevel's 5 minutes, that
    many ids is thousands of deliveries a second)."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not isinstance(max_entries, int) or isinstance(max_entries, bool) or max_entries < 1:
            raise ValueError(f"max_entries must be a whole number >= 1, got {max_entries!r}")
        self._max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._expiry: dict[str, float] = {}
        self._queue: list[tuple[float, str]] = []  # (expiry, id), a heap: the next to expire first

    def __len__(self) -> int:
        with self._lock:
            self._forget_expired(self._clock())
            return len(self._expiry)

    def _forget_expired(self, now: float) -> None:
        while self._queue and (self._queue[0][0] <= now or len(self._expiry) > self._max_entries):
            expiry, webhook_id = heapq.heappop(self._queue)
            if self._expiry.get(webhook_id) == expiry:
                del self._expiry[webhook_id]

    def first_sighting(self, webhook_id: str, ttl: float) -> bool:
        seconds = _checked_ttl(ttl)
        with self._lock:
            now = self._clock()
            self._forget_expired(now)
            if webhook_id in self._expiry:
                return False
            expiry = now + seconds
            self._expiry[webhook_id] = expiry
            heapq.heappush(self._queue, (expiry, webhook_id))
            self._forget_expired(now)  # past max_entries: the closest to expiry goes
            return True

    def forget(self, webhook_id: str) -> None:
        with self._lock:
            self._expiry.pop(webhook_id, None)  # its heap entry no longer matches: dropped when it comes up

    def __repr__(self) -> str:
        return f"MemoryReplayGuard(max_entries={self._max_entries})"


class RedisReplayGuard:
    """The webhook ids seen by any receiver sharing this Redis: `SET <prefix><id> 1 NX EX <ttl>`. `url` (a
    `redis://` URL) or `client` (a redis-py Redis)."""

    def __init__(self, url: str | None = None, *, client: Any = None, prefix: str = DEFAULT_PREFIX) -> None:
        if (url is None) == (client is None):
            raise ValueError("give either url (a redis:// URL) or client (a redis-py Redis), not both or neither")
        if not isinstance(prefix, str) or not prefix:
            raise ValueError("prefix must be a non-empty str")
        if client is not None and type(client).__module__.startswith("redis.asyncio"):
            raise TypeError("client must be a blocking redis-py Redis, not a redis.asyncio one: verify() is sync")
        self._redis = redis_client(url) if url is not None else client
        self._prefix = prefix

    def first_sighting(self, webhook_id: str, ttl: float) -> bool:
        seconds = max(1, math.ceil(_checked_ttl(ttl)))  # EX takes whole seconds: rounded up, never shorter
        try:
            stored = self._redis.set(self._prefix + webhook_id, b"1", nx=True, ex=seconds)
        except Exception as error:  # redis-py's errors: refused, timed out, reset, a server error
            failure = unavailable(self._redis, error)
        else:
            if stored is True or stored is None:  # SET NX answers OK (set) or nil (there already)
                return stored is True
            raise TypeError(
                f"the Redis client answered SET with {type(stored).__name__}: not a blocking redis-py Redis"
            )
        raise failure

    def forget(self, webhook_id: str) -> None:
        try:
            self._redis.delete(self._prefix + webhook_id)
        except Exception as error:
            failure = unavailable(self._redis, error)
        else:
            return
        raise failure

    def __repr__(self) -> str:
        return f"RedisReplayGuard(prefix={self._prefix!r})"


__all__ = ["DEFAULT_MAX_ENTRIES", "DEFAULT_PREFIX", "MemoryReplayGuard", "RedisReplayGuard", "ReplayGuard"]
