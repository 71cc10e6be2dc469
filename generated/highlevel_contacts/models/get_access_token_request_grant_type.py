from typing import Literal

GetAccessTokenRequestGrantType = Literal["authorization_code", "refresh_token"]

GET_ACCESS_TOKEN_REQUEST_GRANT_TYPE_VALUES: set[GetAccessTokenRequestGrantType] = {
    "authorization_code",
    "refresh_token",
}


def check_get_access_token_request_grant_type(value: str) -> GetAccessTokenRequestGrantType:
    if value in GET_ACCESS_TOKEN_REQUEST_GRANT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_ACCESS_TOKEN_REQUEST_GRANT_TYPE_VALUES!r}")
