from typing import Any, cast

import httpx

from ... import parsing
from ...client import AuthenticatedClient
from ...models.api_version import ApiVersion
from ...models.bad_request_response import BadRequestResponse
from ...models.get_appointments_response import GetAppointmentsResponse
from ...models.unauthorized_response import UnauthorizedResponse
from ...models.unprocessable_entity_response import UnprocessableEntityResponse
from ...types import UNSET, Response, Unset, http_status
from ...validation import path_parameter

_SUCCESS = frozenset({200})


def _get_kwargs(
    contact_id: str,
    *,
    version: ApiVersion,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Version"] = str(version)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/contacts/{contact_id}/appointments".format(
            contact_id=path_parameter(contact_id, "contactId"),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, response: httpx.Response
) -> BadRequestResponse | GetAppointmentsResponse | UnauthorizedResponse | UnprocessableEntityResponse | None:
    if response.status_code == 200:
        return parsing.parse_json_object(response, GetAppointmentsResponse.from_dict)
    if response.status_code == 400:
        return parsing.parse_json_object_or_none(response, BadRequestResponse.from_dict)
    if response.status_code == 401:
        return parsing.parse_json_object_or_none(response, UnauthorizedResponse.from_dict)
    if response.status_code == 422:
        return parsing.parse_json_object_or_none(response, UnprocessableEntityResponse.from_dict)
    return None


def _build_response(
    *, response: httpx.Response
) -> Response[BadRequestResponse | GetAppointmentsResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def sync_detailed(
    contact_id: str,
    *,
    client: AuthenticatedClient,
    version: ApiVersion | Unset = UNSET,
) -> Response[BadRequestResponse | GetAppointmentsResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    """Get Appointments for Contact

    Args:
        contact_id (str): Contact Id
        version (ApiVersion | Unset): The API version sent in the Version header: 2021-07-28 (the
            docs page this package implements) or v3 (released 2026-06-11, same response schema for
            this operation). Default: the client's `version`.

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a path parameter (contactId) is not a str, is empty, `.` or `..`,
            or is too long, or a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        Response[BadRequestResponse | GetAppointmentsResponse | UnauthorizedResponse | UnprocessableEntityResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        contact_id=contact_id,
        version=client.resolve_version(version),
    )

    response = client.request(kwargs)

    return _build_response(response=response)


def sync(
    contact_id: str,
    *,
    client: AuthenticatedClient,
    version: ApiVersion | Unset = UNSET,
) -> GetAppointmentsResponse:
    """Get Appointments for Contact

    Args:
        contact_id (str): Contact Id
        version (ApiVersion | Unset): The API version sent in the Version header: 2021-07-28 (the
            docs page this package implements) or v3 (released 2026-06-11, same response schema for
            this operation). Default: the client's `version`.

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a path parameter (contactId) is not a str, is empty, `.` or `..`,
            or is too long, or a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        GetAppointmentsResponse
    """

    response = sync_detailed(
        contact_id=contact_id,
        client=client,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetAppointmentsResponse, response.parsed)


async def asyncio_detailed(
    contact_id: str,
    *,
    client: AuthenticatedClient,
    version: ApiVersion | Unset = UNSET,
) -> Response[BadRequestResponse | GetAppointmentsResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    """Get Appointments for Contact

    Args:
        contact_id (str): Contact Id
        version (ApiVersion | Unset): The API version sent in the Version header: 2021-07-28 (the
            docs page this package implements) or v3 (released 2026-06-11, same response schema for
            this operation). Default: the client's `version`.

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a path parameter (contactId) is not a str, is empty, `.` or `..`,
            or is too long, or a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        Response[BadRequestResponse | GetAppointmentsResponse | UnauthorizedResponse | UnprocessableEntityResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        contact_id=contact_id,
        version=client.resolve_version(version),
    )

    response = await client.arequest(kwargs)

    return _build_response(response=response)


async def asyncio(
    contact_id: str,
    *,
    client: AuthenticatedClient,
    version: ApiVersion | Unset = UNSET,
) -> GetAppointmentsResponse:
    """Get Appointments for Contact

    Args:
        contact_id (str): Contact Id
        version (ApiVersion | Unset): The API version sent in the Version header: 2021-07-28 (the
            docs page this package implements) or v3 (released 2026-06-11, same response schema for
            this operation). Default: the client's `version`.

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a path parameter (contactId) is not a str, is empty, `.` or `..`,
            or is too long, or a header value holds CR, LF, NUL or non-ASCII,
            or the version is not one the spec lists.

    Returns:
        GetAppointmentsResponse
    """

    response = await asyncio_detailed(
        contact_id=contact_id,
        client=client,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetAppointmentsResponse, response.parsed)
