"""The one transport every request goes through: rate budget, deadline, body size, and the retry loop, sync and
async. Each attempt first takes a slot from the client's rate limiter (ratelimit.py) and teaches it from the answer.

It sits below httpx's redirect and auth handling, so each retry is the same request, sent again. Each attempt
reads the whole body here, so a failure while reading it (a cut or stalled body) is an outcome of the attempt
like a failure before the headers, and the size limit applies while reading. After every attempt both loops
ask `RetryPolicy.next_wait` and do nothing but what it says: send again after a wait, or hand the last outcome
back. The call's deadline bounds everything: each attempt's timeouts are cut to the time left, no wait may
pass it, and once it has passed the call raises `errors.APITimeoutError`.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Coroutine, Iterator, Mapping
from typing import Any

import httpx

from .errors import APITimeoutError, MalformedResponseError, ResponseTooLargeError
from .ratelimit import DailyLimitSpent, RateLimiter, daily_limit_error
from .redis_backend import RedisUnavailableError
from .retry import IDEMPOTENT_METHODS, RETRYABLE_EXCEPTIONS, RetryPolicy

logger = logging.getLogger(__package__)

DEADLINE_EXTENSION = "highlevel_contacts.deadline"
"""Request extension holding the `time.monotonic()` by which the call must be over (None: no deadline)."""

SAFE_TO_REPEAT_EXTENSION = "highlevel_contacts.safe_to_repeat"
"""Request extension: True when the request may be sent again whatever its method (Client.safe_to_repeat())."""

# The failures that prove a request never left: no connection was made. Only these are retried for a request
# that is not safe to repeat (a POST that spends a refresh token): after it was sent, the server may have acted.
_UNSENT_FAILURES = (httpx.ConnectError, httpx.ConnectTimeout)

_NO_RETRY = RetryPolicy(max_attempts=1)


def _log_retry(
    request: httpx.Request, outcome: httpx.Response | Exception, attempt: int, limit: int, wait: float
) -> None:
    reason = f"HTTP {outcome.status_code}" if isinstance(outcome, httpx.Response) else type(outcome).__name__
    # The path only: a query string could carry something the caller did not mean to log.
    logger.info(
        "%s %s: %s; retry %d of %d in %.2f s", request.method, request.url.path, reason, attempt, limit - 1, wait
    )


def _malformed(expected: str, value: object, response: httpx.Response) -> MalformedResponseError:
    """MalformedResponseError for an answer whose body was not read (so it keeps the status and headers only)."""
    return MalformedResponseError(expected, value, status_code=response.status_code, headers=response.headers)


def _declared_size(response: httpx.Response) -> int:
    """The body size a plain (not compressed) answer declares, so that one past the limit is refused before a
    byte of it is read; 0 when it declares none or is compressed."""
    length = response.headers.get("Content-Length", "")
    if "Content-Encoding" in response.headers or not (length.isascii() and length.isdigit()):
        return 0
    return int(length)


class _Call:
    """What one call through the transport needs besides the request: its deadline and its limits."""

    def __init__(
        self, request: httpx.Request, policy: RetryPolicy, max_response_bytes: int | None, limiter: RateLimiter | None
    ) -> None:
        self.request = request
        self.limiter = limiter
        self.slot: str | None = None  # the limiter's slot the current attempt holds
        self.policy = policy
        marked = request.extensions.get(SAFE_TO_REPEAT_EXTENSION) is True
        self.repeatable = request.method in IDEMPOTENT_METHODS or marked
        self.max_response_bytes = max_response_bytes
        deadline = request.extensions.get(DEADLINE_EXTENSION)
        self.deadline: float | None = deadline if isinstance(deadline, float) else None
        timeouts = request.extensions.get("timeout")
        self.timeouts: Mapping[str, float | None] = timeouts if isinstance(timeouts, Mapping) else {}
        self.caller_trace = request.extensions.get("trace")  # the caller's own httpcore trace, still called
        self.sent_at: float | None = None  # when the attempt's request headers were written
        self.answered_at: float | None = None  # when its answer's headers were read

    def watch(self, asynchronous: bool) -> None:
        """Note when this attempt's request headers are written (httpcore's trace; a transport that does not
        trace leaves it unknown), for `counted_ago`."""
        self.sent_at = self.answered_at = None
        caller = self.caller_trace

        def sent(name: str) -> None:
            if name.endswith(".send_request_headers.complete"):
                self.sent_at = time.monotonic()

        if asynchronous:

            async def trace_async(name: str, info: dict[str, Any]) -> None:
                sent(name)
                if caller is not None:
                    await caller(name, info)

            self.request.extensions = {**self.request.extensions, "trace": trace_async}
        else:

            def trace(name: str, info: dict[str, Any]) -> None:
                sent(name)
                if caller is not None:
                    caller(name, info)

            self.request.extensions = {**self.request.extensions, "trace": trace}

    def answer_timing(self, response: httpx.Response) -> dict[str, Any]:
        """What the limiter learns from when the answer came: how long ago the server counted the request at the
        latest, and whether it refused it (a 429: it counts later than that)."""
        return {"counted_ago": self.counted_ago(), "refused": response.status_code == 429}

    def counted_ago(self) -> float:
        """How long ago, at the latest, the server counted the answered request: halfway between its headers
        leaving and the answer's arriving (the ways there and back taking alike, the server received it no later;
        HighLevel's ~0.3 s answers are mostly its own work). 0 (now) when the sending time is unknown."""
        if self.sent_at is None or self.answered_at is None:
            return 0.0
        return max(0.0, time.monotonic() - (self.sent_at + self.answered_at) / 2)

    def deadline_error(self) -> APITimeoutError:
        url = str(self.request.url)
        return APITimeoutError(
            f"{self.request.method} {url}: the call's deadline passed", method=self.request.method, url=url
        )

    def start_attempt(self) -> None:
        """Raise once the deadline has passed; otherwise cut this attempt's timeouts to the time left."""
        if self.deadline is None:
            return
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.deadline_error()
        clamped: dict[str, Any] = {
            name: left if value is None else min(value, left) for name, value in self.timeouts.items()
        }
        self.request.extensions = {
            **self.request.extensions,
            "timeout": clamped or {"connect": left, "read": left, "write": left, "pool": left},
        }

    def rate_limit_error(self, error: DailyLimitSpent) -> Exception:
        return daily_limit_error(self.request.method, str(self.request.url))

    def release(self, outcome: httpx.Response | BaseException) -> None:
        """Give the attempt's slot back to the limiter, teaching it from the answer if there is one."""
        if self.limiter is not None and self.slot is not None:
            slot, self.slot = self.slot, None
            try:
                if isinstance(outcome, httpx.Response):
                    self.limiter.answered(outcome.headers, slot, **self.answer_timing(outcome))
                else:
                    self.limiter.unanswered(slot)
            except RedisUnavailableError as error:
                self._not_counted(outcome, error)

    async def arelease(self, outcome: httpx.Response | BaseException) -> None:
        """`release` for the async loop: a Redis-backed limiter answers through redis.asyncio, never blocking it."""
        if self.limiter is not None and self.slot is not None:
            slot, self.slot = self.slot, None
            try:
                if isinstance(outcome, httpx.Response):
                    await self.limiter.answered_async(outcome.headers, slot, **self.answer_timing(outcome))
                else:
                    await self.limiter.unanswered_async(slot)
            except RedisUnavailableError as error:
                self._not_counted(outcome, error)

    def _not_counted(self, outcome: httpx.Response | BaseException, error: RedisUnavailableError) -> None:
        # The outcome is what the caller is owed: an answer HighLevel has already counted (and the budget spent)
        # must not turn into a failure because the shared budget could not hear of it. The slot stays pinned in
        # Redis until it frees itself (60 s), which errs on the side of sending less; the next request's slot
        # meets the unavailable server first, unsent.
        if isinstance(outcome, httpx.Response):
            what = f"answered HTTP {outcome.status_code}; the answer stands"
        else:
            what = f"no answer ({type(outcome).__name__})"
        # The path only (a query string could carry something the caller did not mean to log); the error names
        # the Redis server as host:port/db, never its password.
        logger.warning(
            "%s %s: %s, but the rate budget could not count it: %s",
            self.request.method,
            self.request.url.path,
            what,
            error,
        )

    async def within_deadline(self, answer: Coroutine[Any, Any, httpx.Response]) -> httpx.Response:
        """The answer's status line and headers, awaited no longer than the deadline (a server can drip them)."""
        if self.deadline is None:
            return await answer
        try:
            async with asyncio.timeout(max(0.0, self.deadline - time.monotonic())):  # no extra task, unlike wait_for
                return await answer
        except TimeoutError:
            raise self.deadline_error() from None

    def check_deadline(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise self.deadline_error()

    def check_chunk(self, size: int, response: httpx.Response) -> None:
        if self.max_response_bytes is not None and size > self.max_response_bytes:
            raise ResponseTooLargeError(
                self.max_response_bytes, status_code=response.status_code, headers=response.headers
            )
        self.check_deadline()

    def prepare_body(self, response: httpx.Response) -> None:
        """Refuse stacked encodings, and watch the deadline on the raw body."""
        codings = [part.strip() for part in response.headers.get("Content-Encoding", "").split(",")]
        if len([coding for coding in codings if coding and coding.lower() != "identity"]) > 1:
            # gzip inside gzip multiplies the expansion of each: a few KB that decode to GBs before any check
            raise _malformed("a body in at most one Content-Encoding", ", ".join(codings), response)
        response.stream = _DeadlineStream(response.stream, self)

    def decoding_error(self, error: httpx.DecodingError, response: httpx.Response) -> MalformedResponseError:
        encoding = response.headers.get("Content-Encoding", "identity")
        return _malformed(f"a body that decodes as its Content-Encoding ({encoding})", str(error), response)

    def next_wait(self, attempt: int, outcome: httpx.Response | Exception, waited: float) -> float | None:
        if not self.repeatable and not isinstance(outcome, _UNSENT_FAILURES):
            return None  # it may have been sent: sending it again could repeat what it did
        wait = self.policy.next_wait(attempt, outcome, waited)
        if wait is not None and self.deadline is not None and time.monotonic() + wait >= self.deadline:
            return None  # the next attempt could not start before the deadline
        return wait

    def give_up(self, outcome: httpx.Response | Exception) -> httpx.Response:
        """Hand the last outcome back: the answer, or its exception (the deadline's, if that is what ended it)."""
        if isinstance(outcome, httpx.Response):
            return outcome
        if (
            isinstance(outcome, httpx.TimeoutException)
            and self.deadline is not None
            and time.monotonic() >= self.deadline
        ):
            raise self.deadline_error() from outcome
        raise outcome


class _DeadlineStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The raw body, checked against the call's deadline at every chunk that arrives (a decoder may turn many
    raw chunks into no bytes at all, so checking the decoded ones is not enough)."""

    def __init__(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream, call: "_Call") -> None:
        self._stream = stream
        self._call = call

    def __iter__(self) -> Iterator[bytes]:
        assert isinstance(self._stream, httpx.SyncByteStream)
        for chunk in self._stream:
            self._call.check_deadline()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert isinstance(self._stream, httpx.AsyncByteStream)
        async for chunk in self._stream:
            self._call.check_deadline()
            yield chunk

    def close(self) -> None:
        if isinstance(self._stream, httpx.SyncByteStream):
            self._stream.close()

    async def aclose(self) -> None:
        if isinstance(self._stream, httpx.AsyncByteStream):
            await self._stream.aclose()


class PolicyTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps the transport that really sends (an httpx.HTTPTransport / AsyncHTTPTransport, or the caller's)
    with the client's RetryPolicy (None: one attempt), body size limit and the call's deadline."""

    def __init__(
        self,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport,
        policy: RetryPolicy | None,
        max_response_bytes: int | None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self._transport = transport
        self._policy = policy or _NO_RETRY
        self._max_response_bytes = max_response_bytes
        self._limiter = limiter

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport
        if not isinstance(transport, httpx.BaseTransport):
            raise TypeError(f"{type(transport).__name__} cannot send synchronous requests; use the asyncio functions")
        call = _Call(request, self._policy, self._max_response_bytes, self._limiter)
        attempt, waited = 1, 0.0
        while True:
            call.start_attempt()
            if call.limiter is not None:
                try:
                    call.slot = call.limiter.acquire(call.deadline)
                except DailyLimitSpent as spent:
                    raise call.rate_limit_error(spent) from None
                if call.slot is None:
                    raise call.deadline_error()
            outcome: httpx.Response | Exception
            try:
                call.start_attempt()  # again: the wait for a slot came out of the time left
                call.watch(asynchronous=False)
                response = transport.handle_request(request)
                call.answered_at = time.monotonic()
                outcome = self._read(call, response)
            except RETRYABLE_EXCEPTIONS as error:
                outcome = error
            except BaseException as error:
                call.release(error)
                raise
            call.release(outcome)
            wait = call.next_wait(attempt, outcome, waited)
            if wait is None:
                return call.give_up(outcome)
            _log_retry(request, outcome, attempt, call.policy.max_attempts, wait)
            time.sleep(wait)
            attempt, waited = attempt + 1, waited + wait

    @staticmethod
    def _read(call: _Call, response: httpx.Response) -> httpx.Response:
        try:
            call.check_chunk(_declared_size(response), response)
            call.prepare_body(response)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                call.check_chunk(size, response)
                chunks.append(chunk)
        except BaseException as error:
            response.close()
            if isinstance(error, httpx.DecodingError):
                raise call.decoding_error(error, response) from error
            raise
        # What httpx's own Response.read() stores; httpx's client then finds the body already read.
        response._content = b"".join(chunks)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport
        if not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError(f"{type(transport).__name__} cannot send asynchronous requests; use the sync functions")
        call = _Call(request, self._policy, self._max_response_bytes, self._limiter)
        attempt, waited = 1, 0.0
        while True:
            call.start_attempt()
            if call.limiter is not None:
                try:
                    call.slot = await call.limiter.acquire_async(call.deadline)
                except DailyLimitSpent as spent:
                    raise call.rate_limit_error(spent) from None
                if call.slot is None:
                    raise call.deadline_error()
            outcome: httpx.Response | Exception
            try:
                call.start_attempt()  # again: the wait for a slot came out of the time left
                call.watch(asynchronous=True)
                response = await call.within_deadline(transport.handle_async_request(request))
                call.answered_at = time.monotonic()
                outcome = await self._aread(call, response)
            except RETRYABLE_EXCEPTIONS as error:
                outcome = error
            except BaseException as error:
                await call.arelease(error)
                raise
            await call.arelease(outcome)
            wait = call.next_wait(attempt, outcome, waited)
            if wait is None:
                return call.give_up(outcome)
            _log_retry(request, outcome, attempt, call.policy.max_attempts, wait)
            await asyncio.sleep(wait)
            attempt, waited = attempt + 1, waited + wait

    @staticmethod
    async def _aread(call: _Call, response: httpx.Response) -> httpx.Response:
        try:
            call.check_chunk(_declared_size(response), response)
            call.prepare_body(response)
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                call.check_chunk(size, response)
                chunks.append(chunk)
        except BaseException as error:
            await response.aclose()
            if isinstance(error, httpx.DecodingError):
                raise call.decoding_error(error, response) from error
            raise
        response._content = b"".join(chunks)
        return response

    def close(self) -> None:
        if isinstance(self._transport, httpx.BaseTransport):
            self._transport.close()

    async def aclose(self) -> None:
        if isinstance(self._transport, httpx.AsyncBaseTransport):
            await self._transport.aclose()
        if self._limiter is not None:
            await self._limiter.aclose()  # its connections for this event loop (a Redis budget's) close with ours


__all__ = ["DEADLINE_EXTENSION", "SAFE_TO_REPEAT_EXTENSION", "PolicyTransport"]
