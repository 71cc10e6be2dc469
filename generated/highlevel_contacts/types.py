"""Contains some shared types for properties"""

import datetime
import email.utils
from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, BinaryIO, Generic, Literal, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


@define(frozen=True)
class RateLimit:
    """HighLevel's rate-limit state, from the X-RateLimit-* headers of a response; `None` where a header is
    absent or not an integer. Limits are per app and location: a burst window and a daily quota."""

    max: int | None
    """X-RateLimit-Max: requests allowed per burst window."""
    remaining: int | None
    """X-RateLimit-Remaining: requests left in the current burst window."""
    interval_milliseconds: int | None
    """X-RateLimit-Interval-Milliseconds: length of the burst window."""
    limit_daily: int | None
    """X-RateLimit-Limit-Daily: requests allowed per day."""
    daily_remaining: int | None
    """X-RateLimit-Daily-Remaining: requests left today; 0 means the daily quota is spent."""

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> "RateLimit":
        return cls(
            max=_header_int(headers, "X-RateLimit-Max"),
            remaining=_header_int(headers, "X-RateLimit-Remaining"),
            interval_milliseconds=_header_int(headers, "X-RateLimit-Interval-Milliseconds"),
            limit_daily=_header_int(headers, "X-RateLimit-Limit-Daily"),
            daily_remaining=_header_int(headers, "X-RateLimit-Daily-Remaining"),
        )


def retry_after_seconds(headers: Mapping[str, str], now: datetime.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date); None if absent or invalid."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    return max(0.0, (when - now).total_seconds())


def server_retry_delay(status_code: int, headers: Mapping[str, str]) -> float | None:
    """The wait, in seconds, that an answer asks for before the request is tried again: its Retry-After, else,
    on a 429 with X-RateLimit-Remaining: 0, the burst window X-RateLimit-Interval-Milliseconds. None when the
    answer says nothing."""
    delay = retry_after_seconds(headers)
    if delay is None and status_code == 429:
        rate_limit = RateLimit.from_headers(headers)
        if rate_limit.remaining == 0 and rate_limit.interval_milliseconds is not None:
            delay = rate_limit.interval_milliseconds / 1000
    return delay


T = TypeVar("T")


def http_status(code: int) -> HTTPStatus | int:
    """The HTTPStatus for a standard code; the plain int for a code the standard library does not name (599)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None

    @property
    def rate_limit(self) -> RateLimit:
        """The X-RateLimit-* values this response carried."""
        return RateLimit.from_headers(self.headers)


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RateLimit",
    "RequestFiles",
    "Response",
    "Unset",
    "http_status",
    "retry_after_seconds",
    "server_retry_delay",
]
