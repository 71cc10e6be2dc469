from typing import Any, cast

import httpx

from ... import parsing
from ...client import AuthenticatedClient
from ...models.bad_request_response import BadRequestResponse
from ...models.get_location_access_token_request import GetLocationAccessTokenRequest
from ...models.get_location_access_token_response import GetLocationAccessTokenResponse
from ...models.get_location_access_token_version import GetLocationAccessTokenVersion
from ...models.unauthorized_response import UnauthorizedResponse
from ...models.unprocessable_entity_response import UnprocessableEntityResponse
from ...types import Response, http_status

_SUCCESS = frozenset({200})


def _get_kwargs(
    *,
    body: GetLocationAccessTokenRequest,
    version: GetLocationAccessTokenVersion = "2021-07-28",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Version"] = str(version)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/oauth/locationToken",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, response: httpx.Response
) -> BadRequestResponse | GetLocationAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse | None:
    if response.status_code == 200:
        return parsing.parse_json_object(response, GetLocationAccessTokenResponse.from_dict)
    if response.status_code == 400:
        return parsing.parse_json_object_or_none(response, BadRequestResponse.from_dict)
    if response.status_code == 401:
        return parsing.parse_json_object_or_none(response, UnauthorizedResponse.from_dict)
    if response.status_code == 422:
        return parsing.parse_json_object_or_none(response, UnprocessableEntityResponse.from_dict)
    return None


def _build_response(
    *, response: httpx.Response
) -> Response[BadRequestResponse | GetLocationAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GetLocationAccessTokenRequest,
    version: GetLocationAccessTokenVersion = "2021-07-28",
) -> Response[BadRequestResponse | GetLocationAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    """Get Location Access Token from Agency Token

    Exchange an agency (Company) access token for an access token of one of the company's locations
    where the app is installed. Only a location token is accepted by the location-level APIs
    (appointments); an agency token is not, and a location token is not accepted here.

    Args:
        version (GetLocationAccessTokenVersion):  Default: '2021-07-28'.
        body (GetLocationAccessTokenRequest):

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        Response[BadRequestResponse | GetLocationAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        body=body,
        version=version,
    )

    response = client.request(kwargs)

    return _build_response(response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: GetLocationAccessTokenRequest,
    version: GetLocationAccessTokenVersion = "2021-07-28",
) -> GetLocationAccessTokenResponse:
    """Get Location Access Token from Agency Token

    Exchange an agency (Company) access token for an access token of one of the company's locations
    where the app is installed. Only a location token is accepted by the location-level APIs
    (appointments); an agency token is not, and a location token is not accepted here.

    Args:
        version (GetLocationAccessTokenVersion):  Default: '2021-07-28'.
        body (GetLocationAccessTokenRequest):

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        GetLocationAccessTokenResponse
    """

    response = sync_detailed(
        client=client,
        body=body,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetLocationAccessTokenResponse, response.parsed)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GetLocationAccessTokenRequest,
    version: GetLocationAccessTokenVersion = "2021-07-28",
) -> Response[BadRequestResponse | GetLocationAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    """Get Location Access Token from Agency Token

    Exchange an agency (Company) access token for an access token of one of the company's locations
    where the app is installed. Only a location token is accepted by the location-level APIs
    (appointments); an agency token is not, and a location token is not accepted here.

    Args:
        version (GetLocationAccessTokenVersion):  Default: '2021-07-28'.
        body (GetLocationAccessTokenRequest):

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        Response[BadRequestResponse | GetLocationAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        body=body,
        version=version,
    )

    response = await client.arequest(kwargs)

    return _build_response(response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: GetLocationAccessTokenRequest,
    version: GetLocationAccessTokenVersion = "2021-07-28",
) -> GetLocationAccessTokenResponse:
    """Get Location Access Token from Agency Token

    Exchange an agency (Company) access token for an access token of one of the company's locations
    where the app is installed. Only a location token is accepted by the location-level APIs
    (appointments); an agency token is not, and a location token is not accepted here.

    Args:
        version (GetLocationAccessTokenVersion):  Default: '2021-07-28'.
        body (GetLocationAccessTokenRequest):

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        GetLocationAccessTokenResponse
    """

    response = await asyncio_detailed(
        client=client,
        body=body,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetLocationAccessTokenResponse, response.parsed)
