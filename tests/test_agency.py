"""Agency apps over 127.0.0.1 against the embedded mock: location tokens from one agency token set (one call per
location per expiry for threads, tasks and processes), the agency token refreshed first, refusals naming the
location, installed locations paged through, and each location's rate budget spent in parallel."""

from __future__ import annotations

import asyncio
import contextlib
import json
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from highlevel_contacts import (
    AuthenticatedClient,
    AuthenticationError,
    LocationTokenError,
    MalformedResponseError,
    RateBudget,
    TokenRefreshError,
)
from highlevel_contacts.agency import installed_location_ids, location_clients
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import (
    FileTokenStore,
    HighLevelOAuth,
    LocationOAuth,
    MemoryTokenStore,
    RedisTokenStore,
    TokenStoreError,
)
from highlevel_contacts.bulk import ContactResult, fetch_appointments_by_location, fetch_appointments_by_location_sync
from highlevel_contacts.testing import MockServer

from tests.helpers import FAST_RETRY, run_in_processes, run_threads, shown
from tests.oauth_helpers import CLIENT_SECRET, oauth_for, seed_file, seed_redis
from tests.scripted_server import Reply, ScriptedServer
from tools.valkey import ValkeyServer

LOCATIONS = ["loc-a", "loc-b", "loc-c"]
KEY = "test:agency"


def _seed(mock: MockServer, expires_at: float | None = None) -> dict[str, Any]:
    """An agency token set as the store holds it: the token endpoint's body plus expires_at."""
    return {**mock.authorize_agency(), "expires_at": time.time() + 86000 if expires_at is None else expires_at}


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


async def _fetch_all(
    oauth: HighLevelOAuth, base_url: str, pairs: list[tuple[str, str]], **client_options: Any
) -> list[ContactResult]:
    locations = list(dict.fromkeys(location for location, _ in pairs))
    async with location_clients(oauth, locations, base_url=base_url, **client_options) as clients:
        return [result async for result in fetch_appointments_by_location(clients, pairs)]


# One agency token set, many locations ----------------------------------------------------------------------


def test_three_locations_of_a_hundred_contacts_take_one_location_token_each_and_no_429() -> None:
    with MockServer(burst=(20, 0.5)) as mock:
        oauth = oauth_for(MemoryTokenStore(_seed(mock)))
        pairs = [(location, f"{location}-contact-{number}") for location in LOCATIONS for number in range(100)]
        started = time.monotonic()
        results = asyncio.run(_fetch_all(oauth, mock.base_url, pairs, rate_limit=RateBudget(20, 0.5)))
        elapsed = time.monotonic() - started
        assert sorted((result.location_id, result.contact_id) for result in results) == sorted(pairs)
        assert [result.error for result in results if not result.ok] == []
        assert mock.location_token_calls == 3
        assert [mock.location_token_calls_for(location) for location in LOCATIONS] == [1, 1, 1]
        assert [mock.limits_for(location).requests for location in LOCATIONS] == [100, 100, 100]
        assert [mock.limits_for(location).rate_limited for location in LOCATIONS] == [0, 0, 0]
        assert mock.token_calls == 0  # the agency token was fresh
    # One shared budget of 20 per 0.5 s would need 300 / 40 = 7.5 s; three budgets in parallel about a third.
    assert elapsed < 4.5


def test_twenty_threads_needing_one_location_make_one_location_token_call() -> None:
    with MockServer(token_delay=0.3) as mock:
        oauth = oauth_for(MemoryTokenStore(_seed(mock)))
        barrier = threading.Barrier(20)
        events: list[str] = []
        with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:

            def call() -> None:
                barrier.wait(timeout=10)
                result = get_appointments_for_contact.sync("c1", client=client)
                events.append(str(result.events[0].id) if result.events else "")

            run_threads(call, 20, timeout=30)
        assert events == ["YS3jaqqeehkR2Is80miy"] * 20
        assert mock.location_token_calls == 1
        assert mock.limits_for("loc-a").requests == 20


def test_five_hundred_tasks_needing_one_location_make_one_location_token_call() -> None:
    with MockServer(token_delay=0.3, burst=(1000, 10.0)) as mock:
        oauth = oauth_for(MemoryTokenStore(_seed(mock)))

        async def main() -> list[int]:
            async with AuthenticatedClient(
                base_url=mock.base_url, auth=oauth.for_location("loc-b"), rate_limit=None
            ) as client:
                answers = await asyncio.gather(
                    *(get_appointments_for_contact.asyncio(f"c{n}", client=client) for n in range(500))
                )
            return [len(answer.events or []) for answer in answers]

        assert asyncio.run(main()) == [1] * 500
        assert mock.location_token_calls == 1


def test_an_expired_agency_token_is_refreshed_once_before_the_location_tokens() -> None:
    with MockServer() as mock:
        seed = _seed(mock, 0)
        store = MemoryTokenStore(seed)
        pairs = [(location, f"{location}-c{number}") for location in LOCATIONS for number in range(5)]
        results = asyncio.run(_fetch_all(oauth_for(store), mock.base_url, pairs))
        assert [result.ok for result in results] == [True] * 15
        assert mock.token_calls == 1
        assert mock.location_token_calls == 3
    held = store.load()
    assert held["refresh_token"] != seed["refresh_token"]
    assert held["userType"] == "Company"


def test_a_location_without_the_app_fails_with_its_error_and_the_others_complete() -> None:
    with MockServer() as mock:
        seed = _seed(mock)
        store = MemoryTokenStore(seed)
        pairs = [(location, f"{location}-c{number}") for location in ("loc-a", "loc-x") for number in range(5)]
        results = asyncio.run(_fetch_all(oauth_for(store), mock.base_url, pairs, retry=FAST_RETRY))
        by_location: dict[str, list[ContactResult]] = {}
        for result in results:
            assert result.location_id is not None
            by_location.setdefault(result.location_id, []).append(result)
        assert [result.ok for result in by_location["loc-a"]] == [True] * 5
        errors = [result.error for result in by_location["loc-x"]]
        assert [type(error) for error in errors] == [LocationTokenError] * 5
        first = errors[0]
        assert isinstance(first, LocationTokenError)
        assert (first.status_code, first.location_id) == (400, "loc-x")
        assert first.message == "no access token for location loc-x: Bad Request"
        assert CLIENT_SECRET not in shown(first)
        assert seed["access_token"] not in shown(first)
        # the refusal is remembered: one call for the five contacts; the agency's token set is untouched
        assert mock.location_token_calls_for("loc-x") == 1
        assert mock.limits_for("loc-x").requests == 0
    assert store.load() == seed


# Expiry and 401 --------------------------------------------------------------------------------------------


def test_a_location_token_is_reused_until_it_expires_then_asked_for_again() -> None:
    with MockServer(location_token_lifetime=1.0) as mock:
        oauth = oauth_for(MemoryTokenStore(_seed(mock)), refresh_margin=0.0)
        with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:
            for _ in range(3):
                get_appointments_for_contact.sync("c1", client=client)
            assert mock.location_token_calls == 1
            time.sleep(1.2)
            get_appointments_for_contact.sync("c1", client=client)
        assert mock.location_token_calls == 2
        assert mock.token_calls == 0


def test_a_401_with_a_location_token_asks_for_a_new_one_once() -> None:
    with MockServer() as mock:
        store = MemoryTokenStore(_seed(mock))
        oauth = oauth_for(store)
        with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:
            get_appointments_for_contact.sync("c1", client=client)
            mock.tokens.revoke(store.for_location("loc-a").load()["access_token"])
            assert get_appointments_for_contact.sync("c1", client=client).events
        assert mock.location_token_calls == 2


def test_the_agency_token_itself_is_refused_by_the_appointments_endpoint(mock: MockServer) -> None:
    with (
        AuthenticatedClient(base_url=mock.base_url, auth=oauth_for(MemoryTokenStore(_seed(mock)))) as client,
        pytest.raises(AuthenticationError),
    ):
        get_appointments_for_contact.sync("c1", client=client)


def test_a_location_token_set_is_not_an_agency_one(mock: MockServer) -> None:
    oauth = oauth_for(MemoryTokenStore({**mock.authorize(), "expires_at": time.time() + 86000}))  # userType Location
    with (
        AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client,
        pytest.raises(TokenStoreError, match="a location token needs an agency token set"),
    ):
        get_appointments_for_contact.sync("c1", client=client)
    assert mock.location_token_calls == 0


# Stores ----------------------------------------------------------------------------------------------------


def test_the_file_store_keeps_each_location_token_beside_the_agency_file(mock: MockServer, tmp_path: Path) -> None:
    agency_file = tmp_path / "agency.json"
    seed_file(agency_file, _seed(mock))
    before = agency_file.read_bytes()
    oauth = oauth_for(FileTokenStore(agency_file))
    with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:
        get_appointments_for_contact.sync("c1", client=client)
    location_file = tmp_path / "agency.location-loc-a.json"
    held = json.loads(location_file.read_text(encoding="utf-8"))
    assert held["locationId"] == "loc-a"
    assert held["expires_at"] > time.time() + 80000
    assert stat.S_IMODE(location_file.stat().st_mode) == 0o600
    assert agency_file.read_bytes() == before
    # another process (a second HighLevelOAuth on the same files) reuses it: no second call
    again = oauth_for(FileTokenStore(agency_file))
    with AuthenticatedClient(base_url=mock.base_url, auth=again.for_location("loc-a")) as client:
        get_appointments_for_contact.sync("c1", client=client)
    assert mock.location_token_calls == 1


def _fetch_location_in_a_process(base_url: str, url: str, location_id: str, barrier: Any) -> int:
    """Run in a worker process: one call for `location_id`, the agency token set in the shared Redis store."""
    store = RedisTokenStore(url, key=KEY)
    oauth = oauth_for(store)
    with AuthenticatedClient(base_url=base_url, auth=oauth.for_location(location_id)) as client:
        barrier.wait(timeout=60)
        return len(get_appointments_for_contact.sync("c1", client=client).events or [])


def test_processes_sharing_a_redis_store_ask_once_per_location() -> None:
    with ValkeyServer() as valkey, MockServer(token_delay=0.3) as mock:
        seed_redis(valkey.url, KEY, _seed(mock, 0))
        jobs = [(mock.base_url, valkey.url, location) for location in ("loc-a", "loc-b", "loc-c") * 2]
        assert run_in_processes(_fetch_location_in_a_process, jobs) == [1] * 6
        assert mock.token_calls == 1  # the expired agency token: refreshed once for all six
        assert [mock.location_token_calls_for(location) for location in LOCATIONS] == [1, 1, 1]
        held = RedisTokenStore(valkey.url, key=KEY).for_location("loc-b").load()
        assert held["locationId"] == "loc-b"


# Listing locations -------------------------------------------------------------------------------------------


def test_installed_location_ids_pages_through_every_installed_location() -> None:
    installed = tuple(f"loc-{number:03d}" for number in range(7))
    with MockServer(installed_locations=installed, uninstalled_locations=("loc-x", "loc-y")) as mock:
        oauth = oauth_for(MemoryTokenStore(_seed(mock)))
        with AuthenticatedClient(base_url=mock.base_url, auth=oauth) as client:
            assert list(installed_location_ids(client, page_size=3)) == list(installed)
        assert mock.installed_locations_calls == 3


def test_installed_location_ids_needs_a_company(mock: MockServer) -> None:
    with (
        AuthenticatedClient(base_url=mock.base_url, token="a-private-integration-token") as client,
        pytest.raises(ValueError, match="company_id is needed"),
    ):
        next(installed_location_ids(client))
    assert mock.installed_locations_calls == 0


# Bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("location_id", ["", "../x", "a/b", "loc a", "x" * 129, 7])
def test_a_location_id_that_cannot_be_one_is_refused(mock: MockServer, location_id: Any) -> None:
    oauth = oauth_for(MemoryTokenStore(_seed(mock)))
    with pytest.raises(ValueError, match="location_id must be a location id"):
        oauth.for_location(location_id)


def test_the_same_location_gives_the_same_auth(mock: MockServer) -> None:
    oauth = oauth_for(MemoryTokenStore(_seed(mock)))
    first = oauth.for_location("loc-a")
    assert isinstance(first, LocationOAuth)
    assert oauth.for_location("loc-a") is first
    assert first.location_id() == "loc-a"
    assert CLIENT_SECRET not in repr(first)


def test_pairs_for_a_location_without_a_client_are_refused_before_sending(mock: MockServer) -> None:
    oauth = oauth_for(MemoryTokenStore(_seed(mock)))

    async def main() -> None:
        async with location_clients(oauth, ["loc-a"], base_url=mock.base_url) as clients:
            with pytest.raises(ValueError, match="no client for location"):
                async for _ in fetch_appointments_by_location(clients, [("loc-a", "c1"), ("loc-b", "c2")]):
                    pass

    asyncio.run(main())
    assert mock.location_token_calls == 0
    assert mock.limits_for("loc-a").requests == 0


# Failures that must not multiply (found by an adversarial review) -------------------------------------------------

COMPANY = "mock-company"


def _scripted_agency(**kwargs: Any) -> HighLevelOAuth:
    seed = {"access_token": "agency-at", "refresh_token": "agency-rt", "expires_at": time.time() + 86000}
    return oauth_for(MemoryTokenStore({**seed, "userType": "Company", "companyId": COMPANY}), **kwargs)


def _paths(server: ScriptedServer) -> list[str]:
    return [request.raw_path.split("?")[0] for request in server.requests]


def test_a_location_store_that_cannot_save_still_uses_the_token_it_got(mock: MockServer, tmp_path: Path) -> None:
    agency_file = tmp_path / "agency.json"
    seed_file(agency_file, _seed(mock))
    (tmp_path / "agency.location-loc-a.json").mkdir()  # the location's file cannot be written
    oauth = oauth_for(FileTokenStore(agency_file))
    with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:
        for _ in range(5):
            assert get_appointments_for_contact.sync("c1", client=client).events
    assert mock.location_token_calls == 1


def test_a_store_with_one_lock_for_the_agency_and_its_locations_does_not_deadlock(mock: MockServer) -> None:
    class OneLockStore(MemoryTokenStore):
        """A store whose locations share the agency's (non-reentrant) lock, as one database lock would."""

        shared = threading.Lock()

        def lock(self) -> Any:
            @contextlib.contextmanager
            def held() -> Iterator[None]:
                if not OneLockStore.shared.acquire(timeout=5):
                    raise RuntimeError("deadlock: the store's lock was waited for 5 s")
                try:
                    yield
                finally:
                    OneLockStore.shared.release()

            return held()

        def for_location(self, location_id: str) -> MemoryTokenStore:
            child = super().for_location(location_id)
            child.lock = self.lock  # type: ignore[method-assign]
            return child

    oauth = oauth_for(OneLockStore(_seed(mock, 0)))  # expired: the agency refreshes inside the location's renewal
    with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:
        assert get_appointments_for_contact.sync("c1", client=client).events
    assert (mock.token_calls, mock.location_token_calls) == (1, 1)


@pytest.mark.parametrize("expires_in", [None, "soon", 200])
def test_a_short_or_missing_lifetime_does_not_cost_a_call_per_request(expires_in: Any) -> None:
    answer = {"access_token": "location-at", "locationId": "loc-a", "expires_in": expires_in}
    with ScriptedServer([Reply.json(200, answer), Reply.json(200, {"events": []})]) as server:
        oauth = _scripted_agency()  # refresh margin 300 s: more than a 200 s token's lifetime
        with AuthenticatedClient(base_url=server.base_url, auth=oauth.for_location("loc-a")) as client:
            for _ in range(5):
                get_appointments_for_contact.sync("c1", client=client)
    assert _paths(server) == ["/oauth/locationToken"] + ["/contacts/c1/appointments"] * 5


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        (Reply.json(500, {"statusCode": 500, "message": "Internal Server Error"}), 500),
        (Reply(200, b"<html>not json</html>"), 200),  # a malformed 200
    ],
)
def test_a_transient_location_token_failure_is_remembered_for_a_few_seconds(reply: Reply, status: int) -> None:
    with ScriptedServer([reply]) as server:
        oauth = _scripted_agency()
        with AuthenticatedClient(base_url=server.base_url, auth=oauth.for_location("loc-a"), retry=None) as client:
            for _ in range(10):
                with pytest.raises(LocationTokenError) as caught:
                    get_appointments_for_contact.sync("c1", client=client)
                assert (caught.value.status_code, caught.value.location_id) == (status, "loc-a")
                assert caught.value.__context__ is None  # the body (which may echo the token) is not kept anywhere
    assert _paths(server) == ["/oauth/locationToken"]


def test_after_a_refusal_the_token_held_is_not_used_again() -> None:
    refused = Reply.json(400, {"statusCode": 400, "message": "Bad Request"})
    unauthorized = Reply.json(401, {"statusCode": 401, "message": "Invalid token"})
    token = Reply.json(200, {"access_token": "location-at", "expires_in": 86399})
    with ScriptedServer([token, Reply.json(200, {"events": []}), unauthorized, refused]) as server:
        with AuthenticatedClient(base_url=server.base_url, auth=_scripted_agency().for_location("loc-a")) as client:
            get_appointments_for_contact.sync("c1", client=client)
            for _ in range(3):  # the app was uninstalled: a 401, a refused locationToken, then nothing sent
                with pytest.raises(LocationTokenError):
                    get_appointments_for_contact.sync("c1", client=client)
    assert _paths(server) == [
        "/oauth/locationToken",
        "/contacts/c1/appointments",
        "/contacts/c1/appointments",
        "/oauth/locationToken",
    ]


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, {"statusCode": 401, "message": "The token is not authorized for this scope.", "error": "Unauthorized"}),
        (422, {"statusCode": 422, "message": ["locationId should not be empty"], "error": "Unprocessable Entity"}),
    ],
)
def test_a_401_or_422_from_location_token_leaves_the_agency_token_set_as_it_was(
    status: int, body: dict[str, Any]
) -> None:
    with ScriptedServer([Reply.json(status, body)]) as server:
        oauth = _scripted_agency()
        before = oauth.store.load()
        for location in ("loc-a", "loc-b", "loc-c"):
            with (
                AuthenticatedClient(base_url=server.base_url, auth=oauth.for_location(location)) as client,
                pytest.raises(LocationTokenError, match=f"no access token for location {location}") as caught,
            ):
                get_appointments_for_contact.sync("c1", client=client)
            assert (caught.value.status_code, caught.value.location_id) == (status, location)
    assert _paths(server) == ["/oauth/locationToken"] * 3  # no refresh of the agency's token
    assert oauth.store.load() == before


def test_a_refusal_is_asked_again_once_its_memory_ends() -> None:
    refused = Reply.json(400, {"statusCode": 400, "message": "Bad Request"})
    token = Reply.json(200, {"access_token": "location-at", "expires_in": 86399})
    with ScriptedServer([refused, token, Reply.json(200, {"events": []})]) as server:
        location = _scripted_agency().for_location("loc-a")
        location.refusal_memory = 0.3
        with AuthenticatedClient(base_url=server.base_url, auth=location) as client:
            for _ in range(3):
                with pytest.raises(LocationTokenError):
                    get_appointments_for_contact.sync("c1", client=client)
            time.sleep(0.4)  # the app was installed meanwhile
            get_appointments_for_contact.sync("c1", client=client)
    assert _paths(server) == ["/oauth/locationToken", "/oauth/locationToken", "/contacts/c1/appointments"]


def test_async_a_401_with_a_location_token_asks_for_a_new_one_once(mock: MockServer) -> None:
    store = MemoryTokenStore(_seed(mock))
    oauth = oauth_for(store)

    async def main() -> int:
        async with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:
            await get_appointments_for_contact.asyncio("c1", client=client)
            mock.tokens.revoke(store.for_location("loc-a").load()["access_token"])
            answers = await asyncio.gather(
                *(get_appointments_for_contact.asyncio("c1", client=client) for _ in range(20))
            )
        return sum(len(answer.events or []) for answer in answers)

    assert asyncio.run(main()) == 20
    assert mock.location_token_calls == 2


def test_a_refused_refresh_token_is_not_sent_again_for_every_call(mock: MockServer) -> None:
    seed = _seed(mock, 0)
    assert mock.tokens.spend(seed["refresh_token"])  # someone else used it: invalid_grant from now on
    oauth = oauth_for(MemoryTokenStore(seed))
    with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:
        for _ in range(5):
            with pytest.raises(TokenRefreshError):
                get_appointments_for_contact.sync("c1", client=client)
    assert mock.token_calls == 1
    assert mock.location_token_calls == 0


@pytest.mark.parametrize(
    ("page", "path"),
    [
        ({"locations": [{"_id": "loc.b", "isInstalled": True}], "count": 1}, r"\$\.locations\[0\]\._id"),
        ({"locations": None, "count": 5}, r"\$\.locations should be an array of the 5 locations left"),
    ],
)
def test_a_listing_that_cannot_be_right_raises_naming_the_path(page: dict[str, Any], path: str) -> None:
    with ScriptedServer([Reply.json(200, page)]) as server:
        with AuthenticatedClient(base_url=server.base_url, auth=_scripted_agency()) as client:
            with pytest.raises(MalformedResponseError, match=path):
                list(installed_location_ids(client))


def test_sync_code_fetches_each_location_through_its_own_client_and_budget() -> None:
    with MockServer(burst=(10, 0.5)) as mock:
        oauth = oauth_for(MemoryTokenStore(_seed(mock)))
        pairs = [(location, f"{location}-c{number}") for location in LOCATIONS for number in range(30)]
        with location_clients(oauth, LOCATIONS, base_url=mock.base_url, rate_limit=RateBudget(10, 0.5)) as clients:
            results = list(fetch_appointments_by_location_sync(clients, pairs, concurrency=5))
        assert sorted((result.location_id, result.contact_id) for result in results) == sorted(pairs)
        assert all(result.ok for result in results)
        assert [mock.location_token_calls_for(location) for location in LOCATIONS] == [1, 1, 1]
        assert [mock.limits_for(location).rate_limited for location in LOCATIONS] == [0, 0, 0]


def test_sync_stopping_early_stops_every_location() -> None:
    with MockServer() as mock:
        oauth = oauth_for(MemoryTokenStore(_seed(mock)))
        pairs = [(location, f"c{number}") for location in LOCATIONS for number in range(200)]
        with location_clients(oauth, LOCATIONS, base_url=mock.base_url, rate_limit=None) as clients:
            fetched = fetch_appointments_by_location_sync(clients, pairs, concurrency=2)
            first = [next(fetched) for _ in range(5)]
            fetched.close()
        sent = sum(mock.limits_for(location).requests for location in LOCATIONS)
    assert len(first) == 5
    assert sent < 60  # the threads stopped after their current requests: far from the 600 pairs


def test_the_agency_counts_its_locations_tokens_among_its_secrets(mock: MockServer) -> None:
    store = MemoryTokenStore(_seed(mock))
    oauth = oauth_for(store)
    with AuthenticatedClient(base_url=mock.base_url, auth=oauth.for_location("loc-a")) as client:
        get_appointments_for_contact.sync("c1", client=client)
    location_token = store.for_location("loc-a").load()["access_token"]
    assert location_token in oauth.secrets()  # what the CLI redacts from every line
    assert oauth.for_location("loc-a").secrets() == oauth.secrets()
    assert CLIENT_SECRET in oauth.secrets()
