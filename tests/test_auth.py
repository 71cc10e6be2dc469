"""OAuth tokens that refresh themselves, against the embedded mock's token endpoint on 127.0.0.1: before expiry,
on a 401, once for 50 threads, 500 tasks and two processes, rotation never lost, refusals never retried."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from highlevel_contacts import AuthenticatedClient, AuthenticationError, HighLevelError
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import (
    FileTokenStore,
    HighLevelOAuth,
    MemoryTokenStore,
    TokenRefreshError,
    TokenStoreError,
)
from highlevel_contacts.testing import MockServer

from tests.helpers import CONTACT, run_in_processes, run_threads, shown
from tests.oauth_helpers import CLIENT_ID, CLIENT_SECRET, expired, fetch_in_a_process, oauth_for, seed_file


def _client(mock: MockServer, oauth: HighLevelOAuth, **kwargs: Any) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=mock.base_url, auth=oauth, **kwargs)


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer(token_delay=0.2, burst=(10_000, 1.0)) as server:  # rate limits are not what this tests
        yield server


def test_an_expired_token_refreshes_once_and_the_call_succeeds(mock: MockServer, tmp_path: Path) -> None:
    seed = mock.authorize()
    store = seed_file(tmp_path / "token.json", expired(seed))
    with _client(mock, oauth_for(store)) as client:
        assert get_appointments_for_contact.sync(CONTACT, client=client).events
        assert get_appointments_for_contact.sync(CONTACT, client=client).events
    assert mock.token_calls == 1
    saved = json.loads((tmp_path / "token.json").read_text())
    assert saved["access_token"] != seed["access_token"]
    assert saved["refresh_token"] != seed["refresh_token"]
    assert set(saved) == set(seed) | {"expires_at", "obtained_at"}  # the body as received, plus when
    assert time.time() + 86000 < saved["expires_at"] <= time.time() + 86399
    assert stat.S_IMODE(os.stat(tmp_path / "token.json").st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")] == []


def test_a_token_within_the_margin_refreshes_first(mock: MockServer) -> None:
    store = MemoryTokenStore({**mock.authorize(), "expires_at": time.time() + 100})
    with _client(mock, oauth_for(store, refresh_margin=300)) as client:
        get_appointments_for_contact.sync(CONTACT, client=client)
    assert mock.token_calls == 1
    with _client(
        mock, oauth_for(MemoryTokenStore({**mock.authorize(), "expires_at": time.time() + 100}), refresh_margin=60)
    ) as client:
        get_appointments_for_contact.sync(CONTACT, client=client)
    assert mock.token_calls == 1  # outside that margin: no refresh


def test_a_401_refreshes_once_and_replays_the_request(mock: MockServer) -> None:
    seed = {**mock.authorize(), "expires_at": time.time() + 86000}
    mock.tokens.revoke(seed["access_token"])  # the client thinks it valid; the server no longer does
    store = MemoryTokenStore(seed)
    with _client(mock, oauth_for(store)) as client:
        assert get_appointments_for_contact.sync(CONTACT, client=client).events
    assert mock.token_calls == 1
    assert store.load()["access_token"] != seed["access_token"]


def test_a_second_401_raises_authentication_error(tmp_path: Path) -> None:
    with MockServer(access_token_lifetime=0.0) as mock:  # every token it issues is refused at once
        seed = {**mock.authorize(), "expires_at": time.time() + 86000}
        with _client(mock, oauth_for(MemoryTokenStore(seed), refresh_margin=0)) as client:
            with pytest.raises(AuthenticationError) as caught:
                get_appointments_for_contact.sync(CONTACT, client=client)
        assert caught.value.status_code == 401
        assert mock.token_calls == 1


def test_a_401_for_a_token_already_replaced_replays_without_refreshing(mock: MockServer) -> None:
    first = {**mock.authorize(), "expires_at": time.time() + 86000}
    store = MemoryTokenStore(first)
    with _client(mock, oauth_for(store)) as client:
        get_appointments_for_contact.sync(CONTACT, client=client)  # holds `first` now
        second = {**mock.authorize(), "expires_at": time.time() + 86000}
        store.save(second)  # another worker refreshed
        mock.tokens.revoke(first["access_token"])
        assert get_appointments_for_contact.sync(CONTACT, client=client).events
    assert mock.token_calls == 0


def test_fifty_threads_cause_one_refresh(mock: MockServer, tmp_path: Path) -> None:
    store = seed_file(tmp_path / "token.json", expired(mock.authorize()))
    client = _client(mock, oauth_for(store))
    barrier = threading.Barrier(50)
    results: list[Any] = []

    def work() -> None:
        barrier.wait()
        results.append(get_appointments_for_contact.sync(CONTACT, client=client))

    with client:
        run_threads(work, 50, timeout=60)
    assert len(results) == 50
    assert all(result.events for result in results)
    assert mock.token_calls == 1


@pytest.mark.anyio
async def test_five_hundred_tasks_cause_one_refresh(mock: MockServer) -> None:
    store = MemoryTokenStore(expired(mock.authorize()))
    async with _client(mock, oauth_for(store)) as client:
        results = await asyncio.gather(
            *(get_appointments_for_contact.asyncio(CONTACT, client=client) for _ in range(500))
        )
    assert len(results) == 500
    assert all(result.events for result in results)
    assert mock.token_calls == 1


def test_two_processes_sharing_a_file_store_cause_one_refresh(mock: MockServer, tmp_path: Path) -> None:
    seed_file(tmp_path / "token.json", expired(mock.authorize()))
    store = functools.partial(FileTokenStore, str(tmp_path / "token.json"))
    assert run_in_processes(fetch_in_a_process, [(mock.base_url, store)] * 2) == ["YS3jaqqeehkR2Is80miy"] * 2
    assert mock.token_calls == 1


def test_a_reused_refresh_token_raises_and_leaves_the_file_as_it_was(mock: MockServer, tmp_path: Path) -> None:
    seed = mock.authorize()
    assert mock.tokens.spend(seed["refresh_token"])  # someone else used it
    store = seed_file(tmp_path / "token.json", expired(seed))
    before = (tmp_path / "token.json").read_bytes()
    with _client(mock, oauth_for(store)) as client, pytest.raises(TokenRefreshError) as caught:
        get_appointments_for_contact.sync(CONTACT, client=client)
    assert (caught.value.status_code, caught.value.error) == (400, "invalid_grant")
    assert caught.value.message == "token refresh refused: Invalid grant: refresh token is invalid"
    assert (tmp_path / "token.json").read_bytes() == before
    assert mock.token_calls == 1  # not retried


class _FlakyStore(MemoryTokenStore):
    def __init__(self, token_set: dict[str, Any]) -> None:
        super().__init__(token_set)
        self.failing = True

    def save(self, token_set: dict[str, Any]) -> None:
        if self.failing:
            raise TokenStoreError("disk full")
        super().save(token_set)


def test_a_rotated_token_set_the_store_refused_is_never_lost(mock: MockServer) -> None:
    seed = expired(mock.authorize())
    store = _FlakyStore(seed)
    with _client(mock, oauth_for(store)) as client:
        with pytest.raises(TokenStoreError, match="disk full"):
            get_appointments_for_contact.sync(CONTACT, client=client)
        assert store.load() == seed  # the last good state
        store.failing = False
        assert get_appointments_for_contact.sync(CONTACT, client=client).events
    assert mock.token_calls == 1  # the rotated set was saved and used; its refresh token was not spent again
    assert store.load()["refresh_token"] != seed["refresh_token"]


def test_a_connection_failure_before_the_refresh_is_sent_is_retried(mock: MockServer) -> None:
    calls: list[str] = []
    real = httpx.HTTPTransport()

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/oauth/token" and calls.count("/oauth/token") == 1:
            raise httpx.ConnectError("connection refused", request=request)
        return real.handle_request(request)

    transport = httpx.MockTransport(handler)
    store = MemoryTokenStore(expired(mock.authorize()))
    with real, _client(mock, oauth_for(store), httpx_args={"transport": transport}) as client:
        assert get_appointments_for_contact.sync(CONTACT, client=client).events
    assert calls == ["/oauth/token", "/oauth/token", f"/contacts/{CONTACT}/appointments"]
    assert mock.token_calls == 1


def test_a_failure_after_the_refresh_was_sent_is_not_retried(mock: MockServer) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        raise httpx.ReadTimeout("no answer", request=request)

    store = MemoryTokenStore(expired(mock.authorize()))
    client = _client(mock, oauth_for(store), httpx_args={"transport": httpx.MockTransport(handler)})
    with client, pytest.raises(HighLevelError):
        get_appointments_for_contact.sync(CONTACT, client=client)
    assert calls == ["/oauth/token"]


def test_no_secret_in_reprs_errors_or_logs(mock: MockServer, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    seed = mock.authorize()
    mock.tokens.spend(seed["refresh_token"])
    store = seed_file(tmp_path / "token.json", expired(seed))
    oauth = oauth_for(store)
    with caplog.at_level(logging.DEBUG), _client(mock, oauth) as client:
        with pytest.raises(TokenRefreshError) as refused:
            get_appointments_for_contact.sync(CONTACT, client=client)
        fresh = mock.authorize()
        store.save(expired(fresh))
        get_appointments_for_contact.sync(CONTACT, client=client)
        current = store.load()
        texts = [
            repr(client),
            str(client),
            repr(oauth),
            repr(store),
            repr(MemoryTokenStore(current)),
            shown(refused.value),
        ]
    secrets = [
        CLIENT_SECRET,
        seed["access_token"],
        seed["refresh_token"],
        current["access_token"],
        current["refresh_token"],
    ]
    for secret in secrets:
        assert all(secret not in text for text in texts), secret
        assert all(secret not in record.getMessage() for record in caplog.records), secret
    assert any("refreshed the OAuth access token" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no token set; seed the file"),
        ("{not json", "the token set is not valid JSON"),
        ("[]", "the token set must be a JSON object, got list"),
        ('{"access_token": "a", "refresh_token": "r"}', "the token set has no expires_at"),
        ('{"access_token": "a", "expires_at": 0}', "the token set has no refresh_token"),
        ('{"access_token": "a\\n", "refresh_token": "r", "expires_at": 0}', "header access_token cannot be sent"),
    ],
)
def test_a_bad_store_is_a_clear_error_and_sends_nothing(
    mock: MockServer, tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "token.json"
    if content is not None:
        path.write_text(content)
    with _client(mock, oauth_for(FileTokenStore(path))) as client, pytest.raises(TokenStoreError, match=message):
        get_appointments_for_contact.sync(CONTACT, client=client)
    assert mock.token_calls == 0


def test_constructor_checks() -> None:
    store = MemoryTokenStore({"access_token": "a", "refresh_token": "r", "expires_at": 0})
    with pytest.raises(TypeError, match="client_secret must be a str, got NoneType"):
        HighLevelOAuth(client_id=CLIENT_ID, client_secret=None, store=store)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="client_secret must be non-empty, without leading or trailing whitespace"):
        HighLevelOAuth(client_id=CLIENT_ID, client_secret=CLIENT_SECRET + "\n", store=store)
    with pytest.raises(ValueError, match="pass token= or auth=, not both"):
        AuthenticatedClient(base_url="http://127.0.0.1:9", token="t", auth=oauth_for(store))
    with pytest.raises(TypeError, match=r"auth must be an httpx\.Auth"):
        AuthenticatedClient(base_url="http://127.0.0.1:9", auth="t")  # type: ignore[arg-type]


def test_the_lock_times_out_with_a_clear_error(tmp_path: Path, mock: MockServer) -> None:
    store = FileTokenStore(seed_file(tmp_path / "token.json", expired(mock.authorize())).path, lock_timeout=0.3)
    with FileTokenStore(store.path).lock():  # another holder of the same lock file (a lock of its own)
        with contextlib.ExitStack() as stack:
            client = stack.enter_context(_client(mock, oauth_for(store)))
            with pytest.raises(TokenStoreError, match=r"another process held the refresh lock for 0\.3 s"):
                get_appointments_for_contact.sync(CONTACT, client=client)
    assert mock.token_calls == 0
