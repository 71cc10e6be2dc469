from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import parsing
from ..types import UNSET, Unset

T = TypeVar("T", bound="AppTrial")


@_attrs_define
class AppTrial:
    """
    Attributes:
        on_trial (bool | None | Unset):
        trial_duration (float | None | Unset):
        trial_start_date (datetime.datetime | None | str | Unset):
    """

    on_trial: bool | None | Unset = UNSET
    trial_duration: float | None | Unset = UNSET
    trial_start_date: datetime.datetime | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        on_trial: bool | None | Unset
        if isinstance(self.on_trial, Unset):
            on_trial = UNSET
        else:
            on_trial = self.on_trial

        trial_duration: float | None | Unset
        if isinstance(self.trial_duration, Unset):
            trial_duration = UNSET
        else:
            trial_duration = self.trial_duration

        trial_start_date: None | str | Unset
        if isinstance(self.trial_start_date, Unset):
            trial_start_date = UNSET
        elif isinstance(self.trial_start_date, datetime.datetime):
            trial_start_date = self.trial_start_date.isoformat()
        else:
            trial_start_date = self.trial_start_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if on_trial is not UNSET:
            field_dict["onTrial"] = on_trial
        if trial_duration is not UNSET:
            field_dict["trialDuration"] = trial_duration
        if trial_start_date is not UNSET:
            field_dict["trialStartDate"] = trial_start_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object.

        Raises:
            errors.MalformedResponseError: `src_dict` is not an object, a required key is missing, or a nested
                value does not have the shape the spec gives it; the error names the JSON path.
        """
        src = src_dict if type(src_dict) is dict else parsing.expect_object(src_dict)
        on_trial = src.get("onTrial", UNSET)

        trial_duration = src.get("trialDuration", UNSET)

        trial_start_date = src.get("trialStartDate", UNSET)
        if type(trial_start_date) is str:
            try:
                trial_start_date = _fromisoformat(
                    trial_start_date
                )  # model.py.jinja binds it: one global lookup, not three
            except ValueError:
                pass  # not a date-time: the string is kept as received

        app_trial = cls(
            on_trial,
            trial_duration,
            trial_start_date,
        )

        if not _KNOWN_KEYS.issuperset(src):
            additional_properties = {key: value for key, value in src.items() if key not in _KNOWN_KEYS}
            app_trial.additional_properties = additional_properties
        return app_trial

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
        "onTrial",
        "trialDuration",
        "trialStartDate",
    }
)
