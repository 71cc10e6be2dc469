"""Property-based: whatever JSON (or bytes) a 200 carries, parsing ends in one of two documented outcomes,
a parsed model or MalformedResponseError; never a TypeError, KeyError, JSONDecodeError or anything else."""

from __future__ import annotations

import datetime
import json
from typing import Any

import httpx
from highlevel_contacts.errors import MalformedResponseError
from highlevel_contacts.models import Appointment, GetAppointmentsResponse
from highlevel_contacts.parsing import parse_json_object
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import APPOINTMENT_FIELDS, DATE_FIELDS, snake

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
dates = st.datetimes(timezones=st.none() | st.just(datetime.UTC)).map(lambda value: value.isoformat())
# Events that look like the real thing: the spec's keys with arbitrary values, plus unknown keys.
event_like = st.fixed_dictionaries(
    {},
    optional={name: json_values | dates for name in APPOINTMENT_FIELDS}
    | {"extra": json_values, "users": st.lists(scalars) | json_values},
)
bodies = st.fixed_dictionaries({}, optional={"events": st.lists(event_like | json_values, max_size=5) | json_values})

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(body: bytes) -> GetAppointmentsResponse:
    return parse_json_object(httpx.Response(200, content=body), GetAppointmentsResponse.from_dict)


def _outcome(body: bytes) -> GetAppointmentsResponse | MalformedResponseError:
    try:
        return _parse(body)
    except MalformedResponseError as error:
        caught = error
    assert caught.body == body
    assert caught.path.startswith("$")
    return caught


def _is_wellformed_events(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(_is_wellformed_event(item) for item in value))


def _is_wellformed_event(item: Any) -> bool:
    return isinstance(item, dict) and all(
        item.get(name) is None or isinstance(item.get(name), list) for name in ("users", "assignedResources")
    )


@given(json_values)
@SETTINGS
def test_any_json_value_parses_or_is_malformed(value: Any) -> None:
    outcome = _outcome(json.dumps(value).encode())
    wellformed = isinstance(value, dict) and _is_wellformed_events(value.get("events"))
    assert isinstance(outcome, GetAppointmentsResponse) == wellformed


@given(bodies)
@SETTINGS
def test_event_shaped_bodies_parse_or_name_the_bad_path(value: dict[str, Any]) -> None:
    outcome = _outcome(json.dumps(value).encode())
    if isinstance(outcome, MalformedResponseError):
        assert not _is_wellformed_events(value.get("events"))
        assert outcome.path.startswith("$.events")
        return
    assert outcome.to_dict().keys() == value.keys()
    for parsed, raw in zip(outcome.events or [], value.get("events") or [], strict=True):
        _assert_nothing_lost(parsed, raw)


def _assert_nothing_lost(parsed: Appointment, raw: dict[str, Any]) -> None:
    for name in APPOINTMENT_FIELDS:
        value = getattr(parsed, snake(name))
        if name not in raw:
            continue
        if name in DATE_FIELDS and isinstance(value, datetime.datetime):
            assert datetime.datetime.fromisoformat(raw[name]) == value
        else:
            assert value == raw[name], name
    assert parsed.additional_properties == {key: raw[key] for key in raw if key not in APPOINTMENT_FIELDS}


@given(st.binary(max_size=64))
@SETTINGS
def test_arbitrary_bytes_parse_or_are_malformed(body: bytes) -> None:
    outcome = _outcome(body)
    if isinstance(outcome, GetAppointmentsResponse):
        assert isinstance(json.loads(body), dict)  # only a JSON object can parse
