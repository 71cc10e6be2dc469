"""Contract tests for POST /oauth/token from the spec's own examples: the form on the wire and every documented
answer, through httpx.MockTransport and over 127.0.0.1, sync and async."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
from highlevel_contacts import (
    APIStatusError,
    Client,
)
from highlevel_contacts.api.oauth import get_access_token
from highlevel_contacts.models import GetAccessTokenRequest, GetAccessTokenResponse

from tests.helpers import ERRORS
from tests.scripted_server import SERVINGS, RecordedRequest, Reply, ScriptedServer
from tools.spec import TOKEN_PATH, request_example, response_examples

EXAMPLES = response_examples(TOKEN_PATH, "post")
FORM = request_example(TOKEN_PATH, "post")


@pytest.fixture(params=list(SERVINGS))
def serve(request: pytest.FixtureRequest) -> Any:
    """`serve(status)`: a Client answered `status` with the spec's example, and its requests."""
    serving = SERVINGS[request.param]
    return lambda status: serving(status, EXAMPLES[status], Client)


def _assert_form_on_the_wire(wire: list[RecordedRequest]) -> None:
    (request,) = wire
    assert request.method == "POST"
    assert request.raw_path == "/oauth/token"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "authorization" not in request.headers
    assert dict(urllib.parse.parse_qsl(request.body.decode(), strict_parsing=True)) == FORM


@pytest.mark.parametrize("status", sorted(EXAMPLES))
def test_sync_detailed(serve: Any, status: int) -> None:
    with serve(status) as (client, wire), client:
        response = get_access_token.sync_detailed(client=client, body=GetAccessTokenRequest.from_dict(FORM))
    assert response.status_code == status
    assert response.parsed is not None
    assert response.parsed.to_dict() == EXAMPLES[status]
    _assert_form_on_the_wire(wire)


@pytest.mark.anyio
@pytest.mark.parametrize("status", sorted(EXAMPLES))
async def test_asyncio_detailed(serve: Any, status: int) -> None:
    with serve(status) as (client, wire):
        async with client:
            response = await get_access_token.asyncio_detailed(
                client=client, body=GetAccessTokenRequest.from_dict(FORM)
            )
    assert response.parsed is not None
    assert response.parsed.to_dict() == EXAMPLES[status]
    _assert_form_on_the_wire(wire)


def test_sync_returns_the_token_set(serve: Any) -> None:
    with serve(200) as (client, _), client:
        token_set = get_access_token.sync(client=client, body=GetAccessTokenRequest.from_dict(FORM))
    assert type(token_set) is GetAccessTokenResponse
    assert (token_set.access_token, token_set.expires_in, token_set.user_type) == (
        EXAMPLES[200]["access_token"],
        86399,
        "Location",
    )
    assert token_set.approved_locations == EXAMPLES[200]["approvedLocations"]


@pytest.mark.parametrize("status", [400, 401, 422])
def test_sync_raises_the_documented_errors(serve: Any, status: int) -> None:
    with serve(status) as (client, _), client, pytest.raises(APIStatusError) as caught:
        get_access_token.sync(client=client, body=GetAccessTokenRequest.from_dict(FORM))
    assert type(caught.value) is ERRORS[status]
    assert caught.value.error == EXAMPLES[status]["error"]


def test_a_post_is_never_retried() -> None:
    with (
        ScriptedServer([Reply.json(503, {}), Reply.json(200, EXAMPLES[200])]) as server,
        Client(base_url=server.base_url) as client,
    ):
        response = get_access_token.sync_detailed(client=client, body=GetAccessTokenRequest.from_dict(FORM))
    assert response.status_code == 503
    assert len(server.requests) == 1
