"""What a token set is, and where it lives: the document every store keeps, the one rule for reading a token
answer, and the `TokenStore` protocols the stores (memory_store, file_store, redis_store) implement.

A token set is the token endpoint's (or locationToken's) 200 body as received, plus `expires_at` (Unix seconds)
and `obtained_at` (when it was received), computed on receipt. Stores keep it as a JSON object.
"""

import contextlib
import json
import logging
import math
import re
import time
from typing import Any, Protocol, runtime_checkable

from .errors import MalformedResponseError, TokenStoreError
from .validation import check_header

logger = logging.getLogger(__package__)

DEFAULT_LOCK_TIMEOUT = 180.0
"""Seconds a refresh waits for another process's refresh of the same store before giving up."""

ASSUMED_LIFETIME = 3600.0
"""Seconds a token answered without a usable `expires_in` is taken to live (a 401 before then renews it)."""

LONGEST_LIFETIME = 366 * 86400.0
"""An `expires_in` past a year is not believed: the token is taken to live this long at most."""

_TOKENS = ("access_token", "refresh_token")
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")  # what a bearer token may be made of
_LOCATION_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")  # what a location id is made of (it names a file or key)


class TokenStore(Protocol):
    """Where a token set lives between requests and processes. Implement it to keep the token set in a
    database row or a secrets manager: `load` returns the document (raise `TokenStoreError` when there is
    none), `save` replaces it atomically (raise `TokenStoreError` when it could not), and `lock` is held around a
    refresh, across every process that shares the store (a row lock, an advisory lock)."""

    def load(self) -> dict[str, Any]: ...

    def save(self, token_set: dict[str, Any]) -> None: ...

    def lock(self) -> contextlib.AbstractContextManager[None]: ...


@runtime_checkable
class AgencyTokenStore(TokenStore, Protocol):
    """A TokenStore that can also keep one token set per location of an agency (all three stores here can):
    `for_location(location_id)` is that location's store, which holds a location token set (no refresh token)
    and is empty until the first one is saved."""

    def for_location(self, location_id: str) -> TokenStore: ...


def is_agency_token_set(token_set: dict[str, Any]) -> bool:
    """Whether a token set is an agency's (userType Company, or none given, with a companyId): what
    HighLevelOAuth.for_location needs."""
    company = token_set.get("companyId")
    return token_set.get("userType") in (None, "Company") and isinstance(company, str) and bool(company)


def is_location_id(value: object) -> bool:
    """Whether `value` can be a location id: letters, digits, `_` and `-`, at most 128 (it names a file or key)."""
    return isinstance(value, str) and _LOCATION_ID.fullmatch(value) is not None


def checked(token_set: object, source: str, *, refreshable: bool = True) -> dict[str, Any]:
    """The stored token set, if it has what a refresh (`refreshable`: a refresh token) and a request need;
    TokenStoreError naming `source` if not."""
    if not isinstance(token_set, dict):
        raise TokenStoreError(f"{source}: the token set must be a JSON object, got {type(token_set).__name__}")
    for name in _TOKENS if refreshable else ("access_token",):
        value = token_set.get(name)
        if not isinstance(value, str) or not value:
            raise TokenStoreError(f"{source}: the token set has no {name} (a non-empty string)")
        try:
            check_header(name, value)
        except ValueError as error:
            raise TokenStoreError(f"{source}: {error}") from None
    if _finite_number(token_set.get("expires_at")) is None:
        raise TokenStoreError(
            f"{source}: the token set has no expires_at (Unix seconds); seed it with the token endpoint's body "
            "plus expires_at, or with expires_at 0 to refresh on first use"
        )
    return token_set


def parse_json_document(text: str | bytes, source: str) -> dict[str, Any]:
    """A stored document (a file's or a Redis value's text) as a JSON object; TokenStoreError naming `source`."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise TokenStoreError(f"{source}: the token set is not valid JSON") from None
    if not isinstance(document, dict):
        raise TokenStoreError(f"{source}: the token set must be a JSON object, got {type(document).__name__}")
    return document


def _finite_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # a whole number too large for a float
        return None
    return number if math.isfinite(number) else None


def received_token_set(
    parsed: Any, error: MalformedResponseError | None, *, refreshable: bool
) -> dict[str, Any] | None:
    """The one rule for a token answer (the token endpoint's or locationToken's 200): the generated model's
    `to_dict()` (`parsed`), or, for a body the model refused (`error`: an approvedLocations that is not a list, a
    stray byte after the object), the JSON object at the start of its body, so that the tokens of a rotation are
    never thrown away. Usable when it has an access token (and, `refreshable`, a refresh token) that a header can
    carry; None otherwise. `expires_at` is the receipt time plus `expires_in` (at most LONGEST_LIFETIME; missing or
    absurd: ASSUMED_LIFETIME, logged), `obtained_at` the receipt time."""
    received_at = time.time()
    document: Any = None
    if error is None and parsed is not None and callable(getattr(parsed, "to_dict", None)):
        document = parsed.to_dict()
    elif error is not None:
        with contextlib.suppress(ValueError, RecursionError):
            # raw_decode: a JSON object followed by stray bytes still yields the object
            document, _ = json.JSONDecoder().raw_decode(error.body.decode("utf-8", errors="replace").lstrip())
    if not isinstance(document, dict):
        return None
    for name in _TOKENS if refreshable else ("access_token",):
        token = document.get(name)
        if not isinstance(token, str) or not _HEADER_SAFE.fullmatch(token):
            return None
    lifetime = _finite_number(document.get("expires_in"))
    if lifetime is None or lifetime <= 0:
        logger.warning("a token answer's expires_in is not a number of seconds > 0; assuming %d s", ASSUMED_LIFETIME)
        lifetime = ASSUMED_LIFETIME
    token_set = dict(document)
    token_set["expires_at"] = received_at + min(lifetime, LONGEST_LIFETIME)
    token_set["obtained_at"] = received_at
    return token_set


__all__ = [
    "ASSUMED_LIFETIME",
    "DEFAULT_LOCK_TIMEOUT",
    "LONGEST_LIFETIME",
    "AgencyTokenStore",
    "TokenStore",
    "checked",
    "is_agency_token_set",
    "is_location_id",
    "parse_json_document",
    "received_token_set",
]
