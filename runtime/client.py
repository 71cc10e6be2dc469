"""The clients every endpoint takes: `Client` for open endpoints, `AuthenticatedClient` (a `Client` plus the
token) for the secured ones. Both build their httpx clients lazily, with a finite default timeout and the retry
policy in the transport, and turn a request that got no answer into an `errors.APIConnectionError`.

The generator's stock `client.py` is two near-copies of one class and prints the token in `repr()`; here
`AuthenticatedClient` extends `Client`, and the token goes only into the httpx client's headers (whose repr
masks `Authorization`).
"""

import asyncio
import copy
import math
import ssl
import threading
import time
from collections.abc import Collection
from typing import Any, Protocol, Self, TypeVar, overload, runtime_checkable

import httpx
from attrs import define, evolve, field, fields

from .models.api_version import API_VERSION_DEFAULT, API_VERSION_VALUES, ApiVersion
from .parsing import ResponseLike, raise_for_status, request_error
from .pool import DEFAULT_MAX_CONNECTIONS, ConnectionPool, check_max_connections, limits
from .ratelimit import RateBudget, RateLimiter, RedisRateLimiter, budget_key
from .retry import RetryPolicy
from .transport import DEADLINE_EXTENSION, SAFE_TO_REPEAT_EXTENSION, STOP_EXTENSION, PolicyTransport
from .types import Unset
from .validation import check_base_url, check_header, check_headers, check_token

_Version = TypeVar("_Version", bound=str)  # an operation's Version values (a Literal of the spec's enum)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Used when a client is built without `timeout`: 10 s to connect, 30 s for each read, write and pool wait."""

DEFAULT_DEADLINE = 120.0
"""Seconds one call may take in all (every attempt, wait and body read) unless the client says otherwise."""

_TRANSPORT_ARGUMENTS = ("cert", "http1", "http2", "limits", "proxy")

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The largest response body read (after decompression): far above any real answer of this API."""


class _Connections:
    """The httpx clients (and so the connection pools) of a client, shared with its with_deadline() copies."""

    def __init__(self) -> None:
        self.sync: httpx.Client | None = None
        self.async_: httpx.AsyncClient | None = None
        self.loop: asyncio.AbstractEventLoop | None = None  # the event loop the async one belongs to
        self.lock = threading.Lock()


def _check_version(version: object, where: str, values: Collection[_Version]) -> _Version:
    """The spec's own value equal to `version` (a str subclass or a str enum member is sent as that value, never
    as its str()), or ValueError naming the values listed."""
    for listed in values:
        if isinstance(version, str) and version == listed:
            return listed
    names = ", ".join(repr(value) for value in sorted(values))
    raise ValueError(f"{where}={version!r} is not an API version the spec lists ({names})")


def _check_no_version_header(headers: dict[str, str]) -> None:
    for name in headers:
        if isinstance(name, str) and name.lower() == "version":
            raise ValueError("set the API version with version= (typed, checked), not a Version header")


_SHARED_SSL_CONTEXT: list[ssl.SSLContext] = []
_SHARED_SSL_CONTEXT_LOCK = threading.Lock()


def _default_ssl_context() -> ssl.SSLContext:
    """One verifying SSL context for every client of this process that uses the default: building one loads the
    CA bundle (about 45 ms), which an agency's hundred location clients would otherwise each pay."""
    with _SHARED_SSL_CONTEXT_LOCK:
        if not _SHARED_SSL_CONTEXT:
            _SHARED_SSL_CONTEXT.append(httpx.create_ssl_context())
        return _SHARED_SSL_CONTEXT[0]


def _check_timeout(timeout: object) -> None:
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout < math.inf:
        raise ValueError(f"timeout must be a number of seconds > 0, an httpx.Timeout or None, got {timeout!r}")


@runtime_checkable
class ClientAuth(Protocol):
    """What AuthenticatedClient asks of an `auth=` that is more than a plain httpx.Auth (HighLevelOAuth and
    LocationOAuth are): the contract between the client and the credential it sends."""

    def bind(self, client: "Client") -> None:
        """Called once per client built with it: renewal calls are made with the first client's settings."""
        ...

    def location_id(self) -> str | None:
        """The location whose rate budget the requests spend (the key of a budget shared through Redis); None:
        the client derives one from its credentials."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """What must never appear in an error the client raises (redacted wherever an answer echoes it)."""
        ...


_CLIENT_AUTH_METHODS = ("bind", "location_id", "secrets")


def _check_client_auth(auth: httpx.Auth) -> None:
    """An auth= is a plain httpx.Auth (none of ClientAuth's names) or a whole ClientAuth (all three, methods): one
    in between would silently lose what it meant to give (its secrets' redaction), or fail on the first error."""
    present = [name for name in _CLIENT_AUTH_METHODS if hasattr(auth, name)]
    if present and not all(callable(getattr(auth, name, None)) for name in _CLIENT_AUTH_METHODS):
        raise TypeError(
            f"{type(auth).__name__} has {', '.join(present)} but is not a ClientAuth: implement all of "
            f"{', '.join(_CLIENT_AUTH_METHODS)} as methods, or none of them"
        )


@define
class Client:
    """A class for keeping track of data related to the API

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``version``: The API version every call sends in its ``Version`` header unless the call passes its own
        ``version=`` (``API_VERSION_DEFAULT``, "2021-07-28", the docs page this package implements, when not
        given; "v3" is the other one the spec lists). A value the spec does not list raises ValueError here, and
        per call before anything is sent.

        ``timeout``: The maximum time a request may take (``DEFAULT_TIMEOUT`` when not given: 10 s to connect,
        30 s per read). ``None`` waits forever. API functions raise errors.APITimeoutError when it is exceeded.

        ``deadline``: Seconds one call may take in all: every attempt, retry wait and body read
        (``DEFAULT_DEADLINE``, 120 s, when not given; ``None``: no deadline). Past it the call raises
        errors.APITimeoutError. ``with_deadline()`` sets it for one call.

        ``max_response_bytes``: The largest response body read, after decompression (``DEFAULT_MAX_RESPONSE_BYTES``,
        64 MiB, when not given; ``None``: no limit). A larger one raises errors.ResponseTooLargeError, and the
        rest of it is never read.

        ``retry``: The RetryPolicy for requests that are safe to repeat (``RetryPolicy()`` when not given);
        ``None`` turns retries off.

        ``redis_url``: A Redis (or Valkey) URL: the rate budget is kept there, shared by every process and machine
        using the same key (the extra ``highlevel-contacts[redis]``); ``rate_limit_key`` names it (by default
        AuthenticatedClient uses the OAuth token set's locationId, or a digest of the static token).

        ``rate_limit``: The RateBudget every request takes a slot from before it is sent (``RateBudget()``,
        HighLevel's 100 per 10 s, when not given; the answers' X-RateLimit-* headers correct it); ``None`` turns
        the limiter off. After an answer with X-RateLimit-Daily-Remaining: 0 no request is sent any more: each
        raises errors.DailyRateLimitError.

        ``max_connections``: Connections this client keeps open at once (``DEFAULT_MAX_CONNECTIONS``, 50, when not
        given; every one may be kept alive for the next request). A request that finds them all busy waits for
        one, up to the timeout's pool part.

        ``connection_pool``: A pool.ConnectionPool to take connections from instead of a pool of this client's
        own: many clients, one cap on open connections (agency.location_clients gives its clients one). The
        pool's max_connections applies (giving ``max_connections`` or httpx_args ``limits`` too is a ValueError).
        Closing the client does not close the pool; its owner does.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in
        production, but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False. httpx drops the
        Authorization header on a redirect to another host.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and
        ``httpx.AsyncClient`` constructor. A ``transport`` given here is wrapped with the retry policy, the
        deadline and the size limit.

    Endpoints always raise errors.HighLevelError subclasses for error answers from sync() and asyncio(); the
    stock generator's ``raise_on_unexpected_status`` switch is gone (it was read by nothing). Any number of
    threads may share one client: its httpx client, and so its connection pool, is built once.
    """

    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _version: ApiVersion = field(default=API_VERSION_DEFAULT, kw_only=True, alias="version")
    _timeout: httpx.Timeout | float | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _deadline: float | None = field(default=DEFAULT_DEADLINE, kw_only=True, alias="deadline")
    _max_response_bytes: int | None = field(
        default=DEFAULT_MAX_RESPONSE_BYTES, kw_only=True, alias="max_response_bytes"
    )
    _retry: RetryPolicy | None = field(factory=RetryPolicy, kw_only=True, alias="retry")
    _rate_limit: RateBudget | None = field(factory=RateBudget, kw_only=True, alias="rate_limit")
    _redis_url: str | None = field(default=None, kw_only=True, alias="redis_url", repr=False)
    _rate_limit_key: str | None = field(default=None, kw_only=True, alias="rate_limit_key")
    _max_connections: int | None = field(default=None, kw_only=True, alias="max_connections")
    _connection_pool: ConnectionPool | None = field(default=None, kw_only=True, alias="connection_pool")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _connections: _Connections = field(factory=_Connections, init=False, repr=False, eq=False)
    _limiter: RateLimiter | None = field(default=None, init=False, repr=False, eq=False)
    # Every request of this client is marked safe to repeat, whatever its method (safe_to_repeat()).
    _repeatable: bool = field(default=False, init=False, repr=False, eq=False)
    # Set: this client's requests give up before they are sent (until_stopped()).
    _stop: threading.Event | None = field(default=None, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        check_base_url(self._base_url)
        for name, mapping in (("headers", self._headers), ("cookies", self._cookies), ("httpx_args", self._httpx_args)):
            if not isinstance(mapping, dict):
                raise TypeError(f"{name} must be a dict, got {type(mapping).__name__}")
        check_headers(self._headers)
        _check_no_version_header(self._headers)
        self._version = _check_version(self._version, "version", API_VERSION_VALUES)
        _check_timeout(self._timeout)
        if self._deadline is not None and not (isinstance(self._deadline, int | float) and 0 < self._deadline < 1e9):
            raise ValueError(f"deadline must be a number of seconds > 0 (and finite) or None, got {self._deadline!r}")
        if self._max_response_bytes is not None and not (
            isinstance(self._max_response_bytes, int) and self._max_response_bytes > 0
        ):
            raise ValueError(f"max_response_bytes must be a whole number > 0 or None, got {self._max_response_bytes!r}")
        if self._max_connections is not None:
            check_max_connections(self._max_connections)
        if self._connection_pool is not None:
            if not isinstance(self._connection_pool, ConnectionPool):
                raise TypeError(
                    f"connection_pool must be a ConnectionPool or None, got {type(self._connection_pool).__name__}"
                )
            conflicting = [
                name
                for name, given in (
                    ("max_connections", self._max_connections is not None),
                    ("httpx_args limits", "limits" in self._httpx_args),
                )
                if given
            ]
            if conflicting:
                raise ValueError(
                    f"{conflicting[0]} and connection_pool exclude each other: the pool's max_connections applies"
                )
        if self._retry is not None and not isinstance(self._retry, RetryPolicy):
            raise TypeError(f"retry must be a RetryPolicy or None, got {type(self._retry).__name__}")
        if self._rate_limit is not None and not isinstance(self._rate_limit, RateBudget):
            raise TypeError(f"rate_limit must be a RateBudget or None, got {type(self._rate_limit).__name__}")
        # One budget for the sync and the async httpx client, and for every thread and task using either; with
        # redis_url, one for every process and machine using the same key.
        if self._rate_limit is None:
            self._limiter = None
        elif self._redis_url is None:
            self._limiter = RateLimiter(self._rate_limit)
        else:
            self._limiter = RedisRateLimiter(self._rate_limit, self._redis_url, self._budget_key())

    def _budget_key(self) -> str:
        """The shared budget's key: rate_limit_key (AuthenticatedClient derives one from its credentials)."""
        return budget_key() if self._rate_limit_key is None else self._rate_limit_key

    def with_headers(self, headers: dict[str, str]) -> Self:
        """A new client matching this one with additional headers (and connections of its own, or from the same
        connection_pool; this one is not changed)."""
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """A new client matching this one with additional cookies (and connections of its own, or from the same
        connection_pool)."""
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout | float | None) -> Self:
        """A new client matching this one with a new timeout configuration (and connections of its own, or from the
        same connection_pool)."""
        return evolve(self, timeout=timeout)

    def with_deadline(self, deadline: float | None) -> Self:
        """This client with another deadline, for a call or a few: it shares this client's connections and rate
        budget, made or yet to be made (so do not enter it with `with`, which would close them; enter this one)."""
        evolved = evolve(self, deadline=deadline)
        evolved._connections, evolved._limiter, evolved._repeatable = self._connections, self._limiter, self._repeatable
        return evolved

    def safe_to_repeat(self) -> Self:
        """This client, for calls whose requests may be sent again whatever their method (a POST that asks for
        a new location token: asking twice only gives another). The transport then retries them like a GET;
        otherwise a POST is retried only when it provably never left. Shares this client's connections and
        rate budget, like with_deadline()."""
        repeatable = self.with_deadline(self._deadline)
        repeatable._repeatable = True
        return repeatable

    def until_stopped(self, stop: threading.Event) -> Self:
        """This client, for calls that give up without sending once `stop` is set (while waiting for a rate-limit
        slot or between attempts: transport.RequestStopped), so that a thread pool can be stopped without waiting
        out a rate window. Shares this client's connections, rate budget and settings (a copy, not evolve(): no
        settings are checked or built again)."""
        stoppable = copy.copy(self)
        stoppable._stop = stop
        return stoppable

    @property
    def version(self) -> ApiVersion:
        """The API version this client's calls send unless a call passes its own."""
        return self._version

    @overload
    def resolve_version(self, version: ApiVersion | Unset) -> ApiVersion: ...

    @overload
    def resolve_version(
        self, version: _Version | Unset, values: Collection[_Version], default: _Version
    ) -> _Version: ...

    def resolve_version(self, version: Any, values: Collection[Any] = API_VERSION_VALUES, default: Any = None) -> Any:
        """The Version header of one call: the call's `version` if it passed one, else this client's when the
        operation's `values` (by default ApiVersion's) list it, else the operation's `default` (the calendar
        operations list 2021-04-15 and v3: a v3 client sends v3 to them, any other their 2021-04-15). Raises
        ValueError (nothing is sent) for a value the operation does not list."""
        if isinstance(version, Unset):
            return self._version if self._version in values or default is None else default
        return _check_version(version, "version", values)

    @property
    def rate_limiter(self) -> RateLimiter | None:
        """The budget this client's requests take from (None: no limiter)."""
        return self._limiter

    @property
    def retry_policy(self) -> RetryPolicy | None:
        """The retry policy of this client's requests (None: one attempt each)."""
        return self._retry

    def without_auth(self) -> "Client":
        """A Client with this one's settings and connections of its own, for the operations that take no token
        (the token endpoint). It never follows redirects."""
        return Client(**self._settings_for_another_credential())

    def with_token(self, token: str) -> "AuthenticatedClient":
        """An AuthenticatedClient with this one's settings, connections of its own and a static `token` (an
        agency's call for a location token is made with the agency's access token). It never follows
        redirects."""
        # its own budget key (the token's digest), not this client's location's
        return AuthenticatedClient(token=token, **{**self._settings_for_another_credential(), "rate_limit_key": None})

    def _settings_for_another_credential(self) -> dict[str, Any]:
        # Every setting a Client takes, read from its attrs fields (a field added later is carried too).
        settings = {
            str(attribute.alias): getattr(self, attribute.name) for attribute in fields(Client) if attribute.init
        }
        # never: httpx would send the form (client secret, refresh token) or the token again to wherever a 307 points
        settings["follow_redirects"] = False
        # A call of its own (a token call, once a day): its own connection, closed after it, so that it never
        # depends on a shared pool its owner may have closed since (an OAuth object outlives its clients).
        settings["connection_pool"] = None
        settings["rate_limit_key"] = self._budget_key() if self._redis_url and self._rate_limit else None
        return settings

    def _all_headers(self) -> dict[str, str]:
        """The headers every request carries (AuthenticatedClient adds the token)."""
        return dict(self._headers)

    def _auth(self) -> httpx.Auth | None:
        """What authenticates each request at the httpx level (AuthenticatedClient's `auth=`)."""
        return None

    def _secrets(self) -> tuple[str, ...]:
        """What must never appear in an error this client raises."""
        return ()

    def _httpx_kwargs(
        self, transport_class: type[httpx.HTTPTransport] | type[httpx.AsyncHTTPTransport]
    ) -> dict[str, Any]:
        args = dict(self._httpx_args)
        # httpx hands these to the transport it builds, and ignores them when given one: this client builds it.
        transport_args = {name: args.pop(name) for name in _TRANSPORT_ARGUMENTS if name in args}
        verify = (
            _default_ssl_context() if self._verify_ssl is True and "cert" not in transport_args else self._verify_ssl
        )
        transport = args.pop("transport", None) or self._raw_transport(
            transport_class, {"verify": verify, **transport_args}
        )
        return {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._all_headers(),
            "timeout": self._timeout,
            "follow_redirects": self._follow_redirects,
            "auth": self._auth(),
            "transport": PolicyTransport(transport, self._retry, self._max_response_bytes, self._limiter),
            **args,
        }

    def _raw_transport(
        self,
        transport_class: type[httpx.HTTPTransport] | type[httpx.AsyncHTTPTransport],
        settings: dict[str, Any],
    ) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
        """The transport that makes the connections: lent by the shared pool, or one of this client's own."""
        if self._connection_pool is not None:
            if transport_class is httpx.AsyncHTTPTransport:
                return self._connection_pool.lend_async(settings)
            return self._connection_pool.lend(settings)
        own = DEFAULT_MAX_CONNECTIONS if self._max_connections is None else self._max_connections
        return transport_class(**{"limits": limits(own), **settings})

    def _prepare(self, request_kwargs: dict[str, Any]) -> dict[str, Any]:
        """The request's arguments with the call's deadline; refuses headers that cannot be sent."""
        check_headers(request_kwargs.get("headers", {}))
        deadline = None if self._deadline is None else time.monotonic() + self._deadline
        extensions = {**request_kwargs.get("extensions", {}), DEADLINE_EXTENSION: deadline}
        if self._repeatable:
            extensions[SAFE_TO_REPEAT_EXTENSION] = True
        if self._stop is not None:
            extensions[STOP_EXTENSION] = self._stop
        return {**request_kwargs, "extensions": extensions}

    def _failure(self, error: httpx.HTTPError, request_kwargs: dict[str, Any]) -> Exception:
        method = str(request_kwargs.get("method", "")).upper()
        try:
            url = str(error.request.url)
        except RuntimeError:  # an httpx error raised before it had a request
            url = str(request_kwargs.get("url", ""))
        return request_error(error, method=method, url=url, secrets=self._secrets())

    def raise_for_status(self, response: ResponseLike, success: frozenset[int]) -> None:
        """Raise the matching errors.APIStatusError unless the status is a documented success; a secret of this
        client that the answer echoes (an error message quoting the token) is redacted from the error."""
        raise_for_status(response, success, secrets=self._secrets())

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, timeout,
        the retry policy, the deadline and the size limit.
        """
        self._connections.sync = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        connections = self._connections
        if connections.sync is None:
            with connections.lock:  # threads sharing a new client build one httpx client, and one pool, between them
                if connections.sync is None:
                    connections.sync = httpx.Client(**self._httpx_kwargs(httpx.HTTPTransport))
        return connections.sync

    def request(self, request_kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request through the retry policy; a failure to get any answer raises errors.APIConnectionError."""
        kwargs = self._prepare(request_kwargs)
        client = self.get_httpx_client()
        if client.is_closed:
            raise RuntimeError(
                "this client was closed (its `with` block ended): build a new client, or make the call inside the block"
            )
        try:
            return client.request(**kwargs)
        except httpx.HTTPError as error:
            failure = error
        # Raised outside the except block, so that the httpx error is only the cause, which request_error has
        # already replaced if its message holds a secret.
        raise self._failure(failure, kwargs)

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def close(self) -> None:
        """Close this client's synchronous connections, if it made any (without building an httpx client to close
        one). Its `with` block does the same."""
        client = self._connections.sync
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Close this client's asynchronous connections, if it made any."""
        client = self._connections.async_
        if client is not None:
            await client.aclose()

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, timeout,
        the retry policy, the deadline and the size limit.
        """
        self._connections.async_ = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        connections = self._connections
        if connections.async_ is None:
            with connections.lock:
                if connections.async_ is None:
                    connections.async_ = httpx.AsyncClient(**self._httpx_kwargs(httpx.AsyncHTTPTransport))
        return connections.async_

    async def arequest(self, request_kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request through the retry policy; a failure to get any answer raises errors.APIConnectionError."""
        kwargs = self._prepare(request_kwargs)
        client = self.get_async_httpx_client()
        self._check_event_loop(client)
        try:
            return await client.request(**kwargs)
        except httpx.HTTPError as error:
            failure = error
        raise self._failure(failure, kwargs)

    def _check_event_loop(self, client: httpx.AsyncClient) -> None:
        if client.is_closed:
            raise RuntimeError(
                "this client was closed (its `async with` block ended): build a new client, or make the call "
                "inside the block"
            )
        loop = asyncio.get_running_loop()
        if self._connections.loop is None:
            self._connections.loop = loop
        elif self._connections.loop is not loop:
            # Its pooled connections belong to the first loop; used from another one they fail at random.
            raise RuntimeError(
                "this client's async connections belong to another event loop (an earlier asyncio.run()?): "
                "build one client per event loop, e.g. inside the coroutine that asyncio.run() runs"
            )

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


@define
class AuthenticatedClient(Client):
    """A Client which has been authenticated for use on secured endpoints (everything `Client` takes, plus:)

    Attributes:
        token: A static token (a Private Integration Token, or an access token you refresh yourself); never
            shown in repr. Exactly one of `token` and `auth` is given.
        auth: Something that authenticates each request: `highlevel_contacts.auth.HighLevelOAuth` refreshes a
            Sub-Account OAuth access token by itself (any `httpx.Auth` works).
        prefix: The prefix to use for the Authorization header with `token` ("Bearer"; "" sends the bare token)
        auth_header_name: The name of the Authorization header for `token`
    """

    token: str | None = field(default=None, repr=False, kw_only=True)
    auth: httpx.Auth | None = field(default=None, kw_only=True)
    prefix: str = field(default="Bearer", kw_only=True)
    auth_header_name: str = field(default="Authorization", kw_only=True)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.auth is None:
            if self.token is None:
                raise TypeError(
                    "AuthenticatedClient needs token= (a Private Integration Token or access token) or "
                    "auth= (highlevel_contacts.auth.HighLevelOAuth)"
                )
            check_token(self.token, self.prefix)
            check_header(self.auth_header_name, "")
            if self._follow_redirects and self.auth_header_name.lower() != "authorization":
                # httpx drops only Authorization on a redirect to another host: any other would go with it
                raise ValueError("follow_redirects=True needs auth_header_name='Authorization'")
        elif self.token is not None:
            raise ValueError("pass token= or auth=, not both")
        elif not isinstance(self.auth, httpx.Auth):
            raise TypeError(f"auth must be an httpx.Auth such as HighLevelOAuth, got {type(self.auth).__name__}")
        else:
            _check_client_auth(self.auth)
            if isinstance(self.auth, ClientAuth):
                self.auth.bind(self)

    def _all_headers(self) -> dict[str, str]:
        if self.token is None:
            return dict(self._headers)
        # The token goes to httpx only (whose Headers repr masks Authorization), never into the attrs-visible
        # _headers, so repr(client) cannot show it.
        credential = f"{self.prefix} {self.token}" if self.prefix else self.token
        return {**self._headers, self.auth_header_name: credential}

    def _auth(self) -> httpx.Auth | None:
        return self.auth

    def _budget_key(self) -> str:
        if self._rate_limit_key is not None:
            return self._rate_limit_key
        location = self.auth.location_id() if isinstance(self.auth, ClientAuth) else None
        return budget_key(token=self.token, location_id=location)

    def _secrets(self) -> tuple[str, ...]:
        held = self.auth.secrets() if isinstance(self.auth, ClientAuth) else ()
        return held if self.token is None else (self.token, *held)


__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "AuthenticatedClient",
    "Client",
    "ClientAuth",
    "RetryPolicy",
]
