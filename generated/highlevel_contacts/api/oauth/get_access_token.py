from typing import Any, cast

import httpx

from ... import parsing
from ...client import AuthenticatedClient, Client
from ...models.bad_request_response import BadRequestResponse
from ...models.get_access_token_request import GetAccessTokenRequest
from ...models.get_access_token_response import GetAccessTokenResponse
from ...models.unauthorized_response import UnauthorizedResponse
from ...models.unprocessable_entity_response import UnprocessableEntityResponse
from ...types import Response, http_status

_SUCCESS = frozenset({200})


def _get_kwargs(
    *,
    body: GetAccessTokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/oauth/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, response: httpx.Response
) -> BadRequestResponse | GetAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse | None:
    if response.status_code == 200:
        return parsing.parse_json_object(response, GetAccessTokenResponse.from_dict)
    if response.status_code == 400:
        return parsing.parse_json_object_or_none(response, BadRequestResponse.from_dict)
    if response.status_code == 401:
        return parsing.parse_json_object_or_none(response, UnauthorizedResponse.from_dict)
    if response.status_code == 422:
        return parsing.parse_json_object_or_none(response, UnprocessableEntityResponse.from_dict)
    return None


def _build_response(
    *, response: httpx.Response
) -> Response[BadRequestResponse | GetAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetAccessTokenRequest,
) -> Response[BadRequestResponse | GetAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    """Get Access Token

    Exchange an authorization code, or a refresh token, for an access token set. The refresh token is
    rotated: the one sent stops working and the answer carries its successor.

    Args:
        body (GetAccessTokenRequest): The token endpoint's form fields (snake_case, as HighLevel's
            v2 OAuth takes them).

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        Response[BadRequestResponse | GetAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.request(kwargs)

    return _build_response(response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: GetAccessTokenRequest,
) -> GetAccessTokenResponse:
    """Get Access Token

    Exchange an authorization code, or a refresh token, for an access token set. The refresh token is
    rotated: the one sent stops working and the answer carries its successor.

    Args:
        body (GetAccessTokenRequest): The token endpoint's form fields (snake_case, as HighLevel's
            v2 OAuth takes them).

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        GetAccessTokenResponse
    """

    response = sync_detailed(
        client=client,
        body=body,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetAccessTokenResponse, response.parsed)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetAccessTokenRequest,
) -> Response[BadRequestResponse | GetAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    """Get Access Token

    Exchange an authorization code, or a refresh token, for an access token set. The refresh token is
    rotated: the one sent stops working and the answer carries its successor.

    Args:
        body (GetAccessTokenRequest): The token endpoint's form fields (snake_case, as HighLevel's
            v2 OAuth takes them).

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        Response[BadRequestResponse | GetAccessTokenResponse | UnauthorizedResponse | UnprocessableEntityResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.arequest(kwargs)

    return _build_response(response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GetAccessTokenRequest,
) -> GetAccessTokenResponse:
    """Get Access Token

    Exchange an authorization code, or a refresh token, for an access token set. The refresh token is
    rotated: the one sent stops working and the answer carries its successor.

    Args:
        body (GetAccessTokenRequest): The token endpoint's form fields (snake_case, as HighLevel's
            v2 OAuth takes them).

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        GetAccessTokenResponse
    """

    response = await asyncio_detailed(
        client=client,
        body=body,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetAccessTokenResponse, response.parsed)
