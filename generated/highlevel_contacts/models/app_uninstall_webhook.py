from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import parsing
from ..types import UNSET, Unset

T = TypeVar("T", bound="AppUninstallWebhook")


@_attrs_define
class AppUninstallWebhook:
    """An UNINSTALL delivery, from a location (`locationId`) or an agency (`companyId`).

    Attributes:
        type_ (None | str | Unset):
        app_id (None | str | Unset):
        location_id (None | str | Unset):
        company_id (None | str | Unset):
        timestamp (datetime.datetime | None | str | Unset):
        webhook_id (None | str | Unset):
    """

    type_: None | str | Unset = UNSET
    app_id: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    company_id: None | str | Unset = UNSET
    timestamp: datetime.datetime | None | str | Unset = UNSET
    webhook_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        app_id: None | str | Unset
        if isinstance(self.app_id, Unset):
            app_id = UNSET
        else:
            app_id = self.app_id

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

        timestamp: None | str | Unset
        if isinstance(self.timestamp, Unset):
            timestamp = UNSET
        elif isinstance(self.timestamp, datetime.datetime):
            timestamp = self.timestamp.isoformat()
        else:
            timestamp = self.timestamp

        webhook_id: None | str | Unset
        if isinstance(self.webhook_id, Unset):
            webhook_id = UNSET
        else:
            webhook_id = self.webhook_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if app_id is not UNSET:
            field_dict["appId"] = app_id
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if company_id is not UNSET:
            field_dict["companyId"] = company_id
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if webhook_id is not UNSET:
            field_dict["webhookId"] = webhook_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        type_ = src.get("type", UNSET)

        app_id = src.get("appId", UNSET)

        location_id = src.get("locationId", UNSET)

        company_id = src.get("companyId", UNSET)

        timestamp = src.get("timestamp", UNSET)
        if type(timestamp) is str:
            try:
                timestamp = _fromisoformat(timestamp)  # model.py.jinja binds it: one global lookup, not three
            except ValueError:
                pass  # not a date-time: the string is kept as received

        webhook_id = src.get("webhookId", UNSET)

        app_uninstall_webhook = cls(
            type_,
            app_id,
            location_id,
            company_id,
            timestamp,
            webhook_id,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            app_uninstall_webhook.additional_properties = additional_properties
        return app_uninstall_webhook

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


_fromisoformat = datetime.datetime.fromisoformat  # see property_templates/property_macros.py.jinja


_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "type",
        "appId",
        "locationId",
        "companyId",
        "timestamp",
        "webhookId",
    }
)
