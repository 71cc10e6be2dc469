"""Connections shared by many clients: one pool and one cap on open connections, for every location of an agency.

    pool = ConnectionPool(max_connections=50)
    clients = {location_id: AuthenticatedClient(base_url=..., auth=..., connection_pool=pool) for ...}
    ...
    pool.close()  # after the clients (closing a client does not close the pool it borrows from)

Each client still has its own httpx client (its own auth, headers, retry policy and rate budget); what the pool
shares is the transport underneath, and so the sockets: 300 locations need no more connections than the pool
allows, instead of a pool each. `agency.location_clients` makes one for its clients. The synchronous and the
asynchronous connections are two pools of the same size, each built on first use; the asynchronous one belongs
to the event loop that first uses it, like an httpx.AsyncClient's.
"""

import threading
from types import TracebackType
from typing import Any, Self

import httpx

DEFAULT_MAX_CONNECTIONS = 50
"""Connections open at once per client (or per ConnectionPool): HighLevel allows 100 requests per 10 s per location,
which a few connections carry; 50 is room for many locations while far below a 256-descriptor limit."""


def check_max_connections(value: object) -> int:
    """`value` if it is a whole number >= 1; ValueError otherwise."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"max_connections must be a whole number >= 1, got {value!r}")
    return value


def limits(max_connections: int) -> httpx.Limits:
    """The httpx pool limits for `max_connections`: every one of them may be kept alive (a bulk fetch reuses them
    all; httpx's default keeps 20, so a busier pool would close and reopen connections at every request)."""
    return httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)


class _LentTransport(httpx.BaseTransport):
    """The pool's transport as one client sees it: closing the client does not close the pool."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._transport.handle_request(request)

    def close(self) -> None:
        """Nothing: the pool's owner closes it."""


class _LentAsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        """Nothing: the pool's owner closes it."""


class ConnectionPool:
    """At most `max_connections` connections open at once for every client given `connection_pool=` this pool (a
    request that finds them all busy waits for one, up to the client's pool timeout). The clients sharing a pool
    must agree on how connections are made (verify_ssl; httpx_args' cert, http1, http2, proxy): the first client
    to connect sets them, another is a ValueError. A context manager (sync or async) that closes the pool."""

    def __init__(self, max_connections: int = DEFAULT_MAX_CONNECTIONS) -> None:
        self.max_connections = check_max_connections(max_connections)
        self._lock = threading.Lock()
        self._settings: dict[str, Any] | None = None
        self._sync: httpx.HTTPTransport | None = None
        self._async: httpx.AsyncHTTPTransport | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"ConnectionPool(max_connections={self.max_connections})"

    def _check(self, settings: dict[str, Any]) -> None:
        if self._closed:
            raise RuntimeError("this ConnectionPool was closed: make a new one for new clients")
        if self._settings is None:
            self._settings = settings
        elif settings != self._settings:
            raise ValueError(
                "clients sharing a ConnectionPool must make connections alike (verify_ssl, and httpx_args' cert, "
                "http1, http2, proxy): give this client a pool of its own"
            )

    def lend(self, settings: dict[str, Any]) -> httpx.BaseTransport:
        """The synchronous transport, built on first use with `settings` (httpx.HTTPTransport's arguments)."""
        with self._lock:
            self._check(settings)
            if self._sync is None:
                self._sync = httpx.HTTPTransport(limits=limits(self.max_connections), **settings)
            return _LentTransport(self._sync)

    def lend_async(self, settings: dict[str, Any]) -> httpx.AsyncBaseTransport:
        """The asynchronous transport, built on first use with `settings`."""
        with self._lock:
            self._check(settings)
            if self._async is None:
                self._async = httpx.AsyncHTTPTransport(limits=limits(self.max_connections), **settings)
            return _LentAsyncTransport(self._async)

    def close(self) -> None:
        """Close the synchronous connections (and forget the asynchronous ones: use aclose() inside their event
        loop to close those too). Clients still using the pool fail with RuntimeError."""
        with self._lock:
            self._closed = True
            transport, self._sync = self._sync, None
        if transport is not None:
            transport.close()

    async def aclose(self) -> None:
        """Close every connection of the pool, the asynchronous ones first."""
        with self._lock:
            self._closed = True
            transport, self._async = self._async, None
        if transport is not None:
            await transport.aclose()
        self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


__all__ = ["DEFAULT_MAX_CONNECTIONS", "ConnectionPool"]
