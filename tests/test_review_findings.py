"""Cases an adversarial review of the runtime found (each failed before its fix), over 127.0.0.1."""

from __future__ import annotations

import copy
import gzip
import json
import math
import pickle
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from highlevel_contacts import (
    APITimeoutError,
    AuthenticatedClient,
    AuthenticationError,
    Client,
    MalformedResponseError,
    RetryPolicy,
    ServerError,
    TokenRefreshError,
    TokenStoreError,
)
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import FileTokenStore, MemoryTokenStore

from tests.helpers import TOKEN, client_for, shown
from tests.oauth_helpers import CLIENT_SECRET, oauth_for
from tests.scripted_server import Reply, ScriptedServer

OLD = {"access_token": "AT-old", "refresh_token": "RT-old", "expires_at": 0}
NEW = {"access_token": "AT-new-SECRET", "refresh_token": "RT-new-SECRET", "token_type": "Bearer"}
EVENTS = Reply.json(200, {"events": []})


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({**NEW, "expires_in": 10**400}).encode(),
        json.dumps({**NEW, "expires_in": 86399, "approvedLocations": "loc1"}).encode(),
        json.dumps({**NEW, "expires_in": 86399}).encode() + b"\n}",
    ],
    ids=["huge expires_in", "approvedLocations not a list", "trailing byte"],
)
def test_an_odd_token_answer_keeps_the_rotated_tokens(body: bytes) -> None:
    store = MemoryTokenStore(OLD)
    with ScriptedServer([Reply(status=200, body=body), EVENTS, EVENTS]) as server:
        with AuthenticatedClient(base_url=server.base_url, auth=oauth_for(store)) as client:
            get_appointments_for_contact.sync("c1", client=client)
            get_appointments_for_contact.sync("c1", client=client)
        token_posts = [request for request in server.requests if request.raw_path == "/oauth/token"]
    assert len(token_posts) == 1  # RT-old is never sent twice
    assert store.load()["refresh_token"] == "RT-new-SECRET"
    assert math.isfinite(store.load()["expires_at"])


def test_a_token_answer_without_tokens_is_a_clean_error() -> None:
    store = MemoryTokenStore(OLD)
    with ScriptedServer([Reply(status=200, body=b"<html>" + CLIENT_SECRET.encode())]) as server:
        with AuthenticatedClient(base_url=server.base_url, auth=oauth_for(store)) as client:
            with pytest.raises(TokenRefreshError) as caught:
                get_appointments_for_contact.sync("c1", client=client)
    assert caught.value.status_code == 200
    assert CLIENT_SECRET not in shown(caught.value)
    assert store.load() == OLD


def test_a_custom_auth_header_cannot_follow_redirects() -> None:
    with pytest.raises(ValueError, match="follow_redirects=True needs auth_header_name='Authorization'"):
        AuthenticatedClient(
            base_url="https://x.example", token=TOKEN, auth_header_name="X-Token", follow_redirects=True
        )


def test_the_token_request_never_follows_a_redirect() -> None:
    with ScriptedServer([Reply.json(200, {**NEW, "expires_in": 86399})]) as elsewhere:
        target = elsewhere.base_url.replace("127.0.0.1", "localhost") + "/oauth/token"
        with ScriptedServer([Reply(status=307, headers={"Location": target})]) as origin:
            client = AuthenticatedClient(
                base_url=origin.base_url, auth=oauth_for(MemoryTokenStore(OLD)), follow_redirects=True
            )
            with client, pytest.raises(TokenRefreshError) as caught:
                get_appointments_for_contact.sync("c1", client=client)
        assert elsewhere.requests == []
    assert caught.value.status_code == 307


def test_a_body_of_empty_gzip_blocks_ends_at_the_deadline() -> None:
    body = gzip.compress(b"")[:10] + b"\x00\x00\x00\xff\xff" * 40  # a gzip header, then blocks of nothing
    drip = Reply(status=200, body=body, headers={"Content-Encoding": "gzip"}, drip=0.02)
    started = time.monotonic()
    with ScriptedServer([drip]) as server, client_for(server, deadline=1.0, retry=None) as client:
        with pytest.raises(APITimeoutError, match="deadline passed"):
            get_appointments_for_contact.sync("c1", client=client)
    assert time.monotonic() - started < 2.0


def test_stacked_encodings_are_refused() -> None:
    body = gzip.compress(gzip.compress(b'{"events": []}'))
    reply = Reply(status=200, body=body, headers={"Content-Encoding": "gzip, gzip"})
    with ScriptedServer([reply]) as server, client_for(server) as client:
        with pytest.raises(MalformedResponseError, match="a body in at most one Content-Encoding"):
            get_appointments_for_contact.sync("c1", client=client)


class _FailingOnce(MemoryTokenStore):
    def __init__(self, token_set: dict[str, Any]) -> None:
        super().__init__(token_set)
        self.fail_next = False

    def save(self, token_set: dict[str, Any]) -> None:
        if self.fail_next:
            self.fail_next = False
            raise TokenStoreError("disk full (once)")
        super().save(token_set)


def test_a_rotation_the_store_refused_is_saved_on_the_very_next_call() -> None:
    store = _FailingOnce({**OLD, "expires_at": time.time() + 86000})
    rotated = Reply.json(200, {**NEW, "expires_in": 86399})
    with ScriptedServer([Reply.json(401, {"message": "expired"}), rotated, EVENTS]) as server:
        with AuthenticatedClient(base_url=server.base_url, auth=oauth_for(store)) as client:
            store.fail_next = True
            with pytest.raises(TokenStoreError):
                get_appointments_for_contact.sync("c1", client=client)
            get_appointments_for_contact.sync("c1", client=client)
    assert store.load()["refresh_token"] == "RT-new-SECRET"


def test_a_retry_after_date_no_datetime_can_hold_is_ignored() -> None:
    header = {"Retry-After": "Mon, 01 Jan 2024 00:00:00 +99999999999999"}
    with ScriptedServer([Reply.json(503, {}, headers=header)]) as server, client_for(server) as client:
        with pytest.raises(ServerError):
            get_appointments_for_contact.sync("c1", client=client)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"a": 1}'.encode("utf-16"), "not UTF-8 text"),
        (b'{"access_token": "a", "refresh_token": "r", "expires_at": 1' + b"0" * 400 + b"}", "has no expires_at"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_odd_token_files_are_token_store_errors(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "token.json").write_bytes(content)
    with pytest.raises(TokenStoreError, match=message):
        FileTokenStore(tmp_path / "token.json").load()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"retry": 3}, TypeError, "retry must be a RetryPolicy or None"),
        ({"deadline": math.inf}, ValueError, "deadline must be a number of seconds > 0"),
        ({"deadline": 1e10}, ValueError, "deadline must be a number of seconds > 0"),
        ({"timeout": -1}, ValueError, "timeout must be a number of seconds > 0"),
        ({"headers": None}, TypeError, "headers must be a dict"),
        ({"max_response_bytes": 1.5}, ValueError, "max_response_bytes must be a whole number"),
    ],
)
def test_settings_that_cannot_work_are_refused_when_the_client_is_built(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        AuthenticatedClient(base_url="https://x.example", token=TOKEN, **kwargs)


@pytest.mark.parametrize("value", [math.nan, math.inf, -1.0])
def test_retry_policy_refuses_non_finite_values(value: float) -> None:
    with pytest.raises(ValueError, match="max_backoff must not be negative"):
        RetryPolicy(max_backoff=value)


def test_a_deeply_nested_malformed_value_still_pickles() -> None:
    body = b'{"events": ' + b'{"a":' * 500 + b"1" + b"}" * 500 + b"}"
    with ScriptedServer([Reply(status=200, body=body)]) as server, client_for(server) as client:
        with pytest.raises(MalformedResponseError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
    for clone in (pickle.loads(pickle.dumps(caught.value)), copy.deepcopy(caught.value)):
        assert type(clone) is MalformedResponseError
        assert clone.body == body
        assert clone.path == "$.events"


def test_an_echoed_token_is_redacted_from_the_status_error() -> None:
    reply = Reply.json(401, {"message": f"Invalid token: Bearer {TOKEN}"})
    with ScriptedServer([reply]) as server, client_for(server) as client:
        with pytest.raises(AuthenticationError) as caught:
            get_appointments_for_contact.sync("c1", client=client)
    assert caught.value.message == "Invalid token: Bearer <redacted>"
    assert TOKEN not in shown(caught.value)
    assert TOKEN.encode() not in pickle.dumps(caught.value)


def test_with_timeout_leaves_the_original_alone() -> None:
    slow = Reply(status=200, body=b'{"events": []}', delay=0.5)
    with ScriptedServer([slow]) as server, client_for(server, timeout=10.0, retry=None) as client:
        get_appointments_for_contact.sync("c1", client=client)
        impatient = client.with_timeout(0.1)
        assert get_appointments_for_contact.sync("c1", client=client).events == []
        assert impatient.get_httpx_client() is not client.get_httpx_client()
        impatient.get_httpx_client().close()


def test_a_with_deadline_copy_made_first_shares_the_connections() -> None:
    with ScriptedServer([EVENTS]) as server:
        client = client_for(server)
        quick = client.with_deadline(5.0)
        with client:
            get_appointments_for_contact.sync("c1", client=quick)
            assert quick.get_httpx_client() is client.get_httpx_client()
        assert client.get_httpx_client().is_closed


def test_a_client_without_auth_never_follows_redirects() -> None:
    client = AuthenticatedClient(base_url="https://x.example", token=TOKEN, follow_redirects=True)
    assert client.without_auth().get_httpx_client().follow_redirects is False
    assert isinstance(client.without_auth(), Client)


def test_headers_dripped_slowly_end_at_the_deadline_async() -> None:
    import asyncio
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def drip() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(30):  # 3 s at most
                try:
                    connection.sendall(b"a")
                except OSError:
                    return
                time.sleep(0.1)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()

    async def call() -> None:
        async with AuthenticatedClient(base_url=f"http://127.0.0.1:{port}", token=TOKEN, deadline=1.0, retry=None) as c:
            await get_appointments_for_contact.asyncio("c1", client=c)

    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="deadline passed"):
        asyncio.run(call())
    assert time.monotonic() - started < 2.0
    thread.join(timeout=5)
    listener.close()
    assert isinstance(httpx.Timeout(1.0), httpx.Timeout)
