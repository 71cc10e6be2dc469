from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import parsing
from ..types import UNSET, Unset

T = TypeVar("T", bound="GetLocationAccessTokenResponse")


@_attrs_define
class GetLocationAccessTokenResponse:
    """A location token set. `expires_in` is in seconds from the answer. Newer answers add `appId`, `versionId` and a
    `refresh_token`; a client must not depend on them (a new location token is asked for with the agency token).

        Attributes:
            access_token (None | str | Unset):
            token_type (None | str | Unset):
            expires_in (int | None | Unset):
            scope (None | str | Unset):
            location_id (None | str | Unset):
            plan_id (None | str | Unset):
            user_id (None | str | Unset):
            app_id (None | str | Unset):
            version_id (None | str | Unset):
            refresh_token (None | str | Unset):
    """

    access_token: None | str | Unset = UNSET
    token_type: None | str | Unset = UNSET
    expires_in: int | None | Unset = UNSET
    scope: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    plan_id: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET
    app_id: None | str | Unset = UNSET
    version_id: None | str | Unset = UNSET
    refresh_token: None | str | Unset = UNSET
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

        scope: None | str | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        else:
            location_id = self.location_id

        plan_id: None | str | Unset
        if isinstance(self.plan_id, Unset):
            plan_id = UNSET
        else:
            plan_id = self.plan_id

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        app_id: None | str | Unset
        if isinstance(self.app_id, Unset):
            app_id = UNSET
        else:
            app_id = self.app_id

        version_id: None | str | Unset
        if isinstance(self.version_id, Unset):
            version_id = UNSET
        else:
            version_id = self.version_id

        refresh_token: None | str | Unset
        if isinstance(self.refresh_token, Unset):
            refresh_token = UNSET
        else:
            refresh_token = self.refresh_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if token_type is not UNSET:
            field_dict["token_type"] = token_type
        if expires_in is not UNSET:
            field_dict["expires_in"] = expires_in
        if scope is not UNSET:
            field_dict["scope"] = scope
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if plan_id is not UNSET:
            field_dict["planId"] = plan_id
        if user_id is not UNSET:
            field_dict["userId"] = user_id
        if app_id is not UNSET:
            field_dict["appId"] = app_id
        if version_id is not UNSET:
            field_dict["versionId"] = version_id
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token

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

        scope = src.get("scope", UNSET)

        location_id = src.get("locationId", UNSET)

        plan_id = src.get("planId", UNSET)

        user_id = src.get("userId", UNSET)

        app_id = src.get("appId", UNSET)

        version_id = src.get("versionId", UNSET)

        refresh_token = src.get("refresh_token", UNSET)

        get_location_access_token_response = cls(
            access_token,
            token_type,
            expires_in,
            scope,
            location_id,
            plan_id,
            user_id,
            app_id,
            version_id,
            refresh_token,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            get_location_access_token_response.additional_properties = additional_properties
        return get_location_access_token_response

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
        "scope",
        "locationId",
        "planId",
        "userId",
        "appId",
        "versionId",
        "refresh_token",
    }
)
