"""What an answer (or the lack of one) becomes: the exception for an HTTP error answer or a failed request, and
the parsed model for a body, raising `MalformedResponseError` for one that is not what the spec says.

The generated endpoints and models call the parse helpers (`parse_json_object`, `expect_object`,
`model_list`); `client.py` raises `raise_for_status` / `request_error`; the OAuth modules `token_refresh_error` /
`location_token_error`. Secrets an answer echoes are redacted (redaction.py) from every error built here.
"""

import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

import httpx

from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    DailyRateLimitError,
    LocationTokenError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
    TokenRefreshError,
    UnexpectedStatus,
    UnprocessableEntityError,
)
from .redaction import Redactor, redacted_cause, sent_credentials
from .retry import daily_limit_spent, server_retry_delay
from .types import UNSET, Unset

T = TypeVar("T")

_SNIPPET = 200  # characters of a non-JSON body quoted in a message


class ResponseLike(Protocol):
    """What the helpers read of a response: an httpx.Response or a types.Response."""

    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


# --- HTTP error answers and failed requests ---------------------------------------------------------------------

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


def status_error(response: ResponseLike, secrets: tuple[str, ...] = ()) -> APIStatusError:
    """The exception for an HTTP error answer. A secret the answer echoes (a message quoting the token) is
    redacted from the message, the error and the kept body (see `redaction.redact`)."""
    code = int(response.status_code)
    body = response.content
    redactor = Redactor(secrets)
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


def raise_for_status(response: ResponseLike, success: frozenset[int], secrets: tuple[str, ...] = ()) -> None:
    """Raise the matching `APIStatusError` unless the status is one the operation documents as success."""
    if int(response.status_code) not in success:
        raise status_error(response, secrets)


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


def request_error(
    error: httpx.HTTPError, *, method: str, url: str, secrets: tuple[str, ...] = ()
) -> APIConnectionError:
    """The exception for a request that got no usable answer, with `error` as its cause: APITimeoutError for
    a timeout (a pool timeout says that it is the caller's own concurrency), else APIConnectionError (refused,
    reset, a redirect loop, ...). Should any of `secrets` appear in the message of `error` or of what it
    chains (httpx and h11 quote header values they refuse), the cause is a copy of `error` with them redacted
    and nothing chained, so no str(), repr() or traceback of the result shows them; they are redacted from `url`
    (and the message) too (see `redaction.redact`)."""
    redactor = Redactor(secrets)
    cause = redacted_cause(error, redactor)
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


# --- Bodies -----------------------------------------------------------------------------------------------------
# Parsing helpers for the generated models and endpoints. They raise MalformedResponseError, never a raw
# TypeError, KeyError or JSONDecodeError, and they keep every value they do not have to reject.


def with_response(error: MalformedResponseError, response: ResponseLike) -> MalformedResponseError:
    """A new error, `error` with the answer's status, body, headers and trace id. A credential the request
    carried that the body echoes (the token, in a field of the wrong shape) is redacted from the body and the
    value."""
    body, value = response.content, error.value
    redactor = Redactor(sent_credentials(response))
    if redactor.pattern is not None:
        text = body.decode("utf-8", errors="replace")
        if redactor.found_in(text):
            body = redactor(text).encode("utf-8")
        try:
            shown = repr(value)
        except RecursionError:
            shown = ""
        if redactor.found_in(shown):
            value = redactor(shown)  # the value held the secret: its redacted repr instead
    return MalformedResponseError(
        error.expected,
        value,
        error.path,
        status_code=int(response.status_code),
        body=body,
        headers=response.headers,
        trace_id=_trace_id(_decode(response.content)),
    )


def parse_json_object(response: ResponseLike, from_dict: Callable[[Mapping[str, Any]], T]) -> T:
    """Decode a response body that the spec says is a JSON object, and build the model from it."""
    try:
        decoded = json.loads(response.content)
    except ValueError:
        raise with_response(MalformedResponseError("a JSON document", response.content[:_SNIPPET]), response) from None
    except RecursionError:
        malformed = MalformedResponseError(
            "a JSON document nested no deeper than Python's recursion limit", response.content[:_SNIPPET]
        )
        raise with_response(malformed, response) from None
    try:
        return from_dict(expect_object(decoded))
    except MalformedResponseError as error:
        raise with_response(error, response) from None


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


# The generated models and endpoints import this module as `errors` (their templates' bodies still spell
# `errors.MalformedResponseError` next to `errors.model_list`), so the error they raise and catch is here too.
__all__ = [
    "ResponseLike",
    "expect_object",
    "location_token_error",
    "model_list",
    "parse_json_object",
    "parse_json_object_or_none",
    "raise_for_status",
    "request_error",
    "status_error",
    "token_refresh_error",
    "with_response",
]
