from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import parsing
from ..types import UNSET, Unset

T = TypeVar("T", bound="InstalledLocation")


@_attrs_define
class InstalledLocation:
    """
    Attributes:
        id (None | str | Unset): The location id
        name (None | str | Unset):
        address (None | str | Unset):
        is_installed (bool | None | Unset):
    """

    id: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    address: None | str | Unset = UNSET
    is_installed: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        is_installed: bool | None | Unset
        if isinstance(self.is_installed, Unset):
            is_installed = UNSET
        else:
            is_installed = self.is_installed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["_id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if address is not UNSET:
            field_dict["address"] = address
        if is_installed is not UNSET:
            field_dict["isInstalled"] = is_installed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        id = src.get("_id", UNSET)

        name = src.get("name", UNSET)

        address = src.get("address", UNSET)

        is_installed = src.get("isInstalled", UNSET)

        installed_location = cls(
            id,
            name,
            address,
            is_installed,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            installed_location.additional_properties = additional_properties
        return installed_location

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
        "_id",
        "name",
        "address",
        "isInstalled",
    }
)
