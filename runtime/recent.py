"""`RecentObjects`: per-key objects (an agency's location auths, a memory store's location stores) shared while in
use and kept while recently used, so that memory stays bounded however many keys pass through."""

import collections
import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")

DEFAULT_KEPT = 1024
"""How many of the most recently used objects are kept when nothing else holds them."""


class RecentObjects(Generic[V]):
    """`get(key, make)`: the object for `key`, made by `make()` the first time. The same object is returned while
    anything holds it (weak references) or while it is among the `kept` most recently used (strong ones); past
    that it is let go, and the next `get` makes a new one. Thread-safe."""

    def __init__(self, kept: int = DEFAULT_KEPT) -> None:
        self._kept = kept
        self._recent: collections.OrderedDict[str, V] = collections.OrderedDict()
        self._alive: weakref.WeakValueDictionary[str, V] = weakref.WeakValueDictionary()
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], V]) -> V:
        with self._lock:
            value = self._alive.get(key)
            if value is None:
                value = self._alive[key] = make()
            self._recent[key] = value
            self._recent.move_to_end(key)
            while len(self._recent) > self._kept:
                self._recent.popitem(last=False)
            return value

    def values(self) -> list[V]:
        """The objects alive now (a copy: others may be added meanwhile)."""
        return [value for reference in self._alive.valuerefs() if (value := reference()) is not None]


__all__ = ["DEFAULT_KEPT", "RecentObjects"]
