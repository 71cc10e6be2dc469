from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.calendar import Calendar


T = TypeVar("T", bound="GetCalendarsResponse")


@_attrs_define
class GetCalendarsResponse:
    """
    Attributes:
        calendars (list[Calendar] | None | Unset):
    """

    calendars: list[Calendar] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        calendars: list[dict[str, Any]] | None | Unset
        if isinstance(self.calendars, Unset):
            calendars = UNSET
        elif isinstance(self.calendars, list):
            calendars = []
            for calendars_type_0_item_data in self.calendars:
                calendars_type_0_item = calendars_type_0_item_data.to_dict()
                calendars.append(calendars_type_0_item)

        else:
            calendars = self.calendars

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if calendars is not UNSET:
            field_dict["calendars"] = calendars

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        from ..models.calendar import Calendar  # noqa: PLC0415

        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        calendars = src.get("calendars", UNSET)
        if calendars is not None and calendars is not UNSET:
            if not isinstance(calendars, list):
                raise errors.MalformedResponseError("an array", calendars).within("calendars")
            calendars = parsing.model_list(calendars, Calendar.from_dict, "calendars")

        get_calendars_response = cls(
            calendars,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            get_calendars_response.additional_properties = additional_properties
        return get_calendars_response

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
        "calendars",
    }
)
