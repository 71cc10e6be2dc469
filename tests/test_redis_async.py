"""The budget shared through Redis, seen from an answer already on its way: a Redis that dies while a request
travels must not cost its answer. A real valkey-server (tools/valkey.py) and the embedded mock, on 127.0.0.1."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.redis_backend import RedisUnavailableError

from tests.helpers import TOKEN
from tools.mock_server import MockServer
from tools.valkey import ValkeyServer

CONTACT = "sx6wyHhbFdRXh302LLNR"


@pytest.fixture
def valkey() -> Iterator[ValkeyServer]:
    with ValkeyServer() as server:
        yield server


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
