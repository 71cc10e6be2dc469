"""Contract tests for the agency operations, POST /oauth/locationToken and GET /oauth/installedLocations, from
the spec's own examples: the request on the wire and every documented answer, through httpx.MockTransport and
over 127.0.0.1, sync and async; then the generated client against the embedded mock."""

from __future__ import annotations

import functools
import urllib.parse
from typing import Any

import pytest
from highlevel_contacts import (
    APIStatusError,
    AuthenticatedClient,
    AuthenticationError,
    BadRequestError,
)
from highlevel_contacts.api.oauth import get_installed_location, get_location_access_token
from highlevel_contacts.models import (
    GetInstalledLocationsResponse,
    GetLocationAccessTokenRequest,
    GetLocationAccessTokenResponse,
    InstalledLocation,
)
from highlevel_contacts.testing import MockServer
from highlevel_contacts.types import UNSET

from tests.helpers import DOCUMENTED_STATUSES, ERROR_MODELS, ERRORS, TOKEN, snake
from tests.scripted_server import SERVINGS, RecordedRequest, Reply, ScriptedServer
from tools.spec import (
    INSTALLED_LOCATIONS_PATH,
    LOCATION_TOKEN_PATH,
    load_spec,
    request_example,
    response_examples,
    version_values,
)

LOCATION_TOKEN = response_examples(LOCATION_TOKEN_PATH, "post")
INSTALLED = response_examples(INSTALLED_LOCATIONS_PATH, "get")
FORM = request_example(LOCATION_TOKEN_PATH, "post")
(COMPANY_ID,) = (
    parameter["example"]
    for parameter in load_spec()["paths"][INSTALLED_LOCATIONS_PATH]["get"]["parameters"]
    if parameter["name"] == "companyId"
)


@pytest.fixture(params=list(SERVINGS))
def serve(request: pytest.FixtureRequest) -> Any:
    """`serve(status, body)`: a client with TOKEN answered `status` with `body`, and its requests."""
    serving = SERVINGS[request.param]
    return lambda status, body: serving(status, body, functools.partial(AuthenticatedClient, token=TOKEN))


def _assert_fields(model: Any, example: dict[str, Any]) -> None:
    """Every field of the example is the attribute of the same (snake_case) name, and nothing else is set."""
    for name, expected in example.items():
        assert getattr(model, snake(name)) == expected, name
    assert model.additional_properties == {}


def _assert_error_model(status: int, parsed: Any, example: dict[str, Any]) -> None:
    assert type(parsed) is ERROR_MODELS[status]
    _assert_fields(parsed, example)
    assert parsed.status_code == status
    assert parsed.to_dict() == example


def _assert_location_token_wire(wire: list[RecordedRequest]) -> None:
    (request,) = wire
    assert request.method == "POST"
    assert request.raw_path == "/oauth/locationToken"
    assert request.headers.get_list("content-type") == ["application/x-www-form-urlencoded"]
    assert request.headers.get_list("version") == [version_values(LOCATION_TOKEN_PATH, "post")[0]]  # the default
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert list(FORM) == ["companyId", "locationId"]
    assert request.body == f"companyId={FORM['companyId']}&locationId={FORM['locationId']}".encode()
    assert dict(urllib.parse.parse_qsl(request.body.decode(), strict_parsing=True)) == FORM


def _assert_installed_locations_wire(wire: list[RecordedRequest]) -> None:
    (request,) = wire
    assert request.method == "GET"
    assert request.raw_path == f"/oauth/installedLocations?companyId={COMPANY_ID}&isInstalled=true&skip=40&limit=20"
    assert request.headers.get_list("version") == [version_values(INSTALLED_LOCATIONS_PATH, "get")[0]]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.body == b""


def _assert_location_token_parsed(status: int, parsed: Any) -> None:
    if status != 200:
        _assert_error_model(status, parsed, LOCATION_TOKEN[status])
        return
    assert type(parsed) is GetLocationAccessTokenResponse
    _assert_fields(parsed, LOCATION_TOKEN[200])
    assert (parsed.app_id, parsed.version_id, parsed.refresh_token) == (UNSET, UNSET, UNSET)  # not in the example
    assert parsed.to_dict() == LOCATION_TOKEN[200]


def _assert_installed_locations_parsed(status: int, parsed: Any) -> None:
    if status != 200:
        _assert_error_model(status, parsed, INSTALLED[status])
        return
    example = INSTALLED[200]
    assert type(parsed) is GetInstalledLocationsResponse
    assert (parsed.count, parsed.install_to_future_locations) == (example["count"], example["installToFutureLocations"])
    assert isinstance(parsed.locations, list)
    assert len(parsed.locations) == len(example["locations"]) == 1
    for location, location_example in zip(parsed.locations, example["locations"], strict=True):
        assert type(location) is InstalledLocation
        assert (location.id, location.name, location.address, location.is_installed) == (
            location_example["_id"],
            location_example["name"],
            location_example["address"],
            location_example["isInstalled"],
        )
        assert location.additional_properties == {}  # `_id` is the attribute `id`, not an extra key
        assert location.to_dict() == location_example
    assert parsed.to_dict() == example


# POST /oauth/locationToken


@pytest.mark.parametrize("status", DOCUMENTED_STATUSES)
def test_location_token_sync_detailed(serve: Any, status: int) -> None:
    with serve(status, LOCATION_TOKEN[status]) as (client, wire), client:
        response = get_location_access_token.sync_detailed(
            client=client, body=GetLocationAccessTokenRequest.from_dict(FORM)
        )
    assert response.status_code == status
    _assert_location_token_parsed(status, response.parsed)
    _assert_location_token_wire(wire)


@pytest.mark.anyio
@pytest.mark.parametrize("status", DOCUMENTED_STATUSES)
async def test_location_token_asyncio_detailed(serve: Any, status: int) -> None:
    with serve(status, LOCATION_TOKEN[status]) as (client, wire):
        async with client:
            response = await get_location_access_token.asyncio_detailed(
                client=client, body=GetLocationAccessTokenRequest.from_dict(FORM)
            )
    assert response.status_code == status
    _assert_location_token_parsed(status, response.parsed)
    _assert_location_token_wire(wire)


def test_location_token_sync_returns_the_token(serve: Any) -> None:
    with serve(200, LOCATION_TOKEN[200]) as (client, wire), client:
        token = get_location_access_token.sync(client=client, body=GetLocationAccessTokenRequest.from_dict(FORM))
    _assert_location_token_parsed(200, token)
    assert (token.location_id, token.expires_in) == (FORM["locationId"], LOCATION_TOKEN[200]["expires_in"])
    _assert_location_token_wire(wire)


@pytest.mark.parametrize("status", [400, 401, 422])
def test_location_token_sync_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status, LOCATION_TOKEN[status]) as (client, wire), client, pytest.raises(APIStatusError) as caught:
        get_location_access_token.sync(client=client, body=GetLocationAccessTokenRequest.from_dict(FORM))
    assert type(caught.value) is ERRORS[status]
    assert caught.value.status_code == status
    assert caught.value.error == LOCATION_TOKEN[status].get("error")
    message = LOCATION_TOKEN[status]["message"]
    assert caught.value.message == ("; ".join(message) if isinstance(message, list) else message)
    _assert_location_token_wire(wire)


@pytest.mark.anyio
@pytest.mark.parametrize("status", [400, 401, 422])
async def test_location_token_asyncio_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status, LOCATION_TOKEN[status]) as (client, _):
        async with client:
            with pytest.raises(APIStatusError) as caught:
                await get_location_access_token.asyncio(
                    client=client, body=GetLocationAccessTokenRequest.from_dict(FORM)
                )
    assert type(caught.value) is ERRORS[status]
    assert caught.value.status_code == status


def test_a_location_token_post_is_never_retried() -> None:
    with (
        ScriptedServer([Reply.json(503, {}), Reply.json(200, LOCATION_TOKEN[200])]) as server,
        AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client,
    ):
        response = get_location_access_token.sync_detailed(
            client=client, body=GetLocationAccessTokenRequest.from_dict(FORM)
        )
    assert response.status_code == 503
    assert len(server.requests) == 1


# GET /oauth/installedLocations


def _list(client: AuthenticatedClient) -> Any:
    return get_installed_location.sync_detailed(
        client=client, company_id=COMPANY_ID, is_installed=True, skip=40, limit=20
    )


@pytest.mark.parametrize("status", DOCUMENTED_STATUSES)
def test_installed_locations_sync_detailed(serve: Any, status: int) -> None:
    with serve(status, INSTALLED[status]) as (client, wire), client:
        response = _list(client)
    assert response.status_code == status
    _assert_installed_locations_parsed(status, response.parsed)
    _assert_installed_locations_wire(wire)


@pytest.mark.anyio
@pytest.mark.parametrize("status", DOCUMENTED_STATUSES)
async def test_installed_locations_asyncio_detailed(serve: Any, status: int) -> None:
    with serve(status, INSTALLED[status]) as (client, wire):
        async with client:
            response = await get_installed_location.asyncio_detailed(
                client=client, company_id=COMPANY_ID, is_installed=True, skip=40, limit=20
            )
    assert response.status_code == status
    _assert_installed_locations_parsed(status, response.parsed)
    _assert_installed_locations_wire(wire)


def test_installed_locations_sync_returns_the_page(serve: Any) -> None:
    with serve(200, INSTALLED[200]) as (client, wire), client:
        page = get_installed_location.sync(client=client, company_id=COMPANY_ID, is_installed=True, skip=40, limit=20)
    _assert_installed_locations_parsed(200, page)
    _assert_installed_locations_wire(wire)


def test_installed_locations_sends_only_the_parameters_given(serve: Any) -> None:
    with serve(200, INSTALLED[200]) as (client, wire), client:
        get_installed_location.sync(client=client, company_id=COMPANY_ID)
        get_installed_location.sync(
            client=client, company_id=COMPANY_ID, app_id="app 1", is_installed=False, query="New York"
        )
    first, second = wire
    assert first.raw_path == f"/oauth/installedLocations?companyId={COMPANY_ID}"
    assert second.raw_path == (
        f"/oauth/installedLocations?companyId={COMPANY_ID}&appId=app+1&isInstalled=false&query=New+York"
    )


@pytest.mark.parametrize("status", [400, 401, 422])
def test_installed_locations_sync_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status, INSTALLED[status]) as (client, wire), client, pytest.raises(APIStatusError) as caught:
        get_installed_location.sync(client=client, company_id=COMPANY_ID, is_installed=True, skip=40, limit=20)
    assert type(caught.value) is ERRORS[status]
    assert caught.value.status_code == status
    assert caught.value.error == INSTALLED[status].get("error")
    _assert_installed_locations_wire(wire)


@pytest.mark.anyio
@pytest.mark.parametrize("status", [400, 401, 422])
async def test_installed_locations_asyncio_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status, INSTALLED[status]) as (client, _):
        async with client:
            with pytest.raises(APIStatusError) as caught:
                await get_installed_location.asyncio(client=client, company_id=COMPANY_ID)
    assert type(caught.value) is ERRORS[status]


# The generated client against the embedded mock: the two agree.


def test_the_generated_operations_against_the_mock() -> None:
    with MockServer(installed_locations=("loc-a", "loc-b"), uninstalled_locations=("loc-x",)) as mock:
        agency = AuthenticatedClient(base_url=mock.base_url, token=mock.authorize_agency()["access_token"])
        with agency:
            page = get_installed_location.sync(client=agency, company_id="mock-company", is_installed=True, limit=1)
            assert page.count == 2
            assert isinstance(page.locations, list)
            assert [(location.id, location.is_installed) for location in page.locations] == [("loc-a", True)]
            body = GetLocationAccessTokenRequest(company_id="mock-company", location_id="loc-b")
            token = get_location_access_token.sync(client=agency, body=body)
            assert (token.location_id, token.token_type) == ("loc-b", LOCATION_TOKEN[200]["token_type"])
            with pytest.raises(BadRequestError):
                get_location_access_token.sync(
                    client=agency, body=GetLocationAccessTokenRequest(company_id="mock-company", location_id="loc-x")
                )
        assert isinstance(token.access_token, str)
        with AuthenticatedClient(base_url=mock.base_url, token=token.access_token) as located:
            with pytest.raises(AuthenticationError):
                get_location_access_token.sync(client=located, body=body)
            with pytest.raises(AuthenticationError):
                get_installed_location.sync(client=located, company_id="mock-company")
        assert (mock.location_token_calls, mock.location_token_calls_for("loc-b"), mock.installed_locations_calls) == (
            3,
            2,
            2,
        )
