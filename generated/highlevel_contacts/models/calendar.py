from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import parsing
from ..types import UNSET, Unset

T = TypeVar("T", bound="Calendar")


@_attrs_define
class Calendar:
    """A calendar of the location. Only the fields a sync needs are typed; the others HighLevel sends (notifications,
    openHours, teamMembers, ...) are kept in additional_properties.

        Attributes:
            id (None | str | Unset):  Example: 0TkCdp9PfvLeWKYRRvIz.
            location_id (None | str | Unset):  Example: ocQHyuzHvysMo5N5VsXc.
            group_id (None | str | Unset):  Example: BqTwX8QFwXzpegMve9EQ.
            name (None | str | Unset):  Example: test calendar.
            description (None | str | Unset):  Example: this is used for testing.
            slug (None | str | Unset):  Example: test1.
            widget_slug (None | str | Unset):  Example: test1.
            widget_type (None | str | Unset):  Example: classic.
            calendar_type (None | str | Unset):  Example: round_robin.
            event_type (None | str | Unset):  Example: RoundRobin_OptimizeForAvailability.
            is_active (bool | None | Unset):  Example: True.
    """

    id: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    group_id: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    slug: None | str | Unset = UNSET
    widget_slug: None | str | Unset = UNSET
    widget_type: None | str | Unset = UNSET
    calendar_type: None | str | Unset = UNSET
    event_type: None | str | Unset = UNSET
    is_active: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        else:
            location_id = self.location_id

        group_id: None | str | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        slug: None | str | Unset
        if isinstance(self.slug, Unset):
            slug = UNSET
        else:
            slug = self.slug

        widget_slug: None | str | Unset
        if isinstance(self.widget_slug, Unset):
            widget_slug = UNSET
        else:
            widget_slug = self.widget_slug

        widget_type: None | str | Unset
        if isinstance(self.widget_type, Unset):
            widget_type = UNSET
        else:
            widget_type = self.widget_type

        calendar_type: None | str | Unset
        if isinstance(self.calendar_type, Unset):
            calendar_type = UNSET
        else:
            calendar_type = self.calendar_type

        event_type: None | str | Unset
        if isinstance(self.event_type, Unset):
            event_type = UNSET
        else:
            event_type = self.event_type

        is_active: bool | None | Unset
        if isinstance(self.is_active, Unset):
            is_active = UNSET
        else:
            is_active = self.is_active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if group_id is not UNSET:
            field_dict["groupId"] = group_id
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if slug is not UNSET:
            field_dict["slug"] = slug
        if widget_slug is not UNSET:
            field_dict["widgetSlug"] = widget_slug
        if widget_type is not UNSET:
            field_dict["widgetType"] = widget_type
        if calendar_type is not UNSET:
            field_dict["calendarType"] = calendar_type
        if event_type is not UNSET:
            field_dict["eventType"] = event_type
        if is_active is not UNSET:
            field_dict["isActive"] = is_active

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

        location_id = src.get("locationId", UNSET)

        group_id = src.get("groupId", UNSET)

        name = src.get("name", UNSET)

        description = src.get("description", UNSET)

        slug = src.get("slug", UNSET)

        widget_slug = src.get("widgetSlug", UNSET)

        widget_type = src.get("widgetType", UNSET)

        calendar_type = src.get("calendarType", UNSET)

        event_type = src.get("eventType", UNSET)

        is_active = src.get("isActive", UNSET)

        calendar = cls(
            id,
            location_id,
            group_id,
            name,
            description,
            slug,
            widget_slug,
            widget_type,
            calendar_type,
            event_type,
            is_active,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            calendar.additional_properties = additional_properties
        return calendar

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


_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "locationId",
        "groupId",
        "name",
        "description",
        "slug",
        "widgetSlug",
        "widgetType",
        "calendarType",
        "eventType",
        "isActive",
    }
)
