"""events.py against the packaged mock over 127.0.0.1: a year of a location once, recurring instances and events
on window edges included, in 1 + calendars x windows requests; per contact, the same appointments the
per-contact endpoint returns for that year; a window the mock refuses as too large halved."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from highlevel_contacts import AuthenticatedClient, events
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.models import CalendarEvent
from highlevel_contacts.testing import CALENDAR_EVENTS_PATH, CALENDARS_PATH, MockServer

TOKEN = "pit-0123456789abcdef0123456789abcdef0123"
SINCE, UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
CALENDARS = ("cal-1", "cal-2", "cal-3")


def _at(moment: dt.datetime, minutes: int = 30) -> dict[str, str]:
    return {"startTime": moment.isoformat(), "endTime": (moment + dt.timedelta(minutes=minutes)).isoformat()}


def _book(mock: MockServer) -> dict[str, list[dict[str, Any]]]:
    """30 contacts: two appointments each in 2026, one in 2025; contact-0 has a weekly series of 5 instances;
    contact-1 has one straddling the first 31-day window's edge, contact-2 one starting on it."""
    edge = SINCE + dt.timedelta(days=31)
    booked: dict[str, list[dict[str, Any]]] = {}
    for number in range(30):
        contact = f"contact-{number}"
        booked[contact] = [
            {"id": f"{contact}-a", "calendarId": CALENDARS[number % 3], **_at(SINCE + dt.timedelta(days=number * 11))},
            {
                "id": f"{contact}-b",
                "calendarId": CALENDARS[(number + 1) % 3],
                **_at(SINCE + dt.timedelta(days=300 + number)),
            },
            {"id": f"{contact}-old", "calendarId": CALENDARS[0], **_at(SINCE - dt.timedelta(days=40))},
        ]
    master = SINCE + dt.timedelta(days=100, hours=9)
    booked["contact-0"] += [
        {
            "id": f"series_{int((master + dt.timedelta(weeks=week)).timestamp() * 1000)}_1800",
            "calendarId": "cal-2",
            "isRecurring": True,
            "masterEventId": "series",
            **_at(master + dt.timedelta(weeks=week)),
        }
        for week in range(5)
    ]
    booked["contact-1"].append({"id": "straddles", "calendarId": "cal-1", **_at(edge - dt.timedelta(minutes=20), 60)})
    booked["contact-2"].append({"id": "on-edge", "calendarId": "cal-3", **_at(edge)})
    for contact, appointments in booked.items():
        mock.set_appointments(contact, appointments, location_id=mock.default_location)
    return booked


def _per_contact(mock: MockServer, contacts: list[str]) -> dict[str, set[str]]:
    """What the per-contact endpoint returns for each contact, kept to the year."""
    found: dict[str, set[str]] = {}
    with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
        for contact in contacts:
            listed = get_appointments_for_contact.sync(contact, client=client).events or []
            found[contact] = {
                str(event.id)
                for event in listed
                if isinstance(event.start_time, dt.datetime) and SINCE <= event.start_time < UNTIL
            }
    return found


def _by_contact(listed: list[CalendarEvent]) -> dict[str, set[str]]:
    return {
        str(contact): {str(event.id) for event in group} for contact, group in events.group_by_contact(listed).items()
    }


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_year_of_a_location_once_and_equal_to_the_per_contact_answers(asynchronous: bool) -> None:
    with MockServer() as mock:
        booked = _book(mock)
        summary = events.EventsSummary()
        if asynchronous:

            async def collect() -> list[CalendarEvent]:
                async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
                    listing = events.fetch_events(client, mock.default_location, SINCE, UNTIL, summary=summary)
                    return [event async for event in listing]

            listed = asyncio.run(collect())
        else:
            with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
                listed = list(events.fetch_events_sync(client, mock.default_location, SINCE, UNTIL, summary=summary))
        calendar_requests = [
            request for request in mock.requests if request.path in (CALENDARS_PATH, CALENDAR_EVENTS_PATH)
        ]
        ids = [str(event.id) for event in listed]
        assert len(ids) == len(set(ids)) == 30 * 2 + 5 + 2  # each once: the series' 5 instances, both edge events
        assert len(calendar_requests) == summary.requests == 1 + len(CALENDARS) * 12
        assert summary.duplicates >= 1  # the straddling event, listed by both windows
        assert summary.calendars == {mock.default_location: CALENDARS}
        assert _by_contact(listed) == _per_contact(mock, list(booked))
        assert all(request.headers["Version"] == "2021-04-15" for request in calendar_requests)


def test_a_window_the_mock_refuses_as_too_large_is_halved() -> None:
    with MockServer(max_events_window=10 * 86_400.0) as mock:
        booked = _book(mock)
        summary = events.EventsSummary()
        with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
            listed = list(events.fetch_events_sync(client, mock.default_location, SINCE, UNTIL, summary=summary))
        assert mock.events_window_refusals == summary.refused_windows >= 1
        assert summary.failures == []
        assert _by_contact(listed) == _per_contact(mock, list(booked))
        # 31 days refused, 15.5 refused (the first window goes alone), 7.75 accepted: the rest cut in advance
        assert summary.refused_windows == 2
