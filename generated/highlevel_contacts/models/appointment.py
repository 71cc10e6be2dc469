from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors
from ..types import UNSET, Unset

T = TypeVar("T", bound="Appointment")


@_attrs_define
class Appointment:
    """
    Attributes:
        id (None | str | Unset):  Example: YS3jaqqeehkR2Is80miy.
        calendar_id (None | str | Unset):  Example: YlWd2wuCAZQzh2cH1fVZ.
        status (None | str | Unset):  Example: booked.
        title (None | str | Unset):  Example: Test.
        assigned_user_id (None | str | Unset):  Example: YlWd2wuCAZQzh2cH1fVZ.
        notes (None | str | Unset):  Example: test.
        start_time (datetime.datetime | None | str | Unset):
        end_time (datetime.datetime | None | str | Unset):
        address (None | str | Unset):  Example: Address.
        location_id (None | str | Unset):  Example: YlWd2wuCAZQzh2cH1fVZ.
        contact_id (None | str | Unset):  Example: YlWd2wuCAZQzh2cH1fVZ.
        group_id (None | str | Unset):  Example: YlWd2wuCAZQzh2cH1fVZ.
        appointment_status (None | str | Unset):  Example: booked.
        users (list[str] | None | Unset):  Example: ['YlWd2wuCAZQzh2cH1fVZ', 'YlWd2wuCAZQzh2cH1fVZ'].
        date_added (datetime.datetime | None | str | Unset):
        date_updated (datetime.datetime | None | str | Unset):
        assigned_resources (list[str] | None | Unset):  Example: ['YlWd2wuCAZQzh2cH1fVZ', 'YlWd2wuCAZQzh2cH1fVZ'].
    """

    id: None | str | Unset = UNSET
    calendar_id: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    assigned_user_id: None | str | Unset = UNSET
    notes: None | str | Unset = UNSET
    start_time: datetime.datetime | None | str | Unset = UNSET
    end_time: datetime.datetime | None | str | Unset = UNSET
    address: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    contact_id: None | str | Unset = UNSET
    group_id: None | str | Unset = UNSET
    appointment_status: None | str | Unset = UNSET
    users: list[str] | None | Unset = UNSET
    date_added: datetime.datetime | None | str | Unset = UNSET
    date_updated: datetime.datetime | None | str | Unset = UNSET
    assigned_resources: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        if self.id is not UNSET:
            field_dict["id"] = self.id
        if self.calendar_id is not UNSET:
            field_dict["calendarId"] = self.calendar_id
        if self.status is not UNSET:
            field_dict["status"] = self.status
        if self.title is not UNSET:
            field_dict["title"] = self.title
        if self.assigned_user_id is not UNSET:
            field_dict["assignedUserId"] = self.assigned_user_id
        if self.notes is not UNSET:
            field_dict["notes"] = self.notes
        if self.start_time is not UNSET:
            field_dict["startTime"] = (
                self.start_time.isoformat() if isinstance(self.start_time, datetime.datetime) else self.start_time
            )
        if self.end_time is not UNSET:
            field_dict["endTime"] = (
                self.end_time.isoformat() if isinstance(self.end_time, datetime.datetime) else self.end_time
            )
        if self.address is not UNSET:
            field_dict["address"] = self.address
        if self.location_id is not UNSET:
            field_dict["locationId"] = self.location_id
        if self.contact_id is not UNSET:
            field_dict["contactId"] = self.contact_id
        if self.group_id is not UNSET:
            field_dict["groupId"] = self.group_id
        if self.appointment_status is not UNSET:
            field_dict["appointmentStatus"] = self.appointment_status
        if self.users is not UNSET:
            field_dict["users"] = self.users
        if self.date_added is not UNSET:
            field_dict["dateAdded"] = (
                self.date_added.isoformat() if isinstance(self.date_added, datetime.datetime) else self.date_added
            )
        if self.date_updated is not UNSET:
            field_dict["dateUpdated"] = (
                self.date_updated.isoformat() if isinstance(self.date_updated, datetime.datetime) else self.date_updated
            )
        if self.assigned_resources is not UNSET:
            field_dict["assignedResources"] = self.assigned_resources
        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, or a nested array or object is not one;
                the error names the JSON path and keeps the offending value.
        """
        src = src_dict if type(src_dict) is dict else errors.expect_object(src_dict)
        get = src.get
        id = get("id", UNSET)
        calendar_id = get("calendarId", UNSET)
        status = get("status", UNSET)
        title = get("title", UNSET)
        assigned_user_id = get("assignedUserId", UNSET)
        notes = get("notes", UNSET)
        start_time = get("startTime", UNSET)
        if type(start_time) is str:
            try:
                start_time = _fromisoformat(start_time)
            except ValueError:
                pass  # not a date: the string is kept as received
        end_time = get("endTime", UNSET)
        if type(end_time) is str:
            try:
                end_time = _fromisoformat(end_time)
            except ValueError:
                pass  # not a date: the string is kept as received
        address = get("address", UNSET)
        location_id = get("locationId", UNSET)
        contact_id = get("contactId", UNSET)
        group_id = get("groupId", UNSET)
        appointment_status = get("appointmentStatus", UNSET)
        users = get("users", UNSET)
        if users is not None and users is not UNSET and not isinstance(users, list):
            raise errors.MalformedResponseError("an array", users).within("users")
        date_added = get("dateAdded", UNSET)
        if type(date_added) is str:
            try:
                date_added = _fromisoformat(date_added)
            except ValueError:
                pass  # not a date: the string is kept as received
        date_updated = get("dateUpdated", UNSET)
        if type(date_updated) is str:
            try:
                date_updated = _fromisoformat(date_updated)
            except ValueError:
                pass  # not a date: the string is kept as received
        assigned_resources = get("assignedResources", UNSET)
        if (
            assigned_resources is not None
            and assigned_resources is not UNSET
            and not isinstance(assigned_resources, list)
        ):
            raise errors.MalformedResponseError("an array", assigned_resources).within("assignedResources")

        # Positional, in declaration order (required fields first): keywords cost ~0.35 us more per object.
        appointment = cls(
            id,
            calendar_id,
            status,
            title,
            assigned_user_id,
            notes,
            start_time,
            end_time,
            address,
            location_id,
            contact_id,
            group_id,
            appointment_status,
            users,
            date_added,
            date_updated,
            assigned_resources,
        )
        if not _KNOWN_KEYS.issuperset(src):
            appointment.additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
        return appointment

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


_fromisoformat = datetime.datetime.fromisoformat  # C-implemented; accepts HighLevel's three date formats
_KNOWN_KEYS = frozenset(
    {
        "id",
        "calendarId",
        "status",
        "title",
        "assignedUserId",
        "notes",
        "startTime",
        "endTime",
        "address",
        "locationId",
        "contactId",
        "groupId",
        "appointmentStatus",
        "users",
        "dateAdded",
        "dateUpdated",
        "assignedResources",
    }
)
