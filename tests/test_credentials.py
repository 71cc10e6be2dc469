"""The credentials layer as issue 19 rebuilt it: one retry loop (the token POSTs go through the transport's),
renewal half way through a short life, bounded per-location caches, the explicit client/auth contract, and the
shape of the auth modules."""

from __future__ import annotations

import gc
import re
import time
import weakref
from typing import Any

import attrs
import httpx
import pytest
import redis
from highlevel_contacts import (
    APIConnectionError,
    AuthenticatedClient,
    Client,
    LocationTokenError,
    RateBudget,
    RetryPolicy,
    TokenRefreshError,
)
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import LocationOAuth, MemoryTokenStore, RedisTokenStore
from highlevel_contacts.client import ClientAuth
from highlevel_contacts.loopback import free_port
from highlevel_contacts.pool import ConnectionPool
from highlevel_contacts.recent import DEFAULT_KEPT
from highlevel_contacts.redis_backend import RedisUnavailableError
from highlevel_contacts.testing import MockServer

from tests.helpers import FAST_RETRY, shown
from tests.oauth_helpers import oauth_for
from tests.scripted_server import Reply, ScriptedServer
from tools.codegen import ROOT

AGENCY = {
    "access_token": "agency-AT-credentials-0001",
    "refresh_token": "agency-RT-credentials-0001",
    "userType": "Company",
    "companyId": "company-1",
    "expires_at": time.time() + 86000,
}
EVENTS = Reply.json(200, {"events": []})
AUTH_MODULES = [
    "auth.py",
    "renewing.py",
    "oauth.py",
    "location_oauth.py",
    "token_set.py",
    "memory_store.py",
    "file_store.py",
    "redis_store.py",
    "files.py",
    "recent.py",
]


def _paths(server: ScriptedServer) -> list[str]:
    return [request.raw_path for request in server.requests]


def test_a_location_token_call_closed_without_an_answer_is_retried_and_succeeds() -> None:
    location_token = Reply.json(200, {"access_token": "location-AT-credentials", "expires_in": 86399})
    with ScriptedServer([Reply(reset=True), Reply(reset=True), location_token, EVENTS]) as server:
        oauth = oauth_for(MemoryTokenStore(AGENCY))
        location = oauth.for_location("loc-a")
        with AuthenticatedClient(base_url=server.base_url, auth=location, retry=FAST_RETRY) as client:
            assert get_appointments_for_contact.sync("c1", client=client).events == []
    assert _paths(server) == ["/oauth/locationToken"] * 3 + ["/contacts/c1/appointments"]
    assert server.requests[-1].headers["Authorization"] == "Bearer location-AT-credentials"


def test_a_refresh_sent_but_unanswered_is_not_sent_again() -> None:
    store = MemoryTokenStore({**AGENCY, "expires_at": 0})
    with ScriptedServer([Reply(reset=True), EVENTS]) as server:
        oauth = oauth_for(store)
        with AuthenticatedClient(base_url=server.base_url, auth=oauth, retry=FAST_RETRY) as client:
            with pytest.raises(APIConnectionError, match="/oauth/token"):
                get_appointments_for_contact.sync("c1", client=client)
    assert _paths(server) == ["/oauth/token"]  # the refresh token may be spent: never sent twice


def test_a_refresh_that_cannot_connect_is_retried_within_the_deadline() -> None:
    store = MemoryTokenStore({**AGENCY, "expires_at": 0})
    oauth = oauth_for(store)
    started = time.monotonic()
    with AuthenticatedClient(base_url="http://127.0.0.1:9", auth=oauth, retry=FAST_RETRY, deadline=2.0) as client:
        with pytest.raises(APIConnectionError, match=r"127\.0\.0\.1:9/oauth/token"):
            get_appointments_for_contact.sync("c1", client=client)
    assert time.monotonic() - started < 5


def test_a_120_second_token_is_refreshed_at_most_twice_in_30_calls() -> None:
    with MockServer(access_token_lifetime=120, burst=(10_000, 1.0)) as mock:
        store = MemoryTokenStore({**mock.authorize(), "expires_at": 0})
        oauth = oauth_for(store)  # margin 300 s > 120 s
        with AuthenticatedClient(base_url=mock.base_url, auth=oauth) as client:
            for _ in range(30):
                get_appointments_for_contact.sync("sx6wyHhbFdRXh302LLNR", client=client)
        assert mock.token_calls == 1  # the expired seed; the 120 s token then serves every call


def test_a_short_lived_token_is_renewed_half_way_through() -> None:
    with MockServer(access_token_lifetime=1, burst=(10_000, 1.0)) as mock:
        store = MemoryTokenStore({**mock.authorize(), "expires_at": 0})
        oauth = oauth_for(store)
        with AuthenticatedClient(base_url=mock.base_url, auth=oauth) as client:
            for _ in range(30):  # 1.5 s of calls with a token that lives 1 s: renewed every 0.5 s
                get_appointments_for_contact.sync("sx6wyHhbFdRXh302LLNR", client=client)
                time.sleep(0.05)
        assert 2 <= mock.token_calls <= 6


def test_the_caches_of_locations_keep_the_recent_ones_and_let_go_of_the_rest() -> None:
    store = MemoryTokenStore(AGENCY)
    oauth = oauth_for(store)
    count = DEFAULT_KEPT + 10
    auths = [weakref.ref(oauth.for_location(f"loc-{index}")) for index in range(count)]
    stores = [weakref.ref(store.for_location(f"loc-{index}")) for index in range(count)]
    gc.collect()
    assert [reference() is None for reference in auths[:10] + stores[:10]] == [True] * 20  # the oldest: let go
    assert all(reference() is not None for reference in auths[10:] + stores[10:])  # the recent ones: kept
    kept = oauth.for_location("loc-kept")
    assert oauth.for_location("loc-kept") is kept  # while in use, the same object
    assert kept.store is store.for_location("loc-kept")


def test_a_refused_location_is_remembered_across_batches_of_clients() -> None:
    refused = Reply.json(400, {"statusCode": 400, "message": "Location not found"})
    with ScriptedServer([refused]) as server:
        oauth = oauth_for(MemoryTokenStore(AGENCY))
        for _ in range(3):  # a batch's clients are dropped after each
            with AuthenticatedClient(base_url=server.base_url, auth=oauth.for_location("loc-x")) as client:
                with pytest.raises(LocationTokenError):
                    get_appointments_for_contact.sync("c1", client=client)
            del client
            gc.collect()
    assert _paths(server) == ["/oauth/locationToken"]


def test_a_failed_refresh_after_a_401_leaves_the_valid_token_in_use() -> None:
    unauthorized = Reply.json(401, {"statusCode": 401, "message": "The token is not authorized for this scope."})
    unavailable = Reply.json(503, {"statusCode": 503, "message": "Service Unavailable"})
    with ScriptedServer([unauthorized, unavailable, EVENTS, EVENTS]) as server:
        oauth = oauth_for(MemoryTokenStore(AGENCY))
        with AuthenticatedClient(base_url=server.base_url, auth=oauth, retry=None) as client:
            with pytest.raises(TokenRefreshError) as caught:
                get_appointments_for_contact.sync("c1", client=client)
            assert caught.value.status_code == 503
            for _ in range(2):  # the access token is good for another day: it is still sent
                assert get_appointments_for_contact.sync("c1", client=client).events == []
    assert _paths(server) == ["/contacts/c1/appointments", "/oauth/token"] + ["/contacts/c1/appointments"] * 2


def test_a_refresh_token_quoted_by_a_refusal_of_the_first_refresh_is_redacted() -> None:
    refresh_token = str(AGENCY["refresh_token"])
    refusal = Reply.json(400, {"error": "invalid_grant", "message": f"refresh token {refresh_token} is invalid"})
    with ScriptedServer([refusal]) as server:
        store = MemoryTokenStore({**AGENCY, "expires_at": 0})
        oauth = oauth_for(store)
        with AuthenticatedClient(base_url=server.base_url, auth=oauth) as client:
            with pytest.raises(TokenRefreshError) as caught:
                get_appointments_for_contact.sync("c1", client=client)
    assert refresh_token not in shown(caught.value)
    assert "<redacted>" in str(caught.value)


class _HalfAnAuth(httpx.Auth):
    secrets = ("static-token-credentials-0001",)  # an attribute, not the method ClientAuth asks for


def test_an_auth_that_is_half_a_client_auth_is_refused_when_the_client_is_built() -> None:
    with pytest.raises(TypeError, match="_HalfAnAuth has secrets but is not a ClientAuth"):
        AuthenticatedClient(base_url="http://127.0.0.1:9", auth=_HalfAnAuth())


def test_the_package_auths_implement_the_client_contract_and_plain_ones_still_work() -> None:
    oauth = oauth_for(MemoryTokenStore(AGENCY))
    assert isinstance(oauth, ClientAuth)
    assert isinstance(oauth.for_location("loc-a"), ClientAuth)
    assert isinstance(oauth.for_location("loc-a"), LocationOAuth)
    plain = httpx.BasicAuth("user", "password-credentials-0001")
    assert not isinstance(plain, ClientAuth)
    with ScriptedServer([EVENTS]) as server:
        with AuthenticatedClient(base_url=server.base_url, auth=plain) as client:
            assert get_appointments_for_contact.sync("c1", client=client).events == []
    assert server.requests[0].headers["Authorization"].startswith("Basic ")


def test_a_copy_for_another_credential_carries_every_client_setting() -> None:
    settings: dict[str, Any] = {
        "cookies": {"c": "1"},
        "headers": {"X-Trace": "1"},
        "version": "v3",
        "timeout": 7.0,
        "deadline": 9.0,
        "max_response_bytes": 1234,
        "retry": RetryPolicy(max_attempts=2),
        "rate_limit": RateBudget(5, 1.0),
        "rate_limit_key": "key-1",
        "verify_ssl": False,
        "follow_redirects": True,
        "httpx_args": {"http2": False},
        "max_connections": 7,
    }
    client = Client(base_url="http://127.0.0.1:9", **settings)
    copied = client.without_auth()
    init_fields = [field for field in attrs.fields(Client) if field.init]
    assert {str(field.alias) for field in init_fields} == {"base_url", "redis_url", "connection_pool", *settings}
    for field in init_fields:
        # never the shared pool: a token call has a connection of its own (its owner may close the pool first)
        expected = {"follow_redirects": False, "rate_limit_key": None, "connection_pool": None}.get(
            str(field.alias), getattr(client, field.name)
        )
        assert getattr(copied, field.name) == expected, field.alias


def test_no_auth_module_is_over_500_lines() -> None:
    sizes = {name: len((ROOT / "runtime" / name).read_text().splitlines()) for name in AUTH_MODULES}
    assert max(sizes.values()) <= 500, sizes


def test_nothing_in_runtime_sleeps_but_the_transport_and_the_rate_limiter() -> None:
    sleeping = sorted(
        path.name
        for path in (ROOT / "runtime").glob("*.py")
        if re.search(r"\bsleep\(", path.read_text(encoding="utf-8"))
    )
    # testing.py is the mock of HighLevel: its sleeps are the latency and the slow token calls it simulates.
    assert sleeping == ["ratelimit.py", "testing.py", "transport.py"]


def test_a_redis_token_store_error_keeps_redis_pys_error_as_its_cause_without_the_password() -> None:
    port = free_port()
    store = RedisTokenStore(f"redis://:s3cret-credentials@127.0.0.1:{port}/0")
    with pytest.raises(RedisUnavailableError) as caught:
        store.load()
    assert isinstance(caught.value.__cause__, redis.RedisError)
    assert str(caught.value) == f"Redis at 127.0.0.1:{port}/0 is unavailable: ConnectionError"
    assert "s3cret-credentials" not in shown(caught.value)
    assert "ConnectionError" in shown(caught.value)


def test_a_copy_for_another_credential_never_shares_the_pool() -> None:
    # A token call has a connection of its own: the pool's owner may close the pool before the OAuth object is done.
    pool = ConnectionPool(3)
    client = Client(base_url="http://127.0.0.1:9", connection_pool=pool)
    assert client.without_auth()._connection_pool is None
    assert client.with_token("a-token-of-the-agency-12345")._connection_pool is None
    assert client.with_headers({"X-Trace": "1"})._connection_pool is pool
