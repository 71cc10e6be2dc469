from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..models.get_access_token_request_grant_type import (
    GetAccessTokenRequestGrantType,
)
from ..models.get_access_token_request_user_type import (
    GetAccessTokenRequestUserType,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="GetAccessTokenRequest")


@_attrs_define
class GetAccessTokenRequest:
    """The token endpoint's form fields (snake_case, as HighLevel's v2 OAuth takes them).

    Attributes:
        client_id (str): The app's client id.
        client_secret (str): The app's client secret.
        grant_type (GetAccessTokenRequestGrantType):
        code (str | Unset): The authorization code (grant_type authorization_code).
        refresh_token (str | Unset): The current refresh token (grant_type refresh_token); single use.
        user_type (GetAccessTokenRequestUserType | Unset): Which token set to issue.
        redirect_uri (str | Unset): The redirect URI of the authorization request (grant_type authorization_code).
    """

    client_id: str
    client_secret: str
    grant_type: GetAccessTokenRequestGrantType
    code: str | Unset = UNSET
    refresh_token: str | Unset = UNSET
    user_type: GetAccessTokenRequestUserType | Unset = UNSET
    redirect_uri: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_secret = self.client_secret

        grant_type: str = self.grant_type

        code = self.code

        refresh_token = self.refresh_token

        user_type: str | Unset = UNSET
        if not isinstance(self.user_type, Unset):
            user_type = self.user_type

        redirect_uri = self.redirect_uri

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "grant_type": grant_type,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token
        if user_type is not UNSET:
            field_dict["user_type"] = user_type
        if redirect_uri is not UNSET:
            field_dict["redirect_uri"] = redirect_uri

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        if "client_id" not in src:
            raise errors.MalformedResponseError("present (a required property)", UNSET).within("client_id")
        client_id = src["client_id"]

        if "client_secret" not in src:
            raise errors.MalformedResponseError("present (a required property)", UNSET).within("client_secret")
        client_secret = src["client_secret"]

        if "grant_type" not in src:
            raise errors.MalformedResponseError("present (a required property)", UNSET).within("grant_type")
        grant_type = src["grant_type"]

        code = src.get("code", UNSET)

        refresh_token = src.get("refresh_token", UNSET)

        user_type = src.get("user_type", UNSET)

        redirect_uri = src.get("redirect_uri", UNSET)

        get_access_token_request = cls(
            client_id,
            client_secret,
            grant_type,
            code,
            refresh_token,
            user_type,
            redirect_uri,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            get_access_token_request.additional_properties = additional_properties
        return get_access_token_request

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
        "client_id",
        "client_secret",
        "grant_type",
        "code",
        "refresh_token",
        "user_type",
        "redirect_uri",
    }
)
