from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tools.mock_server import MockServer
from tools.spec import response_examples

# A token that is easy to find if it ever leaks into a repr, a message or a log line.
TOKEN = "pit-SECRET-7f3c9a1e-do-not-print"

DATE_FIELDS = frozenset({"startTime", "endTime", "dateAdded", "dateUpdated"})


def snake(name: str) -> str:
    """The Python attribute the generator derives from a JSON property name (calendarId -> calendar_id)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


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
