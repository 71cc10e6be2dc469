"""Fixtures only; shared helpers live in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from highlevel_contacts.testing import MockServer

from tools.spec import response_examples
from tools.valkey import ValkeyServer


@pytest.fixture(scope="session")
def examples() -> dict[int, Any]:
    """The documented example body of each response, read from the spec (never copied into the tests)."""
    return response_examples()


@pytest.fixture(scope="session")
def appointment_example(examples: dict[int, Any]) -> dict[str, Any]:
    event: dict[str, Any] = examples[200]["events"][0]
    return event


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def valkey() -> Iterator[ValkeyServer]:
    """A valkey-server of its own on 127.0.0.1 (tools/valkey.py), stopped after the test."""
    with ValkeyServer() as server:
        yield server
