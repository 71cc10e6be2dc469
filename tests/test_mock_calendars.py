"""The packaged mock serves HighLevel's two calendar operations from the appointments a test sets per contact:
real HTTP on 127.0.0.1, one fresh mock per test."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from highlevel_contacts import AuthenticatedClient, errors
from highlevel_contacts.api.calendars import get_calendar_events, get_calendars
from highlevel_contacts.models import CalendarEvent, GetCalendarEventsResponse, GetCalendarsResponse
from highlevel_contacts.testing import (
    CALENDAR_EVENTS_PATH,
    CALENDARS_PATH,
    LOCATION_TOKEN_PATH,
    RATE_LIMIT_HEADER_NAMES,
    TOKEN_PATH,
    Answer,
    MockServer,
    response_examples,
    serve,
    version_values,
)

AUTH = {"Authorization": "Bearer any-pit-token"}  # a Private Integration Token: the default location's
VERSION = {"Version": "2021-04-15"}
HEADERS = {**AUTH, **VERSION}
EVENTS_EXAMPLES = response_examples(CALENDAR_EVENTS_PATH, "get")
CALENDARS_EXAMPLES = response_examples(CALENDARS_PATH, "get")
NO_ACCESS = {"statusCode": 403, "message": "The token does not have access to this location."}
ONE_OF = {"statusCode": 400, "message": "Either of calendarId, userId or groupId is required", "error": "Bad Request"}
CONTACT_PATH = "/contacts/c1/appointments"


def ms(moment: str) -> str:
    """An ISO 8601 time (with an offset) as the query's epoch milliseconds."""
    return str(round(datetime.fromisoformat(moment).timestamp() * 1000))


def bad_request(message: str) -> dict[str, Any]:
    return {"statusCode": 400, "message": message, "error": "Bad Request"}


# One client for the module: httpx.get() would build a client, and its SSL context, per request (~50 ms).
HTTP = httpx.Client(timeout=5)


@pytest.fixture(scope="module", autouse=True)
def _close_http() -> Iterator[None]:
    yield
    HTTP.close()


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


def get(mock: MockServer, path: str, headers: dict[str, str] | None = None, /, **params: str | None) -> httpx.Response:
    """`GET path` with the default location's `locationId` unless `params` says otherwise (None: left out)."""
    query = {"locationId": mock.default_location, **params}
    sent = {name: value for name, value in query.items() if value is not None}
    return HTTP.get(mock.base_url + path, params=sent, headers=HEADERS if headers is None else headers)


def events(
    mock: MockServer, start: str, end: str, headers: dict[str, str] | None = None, /, **params: str | None
) -> Any:
    """The 200 body's events of `GET /calendars/events` for the window [start, end] (ISO 8601 times)."""
    response = get(mock, CALENDAR_EVENTS_PATH, headers, startTime=ms(start), endTime=ms(end), **params)
    assert response.status_code == 200, response.text
    return response.json()["events"]


def ids(listed: list[dict[str, Any]]) -> list[str]:
    return [event["id"] for event in listed]


def location_token(mock: MockServer, location_id: str) -> str:
    """A location token (`mock-lt-<n>`) for `location_id`, from the agency token and `POST /oauth/locationToken`."""
    agency = mock.authorize_agency()["access_token"]
    response = HTTP.post(
        mock.base_url + LOCATION_TOKEN_PATH,
        data={"companyId": "mock-company", "locationId": location_id},
        headers={"Authorization": f"Bearer {agency}", "Version": version_values(LOCATION_TOKEN_PATH, "post")[0]},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    assert token.startswith("mock-lt-")
    return token


def test_the_operations_versions_and_examples_come_from_the_spec() -> None:
    assert version_values(CALENDAR_EVENTS_PATH, "get") == ("2021-04-15", "v3")
    assert version_values(CALENDARS_PATH, "get") == ("2021-04-15", "v3")
    assert set(EVENTS_EXAMPLES) == set(CALENDARS_EXAMPLES) == {200, 400, 401}


# Auth, location, version.


@pytest.mark.parametrize("path", [CALENDAR_EVENTS_PATH, CALENDARS_PATH])
def test_no_token_an_expired_one_or_an_agency_token_is_401_with_the_operations_example(
    mock: MockServer, path: str
) -> None:
    examples = response_examples(path, "get")
    agency = mock.authorize_agency()["access_token"]
    for headers in (
        VERSION,
        {"Authorization": "Bearer mock-at-999", **VERSION},
        {"Authorization": f"Bearer {agency}", **VERSION},
    ):
        response = get(mock, path, headers, startTime="0", endTime="1", calendarId="c1")
        assert response.status_code == 401
        assert response.json() == examples[401]
        assert all(name in response.headers for name in RATE_LIMIT_HEADER_NAMES)
    assert mock.limits.requests == 0  # refused before counting


@pytest.mark.parametrize("path", [CALENDAR_EVENTS_PATH, CALENDARS_PATH])
def test_another_location_than_the_tokens_is_403_and_no_location_is_400(mock: MockServer, path: str) -> None:
    response = get(mock, path, locationId="loc-a", startTime="0", endTime="1", calendarId="c1")
    assert response.status_code == 403
    assert response.json() == NO_ACCESS
    assert [response.headers[name] for name in RATE_LIMIT_HEADER_NAMES] == ["100", "100", "10000", "200000", "200000"]
    response = get(mock, path, locationId=None, startTime="0", endTime="1", calendarId="c1")
    assert response.status_code == 400
    assert response.json() == bad_request("locationId is required")
    assert mock.limits.requests == 0


def test_a_location_token_answers_for_its_own_location_only_and_counts_there(mock: MockServer) -> None:
    token = location_token(mock, "loc-a")
    mock.set_appointments("c1", [{"id": "e1", "startTime": "2024-03-01T10:00:00Z"}], location_id="loc-a")
    headers = {"Authorization": f"Bearer {token}", **VERSION}
    assert ids(
        events(
            mock,
            "2024-03-01T00:00:00+00:00",
            "2024-03-02T00:00:00+00:00",
            headers,
            locationId="loc-a",
            calendarId="YlWd2wuCAZQzh2cH1fVZ",
        )
    ) == ["e1"]
    refused = get(mock, CALENDARS_PATH, headers)  # the default location: not the token's
    assert refused.status_code == 403
    assert refused.json() == NO_ACCESS
    assert mock.limits_for("loc-a").requests == 1
    assert mock.limits.requests == 0


@pytest.mark.parametrize("version", [None, "2021-07-28", "V3", ""])
@pytest.mark.parametrize("path", [CALENDAR_EVENTS_PATH, CALENDARS_PATH])
def test_a_version_the_operation_does_not_list_is_400_with_its_example(
    mock: MockServer, path: str, version: str | None
) -> None:
    headers = {**AUTH} if version is None else {**AUTH, "Version": version}
    response = get(mock, path, headers, startTime="0", endTime="1", calendarId="c1")
    assert response.status_code == 400
    assert response.json() == response_examples(path, "get")[400]
    assert mock.limits.requests == 0
    assert get(mock, path, {**AUTH, "Version": "v3"}, startTime="0", endTime="1", calendarId="c1").status_code == 200


# The query of GET /calendars/events.


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"endTime": "1", "calendarId": "c1"}, "startTime is required"),
        ({"startTime": "", "endTime": "1", "calendarId": "c1"}, "startTime is required"),
        ({"startTime": "0", "calendarId": "c1"}, "endTime is required"),
        (
            {"startTime": "2024-03-01", "endTime": "1", "calendarId": "c1"},
            "startTime must be milliseconds since the epoch, as a string of digits",
        ),
        (
            {"startTime": "0", "endTime": "1.5e12", "calendarId": "c1"},
            "endTime must be milliseconds since the epoch, as a string of digits",
        ),
        ({"startTime": "2", "endTime": "1", "calendarId": "c1"}, "endTime must not be before startTime"),
        ({"startTime": "0", "endTime": "1"}, ONE_OF["message"]),
        ({"startTime": "0", "endTime": "1", "calendarId": "", "userId": "", "groupId": ""}, ONE_OF["message"]),
    ],
)
def test_a_bad_events_query_is_400_naming_what_is_wrong(mock: MockServer, params: dict[str, str], message: str) -> None:
    response = get(mock, CALENDAR_EVENTS_PATH, **params)
    assert response.status_code == 400
    assert response.json() == bad_request(message)
    assert response.headers["X-RateLimit-Remaining"] == "99"  # counted: HighLevel counts what it answers
    assert mock.events_window_refusals == 0


def test_a_window_longer_than_the_limit_is_400_and_counted(mock: MockServer) -> None:
    assert mock.max_events_window == 31 * 86_400.0
    start = 1_700_000_000_000
    longest = str(start + 31 * 86_400_000)
    assert get(mock, CALENDAR_EVENTS_PATH, startTime=str(start), endTime=longest, calendarId="c1").status_code == 200
    response = get(mock, CALENDAR_EVENTS_PATH, startTime=str(start), endTime=str(int(longest) + 1), calendarId="c1")
    assert response.status_code == 400
    assert response.json() == bad_request("The time range between startTime and endTime must not exceed 31 days")
    assert mock.events_window_refusals == 1
    assert mock.limits.requests == 2


def test_the_window_limit_can_be_set_or_lifted() -> None:
    with MockServer(max_events_window=43_200.0) as half_a_day:
        response = get(half_a_day, CALENDAR_EVENTS_PATH, startTime="0", endTime="43200001", userId="u1")
        assert response.json() == bad_request("The time range between startTime and endTime must not exceed 0.5 days")
        assert half_a_day.events_window_refusals == 1
    with MockServer(max_events_window=None) as unlimited:
        response = get(unlimited, CALENDAR_EVENTS_PATH, startTime="0", endTime="999999999999999", userId="u1")
        assert response.status_code == 200
        assert unlimited.events_window_refusals == 0
    for bad in (0, -1.0, float("inf"), float("nan"), True):
        with pytest.raises(ValueError, match="max_events_window"):
            MockServer(max_events_window=bad)


# Which events are listed.


def test_the_window_overlaps_inclusively_at_both_edges(mock: MockServer) -> None:
    mock.set_appointments(
        "c1",
        [{"id": "e1", "calendarId": "cal", "startTime": "2024-03-01T10:00:00Z", "endTime": "2024-03-01T10:30:00Z"}],
        location_id=mock.default_location,
    )
    assert ids(events(mock, "2024-03-01T09:00:00+00:00", "2024-03-01T10:00:00+00:00", calendarId="cal")) == ["e1"]
    assert ids(events(mock, "2024-03-01T10:30:00+00:00", "2024-03-01T11:00:00+00:00", calendarId="cal")) == ["e1"]
    assert ids(events(mock, "2024-03-01T10:10:00+00:00", "2024-03-01T10:20:00+00:00", calendarId="cal")) == ["e1"]
    assert events(mock, "2024-03-01T09:00:00+00:00", "2024-03-01T09:59:59.999+00:00", calendarId="cal") == []
    assert events(mock, "2024-03-01T10:30:00.001+00:00", "2024-03-01T11:00:00+00:00", calendarId="cal") == []


def test_the_stored_times_are_read_in_each_format_and_an_unreadable_start_is_never_listed(mock: MockServer) -> None:
    mock.set_appointments(
        "c1",
        [
            {"id": "naive", "startTime": "2024-03-01 10:00:00", "endTime": "2024-03-01 10:30:00"},  # UTC
            {"id": "offset", "startTime": "2024-03-01T15:30:00+05:30", "endTime": "2024-03-01T16:00:00+05:30"},
            {"id": "fraction", "startTime": "2024-03-01T10:00:00.250Z", "endTime": "2024-03-01T10:15:00.5Z"},
            {"id": "no-end", "startTime": "2024-03-01T10:00:00Z", "endTime": None},
            {"id": "example-end", "startTime": "2024-03-01T10:00:00Z"},  # the example's endTime: 2021, the start
            {"id": "unreadable", "startTime": "next Tuesday", "endTime": "2024-03-01T10:30:00Z"},
            {"id": "missing", "startTime": None},
        ],
        location_id=mock.default_location,
    )
    calendar = {"calendarId": "YlWd2wuCAZQzh2cH1fVZ"}  # the example event's, kept by every one
    listed = events(mock, "2024-03-01T10:00:00+00:00", "2024-03-01T10:00:00+00:00", **calendar)
    assert ids(listed) == ["naive", "offset", "no-end", "example-end"]  # "fraction" starts 250 ms later
    assert ids(events(mock, "2024-03-01T10:00:00.250+00:00", "2024-03-01T10:00:00.250+00:00", **calendar)) == [
        "naive",
        "offset",
        "fraction",
    ]
    assert ids(events(mock, "2024-03-01T00:00:00+00:00", "2024-03-02T00:00:00+00:00", **calendar)) == [
        "naive",
        "offset",
        "fraction",
        "no-end",
        "example-end",
    ]


def test_calendar_user_and_group_filter_and_combine(mock: MockServer) -> None:
    base = {"startTime": "2024-03-01T10:00:00Z", "endTime": "2024-03-01T10:30:00Z"}
    mock.set_appointments(
        "c1",
        [
            {**base, "id": "a", "calendarId": "cal1", "groupId": "g1", "assignedUserId": "u1", "users": ["u1"]},
            {**base, "id": "b", "calendarId": "cal2", "groupId": "g1", "assignedUserId": "u2", "users": ["u2", "u3"]},
        ],
        location_id=mock.default_location,
    )
    mock.set_appointments(
        "c2",
        [{**base, "id": "c", "calendarId": "cal1", "groupId": "g2", "assignedUserId": "u3", "users": []}],
        location_id=mock.default_location,
    )
    window = ("2024-03-01T00:00:00+00:00", "2024-03-02T00:00:00+00:00")
    assert ids(events(mock, *window, calendarId="cal1")) == ["a", "c"]
    assert ids(events(mock, *window, userId="u3")) == ["b", "c"]  # one of `users`, or the assigned user
    assert ids(events(mock, *window, userId="u2")) == ["b"]
    assert ids(events(mock, *window, groupId="g1")) == ["a", "b"]
    assert ids(events(mock, *window, calendarId="cal1", groupId="g1")) == ["a"]
    assert events(mock, *window, userId="nobody") == []


def test_a_locations_events_are_those_stored_with_its_location_id(
    mock: MockServer, appointment_example: dict[str, Any]
) -> None:
    event = {"id": "e1", "calendarId": "cal", "startTime": "2024-03-01T10:00:00Z"}
    mock.set_appointments("c1", [event])  # the example's locationId
    mock.set_appointments("c2", [{**event, "id": "e2", "locationId": mock.default_location}])  # its own
    mock.set_appointments("c3", [{**event, "id": "e3", "locationId": "elsewhere"}], location_id=mock.default_location)
    window = ("2024-03-01T00:00:00+00:00", "2024-03-02T00:00:00+00:00")
    assert ids(events(mock, *window, calendarId="cal")) == ["e2", "e3"]
    assert ids(events(mock, *window, calendarId=appointment_example["calendarId"])) == []  # unset contacts: none
    with pytest.raises(TypeError, match="location id"):
        mock.set_appointments("c4", [event], location_id="")


def test_each_event_is_the_stored_one_without_status_in_stored_order(mock: MockServer) -> None:
    stored = mock.set_appointments(
        "c1",
        [
            {"id": "late", "calendarId": "cal", "startTime": "2024-03-01T12:00:00Z", "status": "booked"},
            {"id": "early", "calendarId": "cal", "startTime": "2024-03-01T08:00:00Z", "status": "cancelled"},
        ],
        location_id=mock.default_location,
    )
    listed = events(mock, "2024-03-01T00:00:00+00:00", "2024-03-02T00:00:00+00:00", calendarId="cal")
    assert listed == [{name: value for name, value in event.items() if name != "status"} for event in stored]
    assert ids(listed) == ["late", "early"]  # as stored, not sorted
    own = HTTP.get(mock.base_url + CONTACT_PATH, headers={**AUTH, "Version": "2021-07-28"}).json()
    assert [event["status"] for event in own["events"]] == ["booked", "cancelled"]  # the contact's: still there


def test_recurring_instances_are_stored_appointments_not_expanded(mock: MockServer) -> None:
    master = "ocQHyuzHvysMo5N5VsXc"
    day = 86_400_000
    first = int(ms("2024-10-25T02:00:00+00:00"))
    instances = [
        {
            "id": f"{master}_{first + n * day}_1800",
            "calendarId": "cal",
            "isRecurring": True,
            "masterEventId": master,
            "rrule": "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=3",
            "startTime": datetime.fromtimestamp((first + n * day) / 1000, UTC).isoformat(),
            "endTime": datetime.fromtimestamp((first + n * day) / 1000 + 1800, UTC).isoformat(),
        }
        for n in range(2)  # two instances stored, though the rrule says three: nothing is computed
    ]
    mock.set_appointments("c1", instances, location_id=mock.default_location)
    listed = events(mock, "2024-10-25T00:00:00+00:00", "2024-10-31T00:00:00+00:00", calendarId="cal")
    assert ids(listed) == [f"{master}_{first}_1800", f"{master}_{first + day}_1800"]
    assert all(event["isRecurring"] is True and event["masterEventId"] == master for event in listed)
    second_day = events(mock, "2024-10-26T00:00:00+00:00", "2024-10-26T23:59:59+00:00", calendarId="cal")
    assert ids(second_day) == [f"{master}_{first + day}_1800"]


# GET /calendars/.


def test_calendars_are_derived_from_the_locations_events(mock: MockServer) -> None:
    mock.set_appointments(
        "c1",
        [
            {"id": "e1", "calendarId": "cal2", "groupId": "g2"},
            {"id": "e2", "calendarId": "cal1", "groupId": "g1"},
            {"id": "e3", "calendarId": "cal2", "groupId": "other"},  # a calendar seen before: its first group stays
        ],
        location_id=mock.default_location,
    )
    mock.set_appointments("c2", [{"id": "e4", "calendarId": "cal3"}], location_id="loc-a")  # another location
    template = CALENDARS_EXAMPLES[200]["calendars"][0]
    response = get(mock, CALENDARS_PATH)
    assert response.status_code == 200
    assert response.json() == {
        "calendars": [
            {**template, "id": "cal2", "name": "Calendar cal2", "locationId": mock.default_location, "groupId": "g2"},
            {**template, "id": "cal1", "name": "Calendar cal1", "locationId": mock.default_location, "groupId": "g1"},
        ]
    }
    assert [calendar["id"] for calendar in get(mock, CALENDARS_PATH, groupId="g1").json()["calendars"]] == ["cal1"]
    assert get(mock, CALENDARS_PATH, showDrafted="false").json() == response.json()
    mock.clear_appointments()
    assert get(mock, CALENDARS_PATH).json() == {"calendars": []}  # the example contact belongs to no location


def test_set_calendars_replaces_the_derived_ones_until_cleared(mock: MockServer) -> None:
    mock.set_appointments("c1", [{"id": "e1", "calendarId": "derived"}], location_id=mock.default_location)
    template = CALENDARS_EXAMPLES[200]["calendars"][0]
    served = mock.set_calendars(
        mock.default_location,
        [{"id": "sales", "name": "Sales", "groupId": "g1"}, {"id": "support", "locationId": "ignored"}],
    )
    assert served == [
        {**template, "id": "sales", "name": "Sales", "groupId": "g1", "locationId": mock.default_location},
        {**template, "id": "support", "locationId": mock.default_location},
    ]
    assert get(mock, CALENDARS_PATH).json() == {"calendars": served}
    assert get(mock, CALENDARS_PATH, groupId="g1").json() == {"calendars": served[:1]}
    mock.set_calendars(mock.default_location, [])
    assert get(mock, CALENDARS_PATH).json() == {"calendars": []}
    mock.clear_calendars(mock.default_location)
    assert [calendar["id"] for calendar in get(mock, CALENDARS_PATH).json()["calendars"]] == ["derived"]
    mock.set_calendars(mock.default_location, [{"id": "x"}])
    mock.clear_calendars()
    assert [calendar["id"] for calendar in get(mock, CALENDARS_PATH).json()["calendars"]] == ["derived"]
    with pytest.raises(TypeError, match="calendars must be a list"):
        mock.set_calendars(mock.default_location, {"id": "x"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="each calendar must be a dict"):
        mock.set_calendars(mock.default_location, ["x"])  # type: ignore[list-item]


# Rate limits, latency, /__stats.


def test_both_operations_share_the_locations_limits_with_appointments() -> None:
    with MockServer(burst=(3, 10.0)) as mock:
        answers = [
            HTTP.get(mock.base_url + CONTACT_PATH, headers={**AUTH, "Version": "2021-07-28"}),
            get(mock, CALENDARS_PATH),
            get(mock, CALENDAR_EVENTS_PATH, startTime="0", endTime="1", calendarId="c1"),
            get(mock, CALENDAR_EVENTS_PATH, startTime="0", endTime="1", calendarId="c1"),
            get(mock, CALENDARS_PATH),
        ]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
        assert answers[3].json() == {"statusCode": 429, "message": "Too Many Requests"}
        assert [answer.headers["X-RateLimit-Remaining"] for answer in answers] == ["2", "1", "0", "0", "0"]
        for answer in answers:
            assert (answer.headers["X-RateLimit-Max"], answer.headers["X-RateLimit-Interval-Milliseconds"]) == (
                "3",
                "10000",
            )
        assert answers[4].headers["X-RateLimit-Daily-Remaining"] == "199997"
        assert HTTP.get(mock.base_url + "/__stats").json() == {
            "requests": 5,
            "rate_limited": 2,
            "token_calls": 0,
            "location_token_calls": 0,
            "locations": {mock.default_location: {"requests": 5, "rate_limited": 2}},
        }


def test_latency_delays_the_calendar_answers() -> None:
    with MockServer(latency=0.2) as mock:
        started = time.monotonic()
        assert get(mock, CALENDARS_PATH).status_code == 200
        assert get(mock, CALENDAR_EVENTS_PATH, startTime="0", endTime="1", userId="u1").status_code == 200
        assert time.monotonic() - started >= 0.4


def test_stats_count_a_location_tokens_calendar_requests_for_its_location(mock: MockServer) -> None:
    token = location_token(mock, "loc-b")
    headers = {"Authorization": f"Bearer {token}", **VERSION}
    for _ in range(2):
        assert get(mock, CALENDARS_PATH, headers, locationId="loc-b").status_code == 200
    assert get(mock, CALENDAR_EVENTS_PATH, headers, locationId="loc-b", startTime="0", endTime="1").status_code == 400
    stats = HTTP.get(mock.base_url + "/__stats").json()
    assert stats["locations"]["loc-b"] == {"requests": 3, "rate_limited": 0}
    assert stats["requests"] == 3


# Scripts.


def test_scripted_answers_on_the_calendar_paths_answer_the_operations_examples(mock: MockServer) -> None:
    mock.script(Answer(status=401), Answer(status=400), path=CALENDAR_EVENTS_PATH)
    mock.script(Answer(status=400), Answer(status=503), path=CALENDARS_PATH, method="GET")
    assert HTTP.get(mock.base_url + CONTACT_PATH, headers={**AUTH, "Version": "2021-07-28"}).status_code == 200
    first = get(mock, CALENDAR_EVENTS_PATH, startTime="0", endTime="1", calendarId="c1")
    assert (first.status_code, first.json()) == (401, EVENTS_EXAMPLES[401])
    assert get(mock, CALENDAR_EVENTS_PATH).json() == EVENTS_EXAMPLES[400]
    assert get(mock, CALENDARS_PATH).json() == CALENDARS_EXAMPLES[400]
    unavailable = get(mock, CALENDARS_PATH)
    assert (unavailable.status_code, unavailable.json()) == (503, {"statusCode": 503, "message": "Service Unavailable"})
    assert mock.unused_answers == ()
    assert get(mock, CALENDARS_PATH).json() == {"calendars": []}
    assert mock.limits.requests == 2  # the appointments request and the last one: scripted answers are not counted


# The generated client reads the mock's answers.


def test_the_generated_functions_parse_the_mocks_answers(mock: MockServer) -> None:
    mock.set_appointments(
        "c1",
        [
            {
                "id": "e1",
                "calendarId": "c1",
                "startTime": "2024-03-01T10:00:00+05:30",
                "endTime": "2024-03-01T10:30:00+05:30",
            },
            {"id": "e2", "calendarId": "c1", "startTime": "2024-03-01 11:00:00", "isRecurring": "true"},
        ],
        location_id=mock.default_location,
    )
    start, end = ms("2024-03-01T00:00:00+00:00"), ms("2024-03-02T00:00:00+00:00")
    with AuthenticatedClient(base_url=mock.base_url, token="any-pit-token") as client:
        listing = get_calendar_events.sync(
            client=client,
            location_id=mock.default_location,
            start_time=start,
            end_time=end,
            calendar_id="c1",
            version="2021-04-15",
        )
        calendars = get_calendars.sync(client=client, location_id=mock.default_location, version="v3")
        with pytest.raises(errors.BadRequestError) as refused:
            get_calendar_events.sync(
                client=client, location_id=mock.default_location, start_time="0", end_time="1", version="2021-04-15"
            )
    assert isinstance(listing, GetCalendarEventsResponse)
    assert isinstance(listing.events, list)
    assert all(isinstance(event, CalendarEvent) for event in listing.events)
    assert [event.id for event in listing.events] == ["e1", "e2"]
    assert listing.events[0].start_time == datetime.fromisoformat("2024-03-01T10:00:00+05:30")
    assert listing.events[1].is_recurring == "true"
    assert isinstance(calendars, GetCalendarsResponse)
    assert isinstance(calendars.calendars, list)
    assert [(calendar.id, calendar.name) for calendar in calendars.calendars] == [("c1", "Calendar c1")]
    assert refused.value.message == ONE_OF["message"]


# The location is printed where the mock is started from a shell.


def test_serve_prints_the_default_location() -> None:
    out, stop = io.StringIO(), threading.Event()
    server = threading.Thread(target=serve, kwargs={"out": out, "stop": stop})
    server.start()
    try:
        deadline = time.monotonic() + 5
        while "serving until Ctrl-C" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        server.join(timeout=5)
    lines = out.getvalue().splitlines()
    assert [line.split(":", 1)[0] for line in lines] == [
        "base URL",
        "token file",
        "location",
        "serving until Ctrl-C",
        "try",
    ]
    assert lines[2] == f"location:   {response_examples(TOKEN_PATH, 'post')[200]['locationId']}"


def test_the_mock_process_prints_its_url_then_the_default_location() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "highlevel_contacts.testing", "--max-events-window", "none"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdin is not None
        assert child.stdout is not None
        try:
            base_url = child.stdout.readline().strip()
            location = child.stdout.readline().strip()
            assert base_url.startswith("http://127.0.0.1:")
            assert location == f"location: {response_examples(TOKEN_PATH, 'post')[200]['locationId']}"
            query = {"locationId": location.removeprefix("location: "), "startTime": "0", "endTime": "999999999999999"}
            response = HTTP.get(base_url + CALENDAR_EVENTS_PATH, params={**query, "userId": "u1"}, headers=HEADERS)
            assert (response.status_code, response.json()) == (200, {"events": []})
        finally:
            child.stdin.close()
            assert child.wait(timeout=10) == 0
