"""Bulk fetching: one result per distinct contact id, within the (learned) rate limit, nothing lost; the daily
limit ends a run with every id accounted for. Against the embedded mock on 127.0.0.1, its limits scaled down."""

from __future__ import annotations

import time
from typing import Any

import pytest
from highlevel_contacts import AuthenticatedClient, DailyRateLimitError
from highlevel_contacts.bulk import ContactResult, fetch_appointments, fetch_appointments_sync
from highlevel_contacts.testing import MockServer

from tests.helpers import TOKEN


async def _collect(client: AuthenticatedClient, ids: Any, **kwargs: Any) -> list[ContactResult]:
    return [result async for result in fetch_appointments(client, ids, **kwargs)]


@pytest.mark.anyio
async def test_three_hundred_contacts_within_a_smaller_learned_limit_nothing_lost() -> None:
    ids = [f"contact-{n:03d}" for n in range(300)]
    with MockServer(burst=(25, 0.5)) as mock:  # 25 per window, not the default 100: learned from the answers
        async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
            started = time.monotonic()
            results = await _collect(client, ids, concurrency=10)
            elapsed = time.monotonic() - started
        assert (mock.limits.requests, mock.limits.rate_limited) == (300, 0)
    assert sorted(result.contact_id for result in results) == ids
    assert all(result.ok and result.appointments and result.appointments.events for result in results)
    assert elapsed >= 5.5  # 300 at 25 per 0.5 s: the limit was kept, not outrun


@pytest.mark.anyio
async def test_the_daily_limit_ends_the_run_and_every_id_is_accounted_for() -> None:
    ids = [f"contact-{n:03d}" for n in range(100)]
    with MockServer(daily=40, burst=(1000, 1.0)) as mock:
        async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
            results = await _collect(client, ids, concurrency=5)
        sent = mock.limits.requests
    assert sorted(result.contact_id for result in results) == ids
    succeeded = [result for result in results if result.ok]
    failed = [result for result in results if not result.ok]
    assert len(succeeded) == 40
    assert all(isinstance(result.error, DailyRateLimitError) for result in failed)
    assert 40 <= sent <= 40 + 5  # only requests already in flight when the quota ran out were sent after it


@pytest.mark.anyio
async def test_one_contacts_failure_never_stops_the_others_and_ids_come_once() -> None:
    with MockServer() as mock:
        async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
            results = await _collect(client, ["a", "..", "b", "a", "", "c"], concurrency=3)
    by_id = {result.contact_id: result for result in results}
    assert len(results) == len(by_id) == 5
    assert [by_id[name].ok for name in ("a", "b", "c")] == [True, True, True]
    assert isinstance(by_id[".."].error, ValueError)
    assert isinstance(by_id[""].error, ValueError)


@pytest.mark.anyio
async def test_stopping_early_cancels_the_rest() -> None:
    with MockServer(latency=0.05) as mock:
        async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
            async for result in fetch_appointments(client, [f"c{n}" for n in range(100)], concurrency=4):
                assert result.ok
                break
        time.sleep(0.2)
        assert mock.limits.requests < 20


def test_sync_callers_get_the_same() -> None:
    ids = [f"contact-{n:02d}" for n in range(40)] + ["..", "contact-00"]
    with MockServer(burst=(20, 0.5)) as mock:
        with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
            results = list(fetch_appointments_sync(client, ids, concurrency=6))
        assert mock.limits.rate_limited == 0
    assert len(results) == 41
    assert sum(result.ok for result in results) == 40
    assert [type(result.error) for result in results if not result.ok] == [ValueError]


@pytest.mark.parametrize("concurrency", [0, -1, 1.5, True])
def test_concurrency_must_be_a_whole_number(concurrency: Any) -> None:
    client = AuthenticatedClient(base_url="http://127.0.0.1:9", token=TOKEN)
    with pytest.raises(ValueError, match="concurrency must be a whole number >= 1"):
        list(fetch_appointments_sync(client, ["a"], concurrency=concurrency))


def test_a_single_string_is_not_a_list_of_ids() -> None:
    client = AuthenticatedClient(base_url="http://127.0.0.1:9", token=TOKEN)
    with pytest.raises(TypeError, match="not one str"):
        list(fetch_appointments_sync(client, "abc"))
