# Vendored from runtime/redis_store.py by `make generate`: edit that file, never this copy.
"""`RedisTokenStore`: the token set in Redis (or Valkey), shared by processes on any number of machines. Needs the
optional extra `highlevel-contacts[redis]`."""

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import TokenStoreError
from .redis_backend import describe, redis_client, unavailable
from .token_set import DEFAULT_LOCK_TIMEOUT, checked, parse_json_document

if TYPE_CHECKING:
    import redis

T = TypeVar("T")


class RedisTokenStore:
    """The token set in Redis (or Valkey) at `key`, as the same JSON document as FileTokenStore's file, so a user
    seeds it with one `SET key '<json>'` and can move between the two. Refreshing happens under a Redis lock
    (`<key>:lock`) that expires after `lock_ttl` seconds, so any number of processes on any number of machines
    refresh once between them, and one that dies holding the lock blocks the others for `lock_ttl` at most.
    A server that cannot be reached raises RedisUnavailableError (a HighLevelError, whose cause is redis-py's
    error): never a hang. Needs the optional extra `highlevel-contacts[redis]`."""

    def __init__(
        self,
        url: str,
        *,
        key: str = "highlevel-contacts:token",
        lock_ttl: float = 60.0,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self._redis = redis_client(url)
        self.key = key
        self.lock_ttl = lock_ttl
        self.lock_timeout = lock_timeout
        self.refreshable = True  # False for a location's token set, which has no refresh token

    @classmethod
    def _sharing(cls, parent: "RedisTokenStore", key: str) -> "RedisTokenStore":
        """A store at `key` on `parent`'s server, through its connection pool, for a location's token set."""
        store = cls.__new__(cls)
        store._redis, store.key = parent._redis, key
        store.lock_ttl, store.lock_timeout, store.refreshable = parent.lock_ttl, parent.lock_timeout, False
        return store

    def __repr__(self) -> str:
        return f"RedisTokenStore({describe(self._redis)!r}, key={self.key!r})"

    def for_location(self, location_id: str) -> "RedisTokenStore":
        """The store of one location's token set: the key `<key>:location:<id>` on the same server (and the
        same connection pool), with its own lock."""
        return RedisTokenStore._sharing(self, f"{self.key}:location:{location_id}")

    def _redis_errors(self) -> type[Exception]:
        import redis

        return redis.RedisError

    def _command(self, command: Callable[[], T]) -> T:
        """`command()`, a redis-py call; RedisUnavailableError (whose cause is redis-py's error) if it fails."""
        try:
            return command()
        except self._redis_errors() as error:
            failure = unavailable(self._redis, error)
        raise failure  # outside the except block: the unredacted error must not ride along as its __context__

    def load(self) -> dict[str, Any]:
        raw = self._command(lambda: self._redis.get(self.key))
        if raw is None:
            raise TokenStoreError(
                f"{self!r}: no token set; seed it with SET {self.key} followed by the JSON body of your first "
                "authorization-code exchange plus expires_at"
            )
        return checked(parse_json_document(raw, repr(self)), repr(self), refreshable=self.refreshable)

    def save(self, token_set: dict[str, Any]) -> None:
        self._command(lambda: self._redis.set(self.key, json.dumps(token_set, sort_keys=True)))

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return self._held()

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        lock: redis.lock.Lock = self._redis.lock(
            f"{self.key}:lock", timeout=self.lock_ttl, blocking_timeout=self.lock_timeout
        )
        acquired = self._command(lock.acquire)
        if not acquired:
            raise TokenStoreError(f"{self!r}: another process held the refresh lock for {self.lock_timeout} s")
        try:
            yield
        finally:
            with contextlib.suppress(self._redis_errors()):  # expired (held past lock_ttl) or Redis gone: it frees
                lock.release()


__all__ = ["RedisTokenStore"]
