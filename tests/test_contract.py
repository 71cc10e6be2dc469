"""Contract tests: every documented response, served from the spec's own example, parses to exactly the example.

Each case runs twice: through httpx.MockTransport (the cheap unit layer) and over real HTTP on 127.0.0.1
(what users hit), and each of those sync and async.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from dateutil.parser import isoparse
from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.models import (
    Appointment,
    BadRequestResponse,
    GetAppointmentsResponse,
    UnauthorizedResponse,
    UnprocessableEntityResponse,
)
from highlevel_contacts.types import Response

from tests.helpers import DATE_FIELDS, PAGE_APPOINTMENT_FIELDS, TOKEN, snake
from tests.scripted_server import RecordedRequest, Reply, ScriptedServer

CONTACT_ID = "sx6wyHhbFdRXh302LLNR"
AWKWARD_CONTACT_ID = "a/b?c#d e"
DOCUMENTED_STATUSES = [200, 400, 401, 422]
ERROR_MODELS: dict[int, type[Any]] = {
    400: BadRequestResponse,
    401: UnauthorizedResponse,
    422: UnprocessableEntityResponse,
}


@contextmanager
def _through_mock_transport(status: int, body: Any) -> Iterator[tuple[AuthenticatedClient, list[RecordedRequest]]]:
    wire: list[RecordedRequest] = []

    def handler(request: httpx.Request) -> httpx.Response:
        wire.append(RecordedRequest.of(request))
        return httpx.Response(status, json=body)

    client = AuthenticatedClient(
        base_url="https://services.leadconnectorhq.com",
        token=TOKEN,
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    yield client, wire


@contextmanager
def _over_loopback(status: int, body: Any) -> Iterator[tuple[AuthenticatedClient, list[RecordedRequest]]]:
    wire: list[RecordedRequest] = []
    with ScriptedServer([Reply.json(status, body)]) as server:
        yield AuthenticatedClient(base_url=server.base_url, token=TOKEN), wire
        wire.extend(server.requests)


@pytest.fixture(params=["mock_transport", "loopback"])
def serve(request: pytest.FixtureRequest) -> Any:
    return _through_mock_transport if request.param == "mock_transport" else _over_loopback


def assert_appointment_matches(event: Appointment, example: dict[str, Any]) -> None:
    """Every one of the 17 fields equals the example; dates are compared as values, parsed independently."""
    assert len(example) == 17
    for name, expected in example.items():
        actual = getattr(event, snake(name))
        if name in DATE_FIELDS:
            assert isinstance(actual, datetime.datetime), name
            assert actual == isoparse(expected), name
        else:
            assert actual == expected, name
    assert event.additional_properties == {}


def assert_parsed_matches(status: int, parsed: Any, example: dict[str, Any]) -> None:
    if status == 200:
        assert isinstance(parsed, GetAppointmentsResponse)
        assert isinstance(parsed.events, list)
        assert len(parsed.events) == len(example["events"]) == 1
        for event, event_example in zip(parsed.events, example["events"], strict=True):
            assert_appointment_matches(event, event_example)
        return
    assert type(parsed) is ERROR_MODELS[status]
    assert parsed.status_code == example["statusCode"] == status
    assert parsed.message == example["message"]
    assert getattr(parsed, "error", None) == example.get("error")


def assert_wire(wire: list[RecordedRequest], contact_path: str = CONTACT_ID) -> None:
    """One request, as documented; no test passes `version`, so the header is the spec's default."""
    assert len(wire) == 1
    (request,) = wire
    assert request.method == "GET"
    assert request.raw_path == f"/contacts/{contact_path}/appointments"
    assert request.headers["version"] == "2021-07-28"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("status", DOCUMENTED_STATUSES)
def test_sync_detailed(serve: Any, examples: dict[int, Any], status: int) -> None:
    with serve(status, examples[status]) as (client, wire), client:
        response: Response[Any] = get_appointments_for_contact.sync_detailed(CONTACT_ID, client=client)
    assert response.status_code == status
    assert json.loads(response.content) == examples[status]
    assert_parsed_matches(status, response.parsed, examples[status])
    assert_wire(wire)


@pytest.mark.anyio
@pytest.mark.parametrize("status", DOCUMENTED_STATUSES)
async def test_asyncio_detailed(serve: Any, examples: dict[int, Any], status: int) -> None:
    with serve(status, examples[status]) as (client, wire):
        async with client:
            response: Response[Any] = await get_appointments_for_contact.asyncio_detailed(CONTACT_ID, client=client)
    assert response.status_code == status
    assert_parsed_matches(status, response.parsed, examples[status])
    assert_wire(wire)


def test_sync_returns_the_parsed_body(serve: Any, examples: dict[int, Any]) -> None:
    with serve(200, examples[200]) as (client, wire), client:
        parsed = get_appointments_for_contact.sync(CONTACT_ID, client=client)
    assert_parsed_matches(200, parsed, examples[200])
    assert_wire(wire)


@pytest.mark.anyio
async def test_asyncio_returns_the_parsed_body(serve: Any, examples: dict[int, Any]) -> None:
    with serve(200, examples[200]) as (client, wire):
        async with client:
            parsed = await get_appointments_for_contact.asyncio(CONTACT_ID, client=client)
    assert_parsed_matches(200, parsed, examples[200])
    assert_wire(wire)


def test_contact_id_is_percent_encoded(serve: Any, examples: dict[int, Any]) -> None:
    with serve(200, examples[200]) as (client, wire), client:
        get_appointments_for_contact.sync_detailed(AWKWARD_CONTACT_ID, client=client)
    assert_wire(wire, contact_path="a%2Fb%3Fc%23d%20e")


def test_to_dict_round_trips_the_example(appointment_example: dict[str, Any], examples: dict[int, Any]) -> None:
    """Rule: to_dict() gives back the example key for key and value for value, except that a date field comes
    back as the datetime's ISO 8601 form (`2021-07-16 11:00:00` -> `2021-07-16T11:00:00`), which must parse
    to the same instant as the example's string."""
    parsed = GetAppointmentsResponse.from_dict(examples[200])
    round_tripped = parsed.to_dict()
    assert list(round_tripped) == ["events"]
    (event,) = round_tripped["events"]
    assert set(event) == set(appointment_example)
    for name, expected in appointment_example.items():
        if name in DATE_FIELDS:
            assert event[name] == isoparse(expected).isoformat()
            assert isoparse(event[name]) == isoparse(expected)
        else:
            assert event[name] == expected, name
    for status, model in ERROR_MODELS.items():
        assert model.from_dict(examples[status]).to_dict() == examples[status]


def test_every_field_lands_in_its_own_attribute() -> None:
    """The constructor is called positionally: a distinct value per field shows that none is swapped."""

    def value(name: str) -> Any:
        return [f"value-of-{name}"] if name in ("users", "assignedResources") else f"value-of-{name}"

    event = Appointment.from_dict({name: value(name) for name in PAGE_APPOINTMENT_FIELDS})
    for name in PAGE_APPOINTMENT_FIELDS:
        assert getattr(event, snake(name)) == value(name), name
