from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors
from ..types import UNSET, Unset

T = TypeVar("T", bound="GetAccessTokenResponse")


@_attrs_define
class GetAccessTokenResponse:
    """A token set. `expires_in` is in seconds from the answer (86399 for a Sub-Account token); the refresh token replaces
    the one sent.

        Attributes:
            access_token (None | str | Unset):
            token_type (None | str | Unset):
            expires_in (int | None | Unset):
            refresh_token (None | str | Unset):
            scope (None | str | Unset):
            user_type (None | str | Unset):
            location_id (None | str | Unset):
            company_id (None | str | Unset):
            approved_locations (list[str] | None | Unset):
            user_id (None | str | Unset):
            plan_id (None | str | Unset):
    """

    access_token: None | str | Unset = UNSET
    token_type: None | str | Unset = UNSET
    expires_in: int | None | Unset = UNSET
    refresh_token: None | str | Unset = UNSET
    scope: None | str | Unset = UNSET
    user_type: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    company_id: None | str | Unset = UNSET
    approved_locations: list[str] | None | Unset = UNSET
    user_id: None | str | Unset = UNSET
    plan_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        if self.access_token is not UNSET:
            field_dict["access_token"] = self.access_token
        if self.token_type is not UNSET:
            field_dict["token_type"] = self.token_type
        if self.expires_in is not UNSET:
            field_dict["expires_in"] = self.expires_in
        if self.refresh_token is not UNSET:
            field_dict["refresh_token"] = self.refresh_token
        if self.scope is not UNSET:
            field_dict["scope"] = self.scope
        if self.user_type is not UNSET:
            field_dict["userType"] = self.user_type
        if self.location_id is not UNSET:
            field_dict["locationId"] = self.location_id
        if self.company_id is not UNSET:
            field_dict["companyId"] = self.company_id
        if self.approved_locations is not UNSET:
            field_dict["approvedLocations"] = self.approved_locations
        if self.user_id is not UNSET:
            field_dict["userId"] = self.user_id
        if self.plan_id is not UNSET:
            field_dict["planId"] = self.plan_id
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
        access_token = get("access_token", UNSET)
        token_type = get("token_type", UNSET)
        expires_in = get("expires_in", UNSET)
        refresh_token = get("refresh_token", UNSET)
        scope = get("scope", UNSET)
        user_type = get("userType", UNSET)
        location_id = get("locationId", UNSET)
        company_id = get("companyId", UNSET)
        approved_locations = get("approvedLocations", UNSET)
        if (
            approved_locations is not None
            and approved_locations is not UNSET
            and not isinstance(approved_locations, list)
        ):
            raise errors.MalformedResponseError("an array", approved_locations).within("approvedLocations")
        user_id = get("userId", UNSET)
        plan_id = get("planId", UNSET)

        # Positional, in declaration order (required fields first): keywords cost ~0.35 us more per object.
        get_access_token_response = cls(
            access_token,
            token_type,
            expires_in,
            refresh_token,
            scope,
            user_type,
            location_id,
            company_id,
            approved_locations,
            user_id,
            plan_id,
        )
        if not _KNOWN_KEYS.issuperset(src):
            get_access_token_response.additional_properties = {
                key: value for key, value in src.items() if key not in _KNOWN_KEYS
            }
        return get_access_token_response

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


_KNOWN_KEYS = frozenset(
    {
        "access_token",
        "token_type",
        "expires_in",
        "refresh_token",
        "scope",
        "userType",
        "locationId",
        "companyId",
        "approvedLocations",
        "userId",
        "planId",
    }
)
