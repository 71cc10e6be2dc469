from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import errors, parsing
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_appointment import WebhookAppointment


T = TypeVar("T", bound="AppointmentWebhook")


@_attrs_define
class AppointmentWebhook:
    """An AppointmentCreate, AppointmentUpdate or AppointmentDelete delivery.

    Attributes:
        type_ (None | str | Unset):
        location_id (None | str | Unset):
        appointment (None | Unset | WebhookAppointment):
        timestamp (datetime.datetime | None | str | Unset):
        webhook_id (None | str | Unset):
    """

    type_: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    appointment: None | Unset | WebhookAppointment = UNSET
    timestamp: datetime.datetime | None | str | Unset = UNSET
    webhook_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_appointment import WebhookAppointment  # noqa: PLC0415

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        else:
            location_id = self.location_id

        appointment: dict[str, Any] | None | Unset
        if isinstance(self.appointment, Unset):
            appointment = UNSET
        elif isinstance(self.appointment, WebhookAppointment):
            appointment = self.appointment.to_dict()
        else:
            appointment = self.appointment

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
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if appointment is not UNSET:
            field_dict["appointment"] = appointment
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
        from ..models.webhook_appointment import WebhookAppointment  # noqa: PLC0415

        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        type_ = src.get("type", UNSET)

        location_id = src.get("locationId", UNSET)

        appointment = src.get("appointment", UNSET)
        if appointment is not None and appointment is not UNSET:
            try:
                appointment = WebhookAppointment.from_dict(appointment)
            except errors.MalformedResponseError as error:
                raise error.within("appointment") from None

        timestamp = src.get("timestamp", UNSET)
        if type(timestamp) is str:
            try:
                timestamp = _fromisoformat(timestamp)  # model.py.jinja binds it: one global lookup, not three
            except ValueError:
                pass  # not a date-time: the string is kept as received

        webhook_id = src.get("webhookId", UNSET)

        appointment_webhook = cls(
            type_,
            location_id,
            appointment,
            timestamp,
            webhook_id,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            appointment_webhook.additional_properties = additional_properties
        return appointment_webhook

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
        "locationId",
        "appointment",
        "timestamp",
        "webhookId",
    }
)
