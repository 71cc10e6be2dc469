from typing import Literal

GetAccessTokenRequestUserType = Literal["Company", "Location"]

GET_ACCESS_TOKEN_REQUEST_USER_TYPE_VALUES: set[GetAccessTokenRequestUserType] = {
    "Company",
    "Location",
}


def check_get_access_token_request_user_type(value: str) -> GetAccessTokenRequestUserType:
    if value in GET_ACCESS_TOKEN_REQUEST_USER_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_ACCESS_TOKEN_REQUEST_USER_TYPE_VALUES!r}")
