"""The budget shared through Redis, seen from the event loop and from an answer already on its way: a Redis that
stops answering must not stop the loop, and one that dies while a request travels must not cost its answer.
A real valkey-server (tools/valkey.py) and the embedded mock, both on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time

import pytest
from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.redis_backend import RedisUnavailableError
from highlevel_contacts.testing import MockServer

from tests.helpers import CONTACT, TOKEN
from tools.valkey import ValkeyServer

PAUSE = 3.0  # below redis_backend.SOCKET_TIMEOUT (5 s): the paused calls wait, then go through


def _pid(server: ValkeyServer) -> int:
    assert server._process is not None
    return server._process.pid


async def _lag_monitor(stop: asyncio.Event, lags: list[float]) -> None:
    """How late each 50 ms sleep wakes up: a loop held by a blocking call wakes late by as long as it was held."""
    while not stop.is_set():
        before = time.monotonic()
        await asyncio.sleep(0.05)
        lags.append(time.monotonic() - before - 0.05)


@pytest.mark.anyio
async def test_a_paused_redis_leaves_the_event_loop_running(valkey: ValkeyServer) -> None:
    with MockServer(burst=(20, 1.0)) as mock:
        async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN, redis_url=valkey.url) as client:
            assert (await get_appointments_for_contact.asyncio_detailed(CONTACT, client=client)).status_code == 200
            stop, lags = asyncio.Event(), list[float]()
            monitor = asyncio.create_task(_lag_monitor(stop, lags))
            await asyncio.sleep(0.2)
            # The server resumes on a timer thread, whatever the loop does: a loop that stood still cannot be
            # relied on to wake the server up.
            resume = threading.Timer(PAUSE, os.kill, (_pid(valkey), signal.SIGCONT))
            os.kill(_pid(valkey), signal.SIGSTOP)
            resume.start()
            started = time.monotonic()
            try:
                calls = [get_appointments_for_contact.asyncio_detailed(CONTACT, client=client) for _ in range(30)]
                outcomes = await asyncio.gather(*calls, return_exceptions=True)
                elapsed = time.monotonic() - started
            finally:
                resume.cancel()
                os.kill(_pid(valkey), signal.SIGCONT)
                stop.set()
                await monitor
    statuses = [getattr(outcome, "status_code", type(outcome).__name__) for outcome in outcomes]
    print(f"max event-loop lag {max(lags):.3f} s over {len(lags)} samples; calls took {elapsed:.2f} s")
    assert max(lags) < 0.3
    assert elapsed >= PAUSE - 0.2  # the calls did wait for the paused server
    # Paused for less than the socket timeout: every call waited, then went through, within the mock's budget.
    assert statuses == [200] * 30
    assert (mock.limits.requests, mock.limits.rate_limited) == (31, 0)


def _stop_later(server: ValkeyServer, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, server.stop)
    timer.start()
    return timer


def test_an_answer_that_arrives_after_redis_died_is_delivered(
    valkey: ValkeyServer, caplog: pytest.LogCaptureFixture
) -> None:
    with MockServer(latency=1.0) as mock:  # every answer takes a second: Redis dies while it travels
        with AuthenticatedClient(base_url=mock.base_url, token=TOKEN, redis_url=valkey.url, retry=None) as client:
            stopper = _stop_later(valkey, 0.3)
            with caplog.at_level(logging.WARNING, logger="highlevel_contacts"):
                response = get_appointments_for_contact.sync_detailed(CONTACT, client=client)
            stopper.join()
            assert response.status_code == 200
            assert response.parsed is not None
            assert mock.limits.requests == 1
            with pytest.raises(RedisUnavailableError):  # the next request needs a slot: nothing is sent
                get_appointments_for_contact.sync_detailed(CONTACT, client=client)
        assert mock.limits.requests == 1
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert f"Redis at 127.0.0.1:{valkey.port}/0 is unavailable" in warnings[0].getMessage()
    assert "answer" in warnings[0].getMessage()


@pytest.mark.anyio
async def test_an_async_answer_that_arrives_after_redis_died_is_delivered(
    valkey: ValkeyServer, caplog: pytest.LogCaptureFixture
) -> None:
    with MockServer(latency=1.0) as mock:
        async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN, redis_url=valkey.url, retry=None) as client:
            stopper = _stop_later(valkey, 0.3)
            with caplog.at_level(logging.WARNING, logger="highlevel_contacts"):
                response = await get_appointments_for_contact.asyncio_detailed(CONTACT, client=client)
            stopper.join()
            assert response.status_code == 200
            assert response.parsed is not None
        assert mock.limits.requests == 1
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert f"Redis at 127.0.0.1:{valkey.port}/0 is unavailable" in warnings[0].getMessage()
