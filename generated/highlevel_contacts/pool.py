# Vendored from runtime/pool.py by `make generate`: edit that file, never this copy.
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

import asyncio
import threading
import warnings
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
    """The pool's transport as one client sees it: closing the client does not close the pool, and a closed pool
    sends nothing more (rather than open connections nobody would close)."""

    def __init__(self, pool: "ConnectionPool", transport: httpx.BaseTransport) -> None:
        self._pool, self._transport = pool, transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._pool.check_open()
        return self._transport.handle_request(request)

    def close(self) -> None:
        """Nothing: the pool's owner closes it."""


class _LentAsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, pool: "ConnectionPool", transport: httpx.AsyncBaseTransport) -> None:
        self._pool, self._transport = pool, transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._pool.check_open()
        self._pool.check_event_loop()
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        """Nothing: the pool's owner closes it."""


class ConnectionPool:
    """At most `max_connections` connections open at once for every client given `connection_pool=` this pool (a
    request that finds them all busy waits for one, up to the client's pool timeout). The clients sharing a pool
    must make connections alike: the same verify_ssl and httpx_args cert, http1, http2 and proxy values (the same
    objects, for an SSLContext or an httpx.Proxy: they compare by identity); the first client to connect sets
    them, another is a ValueError at its first request. A context manager (sync or async) that closes the pool:
    `async with` (or aclose()) when it was used asynchronously, whose connections belong to one event loop."""

    def __init__(self, max_connections: int = DEFAULT_MAX_CONNECTIONS) -> None:
        self.max_connections = check_max_connections(max_connections)
        self._lock = threading.Lock()
        self._settings: dict[str, Any] | None = None
        self._sync: httpx.HTTPTransport | None = None
        self._async: httpx.AsyncHTTPTransport | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # the event loop the async connections belong to
        self._closed = False

    def __repr__(self) -> str:
        return f"ConnectionPool(max_connections={self.max_connections})"

    def check_open(self) -> None:
        """RuntimeError once the pool was closed."""
        if self._closed:
            raise RuntimeError("this ConnectionPool was closed: make a new one for new clients")

    def check_event_loop(self) -> None:
        """RuntimeError when called from another event loop than the one that first used the async connections
        (nothing to check outside an event loop)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._loop is loop:  # every request after the first: no lock on the hot path
            return
        with self._lock:
            if self._loop is None:
                self._loop = loop
            elif self._loop is not loop:
                raise RuntimeError(
                    "this ConnectionPool's async connections belong to another event loop (an earlier "
                    "asyncio.run()?): make one pool per event loop, e.g. inside the coroutine that asyncio.run() runs"
                )

    def _check(self, settings: dict[str, Any]) -> None:
        self.check_open()
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
            return _LentTransport(self, self._sync)

    def lend_async(self, settings: dict[str, Any]) -> httpx.AsyncBaseTransport:
        """The asynchronous transport, built on first use with `settings`."""
        self.check_event_loop()
        with self._lock:
            self._check(settings)
            if self._async is None:
                self._async = httpx.AsyncHTTPTransport(limits=limits(self.max_connections), **settings)
            return _LentAsyncTransport(self, self._async)

    def close(self) -> None:
        """Close the synchronous connections; clients still using the pool fail with RuntimeError from now on.
        Asynchronous connections need their event loop: close a pool used asynchronously with aclose() (`async
        with`); here they are left to the garbage collector, with a ResourceWarning."""
        with self._lock:
            self._closed = True
            transport, self._sync = self._sync, None
            left_open = self._async is not None
        if transport is not None:
            transport.close()
        if left_open:
            warnings.warn(
                "a ConnectionPool used asynchronously was closed with close(): its async connections are left "
                "open; close it with aclose() or `async with` inside its event loop",
                ResourceWarning,
                stacklevel=2,
            )

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
