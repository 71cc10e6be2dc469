# Vendored from runtime/errors.py by `make generate`: edit that file, never this copy.
"""Errors raised by the client, and the parsing helpers that raise them.

Every exception is a `HighLevelError`. `sync()` / `asyncio()` return the parsed success body or raise;
`*_detailed()` return the `Response` for any HTTP status and raise only `APIConnectionError` (the request got no
answer) or `MalformedResponseError` (a success body that is not what the spec says).

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
        └── TokenRefreshError         the token endpoint refused a refresh (invalid_grant, bad client credentials)
    TokenStoreError (HighLevelError)  a token store that cannot be read, parsed, locked or written
"""

import json
import logging
import pickle
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

import httpx

from .retry import daily_limit_spent, server_retry_delay
from .types import UNSET, RateLimit, Unset

T = TypeVar("T")

_SNIPPET = 200  # characters of a non-JSON body quoted in a message

logger = logging.getLogger(__package__)

REDACTED = "<redacted>"
"""What replaces a secret in an error's message and body."""

MIN_REDACTED_SECRET_LENGTH = 8
"""Secrets (and pieces of them) shorter than this are not redacted; see `redact`."""


class ResponseLike(Protocol):
    """What the helpers read of a response: an httpx.Response or a types.Response."""

    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


def _rebuild(cls: type["HighLevelError"], args: tuple[Any, ...], state: dict[str, Any]) -> "HighLevelError":
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


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


def _describe(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:
        text = "(a value nested too deep to show)"
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


class MalformedResponseError(HighLevelError):
    """A response body that cannot be what the spec says: not JSON, not an object, or structurally wrong (a
    field the spec types as an array or an object holding something else). `path` is the JSON path of the
    offending value (`$.events[3]`), `value` the value itself, and `body` the raw bytes, so nothing is lost."""

    def __init__(self, expected: str, value: Any, path: str = "$") -> None:
        self.expected = expected
        self.value = value
        self.path = path
        self.status_code: int | None = None
        self.body: bytes = b""
        self.headers: Mapping[str, str] = {}
        self.trace_id: str | None = None
        super().__init__(self._message())

    def _message(self) -> str:
        status = f" (HTTP {self.status_code})" if self.status_code is not None else ""
        return f"malformed response{status}: {self.path} should be {self.expected}, got {_describe(self.value)}"

    @property
    def message(self) -> str:
        return self._message()

    def within(self, prefix: str) -> "MalformedResponseError":
        """The same error, with its path moved under `prefix` (a property name or `[index]`)."""
        joiner = "" if prefix.startswith("[") else "."
        self.path = "$" + joiner + prefix + self.path.removeprefix("$")
        self.args = (self._message(),)
        return self

    def for_response(self, response: ResponseLike) -> "MalformedResponseError":
        """This error, with the answer's status, body and headers. A credential the request carried that the body
        echoes (the token, in a field of the wrong shape) is redacted from the body and the value."""
        self.status_code = int(response.status_code)
        self.body = response.content
        self.headers = response.headers
        self.trace_id = _trace_id(_decode(response.content))
        redactor = _Redactor(_sent_credentials(response))
        if redactor.pattern is not None:
            text = response.content.decode("utf-8", errors="replace")
            if redactor.found_in(text):
                self.body = redactor(text).encode("utf-8")
            try:
                shown = repr(self.value)
            except RecursionError:
                shown = ""
            if redactor.found_in(shown):
                self.value = redactor(shown)  # the value held the secret: its redacted repr instead
        self.args = (self._message(),)
        return self


def _sent_credentials(response: object) -> tuple[str, ...]:
    """The Authorization header the answered request carried, whole and without its scheme."""
    try:
        request = getattr(response, "request", None)
    except RuntimeError:  # an httpx.Response built without a request
        return ()
    headers = getattr(request, "headers", None)
    value = headers.get("authorization") if headers is not None else None
    if not isinstance(value, str) or not value:
        return ()
    _scheme, _, credential = value.partition(" ")
    return (value, credential) if credential else (value,)


class ResponseTooLargeError(MalformedResponseError):
    """A response body larger than the client's `max_response_bytes`, counted after decompression. The client
    stops reading at the limit, so the rest is never held; `body` is empty and `limit` is the limit."""

    def __init__(self, limit: int, *, status_code: int, headers: Mapping[str, str]) -> None:
        self.limit = limit
        super().__init__(f"a body of at most {limit} bytes (max_response_bytes)", "a larger body")
        self.status_code = status_code
        self.headers = headers
        self.args = (self._message(),)


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


_CLASS_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    422: UnprocessableEntityError,
}


def _decode(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        return None


def _trace_id(decoded: Any) -> str | None:
    trace_id = decoded.get("traceId") if isinstance(decoded, dict) else None
    return trace_id if isinstance(trace_id, str) else None


def _text(value: Any) -> str:
    try:
        return str(value)
    except RecursionError:
        return "(a value nested too deep to show)"


def _message_of(decoded: Any, body: bytes) -> tuple[str, str | None]:
    if isinstance(decoded, dict):
        message = decoded.get("message")
        if isinstance(message, list):
            message = "; ".join(_text(part) for part in message)
        error = decoded.get("error")
        error = error if isinstance(error, str) else None
        if message is not None:
            return _text(message), error
        try:
            return json.dumps(decoded)[:_SNIPPET], error
        except RecursionError:
            return body.decode("utf-8", errors="replace")[:_SNIPPET], error
    text = body.decode("utf-8", errors="replace").strip()
    return (text[:_SNIPPET] + ("..." if len(text) > _SNIPPET else "")) or "(empty body)", None


def redact(text: str, secrets: Iterable[str], marker: str = REDACTED) -> str:
    """`text` with every occurrence of each secret replaced by `marker`.

    A secret is looked for in every form a lower layer may quote it in: whole, escaped (Python's and JSON's
    escapes, `\\/` for `/`, h11's bytes repr) and each visible run of it (a value cut at a control character).
    All forms are replaced in one pass, longest first, so no replacement is scanned again: a marker never ends up
    inside a marker, and a marker already in `text` (this one or the default) is left whole.

    A form of at least `MIN_REDACTED_SECRET_LENGTH` (8) characters is replaced wherever it occurs, inside a
    longer word too: showing a real secret is worse than cutting a word. A shorter one is not replaced at all:
    no real token is that short, and replacing one (a test's token "a") would cut every word holding its
    characters and so show which characters it has. The first time a secret that short is given, a warning is
    logged (logger `highlevel_contacts`, not naming it).
    """
    return _Redactor(secrets, marker)(text)


class _Redactor:
    """One regex for a set of secrets: each of their forms, then the markers to leave alone."""

    def __init__(self, secrets: Iterable[str], marker: str = REDACTED) -> None:
        self.marker = marker
        forms = _secret_forms(tuple(secrets))
        kept = sorted({marker, REDACTED}, key=len, reverse=True)
        # The forms come first: at each position the longest form wins, and a marker is matched (and kept) only
        # where no form starts, so the secrets' text inside a marker is never replaced.
        self.pattern = (
            re.compile(f"(?P<secret>{'|'.join(map(re.escape, forms))})|{'|'.join(map(re.escape, kept))}")
            if forms
            else None
        )

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        return self.marker if match.lastgroup == "secret" else match.group()

    def found_in(self, text: str) -> bool:
        return self(text) != text


def status_error(response: ResponseLike, secrets: tuple[str, ...] = ()) -> APIStatusError:
    """The exception for an HTTP error answer. A secret the answer echoes (a message quoting the token) is
    redacted from the message, the error and the kept body (see `redact`)."""
    code = int(response.status_code)
    body = response.content
    redactor = _Redactor(secrets)
    if redactor.pattern is not None and redactor.found_in(body.decode("utf-8", errors="replace")):
        body = redactor(body.decode("utf-8", errors="replace")).encode("utf-8")
    decoded = _decode(body)
    message, error = _message_of(decoded, body)
    # Again after decoding: a secret the body spells with JSON escapes no form covers (\uXXXX for any character).
    message, error = redactor(message), None if error is None else redactor(error)
    common: dict[str, Any] = {
        "error": error,
        "trace_id": _trace_id(decoded),
        "body": body,
        "headers": response.headers,
    }
    if code == 429:
        retry_after = server_retry_delay(code, response.headers)
        if daily_limit_spent(code, response.headers):
            return DailyRateLimitError(
                code,
                message=f"daily rate limit spent (X-RateLimit-Daily-Remaining: 0): {message}",
                retry_after=retry_after,
                **common,
            )
        return RateLimitError(code, message=message, retry_after=retry_after, **common)
    if 500 <= code <= 599:
        return ServerError(code, message=message, **common)
    return _CLASS_BY_STATUS.get(code, UnexpectedStatus)(code, message=message, **common)


def request_error(
    error: httpx.HTTPError, *, method: str, url: str, secrets: tuple[str, ...] = ()
) -> APIConnectionError:
    """The exception for a request that got no usable answer, with `error` as its cause: APITimeoutError for
    a timeout (a pool timeout says that it is the caller's own concurrency), else APIConnectionError (refused,
    reset, a redirect loop, ...). Should any of `secrets` appear in the message of `error` or of what it
    chains (httpx and h11 quote header values they refuse), the cause is a copy of `error` with them redacted
    and nothing chained, so no str(), repr() or traceback of the result shows them; they are redacted from `url`
    (and the message) too (see `redact`)."""
    redactor = _Redactor(secrets)
    cause = _redacted(error, redactor)
    url = redactor(url)
    kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    detail = f"{type(cause).__name__}: {cause}"
    if isinstance(error, httpx.PoolTimeout):
        detail += (
            " (no connection of the pool came free in time: more requests at once than the pool's"
            " max_connections; bound your own concurrency, or raise httpx.Limits through httpx_args. Not retried)"
        )
    failure = kind(f"{method} {url}: {detail}", method=method, url=url)
    failure.__cause__ = cause
    failure.__suppress_context__ = True
    return failure


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is not None and all(current is not other for other in seen):
            seen.append(current)
            pending += [current.__cause__, current.__context__]
    return seen


_short_secret_warned = False  # the warning about a secret too short to redact is logged once per process


def _secret_forms(secrets: tuple[str, ...]) -> list[str]:
    """Each secret as a lower layer may quote it: whole, escaped (h11 shows a header as bytes repr; a JSON body
    escapes quotes, backslashes and control characters, some servers `/` too), and each visible run of it (a
    value cut at a control character), longest first; forms shorter than MIN_REDACTED_SECRET_LENGTH left out."""
    global _short_secret_warned
    forms: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        if len(secret) < MIN_REDACTED_SECRET_LENGTH and not _short_secret_warned:
            _short_secret_warned = True
            logger.warning(
                "a secret (token, client secret or refresh token) shorter than %d characters is not redacted from "
                "error messages: no real one is that short, and replacing it would garble them",
                MIN_REDACTED_SECRET_LENGTH,
            )
        json_escaped = json.dumps(secret)[1:-1]
        forms.update(
            {
                secret,
                repr(secret)[1:-1],
                repr(secret.encode("utf-8", "backslashreplace"))[2:-1],
                json_escaped,
                json.dumps(secret, ensure_ascii=False)[1:-1],
                json_escaped.replace("/", "\\/"),
            }
        )
        forms.update(re.split(r"[^\x21-\x7e]+", secret))
    return sorted((form for form in forms if len(form) >= MIN_REDACTED_SECRET_LENGTH), key=len, reverse=True)


def _redacted(error: httpx.HTTPError, redactor: _Redactor) -> httpx.HTTPError:
    texts = [text for link in _chain(error) for text in (str(link), repr(link), *map(repr, link.args))]
    if not any(redactor.found_in(text) for text in texts):
        return error
    message = redactor(str(error))
    try:
        copy = type(error)(message)
    except TypeError:  # a subclass with another signature
        copy = httpx.HTTPError(message)
    return copy


def token_refresh_error(response: ResponseLike, secrets: tuple[str, ...] = ()) -> TokenRefreshError:
    """The exception for a refused refresh: the token endpoint's status, message and error (secrets that the
    answer echoes redacted)."""
    base = status_error(response, secrets)
    return TokenRefreshError(
        base.status_code,
        message=f"token refresh refused: {base.message}",
        error=base.error,
        trace_id=base.trace_id,
        body=base.body,
        headers=base.headers,
    )


def location_token_error(response: ResponseLike, location_id: str, secrets: tuple[str, ...] = ()) -> LocationTokenError:
    """The exception for a refused location token: the status, message and error of the answer, naming the
    location (secrets that the answer echoes redacted)."""
    base = status_error(response, secrets)
    return LocationTokenError(
        base.status_code,
        location_id=location_id,
        message=f"no access token for location {location_id}: {base.message}",
        error=base.error,
        trace_id=base.trace_id,
        body=base.body,
        headers=base.headers,
    )


def raise_for_status(response: ResponseLike, success: frozenset[int], secrets: tuple[str, ...] = ()) -> None:
    """Raise the matching `APIStatusError` unless the status is one the operation documents as success."""
    if int(response.status_code) not in success:
        raise status_error(response, secrets)


# Parsing helpers for the generated models and endpoints. They raise MalformedResponseError, never a raw
# TypeError, KeyError or JSONDecodeError, and they keep every value they do not have to reject.


def parse_json_object(response: ResponseLike, from_dict: Callable[[Mapping[str, Any]], T]) -> T:
    """Decode a response body that the spec says is a JSON object, and build the model from it."""
    try:
        decoded = json.loads(response.content)
    except ValueError:
        raise MalformedResponseError("a JSON document", response.content[:_SNIPPET]).for_response(response) from None
    except RecursionError:
        raise MalformedResponseError(
            "a JSON document nested no deeper than Python's recursion limit", response.content[:_SNIPPET]
        ).for_response(response) from None
    try:
        return from_dict(expect_object(decoded))
    except MalformedResponseError as error:
        raise error.for_response(response) from None


def parse_json_object_or_none(response: ResponseLike, from_dict: Callable[[Mapping[str, Any]], T]) -> T | None:
    """For error bodies: the model when the body is what the spec says, else None (the exception raised for the
    status keeps the raw body)."""
    try:
        return parse_json_object(response, from_dict)
    except MalformedResponseError:
        return None


def expect_object(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedResponseError("an object", value)
    return value


def model_list(value: Any, from_dict: Callable[[Mapping[str, Any]], T], name: str) -> list[T] | Unset | None:
    """A list of objects built with `from_dict`; None and UNSET as is; anything else malformed, with its path."""
    if value is None or value is UNSET:
        return value
    if not isinstance(value, list):
        raise MalformedResponseError("an array", value).within(name)
    index = 0
    try:
        parsed = []
        for index, item in enumerate(value):  # noqa: B007 - index names the failing item below
            parsed.append(from_dict(item))
        return parsed
    except MalformedResponseError as error:
        raise error.within(f"[{index}]").within(name) from None


__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "DailyRateLimitError",
    "HighLevelError",
    "LocationTokenError",
    "MalformedResponseError",
    "RateLimitError",
    "ResponseTooLargeError",
    "RunStoppedError",
    "ServerError",
    "TokenRefreshError",
    "TokenStoreError",
    "UnexpectedStatus",
    "UnprocessableEntityError",
    "location_token_error",
    "raise_for_status",
    "request_error",
    "status_error",
    "token_refresh_error",
]
