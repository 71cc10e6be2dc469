from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors
from ..types import UNSET, Unset

T = TypeVar("T", bound="UnauthorizedResponse")


@_attrs_define
class UnauthorizedResponse:
    """
    Attributes:
        status_code (float | None | Unset):  Example: 401.
        message (None | str | Unset):  Example: Invalid token: access token is invalid.
        error (None | str | Unset):  Example: Unauthorized.
    """

    status_code: float | None | Unset = UNSET
    message: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        if self.status_code is not UNSET:
            field_dict["statusCode"] = self.status_code
        if self.message is not UNSET:
            field_dict["message"] = self.message
        if self.error is not UNSET:
            field_dict["error"] = self.error
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
        status_code = get("statusCode", UNSET)
        message = get("message", UNSET)
        error = get("error", UNSET)

        # Positional, in declaration order (required fields first): keywords cost ~0.35 us more per object.
        unauthorized_response = cls(
            status_code,
            message,
            error,
        )
        if not _KNOWN_KEYS.issuperset(src):
            unauthorized_response.additional_properties = {
                key: value for key, value in src.items() if key not in _KNOWN_KEYS
            }
        return unauthorized_response

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
        "statusCode",
        "message",
        "error",
    }
)
