"""`MemoryTokenStore`: the token set in this process's memory, for tests, scripts, or a token set you persist
yourself."""

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from .errors import TokenStoreError
from .recent import RecentObjects
from .token_set import checked


class MemoryTokenStore:
    """The token set in this process's memory. `for_location(id)` is a store of one location's token set, kept
    while something (a LocationOAuth) uses it or while it is among the 1,024 most recently used: memory stays
    bounded however many locations pass through (one let go costs a locationToken call when used again)."""

    def __init__(self, token_set: dict[str, Any] | None, *, name: str = "MemoryTokenStore()") -> None:
        # None: an empty store (a location's, until its first token set is saved)
        self._token_set = None if token_set is None else dict(checked(token_set, "MemoryTokenStore"))
        self._lock = threading.RLock()
        self._name = name
        self._locations: RecentObjects[MemoryTokenStore] = RecentObjects()

    def __repr__(self) -> str:
        return self._name

    def load(self) -> dict[str, Any]:
        token_set = self._token_set
        if token_set is None:
            raise TokenStoreError(f"{self!r}: no token set")
        return dict(token_set)

    def save(self, token_set: dict[str, Any]) -> None:
        self._token_set = dict(token_set)

    def for_location(self, location_id: str) -> "MemoryTokenStore":
        """The store of one location's token set (empty until the first location token is saved)."""
        return self._locations.get(
            location_id, lambda: MemoryTokenStore(None, name=f"MemoryTokenStore(location={location_id!r})")
        )

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return self._held()

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        with self._lock:
            yield


__all__ = ["MemoryTokenStore"]
