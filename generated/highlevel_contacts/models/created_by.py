from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import parsing
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreatedBy")


@_attrs_define
class CreatedBy:
    """Who booked the appointment.

    Attributes:
        user_id (None | str | Unset):
        source (None | str | Unset):
    """

    user_id: None | str | Unset = UNSET
    source: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if user_id is not UNSET:
            field_dict["userId"] = user_id
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        user_id = src.get("userId", UNSET)

        source = src.get("source", UNSET)

        created_by = cls(
            user_id,
            source,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            created_by.additional_properties = additional_properties
        return created_by

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
        "userId",
        "source",
    }
)
