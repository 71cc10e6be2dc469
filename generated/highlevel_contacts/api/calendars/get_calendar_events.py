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
from ...models.get_calendar_events_response import GetCalendarEventsResponse
from ...models.unauthorized_response import UnauthorizedResponse
from ...types import UNSET, Response, Unset, http_status

_SUCCESS = frozenset({200})


def _get_kwargs(
    *,
    location_id: str,
    start_time: str,
    end_time: str,
    calendar_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    group_id: str | Unset = UNSET,
    version: CalendarsApiVersion,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Version"] = str(version)

    params: dict[str, Any] = {}

    params["locationId"] = location_id

    params["startTime"] = start_time

    params["endTime"] = end_time

    params["calendarId"] = calendar_id

    params["userId"] = user_id

    params["groupId"] = group_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/calendars/events",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, response: httpx.Response
) -> BadRequestResponse | GetCalendarEventsResponse | UnauthorizedResponse | None:
    if response.status_code == 200:
        return parsing.parse_json_object(response, GetCalendarEventsResponse.from_dict)
    if response.status_code == 400:
        return parsing.parse_json_object_or_none(response, BadRequestResponse.from_dict)
    if response.status_code == 401:
        return parsing.parse_json_object_or_none(response, UnauthorizedResponse.from_dict)
    return None


def _build_response(
    *, response: httpx.Response
) -> Response[BadRequestResponse | GetCalendarEventsResponse | UnauthorizedResponse]:
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
    start_time: str,
    end_time: str,
    calendar_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    group_id: str | Unset = UNSET,
    version: CalendarsApiVersion | Unset = UNSET,
) -> Response[BadRequestResponse | GetCalendarEventsResponse | UnauthorizedResponse]:
    """Get Calendar Events

    The events (appointments, and each instance of a recurring one) of a calendar, a user or a group
    that fall in a time window. One of calendarId, userId and groupId is required. No paging; the
    largest window the server answers is not documented.

    Args:
        location_id (str): Location Id
        start_time (str): Start of the window, in milliseconds since the epoch
        end_time (str): End of the window, in milliseconds since the epoch
        calendar_id (str | Unset): Calendar Id (one of calendarId, userId and groupId is required)
        user_id (str | Unset): User Id, the owner of an appointment (one of calendarId, userId and
            groupId is required)
        group_id (str | Unset): Group Id (one of calendarId, userId and groupId is required)
        version (CalendarsApiVersion | Unset): The API version sent in the Version header of the
            calendar operations: 2021-04-15, or v3 (released 2026-06-11). Default: the client's
            `version` when listed here, else CALENDARS_API_VERSION_DEFAULT.

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        Response[BadRequestResponse | GetCalendarEventsResponse | UnauthorizedResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        location_id=location_id,
        start_time=start_time,
        end_time=end_time,
        calendar_id=calendar_id,
        user_id=user_id,
        group_id=group_id,
        version=client.resolve_version(version, CALENDARS_API_VERSION_VALUES, CALENDARS_API_VERSION_DEFAULT),
    )

    response = client.request(kwargs)

    return _build_response(response=response)


def sync(
    *,
    client: AuthenticatedClient,
    location_id: str,
    start_time: str,
    end_time: str,
    calendar_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    group_id: str | Unset = UNSET,
    version: CalendarsApiVersion | Unset = UNSET,
) -> GetCalendarEventsResponse:
    """Get Calendar Events

    The events (appointments, and each instance of a recurring one) of a calendar, a user or a group
    that fall in a time window. One of calendarId, userId and groupId is required. No paging; the
    largest window the server answers is not documented.

    Args:
        location_id (str): Location Id
        start_time (str): Start of the window, in milliseconds since the epoch
        end_time (str): End of the window, in milliseconds since the epoch
        calendar_id (str | Unset): Calendar Id (one of calendarId, userId and groupId is required)
        user_id (str | Unset): User Id, the owner of an appointment (one of calendarId, userId and
            groupId is required)
        group_id (str | Unset): Group Id (one of calendarId, userId and groupId is required)
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
        GetCalendarEventsResponse
    """

    response = sync_detailed(
        client=client,
        location_id=location_id,
        start_time=start_time,
        end_time=end_time,
        calendar_id=calendar_id,
        user_id=user_id,
        group_id=group_id,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetCalendarEventsResponse, response.parsed)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    location_id: str,
    start_time: str,
    end_time: str,
    calendar_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    group_id: str | Unset = UNSET,
    version: CalendarsApiVersion | Unset = UNSET,
) -> Response[BadRequestResponse | GetCalendarEventsResponse | UnauthorizedResponse]:
    """Get Calendar Events

    The events (appointments, and each instance of a recurring one) of a calendar, a user or a group
    that fall in a time window. One of calendarId, userId and groupId is required. No paging; the
    largest window the server answers is not documented.

    Args:
        location_id (str): Location Id
        start_time (str): Start of the window, in milliseconds since the epoch
        end_time (str): End of the window, in milliseconds since the epoch
        calendar_id (str | Unset): Calendar Id (one of calendarId, userId and groupId is required)
        user_id (str | Unset): User Id, the owner of an appointment (one of calendarId, userId and
            groupId is required)
        group_id (str | Unset): Group Id (one of calendarId, userId and groupId is required)
        version (CalendarsApiVersion | Unset): The API version sent in the Version header of the
            calendar operations: 2021-04-15, or v3 (released 2026-06-11). Default: the client's
            `version` when listed here, else CALENDARS_API_VERSION_DEFAULT.

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        Response[BadRequestResponse | GetCalendarEventsResponse | UnauthorizedResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        location_id=location_id,
        start_time=start_time,
        end_time=end_time,
        calendar_id=calendar_id,
        user_id=user_id,
        group_id=group_id,
        version=client.resolve_version(version, CALENDARS_API_VERSION_VALUES, CALENDARS_API_VERSION_DEFAULT),
    )

    response = await client.arequest(kwargs)

    return _build_response(response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    location_id: str,
    start_time: str,
    end_time: str,
    calendar_id: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    group_id: str | Unset = UNSET,
    version: CalendarsApiVersion | Unset = UNSET,
) -> GetCalendarEventsResponse:
    """Get Calendar Events

    The events (appointments, and each instance of a recurring one) of a calendar, a user or a group
    that fall in a time window. One of calendarId, userId and groupId is required. No paging; the
    largest window the server answers is not documented.

    Args:
        location_id (str): Location Id
        start_time (str): Start of the window, in milliseconds since the epoch
        end_time (str): End of the window, in milliseconds since the epoch
        calendar_id (str | Unset): Calendar Id (one of calendarId, userId and groupId is required)
        user_id (str | Unset): User Id, the owner of an appointment (one of calendarId, userId and
            groupId is required)
        group_id (str | Unset): Group Id (one of calendarId, userId and groupId is required)
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
        GetCalendarEventsResponse
    """

    response = await asyncio_detailed(
        client=client,
        location_id=location_id,
        start_time=start_time,
        end_time=end_time,
        calendar_id=calendar_id,
        user_id=user_id,
        group_id=group_id,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetCalendarEventsResponse, response.parsed)
