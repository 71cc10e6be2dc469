"""Error answers raise typed exceptions; bad bodies raise MalformedResponseError; nothing is lost. Over 127.0.0.1."""

from __future__ import annotations

import json
from typing import Any

import pytest
from highlevel_contacts import (
    APIStatusError,
    AuthenticatedClient,
    AuthenticationError,
    BadRequestError,
    HighLevelError,
    MalformedResponseError,
    ServerError,
    UnexpectedStatus,
    UnprocessableEntityError,
)
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.models import BadRequestResponse

from tests.helpers import client_for
from tests.scripted_server import Reply, ScriptedServer


def _client(server: ScriptedServer) -> AuthenticatedClient:
    return client_for(server, retry=None)


def _raise_from(reply: Reply) -> HighLevelError:
    with ScriptedServer([reply]) as server, _client(server) as client, pytest.raises(HighLevelError) as caught:
        get_appointments_for_contact.sync("c1", client=client)
    return caught.value


@pytest.mark.parametrize(
    ("status", "error_class", "message", "error"),
    [
        (400, BadRequestError, "Bad Request", None),
        (401, AuthenticationError, "Invalid token: access token is invalid", "Unauthorized"),
        (422, UnprocessableEntityError, "Unprocessable Entity", "Unprocessable Entity"),
    ],
)
def test_documented_errors_raise_their_class(
    examples: dict[int, Any], status: int, error_class: type[APIStatusError], message: str, error: str | None
) -> None:
    raised = _raise_from(Reply.json(status, examples[status], headers={"X-RateLimit-Remaining": "42"}))
    assert type(raised) is error_class
    assert isinstance(raised, APIStatusError)
    assert raised.status_code == status
    assert raised.message == message
    assert raised.error == error
    assert raised.trace_id is None
    assert json.loads(raised.body) == examples[status]
    assert raised.headers["x-ratelimit-remaining"] == "42"
    assert raised.rate_limit.remaining == 42
    assert str(raised) == f"HTTP {status}{' ' + error if error else ''}: {message}"


@pytest.mark.anyio
async def test_asyncio_raises_too(examples: dict[int, Any]) -> None:
    with ScriptedServer([Reply.json(422, examples[422])]) as server:
        async with _client(server) as client:
            with pytest.raises(UnprocessableEntityError) as caught:
                await get_appointments_for_contact.asyncio("c1", client=client)
    assert caught.value.message == "Unprocessable Entity"


def test_detailed_returns_the_error_response_without_raising(examples: dict[int, Any]) -> None:
    with ScriptedServer([Reply.json(400, examples[400])]) as server, _client(server) as client:
        response = get_appointments_for_contact.sync_detailed("c1", client=client)
    assert response.status_code == 400
    assert isinstance(response.parsed, BadRequestResponse)
    assert response.parsed.message == "Bad Request"


@pytest.mark.parametrize(
    ("payload", "message", "error", "trace_id"),
    [
        ({"message": "The token is not authorized for this scope."}, "The token is not authorized for this scope.",
         None, None),
        ({"statusCode": 401, "message": "Invalid JWT"}, "Invalid JWT", None, None),
        ({"statusCode": 401, "message": ["scope missing", "token expired"], "error": "Unauthorized",
          "traceId": "5f0c-trace"}, "scope missing; token expired", "Unauthorized", "5f0c-trace"),
        ({"error": "Unauthorized"}, '{"error": "Unauthorized"}', "Unauthorized", None),
    ],
)  # fmt: skip
def test_highlevel_error_body_variants(
    payload: dict[str, Any], message: str, error: str | None, trace_id: str | None
) -> None:
    raised = _raise_from(Reply.json(401, payload))
    assert isinstance(raised, AuthenticationError)
    assert (raised.message, raised.error, raised.trace_id) == (message, error, trace_id)
    if trace_id:
        assert str(raised).endswith(f"(traceId {trace_id})")


@pytest.mark.parametrize(("status", "error_class"), [(403, UnexpectedStatus), (404, UnexpectedStatus),
                                                     (409, UnexpectedStatus), (501, ServerError),
                                                     (599, ServerError), (204, UnexpectedStatus)])  # fmt: skip
def test_other_statuses(status: int, error_class: type[APIStatusError]) -> None:
    payload = {"statusCode": status, "message": "The token does not have access to this location."}
    raised = _raise_from(Reply.json(status, payload) if status != 204 else Reply(status=204))
    assert type(raised) is error_class
    assert isinstance(raised, APIStatusError)
    assert raised.status_code == status


def test_html_error_page_keeps_the_body() -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    raised = _raise_from(Reply(status=502, body=page, content_type="text/html"))
    assert type(raised) is ServerError
    assert raised.body == page
    assert raised.message == page.decode()
    assert raised.error is None


def test_empty_error_body() -> None:
    raised = _raise_from(Reply(status=500))
    assert isinstance(raised, ServerError)
    assert raised.message == "(empty body)"


@pytest.mark.parametrize(
    ("body", "path", "expected"),
    [
        (b"<html>not json</html>", "$", "a JSON document"),
        (b"", "$", "a JSON document"),
        (b"\xff\xfe", "$", "a JSON document"),
        (b'[{"events": []}]', "$", "an object"),
        (b'"events"', "$", "an object"),
        (b'{"events": {"id": "x"}}', "$.events", "an array"),
        (b'{"events": [null]}', "$.events[0]", "an object"),
        (b'{"events": [{}, {}, {}, 7]}', "$.events[3]", "an object"),
        (b'{"events": [{}, {"users": "u1"}]}', "$.events[1].users", "an array"),
        (b'{"events": [{"assignedResources": {}}]}', "$.events[0].assignedResources", "an array"),
    ],
)
def test_malformed_success_bodies(body: bytes, path: str, expected: str) -> None:
    raised = _raise_from(Reply(status=200, body=body, headers={"X-RateLimit-Remaining": "7"}))
    assert type(raised) is MalformedResponseError
    assert raised.path == path
    assert raised.expected == expected
    assert raised.body == body
    assert raised.status_code == 200
    assert raised.headers["x-ratelimit-remaining"] == "7"
    assert str(raised).startswith(f"malformed response (HTTP 200): {path} should be {expected}, got ")


def test_malformed_error_names_the_offending_value() -> None:
    raised = _raise_from(Reply.json(200, {"events": [{}, "not-an-event"], "traceId": "t-1"}))
    assert isinstance(raised, MalformedResponseError)
    assert raised.value == "not-an-event"
    assert raised.trace_id == "t-1"
    assert str(raised) == ("malformed response (HTTP 200): $.events[1] should be an object, got 'not-an-event' (str)")


def test_malformed_is_raised_by_detailed_too() -> None:
    with ScriptedServer([Reply(status=200, body=b"[]")]) as server, _client(server) as client:
        with pytest.raises(MalformedResponseError):
            get_appointments_for_contact.sync_detailed("c1", client=client)


def test_malformed_error_body_still_raises_its_status_class() -> None:
    raised = _raise_from(Reply(status=401, body=b"[1, 2]"))
    assert isinstance(raised, AuthenticationError)
    assert raised.message == "[1, 2]"


def test_nulls_odd_scalars_and_unknown_fields_are_kept() -> None:
    payload = {
        "events": [
            {"id": 123, "status": "noshow", "title": None, "users": [1, None], "startTime": 1700000000,
             "customField": {"nested": True}},
        ],
        "total": 1,
    }  # fmt: skip
    with ScriptedServer([Reply.json(200, payload)]) as server, _client(server) as client:
        result = get_appointments_for_contact.sync("c1", client=client)
    assert isinstance(result.events, list)
    event: Any = result.events[0]  # Any: the odd values below are exactly what the declared types rule out
    assert event.id == 123
    assert event.status == "noshow"
    assert event.title is None
    assert event.users == [1, None]
    assert event.start_time == 1700000000
    assert event.additional_properties == {"customField": {"nested": True}}
    assert result.additional_properties == {"total": 1}
    assert result.to_dict() == payload


def test_events_null_is_none_not_an_error() -> None:
    with ScriptedServer([Reply.json(200, {"events": None})]) as server, _client(server) as client:
        result = get_appointments_for_contact.sync("c1", client=client)
    assert result.events is None
