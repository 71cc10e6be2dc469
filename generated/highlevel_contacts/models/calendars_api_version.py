from typing import Literal

CalendarsApiVersion = Literal["2021-04-15", "v3"]

CALENDARS_API_VERSION_VALUES: set[CalendarsApiVersion] = {
    "2021-04-15",
    "v3",
}


def check_calendars_api_version(value: str) -> CalendarsApiVersion:
    if value in CALENDARS_API_VERSION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALENDARS_API_VERSION_VALUES!r}")


CALENDARS_API_VERSION_DEFAULT: CalendarsApiVersion = "2021-04-15"
