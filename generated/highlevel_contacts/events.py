# Vendored from runtime/events.py by `make generate`: edit that file, never this copy.
"""A whole location's appointments in a few requests: HighLevel's calendar-events listing, window by window.

    from datetime import date
    from highlevel_contacts import AuthenticatedClient, events

    with AuthenticatedClient(base_url=BASE_URL, token=TOKEN) as client:
        for event in events.fetch_events_sync(client, "LOCATION_ID", date(2026, 1, 1), date(2027, 1, 1)):
            print(event.id, event.contact_id, event.start_time)

Per contact (`bulk`), a location with 10,000 contacts costs 10,000 requests. `GET /calendars/events` answers every
event of one calendar in a time window, whoever the contact: a year of 20 calendars is 1 + 20 x 12 requests. This
module lists the location's calendars (`GET /calendars/`, unless the ids are given), cuts `[start, end)` into
windows (`window`, 31 days by default), asks each (calendar, window) within the client's rate budget, at most
`concurrency` at once per location, and yields each event once: windows and calendars can list the same event
(one that straddles a window's edge; a recurring event's instances have ids of their own and are each listed).

A window the server refuses as too large (a 400 or 422 whose message speaks of the time range) is halved and the
halves asked instead, down to `MIN_WINDOW`; the location's later windows are cut to the size that was accepted,
so a refusal is paid for once, not per window. The server documents no maximum, no paging and no result cap.

Nothing is lost: a window that fails after the client's retries is recorded, the others go on, and once every
event that could be listed was yielded, `EventsIncompleteError` is raised with each failed (location, calendar,
window). A failure that no other request of the location can escape (its token refused, a scope missing, no
connection, its daily limit spent) fails the rest of that location at once, without a request. A 401/403 that
says the token lacks a scope is a `MissingScopeError` naming `calendars.readonly` and
`calendars/events.readonly`; the per-contact path (`bulk`, `highlevel-contacts appointments`) needs only
`contacts.readonly`.

Calls the spec's `GET /calendars/` (`api.calendars.get_calendars`) and `GET /calendars/events`
(`api.calendars.get_calendar_events`), whose Version is `2021-04-15`, or `v3` when the client's version is v3.
"""

import contextlib
import copy
import datetime as dt
import re
from collections import deque
from collections.abc import AsyncGenerator, Generator, Iterable, Mapping
from typing import Final

import httpx
from attrs import define, evolve, field, frozen

from .api.calendars import get_calendar_events, get_calendars
from .bulk import DEFAULT_CONCURRENCY, DEFAULT_MAX_IN_FLIGHT
from .client import AuthenticatedClient
from .errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    DailyRateLimitError,
    EventsIncompleteError,
    MalformedResponseError,
    MissingScopeError,
    TokenRefreshError,
)
from .models import CalendarEvent, GetCalendarsResponse
from .token_set import is_location_id
from .types import Unset
from .workers import WAIT, run_async, run_threads

DEFAULT_WINDOW: Final = dt.timedelta(days=31)
"""How much time one request asks for, unless the server refuses it as too large."""

MIN_WINDOW: Final = dt.timedelta(hours=1)
"""A refused window is halved while its halves are at least this long; a window this short that is refused fails."""

SCOPES: Final = ("calendars.readonly", "calendars/events.readonly")
"""The scopes the listing needs: GET /calendars/ and GET /calendars/events."""

PER_CONTACT_HINT: Final = (
    "without them, fetch per contact (bulk.fetch_appointments, or `highlevel-contacts appointments`), "
    "which needs only contacts.readonly"
)

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MILLISECOND: Final = dt.timedelta(milliseconds=1)
# What a refusal of a window as too large says (HighLevel documents no wording): a 400/422 that speaks of the
# time range. Any other 400 (an unknown calendar, say) fails its window at once instead of being halved.
_TOO_LARGE: Final = re.compile(
    r"range|window|span|interval|exceed|too (large|long|big|many)|maximum|\bdays?\b|startTime|endTime", re.I
)
_SCOPE: Final = re.compile(r"\bscopes?\b", re.I)


@frozen
class ListingFailure:
    """A part of a listing that failed: one (calendar, window) of a location, or (`calendar_id` None) listing the
    location's calendars, for the whole range. `error` is what ended it (after the client's retries)."""

    location_id: str
    calendar_id: str | None
    start: dt.datetime
    end: dt.datetime
    error: Exception

    def __str__(self) -> str:
        what = "its calendars" if self.calendar_id is None else f"calendar {self.calendar_id}"
        return (
            f"location {self.location_id}, {what}, {self.start.isoformat()} to {self.end.isoformat()}: "
            f"{type(self.error).__name__}: {self.error}"
        )


@define
class EventsSummary:
    """What a listing did, filled in as it goes (pass one as `summary=` and read it during or after the run).
    `calendars`: each location's calendar ids, once known; `requests`: the requests sent (a request the client
    retried counts once); `refused_windows`: windows the server refused as too large (each halved);
    `events`: events yielded; `duplicates`: events listed again by another window or calendar, not yielded;
    `failures`: what failed (also raised at the end as EventsIncompleteError)."""

    calendars: dict[str, tuple[str, ...]] = field(factory=dict)
    requests: int = 0
    refused_windows: int = 0
    events: int = 0
    duplicates: int = 0
    failures: list[ListingFailure] = field(factory=list)


def group_by_contact(events: Iterable[CalendarEvent]) -> dict[str | None, list[CalendarEvent]]:
    """The events by their `contactId` (None for an event without one), each contact's in the order given."""
    grouped: dict[str | None, list[CalendarEvent]] = {}
    for event in events:
        contact_id = event.contact_id if isinstance(event.contact_id, str) else None
        grouped.setdefault(contact_id, []).append(event)
    return grouped


# Checking what was asked for, before anything is sent ------------------------------------------------------------


def _instant(value: object, name: str) -> dt.datetime:
    """A timezone-aware datetime (as UTC: windows are cut in real time, not on a local clock that skips an hour),
    or a date (its midnight UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware (e.g. tzinfo=datetime.UTC), got {value!r}")
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(f"{name} is out of range: {value!r}") from None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    raise ValueError(f"{name} must be a datetime or a date, got {type(value).__name__}")


def _checked_range(start: object, end: object, window: object) -> tuple[dt.datetime, dt.datetime, dt.timedelta]:
    """`[start, end)` on whole milliseconds (what the server is sent: the start rounded down, the end up, so no
    event inside is left out) and the window, a whole number of milliseconds."""
    since, until = _instant(start, "start"), _instant(end, "end")
    if until <= since:
        raise ValueError(f"end ({until.isoformat()}) must be after start ({since.isoformat()})")
    if since < _EPOCH:
        raise ValueError(f"start must not be before 1970-01-01 (epoch milliseconds), got {since.isoformat()}")
    if not isinstance(window, dt.timedelta) or window < MIN_WINDOW:
        raise ValueError(f"window must be a timedelta of at least {MIN_WINDOW}, got {window!r}")
    since -= (since - _EPOCH) % _MILLISECOND
    try:
        until += -(until - _EPOCH) % _MILLISECOND
    except OverflowError:
        raise ValueError(f"end is out of range: {until.isoformat()}") from None
    return since, until, window - window % _MILLISECOND


def _checked_count(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    return value


def _checked_calendar_ids(calendar_ids: object, location_id: str) -> tuple[str, ...] | None:
    if calendar_ids is None:
        return None
    if isinstance(calendar_ids, str | bytes | Mapping) or not isinstance(calendar_ids, Iterable):
        shown = type(calendar_ids).__name__
        raise ValueError(f"calendar ids of location {location_id} must be an iterable of ids, not a {shown}")
    given = list(calendar_ids)
    if not given:
        raise ValueError(f"calendar ids of location {location_id}: none given (None lists the location's calendars)")
    bad = [item for item in given if not isinstance(item, str) or not item or item != item.strip()]
    if bad:
        raise ValueError(
            f"calendar ids of location {location_id} must be non-empty strs without surrounding spaces, got "
            f"{', '.join(repr(item)[:40] for item in bad[:3])}{' ...' if len(bad) > 3 else ''}"
        )
    return tuple(dict.fromkeys(given))


def _checked_locations(
    clients: Mapping[str, AuthenticatedClient], calendar_ids: Mapping[str, Iterable[str]] | None
) -> dict[str, tuple[AuthenticatedClient, tuple[str, ...] | None]]:
    if not isinstance(clients, Mapping) or not clients:
        raise ValueError("clients must map at least one location id to its AuthenticatedClient")
    bad = sorted(repr(location_id) for location_id in clients if not is_location_id(location_id))
    if bad:
        raise ValueError(f"not a location id: {', '.join(bad[:3])} (letters, digits, _ and -, at most 128)")
    not_clients = sorted(key for key, client in clients.items() if not isinstance(client, AuthenticatedClient))
    if not_clients:
        raise ValueError(f"the client of location(s) {', '.join(not_clients[:3])} is not an AuthenticatedClient")
    given = {} if calendar_ids is None else calendar_ids
    if not isinstance(given, Mapping):
        raise ValueError("calendar_ids must map location ids to their calendar ids")
    unknown = sorted(str(location_id) for location_id in given if location_id not in clients)
    if unknown:
        raise ValueError(f"calendar_ids names location(s) with no client: {', '.join(unknown)}")
    return {
        location_id: (client, _checked_calendar_ids(given.get(location_id), location_id))
        for location_id, client in clients.items()
    }


def _millis(instant: dt.datetime) -> int:
    return (instant - _EPOCH) // _MILLISECOND


# The policy: which request goes next ---------------------------------------------------------------------------


@frozen
class _Job:
    """One request: a location's calendars (`calendar_id` None) or one (calendar, window), on whole
    milliseconds; `error` set: not to be sent, it already failed with that."""

    location_id: str
    client: AuthenticatedClient
    calendar_id: str | None
    start: dt.datetime
    end: dt.datetime
    error: Exception | None = None

    def halves(self) -> tuple["_Job", "_Job"]:
        """Two windows on whole milliseconds; the second is the longer by a millisecond when they cannot be equal."""
        middle = self.start + (self.end - self.start) // 2 // _MILLISECOND * _MILLISECOND
        return evolve(self, end=middle), evolve(self, start=middle)


@define
class _Outcome:
    job: _Job
    events: tuple[CalendarEvent, ...] = ()
    calendars: tuple[str, ...] | None = None  # the location's calendar ids, from a calendars job
    error: Exception | None = None
    refused: bool = False  # refused as too large: its halves are asked instead (the schedule may overrule)

    @property
    def sent(self) -> bool:
        return self.job.error is None


@define
class _Cursor:
    """A calendar's windows not handed out yet: the next one starts at `start` (created when handed out, so the
    memory a listing holds does not grow with its range)."""

    calendar_id: str
    start: dt.datetime


@define
class _Location:
    client: AuthenticatedClient
    max_window: dt.timedelta
    pending: deque[_Job] = field(factory=deque)  # the calendars job, the halves of refused windows
    cursors: deque[_Cursor] = field(factory=deque)
    in_flight: int = 0
    largest_answered: dt.timedelta = dt.timedelta(0)  # the longest window the server answered
    probing: bool = (
        True  # no window answered yet: one at a time, so a size refusal is paid once, not `concurrency` times
    )
    failed: Exception | None = None  # what fails the location's rest without a request
    failed_calendars: dict[str, Exception] = field(factory=dict)  # what fails a calendar's rest

    def has_work(self) -> bool:
        return bool(self.pending or self.cursors)


def _stops_location(error: Exception) -> bool:
    """Whether no other request of the location can succeed after `error`: its token refused (or its refresh),
    a scope missing, access to the location denied, its daily limit spent, or no connection at all."""
    if isinstance(error, MissingScopeError | AuthenticationError | TokenRefreshError | DailyRateLimitError):
        return True
    if isinstance(error, APIStatusError) and error.status_code == 403:
        return True
    no_connection = isinstance(error.__cause__, httpx.ConnectError | httpx.ConnectTimeout)
    return isinstance(error, APIConnectionError) and no_connection


class _Schedule:
    """Which request goes next: the locations in turn, each with at most `concurrency` requests in flight; a
    location's calendars first (unless given), then its (calendar, window) jobs, each window cut to the
    location's largest accepted size before it is sent. Until a location's first window is answered, its windows
    go one at a time: a server that refuses the size refuses one request per halving, not `concurrency`. Not
    thread-safe: the runners call it under their lock.

    `total` counts every job the run will hand out, windows not created yet included (their number is known
    from the range): the consumer is done when it has seen that many outcomes."""

    def __init__(
        self,
        locations: Mapping[str, tuple[AuthenticatedClient, tuple[str, ...] | None]],
        start: dt.datetime,
        end: dt.datetime,
        window: dt.timedelta,
        concurrency: int,
    ) -> None:
        self._start, self._end, self._window, self._concurrency = start, end, window, concurrency
        self._locations: dict[str, _Location] = {}
        self.total = 0
        for location_id, (client, calendar_ids) in locations.items():
            location = _Location(client, window)
            if calendar_ids is None:
                location.pending.append(_Job(location_id, client, None, start, end))
                self.total += 1
            else:
                self._add_calendars(location, calendar_ids)
            self._locations[location_id] = location
        self._turn = deque(self._locations)

    def _add_calendars(self, location: _Location, calendar_ids: tuple[str, ...]) -> None:
        location.cursors.extend(_Cursor(calendar_id, self._start) for calendar_id in calendar_ids)
        self.total += len(calendar_ids) * -(-(self._end - self._start) // self._window)  # windows per calendar

    def _next_job(self, key: str, location: _Location) -> _Job:
        if location.pending:
            return location.pending.popleft()
        cursor = location.cursors[0]
        end = cursor.start + min(self._window, self._end - cursor.start)
        job = _Job(key, location.client, cursor.calendar_id, cursor.start, end)
        cursor.start = end
        if end >= self._end:
            location.cursors.popleft()  # the calendar's last window
        return job

    def take(self) -> _Job | str | None:
        """The next job, WAIT (jobs may still come from the ones in flight), or None when all are done."""
        for _ in range(len(self._turn)):
            key = self._turn.popleft()
            location = self._locations[key]
            if not location.has_work() and not location.in_flight:
                continue  # done: out of the turn
            self._turn.append(key)
            if not location.has_work():
                continue
            if location.failed is not None:
                # a copy each: a caller that raises one failure's error must not grow the others' tracebacks
                return evolve(self._next_job(key, location), error=copy.copy(location.failed))
            if location.in_flight >= (1 if location.probing else self._concurrency):
                continue
            job = self._next_job(key, location)
            failed_calendar = location.failed_calendars.get(job.calendar_id or "")
            if failed_calendar is not None:
                return evolve(job, error=copy.copy(failed_calendar))
            while job.calendar_id is not None and job.end - job.start > location.max_window:
                first, second = job.halves()
                location.pending.appendleft(second)
                self.total += 1
                job = first
            location.in_flight += 1
            return job
        return WAIT if self._turn else None

    def finish(self, job: _Job, outcome: _Outcome) -> None:
        """Account for a job's outcome: the windows a calendar listing brings, the halves of a refused window
        (unless a window as long was answered already: then the refusal is not about size), a failure that stops
        the location, or one that stops the calendar (refused as too large at the smallest window)."""
        if job.error is not None:
            return
        location = self._locations[job.location_id]
        location.in_flight -= 1
        length = job.end - job.start
        if outcome.calendars is not None:
            self._add_calendars(location, outcome.calendars)
        elif outcome.error is None and job.calendar_id is not None:
            location.largest_answered = max(location.largest_answered, length)
        if outcome.refused and length <= location.largest_answered:
            outcome.refused = False
        if job.calendar_id is not None and not outcome.refused:
            location.probing = False  # a window was answered (or failed otherwise): its size is not refused
        if outcome.refused:
            halves = job.halves()
            location.max_window = min(location.max_window, max(half.end - half.start for half in halves))
            location.pending.extendleft(reversed(halves))
            self.total += 2
            return
        if outcome.error is None:
            return
        if _stops_location(outcome.error) and location.failed is None:
            location.failed = outcome.error
        elif job.calendar_id is not None and _refused_as_too_large(outcome.error):
            location.failed_calendars.setdefault(job.calendar_id, outcome.error)


# Sending -------------------------------------------------------------------------------------------------------


def _calendar_ids(answer: GetCalendarsResponse) -> tuple[str, ...]:
    calendars = answer.calendars
    if calendars is None or isinstance(calendars, Unset):
        return ()
    for index, calendar in enumerate(calendars):
        if not isinstance(calendar.id, str) or not calendar.id:
            raise MalformedResponseError("a calendar id (a non-empty string)", calendar.id, f"$.calendars[{index}].id")
    return tuple(dict.fromkeys(calendar.id for calendar in calendars if isinstance(calendar.id, str)))


def _refused_as_too_large(error: Exception) -> bool:
    return (
        isinstance(error, APIStatusError)
        and error.status_code in (400, 422)
        and _TOO_LARGE.search(error.message) is not None
    )


def _failed(job: _Job, error: Exception) -> _Outcome:
    """The outcome of a job that raised: a refusal of the window as too large (halved, when the halves are long
    enough), a missing scope (named), or the error as it is."""
    if isinstance(error, APIStatusError) and error.status_code in (401, 403) and _SCOPE.search(error.message):
        scope_error = MissingScopeError(
            error.status_code,
            scopes=SCOPES,
            alternative=PER_CONTACT_HINT,
            message=error.message,
            error=error.error,
            trace_id=error.trace_id,
            body=error.body,
            headers=error.headers,
        )
        scope_error.__cause__ = error
        return _Outcome(job, error=scope_error)
    if _refused_as_too_large(error) and job.calendar_id is not None and job.end - job.start >= 2 * MIN_WINDOW:
        return _Outcome(job, error=error, refused=True)
    return _Outcome(job, error=error)


async def _send_async(job: _Job) -> _Outcome:
    if job.error is not None:
        return _Outcome(job, error=job.error)
    try:
        if job.calendar_id is None:
            listed = await get_calendars.asyncio(client=job.client, location_id=job.location_id)
            return _Outcome(job, calendars=_calendar_ids(listed))
        answer = await get_calendar_events.asyncio(
            client=job.client,
            location_id=job.location_id,
            start_time=str(_millis(job.start)),
            end_time=str(_millis(job.end) - 1),  # the end is exclusive; the server's endTime is not
            calendar_id=job.calendar_id,
        )
    except Exception as error:
        return _failed(job, error)
    return _Outcome(job, events=tuple(answer.events or ()))


def _send_sync(job: _Job, client: AuthenticatedClient) -> _Outcome:
    if job.error is not None:
        return _Outcome(job, error=job.error)
    try:
        if job.calendar_id is None:
            listed = get_calendars.sync(client=client, location_id=job.location_id)
            return _Outcome(job, calendars=_calendar_ids(listed))
        answer = get_calendar_events.sync(
            client=client,
            location_id=job.location_id,
            start_time=str(_millis(job.start)),
            end_time=str(_millis(job.end) - 1),
            calendar_id=job.calendar_id,
        )
    except Exception as error:
        return _failed(job, error)
    return _Outcome(job, events=tuple(answer.events or ()))


# Yielding each event once --------------------------------------------------------------------------------------


class _Tally:
    """The consumer's side: each event once per location, and the summary."""

    def __init__(self, summary: EventsSummary | None) -> None:
        self.summary = EventsSummary() if summary is None else summary
        self._seen: set[tuple[str, str]] = set()

    def new_events(self, outcome: _Outcome) -> list[CalendarEvent]:
        summary, job = self.summary, outcome.job
        summary.requests += outcome.sent
        if outcome.refused:
            summary.refused_windows += 1
            return []
        if outcome.error is not None:
            summary.failures.append(ListingFailure(job.location_id, job.calendar_id, job.start, job.end, outcome.error))
            return []
        if outcome.calendars is not None:
            summary.calendars[job.location_id] = outcome.calendars
            return []
        fresh = []
        for event in outcome.events:
            if isinstance(event.id, str):  # an event without an id cannot be told from another: never dropped
                key = (job.location_id, event.id)
                if key in self._seen:
                    summary.duplicates += 1
                    continue
                self._seen.add(key)
            fresh.append(event)
        summary.events += len(fresh)
        return fresh

    def raise_if_incomplete(self) -> None:
        failures = tuple(self.summary.failures)
        if failures:
            raise EventsIncompleteError(failures) from failures[0].error


def _plan(
    clients: Mapping[str, AuthenticatedClient],
    start: object,
    end: object,
    calendar_ids: Mapping[str, Iterable[str]] | None,
    window: object,
    concurrency: object,
    max_in_flight: object,
    summary: EventsSummary | None,
) -> tuple[_Schedule, int, _Tally]:
    since, until, size = _checked_range(start, end, window)
    per_location = _checked_count("concurrency", concurrency)
    in_flight = _checked_count("max_in_flight", max_in_flight)
    if summary is not None and not isinstance(summary, EventsSummary):
        raise ValueError(f"summary must be an EventsSummary, got {type(summary).__name__}")
    locations = _checked_locations(clients, calendar_ids)
    for location_id, (_, ids) in locations.items():
        if ids is not None and summary is not None:
            summary.calendars[location_id] = ids
    schedule = _Schedule(locations, since, until, size, per_location)
    return schedule, min(in_flight, per_location * len(locations)), _Tally(summary)


# The four ways in ----------------------------------------------------------------------------------------------


async def fetch_events_by_location(
    clients: Mapping[str, AuthenticatedClient],
    start: dt.datetime | dt.date,
    end: dt.datetime | dt.date,
    *,
    calendar_ids: Mapping[str, Iterable[str]] | None = None,
    window: dt.timedelta = DEFAULT_WINDOW,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    summary: EventsSummary | None = None,
) -> AsyncGenerator[CalendarEvent, None]:
    """Yield every event of each location of `clients` (location id -> its client) in `[start, end)`, each once,
    as the windows answer (see the module docstring). `start`/`end`: timezone-aware datetimes, or dates (midnight
    UTC). `calendar_ids`: for the locations it names, the calendars to list (no calendar listing request). At
    most `concurrency` requests per location and `max_in_flight` in all are in flight; each location's requests
    spend its client's rate budget (`agency.location_clients` makes such clients). Closing the iteration early
    cancels the requests in flight.

    Raises:
        ValueError: before anything is sent: a naive datetime, `end` not after `start`, a `window` shorter than
            MIN_WINDOW, a location id that cannot be one, a `calendar_ids` entry for no client, `concurrency` or
            `max_in_flight` not a whole number >= 1.
        errors.EventsIncompleteError: at the end, when parts of the listing failed (after every event that could
            be listed was yielded); `.failures` names them, a MissingScopeError among them for a missing scope.
    """
    schedule, workers, tally = _plan(clients, start, end, calendar_ids, window, concurrency, max_in_flight, summary)
    async with contextlib.aclosing(run_async(schedule, _send_async, workers)) as outcomes:
        async for outcome in outcomes:
            for event in tally.new_events(outcome):
                yield event
    tally.raise_if_incomplete()


async def fetch_events(
    client: AuthenticatedClient,
    location_id: str,
    start: dt.datetime | dt.date,
    end: dt.datetime | dt.date,
    *,
    calendar_ids: Iterable[str] | None = None,
    window: dt.timedelta = DEFAULT_WINDOW,
    concurrency: int = DEFAULT_CONCURRENCY,
    summary: EventsSummary | None = None,
) -> AsyncGenerator[CalendarEvent, None]:
    """Yield every event of one location in `[start, end)`, each once: `fetch_events_by_location` for one client
    (a location token, a Private Integration Token, or an agency's `for_location` auth).

    Raises: as `fetch_events_by_location`.
    """
    given = None if calendar_ids is None else {location_id: calendar_ids}
    async with contextlib.aclosing(
        fetch_events_by_location(
            {location_id: client},
            start,
            end,
            calendar_ids=given,
            window=window,
            concurrency=concurrency,
            max_in_flight=concurrency,
            summary=summary,
        )
    ) as listed:
        async for event in listed:
            yield event


def fetch_events_by_location_sync(
    clients: Mapping[str, AuthenticatedClient],
    start: dt.datetime | dt.date,
    end: dt.datetime | dt.date,
    *,
    calendar_ids: Mapping[str, Iterable[str]] | None = None,
    window: dt.timedelta = DEFAULT_WINDOW,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    summary: EventsSummary | None = None,
) -> Generator[CalendarEvent, None, None]:
    """`fetch_events_by_location` for synchronous code: one pool of at most `max_in_flight` threads serves every
    location. Closing the iteration early stops the threads after the request each is sending.

    Raises: as `fetch_events_by_location` (the ValueErrors at the call, before anything is sent).
    """
    schedule, workers, tally = _plan(clients, start, end, calendar_ids, window, concurrency, max_in_flight, summary)
    return _consume(run_threads(schedule, _send_sync, workers, "highlevel-events"), tally)


def _consume(outcomes: Generator[_Outcome, None, None], tally: _Tally) -> Generator[CalendarEvent, None, None]:
    with contextlib.closing(outcomes):
        for outcome in outcomes:
            yield from tally.new_events(outcome)
    tally.raise_if_incomplete()


def fetch_events_sync(
    client: AuthenticatedClient,
    location_id: str,
    start: dt.datetime | dt.date,
    end: dt.datetime | dt.date,
    *,
    calendar_ids: Iterable[str] | None = None,
    window: dt.timedelta = DEFAULT_WINDOW,
    concurrency: int = DEFAULT_CONCURRENCY,
    summary: EventsSummary | None = None,
) -> Generator[CalendarEvent, None, None]:
    """`fetch_events` for synchronous code: `concurrency` threads share the client (and its budget).

    Raises: as `fetch_events_by_location` (the ValueErrors at the call, before anything is sent).
    """
    return fetch_events_by_location_sync(
        {location_id: client},
        start,
        end,
        calendar_ids=None if calendar_ids is None else {location_id: calendar_ids},
        window=window,
        concurrency=concurrency,
        max_in_flight=concurrency,
        summary=summary,
    )


__all__ = [
    "DEFAULT_WINDOW",
    "MIN_WINDOW",
    "PER_CONTACT_HINT",
    "SCOPES",
    "EventsSummary",
    "ListingFailure",
    "fetch_events",
    "fetch_events_by_location",
    "fetch_events_by_location_sync",
    "fetch_events_sync",
    "group_by_contact",
]
