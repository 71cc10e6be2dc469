"""Shared types for the generated models and endpoints: UNSET, File, Response, and HighLevel's RateLimit.

The generator's stock `types.py` plus what HighLevel's answers need: `Response.rate_limit` (the five
X-RateLimit-* headers, parsed) and `http_status` (a status code the standard library does not name stays an int).
"""

import math
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


def _header_numbers(headers: Mapping[str, str], name: str) -> list[int] | None:
    """Every value of header `name` as a whole number, or None when it is absent or any value is not one.

    Read defensively: a repeated header (which httpx joins as `0, 0`) gives each of its values, `0.0` reads as
    0, and a negative, fractional or non-finite number, or any other text, makes the header count as absent."""
    value = headers.get(name)
    if value is None:
        return None
    numbers = []
    for part in value.split(","):
        try:
            number = float(part.strip())
        except ValueError:
            return None
        if not math.isfinite(number) or number < 0 or not number.is_integer():
            return None
        numbers.append(int(number))
    return numbers


def _least(headers: Mapping[str, str], name: str) -> int | None:
    numbers = _header_numbers(headers, name)
    return min(numbers) if numbers else None


def _most(headers: Mapping[str, str], name: str) -> int | None:
    numbers = _header_numbers(headers, name)
    return max(numbers) if numbers else None


@define(frozen=True)
class RateLimit:
    """HighLevel's rate-limit state, from the X-RateLimit-* headers of a response; `None` where a header is
    absent or not a whole number >= 0 (`0.0` counts as 0). A header sent twice counts as its most cautious
    value: the smallest budget, the longest window. Limits are per app and location: a burst window and a
    daily quota."""

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
            max=_least(headers, "X-RateLimit-Max"),
            remaining=_least(headers, "X-RateLimit-Remaining"),
            interval_milliseconds=_most(headers, "X-RateLimit-Interval-Milliseconds"),
            limit_daily=_least(headers, "X-RateLimit-Limit-Daily"),
            daily_remaining=_least(headers, "X-RateLimit-Daily-Remaining"),
        )


def http_status(code: int) -> HTTPStatus | int:
    """The HTTPStatus for a standard code; the plain int for a code the standard library does not name (599)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


T = TypeVar("T")


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


__all__ = ["UNSET", "File", "FileTypes", "RateLimit", "RequestFiles", "Response", "Unset", "http_status"]
