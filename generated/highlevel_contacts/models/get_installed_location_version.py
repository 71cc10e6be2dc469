from typing import Literal

GetInstalledLocationVersion = Literal["2021-07-28"]

GET_INSTALLED_LOCATION_VERSION_VALUES: set[GetInstalledLocationVersion] = {
    "2021-07-28",
}


def check_get_installed_location_version(value: str) -> GetInstalledLocationVersion:
    if value in GET_INSTALLED_LOCATION_VERSION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_INSTALLED_LOCATION_VERSION_VALUES!r}")


GET_INSTALLED_LOCATION_VERSION_DEFAULT: GetInstalledLocationVersion = "2021-07-28"
