from typing import Literal

ApiVersion = Literal["2021-07-28", "v3"]

API_VERSION_VALUES: set[ApiVersion] = {
    "2021-07-28",
    "v3",
}


def check_api_version(value: str) -> ApiVersion:
    if value in API_VERSION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_VERSION_VALUES!r}")


API_VERSION_DEFAULT: ApiVersion = "2021-07-28"
