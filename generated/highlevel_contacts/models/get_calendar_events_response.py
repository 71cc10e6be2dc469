from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.calendar_event import CalendarEvent


T = TypeVar("T", bound="GetCalendarEventsResponse")


@_attrs_define
class GetCalendarEventsResponse:
    """
    Attributes:
        events (list[CalendarEvent] | None | Unset):
    """

    events: list[CalendarEvent] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        events: list[dict[str, Any]] | None | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = []
            for events_type_0_item_data in self.events:
                events_type_0_item = events_type_0_item_data.to_dict()
                events.append(events_type_0_item)

        else:
            events = self.events

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        from ..models.calendar_event import CalendarEvent  # noqa: PLC0415

        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        events = src.get("events", UNSET)
        if events is not None and events is not UNSET:
            if not isinstance(events, list):
                raise errors.MalformedResponseError("an array", events).within("events")
            events = parsing.model_list(events, CalendarEvent.from_dict, "events")

        get_calendar_events_response = cls(
            events,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            get_calendar_events_response.additional_properties = additional_properties
        return get_calendar_events_response

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
        "events",
    }
)
