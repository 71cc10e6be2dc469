"""Contract tests for the calendar operations, GET /calendars/ and GET /calendars/events, from the spec's own
examples: the request on the wire (under each Version the spec lists) and every documented answer, through
httpx.MockTransport and over 127.0.0.1, sync and async; then what the models keep of fields the spec does not type,
of times that are not dates, and of a success body that is not what the spec says."""

from __future__ import annotations

import datetime
import functools
from typing import Any, cast

import httpx
import pytest
from dateutil.parser import isoparse
from highlevel_contacts import (
    APIStatusError,
    AuthenticatedClient,
    AuthenticationError,
    BadRequestError,
    MalformedResponseError,
)
from highlevel_contacts.api.calendars import get_calendar_events, get_calendars
from highlevel_contacts.models import (
    Calendar,
    CalendarEvent,
    CreatedBy,
    GetCalendarEventsResponse,
    GetCalendarsResponse,
)
from highlevel_contacts.models.calendars_api_version import CALENDARS_API_VERSION_DEFAULT, CalendarsApiVersion
from highlevel_contacts.types import UNSET

from tests.helpers import ERROR_MODELS, ERRORS, TOKEN, snake
from tests.scripted_server import SERVINGS, RecordedRequest
from tools.spec import CALENDAR_EVENTS_PATH, CALENDARS_PATH, load_spec, response_examples, version_values

CALENDARS = response_examples(CALENDARS_PATH, "get")
EVENTS = response_examples(CALENDAR_EVENTS_PATH, "get")
STATUSES = [200, 400, 401]
ERROR_STATUSES = [400, 401]

# The Version values the two operations list (their own schema, CalendarsApiVersion), the default first.
VERSIONS = cast(tuple[CalendarsApiVersion, ...], version_values(CALENDAR_EVENTS_PATH, "get"))
DEFAULT_VERSION = VERSIONS[0]


def _parameter_examples(path: str) -> dict[str, str]:
    """The `example` of each query parameter of GET `path` that has one, by name."""
    parameters = load_spec()["paths"][path]["get"]["parameters"]
    return {p["name"]: p["example"] for p in parameters if p["in"] == "query" and "example" in p}


EVENTS_QUERY = _parameter_examples(CALENDAR_EVENTS_PATH)
CALENDARS_QUERY = _parameter_examples(CALENDARS_PATH)
# The spec gives groupId no parameter example: the group of the 200 example's calendar is used instead.
GROUP_ID: str = CALENDARS[200]["calendars"][0]["groupId"]

# The CalendarEvent properties typed DateTimeOrString (a date-time when one parses, else the string).
TIME_FIELDS = [
    name
    for name, schema in load_spec()["components"]["schemas"]["CalendarEvent"]["properties"].items()
    if schema.get("$ref") == "#/components/schemas/DateTimeOrString"
]


def test_the_spec_examples_these_tests_read() -> None:
    assert sorted(CALENDARS) == sorted(EVENTS) == STATUSES
    assert version_values(CALENDARS_PATH, "get") == VERSIONS
    assert load_spec()["components"]["schemas"]["CalendarsApiVersion"]["default"] == DEFAULT_VERSION
    assert DEFAULT_VERSION == CALENDARS_API_VERSION_DEFAULT
    assert len(VERSIONS) == 2  # the default and v3
    assert list(EVENTS_QUERY) == ["locationId", "startTime", "endTime", "calendarId"]
    assert list(CALENDARS_QUERY) == ["locationId"]
    assert TIME_FIELDS == ["startTime", "endTime", "dateAdded", "dateUpdated"]
    (event,) = EVENTS[200]["events"]
    assert set(TIME_FIELDS) <= set(event)


@pytest.fixture(params=list(SERVINGS))
def serve(request: pytest.FixtureRequest) -> Any:
    """`serve(status, body)`: a client with TOKEN answered `status` with `body`, and its requests."""
    serving = SERVINGS[request.param]
    return lambda status, body: serving(status, body, functools.partial(AuthenticatedClient, token=TOKEN))


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> CalendarsApiVersion:
    return cast(CalendarsApiVersion, request.param)


def _events_kwargs(version: CalendarsApiVersion) -> dict[str, Any]:
    return {
        "location_id": EVENTS_QUERY["locationId"],
        "start_time": EVENTS_QUERY["startTime"],
        "end_time": EVENTS_QUERY["endTime"],
        "calendar_id": EVENTS_QUERY["calendarId"],
        "version": version,
    }


def _calendars_kwargs(version: CalendarsApiVersion) -> dict[str, Any]:
    return {
        "location_id": CALENDARS_QUERY["locationId"],
        "group_id": GROUP_ID,
        "show_drafted": False,
        "version": version,
    }


def _assert_wire(wire: list[RecordedRequest], raw_path: str, version: str) -> None:
    (request,) = wire
    assert request.method == "GET"
    assert request.raw_path == raw_path
    assert request.headers.get_list("version") == [version]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.body == b""


def _assert_events_wire(wire: list[RecordedRequest], version: str) -> None:
    q = EVENTS_QUERY
    _assert_wire(
        wire,
        f"/calendars/events?locationId={q['locationId']}&startTime={q['startTime']}&endTime={q['endTime']}"
        f"&calendarId={q['calendarId']}",
        version,
    )


def _assert_calendars_wire(wire: list[RecordedRequest], version: str) -> None:
    _assert_wire(
        wire, f"/calendars/?locationId={CALENDARS_QUERY['locationId']}&groupId={GROUP_ID}&showDrafted=false", version
    )


def _assert_error_model(status: int, parsed: Any, example: dict[str, Any]) -> None:
    assert type(parsed) is ERROR_MODELS[status]
    assert parsed.status_code == example["statusCode"] == status
    assert parsed.message == example["message"]
    assert getattr(parsed, "error", UNSET) == example.get("error", UNSET)
    assert parsed.additional_properties == {}
    assert parsed.to_dict() == example


def _assert_event(event: Any, example: dict[str, Any]) -> None:
    """Every field of the example is the attribute of the same (snake_case) name, and nothing else is set; a time
    is a timezone-aware datetime, the instant the example's string names (parsed independently)."""
    assert type(event) is CalendarEvent
    for name, expected in example.items():
        actual = getattr(event, snake(name))
        if name in TIME_FIELDS:
            assert isinstance(actual, datetime.datetime), name
            assert actual.tzinfo is not None, name
            assert actual.utcoffset() == isoparse(expected).utcoffset(), name
            assert actual == isoparse(expected), name
        else:
            assert actual == expected, name
    assert event.additional_properties == {}
    assert event.to_dict() == example


def _assert_events_parsed(status: int, parsed: Any) -> None:
    if status != 200:
        _assert_error_model(status, parsed, EVENTS[status])
        return
    example = EVENTS[200]
    assert type(parsed) is GetCalendarEventsResponse
    assert isinstance(parsed.events, list)
    assert len(parsed.events) == len(example["events"]) == 1
    for event, event_example in zip(parsed.events, example["events"], strict=True):
        _assert_event(event, event_example)
    (event,) = parsed.events
    # The cases the brief names, spelled out.
    assert event.start_time == datetime.datetime(
        2023, 9, 25, 16, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    )
    assert event.is_recurring == "true"  # a string in the example, kept as a string (not made a bool)
    assert isinstance(event.users, list)
    assert event.master_event_id == example["events"][0]["masterEventId"]
    assert (event.created_by, event.assigned_resources, event.deleted) == (UNSET, UNSET, UNSET)  # not in the example
    assert parsed.additional_properties == {}
    round_tripped = parsed.to_dict()
    assert round_tripped == example
    assert [round_tripped["events"][0][name] for name in TIME_FIELDS] == [
        example["events"][0][name] for name in TIME_FIELDS
    ]


def _assert_calendars_parsed(status: int, parsed: Any) -> None:
    if status != 200:
        _assert_error_model(status, parsed, CALENDARS[status])
        return
    example = CALENDARS[200]
    assert type(parsed) is GetCalendarsResponse
    assert isinstance(parsed.calendars, list)
    assert len(parsed.calendars) == len(example["calendars"]) == 1
    for calendar, calendar_example in zip(parsed.calendars, example["calendars"], strict=True):
        assert type(calendar) is Calendar
        for name, expected in calendar_example.items():
            assert getattr(calendar, snake(name)) == expected, name
        assert calendar.additional_properties == {}
        assert calendar.to_dict() == calendar_example
    assert parsed.additional_properties == {}
    assert parsed.to_dict() == example


# GET /calendars/events


@pytest.mark.parametrize("status", STATUSES)
def test_events_sync_detailed(serve: Any, status: int, version: CalendarsApiVersion) -> None:
    with serve(status, EVENTS[status]) as (client, wire), client:
        response = get_calendar_events.sync_detailed(client=client, **_events_kwargs(version))
    assert response.status_code == status
    _assert_events_parsed(status, response.parsed)
    _assert_events_wire(wire, version)


@pytest.mark.anyio
@pytest.mark.parametrize("status", STATUSES)
async def test_events_asyncio_detailed(serve: Any, status: int, version: CalendarsApiVersion) -> None:
    with serve(status, EVENTS[status]) as (client, wire):
        async with client:
            response = await get_calendar_events.asyncio_detailed(client=client, **_events_kwargs(version))
    assert response.status_code == status
    _assert_events_parsed(status, response.parsed)
    _assert_events_wire(wire, version)


def test_events_sync_returns_the_parsed_body(serve: Any, version: CalendarsApiVersion) -> None:
    with serve(200, EVENTS[200]) as (client, wire), client:
        parsed = get_calendar_events.sync(client=client, **_events_kwargs(version))
    _assert_events_parsed(200, parsed)
    _assert_events_wire(wire, version)


@pytest.mark.anyio
async def test_events_asyncio_returns_the_parsed_body(serve: Any, version: CalendarsApiVersion) -> None:
    with serve(200, EVENTS[200]) as (client, wire):
        async with client:
            parsed = await get_calendar_events.asyncio(client=client, **_events_kwargs(version))
    _assert_events_parsed(200, parsed)
    _assert_events_wire(wire, version)


def _assert_documented_error(error: APIStatusError, status: int, example: dict[str, Any]) -> None:
    assert type(error) is ERRORS[status]
    assert type(error) is {400: BadRequestError, 401: AuthenticationError}[status]
    assert error.status_code == status
    assert error.message == example["message"]
    assert error.error == example.get("error")


@pytest.mark.parametrize("status", ERROR_STATUSES)
def test_events_sync_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status, EVENTS[status]) as (client, wire), client, pytest.raises(APIStatusError) as caught:
        get_calendar_events.sync(client=client, **_events_kwargs(DEFAULT_VERSION))
    _assert_documented_error(caught.value, status, EVENTS[status])
    _assert_events_wire(wire, DEFAULT_VERSION)


@pytest.mark.anyio
@pytest.mark.parametrize("status", ERROR_STATUSES)
async def test_events_asyncio_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status, EVENTS[status]) as (client, wire):
        async with client:
            with pytest.raises(APIStatusError) as caught:
                await get_calendar_events.asyncio(client=client, **_events_kwargs(DEFAULT_VERSION))
    _assert_documented_error(caught.value, status, EVENTS[status])
    _assert_events_wire(wire, DEFAULT_VERSION)


def test_events_sends_only_the_parameters_given(serve: Any) -> None:
    q = EVENTS_QUERY
    with serve(200, EVENTS[200]) as (client, wire), client:
        get_calendar_events.sync(
            client=client,
            location_id=q["locationId"],
            start_time=q["startTime"],
            end_time=q["endTime"],
            user_id="u 1",
            version="v3",
        )
        get_calendar_events.sync(
            client=client,
            location_id=q["locationId"],
            start_time=q["startTime"],
            end_time=q["endTime"],
            group_id=GROUP_ID,
            version="v3",
        )
    first, second = wire
    window = f"locationId={q['locationId']}&startTime={q['startTime']}&endTime={q['endTime']}"
    assert first.raw_path == f"/calendars/events?{window}&userId=u+1"
    assert second.raw_path == f"/calendars/events?{window}&groupId={GROUP_ID}"


# GET /calendars/


@pytest.mark.parametrize("status", STATUSES)
def test_calendars_sync_detailed(serve: Any, status: int, version: CalendarsApiVersion) -> None:
    with serve(status, CALENDARS[status]) as (client, wire), client:
        response = get_calendars.sync_detailed(client=client, **_calendars_kwargs(version))
    assert response.status_code == status
    _assert_calendars_parsed(status, response.parsed)
    _assert_calendars_wire(wire, version)


@pytest.mark.anyio
@pytest.mark.parametrize("status", STATUSES)
async def test_calendars_asyncio_detailed(serve: Any, status: int, version: CalendarsApiVersion) -> None:
    with serve(status, CALENDARS[status]) as (client, wire):
        async with client:
            response = await get_calendars.asyncio_detailed(client=client, **_calendars_kwargs(version))
    assert response.status_code == status
    _assert_calendars_parsed(status, response.parsed)
    _assert_calendars_wire(wire, version)


def test_calendars_sync_returns_the_parsed_body(serve: Any, version: CalendarsApiVersion) -> None:
    with serve(200, CALENDARS[200]) as (client, wire), client:
        parsed = get_calendars.sync(client=client, **_calendars_kwargs(version))
    _assert_calendars_parsed(200, parsed)
    _assert_calendars_wire(wire, version)


@pytest.mark.anyio
async def test_calendars_asyncio_returns_the_parsed_body(serve: Any, version: CalendarsApiVersion) -> None:
    with serve(200, CALENDARS[200]) as (client, wire):
        async with client:
            parsed = await get_calendars.asyncio(client=client, **_calendars_kwargs(version))
    _assert_calendars_parsed(200, parsed)
    _assert_calendars_wire(wire, version)


@pytest.mark.parametrize("status", ERROR_STATUSES)
def test_calendars_sync_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status, CALENDARS[status]) as (client, wire), client, pytest.raises(APIStatusError) as caught:
        get_calendars.sync(client=client, **_calendars_kwargs(DEFAULT_VERSION))
    _assert_documented_error(caught.value, status, CALENDARS[status])
    _assert_calendars_wire(wire, DEFAULT_VERSION)


@pytest.mark.anyio
@pytest.mark.parametrize("status", ERROR_STATUSES)
async def test_calendars_asyncio_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status, CALENDARS[status]) as (client, wire):
        async with client:
            with pytest.raises(APIStatusError) as caught:
                await get_calendars.asyncio(client=client, **_calendars_kwargs(DEFAULT_VERSION))
    _assert_documented_error(caught.value, status, CALENDARS[status])
    _assert_calendars_wire(wire, DEFAULT_VERSION)


def test_calendars_sends_only_the_parameters_given(serve: Any) -> None:
    location = CALENDARS_QUERY["locationId"]
    with serve(200, CALENDARS[200]) as (client, wire), client:
        get_calendars.sync(client=client, location_id=location, version=DEFAULT_VERSION)
        get_calendars.sync(client=client, location_id=location, show_drafted=True, version=DEFAULT_VERSION)
    first, second = wire
    assert first.raw_path == f"/calendars/?locationId={location}"
    assert second.raw_path == f"/calendars/?locationId={location}&showDrafted=true"


def test_the_default_version_is_sent_when_none_is_passed(serve: Any) -> None:
    with serve(200, CALENDARS[200]) as (client, wire), client:
        get_calendars.sync(client=client, location_id=CALENDARS_QUERY["locationId"])
    assert [request.headers["version"] for request in wire] == [DEFAULT_VERSION]


def test_a_v3_client_sends_v3_and_another_version_is_refused_unsent() -> None:
    """The client's `version` carries over when the operation lists it (v3), else the operation's default; a
    value the operation does not list (the contacts operation's 2021-07-28) is a ValueError, nothing sent."""
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["version"])
        return httpx.Response(200, json=CALENDARS[200])

    transport = httpx.MockTransport(answer)
    with AuthenticatedClient(
        base_url="https://api.test", token=TOKEN, version="v3", httpx_args={"transport": transport}
    ) as client:
        get_calendars.sync(client=client, location_id=CALENDARS_QUERY["locationId"])
        with pytest.raises(ValueError, match=r"version='2021-07-28' is not an API version the spec lists"):
            get_calendars.sync(
                client=client, location_id=CALENDARS_QUERY["locationId"], version=cast(Any, "2021-07-28")
            )
    assert sent == ["v3"]


# What the models keep: fields the spec does not type, times that are not dates, who booked, a malformed body.


def test_a_calendar_keeps_the_fields_the_spec_does_not_type(serve: Any) -> None:
    (example,) = CALENDARS[200]["calendars"]
    untyped = {
        "notifications": [{"type": "email", "shouldSendToContact": True}],
        "openHours": [{"daysOfTheWeek": [1, 2], "hours": [{"openHour": 9, "openMinute": 0}]}],
        "teamMembers": [],
    }
    body = {"calendars": [{**example, **untyped}]}
    with serve(200, body) as (client, _), client:
        parsed = get_calendars.sync(client=client, **_calendars_kwargs(DEFAULT_VERSION))
    assert isinstance(parsed.calendars, list)
    (calendar,) = parsed.calendars
    assert calendar.additional_properties == untyped
    assert calendar["openHours"] == untyped["openHours"]
    assert (calendar.id, calendar.is_active) == (example["id"], example["isActive"])
    assert parsed.to_dict() == body  # nothing dropped


def test_an_event_time_that_is_not_a_date_is_kept_as_the_string() -> None:
    (example,) = EVENTS[200]["events"]
    event = CalendarEvent.from_dict({**example, "startTime": "soon", "endTime": None})
    assert event.start_time == "soon"
    assert event.end_time is None
    assert isinstance(event.date_added, datetime.datetime)
    assert event.to_dict() == {**example, "startTime": "soon", "endTime": None}


def test_an_event_with_created_by_parses_to_created_by(serve: Any) -> None:
    (example,) = EVENTS[200]["events"]
    created_by = {"userId": "u1", "source": "booking_widget"}
    body = {"events": [{**example, "createdBy": created_by, "isRecurring": False}]}
    with serve(200, body) as (client, _), client:
        parsed = get_calendar_events.sync(client=client, **_events_kwargs(DEFAULT_VERSION))
    assert isinstance(parsed.events, list)
    (event,) = parsed.events
    assert type(event.created_by) is CreatedBy
    assert (event.created_by.user_id, event.created_by.source) == ("u1", "booking_widget")
    assert event.created_by.additional_properties == {}
    assert event.is_recurring is False  # a bool stays a bool
    assert parsed.to_dict() == body


@pytest.mark.parametrize("events", [{"id": "x"}, "none", 3])
def test_a_malformed_events_body_raises_naming_the_path(serve: Any, events: Any) -> None:
    with serve(200, {"events": events}) as (client, _), client, pytest.raises(MalformedResponseError) as caught:
        get_calendar_events.sync_detailed(client=client, **_events_kwargs(DEFAULT_VERSION))
    assert caught.value.path == "$.events"
    assert "$.events" in str(caught.value)


@pytest.mark.anyio
async def test_a_malformed_events_body_raises_naming_the_path_async(serve: Any) -> None:
    with serve(200, {"events": {"id": "x"}}) as (client, _):
        async with client:
            with pytest.raises(MalformedResponseError) as caught:
                await get_calendar_events.asyncio(client=client, **_events_kwargs(DEFAULT_VERSION))
    assert caught.value.path == "$.events"
