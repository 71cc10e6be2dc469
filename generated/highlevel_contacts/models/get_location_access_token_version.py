from typing import Literal

GetLocationAccessTokenVersion = Literal["2021-07-28"]

GET_LOCATION_ACCESS_TOKEN_VERSION_VALUES: set[GetLocationAccessTokenVersion] = {
    "2021-07-28",
}


def check_get_location_access_token_version(value: str) -> GetLocationAccessTokenVersion:
    if value in GET_LOCATION_ACCESS_TOKEN_VERSION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_LOCATION_ACCESS_TOKEN_VERSION_VALUES!r}")


GET_LOCATION_ACCESS_TOKEN_VERSION_DEFAULT: GetLocationAccessTokenVersion = "2021-07-28"
