from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.app_trial import AppTrial
    from ..models.whitelabel_details import WhitelabelDetails


T = TypeVar("T", bound="AppInstallWebhook")


@_attrs_define
class AppInstallWebhook:
    """An INSTALL delivery: at a location (`locationId`, and `companyId` when known) or at an agency (`companyId` only).
    userId and companyId may be missing for an install to future locations.

        Attributes:
            type_ (None | str | Unset):
            app_id (None | str | Unset):
            version_id (None | str | Unset):
            install_type (None | str | Unset):
            location_id (None | str | Unset):
            company_id (None | str | Unset):
            user_id (None | str | Unset):
            plan_id (None | str | Unset):
            trial (AppTrial | None | Unset):
            is_whitelabel_company (bool | None | Unset):
            whitelabel_details (None | Unset | WhitelabelDetails):
            company_name (None | str | Unset):
            timestamp (datetime.datetime | None | str | Unset):
            webhook_id (None | str | Unset):
    """

    type_: None | str | Unset = UNSET
    app_id: None | str | Unset = UNSET
    version_id: None | str | Unset = UNSET
    install_type: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    company_id: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET
    plan_id: None | str | Unset = UNSET
    trial: AppTrial | None | Unset = UNSET
    is_whitelabel_company: bool | None | Unset = UNSET
    whitelabel_details: None | Unset | WhitelabelDetails = UNSET
    company_name: None | str | Unset = UNSET
    timestamp: datetime.datetime | None | str | Unset = UNSET
    webhook_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.app_trial import AppTrial  # noqa: PLC0415
        from ..models.whitelabel_details import WhitelabelDetails  # noqa: PLC0415

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

        version_id: None | str | Unset
        if isinstance(self.version_id, Unset):
            version_id = UNSET
        else:
            version_id = self.version_id

        install_type: None | str | Unset
        if isinstance(self.install_type, Unset):
            install_type = UNSET
        else:
            install_type = self.install_type

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

        trial: dict[str, Any] | None | Unset
        if isinstance(self.trial, Unset):
            trial = UNSET
        elif isinstance(self.trial, AppTrial):
            trial = self.trial.to_dict()
        else:
            trial = self.trial

        is_whitelabel_company: bool | None | Unset
        if isinstance(self.is_whitelabel_company, Unset):
            is_whitelabel_company = UNSET
        else:
            is_whitelabel_company = self.is_whitelabel_company

        whitelabel_details: dict[str, Any] | None | Unset
        if isinstance(self.whitelabel_details, Unset):
            whitelabel_details = UNSET
        elif isinstance(self.whitelabel_details, WhitelabelDetails):
            whitelabel_details = self.whitelabel_details.to_dict()
        else:
            whitelabel_details = self.whitelabel_details

        company_name: None | str | Unset
        if isinstance(self.company_name, Unset):
            company_name = UNSET
        else:
            company_name = self.company_name

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
        if version_id is not UNSET:
            field_dict["versionId"] = version_id
        if install_type is not UNSET:
            field_dict["installType"] = install_type
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if company_id is not UNSET:
            field_dict["companyId"] = company_id
        if user_id is not UNSET:
            field_dict["userId"] = user_id
        if plan_id is not UNSET:
            field_dict["planId"] = plan_id
        if trial is not UNSET:
            field_dict["trial"] = trial
        if is_whitelabel_company is not UNSET:
            field_dict["isWhitelabelCompany"] = is_whitelabel_company
        if whitelabel_details is not UNSET:
            field_dict["whitelabelDetails"] = whitelabel_details
        if company_name is not UNSET:
            field_dict["companyName"] = company_name
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
        from ..models.app_trial import AppTrial  # noqa: PLC0415
        from ..models.whitelabel_details import WhitelabelDetails  # noqa: PLC0415

        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        type_ = src.get("type", UNSET)

        app_id = src.get("appId", UNSET)

        version_id = src.get("versionId", UNSET)

        install_type = src.get("installType", UNSET)

        location_id = src.get("locationId", UNSET)

        company_id = src.get("companyId", UNSET)

        user_id = src.get("userId", UNSET)

        plan_id = src.get("planId", UNSET)

        trial = src.get("trial", UNSET)
        if trial is not None and trial is not UNSET:
            try:
                trial = AppTrial.from_dict(trial)
            except errors.MalformedResponseError as error:
                raise error.within("trial") from None

        is_whitelabel_company = src.get("isWhitelabelCompany", UNSET)

        whitelabel_details = src.get("whitelabelDetails", UNSET)
        if whitelabel_details is not None and whitelabel_details is not UNSET:
            try:
                whitelabel_details = WhitelabelDetails.from_dict(whitelabel_details)
            except errors.MalformedResponseError as error:
                raise error.within("whitelabelDetails") from None

        company_name = src.get("companyName", UNSET)

        timestamp = src.get("timestamp", UNSET)
        if type(timestamp) is str:
            try:
                timestamp = _fromisoformat(timestamp)  # model.py.jinja binds it: one global lookup, not three
            except ValueError:
                pass  # not a date-time: the string is kept as received

        webhook_id = src.get("webhookId", UNSET)

        app_install_webhook = cls(
            type_,
            app_id,
            version_id,
            install_type,
            location_id,
            company_id,
            user_id,
            plan_id,
            trial,
            is_whitelabel_company,
            whitelabel_details,
            company_name,
            timestamp,
            webhook_id,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            app_install_webhook.additional_properties = additional_properties
        return app_install_webhook

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
        "versionId",
        "installType",
        "locationId",
        "companyId",
        "userId",
        "planId",
        "trial",
        "isWhitelabelCompany",
        "whitelabelDetails",
        "companyName",
        "timestamp",
        "webhookId",
    }
)
