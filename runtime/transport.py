"""The one transport every request goes through: the retry loop, sync and async.

It sits below httpx's redirect and auth handling, so each retry is the same request, sent again. Both loops
ask `RetryPolicy.next_wait` after every attempt and do nothing but what it says: send, wait, send again, or
hand the last outcome back.
"""

import asyncio
import logging
import time

import httpx

from .retry import IDEMPOTENT_METHODS, RETRYABLE_EXCEPTIONS, RetryPolicy

logger = logging.getLogger(__package__)


def _log_retry(
    request: httpx.Request, outcome: httpx.Response | Exception, attempt: int, limit: int, wait: float
) -> None:
    reason = f"HTTP {outcome.status_code}" if isinstance(outcome, httpx.Response) else type(outcome).__name__
    # The path only: a query string could carry something the caller did not mean to log.
    logger.info(
        "%s %s: %s; retry %d of %d in %.2f s", request.method, request.url.path, reason, attempt, limit - 1, wait
    )


class RetryingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps the transport that really sends (an httpx.HTTPTransport / AsyncHTTPTransport, or the caller's)
    with a RetryPolicy."""

    def __init__(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport, policy: RetryPolicy) -> None:
        self._transport = transport
        self._policy = policy

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport
        if not isinstance(transport, httpx.BaseTransport):
            raise TypeError(f"{type(transport).__name__} cannot send synchronous requests; use the asyncio functions")
        if request.method not in IDEMPOTENT_METHODS:
            return transport.handle_request(request)
        attempt, waited = 1, 0.0
        while True:
            outcome: httpx.Response | Exception
            try:
                outcome = transport.handle_request(request)
            except RETRYABLE_EXCEPTIONS as error:
                outcome = error
            wait = self._policy.next_wait(attempt, outcome, waited)
            if wait is None:
                if isinstance(outcome, Exception):
                    raise outcome
                return outcome
            if isinstance(outcome, httpx.Response):
                outcome.read()  # drain it, so that its connection goes back to the pool
                outcome.close()
            _log_retry(request, outcome, attempt, self._policy.max_attempts, wait)
            time.sleep(wait)
            attempt, waited = attempt + 1, waited + wait

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport
        if not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError(f"{type(transport).__name__} cannot send asynchronous requests; use the sync functions")
        if request.method not in IDEMPOTENT_METHODS:
            return await transport.handle_async_request(request)
        attempt, waited = 1, 0.0
        while True:
            outcome: httpx.Response | Exception
            try:
                outcome = await transport.handle_async_request(request)
            except RETRYABLE_EXCEPTIONS as error:
                outcome = error
            wait = self._policy.next_wait(attempt, outcome, waited)
            if wait is None:
                if isinstance(outcome, Exception):
                    raise outcome
                return outcome
            if isinstance(outcome, httpx.Response):
                await outcome.aread()
                await outcome.aclose()
            _log_retry(request, outcome, attempt, self._policy.max_attempts, wait)
            await asyncio.sleep(wait)
            attempt, waited = attempt + 1, waited + wait

    def close(self) -> None:
        if isinstance(self._transport, httpx.BaseTransport):
            self._transport.close()

    async def aclose(self) -> None:
        if isinstance(self._transport, httpx.AsyncBaseTransport):
            await self._transport.aclose()


__all__ = ["RetryingTransport"]
