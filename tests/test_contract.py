"""Contract tests: every documented response, served from the spec's own example, parses to exactly the example.

Each case runs twice: through httpx.MockTransport (the cheap unit layer) and over real HTTP on 127.0.0.1
(what users hit), and each of those sync and async; and under each API version the spec lists, chosen for the
client or for the call (the Version header on the wire is the one chosen).
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from typing import Any, cast

import pytest
from dateutil.parser import isoparse
from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.models import (
    Appointment,
    GetAppointmentsResponse,
)
from highlevel_contacts.models.api_version import API_VERSION_DEFAULT, ApiVersion
from highlevel_contacts.types import UNSET, Response, Unset

from tests.helpers import DATE_FIELDS, DOCUMENTED_STATUSES, ERROR_MODELS, PAGE_APPOINTMENT_FIELDS, TOKEN, snake
from tests.scripted_server import SERVINGS, RecordedRequest
from tools.spec import version_values

CONTACT_ID = "sx6wyHhbFdRXh302LLNR"
AWKWARD_CONTACT_ID = "a/b?c#d e"


SPEC_VERSIONS = cast(tuple[ApiVersion, ...], version_values())


@dataclass(frozen=True)
class VersionChoice:
    """Who chooses the API version: nobody (the spec's default), the client (`version=`), or the call."""

    client: ApiVersion | None
    call: ApiVersion | Unset
    on_the_wire: str


VERSION_CHOICES = [
    VersionChoice(None, UNSET, API_VERSION_DEFAULT),
    *(VersionChoice(version, UNSET, version) for version in SPEC_VERSIONS),
    *(VersionChoice(None, version, version) for version in SPEC_VERSIONS),
    # the call wins over the client, both ways round
    *(VersionChoice(client, call, call) for client in SPEC_VERSIONS for call in SPEC_VERSIONS if client != call),
]


@pytest.fixture(
    params=VERSION_CHOICES,
    ids=lambda choice: f"client={choice.client or '-'},call={'-' if isinstance(choice.call, Unset) else choice.call}",
)
def chosen(request: pytest.FixtureRequest) -> VersionChoice:
    return cast(VersionChoice, request.param)


def _client(base_url: str, choice: VersionChoice, **kwargs: Any) -> AuthenticatedClient:
    if choice.client is None:
        return AuthenticatedClient(base_url=base_url, token=TOKEN, **kwargs)
    return AuthenticatedClient(base_url=base_url, token=TOKEN, version=choice.client, **kwargs)


@pytest.fixture(params=list(SERVINGS))
def serve(request: pytest.FixtureRequest) -> Any:
    """`serve(status, body, choice)`: a client for `choice` answered `status` with `body`, and its requests."""
    serving = SERVINGS[request.param]
    return lambda status, body, choice: serving(status, body, functools.partial(_client, choice=choice))


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


def assert_wire(wire: list[RecordedRequest], version: str, contact_path: str = CONTACT_ID) -> None:
    """One request, as documented, with the Version header that was chosen."""
    assert len(wire) == 1
    (request,) = wire
    assert request.method == "GET"
    assert request.raw_path == f"/contacts/{contact_path}/appointments"
    assert request.headers.get_list("version") == [version]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("status", DOCUMENTED_STATUSES)
def test_sync_detailed(serve: Any, examples: dict[int, Any], status: int, chosen: VersionChoice) -> None:
    with serve(status, examples[status], chosen) as (client, wire), client:
        response: Response[Any] = get_appointments_for_contact.sync_detailed(
            CONTACT_ID, client=client, version=chosen.call
        )
    assert response.status_code == status
    assert json.loads(response.content) == examples[status]
    assert_parsed_matches(status, response.parsed, examples[status])
    assert_wire(wire, chosen.on_the_wire)


@pytest.mark.anyio
@pytest.mark.parametrize("status", DOCUMENTED_STATUSES)
async def test_asyncio_detailed(serve: Any, examples: dict[int, Any], status: int, chosen: VersionChoice) -> None:
    with serve(status, examples[status], chosen) as (client, wire):
        async with client:
            response: Response[Any] = await get_appointments_for_contact.asyncio_detailed(
                CONTACT_ID, client=client, version=chosen.call
            )
    assert response.status_code == status
    assert_parsed_matches(status, response.parsed, examples[status])
    assert_wire(wire, chosen.on_the_wire)


def test_sync_returns_the_parsed_body(serve: Any, examples: dict[int, Any], chosen: VersionChoice) -> None:
    with serve(200, examples[200], chosen) as (client, wire), client:
        parsed = get_appointments_for_contact.sync(CONTACT_ID, client=client, version=chosen.call)
    assert_parsed_matches(200, parsed, examples[200])
    assert_wire(wire, chosen.on_the_wire)


@pytest.mark.anyio
async def test_asyncio_returns_the_parsed_body(serve: Any, examples: dict[int, Any], chosen: VersionChoice) -> None:
    with serve(200, examples[200], chosen) as (client, wire):
        async with client:
            parsed = await get_appointments_for_contact.asyncio(CONTACT_ID, client=client, version=chosen.call)
    assert_parsed_matches(200, parsed, examples[200])
    assert_wire(wire, chosen.on_the_wire)


def test_contact_id_is_percent_encoded(serve: Any, examples: dict[int, Any]) -> None:
    with serve(200, examples[200], VERSION_CHOICES[0]) as (client, wire), client:
        get_appointments_for_contact.sync_detailed(AWKWARD_CONTACT_ID, client=client)
    assert_wire(wire, API_VERSION_DEFAULT, contact_path="a%2Fb%3Fc%23d%20e")


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
