"""The errors the client raises: every one a `HighLevelError`, each message built from the error's fields when it
is constructed (an error is never changed afterwards: `MalformedResponseError.within` returns a new one).

`sync()` / `asyncio()` return the parsed success body or raise; `*_detailed()` return the `Response` for any HTTP
status and raise only `APIConnectionError` (the request got no answer) or `MalformedResponseError` (a success body
that is not what the spec says). Which answer becomes which error is `parsing.py`'s job; redacting secrets from
them is `redaction.py`'s.

    HighLevelError
    ├── APIConnectionError            no usable HTTP answer, after retries (refused, reset, DNS, redirect loop)
    │   └── APITimeoutError           a timeout after retries, the call's deadline passed, or no free connection
    ├── MalformedResponseError        a body that is not JSON, not an object, structurally wrong, nested too
    │   │                             deep, or that does not decode as its Content-Encoding
    │   └── ResponseTooLargeError     a body larger than the client's max_response_bytes (after decompression)
    └── APIStatusError                an HTTP error answer; carries status_code, message, trace_id, body, headers
        ├── BadRequestError           400
        ├── AuthenticationError       401
        ├── UnprocessableEntityError  422
        ├── RateLimitError            429 (retries exhausted or the wait exceeds the budget)
        │   └── DailyRateLimitError   429 with X-RateLimit-Daily-Remaining: 0, raised at once
        ├── ServerError               5xx
        ├── UnexpectedStatus          any other status the operation does not document as success
        ├── TokenRefreshError         the token endpoint refused a refresh (invalid_grant, bad client credentials)
        └── MissingScopeError         a 401/403 saying the token lacks a scope the operation needs
    TokenStoreError (HighLevelError)  a token store that cannot be read, parsed, locked or written
    RunStoppedError (HighLevelError)  a bulk fetch stopped sending: nothing could succeed
    EventsIncompleteError (HighLevelError)  a calendar-events listing ended with windows that failed
    WebhookVerificationError (HighLevelError)  a webhook delivery refused: signature, stale, replay, malformed
"""

import pickle
from collections.abc import Mapping
from typing import Any

from .types import RateLimit


def _rebuild(cls: type["HighLevelError"], args: tuple[Any, ...], state: dict[str, Any]) -> "HighLevelError":
    error = cls.__new__(cls, *args)  # BaseException.__new__ keeps args: no constructor runs, nothing is rewritten
    error.__dict__.update(state)
    return error


def _describe(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:
        text = "(a value nested too deep to show)"
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


class HighLevelError(Exception):
    """Base class of every error this client raises.

    Every one survives `pickle` and `copy.deepcopy` with its attributes (a Celery task or a
    ProcessPoolExecutor job that raises one hands it to the parent intact). The chained `__cause__` is not
    pickled, as for any exception."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own __reduce__ calls cls(*args), which keyword-only constructors cannot take.
        state = dict(self.__dict__)
        if "value" in state:
            try:
                pickle.dumps(state["value"])
            except (RecursionError, pickle.PicklingError, TypeError, AttributeError):
                state["value"] = _describe(state["value"])  # a value nested too deep: its description (body is kept)
        return _rebuild, (type(self), self.args, state)


class APIConnectionError(HighLevelError):
    """The request got no HTTP answer (connection refused or reset, DNS failure, ...), after any retries.
    The underlying httpx exception is `__cause__`."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read or write) after any retries, the call's deadline passed, or no
    connection of the pool came free in time (not retried: that is the caller's own concurrency)."""


class MalformedResponseError(HighLevelError):
    """A response body that cannot be what the spec says: not JSON, not an object, or structurally wrong (a
    field the spec types as an array or an object holding something else). `path` is the JSON path of the
    offending value (`$.events[3]`), `value` the value itself, and `body` the raw bytes, so nothing is lost.
    `status_code`, `headers` and `trace_id` are the answer's (None, empty and None for an error raised while
    parsing a value, before the answer is known)."""

    def __init__(
        self,
        expected: str,
        value: Any,
        path: str = "$",
        *,
        status_code: int | None = None,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        trace_id: str | None = None,
    ) -> None:
        self.expected = expected
        self.value = value
        self.path = path
        self.status_code = status_code
        self.body = body
        self.headers: Mapping[str, str] = {} if headers is None else headers
        self.trace_id = trace_id
        status = f" (HTTP {status_code})" if status_code is not None else ""
        self.message = f"malformed response{status}: {path} should be {expected}, got {_describe(value)}"
        super().__init__(self.message)

    def within(self, prefix: str) -> "MalformedResponseError":
        """A new error, this one with its path moved under `prefix` (a property name or `[index]`)."""
        return MalformedResponseError(
            self.expected,
            self.value,
            _moved(self.path, prefix),
            status_code=self.status_code,
            body=self.body,
            headers=self.headers,
            trace_id=self.trace_id,
        )


def _moved(path: str, prefix: str) -> str:
    joiner = "" if prefix.startswith("[") else "."
    return "$" + joiner + prefix + path.removeprefix("$")


class ResponseTooLargeError(MalformedResponseError):
    """A response body larger than the client's `max_response_bytes`, counted after decompression. The client
    stops reading at the limit, so the rest is never held; `body` is empty and `limit` is the limit."""

    def __init__(self, limit: int, *, status_code: int, headers: Mapping[str, str], path: str = "$") -> None:
        self.limit = limit
        super().__init__(
            f"a body of at most {limit} bytes (max_response_bytes)",
            "a larger body",
            path,
            status_code=status_code,
            headers=headers,
        )

    def within(self, prefix: str) -> "ResponseTooLargeError":
        status_code = 0 if self.status_code is None else self.status_code  # always set by the constructor
        return ResponseTooLargeError(
            self.limit, status_code=status_code, headers=self.headers, path=_moved(self.path, prefix)
        )


class APIStatusError(HighLevelError):
    """An HTTP error answer. `message` is HighLevel's `message` (a list of strings is joined with "; "), or the
    start of the body when it is not JSON; `error` and `trace_id` are `None` when the body has none."""

    def __init__(
        self,
        status_code: int,
        *,
        message: str,
        error: str | None,
        trace_id: str | None,
        body: bytes,
        headers: Mapping[str, str],
    ) -> None:
        self.status_code = status_code
        self.message = message
        self.error = error
        self.trace_id = trace_id
        self.body = body
        self.headers = headers
        self.rate_limit = RateLimit.from_headers(headers)
        trace = f" (traceId {trace_id})" if trace_id else ""
        super().__init__(f"HTTP {status_code}{' ' + error if error else ''}: {message}{trace}")


class BadRequestError(APIStatusError):
    """400 Bad Request (HighLevel also answers 400 when the Version header is missing)."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized: the token is missing, invalid, expired, or lacks the scope `contacts.readonly`."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity; `message` joins HighLevel's list of messages with "; "."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests, after retries. `retry_after` is the wait the server asked for, in seconds
    (Retry-After, else the burst window when X-RateLimit-Remaining is 0), or None when it said nothing."""

    def __init__(self, status_code: int, *, message: str, retry_after: float | None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(status_code, message=message, **kwargs)


class DailyRateLimitError(RateLimitError):
    """429 with X-RateLimit-Daily-Remaining: 0: the daily quota is spent, so the client does not retry."""


class ServerError(APIStatusError):
    """5xx: HighLevel (or a proxy in front of it) failed, after retries."""


class UnexpectedStatus(APIStatusError):
    """A status the operation does not document as success and no other class covers (403, 404, 3xx, ...)."""


class TokenRefreshError(APIStatusError):
    """The token endpoint refused to refresh the access token (400/401/422; `error` is HighLevel's, such as
    `invalid_grant` for a refresh token that was used, revoked or expired). The token store is left as it was;
    the client does not try again. An `invalid_grant` means the app must be authorized again (a new
    authorization-code exchange seeds the store anew); "Location is not active" means the same refresh token
    works again once the location is reactivated."""


class LocationTokenError(TokenRefreshError):
    """An agency token was refused a location token for `location_id` (400: the app is not installed at that
    location, or the location is not active; 401: the agency token may not reach it, lacks `oauth.write` or was
    revoked; 422), or the answer was a 5xx or carried no usable access token. The agency's token set and the
    other locations' tokens are left as they were: only this location's calls fail, each with this error."""

    def __init__(self, status_code: int, *, location_id: str, **kwargs: Any) -> None:
        self.location_id = location_id
        super().__init__(status_code, **kwargs)


class TokenStoreError(HighLevelError):
    """A token store could not be read, parsed, locked or written. The message names the store and what went
    wrong, never a token; the OS error, if any, is `__cause__`."""


class RunStoppedError(HighLevelError):
    """A bulk fetch stopped sending because nothing could succeed: its first `failures` requests all failed the
    same way (no connection to the base URL, a TLS or DNS failure, a credential refused after its refresh) and
    none succeeded. Every id not sent yet is reported with this error; `cause` is the failure that repeated
    (an APIConnectionError naming the URL, a TokenRefreshError, an AuthenticationError). Nothing was fetched for
    those ids: once the cause is fixed, fetching them again is safe."""

    def __init__(self, cause: HighLevelError, failures: int) -> None:
        super().__init__(cause, failures)
        self.cause = cause
        self.failures = failures

    def __str__(self) -> str:
        return (
            f"stopped after the first {self.failures} requests all failed the same way and none succeeded: {self.cause}"
        )


class MissingScopeError(APIStatusError):
    """A 401 or 403 whose message says the token is not authorized for a scope (HighLevel: "The token is not
    authorized for this scope."). `scopes` are the scopes the refused operation needs; `alternative`, when
    not empty, says what else can do the job with the scopes the token may have. The answer's fields
    (status_code, message, body, headers, trace_id) are kept."""

    def __init__(self, status_code: int, *, scopes: tuple[str, ...], alternative: str = "", **kwargs: Any) -> None:
        self.scopes = scopes
        self.alternative = alternative
        super().__init__(status_code, **kwargs)

    def __str__(self) -> str:
        needed = " and ".join(self.scopes)
        hint = f"; {self.alternative}" if self.alternative else ""
        return f"{super().__str__()}: the token needs the scope{'s' if len(self.scopes) > 1 else ''} {needed}{hint}"


class EventsIncompleteError(HighLevelError):
    """A calendar-events listing ended, and some of what it had to ask failed after the client's retries:
    `failures` holds each (location, calendar, window) not listed, or each location whose calendars could not be
    listed, with its error. Every event of the windows that did answer was yielded before this is raised, so
    nothing fetched is lost; asking the failed windows again (the same range) completes the listing."""

    def __init__(self, failures: tuple[Any, ...]) -> None:
        super().__init__(failures)
        self.failures = failures

    def __str__(self) -> str:
        count = len(self.failures)
        first = self.failures[0] if self.failures else None
        return f"{count} part{'s' if count != 1 else ''} of the listing failed; the first: {first}"


class WebhookVerificationError(HighLevelError):
    """A webhook delivery that must not be acted on. `reason` says why: "signature" (no valid signature for the
    configured key: missing, garbage, another key's, or a body changed after signing), "stale" (its timestamp is
    more than max_age seconds from now, past or future), "replay" (its webhookId was seen already), "malformed"
    (signed, but not a JSON object with a `type`, a `timestamp` and a `webhookId`). The message says what was
    wrong and never quotes the body. Answer such a request 401 (signature) or 400 and do nothing with it."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"webhook refused ({self.reason}): {self.detail}"


__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "DailyRateLimitError",
    "EventsIncompleteError",
    "HighLevelError",
    "LocationTokenError",
    "MalformedResponseError",
    "MissingScopeError",
    "RateLimitError",
    "ResponseTooLargeError",
    "RunStoppedError",
    "ServerError",
    "TokenRefreshError",
    "TokenStoreError",
    "UnexpectedStatus",
    "UnprocessableEntityError",
    "WebhookVerificationError",
]
