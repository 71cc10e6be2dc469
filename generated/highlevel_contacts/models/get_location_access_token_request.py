from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..types import UNSET

T = TypeVar("T", bound="GetLocationAccessTokenRequest")


@_attrs_define
class GetLocationAccessTokenRequest:
    """
    Attributes:
        company_id (str): The company (agency) id of the agency token
        location_id (str): The location whose access token is wanted
    """

    company_id: str
    location_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        company_id = self.company_id

        location_id = self.location_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "companyId": company_id,
                "locationId": location_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        if "companyId" not in src:
            raise errors.MalformedResponseError("present (a required property)", UNSET).within("companyId")
        company_id = src["companyId"]

        if "locationId" not in src:
            raise errors.MalformedResponseError("present (a required property)", UNSET).within("locationId")
        location_id = src["locationId"]

        get_location_access_token_request = cls(
            company_id,
            location_id,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            get_location_access_token_request.additional_properties = additional_properties
        return get_location_access_token_request

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
        "companyId",
        "locationId",
    }
)
