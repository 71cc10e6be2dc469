from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        calendar_id: None | str | Unset
        if isinstance(self.calendar_id, Unset):
            calendar_id = UNSET
        else:
            calendar_id = self.calendar_id

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        assigned_user_id: None | str | Unset
        if isinstance(self.assigned_user_id, Unset):
            assigned_user_id = UNSET
        else:
            assigned_user_id = self.assigned_user_id

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

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

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        else:
            location_id = self.location_id

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

        users: list[str] | None | Unset
        if isinstance(self.users, Unset):
            users = UNSET
        elif isinstance(self.users, list):
            users = self.users

        else:
            users = self.users

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

        assigned_resources: list[str] | None | Unset
        if isinstance(self.assigned_resources, Unset):
            assigned_resources = UNSET
        elif isinstance(self.assigned_resources, list):
            assigned_resources = self.assigned_resources

        else:
            assigned_resources = self.assigned_resources

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if calendar_id is not UNSET:
            field_dict["calendarId"] = calendar_id
        if status is not UNSET:
            field_dict["status"] = status
        if title is not UNSET:
            field_dict["title"] = title
        if assigned_user_id is not UNSET:
            field_dict["assignedUserId"] = assigned_user_id
        if notes is not UNSET:
            field_dict["notes"] = notes
        if start_time is not UNSET:
            field_dict["startTime"] = start_time
        if end_time is not UNSET:
            field_dict["endTime"] = end_time
        if address is not UNSET:
            field_dict["address"] = address
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if contact_id is not UNSET:
            field_dict["contactId"] = contact_id
        if group_id is not UNSET:
            field_dict["groupId"] = group_id
        if appointment_status is not UNSET:
            field_dict["appointmentStatus"] = appointment_status
        if users is not UNSET:
            field_dict["users"] = users
        if date_added is not UNSET:
            field_dict["dateAdded"] = date_added
        if date_updated is not UNSET:
            field_dict["dateUpdated"] = date_updated
        if assigned_resources is not UNSET:
            field_dict["assignedResources"] = assigned_resources

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_calendar_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        calendar_id = _parse_calendar_id(d.pop("calendarId", UNSET))

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_assigned_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assigned_user_id = _parse_assigned_user_id(d.pop("assignedUserId", UNSET))

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        def _parse_start_time(data: object) -> datetime.datetime | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_date_time_or_string_type_0 = datetime.datetime.fromisoformat(data)

                return componentsschemas_date_time_or_string_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | str | Unset, data)

        start_time = _parse_start_time(d.pop("startTime", UNSET))

        def _parse_end_time(data: object) -> datetime.datetime | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_date_time_or_string_type_0 = datetime.datetime.fromisoformat(data)

                return componentsschemas_date_time_or_string_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | str | Unset, data)

        end_time = _parse_end_time(d.pop("endTime", UNSET))

        def _parse_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        def _parse_location_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location_id = _parse_location_id(d.pop("locationId", UNSET))

        def _parse_contact_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_id = _parse_contact_id(d.pop("contactId", UNSET))

        def _parse_group_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_id = _parse_group_id(d.pop("groupId", UNSET))

        def _parse_appointment_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        appointment_status = _parse_appointment_status(d.pop("appointmentStatus", UNSET))

        def _parse_users(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                users_type_0 = cast(list[str], data)

                return users_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        users = _parse_users(d.pop("users", UNSET))

        def _parse_date_added(data: object) -> datetime.datetime | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_date_time_or_string_type_0 = datetime.datetime.fromisoformat(data)

                return componentsschemas_date_time_or_string_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | str | Unset, data)

        date_added = _parse_date_added(d.pop("dateAdded", UNSET))

        def _parse_date_updated(data: object) -> datetime.datetime | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_date_time_or_string_type_0 = datetime.datetime.fromisoformat(data)

                return componentsschemas_date_time_or_string_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | str | Unset, data)

        date_updated = _parse_date_updated(d.pop("dateUpdated", UNSET))

        def _parse_assigned_resources(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                assigned_resources_type_0 = cast(list[str], data)

                return assigned_resources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        assigned_resources = _parse_assigned_resources(d.pop("assignedResources", UNSET))

        appointment = cls(
            id=id,
            calendar_id=calendar_id,
            status=status,
            title=title,
            assigned_user_id=assigned_user_id,
            notes=notes,
            start_time=start_time,
            end_time=end_time,
            address=address,
            location_id=location_id,
            contact_id=contact_id,
            group_id=group_id,
            appointment_status=appointment_status,
            users=users,
            date_added=date_added,
            date_updated=date_updated,
            assigned_resources=assigned_resources,
        )

        appointment.additional_properties = d
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
