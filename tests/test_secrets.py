"""The token never shows: not in repr() or str() of any object, not in exception messages, not in logs at any
level, and not sent to another host after a redirect."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from highlevel_contacts import (
    APIConnectionError,
    APITimeoutError,
    AuthenticatedClient,
    AuthenticationError,
    BadRequestError,
    DailyRateLimitError,
    HighLevelError,
    MalformedResponseError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    UnexpectedStatus,
    UnprocessableEntityError,
)
from highlevel_contacts.api.contacts import get_appointments_for_contact

from tests.helpers import TOKEN, client_for, shown
from tests.scripted_server import Reply, ScriptedServer, refused_url

FAST = RetryPolicy(max_attempts=2, initial_backoff=0.01)


def _assert_no_token(*objects: Any) -> None:
    for value in objects:
        assert TOKEN not in repr(value), type(value)
        assert TOKEN not in str(value), type(value)


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):  # the root logger: httpx, httpcore, tenacity and ours
        yield caplog


def _scenarios(examples: dict[int, Any]) -> list[list[Reply]]:
    return [
        [Reply.json(200, examples[200])],
        [Reply.json(503, {"message": "busy"}), Reply.json(401, examples[401])],
        [Reply.json(429, {}, headers={"X-RateLimit-Daily-Remaining": "0"})],
        [Reply.json(422, examples[422])],
        [Reply(status=200, body=b"<html>")],
        [Reply(reset=True)],
    ]


def test_token_absent_from_reprs_messages_and_logs(
    examples: dict[int, Any], all_logs: pytest.LogCaptureFixture
) -> None:
    seen: list[Any] = []
    for script in _scenarios(examples):
        with ScriptedServer(script) as server:
            client = client_for(server, retry=FAST)
            with client:
                seen += [client, client.get_httpx_client(), client.get_httpx_client().headers]
                try:
                    seen.append(get_appointments_for_contact.sync_detailed("c1", client=client))
                    seen.append(get_appointments_for_contact.sync("c1", client=client))
                except HighLevelError as error:
                    seen += [error, error.args, getattr(error, "__cause__", None)]
            assert server.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"  # it was really sent
    assert any(isinstance(value, HighLevelError) for value in seen)
    _assert_no_token(*seen)
    assert all_logs.records, "expected httpx/httpcore/retry log records to scan"
    for record in all_logs.records:
        assert TOKEN not in record.getMessage(), record.name
    assert any(record.name == "highlevel_contacts" for record in all_logs.records)


@pytest.mark.anyio
async def test_token_absent_from_the_async_client(all_logs: pytest.LogCaptureFixture) -> None:
    with ScriptedServer([Reply.json(500, {}), Reply.json(200, {"events": []})]) as server:
        client = client_for(server, retry=FAST)
        async with client:
            response = await get_appointments_for_contact.asyncio_detailed("c1", client=client)
            _assert_no_token(client, client.get_async_httpx_client().headers, response)
    for record in all_logs.records:
        assert TOKEN not in record.getMessage()


def test_authorization_is_not_sent_to_another_host_after_a_redirect() -> None:
    with ScriptedServer([Reply.json(200, {"events": []})]) as target:
        port = target.base_url.rsplit(":", 1)[1]
        elsewhere = f"http://localhost:{port}/contacts/c1/appointments"  # same machine, another host name
        with ScriptedServer([Reply(status=302, headers={"Location": elsewhere})]) as origin:
            client = AuthenticatedClient(base_url=origin.base_url, token=TOKEN, follow_redirects=True)
            with client:
                result = get_appointments_for_contact.sync("c1", client=client)
        assert result.events == []
        assert origin.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
        assert len(target.requests) == 1
        assert "Authorization" not in target.requests[0].headers
        assert target.requests[0].headers["Version"] == "2021-07-28"


def _every_failure(examples: dict[int, Any]) -> list[tuple[str, list[Reply], type[HighLevelError]]]:
    return [
        ("400", [Reply.json(400, examples[400])], BadRequestError),
        ("401", [Reply.json(401, examples[401])], AuthenticationError),
        ("422", [Reply.json(422, examples[422])], UnprocessableEntityError),
        ("429", [Reply.json(429, {"message": "slow down"})], RateLimitError),
        ("429 daily", [Reply.json(429, {}, headers={"X-RateLimit-Daily-Remaining": "0"})], DailyRateLimitError),
        ("404", [Reply.json(404, {"message": "no"})], UnexpectedStatus),
        ("500", [Reply(status=500, body=b"<html>oops</html>")], ServerError),
        ("malformed", [Reply(status=200, body=b'{"events": 5}')], MalformedResponseError),
        ("not json", [Reply(status=200, body=b"<html>")], MalformedResponseError),
        ("reset", [Reply(reset=True)], APIConnectionError),
        ("timeout", [Reply(status=200, body=b"{}", delay=0.5)], APITimeoutError),
    ]


def test_no_failure_path_shows_the_token(examples: dict[int, Any]) -> None:
    raised: list[str] = []
    for name, script, expected in _every_failure(examples):
        with ScriptedServer(script) as server, client_for(server, retry=FAST, timeout=0.2) as client:
            with pytest.raises(HighLevelError) as caught:
                get_appointments_for_contact.sync("c1", client=client)
        assert type(caught.value) is expected, name
        assert TOKEN not in shown(caught.value), name
        raised.append(name)
    url = refused_url()
    with AuthenticatedClient(base_url=url, token=TOKEN, retry=FAST) as client:
        with pytest.raises(APIConnectionError) as refused:
            get_appointments_for_contact.sync("c1", client=client)
    assert TOKEN not in shown(refused.value)
    assert len(raised) == 11


@pytest.mark.parametrize("bad_suffix", ["\n", "\r\nX-Injected: 1", "\x00"])
def test_a_token_made_bad_after_the_checks_is_redacted_from_the_lower_layers_errors(bad_suffix: str) -> None:
    """Defense in depth: h11 quotes a header value it refuses, token included; the client replaces that."""
    with ScriptedServer([Reply.json(200, {"events": []})]) as server:
        client = client_for(server, retry=None)
        client.token = TOKEN + bad_suffix  # bypasses the constructor's checks
        with client, pytest.raises(APIConnectionError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
        assert server.requests == []
    assert isinstance(caught.value.__cause__, httpx.LocalProtocolError)
    assert "<redacted>" in str(caught.value)
    assert caught.value.__cause__.__cause__ is None
    assert caught.value.__cause__.__context__ is None
    assert TOKEN not in shown(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        {"events": TOKEN},  # the token where an array belongs
        {"events": [{"id": "e1", "users": {"echo": f"Bearer {TOKEN}"}}]},  # deeper, with its scheme
    ],
)
def test_a_malformed_200_that_echoes_the_token_is_redacted(body: dict[str, Any]) -> None:
    with ScriptedServer([Reply.json(200, body)]) as server, client_for(server, retry=FAST) as client:
        with pytest.raises(MalformedResponseError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
    assert TOKEN not in shown(caught.value)
    assert TOKEN not in repr(caught.value.value)
    assert TOKEN.encode() not in caught.value.body
    assert b"<redacted>" in caught.value.body
    assert caught.value.status_code == 200
