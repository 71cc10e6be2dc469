import logging
import random
import ssl
from collections.abc import Callable
from typing import Any, Self

import httpx
import tenacity
from attrs import define, evolve, field, frozen

from .errors import APIConnectionError, APITimeoutError
from .types import RateLimit, server_retry_delay

logger = logging.getLogger(__package__)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Used when a client is built without `timeout`: 10 s to connect, 30 s for each read, write and pool wait."""

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,  # connect, read, write and pool timeouts
    httpx.NetworkError,  # refused, reset, ...
    httpx.RemoteProtocolError,  # the server closed the connection without answering
)
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@frozen
class RetryPolicy:
    """When and how long to retry a request that is safe to repeat (GET, HEAD, OPTIONS, PUT, DELETE).

    Retried: connection errors, timeouts, and the statuses in `retry_statuses`. The wait before retry n is the
    server's word when it gives one (Retry-After in seconds or as an HTTP date; else, on a 429 with
    X-RateLimit-Remaining: 0, the burst window X-RateLimit-Interval-Milliseconds), otherwise exponential
    backoff `initial_backoff * 2 ** (n - 1)` with full jitter. Every wait is capped at `max_backoff`; the
    client gives up (and the caller gets the last answer, or the error) once `max_attempts` requests are
    made or when the next wait would take the total past `max_total_wait`. A 429 with
    X-RateLimit-Daily-Remaining: 0 is never retried: the daily quota will not come back in seconds.
    Pass `retry=None` to a client to turn retries off.
    """

    max_attempts: int = 4
    initial_backoff: float = 0.5
    max_backoff: float = 10.0
    max_total_wait: float = 30.0
    jitter: bool = True
    retry_statuses: frozenset[int] = RETRY_STATUSES

    def __attrs_post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        for name in ("initial_backoff", "max_backoff", "max_total_wait"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")

    def should_retry(self, response: httpx.Response) -> bool:
        if response.status_code not in self.retry_statuses:
            return False
        if response.status_code == 429 and RateLimit.from_headers(response.headers).daily_remaining == 0:
            return False
        return True

    def server_delay(self, response: httpx.Response) -> float | None:
        """The wait the server asks for, in seconds, or None when it says nothing."""
        return server_retry_delay(response.status_code, response.headers)

    def backoff(self, retry_number: int) -> float:
        """The wait before retry `retry_number` (1 for the first) when the server gives no hint."""
        ceiling = min(self.max_backoff, self.initial_backoff * 2 ** (retry_number - 1))
        return random.uniform(0, ceiling) if self.jitter else ceiling

    def _wait(self, state: tenacity.RetryCallState) -> float:
        outcome = state.outcome
        hinted = None
        if outcome is not None and not outcome.failed:
            hinted = self.server_delay(outcome.result())
        return min(self.max_backoff, hinted if hinted is not None else self.backoff(state.attempt_number))

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= self.max_attempts:
            return True
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            hinted = self.server_delay(outcome.result())
            if hinted is not None and hinted > self.max_backoff:
                return True  # waiting less than the server asked would only be refused again
        return state.idle_for + state.upcoming_sleep > self.max_total_wait

    def _retry(self, state: tenacity.RetryCallState) -> bool:
        outcome = state.outcome
        if outcome is None:
            return False
        if outcome.failed:
            return isinstance(outcome.exception(), RETRY_EXCEPTIONS)
        return self.should_retry(outcome.result())

    def _log(self, request: httpx.Request) -> Callable[[tenacity.RetryCallState], None]:
        def before_sleep(state: tenacity.RetryCallState) -> None:
            outcome = state.outcome
            if outcome is None:
                return
            reason = type(outcome.exception()).__name__ if outcome.failed else f"HTTP {outcome.result().status_code}"
            logger.info(
                "%s %s: %s; retry %d of %d in %.2f s",
                request.method,
                request.url.path,
                reason,
                state.attempt_number,
                self.max_attempts - 1,
                state.upcoming_sleep,
            )

        return before_sleep

    def _tenacity_arguments(self, request: httpx.Request) -> dict[str, Any]:
        return {
            "retry": self._retry,
            "wait": self._wait,
            "stop": self._stop,
            "before_sleep": self._log(request),
            # Out of attempts or budget: hand back the last answer (the caller raises the matching error), or
            # re-raise the last exception.
            "retry_error_callback": lambda state: state.outcome.result() if state.outcome else None,
            "reraise": True,
        }


class _RetryingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a transport with a RetryPolicy. Below httpx's redirect and auth handling, so each retry is the
    same request, sent again."""

    def __init__(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport, policy: RetryPolicy) -> None:
        self._transport = transport
        self._policy = policy

    # The first attempt runs outside tenacity: building its Retrying costs ~20 us (sync) to ~35 us (async) per
    # request, measured, and most requests need no retry. Only a retryable outcome enters tenacity, which is
    # handed that outcome as its first attempt, so the policy sees exactly the same sequence either way.

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport
        if not isinstance(transport, httpx.BaseTransport):
            raise TypeError(f"{type(transport).__name__} cannot send synchronous requests; use the asyncio functions")
        if request.method not in _IDEMPOTENT_METHODS:
            return transport.handle_request(request)

        def attempt() -> httpx.Response:
            response = transport.handle_request(request)
            if self._policy.should_retry(response):
                response.read()  # free the connection now; the body stays for the caller if this is the last try
                response.close()
            return response

        try:
            first: httpx.Response | Exception | None = attempt()
        except RETRY_EXCEPTIONS as error:
            first = error
        if isinstance(first, httpx.Response) and not self._policy.should_retry(first):
            return first

        def replay_then_attempt() -> httpx.Response:
            nonlocal first
            if first is None:
                return attempt()
            outcome, first = first, None
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        result: httpx.Response = tenacity.Retrying(**self._policy._tenacity_arguments(request))(replay_then_attempt)
        return result

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport
        if not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError(f"{type(transport).__name__} cannot send asynchronous requests; use the sync functions")
        if request.method not in _IDEMPOTENT_METHODS:
            return await transport.handle_async_request(request)

        async def attempt() -> httpx.Response:
            response = await transport.handle_async_request(request)
            if self._policy.should_retry(response):
                await response.aread()
                await response.aclose()
            return response

        try:
            first: httpx.Response | Exception | None = await attempt()
        except RETRY_EXCEPTIONS as error:
            first = error
        if isinstance(first, httpx.Response) and not self._policy.should_retry(first):
            return first

        async def replay_then_attempt() -> httpx.Response:
            nonlocal first
            if first is None:
                return await attempt()
            outcome, first = first, None
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        result: httpx.Response = await tenacity.AsyncRetrying(**self._policy._tenacity_arguments(request))(
            replay_then_attempt
        )
        return result

    def close(self) -> None:
        if isinstance(self._transport, httpx.BaseTransport):
            self._transport.close()

    async def aclose(self) -> None:
        if isinstance(self._transport, httpx.AsyncBaseTransport):
            await self._transport.aclose()


def _connection_error(error: httpx.TransportError, request_kwargs: dict[str, Any]) -> APIConnectionError:
    method, url = str(request_kwargs.get("method", "")).upper(), str(request_kwargs.get("url", ""))
    kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    return kind(f"{method} {url}: {type(error).__name__}: {error}", method=method, url=url)


@define
class Client:
    """A class for keeping track of data related to the API

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum time a request may take (``DEFAULT_TIMEOUT`` when not given: 10 s to connect,
        30 s per read). ``None`` waits forever. API functions raise errors.APITimeoutError when it is exceeded.

        ``retry``: The RetryPolicy for requests that are safe to repeat (``RetryPolicy()`` when not given);
        ``None`` turns retries off.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False. httpx drops the
        Authorization header on a redirect to another host.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and
        ``httpx.AsyncClient`` constructor. A ``transport`` given here is wrapped with the retry policy.


    Attributes:
        raise_on_unexpected_status: Kept for compatibility with the stock generator; the endpoints' sync()
            and asyncio() always raise errors.HighLevelError subclasses for error answers, whatever this says.
    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | float | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _retry: RetryPolicy | None = field(factory=RetryPolicy, kw_only=True, alias="retry")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    def with_headers(self, headers: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout | float | None) -> "Client":
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = httpx.Timeout(timeout)
        if self._async_client is not None:
            self._async_client.timeout = httpx.Timeout(timeout)
        return evolve(self, timeout=timeout)

    def _all_headers(self) -> dict[str, str]:
        return dict(self._headers)

    def _transport_args(
        self, transport_class: type[httpx.HTTPTransport] | type[httpx.AsyncHTTPTransport]
    ) -> dict[str, Any]:
        args = dict(self._httpx_args)
        transport = args.pop("transport", None) or transport_class(verify=self._verify_ssl)
        if self._retry is not None:
            transport = _RetryingTransport(transport, self._retry)
        return {"transport": transport, **args}

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, timeout and
        the retry policy.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._all_headers(),
                timeout=self._timeout,
                follow_redirects=self._follow_redirects,
                **self._transport_args(httpx.HTTPTransport),
            )
        return self._client

    def request(self, request_kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request through the retry policy; a failure to get any answer raises errors.APIConnectionError."""
        try:
            return self.get_httpx_client().request(**request_kwargs)
        except httpx.TransportError as error:
            raise _connection_error(error, request_kwargs) from error

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, timeout and
        the retry policy.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._all_headers(),
                timeout=self._timeout,
                follow_redirects=self._follow_redirects,
                **self._transport_args(httpx.AsyncHTTPTransport),
            )
        return self._async_client

    async def arequest(self, request_kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request through the retry policy; a failure to get any answer raises errors.APIConnectionError."""
        try:
            return await self.get_async_httpx_client().request(**request_kwargs)
        except httpx.TransportError as error:
            raise _connection_error(error, request_kwargs) from error

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


@define
class AuthenticatedClient:
    """A Client which has been authenticated for use on secured endpoints

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum time a request may take (``DEFAULT_TIMEOUT`` when not given: 10 s to connect,
        30 s per read). ``None`` waits forever. API functions raise errors.APITimeoutError when it is exceeded.

        ``retry``: The RetryPolicy for requests that are safe to repeat (``RetryPolicy()`` when not given);
        ``None`` turns retries off.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False. httpx drops the
        Authorization header on a redirect to another host.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and
        ``httpx.AsyncClient`` constructor. A ``transport`` given here is wrapped with the retry policy.


    Attributes:
        raise_on_unexpected_status: Kept for compatibility with the stock generator; the endpoints' sync()
            and asyncio() always raise errors.HighLevelError subclasses for error answers, whatever this says.
        token: The token to use for authentication (never shown in repr)
        prefix: The prefix to use for the Authorization header
        auth_header_name: The name of the Authorization header
    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | float | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _retry: RetryPolicy | None = field(factory=RetryPolicy, kw_only=True, alias="retry")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    token: str = field(repr=False)
    prefix: str = "Bearer"
    auth_header_name: str = "Authorization"

    def with_headers(self, headers: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout | float | None) -> "AuthenticatedClient":
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = httpx.Timeout(timeout)
        if self._async_client is not None:
            self._async_client.timeout = httpx.Timeout(timeout)
        return evolve(self, timeout=timeout)

    def _all_headers(self) -> dict[str, str]:
        return {**self._headers, self.auth_header_name: f"{self.prefix} {self.token}" if self.prefix else self.token}

    def _transport_args(
        self, transport_class: type[httpx.HTTPTransport] | type[httpx.AsyncHTTPTransport]
    ) -> dict[str, Any]:
        args = dict(self._httpx_args)
        transport = args.pop("transport", None) or transport_class(verify=self._verify_ssl)
        if self._retry is not None:
            transport = _RetryingTransport(transport, self._retry)
        return {"transport": transport, **args}

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, timeout and
        the retry policy.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._all_headers(),
                timeout=self._timeout,
                follow_redirects=self._follow_redirects,
                **self._transport_args(httpx.HTTPTransport),
            )
        return self._client

    def request(self, request_kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request through the retry policy; a failure to get any answer raises errors.APIConnectionError."""
        try:
            return self.get_httpx_client().request(**request_kwargs)
        except httpx.TransportError as error:
            raise _connection_error(error, request_kwargs) from error

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, timeout and
        the retry policy.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._all_headers(),
                timeout=self._timeout,
                follow_redirects=self._follow_redirects,
                **self._transport_args(httpx.AsyncHTTPTransport),
            )
        return self._async_client

    async def arequest(self, request_kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request through the retry policy; a failure to get any answer raises errors.APIConnectionError."""
        try:
            return await self.get_async_httpx_client().request(**request_kwargs)
        except httpx.TransportError as error:
            raise _connection_error(error, request_kwargs) from error

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)
