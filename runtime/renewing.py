"""The renewal rules every token kind shares, written once: `RenewingAuth`, the httpx.Auth core of HighLevelOAuth
(refresh-token rotation) and LocationOAuth (an agency's location tokens).

- **Due**: a token set is renewed `refresh_margin` seconds before it expires, or half way through its life when
  it lives less than twice the margin (a 120 s token is renewed after 60 s, not on every request).
- **Single flight**: threads of a process wait on one lock, tasks of an event loop on one asyncio lock, and
  processes sharing a store on the store's lock; each re-reads the store under it, so whoever comes second
  uses what the first one got.
- **After a 401**: the token set is renewed once, unless the store already holds another access token than the
  one refused (another thread or process renewed it), and the request is replayed once.
- **Remembered refusals**: a renewal the server refused (400, 401, 403, 404, 422) is raised again for
  `refusal_memory` seconds without asking, and one that may pass (5xx, 429, no answer, a malformed 200) for
  5 s: a thousand requests of a dead credential make one call, not a thousand. A refused refresh leaves the
  access token held in use until it is due; a refused location token ends the location's calls meanwhile.

A kind says where its token set is (`_current`), how a new one is got (`_ask`) and kept (`_keep`), and what a
refusal is remembered by (`_refusal_key`).
"""

import asyncio
import contextlib
import copy
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Generator
from typing import Any

import httpx

from .client import Client
from .errors import APIStatusError, HighLevelError

DEFAULT_REFRESH_MARGIN = 300.0
"""Seconds before expiry at which a request renews the access token first (half the token's life, if less)."""

DEFAULT_REFUSAL_MEMORY = 60.0
"""Seconds a refused renewal (400/401/403/404/422) is answered with the same error again without asking."""

TRANSIENT_MEMORY = 5.0
"""Seconds a renewal failure that may pass (5xx, 429, no answer, a malformed 200) is raised again without asking."""

REFUSAL_STATUSES = frozenset({400, 401, 403, 404, 422})
"""Answers that refuse a renewal for good (until the user acts): remembered `refusal_memory` seconds."""


class RenewingAuth(httpx.Auth):
    """The httpx.Auth flows both token kinds share (see the module's docstring). Subclasses implement `_current`,
    `_ask`, `_keep`, `_refusal_key`, `_store_lock`, `bind`, `location_id` and `secrets`."""

    requires_request_body = False
    requires_response_body = False

    refusal_ends_the_token = False
    """Whether a failed renewal also makes the token held unusable: True for a location (a refusal means the app
    cannot reach it, whatever token is held), False for a refresh (the access token held works until it expires,
    so it is still sent; the failure is raised again only to a call that needs a renewal)."""

    def __init__(self, *, refresh_margin: float, refusal_memory: float) -> None:
        if not refresh_margin >= 0:
            raise ValueError(f"refresh_margin must be a number of seconds >= 0, got {refresh_margin}")
        if not refusal_memory >= 0:
            raise ValueError(f"refusal_memory must be a number of seconds >= 0, got {refusal_memory}")
        self.refresh_margin = refresh_margin
        self.refusal_memory = refusal_memory
        self._held: dict[str, Any] | None = None  # the token set requests are sent with
        self._settings: Client | None = None  # the client whose settings the renewal calls use
        self._lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._refusal: tuple[str, float, HighLevelError] | None = None  # (key, until, the error)

    # what a token kind says --------------------------------------------------------------------------------------

    def _current(self) -> dict[str, Any] | None:
        """The store's token set (None: it has none that can be used, and a new one is asked for)."""
        raise NotImplementedError

    def _pending(self) -> bool:
        """Whether something must be done before the token set held is sent again (a rotation to save first)."""
        return False

    def _refusal_key(self, current: dict[str, Any] | None) -> str:
        """What a refusal of renewing `current` is remembered by."""
        raise NotImplementedError

    def _prepare(self) -> Any:
        """Work done before the store's lock is taken (it must never be waited for while holding that lock)."""
        return None

    def _store_lock(self) -> contextlib.AbstractContextManager[None]:
        """The lock every process sharing the store takes around a renewal."""
        raise NotImplementedError

    def _ask(self, current: dict[str, Any] | None, prepared: Any) -> dict[str, Any]:
        """A new token set from the server (raises a HighLevelError when there is none)."""
        raise NotImplementedError

    def _keep(self, token_set: dict[str, Any]) -> None:
        """Save a new token set to the store."""
        raise NotImplementedError

    # the rules -----------------------------------------------------------------------------------------------

    def bind(self, client: Client) -> None:
        """Called by AuthenticatedClient: renewal calls use the first such client's settings (base URL, timeouts,
        deadline, retry policy)."""
        if self._settings is None:
            self._settings = client

    def _bound(self) -> Client:
        if self._settings is None:
            raise RuntimeError(f"{type(self).__name__} works through AuthenticatedClient(auth=...), which binds it")
        return self._settings

    def expiring(self, token_set: dict[str, Any]) -> bool:
        """Whether `token_set` is due for renewal: within the refresh margin of its expiry, or past half its life
        when it lives less than twice the margin."""
        expires_at: float = token_set["expires_at"]
        margin = self.refresh_margin
        obtained_at = token_set.get("obtained_at")
        if isinstance(obtained_at, int | float) and not isinstance(obtained_at, bool):
            margin = min(margin, (expires_at - obtained_at) / 2)
        return expires_at - margin <= time.time()

    def _due(self, held: dict[str, Any] | None) -> bool:
        return held is None or self._pending() or self.expiring(held)

    def current_token_set(self) -> dict[str, Any]:
        """The token set to send: the one held while it is not due, else the store's, renewed first if due
        (blocking; async code calls it in a thread)."""
        held = self._held
        if not self._due(held):
            assert held is not None
            return held
        with self._lock:
            return self._renew_locked(stale=None)

    def _renew_after_401(self, stale: str) -> dict[str, Any]:
        """A token set whose access token is not `stale`, the one a request was refused with."""
        with self._lock:
            return self._renew_locked(stale=stale)

    def _needs_new(self, token_set: dict[str, Any] | None, stale: str | None) -> bool:
        # After a 401, only the token that was refused is renewed: a newer one (another thread's or process's
        # renewal) is simply used.
        return token_set is None or self.expiring(token_set) or token_set["access_token"] == stale

    def _renew_locked(self, *, stale: str | None) -> dict[str, Any]:
        """Called with this process's lock held: renew unless someone else already has."""
        token_set = self._current()
        if self.refusal_ends_the_token or self._needs_new(token_set, stale):
            self._raise_if_refused(token_set)
        if self._needs_new(token_set, stale):
            prepared = self._prepare()
            with self._store_lock():
                token_set = self._current()  # another process may have renewed while we waited
                if self._needs_new(token_set, stale):
                    token_set = self._renew(token_set, prepared)
        assert token_set is not None
        self._held = token_set
        return token_set

    def _renew(self, current: dict[str, Any] | None, prepared: Any) -> dict[str, Any]:
        try:
            token_set = self._ask(current, prepared)
        except HighLevelError as error:
            refused = isinstance(error, APIStatusError) and error.status_code in REFUSAL_STATUSES
            seconds = self.refusal_memory if refused else min(self.refusal_memory, TRANSIENT_MEMORY)
            self._refusal = (self._refusal_key(current), time.monotonic() + seconds, error)
            if self.refusal_ends_the_token:
                self._held = None  # the token set held is not sent again either
            raise
        self._refusal = None
        self._keep(token_set)
        return token_set

    def _raise_if_refused(self, current: dict[str, Any] | None) -> None:
        refusal = self._refusal
        if refusal is not None and time.monotonic() < refusal[1] and refusal[0] == self._refusal_key(current):
            raise copy.copy(refusal[2])

    # the httpx flows -----------------------------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token_set = self.current_token_set()
        response = yield _authorized(request, token_set)
        if response.status_code == 401:
            token_set = self._renew_after_401(token_set["access_token"])
            yield _authorized(request, token_set)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token_set = self._held
        if self._due(token_set):
            async with self._async_lock():  # tasks queue here, not in threads; the first one renews
                token_set = await asyncio.to_thread(self.current_token_set)
        assert token_set is not None
        response = yield _authorized(request, token_set)
        if response.status_code == 401:
            stale = token_set["access_token"]
            async with self._async_lock():
                token_set = await asyncio.to_thread(self._renew_after_401, stale)
            yield _authorized(request, token_set)

    def _async_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._async_locks.get(loop)
        if lock is None:
            lock = self._async_locks[loop] = asyncio.Lock()
        return lock


def _authorized(request: httpx.Request, token_set: dict[str, Any]) -> httpx.Request:
    request.headers["Authorization"] = f"Bearer {token_set['access_token']}"
    return request


__all__ = ["DEFAULT_REFRESH_MARGIN", "DEFAULT_REFUSAL_MEMORY", "REFUSAL_STATUSES", "TRANSIENT_MEMORY", "RenewingAuth"]
