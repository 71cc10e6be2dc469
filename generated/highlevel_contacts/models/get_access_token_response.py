from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
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
        access_token: None | str | Unset
        if isinstance(self.access_token, Unset):
            access_token = UNSET
        else:
            access_token = self.access_token

        token_type: None | str | Unset
        if isinstance(self.token_type, Unset):
            token_type = UNSET
        else:
            token_type = self.token_type

        expires_in: int | None | Unset
        if isinstance(self.expires_in, Unset):
            expires_in = UNSET
        else:
            expires_in = self.expires_in

        refresh_token: None | str | Unset
        if isinstance(self.refresh_token, Unset):
            refresh_token = UNSET
        else:
            refresh_token = self.refresh_token

        scope: None | str | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        user_type: None | str | Unset
        if isinstance(self.user_type, Unset):
            user_type = UNSET
        else:
            user_type = self.user_type

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        else:
            location_id = self.location_id

        company_id: None | str | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        approved_locations: list[str] | None | Unset
        if isinstance(self.approved_locations, Unset):
            approved_locations = UNSET
        elif isinstance(self.approved_locations, list):
            approved_locations = self.approved_locations

        else:
            approved_locations = self.approved_locations

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        plan_id: None | str | Unset
        if isinstance(self.plan_id, Unset):
            plan_id = UNSET
        else:
            plan_id = self.plan_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if token_type is not UNSET:
            field_dict["token_type"] = token_type
        if expires_in is not UNSET:
            field_dict["expires_in"] = expires_in
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token
        if scope is not UNSET:
            field_dict["scope"] = scope
        if user_type is not UNSET:
            field_dict["userType"] = user_type
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if company_id is not UNSET:
            field_dict["companyId"] = company_id
        if approved_locations is not UNSET:
            field_dict["approvedLocations"] = approved_locations
        if user_id is not UNSET:
            field_dict["userId"] = user_id
        if plan_id is not UNSET:
            field_dict["planId"] = plan_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        access_token = src.get("access_token", UNSET)

        token_type = src.get("token_type", UNSET)

        expires_in = src.get("expires_in", UNSET)

        refresh_token = src.get("refresh_token", UNSET)

        scope = src.get("scope", UNSET)

        user_type = src.get("userType", UNSET)

        location_id = src.get("locationId", UNSET)

        company_id = src.get("companyId", UNSET)

        approved_locations = src.get("approvedLocations", UNSET)
        if approved_locations is not None and approved_locations is not UNSET:
            if not isinstance(approved_locations, list):
                raise errors.MalformedResponseError("an array", approved_locations).within("approvedLocations")

        user_id = src.get("userId", UNSET)

        plan_id = src.get("planId", UNSET)

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
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            get_access_token_response.additional_properties = additional_properties
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


_KNOWN_KEYS: frozenset[str] = frozenset(
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
