"""The clients every endpoint takes: `Client` for open endpoints, `AuthenticatedClient` (a `Client` plus the
token) for the secured ones. Both build their httpx clients lazily, with a finite default timeout and the retry
policy in the transport, and turn a request that got no answer into an `errors.APIConnectionError`.

The generator's stock `client.py` is two near-copies of one class and prints the token in `repr()`; here
`AuthenticatedClient` extends `Client`, and the token goes only into the httpx client's headers (whose repr
masks `Authorization`).
"""

import ssl
from typing import Any, Self

import httpx
from attrs import define, evolve, field

from .errors import connection_error
from .retry import RetryPolicy
from .transport import RetryingTransport
from .validation import check_base_url, check_header, check_headers, check_token

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Used when a client is built without `timeout`: 10 s to connect, 30 s for each read, write and pool wait."""


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

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in
        production, but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False. httpx drops the
        Authorization header on a redirect to another host.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and
        ``httpx.AsyncClient`` constructor. A ``transport`` given here is wrapped with the retry policy.

    Endpoints always raise errors.HighLevelError subclasses for error answers from sync() and asyncio(); the
    stock generator's ``raise_on_unexpected_status`` switch is gone (it was read by nothing).
    """

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

    def __attrs_post_init__(self) -> None:
        check_base_url(self._base_url)
        check_headers(self._headers)

    def with_headers(self, headers: dict[str, str]) -> Self:
        """Get a new client matching this one with additional headers"""
        evolved = evolve(self, headers={**self._headers, **headers})  # checks them before any is applied
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolved

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout | float | None) -> Self:
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = httpx.Timeout(timeout)
        if self._async_client is not None:
            self._async_client.timeout = httpx.Timeout(timeout)
        return evolve(self, timeout=timeout)

    def _all_headers(self) -> dict[str, str]:
        """The headers every request carries (AuthenticatedClient adds the token)."""
        return dict(self._headers)

    def _secrets(self) -> tuple[str, ...]:
        """What must never appear in an error this client raises."""
        return ()

    def _failure(self, error: httpx.TransportError, request_kwargs: dict[str, Any]) -> Exception:
        method, url = str(request_kwargs.get("method", "")).upper(), str(request_kwargs.get("url", ""))
        return connection_error(error, method=method, url=url, secrets=self._secrets())

    def _httpx_kwargs(
        self, transport_class: type[httpx.HTTPTransport] | type[httpx.AsyncHTTPTransport]
    ) -> dict[str, Any]:
        args = dict(self._httpx_args)
        transport = args.pop("transport", None) or transport_class(verify=self._verify_ssl)
        if self._retry is not None:
            transport = RetryingTransport(transport, self._retry)
        return {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._all_headers(),
            "timeout": self._timeout,
            "follow_redirects": self._follow_redirects,
            "transport": transport,
            **args,
        }

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
            self._client = httpx.Client(**self._httpx_kwargs(httpx.HTTPTransport))
        return self._client

    def request(self, request_kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request through the retry policy; a failure to get any answer raises errors.APIConnectionError."""
        check_headers(request_kwargs.get("headers", {}))
        try:
            return self.get_httpx_client().request(**request_kwargs)
        except httpx.TransportError as error:
            failure = error
        # Raised outside the except block, so that the httpx error is only the cause, which connection_error
        # has already replaced if its message holds a secret.
        raise self._failure(failure, request_kwargs)

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
            self._async_client = httpx.AsyncClient(**self._httpx_kwargs(httpx.AsyncHTTPTransport))
        return self._async_client

    async def arequest(self, request_kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request through the retry policy; a failure to get any answer raises errors.APIConnectionError."""
        check_headers(request_kwargs.get("headers", {}))
        try:
            return await self.get_async_httpx_client().request(**request_kwargs)
        except httpx.TransportError as error:
            failure = error
        # Raised outside the except block, so that the httpx error is only the cause, which connection_error
        # has already replaced if its message holds a secret.
        raise self._failure(failure, request_kwargs)

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
        token: The token to use for authentication (never shown in repr)
        prefix: The prefix to use for the Authorization header ("Bearer"; "" sends the bare token)
        auth_header_name: The name of the Authorization header
    """

    token: str = field(repr=False, kw_only=True)
    prefix: str = field(default="Bearer", kw_only=True)
    auth_header_name: str = field(default="Authorization", kw_only=True)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        check_token(self.token, self.prefix)
        check_header(self.auth_header_name, "")

    def _all_headers(self) -> dict[str, str]:
        # The token goes to httpx only (whose Headers repr masks Authorization), never into the attrs-visible
        # _headers, so repr(client) cannot show it.
        credential = f"{self.prefix} {self.token}" if self.prefix else self.token
        return {**self._headers, self.auth_header_name: credential}

    def _secrets(self) -> tuple[str, ...]:
        return (self.token,)


__all__ = ["DEFAULT_TIMEOUT", "AuthenticatedClient", "Client", "RetryPolicy"]
