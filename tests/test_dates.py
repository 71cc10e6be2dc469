"""The four date fields: a datetime when the string is a date, the string itself when it is not."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from highlevel_contacts.models import Appointment
from highlevel_contacts.types import UNSET

from tests.helpers import DATE_FIELDS, snake

UTC = datetime.UTC
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # This page's examples: no offset, so the datetime is naive (HighLevel does not say which zone).
        ("2021-07-16 11:00:00", datetime.datetime(2021, 7, 16, 11, 0)),
        # HighLevel's calendars API.
        ("2023-09-25T16:00:00+05:30", datetime.datetime(2023, 9, 25, 16, 0, tzinfo=IST)),
        # Appointments elsewhere in HighLevel's APIs.
        ("2026-01-27T10:30:00.000Z", datetime.datetime(2026, 1, 27, 10, 30, tzinfo=UTC)),
    ],
)
@pytest.mark.parametrize("field", sorted(DATE_FIELDS))
def test_highlevel_date_formats_parse(field: str, text: str, expected: datetime.datetime) -> None:
    value = getattr(Appointment.from_dict({field: text}), snake(field))
    assert isinstance(value, datetime.datetime)
    assert value == expected
    assert value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", ["next tuesday", "", "2021-13-45 99:99:99", "16/07/2021 11:00"])
@pytest.mark.parametrize("field", sorted(DATE_FIELDS))
def test_a_string_that_is_not_a_date_is_kept(field: str, text: str) -> None:
    assert getattr(Appointment.from_dict({field: text}), snake(field)) == text


@pytest.mark.parametrize("field", sorted(DATE_FIELDS))
def test_null_is_none_and_absent_is_unset(field: str) -> None:
    assert getattr(Appointment.from_dict({field: None}), snake(field)) is None
    assert getattr(Appointment.from_dict({}), snake(field)) is UNSET


@pytest.mark.parametrize("field", sorted(DATE_FIELDS))
def test_to_dict_writes_dates_back_as_iso_strings_and_keeps_other_values(field: str) -> None:
    payload: dict[str, Any] = {field: "2023-09-25T16:00:00+05:30"}
    assert Appointment.from_dict(payload).to_dict() == {field: "2023-09-25T16:00:00+05:30"}
    assert Appointment.from_dict({field: "soon"}).to_dict() == {field: "soon"}
    assert Appointment.from_dict({field: None}).to_dict() == {field: None}
    assert Appointment.from_dict({}).to_dict() == {}
