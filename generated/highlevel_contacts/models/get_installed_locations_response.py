from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.installed_location import InstalledLocation


T = TypeVar("T", bound="GetInstalledLocationsResponse")


@_attrs_define
class GetInstalledLocationsResponse:
    """
    Attributes:
        locations (list[InstalledLocation] | None | Unset):
        count (int | None | Unset):
        install_to_future_locations (bool | None | Unset):
    """

    locations: list[InstalledLocation] | None | Unset = UNSET
    count: int | None | Unset = UNSET
    install_to_future_locations: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        locations: list[dict[str, Any]] | None | Unset
        if isinstance(self.locations, Unset):
            locations = UNSET
        elif isinstance(self.locations, list):
            locations = []
            for locations_type_0_item_data in self.locations:
                locations_type_0_item = locations_type_0_item_data.to_dict()
                locations.append(locations_type_0_item)

        else:
            locations = self.locations

        count: int | None | Unset
        if isinstance(self.count, Unset):
            count = UNSET
        else:
            count = self.count

        install_to_future_locations: bool | None | Unset
        if isinstance(self.install_to_future_locations, Unset):
            install_to_future_locations = UNSET
        else:
            install_to_future_locations = self.install_to_future_locations

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if locations is not UNSET:
            field_dict["locations"] = locations
        if count is not UNSET:
            field_dict["count"] = count
        if install_to_future_locations is not UNSET:
            field_dict["installToFutureLocations"] = install_to_future_locations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        from ..models.installed_location import InstalledLocation  # noqa: PLC0415

        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        locations = src.get("locations", UNSET)
        if locations is not None and locations is not UNSET:
            if not isinstance(locations, list):
                raise errors.MalformedResponseError("an array", locations).within("locations")
            locations = parsing.model_list(locations, InstalledLocation.from_dict, "locations")

        count = src.get("count", UNSET)

        install_to_future_locations = src.get("installToFutureLocations", UNSET)

        get_installed_locations_response = cls(
            locations,
            count,
            install_to_future_locations,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            get_installed_locations_response.additional_properties = additional_properties
        return get_installed_locations_response

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
        "locations",
        "count",
        "installToFutureLocations",
    }
)
