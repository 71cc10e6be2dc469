"""The embedded mock of HighLevel's Get Appointments for Contact and its two calendar listings, on 127.0.0.1 only.

It serves the spec's example payloads (read once, at start-up) and answers like the live API. The bearer tokens
it knows:
  - a Private Integration Token: any bearer token that does not look issued by the mock (`mock-at-`, `mock-lt-`);
  - a Location access token (`mock-at-<n>`) from `POST /oauth/token` with `user_type` other than `Company`;
  - an agency (Company) access token (`mock-at-<n>`) from `POST /oauth/token` with `user_type=Company`;
  - a location token (`mock-lt-<n>`) from `POST /oauth/locationToken`, for one location.
An issued token stops working when it expires or is revoked (`server.tokens.revoke(access_token)`); one that
looks issued but never was is refused like an expired one.

`GET /contacts/{contactId}/appointments`:
  - no `Authorization: Bearer <token>` header, an expired, revoked or never-issued token, or a live agency
    token (HighLevel answers only to location-level tokens there): 401 with the 401 example;
  - no `Version` header, or one the spec's enum does not list (`2021-07-28` and `v3` are): 400 with the 400
    example, as HighLevel answers an unknown version;
  - otherwise: 200 with the 200 example (or the events a test set for the contact, below), or 429 past the
    rate limits of the token's location (below).

`POST /oauth/token` works like HighLevel's: `grant_type=authorization_code` (any code) or `refresh_token`
issues a token set shaped like the spec's 200 example, with access tokens valid `access_token_lifetime`
seconds; refresh tokens rotate, and a used or unknown one answers 400 with the spec's invalid_grant example.
No `client_id` or `client_secret`: 401 example; any other grant type: 422 example. With `user_type=Company`
an authorization code gives an agency set: `userType: "Company"`, `companyId: <company_id>`, no `locationId`,
`approvedLocations` the installed locations. A refresh token gives a set of its own kind whatever `user_type`
says. `token_calls` counts the calls. `server.authorize()` and `server.authorize_agency()` give a Location and
an agency set as the token endpoint's body, without a call.

`POST /oauth/locationToken` (form `companyId`, `locationId`), checked in this order: the bearer must be a live
agency access token, else 401 with its 401 example; `Version` must be in its enum, else 400 example; both
fields present, else 422 example; `companyId` must be `company_id` and `locationId` one of
`installed_locations`, else 400 example (the app is not installed there). Then 200: the spec's example with a
fresh `access_token` (`mock-lt-<n>`) valid `location_token_lifetime` seconds, `expires_in` that lifetime
rounded (at least 1) and `locationId` the location. Each call sleeps `token_delay` first and is counted:
`location_token_calls` (all) and `location_token_calls_for(location_id)` (those whose form names it), whatever
the answer.

`GET /oauth/installedLocations?companyId=...[&isInstalled=true|false][&skip=N][&limit=N][&query=...][&appId=...]`:
a live agency access token, else 401 example; `Version` in its enum, else 400 example; no `companyId`, or an
`isInstalled`, `skip` or `limit` that is not `true`/`false`, an integer >= 0, an integer >= 1: 422 example;
a `companyId` other than `company_id`: 400 example. Then 200 `{"locations": [...], "count": n,
"installToFutureLocations": true}`: the `installed_locations` (`isInstalled: true`) then the
`uninstalled_locations` (false), each `{"_id": id, "name": "Location <id>", "address": <the example's>,
"isInstalled": ...}`, kept when `isInstalled` matches (if given) and `query` is a substring of the name
(case-insensitive, if given); `count` is how many are kept, the page `skip` (default 0) and `limit` (default 20,
at most 100) of them. `appId` is ignored. `installed_locations_calls` counts the calls.

`GET /calendars/events` and `GET /calendars/` answer from the appointments a test set per contact
(`set_appointments`): those of location L are every such event whose `locationId` is L (the contacts never set,
which serve the spec's example, belong to no location). Both check, in this order: the bearer, as appointments do
(none, expired, revoked, never issued, or an agency token: 401 with the operation's 401 example); `locationId`
present, else 400 `{"statusCode": 400, "message": "locationId is required", "error": "Bad Request"}`; `locationId`
the token's location (a location token's own; a Private Integration Token's and a Location access token's: the
default location, below), else 403 `{"statusCode": 403, "message": "The token does not have access to this
location."}`; `Version` in the operation's enum (`2021-04-15` and `v3`), else 400 with its 400 example. Then the
request counts against L's rate limits as an appointments request does (429 past them), and only then are its other
parameters checked: a request refused for them was counted, as HighLevel counts every request it answers.
  - `GET /calendars/events?locationId=L&startTime=MS&endTime=MS[&calendarId=C][&userId=U][&groupId=G]`:
    `startTime` and `endTime` must be strings of digits, epoch milliseconds, else 400 `{"statusCode": 400,
    "message": "startTime is required", ...}` (or `"startTime must be milliseconds since the epoch, as a string of
    digits"`; the same for `endTime`); `endTime` before `startTime`: 400 `"endTime must not be before
    startTime"`; none of `calendarId`, `userId`, `groupId` (an empty one counts as none): 400 `{"statusCode": 400,
    "message": "Either of calendarId, userId or groupId is required", "error": "Bad Request"}`; a window longer
    than `max_events_window` seconds (default 31 days; None: no limit): 400 `{"statusCode": 400, "message": "The
    time range between startTime and endTime must not exceed 31 days", "error": "Bad Request"}` (the days as set),
    counted by `server.events_window_refusals`. Otherwise 200 `{"events": [...]}`: L's appointments, in the order
    they were stored (contacts in the order first set, then each one's events), that match every filter given
    (`calendarId` equal; `userId` the `assignedUserId` or one of `users`; `groupId` equal) and whose span overlaps
    the window, both edges included: start <= endTime and end >= startTime. So an event that starts exactly where
    one window ends and the next begins is listed by both: a client that splits a range into windows must
    deduplicate by `id`. The times are read from the stored strings: ISO 8601 with an offset or `Z`, or without
    one (`2021-07-16 11:00:00`) as UTC, fractional seconds allowed; a missing or unreadable end, or one before
    the start (an event given only a `startTime` keeps the example's 2021 `endTime`), is the start; an event whose
    start cannot be read is never listed. Each event is served as stored but without `status` (the
    Appointment has it, HighLevel's CalendarEvent does not). Recurring events are not expanded (no rrule
    arithmetic): a recurring event's instances are appointments a test stores like any other, each with its
    instance id (`<masterEventId>_<start ms>_<duration s>`), `isRecurring: true` and `masterEventId`.
  - `GET /calendars/?locationId=L[&groupId=G][&showDrafted=...]`: 200 `{"calendars": [...]}`: the calendars a
    test set for L (`set_calendars`), else one per distinct `calendarId` among L's appointments, first seen first,
    each the spec's example calendar with that `id`, `name` `Calendar <id>`, `locationId` L and the `groupId` of
    the first event naming it. `groupId` keeps the calendars of that group; `showDrafted` is ignored.

Rate limits, per location as HighLevel counts them: each location has a sliding burst window (`burst`, default 100
requests per 10 s) and a daily quota (`daily`, default 200,000, renewed 24 h after it started counting) over its
appointments and calendar requests; past either it answers 429 (the daily one with
`X-RateLimit-Daily-Remaining: 0`). A location token counts against its own location
(`server.limits_for(location_id)`, created on first use); a Private Integration Token and a Location access token
count against the default location, the `locationId` of the token endpoint's 200 example (`server.limits`). Every
answer carries the five `X-RateLimit-*` headers with the counts of the location concerned (the default location's
when there is none). `latency` delays every appointments and calendar answer. `GET /__stats` answers the counters
as JSON, for the benchmark: `requests` and `rate_limited` (totals over all locations), `token_calls`,
`location_token_calls`, and `locations`: `{location_id: {"requests": n, "rate_limited": n}}` for every location
that has limits (appointments and calendar requests alike: what a client costs either way). Any other path, or
GET, POST, PUT, PATCH or DELETE elsewhere, answers 404 with a JSON body.

What a test can do with it (every method thread-safe):
  - Script answers: `server.script(Answer(status=503), Answer(drop=True), Answer(delay=2.0))` makes the next
    three appointments requests (any contact) answer 503 (the body: the spec's example for a documented status,
    else `{"statusCode": 503, "message": "Service Unavailable"}`), close the connection without answering (the
    client sees a disconnect: httpx.RemoteProtocolError), and answer as usual after 2 s; then the mock answers as
    usual again. `Answer(status, body, headers, delay, drop)`: `body` JSON or raw bytes, `headers` replacing or
    added to the usual ones. `script(..., path=None)` matches any path, `path="/oauth/token"` or
    `path=CALENDAR_EVENTS_PATH` (a path template of the spec, or a path as sent) and `method="POST"` narrow it. A
    request takes the first unused answer whose filter it matches, exactly once; `server.unused_answers` lists
    those left, `server.clear_script()` drops them.
    A scripted answer (other than a usual one delayed) is not counted against the rate limits, but the
    token_calls, location_token_calls and installed_locations_calls counters count every call.
  - Read what was asked: `server.requests`, a snapshot list of `RecordedRequest(method, path, query,
    contact_id, at, headers, body)` in order of arrival (the last 100,000, with at most 64 MiB of bodies;
    `GET /__stats` excluded; none with `MockServer(record_requests=False)`; `headers` case-insensitive and as
    sent, tokens included, but never in a repr nor compared); `server.requests_for(contact_id)` those for one
    contact's appointments.
  - Set data: `server.set_appointments(contact_id, [{"title": "Call", "startTime": ...}])` makes that contact's
    200 answer `{"events": [...]}` (fields an event leaves out are the example event's, `contactId` the
    contact's; `set_appointments(..., location_id=L)`: `locationId` L too); `server.clear_appointments()` brings
    the example back. Contacts never set answer the example. The calendar listings read these events (above);
    `server.set_calendars(location_id, [{"id": "c1", "name": "Sales"}])` sets a location's calendars instead of
    the derived ones (fields left out are the example calendar's, `locationId` the location's), and
    `server.clear_calendars()` derives them again.
    `server.install(location_id)` and `server.uninstall(location_id)` change where the app is installed, for
    installedLocations, locationToken and agency token sets issued afterwards; uninstalling also revokes the
    location tokens issued for that location.

    with MockServer() as server:
        server.base_url  # "http://127.0.0.1:<port>"
        server.set_appointments("c1", [{"title": "Intro call"}])
        server.script(Answer(status=503))  # the next appointments request gets a 503, the one after the events

or, in a process of its own: `python -m highlevel_contacts.testing` (prints the URL, then `location: <id>`, the
default location; serves until stdin closes).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import functools
import http
import importlib.resources
import itertools
import json
import math
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TextIO

from .files import write_atomically
from .loopback import LoopbackServer, QuietHandler

OPERATION_PATH = "/contacts/{contactId}/appointments"
TOKEN_PATH = "/oauth/token"
LOCATION_TOKEN_PATH = "/oauth/locationToken"
INSTALLED_LOCATIONS_PATH = "/oauth/installedLocations"
CALENDARS_PATH = "/calendars/"
CALENDAR_EVENTS_PATH = "/calendars/events"


@functools.cache
def _examples() -> dict[str, Any]:
    """The spec's examples and versions, as `make generate` vendored them (spec_examples.json, beside this module):
    the mock reads no YAML at run time."""
    text = (
        importlib.resources.files(__package__ or "highlevel_contacts")
        .joinpath("spec_examples.json")
        .read_text(encoding="utf-8")
    )
    document: dict[str, Any] = json.loads(text)
    return document


def _operation(operation_path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = _examples()["operations"][f"{method.upper()} {operation_path}"]
    return operation


def response_examples(operation_path: str = OPERATION_PATH, method: str = "get") -> dict[int, Any]:
    """The spec's documented example body of each response of an operation, by status code (a fresh copy)."""
    responses = copy.deepcopy(_operation(operation_path, method)["responses"])
    return {int(status): example for status, example in responses.items()}


def version_values(operation_path: str = OPERATION_PATH, method: str = "get") -> tuple[str, ...]:
    """The values an operation's `Version` header may take, in the spec's order."""
    return tuple(_operation(operation_path, method)["versions"])


def _path_pattern(template: str) -> re.Pattern[str]:
    """A path template of the spec (`/contacts/{contactId}/appointments`) as a pattern: `{name}` is one segment."""
    parts = re.split(r"(\{[^/{}]+\})", template)
    return re.compile("".join("([^/?#]+)" if part.startswith("{") else re.escape(part) for part in parts))


_PATH_PATTERN = _path_pattern(OPERATION_PATH)
STATS_PATH = "/__stats"
RECORDED_REQUESTS = 100_000  # `MockServer.requests` keeps the last this many,
RECORDED_BYTES = 64 * 1024 * 1024  # and bodies of at most this many bytes in all
_DAY_SECONDS = 86_400.0

RATE_LIMIT_HEADER_NAMES = (
    "X-RateLimit-Max",
    "X-RateLimit-Remaining",
    "X-RateLimit-Interval-Milliseconds",
    "X-RateLimit-Limit-Daily",
    "X-RateLimit-Daily-Remaining",
)

MAX_EVENTS_WINDOW = 31 * _DAY_SECONDS  # seconds: the longest window `GET /calendars/events` answers by default
NO_ACCESS_TO_LOCATION = "The token does not have access to this location."
ONE_OF_REQUIRED = "Either of calendarId, userId or groupId is required"

INSTALLED_LOCATIONS_LIMIT = 20  # the page size when `limit` is not given
INSTALLED_LOCATIONS_MAX_LIMIT = 100  # a larger `limit` is cut to this

Kind = Literal["location", "agency", "location-token"]


@dataclass(frozen=True)
class Answer:
    """One scripted answer for `MockServer.script()`: what the mock does with the next request that matches.

    `status` None and no `body`: the mock's own answer, after `delay` seconds and with `headers` added (a slow
    answer). Otherwise `status` (200 when only a `body` is given) with `body`: JSON (any value `json.dumps`
    takes), or bytes sent as they are (a malformed body); no body: the spec's example for that status when the
    operation documents one, else `{"statusCode": status, "message": <reason phrase>}`. The answer carries
    `Content-Type: application/json; charset=utf-8` and the default location's `X-RateLimit-*` headers, which
    `headers` replace or add to (a `Content-Length` there is sent as it is, even when the body is shorter).
    `drop`: wait `delay` seconds, then close the connection without answering."""

    status: int | None = None
    body: Any = field(default=None, hash=False)
    headers: Mapping[str, str] = field(default_factory=dict, hash=False)
    delay: float = 0.0
    drop: bool = False

    def __post_init__(self) -> None:
        status, delay = self.status, self.delay
        if status is not None and (type(status) is not int or not 200 <= status <= 599):
            raise ValueError(f"status must be an int from 200 to 599 or None, got {status!r}")
        if status in (204, 304) and self.body != b"":
            # a body (the default one too) after these would be read as the next answer on the connection
            raise ValueError(f'a {status} has no body: give body=b""')
        if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay < math.inf:
            raise ValueError(f"delay must be a finite number of seconds >= 0, got {delay!r}")
        if not isinstance(self.headers, Mapping) or not all(
            isinstance(name, str) and isinstance(value, str) for name, value in self.headers.items()
        ):
            raise TypeError("headers must be a mapping of str to str")
        for name, value in self.headers.items():
            if not _HEADER_NAME.fullmatch(name):
                raise ValueError(f"header name {name!r} is not an HTTP token")
            if "\r" in value or "\n" in value or not value.isascii() or not value.isprintable():
                raise ValueError(f"the value of header {name} must be printable ASCII without CR or LF")
        if self.drop and (status is not None or self.body is not None or self.headers):
            raise ValueError("a dropped connection has no status, body or headers (only a delay)")
        if self.body is not None and not isinstance(self.body, bytes):
            json.dumps(self.body)  # not JSON: TypeError or ValueError here, not in the server's thread
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))


class _Headers(Mapping[str, str]):
    """A request's headers, read-only; names are case-insensitive. Its repr names them, never their values."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self._values: dict[str, str] = {}
        for name, value in items:
            key = name.lower()
            self._values[key] = f"{self._values[key]}, {value}" if key in self._values else value

    def __getitem__(self, name: str) -> str:
        return self._values[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def __repr__(self) -> str:
        return f"<headers {', '.join(self._values)}>"


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass(frozen=True)
class RecordedRequest:
    """A request the mock received (`MockServer.requests`). `headers` are case-insensitive and hold the values
    as sent, bearer tokens included (they are the test's own), but neither they nor `body` (a token form holds
    the client secret) appear in the repr."""

    method: str
    path: str  # as sent, without the query string (still percent-encoded)
    query: Mapping[str, str]
    contact_id: str | None  # decoded, for `GET /contacts/{contactId}/appointments`; else None
    at: float  # time.monotonic() when it arrived
    # Neither shown nor compared: pytest's diff of two records prints every field that takes part in ==.
    headers: Mapping[str, str] = field(repr=False, compare=False)
    body: bytes = field(repr=False, compare=False)


@dataclass(frozen=True)
class _Scripted:
    answer: Answer
    method: str | None
    path: re.Pattern[str] | None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or self.path.fullmatch(path) is not None
        )


_SCRIPTABLE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")  # the ones the mock's handler receives


class _Script:
    """The scripted answers not used yet, in order. Thread-safe: each is taken by exactly one request."""

    def __init__(self) -> None:
        self._entries: list[_Scripted] = []
        self._lock = threading.Lock()

    def add(self, answers: Sequence[Answer], method: str | None, path: str | None) -> None:
        if not all(isinstance(answer, Answer) for answer in answers):
            raise TypeError("script() takes Answer objects")
        if path is not None and (not isinstance(path, str) or not path.startswith("/") or "?" in path or " " in path):
            raise ValueError(
                "path must start with '/' and hold no query string or space (a path of the API as sent, or a "
                f"template of the spec), got {path!r}"
            )
        if method is not None and (not isinstance(method, str) or method.upper() not in _SCRIPTABLE_METHODS):
            raise ValueError(f"method must be one of {', '.join(_SCRIPTABLE_METHODS)} or None, got {method!r}")
        pattern = None if path is None else _path_pattern(path)
        entries = [_Scripted(answer, None if method is None else method.upper(), pattern) for answer in answers]
        with self._lock:
            self._entries.extend(entries)

    def take(self, method: str, path: str) -> Answer | None:
        with self._lock:
            for index, entry in enumerate(self._entries):
                if entry.matches(method, path):
                    return self._entries.pop(index).answer
        return None

    def unused(self) -> tuple[Answer, ...]:
        with self._lock:
            return tuple(entry.answer for entry in self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _merged(headers: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """`headers` with `extra` replacing those of the same name (case-insensitively) and added."""
    replaced = {name.lower() for name in extra}
    return {**{name: value for name, value in headers.items() if name.lower() not in replaced}, **extra}


class RateLimits:
    """HighLevel's two limits for one location: a sliding burst window and a daily quota. Thread-safe."""

    def __init__(self, burst: tuple[int, float], daily: int) -> None:
        self.burst_requests, self.burst_seconds = burst
        self.daily = daily
        self.requests = 0
        self.rate_limited = 0
        self.first_admitted: float | None = None  # time.monotonic() of the first and the last 200
        self.last_admitted: float | None = None
        self._window: list[float] = []
        self._today = 0
        self._day_started = time.monotonic()  # the quota renews a day after it started counting
        self._lock = threading.Lock()

    def admit(self) -> tuple[int, dict[str, str]]:
        """Count one request: the status it gets (200 or 429) and the headers of its answer."""
        with self._lock:
            now = time.monotonic()
            self.requests += 1
            if now - self._day_started >= _DAY_SECONDS:  # a long-running mock: the daily quota renews
                self._today, self._day_started = 0, now
            self._window = [sent for sent in self._window if sent > now - self.burst_seconds]
            if self._today >= self.daily or len(self._window) >= self.burst_requests:
                self.rate_limited += 1
                status = 429
            else:
                self._window.append(now)
                self._today += 1
                status = 200
                self.first_admitted = self.first_admitted or now
                self.last_admitted = now
            return status, self.headers()

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Max": str(self.burst_requests),
            "X-RateLimit-Remaining": str(max(0, self.burst_requests - len(self._window))),
            "X-RateLimit-Interval-Milliseconds": str(round(self.burst_seconds * 1000)),
            "X-RateLimit-Limit-Daily": str(self.daily),
            "X-RateLimit-Daily-Remaining": str(max(0, self.daily - self._today)),
        }


@dataclass(frozen=True)
class Grant:
    """What a live bearer token stands for: its kind and, for a location token, its location."""

    kind: Kind | Literal["private"]
    location_id: str | None = None


class TokenAuthority:
    """The mock's OAuth state: the access tokens it issued (with their kind and expiry), the refresh tokens not
    yet used (with the kind of set they give) and the calls to the token endpoints. Thread-safe: the server
    answers each request in a thread of its own."""

    def __init__(self, access_token_lifetime: float, token_delay: float, location_token_lifetime: float) -> None:
        self.access_token_lifetime = access_token_lifetime
        self.token_delay = token_delay
        self.location_token_lifetime = location_token_lifetime
        self.token_calls = 0
        self.location_token_calls = 0
        self.location_token_calls_by_location: Counter[str] = Counter()
        self._counter = itertools.count(1)
        self._access: dict[str, tuple[Grant, float]] = {}  # access token -> (grant, expiry in time.time())
        self._live_refresh_tokens: dict[str, Kind] = {}
        self._lock = threading.Lock()

    def issue(self, template: dict[str, Any], kind: Kind = "location") -> dict[str, Any]:
        """A token set from `template` (a `POST /oauth/token` 200 body) with fresh tokens; `kind` is
        "location" or "agency", and its refresh token gives a set of the same kind."""
        with self._lock:
            number = next(self._counter)
            access_token, refresh_token = f"mock-at-{number}", f"mock-rt-{number}"
            self._access[access_token] = (Grant(kind), time.time() + self.access_token_lifetime)
            self._live_refresh_tokens[refresh_token] = kind
        lifetime = max(1, round(self.access_token_lifetime))
        return {**template, "access_token": access_token, "refresh_token": refresh_token, "expires_in": lifetime}

    def issue_location_token(self, template: dict[str, Any], location_id: str) -> dict[str, Any]:
        """A location token for `location_id` from `template` (a `POST /oauth/locationToken` 200 body)."""
        with self._lock:
            access_token = f"mock-lt-{next(self._counter)}"
            grant = Grant("location-token", location_id)
            self._access[access_token] = (grant, time.time() + self.location_token_lifetime)
        lifetime = max(1, round(self.location_token_lifetime))
        return {**template, "access_token": access_token, "expires_in": lifetime, "locationId": location_id}

    def count_call(self) -> None:
        with self._lock:
            self.token_calls += 1

    def count_location_token_call(self, location_id: str | None) -> None:
        with self._lock:
            self.location_token_calls += 1
            if location_id:
                self.location_token_calls_by_location[location_id] += 1

    def revoke(self, access_token: str) -> None:
        """The access token (of any kind) answers 401 from now on, as an expired one does."""
        with self._lock:
            if access_token in self._access:
                self._access[access_token] = (self._access[access_token][0], 0.0)

    def revoke_location(self, location_id: str) -> None:
        """Every location token issued for `location_id` answers 401 from now on (the app was uninstalled)."""
        with self._lock:
            for access_token, (grant, _) in self._access.items():
                if grant.location_id == location_id:
                    self._access[access_token] = (grant, 0.0)

    def redeem(self, refresh_token: str) -> Kind | None:
        """Use a refresh token up: the kind of set it gives, or None when it was used before or never issued."""
        with self._lock:
            return self._live_refresh_tokens.pop(refresh_token, None)

    def spend(self, refresh_token: str) -> bool:
        """Use a refresh token up; False when it was used before or never issued."""
        return self.redeem(refresh_token) is not None

    def grant(self, access_token: str) -> Grant | None:
        """What a bearer token stands for, or None when it is issued-looking but expired, revoked or unknown."""
        if not access_token.startswith(("mock-at-", "mock-lt-")):
            return Grant("private")  # a Private Integration Token: static, accepted as it is
        with self._lock:
            grant, expiry = self._access.get(access_token, (None, 0.0))
        return grant if expiry > time.time() else None


class _Handler(QuietHandler):
    server: _Server
    _extra_headers: Mapping[str, str]  # a scripted Answer's headers for the mock's own answer

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        """Record the request, count it, then answer it: a scripted answer if one matches, else the mock's own."""
        self._extra_headers = {}  # one handler serves every request of a keep-alive connection
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if method == "GET" and url.path == STATS_PATH:
            self._answer(200, self.server.stats())  # the benchmark's, neither recorded nor scripted
            return
        contact = _PATH_PATTERN.fullmatch(url.path)
        contact_id = urllib.parse.unquote(contact.group(1)) if contact and method == "GET" else None
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        headers = _Headers(self.headers.items())
        self.server.record(
            RecordedRequest(
                method, url.path, MappingProxyType(dict(query)), contact_id, time.monotonic(), headers, body
            )
        )
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", errors="replace"))) if method == "POST" else {}
        self.server.count(method, url.path, form)
        answer = self.server.script.take(method, url.path)
        if answer is not None:
            time.sleep(answer.delay)
            if answer.drop:
                self.close_connection = True  # nothing written: the client sees the connection close
                return
            if answer.status is not None or answer.body is not None:
                self._scripted(answer, method, url.path)
                return
            self._extra_headers = answer.headers
        if method == "GET" and url.path == INSTALLED_LOCATIONS_PATH:
            self._installed_locations(query)
        elif method == "GET" and url.path == CALENDAR_EVENTS_PATH:
            self._calendar_events(query)
        elif method == "GET" and url.path == CALENDARS_PATH:
            self._calendars(query)
        elif contact_id is not None:
            self._appointments(contact_id)
        elif method == "POST" and url.path == TOKEN_PATH:
            self._token(form)
        elif method == "POST" and url.path == LOCATION_TOKEN_PATH:
            self._location_token(form)
        else:
            self._answer(404, {"statusCode": 404, "message": f"Cannot {method} {self.path}"})

    def _scripted(self, answer: Answer, method: str, path: str) -> None:
        status = 200 if answer.status is None else answer.status
        if isinstance(answer.body, bytes):
            payload = answer.body
        elif answer.body is not None:
            payload = json.dumps(answer.body).encode()
        else:
            examples = self.server.examples_at(method, path)
            if status in examples:
                payload = json.dumps(examples[status]).encode()
            else:
                phrase = http.HTTPStatus(status).phrase if status in http.HTTPStatus._value2member_map_ else "Error"
                payload = json.dumps({"statusCode": status, "message": phrase}).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", **self.server.limits.headers()}
        self.send_body(status, payload, _merged(headers, answer.headers))

    def _grant(self) -> Grant | None:
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        token = token.strip()  # `Bearer ` with an empty token variable: no token, a 401 as HighLevel answers
        return self.server.tokens.grant(token) if scheme.lower() == "bearer" and token else None

    def _appointments(self, contact_id: str) -> None:
        examples, grant = self.server.examples, self._grant()
        if grant is None or grant.kind == "agency":
            self._answer(401, examples[401])
            return
        limits = self.server.limits_for(grant.location_id or self.server.default_location)
        if self.headers.get("Version") not in self.server.versions[OPERATION_PATH]:
            self._answer(400, examples[400], limits.headers())
            return
        time.sleep(self.server.latency)
        status, headers = limits.admit()
        if status == 429:
            self._answer(429, {"statusCode": 429, "message": "Too Many Requests"}, headers)
        else:
            self._answer(200, self.server.appointments_answer(contact_id), headers)

    def _calendar_location(self, path: str, query: dict[str, str]) -> tuple[str, dict[str, str]] | None:
        """What both calendar operations check before anything else, in order: the bearer (401), `locationId`
        (400), the token's access to it (403), `Version` (400); then the request is counted against the location's
        limits (429 past them). The location and the rate-limit headers of the answer, or None when answered."""
        server, examples, grant = self.server, self.server.examples_at("GET", path), self._grant()
        if grant is None or grant.kind == "agency":
            self._answer(401, examples[401])
            return None
        token_location = grant.location_id or server.default_location
        limits = server.limits_for(token_location)
        location_id = query.get("locationId")
        if not location_id:
            self._answer(400, _bad_request("locationId is required"), limits.headers())
            return None
        if location_id != token_location:
            self._answer(403, {"statusCode": 403, "message": NO_ACCESS_TO_LOCATION}, limits.headers())
            return None
        if self.headers.get("Version") not in server.versions[path]:
            self._answer(400, examples[400], limits.headers())
            return None
        time.sleep(server.latency)
        status, headers = limits.admit()
        if status == 429:
            self._answer(429, {"statusCode": 429, "message": "Too Many Requests"}, headers)
            return None
        return location_id, headers

    def _calendar_events(self, query: dict[str, str]) -> None:
        server = self.server
        admitted = self._calendar_location(CALENDAR_EVENTS_PATH, query)
        if admitted is None:
            return
        location_id, headers = admitted
        times: dict[str, int] = {}
        for name in ("startTime", "endTime"):
            text = query.get(name)
            if not text:
                self._answer(400, _bad_request(f"{name} is required"), headers)
                return
            if not re.fullmatch(r"[0-9]{1,15}", text):
                message = f"{name} must be milliseconds since the epoch, as a string of digits"
                self._answer(400, _bad_request(message), headers)
                return
            times[name] = int(text)
        start, end = times["startTime"], times["endTime"]
        filters = {name: query[name] for name in ("calendarId", "userId", "groupId") if query.get(name)}
        window = server.max_events_window
        if end < start:
            self._answer(400, _bad_request("endTime must not be before startTime"), headers)
        elif not filters:
            self._answer(400, _bad_request(ONE_OF_REQUIRED), headers)
        elif window is not None and end - start > window * 1000:
            server.count_window_refusal()
            days = f"{window / _DAY_SECONDS:g}"
            message = f"The time range between startTime and endTime must not exceed {days} days"
            self._answer(400, _bad_request(message), headers)
        else:
            self._answer(200, {"events": server.calendar_events(location_id, start, end, filters)}, headers)

    def _calendars(self, query: dict[str, str]) -> None:
        admitted = self._calendar_location(CALENDARS_PATH, query)
        if admitted is not None:
            location_id, headers = admitted
            calendars = self.server.calendars(location_id, query.get("groupId") or None)
            self._answer(200, {"calendars": calendars}, headers)

    def _token(self, form: dict[str, str]) -> None:
        tokens, examples = self.server.tokens, self.server.token_examples
        time.sleep(tokens.token_delay)
        grant_type = form.get("grant_type")
        if not form.get("client_id") or not form.get("client_secret"):
            self._answer(401, examples[401])
        elif grant_type == "authorization_code" and form.get("code"):
            self._answer(200, self.server.token_set("agency" if form.get("user_type") == "Company" else "location"))
        elif grant_type == "refresh_token":
            kind = tokens.redeem(form.get("refresh_token", ""))
            if kind is None:
                self._answer(400, examples[400])  # invalid_grant: used, revoked or never issued
            else:
                self._answer(200, self.server.token_set(kind))
        else:
            self._answer(422, examples[422])

    def _location_token(self, form: dict[str, str]) -> None:
        server, examples = self.server, self.server.location_token_examples
        time.sleep(server.tokens.token_delay)
        grant = self._grant()
        if grant is None or grant.kind != "agency":
            self._answer(401, examples[401])
        elif self.headers.get("Version") not in server.versions[LOCATION_TOKEN_PATH]:
            self._answer(400, examples[400])
        elif not form.get("companyId") or not form.get("locationId"):
            self._answer(422, examples[422])
        elif form["companyId"] != server.company_id or form["locationId"] not in server.installed:
            self._answer(400, examples[400])  # the app is not installed at the location, or it is not the company's
        else:
            self._answer(200, server.tokens.issue_location_token(examples[200], form["locationId"]))

    def _installed_locations(self, query: dict[str, str]) -> None:
        server, examples = self.server, self.server.installed_examples
        grant = self._grant()
        if grant is None or grant.kind != "agency":
            self._answer(401, examples[401])
            return
        if self.headers.get("Version") not in server.versions[INSTALLED_LOCATIONS_PATH]:
            self._answer(400, examples[400])
            return
        is_installed = query.get("isInstalled")
        skip = _integer(query.get("skip", "0"), minimum=0)
        limit = _integer(query.get("limit", str(INSTALLED_LOCATIONS_LIMIT)), minimum=1)
        if not query.get("companyId") or is_installed not in (None, "true", "false") or skip is None or limit is None:
            self._answer(422, examples[422])
        elif query["companyId"] != server.company_id:
            self._answer(400, examples[400])
        else:
            matching = [
                location
                for location in server.locations()
                if is_installed in (None, json.dumps(location["isInstalled"]))
                and query.get("query", "").lower() in location["name"].lower()
            ]
            page = matching[skip : skip + min(limit, INSTALLED_LOCATIONS_MAX_LIMIT)]
            self._answer(200, {"locations": page, "count": len(matching), "installToFutureLocations": True})

    def _answer(self, status: int, body: Any, rate_headers: dict[str, str] | None = None) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8", **(rate_headers or self.server.limits.headers())}
        self.send_body(status, json.dumps(body).encode(), _merged(headers, self._extra_headers))


def _bad_request(message: str) -> dict[str, Any]:
    return {"statusCode": 400, "message": message, "error": "Bad Request"}


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MILLISECOND = datetime.timedelta(milliseconds=1)


def _epoch_ms(value: object) -> int | None:
    """A stored event time as milliseconds since the epoch (rounded down), or None when it is not one: ISO 8601
    with an offset or `Z`, or without one (`2021-07-16 11:00:00`) read as UTC, fractional seconds allowed."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return (moment - _EPOCH) // _MILLISECOND


def _span(event: Mapping[str, Any]) -> tuple[int, int] | None:
    """An event's start and end in epoch milliseconds (a missing or unreadable end, or one before the start: the
    start), or None when its start cannot be read (such an event is never listed)."""
    start = _epoch_ms(event.get("startTime"))
    if start is None:
        return None
    end = _epoch_ms(event.get("endTime"))
    return start, start if end is None else max(start, end)


def _matches(event: Mapping[str, Any], filters: Mapping[str, str]) -> bool:
    """Whether an event matches the listing's filters: `calendarId` and `groupId` equal, `userId` the assigned user
    or one of `users`."""
    if "calendarId" in filters and event.get("calendarId") != filters["calendarId"]:
        return False
    if "groupId" in filters and event.get("groupId") != filters["groupId"]:
        return False
    if "userId" in filters:
        users = event.get("users")
        return event.get("assignedUserId") == filters["userId"] or (
            isinstance(users, list) and filters["userId"] in users
        )
    return True


def _integer(text: str, *, minimum: int) -> int | None:
    """`text` as an integer of at least `minimum`, or None."""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) and int(text) >= minimum else None


class _Server(ThreadingHTTPServer):
    # A real server's listen backlog, not socketserver's 5: with more connections arriving at once than that, the
    # kernel drops SYNs and a client waits out the 1 s retransmission (a 1.08 s answer in the bench's bulk run).
    request_queue_size = 128
    # On Windows SO_REUSEADDR lets a second server bind a port in use (and take its connections): `--port N` must
    # fail there as it does elsewhere. Elsewhere it only allows a port in TIME_WAIT to be bound again.
    allow_reuse_address = sys.platform != "win32"

    def __init__(
        self,
        address: tuple[str, int],
        tokens: TokenAuthority,
        *,
        burst: tuple[int, float],
        daily: int,
        latency: float,
        company_id: str,
        installed: Sequence[str],
        uninstalled: Sequence[str],
        max_events_window: float | None,
    ) -> None:
        super().__init__(address, _Handler)
        self.tokens = tokens
        self.burst, self.daily, self.latency = burst, daily, latency
        self.max_events_window = max_events_window
        self.company_id, self.installed, self.uninstalled = company_id, tuple(installed), tuple(uninstalled)
        self.examples = response_examples()
        self.token_examples = response_examples(TOKEN_PATH, "post")
        self.location_token_examples = response_examples(LOCATION_TOKEN_PATH, "post")
        self.installed_examples = response_examples(INSTALLED_LOCATIONS_PATH, "get")
        self.calendars_examples = response_examples(CALENDARS_PATH, "get")
        self.calendar_events_examples = response_examples(CALENDAR_EVENTS_PATH, "get")
        self.versions = {
            OPERATION_PATH: frozenset(version_values()),
            LOCATION_TOKEN_PATH: frozenset(version_values(LOCATION_TOKEN_PATH, "post")),
            INSTALLED_LOCATIONS_PATH: frozenset(version_values(INSTALLED_LOCATIONS_PATH, "get")),
            CALENDARS_PATH: frozenset(version_values(CALENDARS_PATH, "get")),
            CALENDAR_EVENTS_PATH: frozenset(version_values(CALENDAR_EVENTS_PATH, "get")),
        }
        self.default_location: str = self.token_examples[200]["locationId"]
        self.installed_locations_calls = 0
        self.events_window_refusals = 0
        self.script = _Script()
        self._requests: deque[RecordedRequest] = deque()
        self._recorded_bytes = 0
        self.record_requests = True
        self._appointments: dict[str, list[dict[str, Any]]] = {}
        self._spans: dict[str, list[tuple[int, int] | None]] = {}  # each stored event's, read once when set
        self._calendars: dict[str, list[dict[str, Any]]] = {}  # location id -> the calendars a test set
        self._limits: dict[str, RateLimits] = {}
        self._lock = threading.Lock()
        self.limits = self.limits_for(self.default_location)

    def record(self, request: RecordedRequest) -> None:
        if not self.record_requests:
            return
        with self._lock:
            self._requests.append(request)
            self._recorded_bytes += len(request.body)
            while len(self._requests) > RECORDED_REQUESTS or self._recorded_bytes > RECORDED_BYTES:
                self._recorded_bytes -= len(self._requests.popleft().body)

    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def count(self, method: str, path: str, form: Mapping[str, str]) -> None:
        """Count a call to a token endpoint or to installedLocations, whatever it is answered (scripted or not)."""
        if method == "POST" and path == TOKEN_PATH:
            self.tokens.count_call()
        elif method == "POST" and path == LOCATION_TOKEN_PATH:
            self.tokens.count_location_token_call(form.get("locationId"))
        elif method == "GET" and path == INSTALLED_LOCATIONS_PATH:
            with self._lock:
                self.installed_locations_calls += 1

    def examples_at(self, method: str, path: str) -> dict[int, Any]:
        """The spec's example bodies of the operation at `path`, by status (none for a path not in the spec)."""
        if method == "GET" and _PATH_PATTERN.fullmatch(path):
            return self.examples
        return {
            ("POST", TOKEN_PATH): self.token_examples,
            ("POST", LOCATION_TOKEN_PATH): self.location_token_examples,
            ("GET", INSTALLED_LOCATIONS_PATH): self.installed_examples,
            ("GET", CALENDARS_PATH): self.calendars_examples,
            ("GET", CALENDAR_EVENTS_PATH): self.calendar_events_examples,
        }.get((method, path), {})

    def set_appointments(self, contact_id: str, events: list[dict[str, Any]] | None) -> None:
        spans = [] if events is None else [_span(event) for event in events]  # read once, outside the lock
        with self._lock:
            if events is None:
                self._appointments.pop(contact_id, None)
                self._spans.pop(contact_id, None)
            else:
                self._appointments[contact_id] = events
                self._spans[contact_id] = spans

    def clear_appointments(self) -> None:
        with self._lock:
            self._appointments.clear()
            self._spans.clear()

    def _location_events(self, location_id: str) -> list[tuple[dict[str, Any], tuple[int, int] | None]]:
        """The events set for contacts whose `locationId` is `location_id`, each with its span, in stored order."""
        with self._lock:
            stored = [
                (event, span)
                for contact_id, events in self._appointments.items()
                for event, span in zip(events, self._spans[contact_id], strict=True)
            ]
        return [(event, span) for event, span in stored if event.get("locationId") == location_id]

    def calendar_events(self, location_id: str, start: int, end: int, filters: Mapping[str, str]) -> list[Any]:
        """The 200 `events` of `GET /calendars/events`: the location's events that match `filters` and overlap
        [start, end] (epoch ms, both edges included), without `status`."""
        return [
            {name: value for name, value in event.items() if name != "status"}
            for event, span in self._location_events(location_id)
            if span is not None and span[0] <= end and span[1] >= start and _matches(event, filters)
        ]

    def calendars(self, location_id: str, group_id: str | None) -> list[dict[str, Any]]:
        """The 200 `calendars` of `GET /calendars/`: those a test set for the location, else one per calendarId
        among its events (first seen first); only those of `group_id` when given."""
        with self._lock:
            chosen = self._calendars.get(location_id)
        if chosen is None:
            template = self.calendars_examples[200]["calendars"][0]
            derived: dict[str, dict[str, Any]] = {}
            for event, _ in self._location_events(location_id):
                calendar_id = event.get("calendarId")
                if isinstance(calendar_id, str) and calendar_id and calendar_id not in derived:
                    derived[calendar_id] = {
                        **template,
                        "id": calendar_id,
                        "name": f"Calendar {calendar_id}",
                        "locationId": location_id,
                        "groupId": event.get("groupId"),
                    }
            chosen = list(derived.values())
        return [calendar for calendar in chosen if group_id is None or calendar.get("groupId") == group_id]

    def set_calendars(self, location_id: str, calendars: list[dict[str, Any]] | None) -> None:
        with self._lock:
            if calendars is None:
                self._calendars.pop(location_id, None)
            else:
                self._calendars[location_id] = calendars

    def clear_calendars(self) -> None:
        with self._lock:
            self._calendars.clear()

    def count_window_refusal(self) -> None:
        with self._lock:
            self.events_window_refusals += 1

    def appointments_answer(self, contact_id: str) -> dict[str, Any]:
        """The 200 body for a contact: the events a test set, else the spec's example."""
        with self._lock:
            events = self._appointments.get(contact_id)
        return self.examples[200] if events is None else {"events": events}

    def install(self, location_id: str) -> None:
        with self._lock:
            if location_id not in self.installed:
                self.installed = (*self.installed, location_id)
            self.uninstalled = tuple(known for known in self.uninstalled if known != location_id)

    def uninstall(self, location_id: str) -> None:
        with self._lock:
            self.installed = tuple(known for known in self.installed if known != location_id)
            if location_id not in self.uninstalled:
                self.uninstalled = (*self.uninstalled, location_id)
        self.tokens.revoke_location(location_id)

    def limits_for(self, location_id: str) -> RateLimits:
        with self._lock:
            if location_id not in self._limits:
                self._limits[location_id] = RateLimits(self.burst, self.daily)
            return self._limits[location_id]

    def token_set(self, kind: Kind) -> dict[str, Any]:
        """A fresh token set of `kind` ("location" or "agency") as the token endpoint answers it."""
        template = dict(self.token_examples[200])
        if kind == "agency":
            del template["locationId"]
            template.update(userType="Company", companyId=self.company_id, approvedLocations=list(self.installed))
        return self.tokens.issue(template, kind)

    def locations(self) -> list[dict[str, Any]]:
        """Every location of the company, installed ones first, as `installedLocations` lists them."""
        address = self.installed_examples[200]["locations"][0]["address"]
        with self._lock:
            installed, uninstalled = self.installed, self.uninstalled
        return [
            {"_id": location_id, "name": f"Location {location_id}", "address": address, "isInstalled": is_installed}
            for is_installed, ids in ((True, installed), (False, uninstalled))
            for location_id in ids
        ]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            limits = dict(self._limits)
        locations = {
            key: {"requests": value.requests, "rate_limited": value.rate_limited} for key, value in limits.items()
        }
        return {
            "requests": sum(counts["requests"] for counts in locations.values()),
            "rate_limited": sum(counts["rate_limited"] for counts in locations.values()),
            "token_calls": self.tokens.token_calls,
            "location_token_calls": self.tokens.location_token_calls,
            "locations": locations,
        }


class MockServer(LoopbackServer):
    """The mock in a background thread of this process; a context manager that always stops it.

    `access_token_lifetime`: seconds an access token issued by `POST /oauth/token` is valid (HighLevel: 86399).
    `token_delay`: seconds `POST /oauth/token` and `POST /oauth/locationToken` take to answer (a slow call, for
    concurrency tests).
    `burst`, `daily`: the rate limits it enforces per location (HighLevel's by default; tests scale them down).
    `latency`: seconds every appointments and calendar answer takes.
    `location_token_lifetime`: seconds a token from `POST /oauth/locationToken` is valid.
    `company_id`: the agency's id; `installed_locations`, `uninstalled_locations`: its locations where the app
    is and is not installed.
    `max_events_window`: the longest window, in seconds, `GET /calendars/events` answers (31 days by default, as
    far as is known HighLevel's; None: any); a longer one is refused with a 400 (see `events_window_refusals`)."""

    def __init__(
        self,
        port: int = 0,
        *,
        access_token_lifetime: float | None = None,
        token_delay: float = 0.0,
        burst: tuple[int, float] = (100, 10.0),
        daily: int = 200_000,
        latency: float = 0.0,
        location_token_lifetime: float | None = None,
        company_id: str = "mock-company",
        installed_locations: Sequence[str] = ("loc-a", "loc-b", "loc-c"),
        uninstalled_locations: Sequence[str] = ("loc-x",),
        record_requests: bool = True,
        max_events_window: float | None = MAX_EVENTS_WINDOW,
    ) -> None:
        if max_events_window is not None and (
            isinstance(max_events_window, bool)
            or not isinstance(max_events_window, int | float)
            or not 0 < max_events_window < math.inf
        ):
            raise ValueError(
                f"max_events_window must be a finite number of seconds > 0 or None, got {max_events_window!r}"
            )
        # By default, the lifetimes the spec's examples give (HighLevel's 86399 s).
        if access_token_lifetime is None:
            access_token_lifetime = float(response_examples(TOKEN_PATH, "post")[200]["expires_in"])
        if location_token_lifetime is None:
            location_token_lifetime = float(response_examples(LOCATION_TOKEN_PATH, "post")[200]["expires_in"])
        self.tokens = TokenAuthority(access_token_lifetime, token_delay, location_token_lifetime)
        self._mock = _Server(
            ("127.0.0.1", port),
            self.tokens,
            burst=burst,
            daily=daily,
            latency=latency,
            company_id=company_id,
            installed=installed_locations,
            uninstalled=uninstalled_locations,
            max_events_window=None if max_events_window is None else float(max_events_window),
        )
        self._mock.record_requests = record_requests
        self.limits = self._mock.limits
        self.default_location = self._mock.default_location
        super().__init__(self._mock, name="highlevel-mock")

    @property
    def token_calls(self) -> int:
        """How many requests `POST /oauth/token` has answered."""
        return self.tokens.token_calls

    @property
    def location_token_calls(self) -> int:
        """How many requests `POST /oauth/locationToken` has answered, whatever their answer."""
        return self.tokens.location_token_calls

    def location_token_calls_for(self, location_id: str) -> int:
        """How many requests to `POST /oauth/locationToken` named `location_id`, whatever their answer."""
        return self.tokens.location_token_calls_by_location[location_id]

    @property
    def installed_locations_calls(self) -> int:
        """How many requests `GET /oauth/installedLocations` has answered."""
        return self._mock.installed_locations_calls

    @property
    def events_window_refusals(self) -> int:
        """How many `GET /calendars/events` requests were refused for a window longer than `max_events_window`."""
        return self._mock.events_window_refusals

    @property
    def max_events_window(self) -> float | None:
        """The longest window, in seconds, `GET /calendars/events` answers (None: any)."""
        return self._mock.max_events_window

    def limits_for(self, location_id: str) -> RateLimits:
        """The rate limits of one location (created, unused, on first use)."""
        return self._mock.limits_for(location_id)

    def authorize(self) -> dict[str, Any]:
        """A Location token set as an authorization-code exchange gives it (what a user seeds a token store with)."""
        return self._mock.token_set("location")

    def authorize_agency(self) -> dict[str, Any]:
        """An agency (Company) token set as an authorization-code exchange with `user_type=Company` gives it."""
        return self._mock.token_set("agency")

    def script(self, *answers: Answer, path: str | None = OPERATION_PATH, method: str | None = None) -> None:
        """Answer the next requests that match with `answers`, one each, in order; then the mock answers as usual.

        `path`: a path template of the spec (`/contacts/{contactId}/appointments`, the default: any contact;
        `{name}` matches one segment) or a path as sent (`/contacts/c1/appointments`: that contact only; the query
        string is not compared); None: any path. `method` (`"GET"`, `"POST"`, ...): None matches any. Calls add
        to what is scripted: a request takes the first unused answer whose filter it matches. Thread-safe."""
        self._mock.script.add(answers, method, path)

    @property
    def unused_answers(self) -> tuple[Answer, ...]:
        """The scripted answers no request has taken yet, in order."""
        return self._mock.script.unused()

    def clear_script(self) -> None:
        """Drop the scripted answers no request has taken yet."""
        self._mock.script.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received (the last 100,000, with at most 64 MiB of bodies in all), in order of arrival: a
        snapshot, safe to read while requests arrive. `GET /__stats` is not recorded; nothing is with
        `MockServer(record_requests=False)` (what `highlevel-contacts mock` and the benchmark's process use)."""
        return self._mock.requests()

    def requests_for(self, contact_id: str) -> list[RecordedRequest]:
        """The recorded requests for a contact's appointments (`GET /contacts/{contact_id}/appointments`)."""
        return [request for request in self._mock.requests() if request.contact_id == contact_id]

    def set_appointments(
        self, contact_id: str, events: Iterable[Mapping[str, Any]], *, location_id: str | None = None
    ) -> list[dict[str, Any]]:
        """`GET /contacts/{contact_id}/appointments` answers these events (its 200, once auth, version and limits
        pass) instead of the spec's example. Each event is a dict in the API's field names; the fields it leaves
        out are the spec example event's, `contactId` excepted: that is `contact_id`. `location_id`: every event's
        `locationId` is that (else its own, or the example's); the calendar listings of a location list the events
        whose `locationId` it is. Returns the events as they will be served (copies). An empty list serves
        `{"events": []}`."""
        if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
            raise TypeError("events must be a list of event dicts")
        location = {} if location_id is None else {"locationId": _location(location_id)}
        template = self._mock.examples[200]["events"][0]
        served = []
        for event in events:
            if not isinstance(event, Mapping):
                raise TypeError(f"each event must be a dict, got {type(event).__name__}")
            served.append(
                {**copy.deepcopy(template), "contactId": contact_id, **copy.deepcopy(dict(event)), **location}
            )
        json.dumps(served)  # not JSON: the error is raised here, not in the server's thread
        self._mock.set_appointments(contact_id, served)
        return copy.deepcopy(served)

    def clear_appointments(self, contact_id: str | None = None) -> None:
        """The contact (every contact, when None) answers the spec's example again."""
        if contact_id is None:
            self._mock.clear_appointments()
        else:
            self._mock.set_appointments(contact_id, None)

    def set_calendars(self, location_id: str, calendars: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """`GET /calendars/?locationId=<location_id>` answers these calendars (its 200, once auth, location, version
        and limits pass) instead of those derived from the location's events. Each is a dict in the API's field
        names; the fields it leaves out are the spec example calendar's, and its `locationId` is `location_id`.
        Returns the calendars as they will be served (copies). An empty list serves `{"calendars": []}`."""
        location_id = _location(location_id)
        if isinstance(calendars, str | bytes | Mapping) or not isinstance(calendars, Iterable):
            raise TypeError("calendars must be a list of calendar dicts")
        template = self._mock.calendars_examples[200]["calendars"][0]
        served = []
        for calendar in calendars:
            if not isinstance(calendar, Mapping):
                raise TypeError(f"each calendar must be a dict, got {type(calendar).__name__}")
            served.append({**copy.deepcopy(template), **copy.deepcopy(dict(calendar)), "locationId": location_id})
        json.dumps(served)  # not JSON: the error is raised here, not in the server's thread
        self._mock.set_calendars(location_id, served)
        return copy.deepcopy(served)

    def clear_calendars(self, location_id: str | None = None) -> None:
        """The location (every location, when None) lists the calendars derived from its events again."""
        if location_id is None:
            self._mock.clear_calendars()
        else:
            self._mock.set_calendars(location_id, None)

    @property
    def installed_locations(self) -> tuple[str, ...]:
        """The agency's locations where the app is installed, as installedLocations lists them."""
        return self._mock.installed

    @property
    def uninstalled_locations(self) -> tuple[str, ...]:
        """The agency's locations where the app is not installed."""
        return self._mock.uninstalled

    def install(self, location_id: str) -> None:
        """Install the app at a location (one of the agency's, or a new one): it is listed as installed, and
        `POST /oauth/locationToken` gives tokens for it. Agency token sets issued from now on approve it."""
        self._mock.install(_location(location_id))

    def uninstall(self, location_id: str) -> None:
        """Uninstall the app from a location: it is listed as not installed, `POST /oauth/locationToken` answers
        400 for it, and every location token issued for it answers 401 from now on. A location the agency does
        not have is a KeyError (a typo would otherwise add one)."""
        location_id = _location(location_id)
        if location_id not in (*self.installed_locations, *self.uninstalled_locations):
            raise KeyError(f"the agency has no location {location_id!r}")
        self._mock.uninstall(location_id)

    def examples_for_token(self) -> dict[int, Any]:
        return response_examples(TOKEN_PATH, "post")


def _location(location_id: object) -> str:
    if not isinstance(location_id, str) or not location_id:
        raise TypeError(f"a location id is a non-empty str, got {location_id!r}")
    return location_id


def _burst(text: str) -> tuple[int, float]:
    requests, _, seconds = text.partition("/")
    return int(requests), float(seconds)


def _window(text: str) -> float | None:
    if text.strip().lower() == "none":
        return None
    seconds = float(text)
    if not 0 < seconds < math.inf:
        raise argparse.ArgumentTypeError(f"a window is a finite number of seconds > 0, or none; got {text!r}")
    return seconds


def _ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def main(argv: list[str] | None = None) -> int:
    """`python -m highlevel_contacts.testing [--port N] [--burst N/SECONDS] [--daily N] [--latency SECONDS]
    [--installed ID,ID,...] [--location-token-lifetime SECONDS] [--max-events-window SECONDS|none]`: print the
    base URL, then `location: <id>` (the default location), and serve until stdin closes (or Ctrl-C)."""
    parser = argparse.ArgumentParser(prog="python -m highlevel_contacts.testing", description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument(
        "--burst", type=_burst, default=(100, 10.0), help="burst limit per location, N/SECONDS (100/10)"
    )
    parser.add_argument("--daily", type=int, default=200_000, help="daily quota per location (200000)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each appointments answer takes")
    parser.add_argument(
        "--installed",
        type=_ids,
        default=("loc-a", "loc-b", "loc-c"),
        help="the agency's locations where the app is installed, comma-separated (loc-a,loc-b,loc-c)",
    )
    parser.add_argument(
        "--location-token-lifetime",
        type=float,
        default=None,
        help="seconds a location token is valid (default: the spec example's expires_in)",
    )
    parser.add_argument(
        "--max-events-window",
        type=_window,
        default=MAX_EVENTS_WINDOW,
        help="longest window GET /calendars/events answers, in seconds, or none (31 days)",
    )
    args = parser.parse_args(argv)
    with MockServer(
        args.port,
        burst=args.burst,
        daily=args.daily,
        latency=args.latency,
        installed_locations=args.installed,
        location_token_lifetime=args.location_token_lifetime,
        record_requests=False,  # a process of its own: nobody can read them
        max_events_window=args.max_events_window,
    ) as server:
        print(server.base_url)  # the first line: mock_server_process reads it
        print(f"location: {server.default_location}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            sys.stdin.read()
    return 0


def seed_token_file(mock: MockServer, path: Path, *, agency: bool = False) -> Path:
    """Write a token set the mock issued (a Location one, or the agency's) to `path`, as a FileTokenStore reads it
    (the token endpoint's body plus `expires_at`; mode 0600, atomically); returns `path`."""
    token_set = mock.authorize_agency() if agency else mock.authorize()
    token_set["expires_at"] = time.time() + float(token_set["expires_in"])
    write_atomically(path, json.dumps(token_set, indent=2, sort_keys=True).encode("utf-8") + b"\n")
    return path


class ServeError(Exception):
    """`serve` could not start: the message names the port or the token file, and what is wrong."""


def serve(
    port: int = 0,
    *,
    token_file: Path | None = None,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> None:
    """`highlevel-contacts mock`: serve the mock on 127.0.0.1 in the foreground until Ctrl-C, SIGTERM (or `stop`
    is set), reading nothing from stdin (so `&` in a shell works). Prints its base URL, the path of a token file
    seeded with a Location token set, ready for `--token-file`: `token_file` (which must not exist yet: a real
    token file's refresh token would be lost), or one in a new temporary directory, removed when it stops; and the
    location that token set is for (the default location: the one the calendar listings answer it for).

    Raises:
        ServeError: the port cannot be bound, or the token file exists or cannot be written.
    """
    out = sys.stdout if out is None else out
    if token_file is not None and (token_file.exists() or token_file.is_symlink()):
        raise ServeError(f"{token_file} exists: give a path that does not (the mock would replace its token set)")
    try:
        mock = MockServer(port, record_requests=False)  # nothing reads them: memory stays flat however long it runs
    except OSError as error:
        raise ServeError(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None
    stop = threading.Event() if stop is None else stop
    with contextlib.ExitStack() as cleanup, mock:
        if token_file is None:
            directory = Path(tempfile.mkdtemp(prefix="highlevel-mock-"))
            cleanup.callback(shutil.rmtree, directory, ignore_errors=True)
            token_file = directory / "highlevel-token.json"
        try:
            seed_token_file(mock, token_file)
        except OSError as error:
            raise ServeError(f"cannot write the token file {token_file}: {error.strerror or error}") from None
        print(f"base URL:   {mock.base_url}", file=out)
        print(f"token file: {token_file}", file=out)
        print(f"location:   {mock.default_location}", file=out)
        print("serving until Ctrl-C", file=out)  # the fourth line: tests and scripts read the first four
        print(
            f"try: HIGHLEVEL_CLIENT_ID=any HIGHLEVEL_CLIENT_SECRET=any highlevel-contacts appointments "
            f"--base-url {mock.base_url} --token-file {token_file} sx6wyHhbFdRXh302LLNR",
            file=out,
            flush=True,
        )
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())  # `kill`: stop cleanly
            cleanup.callback(signal.signal, signal.SIGTERM, previous)
        with contextlib.suppress(KeyboardInterrupt):
            while not stop.wait(0.5):  # a timed wait: Ctrl-C interrupts it on every platform
                pass


@contextlib.contextmanager
def mock_server_process(*options: str) -> Iterator[str]:
    """The mock in a child process (its own GIL, so a benchmark measures only the client); yields its URL.
    `options` are main()'s command-line options (`--burst 20/1`)."""
    with subprocess.Popen(
        [sys.executable, "-m", "highlevel_contacts.testing", *options],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:  # on exit: closes the pipes and waits for the child
        assert child.stdin is not None
        assert child.stdout is not None
        try:
            yield child.stdout.readline().strip()
        finally:
            child.stdin.close()  # the child's stdin.read() returns: it stops its server and exits
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    sys.exit(main())
