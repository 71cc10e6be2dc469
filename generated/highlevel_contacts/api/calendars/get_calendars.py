from typing import Any, cast

import httpx

from ... import parsing
from ...client import AuthenticatedClient
from ...models.bad_request_response import BadRequestResponse
from ...models.calendars_api_version import (
    CALENDARS_API_VERSION_DEFAULT,
    CALENDARS_API_VERSION_VALUES,
    CalendarsApiVersion,
)
from ...models.get_calendars_response import GetCalendarsResponse
from ...models.unauthorized_response import UnauthorizedResponse
from ...types import UNSET, Response, Unset, http_status

_SUCCESS = frozenset({200})


def _get_kwargs(
    *,
    location_id: str,
    group_id: str | Unset = UNSET,
    show_drafted: bool | Unset = UNSET,
    version: CalendarsApiVersion,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Version"] = str(version)

    params: dict[str, Any] = {}

    params["locationId"] = location_id

    params["groupId"] = group_id

    params["showDrafted"] = show_drafted

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/calendars/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, response: httpx.Response
) -> BadRequestResponse | GetCalendarsResponse | UnauthorizedResponse | None:
    if response.status_code == 200:
        return parsing.parse_json_object(response, GetCalendarsResponse.from_dict)
    if response.status_code == 400:
        return parsing.parse_json_object_or_none(response, BadRequestResponse.from_dict)
    if response.status_code == 401:
        return parsing.parse_json_object_or_none(response, UnauthorizedResponse.from_dict)
    return None


def _build_response(
    *, response: httpx.Response
) -> Response[BadRequestResponse | GetCalendarsResponse | UnauthorizedResponse]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    location_id: str,
    group_id: str | Unset = UNSET,
    show_drafted: bool | Unset = UNSET,
    version: CalendarsApiVersion | Unset = UNSET,
) -> Response[BadRequestResponse | GetCalendarsResponse | UnauthorizedResponse]:
    """Get Calendars

    Get all calendars in a location.

    Args:
        location_id (str): Location Id
        group_id (str | Unset): Only the calendars of this group
        show_drafted (bool | Unset): Whether drafted calendars are listed too (the server's
            default is true)
        version (CalendarsApiVersion | Unset): The API version sent in the Version header of the
            calendar operations: 2021-04-15, or v3 (released 2026-06-11). Default: the client's
            `version` when listed here, else CALENDARS_API_VERSION_DEFAULT.

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        Response[BadRequestResponse | GetCalendarsResponse | UnauthorizedResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        location_id=location_id,
        group_id=group_id,
        show_drafted=show_drafted,
        version=client.resolve_version(version, CALENDARS_API_VERSION_VALUES, CALENDARS_API_VERSION_DEFAULT),
    )

    response = client.request(kwargs)

    return _build_response(response=response)


def sync(
    *,
    client: AuthenticatedClient,
    location_id: str,
    group_id: str | Unset = UNSET,
    show_drafted: bool | Unset = UNSET,
    version: CalendarsApiVersion | Unset = UNSET,
) -> GetCalendarsResponse:
    """Get Calendars

    Get all calendars in a location.

    Args:
        location_id (str): Location Id
        group_id (str | Unset): Only the calendars of this group
        show_drafted (bool | Unset): Whether drafted calendars are listed too (the server's
            default is true)
        version (CalendarsApiVersion | Unset): The API version sent in the Version header of the
            calendar operations: 2021-04-15, or v3 (released 2026-06-11). Default: the client's
            `version` when listed here, else CALENDARS_API_VERSION_DEFAULT.

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        GetCalendarsResponse
    """

    response = sync_detailed(
        client=client,
        location_id=location_id,
        group_id=group_id,
        show_drafted=show_drafted,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetCalendarsResponse, response.parsed)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    location_id: str,
    group_id: str | Unset = UNSET,
    show_drafted: bool | Unset = UNSET,
    version: CalendarsApiVersion | Unset = UNSET,
) -> Response[BadRequestResponse | GetCalendarsResponse | UnauthorizedResponse]:
    """Get Calendars

    Get all calendars in a location.

    Args:
        location_id (str): Location Id
        group_id (str | Unset): Only the calendars of this group
        show_drafted (bool | Unset): Whether drafted calendars are listed too (the server's
            default is true)
        version (CalendarsApiVersion | Unset): The API version sent in the Version header of the
            calendar operations: 2021-04-15, or v3 (released 2026-06-11). Default: the client's
            `version` when listed here, else CALENDARS_API_VERSION_DEFAULT.

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        Response[BadRequestResponse | GetCalendarsResponse | UnauthorizedResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        location_id=location_id,
        group_id=group_id,
        show_drafted=show_drafted,
        version=client.resolve_version(version, CALENDARS_API_VERSION_VALUES, CALENDARS_API_VERSION_DEFAULT),
    )

    response = await client.arequest(kwargs)

    return _build_response(response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    location_id: str,
    group_id: str | Unset = UNSET,
    show_drafted: bool | Unset = UNSET,
    version: CalendarsApiVersion | Unset = UNSET,
) -> GetCalendarsResponse:
    """Get Calendars

    Get all calendars in a location.

    Args:
        location_id (str): Location Id
        group_id (str | Unset): Only the calendars of this group
        show_drafted (bool | Unset): Whether drafted calendars are listed too (the server's
            default is true)
        version (CalendarsApiVersion | Unset): The API version sent in the Version header of the
            calendar operations: 2021-04-15, or v3 (released 2026-06-11). Default: the client's
            `version` when listed here, else CALENDARS_API_VERSION_DEFAULT.

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        GetCalendarsResponse
    """

    response = await asyncio_detailed(
        client=client,
        location_id=location_id,
        group_id=group_id,
        show_drafted=show_drafted,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetCalendarsResponse, response.parsed)
