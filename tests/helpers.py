"""What the tests share: the secret to look for, the page's field list, and a client for a loopback server.

Imported by test modules as `tests.helpers`; `conftest.py` holds only fixtures.
"""

from __future__ import annotations

import re
from typing import Any

from highlevel_contacts import AuthenticatedClient, RetryPolicy

from tests.scripted_server import ScriptedServer

# A token that is easy to find if it ever leaks into a repr, a message or a log line.
TOKEN = "pit-SECRET-7f3c9a1e-do-not-print"

DATE_FIELDS = frozenset({"startTime", "endTime", "dateAdded", "dateUpdated"})

# The Appointment fields of HighLevel's docs page (../shared/seed/get-appointments-for-contact.txt), in the page's
# order: an independent copy of the contract, so that a spec edit that drops or renames one is caught.
PAGE_APPOINTMENT_FIELDS = [
    "id",
    "calendarId",
    "status",
    "title",
    "assignedUserId",
    "notes",
    "startTime",
    "endTime",
    "address",
    "locationId",
    "contactId",
    "groupId",
    "appointmentStatus",
    "users",
    "dateAdded",
    "dateUpdated",
    "assignedResources",
]

FAST_RETRY = RetryPolicy(max_attempts=4, initial_backoff=0.01, max_backoff=2.0, max_total_wait=5.0)
"""Four attempts, waits of a few milliseconds: retry tests that finish quickly."""


def snake(name: str) -> str:
    """The Python attribute the generator derives from a JSON property name (calendarId -> calendar_id)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def client_for(server: ScriptedServer, retry: RetryPolicy | None = FAST_RETRY, **kwargs: Any) -> AuthenticatedClient:
    """An AuthenticatedClient with TOKEN for `server`."""
    return AuthenticatedClient(base_url=server.base_url, token=TOKEN, retry=retry, **kwargs)
