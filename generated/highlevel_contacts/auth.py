# Vendored from runtime/auth.py by `make generate`: edit that file, never this copy.
"""OAuth access tokens that refresh themselves: `HighLevelOAuth` (an `httpx.Auth`) and the stores it keeps the
token set in.

    from highlevel_contacts import AuthenticatedClient
    from highlevel_contacts.auth import FileTokenStore, HighLevelOAuth

    oauth = HighLevelOAuth(client_id=..., client_secret=..., store=FileTokenStore("token.json"))
    client = AuthenticatedClient(base_url="https://services.leadconnectorhq.com", auth=oauth)

The token set is the token endpoint's 200 body as received, plus `expires_at` (Unix seconds, computed on
receipt). A request made when the access token expires within `refresh_margin` refreshes first; a 401 to a
request sent with the token the store still holds refreshes once and replays the request once. Refreshing is
single flight: threads and tasks of a process wait for one refresh (a lock), processes sharing a store wait for
one refresh (the store's lock), and each re-reads the store before refreshing, so whoever comes second uses the
token the first one got. HighLevel rotates the refresh token on every use, so the new token set is saved to the
store before its access token is used; a refresh token is never sent twice.

This module calls the spec's POST /oauth/token operation (`api.oauth.get_access_token`): it is vendored with the
rest of the runtime but only works in a package generated from a spec that has that operation.
"""

import asyncio
import contextlib
import copy
import fcntl
import hashlib
import json
import logging
import math
import os
import re
import tempfile
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Generator, Iterator
from pathlib import Path
from typing import Any, Protocol, cast

import httpx

from .api.oauth import get_access_token, get_location_access_token
from .client import Client
from .errors import (
    APIConnectionError,
    HighLevelError,
    LocationTokenError,
    MalformedResponseError,
    TokenRefreshError,
    TokenStoreError,
    location_token_error,
    token_refresh_error,
)
from .models import GetAccessTokenRequest, GetLocationAccessTokenRequest
from .redis_backend import describe, redis_client, unavailable
from .types import UNSET
from .validation import check_header

logger = logging.getLogger(__package__)

DEFAULT_REFRESH_MARGIN = 300.0
"""Seconds before expiry at which a request refreshes the access token first."""

DEFAULT_LOCK_TIMEOUT = 180.0
"""Seconds a refresh waits for another process's refresh of the same store before giving up."""

DEFAULT_REFUSAL_MEMORY = 60.0
"""Seconds a location whose token was refused (400/401/422) answers that error again without asking."""

_TRANSIENT_MEMORY = 5.0  # the same for a failure that may pass (5xx, no answer, a malformed 200)
_ASSUMED_LOCATION_TOKEN_LIFETIME = 3600.0  # for a location token answered without a usable expires_in

_TOKENS = ("access_token", "refresh_token")
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")  # what a bearer token may be made of
_LOCATION_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")  # what a location id is made of (it names a file or key)
_LONGEST_LIFETIME = 366 * 86400.0  # an expires_in past a year is not believed


class TokenStore(Protocol):
    """Where a token set lives between requests and processes. Implement it to keep the token set in a
    database row or a secrets manager: `load` returns the document (raise `TokenStoreError` when there is
    none), `save` replaces it atomically (raise `TokenStoreError` when it could not), and `lock` is held around a
    refresh, across every process that shares the store (a row lock, an advisory lock)."""

    def load(self) -> dict[str, Any]: ...

    def save(self, token_set: dict[str, Any]) -> None: ...

    def lock(self) -> contextlib.AbstractContextManager[None]: ...


def is_agency_token_set(token_set: dict[str, Any]) -> bool:
    """Whether a token set is an agency's (userType Company, or none given, with a companyId): what
    HighLevelOAuth.for_location needs."""
    company = token_set.get("companyId")
    return token_set.get("userType") in (None, "Company") and isinstance(company, str) and bool(company)


def is_location_id(value: object) -> bool:
    """Whether `value` can be a location id: letters, digits, `_` and `-`, at most 128 (it names a file or key)."""
    return isinstance(value, str) and _LOCATION_ID.fullmatch(value) is not None


class AgencyTokenStore(TokenStore, Protocol):
    """A TokenStore that can also keep one token set per location of an agency (all three stores here can):
    `for_location(location_id)` is that location's store, which holds a location token set (no refresh token)
    and is empty until the first one is saved."""

    def for_location(self, location_id: str) -> TokenStore: ...


def _checked(token_set: object, source: str, *, refreshable: bool = True) -> dict[str, Any]:
    """The token set, if it has what a refresh (`refreshable`: a refresh token) and a request need;
    TokenStoreError naming `source` if not."""
    if not isinstance(token_set, dict):
        raise TokenStoreError(f"{source}: the token set must be a JSON object, got {type(token_set).__name__}")
    for name in _TOKENS if refreshable else ("access_token",):
        value = token_set.get(name)
        if not isinstance(value, str) or not value:
            raise TokenStoreError(f"{source}: the token set has no {name} (a non-empty string)")
        try:
            check_header(name, value)
        except ValueError as error:
            raise TokenStoreError(f"{source}: {error}") from None
    expires_at = token_set.get("expires_at")
    try:
        finite = not isinstance(expires_at, bool) and isinstance(expires_at, int | float) and math.isfinite(expires_at)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise TokenStoreError(
            f"{source}: the token set has no expires_at (Unix seconds); seed it with the token endpoint's body "
            "plus expires_at, or with expires_at 0 to refresh on first use"
        )
    return token_set


class MemoryTokenStore:
    """The token set in this process's memory: for tests, scripts, or a token set you persist yourself."""

    def __init__(self, token_set: dict[str, Any]) -> None:
        self._token_set: dict[str, Any] | None = dict(_checked(token_set, "MemoryTokenStore"))
        self._lock = threading.RLock()
        self._name = "MemoryTokenStore()"
        self._locations: dict[str, MemoryTokenStore] = {}

    def __repr__(self) -> str:
        return self._name

    def load(self) -> dict[str, Any]:
        if self._token_set is None:
            raise TokenStoreError(f"{self!r}: no token set")
        return dict(self._token_set)

    def save(self, token_set: dict[str, Any]) -> None:
        self._token_set = dict(token_set)

    def for_location(self, location_id: str) -> "MemoryTokenStore":
        """The store of one location's token set (empty until the first location token is saved)."""
        with self._lock:
            store = self._locations.get(location_id)
            if store is None:
                store = MemoryTokenStore.__new__(MemoryTokenStore)
                store._token_set, store._lock, store._locations = None, threading.RLock(), {}
                store._name = f"MemoryTokenStore(location={location_id!r})"
                self._locations[location_id] = store
            return store

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return self._lock_held()

    @contextlib.contextmanager
    def _lock_held(self) -> Iterator[None]:
        with self._lock:
            yield


class FileTokenStore:
    """The token set in a JSON file (mode 0600), written atomically (temporary file, fsync, rename), with a lock
    file beside it (`<path>.lock`, flock) so that processes sharing the file refresh once between them. Seed the
    file with the JSON body of your first authorization-code exchange plus `expires_at`."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self._refreshable = True  # a location's token set has no refresh token

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def for_location(self, location_id: str) -> "FileTokenStore":
        """The store of one location's token set: a file beside this one, `<stem>.location-<id><suffix>`
        (`token.json` -> `token.location-l1C08ntBrFjLS0elLIYU.json`), with its own lock file."""
        name = f"{self.path.stem}.location-{location_id}{self.path.suffix}"
        store = FileTokenStore(self.path.with_name(name), lock_timeout=self.lock_timeout)
        store._refreshable = False
        return store

    def load(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise TokenStoreError(
                f"{self.path}: no token set; seed the file with the JSON body of your first authorization-code "
                "exchange plus expires_at (see the README's OAuth section)"
            ) from None
        except OSError as error:
            raise TokenStoreError(f"{self.path}: cannot read the token set ({type(error).__name__})") from error
        except ValueError:  # UnicodeDecodeError
            raise TokenStoreError(f"{self.path}: the token set is not UTF-8 text") from None
        try:
            token_set = json.loads(text)
        except (ValueError, RecursionError):
            raise TokenStoreError(f"{self.path}: the token set is not valid JSON") from None
        return _checked(token_set, str(self.path), refreshable=self._refreshable)

    def save(self, token_set: dict[str, Any]) -> None:
        directory = self.path.parent
        data = json.dumps(token_set, indent=2, sort_keys=True).encode("utf-8") + b"\n"
        temporary: str | None = None
        try:
            descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
            with os.fdopen(descriptor, "wb") as file:
                os.fchmod(file.fileno(), 0o600)
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
            temporary = None
            directory_descriptor = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(directory_descriptor)  # the rename itself survives a crash
            finally:
                os.close(directory_descriptor)
        except OSError as error:
            raise TokenStoreError(
                f"{self.path}: cannot save the token set ({type(error).__name__}); the file keeps the previous one"
            ) from error
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return self._lock_held()

    @contextlib.contextmanager
    def _lock_held(self) -> Iterator[None]:
        try:
            descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise TokenStoreError(f"{self.lock_path}: cannot open the lock file ({type(error).__name__})") from error
        try:
            give_up_at = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= give_up_at:
                        raise TokenStoreError(
                            f"{self.lock_path}: another process held the refresh lock for {self.lock_timeout} s"
                        ) from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)


class _RenewingAuth(httpx.Auth):
    """The httpx.Auth flows both token kinds share: send the token held (renewed first when due, single flight:
    one thread or task renews, the others wait and use what it got), and on a 401 renew once (unless another
    request already did) and replay. Subclasses say when a renewal is due and how it is done."""

    requires_request_body = False
    requires_response_body = False

    def __init__(self) -> None:
        self._cached: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def _due(self, token_set: dict[str, Any]) -> bool:
        """Whether the token set held cannot be sent as it is (expiring, or something to do first)."""
        raise NotImplementedError

    def _fresh(self) -> dict[str, Any]:
        """The token set to send, renewed first when due (blocking; called in a thread from async code)."""
        raise NotImplementedError

    def _renew_after_401(self, stale: str) -> dict[str, Any]:
        """A token set other than `stale`, the access token a request was refused with."""
        raise NotImplementedError

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token_set = self._fresh()
        response = yield _authorized(request, token_set)
        if response.status_code == 401:
            token_set = self._renew_after_401(token_set["access_token"])
            yield _authorized(request, token_set)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token_set = self._cached
        if token_set is None or self._due(token_set):
            async with self._async_lock():  # tasks queue here, not in threads; the first one renews
                token_set = await asyncio.to_thread(self._fresh)
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


class HighLevelOAuth(_RenewingAuth):
    """Sends HighLevel's OAuth access token, refreshing it before expiry and once on a 401. See the module's
    docstring; pass it as `AuthenticatedClient(base_url=..., auth=HighLevelOAuth(...))`. One instance may serve
    any number of clients, threads and tasks; the token endpoint is called through the first client's settings
    (base URL, timeouts, deadline, retry policy)."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        store: TokenStore,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
    ) -> None:
        for name, value in (("client_id", client_id), ("client_secret", client_secret)):
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a str, got {type(value).__name__}")
            if not value or value != value.strip():
                raise ValueError(f"{name} must be non-empty, without leading or trailing whitespace")
        if not refresh_margin >= 0:
            raise ValueError(f"refresh_margin must be a number of seconds >= 0, got {refresh_margin}")
        super().__init__()
        self.client_id = client_id
        self._client_secret = client_secret
        self.store = store
        self.refresh_margin = refresh_margin
        self._unsaved: dict[str, Any] | None = None  # a rotated token set the store refused: saved before use
        self._settings: Client | None = None
        self._locations: dict[str, LocationOAuth] = {}
        # (digest of a refresh token the token endpoint refused, until when, the error): not sent again meanwhile
        self._refresh_refused: tuple[str, float, TokenRefreshError] | None = None

    def __repr__(self) -> str:
        return f"HighLevelOAuth(client_id={self.client_id!r}, store={self.store!r})"

    def for_location(self, location_id: str) -> "LocationOAuth":
        """An httpx.Auth for one location of this agency (Company) token set: use it as
        `AuthenticatedClient(base_url=..., auth=agency.for_location(location_id))`. The same object is returned
        for the same location, so every client of a location shares its token.

        Raises:
            ValueError: `location_id` is not a location id (letters, digits, `_`, `-`; at most 128).
            TypeError: the store cannot keep location tokens (it has no `for_location`).
        """
        if not is_location_id(location_id):
            raise ValueError(f"location_id must be a location id (letters, digits, _ and -), got {location_id!r}")
        if not callable(getattr(self.store, "for_location", None)):
            raise TypeError(f"{self.store!r} cannot keep location tokens: it needs for_location(location_id)")
        with self._lock:
            location = self._locations.get(location_id)
            if location is None:
                store = cast(AgencyTokenStore, self.store).for_location(location_id)
                location = self._locations[location_id] = LocationOAuth(self, location_id, store)
            return location

    def company_id(self) -> str | None:
        """The token set's companyId (an agency token set's company), as the store holds it."""
        company = self.store.load().get("companyId")
        return company if isinstance(company, str) and company else None

    def bind(self, client: Client) -> None:
        """Called by AuthenticatedClient: the token endpoint is reached with the first such client's settings."""
        if self._settings is None:
            self._settings = client

    def location_id(self) -> str | None:
        """The token set's locationId (the key of a shared rate budget), as the store holds it."""
        location = self.store.load().get("locationId")
        return location if isinstance(location, str) and location else None

    def secrets(self) -> tuple[str, ...]:
        """What must never appear in an error or a log line: the client secret, the tokens held, and the access
        tokens of its locations (for_location)."""
        held = [self._cached, self._unsaved]
        tokens = [str(token_set[name]) for token_set in held if token_set for name in ("access_token", "refresh_token")]
        # dict.copy() is atomic: another thread's for_location() cannot change the dict during it (no lock: this
        # runs inside refreshes that hold this object's lock)
        located = [location._cached for location in self._locations.copy().values()]
        return (self._client_secret, *tokens, *(str(token_set["access_token"]) for token_set in located if token_set))

    # the refresh ---------------------------------------------------------------------------------------------

    def _due(self, token_set: dict[str, Any]) -> bool:
        return self._unsaved is not None or self._expiring(token_set)

    def _expiring(self, token_set: dict[str, Any]) -> bool:
        expires_at: float = token_set["expires_at"]
        return expires_at - self.refresh_margin <= time.time()

    def _fresh(self) -> dict[str, Any]:
        """The token set to send: the one held while it is not expiring, else the store's, refreshed if due."""
        token_set = self._cached
        if token_set is not None and self._unsaved is None and not self._expiring(token_set):
            return token_set
        with self._lock:
            return self._refresh_locked(stale=None)

    def _renew_after_401(self, stale: str) -> dict[str, Any]:
        with self._lock:
            return self._refresh_locked(stale=stale)

    def _current(self) -> dict[str, Any]:
        """The store's token set, after saving a rotated one that an earlier save failed to keep."""
        if self._unsaved is not None:
            self.store.save(self._unsaved)
            self._unsaved = None
        return self.store.load()

    def _needs_refresh(self, token_set: dict[str, Any], stale: str | None) -> bool:
        # After a 401, only the token that was refused is refreshed: a newer one (another thread's or process's
        # refresh) is simply used.
        return self._expiring(token_set) or (stale is not None and token_set["access_token"] == stale)

    def _refresh_locked(self, *, stale: str | None) -> dict[str, Any]:
        """Called with this process's lock held: refresh unless someone else already has."""
        token_set = self._current()
        if self._needs_refresh(token_set, stale):
            with self.store.lock():  # every process sharing the store
                token_set = self._current()  # another process may have refreshed while we waited
                if self._needs_refresh(token_set, stale):
                    token_set = self._rotate(token_set)
        self._cached = token_set
        return token_set

    def _rotate(self, token_set: dict[str, Any]) -> dict[str, Any]:
        """Spend the refresh token for a new token set, and save that before anything uses it. A refused refresh
        token is not sent again for DEFAULT_REFUSAL_MEMORY seconds: its refusal is raised again instead."""
        digest = hashlib.sha256(str(token_set["refresh_token"]).encode()).hexdigest()
        refused = self._refresh_refused
        if refused is not None and refused[0] == digest and time.monotonic() < refused[1]:
            raise copy.copy(refused[2])
        try:
            rotated = self._request_token_set(token_set)
        except TokenRefreshError as error:
            self._refresh_refused = (digest, time.monotonic() + DEFAULT_REFUSAL_MEMORY, error)
            raise
        try:
            self.store.save(rotated)
        except Exception:
            # The old refresh token is spent: this set is the only way back in. Keep it, and save it first on the
            # next call; this call fails, so that the caller learns the store is not keeping up.
            self._unsaved = rotated
            raise
        logger.info("refreshed the OAuth access token through %r (valid %d s)", self.store, rotated["expires_in"])
        return rotated

    def _request_token_set(self, token_set: dict[str, Any]) -> dict[str, Any]:
        if self._settings is None:
            raise RuntimeError("HighLevelOAuth works through AuthenticatedClient(auth=...), which binds it")
        # A client of its own for each refresh (once a day): no idle connection is left open between refreshes.
        with self._settings.without_auth() as client:
            return self._exchange(client, token_set)

    def _exchange(self, client: Client, token_set: dict[str, Any]) -> dict[str, Any]:
        user_type = token_set.get("userType")
        body = GetAccessTokenRequest(
            client_id=self.client_id,
            client_secret=self._client_secret,
            grant_type="refresh_token",
            refresh_token=token_set["refresh_token"],
            user_type=user_type if user_type in ("Company", "Location") else UNSET,
        )
        policy = client.retry_policy
        attempt, waited = 1, 0.0
        response: Any = None
        while True:
            try:
                response = get_access_token.sync_detailed(client=client, body=body)
                answer = response.content
                break
            except APIConnectionError as error:
                # Only a failure to connect proves the refresh token was not sent. After it was sent, the server
                # may have rotated it already: sending it again would answer invalid_grant for good.
                cause = error.__cause__
                unsent = isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout)
                wait = (
                    policy.next_wait(attempt, cause, waited)
                    if unsent and policy and isinstance(cause, Exception)
                    else None
                )
                if wait is None:
                    raise
                time.sleep(wait)
                attempt, waited = attempt + 1, waited + wait
            except MalformedResponseError as error:
                # A 200 whose body is not quite the spec's token set: the refresh token sent is spent all the same,
                # so whatever tokens it carries must be kept. The error quotes the body, so it is neither raised
                # nor chained: the body is read after this block.
                answer = error.body
                break
        if response is not None and response.status_code != 200:
            raise token_refresh_error(response, self.secrets())
        return self._received(answer)

    @staticmethod
    def _received(body: bytes) -> dict[str, Any]:
        """The 200 body as received, plus expires_at. Lenient on purpose: the old refresh token is spent, so a
        body that carries a new access and refresh token is kept whatever else is odd about it (an expires_in
        that is missing or absurd makes the set expire at once, so the next call refreshes it)."""
        received_at = time.time()
        token_set: Any = None
        with contextlib.suppress(ValueError, RecursionError):
            # raw_decode: a JSON object followed by stray bytes still yields the object
            token_set, _ = json.JSONDecoder().raw_decode(body.decode("utf-8", errors="replace").lstrip())
        tokens = [token_set.get(name) if isinstance(token_set, dict) else None for name in _TOKENS]
        if not all(isinstance(token, str) and token and _HEADER_SAFE.fullmatch(token) for token in tokens):
            raise TokenRefreshError(
                200,
                message="the token endpoint answered 200 without a usable access_token and refresh_token; the "
                "refresh token sent may be spent: authorize the app again if the next call fails too",
                error=None,
                trace_id=None,
                body=b"",  # it may hold secrets
                headers={},
            )
        assert isinstance(token_set, dict)
        expires_in = token_set.get("expires_in")
        lifetime = 0.0
        if isinstance(expires_in, int | float) and not isinstance(expires_in, bool) and expires_in > 0:
            # a whole number too large for a float is past any believable lifetime too
            lifetime = _LONGEST_LIFETIME if expires_in > _LONGEST_LIFETIME else float(expires_in)
        token_set["expires_at"] = received_at + (lifetime if math.isfinite(lifetime) else 0.0)
        return token_set


class LocationOAuth(_RenewingAuth):
    """Sends an access token for one location of an agency, obtained with the agency's (Company) token set:
    `HighLevelOAuth.for_location(location_id)` makes it; pass it as `AuthenticatedClient(auth=...)`.

    The location token is asked for (`POST /oauth/locationToken`, `api.oauth.get_location_access_token`) on
    first use, kept in the agency store's entry for the location (`store.for_location(id)`: the same JSON
    document form, plus `expires_at`) and reused until it comes within the refresh margin of expiry. Asking is
    single flight like a refresh: one call per location per expiry for every thread and task of a process, and
    for every process sharing the store (its lock; the entry is read again under it). The agency's access token
    is refreshed first when it is the one expiring (HighLevelOAuth's rules: single flight, rotation never lost).
    A 401 from a request sent with the location token asks for a new one once and replays the request. A
    refusal (400: app not installed at the location, or the location not active; 401: the agency token may not
    reach it or lacks oauth.write; 422) raises errors.LocationTokenError naming the location; for
    `refusal_memory` seconds the location's calls raise it again without asking. Nothing of the agency's token
    set changes then. A failure that may pass (5xx, 429, no answer, a malformed 200) is remembered 5 s."""

    def __init__(
        self,
        agency: HighLevelOAuth,
        location_id: str,
        store: TokenStore,
        *,
        refusal_memory: float = DEFAULT_REFUSAL_MEMORY,
    ) -> None:
        super().__init__()
        self.agency = agency
        self.store = store
        self.refusal_memory = refusal_memory
        self._location_id = location_id
        self._refused: tuple[float, HighLevelError] | None = None  # (until, the error)
        self._settings: Client | None = None

    def __repr__(self) -> str:
        return f"LocationOAuth(location_id={self._location_id!r}, store={self.store!r})"

    def bind(self, client: Client) -> None:
        """Called by AuthenticatedClient: locationToken (and the agency's refresh, unless the agency is bound
        already) is reached with the first such client's settings."""
        if self._settings is None:
            self._settings = client
        self.agency.bind(client)

    def location_id(self) -> str:
        """The location (the key of its rate budget: HighLevel counts per location)."""
        return self._location_id

    def secrets(self) -> tuple[str, ...]:
        """The agency's secrets, the location tokens held among them."""
        return self.agency.secrets()

    # the location token --------------------------------------------------------------------------------------

    def _due(self, token_set: dict[str, Any]) -> bool:
        return self._refused is not None or self._expiring(token_set)

    def _expiring(self, token_set: dict[str, Any]) -> bool:
        expires_at: float = token_set["expires_at"]
        margin = self.agency.refresh_margin
        obtained_at = token_set.get("obtained_at")
        if isinstance(obtained_at, int | float) and not isinstance(obtained_at, bool):
            # A token that lives less than twice the margin is renewed half way through, not on every use.
            margin = min(margin, (expires_at - obtained_at) / 2)
        return expires_at - margin <= time.time()

    def _fresh(self) -> dict[str, Any]:
        self._raise_if_refused()
        token_set = self._cached
        if token_set is not None and not self._expiring(token_set):
            return token_set
        with self._lock:
            return self._renew_locked(stale=None)

    def _renew_after_401(self, stale: str) -> dict[str, Any]:
        with self._lock:
            return self._renew_locked(stale=stale)

    def _stored(self) -> dict[str, Any] | None:
        """The store's location token set; None when it has none (or one that cannot be used: it is replaced)."""
        try:
            return self.store.load()
        except TokenStoreError:
            return None

    def _needs_new(self, token_set: dict[str, Any] | None, stale: str | None) -> bool:
        return token_set is None or self._expiring(token_set) or token_set["access_token"] == stale

    def _raise_if_refused(self) -> None:
        refused = self._refused
        if refused is not None:
            until, refusal = refused
            if time.monotonic() < until:
                raise copy.copy(refusal)

    def _remember(self, failure: HighLevelError, seconds: float) -> None:
        """This location's calls raise `failure` for `seconds` without asking again; the token held is dropped."""
        self._refused = (time.monotonic() + seconds, failure)
        self._cached = None

    def _renew_locked(self, *, stale: str | None) -> dict[str, Any]:
        """Called with this process's lock held: ask for a location token unless someone else already has."""
        self._raise_if_refused()
        self._refused = None
        token_set = self._stored()
        if self._needs_new(token_set, stale):
            # The agency's token set first, outside the location store's lock: a refresh takes the agency's locks,
            # which must never be waited for while holding a location's (a store may share one lock for both).
            agency_set = self._agency_set()
            with self.store.lock():  # every process sharing the store
                token_set = self._stored()  # another process may have asked while we waited
                if self._needs_new(token_set, stale):
                    token_set = self._ask(agency_set)
                    self._cached = token_set  # usable even if the store cannot keep it
                    try:
                        self.store.save(token_set)
                    except TokenStoreError as error:
                        # Nothing is lost (another token can be asked for), but other processes cannot share it.
                        logger.warning("could not keep the token of location %s: %s", self._location_id, error)
                    logger.info(
                        "got an access token for location %s (valid %d s)",
                        self._location_id,
                        max(0, round(token_set["expires_at"] - time.time())),
                    )
        assert token_set is not None
        self._cached = token_set
        return token_set

    def _agency_set(self) -> dict[str, Any]:
        """The agency's token set, checked to be one, then refreshed if due."""
        if not is_agency_token_set(self.agency.store.load()):
            raise TokenStoreError(
                f"{self.agency.store!r}: a location token needs an agency token set (userType Company, with a "
                "companyId); this one is not"
            )
        return self.agency._fresh()

    def _ask(self, agency_set: dict[str, Any]) -> dict[str, Any]:
        """A new location token set from locationToken, with the agency's access token."""
        if self._settings is None:
            raise RuntimeError("LocationOAuth works through AuthenticatedClient(auth=...), which binds it")
        company = str(agency_set.get("companyId"))
        try:
            # A 401 here is not answered with a refresh of the agency's token: HighLevel answers 401 for a location
            # the token may not reach as well as for a token without oauth.write, and the agency's token set must
            # stay as it was (its proactive refresh keeps it from expiring).
            response = self._request(agency_set["access_token"], company)
        except (APIConnectionError, LocationTokenError) as error:
            self._remember(error, min(self.refusal_memory, _TRANSIENT_MEMORY))
            raise
        if response.status_code != 200:
            refusal = location_token_error(response, self._location_id, self.secrets())
            refused = response.status_code in (400, 401, 403, 404, 422)
            self._remember(refusal, self.refusal_memory if refused else min(self.refusal_memory, _TRANSIENT_MEMORY))
            raise refusal
        try:
            return self._received(response.content)
        except LocationTokenError as error:
            self._remember(error, min(self.refusal_memory, _TRANSIENT_MEMORY))
            raise

    def _request(self, agency_token: str, company_id: str) -> Any:
        assert self._settings is not None
        body = GetLocationAccessTokenRequest(company_id=company_id, location_id=self._location_id)
        # A client of its own for each call (once a day per location): no idle connection is left open.
        with self._settings.with_token(agency_token) as client:
            policy = client.retry_policy
            attempt, waited = 1, 0.0
            while True:
                try:
                    return get_location_access_token.sync_detailed(client=client, body=body)
                except APIConnectionError as error:
                    # Asking again is harmless (another token for the location), so any failure is retried.
                    cause = error.__cause__
                    wait = policy.next_wait(attempt, cause, waited) if policy and isinstance(cause, Exception) else None
                    if wait is None:
                        raise
                    time.sleep(wait)
                    attempt, waited = attempt + 1, waited + wait
                except MalformedResponseError:
                    # The error quotes the body, which may hold the token: it is neither raised nor chained, and
                    # the LocationTokenError is raised outside this block, so it is not the context either.
                    pass
                break
        raise self._unusable()

    def _unusable(self) -> LocationTokenError:
        return LocationTokenError(
            200,
            location_id=self._location_id,
            message=f"no access token for location {self._location_id}: the answer is not a location token set",
            error=None,
            trace_id=None,
            body=b"",  # it may hold secrets
            headers={},
        )

    def _received(self, body: bytes) -> dict[str, Any]:
        """The 200 body as received, plus expires_at (an expires_in missing or absurd: expired at once)."""
        received_at = time.time()
        token_set: Any = None
        with contextlib.suppress(ValueError, RecursionError):
            token_set = json.loads(body)
        access_token = token_set.get("access_token") if isinstance(token_set, dict) else None
        if not isinstance(access_token, str) or not _HEADER_SAFE.fullmatch(access_token):
            raise self._unusable()
        assert isinstance(token_set, dict)
        expires_in = token_set.get("expires_in")
        if isinstance(expires_in, int | float) and not isinstance(expires_in, bool) and 0 < expires_in < math.inf:
            lifetime = min(float(expires_in), _LONGEST_LIFETIME)
        else:
            # Unlike a refresh, nothing is spent: assume an hour; a 401 before then asks for a new one.
            lifetime = _ASSUMED_LOCATION_TOKEN_LIFETIME
            logger.warning("location %s: the token's expires_in is %r; assuming %d s", self._location_id,
                           type(expires_in).__name__ if expires_in is not None else None, lifetime)  # fmt: skip
        token_set["expires_at"] = received_at + lifetime
        token_set["obtained_at"] = received_at
        return token_set


class RedisTokenStore:
    """The token set in Redis (or Valkey) at `key`, as the same JSON document as FileTokenStore's file, so a user
    seeds it with one `SET key '<json>'` and can move between the two. Refreshing happens under a Redis lock
    (`<key>:lock`) that expires after `lock_ttl` seconds, so any number of processes on any number of machines
    refresh once between them, and one that dies holding the lock blocks the others for `lock_ttl` at most.
    A server that cannot be reached raises RedisUnavailableError (a HighLevelError): never a hang.
    Needs the optional extra `highlevel-contacts[redis]`."""

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
        self._refreshable = True  # a location's token set has no refresh token

    def __repr__(self) -> str:
        return f"RedisTokenStore({describe(self._redis)!r}, key={self.key!r})"

    def for_location(self, location_id: str) -> "RedisTokenStore":
        """The store of one location's token set: the key `<key>:location:<id>` on the same server (and the
        same connection pool), with its own lock."""
        store = RedisTokenStore.__new__(RedisTokenStore)
        store._redis, store.key = self._redis, f"{self.key}:location:{location_id}"
        store.lock_ttl, store.lock_timeout, store._refreshable = self.lock_ttl, self.lock_timeout, False
        return store

    def load(self) -> dict[str, Any]:
        import redis

        try:
            raw = self._redis.get(self.key)
        except redis.RedisError as error:
            raise unavailable(self._redis, error) from None
        if raw is None:
            raise TokenStoreError(
                f"{self!r}: no token set; seed it with SET {self.key} followed by the JSON body of your first "
                "authorization-code exchange plus expires_at"
            )
        try:
            token_set = json.loads(raw)
        except (ValueError, RecursionError):
            raise TokenStoreError(f"{self!r}: the token set is not valid JSON") from None
        return _checked(token_set, repr(self), refreshable=self._refreshable)

    def save(self, token_set: dict[str, Any]) -> None:
        import redis

        try:
            self._redis.set(self.key, json.dumps(token_set, sort_keys=True))
        except redis.RedisError as error:
            raise unavailable(self._redis, error) from None

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return self._lock_held()

    @contextlib.contextmanager
    def _lock_held(self) -> Iterator[None]:
        import redis

        lock = self._redis.lock(f"{self.key}:lock", timeout=self.lock_ttl, blocking_timeout=self.lock_timeout)
        try:
            acquired = lock.acquire()
        except redis.RedisError as error:
            raise unavailable(self._redis, error) from None
        if not acquired:
            raise TokenStoreError(f"{self!r}: another process held the refresh lock for {self.lock_timeout} s")
        try:
            yield
        finally:
            with contextlib.suppress(redis.RedisError):  # expired (held past lock_ttl) or Redis gone: it frees itself
                lock.release()


__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "DEFAULT_REFRESH_MARGIN",
    "DEFAULT_REFUSAL_MEMORY",
    "AgencyTokenStore",
    "FileTokenStore",
    "HighLevelOAuth",
    "LocationOAuth",
    "LocationTokenError",
    "MemoryTokenStore",
    "RedisTokenStore",
    "TokenRefreshError",
    "TokenStore",
    "TokenStoreError",
    "is_agency_token_set",
    "is_location_id",
]
