from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookAppointment")


@_attrs_define
class WebhookAppointment:
    """The appointment a webhook delivery is about, as of the change.

    Attributes:
        id (None | str | Unset):
        address (None | str | Unset):
        title (None | str | Unset):
        calendar_id (None | str | Unset):
        contact_id (None | str | Unset):
        group_id (None | str | Unset):
        appointment_status (None | str | Unset):
        assigned_user_id (None | str | Unset):
        users (list[str] | None | Unset):
        notes (None | str | Unset):
        source (None | str | Unset):
        start_time (datetime.datetime | None | str | Unset):
        end_time (datetime.datetime | None | str | Unset):
        date_added (datetime.datetime | None | str | Unset):
        date_updated (datetime.datetime | None | str | Unset):
    """

    id: None | str | Unset = UNSET
    address: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    calendar_id: None | str | Unset = UNSET
    contact_id: None | str | Unset = UNSET
    group_id: None | str | Unset = UNSET
    appointment_status: None | str | Unset = UNSET
    assigned_user_id: None | str | Unset = UNSET
    users: list[str] | None | Unset = UNSET
    notes: None | str | Unset = UNSET
    source: None | str | Unset = UNSET
    start_time: datetime.datetime | None | str | Unset = UNSET
    end_time: datetime.datetime | None | str | Unset = UNSET
    date_added: datetime.datetime | None | str | Unset = UNSET
    date_updated: datetime.datetime | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        calendar_id: None | str | Unset
        if isinstance(self.calendar_id, Unset):
            calendar_id = UNSET
        else:
            calendar_id = self.calendar_id

        contact_id: None | str | Unset
        if isinstance(self.contact_id, Unset):
            contact_id = UNSET
        else:
            contact_id = self.contact_id

        group_id: None | str | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id

        appointment_status: None | str | Unset
        if isinstance(self.appointment_status, Unset):
            appointment_status = UNSET
        else:
            appointment_status = self.appointment_status

        assigned_user_id: None | str | Unset
        if isinstance(self.assigned_user_id, Unset):
            assigned_user_id = UNSET
        else:
            assigned_user_id = self.assigned_user_id

        users: list[str] | None | Unset
        if isinstance(self.users, Unset):
            users = UNSET
        elif isinstance(self.users, list):
            users = self.users

        else:
            users = self.users

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        start_time: None | str | Unset
        if isinstance(self.start_time, Unset):
            start_time = UNSET
        elif isinstance(self.start_time, datetime.datetime):
            start_time = self.start_time.isoformat()
        else:
            start_time = self.start_time

        end_time: None | str | Unset
        if isinstance(self.end_time, Unset):
            end_time = UNSET
        elif isinstance(self.end_time, datetime.datetime):
            end_time = self.end_time.isoformat()
        else:
            end_time = self.end_time

        date_added: None | str | Unset
        if isinstance(self.date_added, Unset):
            date_added = UNSET
        elif isinstance(self.date_added, datetime.datetime):
            date_added = self.date_added.isoformat()
        else:
            date_added = self.date_added

        date_updated: None | str | Unset
        if isinstance(self.date_updated, Unset):
            date_updated = UNSET
        elif isinstance(self.date_updated, datetime.datetime):
            date_updated = self.date_updated.isoformat()
        else:
            date_updated = self.date_updated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if address is not UNSET:
            field_dict["address"] = address
        if title is not UNSET:
            field_dict["title"] = title
        if calendar_id is not UNSET:
            field_dict["calendarId"] = calendar_id
        if contact_id is not UNSET:
            field_dict["contactId"] = contact_id
        if group_id is not UNSET:
            field_dict["groupId"] = group_id
        if appointment_status is not UNSET:
            field_dict["appointmentStatus"] = appointment_status
        if assigned_user_id is not UNSET:
            field_dict["assignedUserId"] = assigned_user_id
        if users is not UNSET:
            field_dict["users"] = users
        if notes is not UNSET:
            field_dict["notes"] = notes
        if source is not UNSET:
            field_dict["source"] = source
        if start_time is not UNSET:
            field_dict["startTime"] = start_time
        if end_time is not UNSET:
            field_dict["endTime"] = end_time
        if date_added is not UNSET:
            field_dict["dateAdded"] = date_added
        if date_updated is not UNSET:
            field_dict["dateUpdated"] = date_updated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        id = src.get("id", UNSET)

        address = src.get("address", UNSET)

        title = src.get("title", UNSET)

        calendar_id = src.get("calendarId", UNSET)

        contact_id = src.get("contactId", UNSET)

        group_id = src.get("groupId", UNSET)

        appointment_status = src.get("appointmentStatus", UNSET)

        assigned_user_id = src.get("assignedUserId", UNSET)

        users = src.get("users", UNSET)
        if users is not None and users is not UNSET:
            if not isinstance(users, list):
                raise errors.MalformedResponseError("an array", users).within("users")

        notes = src.get("notes", UNSET)

        source = src.get("source", UNSET)

        start_time = src.get("startTime", UNSET)
        if type(start_time) is str:
            try:
                start_time = _fromisoformat(start_time)  # model.py.jinja binds it: one global lookup, not three
            except ValueError:
                pass  # not a date-time: the string is kept as received

        end_time = src.get("endTime", UNSET)
        if type(end_time) is str:
            try:
                end_time = _fromisoformat(end_time)  # model.py.jinja binds it: one global lookup, not three
            except ValueError:
                pass  # not a date-time: the string is kept as received

        date_added = src.get("dateAdded", UNSET)
        if type(date_added) is str:
            try:
                date_added = _fromisoformat(date_added)  # model.py.jinja binds it: one global lookup, not three
            except ValueError:
                pass  # not a date-time: the string is kept as received

        date_updated = src.get("dateUpdated", UNSET)
        if type(date_updated) is str:
            try:
                date_updated = _fromisoformat(date_updated)  # model.py.jinja binds it: one global lookup, not three
            except ValueError:
                pass  # not a date-time: the string is kept as received

        webhook_appointment = cls(
            id,
            address,
            title,
            calendar_id,
            contact_id,
            group_id,
            appointment_status,
            assigned_user_id,
            users,
            notes,
            source,
            start_time,
            end_time,
            date_added,
            date_updated,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            webhook_appointment.additional_properties = additional_properties
        return webhook_appointment

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


_fromisoformat = datetime.datetime.fromisoformat  # see property_templates/property_macros.py.jinja


_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "address",
        "title",
        "calendarId",
        "contactId",
        "groupId",
        "appointmentStatus",
        "assignedUserId",
        "users",
        "notes",
        "source",
        "startTime",
        "endTime",
        "dateAdded",
        "dateUpdated",
    }
)
