from typing import Any, cast

import httpx

from ... import parsing
from ...client import AuthenticatedClient
from ...models.bad_request_response import BadRequestResponse
from ...models.get_installed_location_version import GetInstalledLocationVersion
from ...models.get_installed_locations_response import GetInstalledLocationsResponse
from ...models.unauthorized_response import UnauthorizedResponse
from ...models.unprocessable_entity_response import UnprocessableEntityResponse
from ...types import UNSET, Response, Unset, http_status

_SUCCESS = frozenset({200})


def _get_kwargs(
    *,
    company_id: str,
    app_id: str | Unset = UNSET,
    is_installed: bool | Unset = UNSET,
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    query: str | Unset = UNSET,
    version: GetInstalledLocationVersion = "2021-07-28",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Version"] = str(version)

    params: dict[str, Any] = {}

    params["companyId"] = company_id

    params["appId"] = app_id

    params["isInstalled"] = is_installed

    params["skip"] = skip

    params["limit"] = limit

    params["query"] = query

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/oauth/installedLocations",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, response: httpx.Response
) -> BadRequestResponse | GetInstalledLocationsResponse | UnauthorizedResponse | UnprocessableEntityResponse | None:
    if response.status_code == 200:
        return parsing.parse_json_object(response, GetInstalledLocationsResponse.from_dict)
    if response.status_code == 400:
        return parsing.parse_json_object_or_none(response, BadRequestResponse.from_dict)
    if response.status_code == 401:
        return parsing.parse_json_object_or_none(response, UnauthorizedResponse.from_dict)
    if response.status_code == 422:
        return parsing.parse_json_object_or_none(response, UnprocessableEntityResponse.from_dict)
    return None


def _build_response(
    *, response: httpx.Response
) -> Response[BadRequestResponse | GetInstalledLocationsResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    company_id: str,
    app_id: str | Unset = UNSET,
    is_installed: bool | Unset = UNSET,
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    query: str | Unset = UNSET,
    version: GetInstalledLocationVersion = "2021-07-28",
) -> Response[BadRequestResponse | GetInstalledLocationsResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    """Get Location where app is installed

    The company's locations, a page at a time (`skip`, `limit`), with whether the app is installed at
    each. `count` is the number of locations that match, over all pages.

    Args:
        company_id (str): The company (agency) id
        app_id (str | Unset): The app's id (by default, the app of the token)
        is_installed (bool | Unset): Only the locations where the app is (true) or is not (false)
            installed
        skip (int | Unset): How many matching locations to skip
        limit (int | Unset): How many locations to answer at most
        query (str | Unset): Only the locations whose name matches
        version (GetInstalledLocationVersion):  Default: '2021-07-28'.

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        Response[BadRequestResponse | GetInstalledLocationsResponse | UnauthorizedResponse | UnprocessableEntityResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        app_id=app_id,
        is_installed=is_installed,
        skip=skip,
        limit=limit,
        query=query,
        version=version,
    )

    response = client.request(kwargs)

    return _build_response(response=response)


def sync(
    *,
    client: AuthenticatedClient,
    company_id: str,
    app_id: str | Unset = UNSET,
    is_installed: bool | Unset = UNSET,
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    query: str | Unset = UNSET,
    version: GetInstalledLocationVersion = "2021-07-28",
) -> GetInstalledLocationsResponse:
    """Get Location where app is installed

    The company's locations, a page at a time (`skip`, `limit`), with whether the app is installed at
    each. `count` is the number of locations that match, over all pages.

    Args:
        company_id (str): The company (agency) id
        app_id (str | Unset): The app's id (by default, the app of the token)
        is_installed (bool | Unset): Only the locations where the app is (true) or is not (false)
            installed
        skip (int | Unset): How many matching locations to skip
        limit (int | Unset): How many locations to answer at most
        query (str | Unset): Only the locations whose name matches
        version (GetInstalledLocationVersion):  Default: '2021-07-28'.

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        GetInstalledLocationsResponse
    """

    response = sync_detailed(
        client=client,
        company_id=company_id,
        app_id=app_id,
        is_installed=is_installed,
        skip=skip,
        limit=limit,
        query=query,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetInstalledLocationsResponse, response.parsed)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    company_id: str,
    app_id: str | Unset = UNSET,
    is_installed: bool | Unset = UNSET,
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    query: str | Unset = UNSET,
    version: GetInstalledLocationVersion = "2021-07-28",
) -> Response[BadRequestResponse | GetInstalledLocationsResponse | UnauthorizedResponse | UnprocessableEntityResponse]:
    """Get Location where app is installed

    The company's locations, a page at a time (`skip`, `limit`), with whether the app is installed at
    each. `count` is the number of locations that match, over all pages.

    Args:
        company_id (str): The company (agency) id
        app_id (str | Unset): The app's id (by default, the app of the token)
        is_installed (bool | Unset): Only the locations where the app is (true) or is not (false)
            installed
        skip (int | Unset): How many matching locations to skip
        limit (int | Unset): How many locations to answer at most
        query (str | Unset): Only the locations whose name matches
        version (GetInstalledLocationVersion):  Default: '2021-07-28'.

    Raises:
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        Response[BadRequestResponse | GetInstalledLocationsResponse | UnauthorizedResponse | UnprocessableEntityResponse]
            Any HTTP status; `parsed` is the documented model, or None for an undocumented status or an error body
            that is not what the spec says.
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        app_id=app_id,
        is_installed=is_installed,
        skip=skip,
        limit=limit,
        query=query,
        version=version,
    )

    response = await client.arequest(kwargs)

    return _build_response(response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    company_id: str,
    app_id: str | Unset = UNSET,
    is_installed: bool | Unset = UNSET,
    skip: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    query: str | Unset = UNSET,
    version: GetInstalledLocationVersion = "2021-07-28",
) -> GetInstalledLocationsResponse:
    """Get Location where app is installed

    The company's locations, a page at a time (`skip`, `limit`), with whether the app is installed at
    each. `count` is the number of locations that match, over all pages.

    Args:
        company_id (str): The company (agency) id
        app_id (str | Unset): The app's id (by default, the app of the token)
        is_installed (bool | Unset): Only the locations where the app is (true) or is not (false)
            installed
        skip (int | Unset): How many matching locations to skip
        limit (int | Unset): How many locations to answer at most
        query (str | Unset): Only the locations whose name matches
        version (GetInstalledLocationVersion):  Default: '2021-07-28'.

    Raises:
        errors.APIStatusError: The answer is an HTTP error (a subclass per status: BadRequestError,
            AuthenticationError, UnprocessableEntityError, RateLimitError, ServerError, UnexpectedStatus).
        errors.MalformedResponseError: A success body is not what the spec says (names the JSON path).
        errors.APIConnectionError: No answer (refused, reset, timed out: APITimeoutError), after retries.
        ValueError: Nothing was sent: a header value holds CR, LF, NUL or non-ASCII.

    Returns:
        GetInstalledLocationsResponse
    """

    response = await asyncio_detailed(
        client=client,
        company_id=company_id,
        app_id=app_id,
        is_installed=is_installed,
        skip=skip,
        limit=limit,
        query=query,
        version=version,
    )
    client.raise_for_status(response, _SUCCESS)
    return cast(GetInstalledLocationsResponse, response.parsed)
