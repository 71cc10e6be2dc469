"""events.py at the unit layer (httpx.MockTransport, no sockets): the windows asked, a refused window halved,
each event once, failures kept and raised at the end, scopes named, input refused before anything is sent.
Over loopback against the packaged mock: tests/test_events_mock.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import re
import threading
import urllib.parse
import zoneinfo
from typing import Any

import httpx
import pytest
from highlevel_contacts import AuthenticatedClient, EventsIncompleteError, MissingScopeError, events, workers
from highlevel_contacts.events import EventsSummary, ListingFailure
from highlevel_contacts.models import CalendarEvent

TOKEN = "pit-0123456789abcdef0123456789abcdef0123"
LOCATION = "loc-1"
YEAR = (dt.date(2026, 1, 1), dt.date(2027, 1, 1))
DAY_MS = 86_400_000


def _ms(year: int, month: int, day: int, hour: int = 0) -> int:
    return int(dt.datetime(year, month, day, hour, tzinfo=dt.UTC).timestamp() * 1000)


def _event(event_id: str, calendar_id: str, start_ms: int, minutes: int = 30, contact: str = "c1") -> dict[str, Any]:
    start = dt.datetime.fromtimestamp(start_ms / 1000, dt.UTC)
    return {
        "id": event_id,
        "calendarId": calendar_id,
        "contactId": contact,
        "locationId": LOCATION,
        "startTime": start.isoformat(),
        "endTime": (start + dt.timedelta(minutes=minutes)).isoformat(),
    }


class CalendarServer:
    """The two calendar operations, in process: inclusive overlap of [startTime, endTime], an optional maximum
    window refused with a 400 that speaks of the range, and every request recorded (thread-safe)."""

    def __init__(self, listed: list[dict[str, Any]], calendars: tuple[str, ...] = ("cal-a", "cal-b")) -> None:
        self.listed = listed
        self.calendars = calendars
        self.max_window_ms: int | None = None
        self.answer_calendars: httpx.Response | None = None
        self.answer_events: httpx.Response | None = None
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        query = dict(urllib.parse.parse_qsl(request.url.query.decode()))
        if request.url.path == "/calendars/":
            if self.answer_calendars is not None:
                return self.answer_calendars
            return httpx.Response(200, json={"calendars": [{"id": c, "name": c} for c in self.calendars]})
        if self.answer_events is not None:
            return self.answer_events
        start, end = int(query["startTime"]), int(query["endTime"])
        if self.max_window_ms is not None and end - start > self.max_window_ms:
            return httpx.Response(400, json={"statusCode": 400, "message": "The time range is too large"})
        found = [
            event
            for event in self.listed
            if event["calendarId"] == query["calendarId"]
            and _ms_of(event["startTime"]) <= end
            and _ms_of(event["endTime"]) >= start
        ]
        return httpx.Response(200, json={"events": found})

    def windows(self) -> list[tuple[str, int, int]]:
        return [
            (query["calendarId"], int(query["startTime"]), int(query["endTime"]))
            for query in (dict(urllib.parse.parse_qsl(r.url.query.decode())) for r in self.requests)
            if "calendarId" in query
        ]


def _ms_of(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp() * 1000)


def _client(server: CalendarServer, **options: Any) -> AuthenticatedClient:
    options = {"retry": None, "rate_limit": None, **options}
    transport = httpx.MockTransport(server)
    return AuthenticatedClient(base_url="https://api.test", token=TOKEN, httpx_args={"transport": transport}, **options)


def _listed(
    client: AuthenticatedClient, asynchronous: bool, *args: Any, into: list[CalendarEvent] | None = None, **options: Any
) -> list[CalendarEvent]:
    """The events listed, sync or async; each also appended to `into` as it comes (kept when the end raises)."""
    listed = [] if into is None else into
    if not asynchronous:
        listed.extend(events.fetch_events_sync(client, *args, **options))
        return listed

    async def collect() -> None:
        async with client:
            async for event in events.fetch_events(client, *args, **options):
                listed.append(event)

    asyncio.run(collect())
    return listed


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def asynchronous(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_a_year_is_one_calendar_listing_and_twelve_windows_per_calendar(asynchronous: bool) -> None:
    server = CalendarServer([_event("e1", "cal-a", _ms(2026, 3, 1, 9)), _event("e2", "cal-b", _ms(2026, 12, 31, 23))])
    summary = EventsSummary()
    listed = _listed(_client(server), asynchronous, LOCATION, *YEAR, summary=summary)
    assert sorted(str(event.id) for event in listed) == ["e1", "e2"]
    assert [request.url.path for request in server.requests].count("/calendars/") == 1
    windows = server.windows()
    assert len(windows) == 2 * 12 == summary.requests - 1
    for calendar in ("cal-a", "cal-b"):
        mine = sorted((start, end) for name, start, end in windows if name == calendar)
        assert mine[0][0] == _ms(2026, 1, 1)
        assert mine[-1][1] == _ms(2027, 1, 1) - 1
        assert all(later[0] == earlier[1] + 1 for earlier, later in itertools.pairwise(mine))  # no gap
        assert all(end - start + 1 <= 31 * DAY_MS for start, end in mine)
    assert (summary.calendars, summary.events, summary.duplicates) == ({LOCATION: ("cal-a", "cal-b")}, 2, 0)
    assert {request.headers["version"] for request in server.requests} == {"2021-04-15"}


def test_an_event_on_a_window_edge_is_yielded_once(asynchronous: bool) -> None:
    edge = _ms(2026, 1, 1) + 31 * DAY_MS  # where the first window ends and the second starts
    server = CalendarServer([_event("straddles", "cal-a", edge - 15 * 60_000), _event("on-edge", "cal-a", edge)])
    summary = EventsSummary()
    listed = _listed(_client(server), asynchronous, LOCATION, *YEAR, calendar_ids=["cal-a"], summary=summary)
    assert sorted(str(event.id) for event in listed) == ["on-edge", "straddles"]
    assert summary.duplicates == 1  # the straddling one, listed by both windows
    assert summary.requests == 12  # the calendars were given: no listing request


def test_a_window_refused_as_too_large_is_halved_and_the_later_ones_are_cut_in_advance(asynchronous: bool) -> None:
    listed_events = [_event(f"e{month}", "cal-a", _ms(2026, month, 28, 12)) for month in range(1, 13)]
    server = CalendarServer(listed_events)
    server.max_window_ms = 10 * DAY_MS
    summary = EventsSummary()
    options: dict[str, Any] = {"calendar_ids": ["cal-a"], "concurrency": 1, "summary": summary}
    listed = _listed(_client(server), asynchronous, LOCATION, *YEAR, **options)
    assert sorted(str(event.id) for event in listed) == sorted(event["id"] for event in listed_events)
    # 31 days refused, 15.5 refused, 7.75 accepted: every later window is cut to 7.75 days or less before sending.
    assert summary.refused_windows == 2
    accepted = [window for window in server.windows() if window[2] - window[1] <= 10 * DAY_MS]
    assert len(server.windows()) == 2 + len(accepted) == summary.requests == 2 + 12 * 4
    assert all(end - start + 1 <= 7.75 * DAY_MS for _, start, end in accepted)


def test_halving_stops_at_the_minimum_window_and_the_rest_is_reported(asynchronous: bool) -> None:
    server = CalendarServer([])
    server.max_window_ms = 0  # refuses everything as too large
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(EventsIncompleteError) as caught:
        _listed(
            _client(server), asynchronous, LOCATION, start, start + dt.timedelta(hours=4),
            calendar_ids=["cal-a"], window=dt.timedelta(hours=4), concurrency=1,
        )  # fmt: skip
    # 4 h and 2 h refused and halved; a 1 h window refused "as too large" cannot be about size: the calendar's
    # other three 1 h windows fail unsent.
    assert len(server.requests) == 3
    spans = sorted((failure.start, failure.end) for failure in caught.value.failures)
    assert spans == [
        (start, start + dt.timedelta(hours=1)),
        (start + dt.timedelta(hours=1), start + dt.timedelta(hours=2)),
        (start + dt.timedelta(hours=2), start + dt.timedelta(hours=4)),  # the second half, failed unsent, not cut
    ]


def test_a_server_refusing_every_window_costs_a_bounded_number_of_requests(asynchronous: bool) -> None:
    server = CalendarServer([])
    server.answer_events = httpx.Response(400, json={"statusCode": 400, "message": ["startTime must be a number"]})
    summary = EventsSummary()
    with pytest.raises(EventsIncompleteError):
        _listed(_client(server), asynchronous, LOCATION, *YEAR, summary=summary)
    # 2 calendars x a year: one window at a time until one is answered, halved from 31 days to under 2 hours (9
    # refusals), then each calendar fails once its smallest window is refused (was 6,164 requests per calendar).
    assert summary.refused_windows == 9
    assert summary.requests <= 1 + 9 + 2 + 10
    assert len(summary.failures) > 2 * 12


def test_windows_are_whole_milliseconds_in_real_time(asynchronous: bool) -> None:
    """A start with microseconds (datetime.now()) rounds down, an end rounds up (an event at its last
    microseconds is inside), halves fall on whole milliseconds, and a zone's clock change does not bend them."""
    new_york = zoneinfo.ZoneInfo("America/New_York")
    start = dt.datetime(2026, 3, 8, 0, 0, 0, 123456, tzinfo=new_york)  # clocks go forward at 2:00 that night
    end = dt.datetime(2026, 3, 8, 6, 0, 0, 500, tzinfo=new_york)
    last = _event("last", "cal-a", int(end.timestamp() * 1000))  # starts in end's final millisecond
    server = CalendarServer([last])
    server.max_window_ms = 2 * 3_600_000
    options: dict[str, Any] = {"calendar_ids": ["cal-a"], "window": dt.timedelta(hours=5), "concurrency": 1}
    listed = _listed(_client(server), asynchronous, LOCATION, start, end, **options)
    assert [event.id for event in listed] == ["last"]
    windows = [(begin, finish) for _, begin, finish in server.windows()]
    accepted = [(begin, finish) for begin, finish in windows if finish - begin < server.max_window_ms]
    assert accepted[0][0] == 1772946000123  # 05:00:00.123 UTC: the start's last 456 microseconds dropped
    assert accepted[-1][1] == 1772964000000  # 10:00:00.0005 rounded up to .001, less 1 ms: the end is exclusive
    assert all(later[0] == earlier[1] + 1 for earlier, later in itertools.pairwise(accepted))
    assert all(finish >= begin for begin, finish in windows)  # never a window that ends before it starts
    # 5 h refused, then 2.5 h refused, then 1.25 h windows: 4 of them cover the 5 h of real time (not 6 h of clock).
    assert len(windows) == 2 + 4


def test_another_refusal_fails_its_window_without_halving_and_the_rest_goes_on(asynchronous: bool) -> None:
    server = CalendarServer([_event("kept", "cal-b", _ms(2026, 5, 5))])
    original = server.__call__

    def unknown_calendar(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("calendarId") == "cal-a":
            with server._lock:
                server.requests.append(request)
            return httpx.Response(400, json={"statusCode": 400, "message": "Calendar not found"})
        return original(request)

    transport = httpx.MockTransport(unknown_calendar)
    client = AuthenticatedClient(
        base_url="https://api.test", token=TOKEN, retry=None, rate_limit=None, httpx_args={"transport": transport}
    )
    summary = EventsSummary()
    yielded: list[CalendarEvent] = []
    with pytest.raises(EventsIncompleteError) as caught:
        _listed(client, asynchronous, LOCATION, *YEAR, summary=summary, into=yielded)
    assert [event.id for event in yielded] == ["kept"]  # yielded before the error: nothing lost
    assert summary.refused_windows == 0
    failures = caught.value.failures
    assert len(failures) == 12
    assert {failure.calendar_id for failure in failures} == {"cal-a"}
    assert all(isinstance(failure, ListingFailure) for failure in failures)
    assert "location loc-1, calendar cal-a, 2026-01-01T00:00:00+00:00" in str(caught.value)
    assert "Calendar not found" in str(caught.value)


@pytest.mark.parametrize("status", [401, 403])
def test_a_missing_scope_names_both_scopes_and_the_per_contact_path(asynchronous: bool, status: int) -> None:
    server = CalendarServer([])
    server.answer_calendars = httpx.Response(status, json={"message": "The token is not authorized for this scope."})
    with pytest.raises(EventsIncompleteError) as caught:
        _listed(_client(server), asynchronous, LOCATION, *YEAR)
    (failure,) = caught.value.failures
    assert type(failure.error) is MissingScopeError
    assert (failure.error.status_code, failure.error.scopes) == (status, events.SCOPES)
    text = str(failure.error)
    assert "calendars.readonly and calendars/events.readonly" in text
    assert "highlevel-contacts appointments" in text
    assert "contacts.readonly" in text
    assert TOKEN not in str(caught.value)
    assert len(server.requests) == 1


def test_a_refused_token_stops_the_location_without_sending_the_rest(asynchronous: bool) -> None:
    server = CalendarServer([])
    server.answer_events = httpx.Response(401, json={"statusCode": 401, "message": "Invalid JWT"})
    with pytest.raises(EventsIncompleteError) as caught:
        _listed(_client(server), asynchronous, LOCATION, *YEAR, calendar_ids=["cal-a", "cal-b"], concurrency=2)
    assert len(caught.value.failures) == 24  # every window reported
    assert len(server.requests) <= 2  # the ones in flight when the first 401 came; the rest not sent
    errors = [failure.error for failure in caught.value.failures]
    assert len({id(error) for error in errors}) == 24  # a copy each


def test_the_client_v3_version_is_sent_as_v3(asynchronous: bool) -> None:
    server = CalendarServer([_event("e1", "cal-a", _ms(2026, 2, 1))])
    listed = _listed(_client(server, version="v3"), asynchronous, LOCATION, *YEAR)
    assert [event.id for event in listed] == ["e1"]
    assert {request.headers["version"] for request in server.requests} == {"v3"}


@pytest.mark.parametrize(
    ("start", "end", "options", "message"),
    [
        (dt.datetime(2026, 1, 1), dt.date(2027, 1, 1), {}, "start must be timezone-aware"),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1), {}, "end (2026-01-01T00:00:00+00:00) must be after start"),
        (dt.date(2026, 1, 1), "2027-01-01", {}, "end must be a datetime or a date, got str"),
        (*YEAR, {"window": dt.timedelta(minutes=5)}, "window must be a timedelta of at least 1:00:00"),
        (*YEAR, {"calendar_ids": "cal-a"}, "must be an iterable of ids"),
        (*YEAR, {"calendar_ids": ["cal-a", ""]}, "must be non-empty strs without surrounding spaces, got ''"),
        (*YEAR, {"calendar_ids": [" cal-a"]}, "without surrounding spaces, got ' cal-a'"),
        (*YEAR, {"calendar_ids": [["cal-a"]]}, "got ['cal-a']"),
        (*YEAR, {"calendar_ids": {"cal-a": 1}}, "must be an iterable of ids, not a dict"),
        (*YEAR, {"calendar_ids": []}, "none given"),
        (*YEAR, {"concurrency": 0}, "concurrency must be a whole number >= 1"),
    ],
)
def test_input_that_cannot_be_right_sends_nothing(
    start: Any, end: Any, options: dict[str, Any], message: str, asynchronous: bool
) -> None:
    server = CalendarServer([])
    with pytest.raises(ValueError, match=re.escape(message)):
        _listed(_client(server), asynchronous, LOCATION, start, end, **options)
    assert server.requests == []


def test_a_location_id_that_cannot_be_one_sends_nothing() -> None:
    server = CalendarServer([])
    with pytest.raises(ValueError, match="not a location id: 'a/b'"):
        events.fetch_events_sync(_client(server), "a/b", *YEAR)
    assert server.requests == []


def test_by_location_lists_each_location_with_its_own_client() -> None:
    first, second = CalendarServer([_event("e1", "cal-a", _ms(2026, 6, 1))]), CalendarServer([])
    second.listed = [{**_event("e1", "cal-a", _ms(2026, 6, 1)), "locationId": "loc-2"}]  # the same id elsewhere
    clients = {LOCATION: _client(first), "loc-2": _client(second)}
    summary = EventsSummary()
    listed = list(events.fetch_events_by_location_sync(clients, *YEAR, summary=summary, max_in_flight=3))
    assert sorted((event.location_id, event.id) for event in listed) == [("loc-1", "e1"), ("loc-2", "e1")]
    assert len(first.requests) == len(second.requests) == 1 + 24
    assert summary.calendars == {LOCATION: ("cal-a", "cal-b"), "loc-2": ("cal-a", "cal-b")}


def test_closing_early_stops_the_workers(asynchronous: bool) -> None:
    server = CalendarServer([_event(f"e{day}", "cal-a", _ms(2026, 1, 1) + day * DAY_MS) for day in range(300)])
    client = _client(server)
    if asynchronous:

        async def first() -> str | None:
            async with client:
                listing = events.fetch_events(client, LOCATION, *YEAR, calendar_ids=["cal-a"], concurrency=2)
                event = await anext(listing)
                await listing.aclose()
                return event.id if isinstance(event.id, str) else None

        assert asyncio.run(first()) is not None
    else:
        listing = events.fetch_events_sync(client, LOCATION, *YEAR, calendar_ids=["cal-a"], concurrency=2)
        assert next(listing).id is not None
        listing.close()
    assert len(server.requests) <= 2 + 2 + 2  # in flight, queued for the consumer, and taken: not all 12
    assert [thread.name for thread in threading.enumerate() if thread.name.startswith("highlevel-events")] == []


def test_group_by_contact() -> None:
    listed = [
        CalendarEvent.from_dict({"id": "e1", "contactId": "c1"}),
        CalendarEvent.from_dict({"id": "e2", "contactId": "c2"}),
        CalendarEvent.from_dict({"id": "e3", "contactId": "c1"}),
        CalendarEvent.from_dict({"id": "e4"}),
    ]
    grouped = events.group_by_contact(listed)
    assert {contact: [event.id for event in group] for contact, group in grouped.items()} == {
        "c1": ["e1", "e3"],
        "c2": ["e2"],
        None: ["e4"],
    }


def test_a_huge_concurrency_starts_at_most_max_workers_threads() -> None:
    server = CalendarServer([])
    seen: list[int] = []
    original = server.__call__

    def counting(request: httpx.Request) -> httpx.Response:
        seen.append(sum(thread.name.startswith("highlevel-events") for thread in threading.enumerate()))
        return original(request)

    transport = httpx.MockTransport(counting)
    client = AuthenticatedClient(
        base_url="https://api.test", token=TOKEN, retry=None, rate_limit=None, httpx_args={"transport": transport}
    )
    assert list(events.fetch_events_sync(client, LOCATION, *YEAR, concurrency=5_000)) == []
    assert 0 < max(seen) <= workers.MAX_WORKERS == 256


def test_a_range_near_the_end_of_time_is_refused_unsent() -> None:
    server = CalendarServer([])
    late = dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="end is out of range"):
        events.fetch_events_sync(_client(server), LOCATION, dt.date(9999, 12, 1), late)
    listed = list(
        events.fetch_events_sync(
            _client(server), LOCATION, dt.date(9999, 12, 1), dt.date(9999, 12, 31), window=dt.timedelta.max
        )
    )
    assert listed == []
    assert len(server.requests) == 1 + 2  # the calendars, then one window each: the window is cut to the range


def test_the_first_window_goes_alone_so_a_size_refusal_is_paid_once_per_halving(asynchronous: bool) -> None:
    server = CalendarServer([_event(f"e{month}", "cal-a", _ms(2026, month, 3)) for month in range(1, 13)])
    server.max_window_ms = 10 * DAY_MS
    summary = EventsSummary()
    listed = _listed(_client(server), asynchronous, LOCATION, *YEAR, summary=summary, concurrency=10)
    assert len(listed) == 12
    assert summary.refused_windows == 2  # 31 and 15.5 days, one request each (was up to 10 each at concurrency 10)
    assert summary.requests == 1 + 2 + 2 * 48
