from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.created_by import CreatedBy


T = TypeVar("T", bound="CalendarEvent")


@_attrs_define
class CalendarEvent:
    """An appointment as the calendar-events listing answers it: the Appointment's fields but `status`, plus description,
    isRecurring, rrule, createdBy and masterEventId (v3 adds deleted). `id` is the event id, or for an instance of a
    recurring event the instance id (`<masterEventId>_<start ms>_<duration s>`).

        Attributes:
            id (None | str | Unset):  Example: ocQHyuzHvysMo5N5VsXc.
            address (None | str | Unset):  Example: https://meet.google.com/yqp-gogr-wve.
            title (None | str | Unset):  Example: Appointment with GHL Dev team.
            calendar_id (None | str | Unset):  Example: BqTwX8QFwXzpegMve9EQ.
            location_id (None | str | Unset):  Example: 0007BWpSzSwfiuSl0tR2.
            contact_id (None | str | Unset):  Example: 9NkT25Vor1v4aQatFsv2.
            group_id (None | str | Unset):  Example: 9NkT25Vor1v4aQatFsv2.
            appointment_status (None | str | Unset):  Example: confirmed.
            assigned_user_id (None | str | Unset):  Example: YlWd2wuCAZQzh2cH1fVZ.
            users (list[str] | None | Unset):  Example: ['YlWd2wuCAZQzh2cH1fVZ', '9NkT25Vor1v4aQatFsv2'].
            notes (None | str | Unset):  Example: Some dummy note.
            description (None | str | Unset):  Example: Some dummy description.
            is_recurring (bool | None | str | Unset):  Example: true.
            rrule (None | str | Unset):  Example: RRULE:FREQ=DAILY;INTERVAL=1;COUNT=5.
            start_time (datetime.datetime | None | str | Unset):
            end_time (datetime.datetime | None | str | Unset):
            date_added (datetime.datetime | None | str | Unset):
            date_updated (datetime.datetime | None | str | Unset):
            assigned_resources (list[str] | None | Unset):
            created_by (CreatedBy | None | Unset):
            master_event_id (None | str | Unset):  Example: ocWd2wuBGAQzh2cH1fSZ.
            deleted (bool | None | Unset):
    """

    id: None | str | Unset = UNSET
    address: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    calendar_id: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    contact_id: None | str | Unset = UNSET
    group_id: None | str | Unset = UNSET
    appointment_status: None | str | Unset = UNSET
    assigned_user_id: None | str | Unset = UNSET
    users: list[str] | None | Unset = UNSET
    notes: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    is_recurring: bool | None | str | Unset = UNSET
    rrule: None | str | Unset = UNSET
    start_time: datetime.datetime | None | str | Unset = UNSET
    end_time: datetime.datetime | None | str | Unset = UNSET
    date_added: datetime.datetime | None | str | Unset = UNSET
    date_updated: datetime.datetime | None | str | Unset = UNSET
    assigned_resources: list[str] | None | Unset = UNSET
    created_by: CreatedBy | None | Unset = UNSET
    master_event_id: None | str | Unset = UNSET
    deleted: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.created_by import CreatedBy  # noqa: PLC0415

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

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        is_recurring: bool | None | str | Unset
        if isinstance(self.is_recurring, Unset):
            is_recurring = UNSET
        else:
            is_recurring = self.is_recurring

        rrule: None | str | Unset
        if isinstance(self.rrule, Unset):
            rrule = UNSET
        else:
            rrule = self.rrule

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

        assigned_resources: list[str] | None | Unset
        if isinstance(self.assigned_resources, Unset):
            assigned_resources = UNSET
        elif isinstance(self.assigned_resources, list):
            assigned_resources = self.assigned_resources

        else:
            assigned_resources = self.assigned_resources

        created_by: dict[str, Any] | None | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        elif isinstance(self.created_by, CreatedBy):
            created_by = self.created_by.to_dict()
        else:
            created_by = self.created_by

        master_event_id: None | str | Unset
        if isinstance(self.master_event_id, Unset):
            master_event_id = UNSET
        else:
            master_event_id = self.master_event_id

        deleted: bool | None | Unset
        if isinstance(self.deleted, Unset):
            deleted = UNSET
        else:
            deleted = self.deleted

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
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
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
        if description is not UNSET:
            field_dict["description"] = description
        if is_recurring is not UNSET:
            field_dict["isRecurring"] = is_recurring
        if rrule is not UNSET:
            field_dict["rrule"] = rrule
        if start_time is not UNSET:
            field_dict["startTime"] = start_time
        if end_time is not UNSET:
            field_dict["endTime"] = end_time
        if date_added is not UNSET:
            field_dict["dateAdded"] = date_added
        if date_updated is not UNSET:
            field_dict["dateUpdated"] = date_updated
        if assigned_resources is not UNSET:
            field_dict["assignedResources"] = assigned_resources
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if master_event_id is not UNSET:
            field_dict["masterEventId"] = master_event_id
        if deleted is not UNSET:
            field_dict["deleted"] = deleted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        from ..models.created_by import CreatedBy  # noqa: PLC0415

        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        id = src.get("id", UNSET)

        address = src.get("address", UNSET)

        title = src.get("title", UNSET)

        calendar_id = src.get("calendarId", UNSET)

        location_id = src.get("locationId", UNSET)

        contact_id = src.get("contactId", UNSET)

        group_id = src.get("groupId", UNSET)

        appointment_status = src.get("appointmentStatus", UNSET)

        assigned_user_id = src.get("assignedUserId", UNSET)

        users = src.get("users", UNSET)
        if users is not None and users is not UNSET:
            if not isinstance(users, list):
                raise errors.MalformedResponseError("an array", users).within("users")

        notes = src.get("notes", UNSET)

        description = src.get("description", UNSET)

        is_recurring = src.get("isRecurring", UNSET)

        rrule = src.get("rrule", UNSET)

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

        assigned_resources = src.get("assignedResources", UNSET)
        if assigned_resources is not None and assigned_resources is not UNSET:
            if not isinstance(assigned_resources, list):
                raise errors.MalformedResponseError("an array", assigned_resources).within("assignedResources")

        created_by = src.get("createdBy", UNSET)
        if created_by is not None and created_by is not UNSET:
            try:
                created_by = CreatedBy.from_dict(created_by)
            except errors.MalformedResponseError as error:
                raise error.within("createdBy") from None

        master_event_id = src.get("masterEventId", UNSET)

        deleted = src.get("deleted", UNSET)

        calendar_event = cls(
            id,
            address,
            title,
            calendar_id,
            location_id,
            contact_id,
            group_id,
            appointment_status,
            assigned_user_id,
            users,
            notes,
            description,
            is_recurring,
            rrule,
            start_time,
            end_time,
            date_added,
            date_updated,
            assigned_resources,
            created_by,
            master_event_id,
            deleted,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            calendar_event.additional_properties = additional_properties
        return calendar_event

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
        "locationId",
        "contactId",
        "groupId",
        "appointmentStatus",
        "assignedUserId",
        "users",
        "notes",
        "description",
        "isRecurring",
        "rrule",
        "startTime",
        "endTime",
        "dateAdded",
        "dateUpdated",
        "assignedResources",
        "createdBy",
        "masterEventId",
        "deleted",
    }
)
