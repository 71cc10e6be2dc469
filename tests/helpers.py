"""What the tests share: the secret to look for, the page's field list, a client for a loopback server, everything
an error shows, one call in many threads or processes, and a rate limiter past its first answer.

Imported by test modules as `tests.helpers`; `conftest.py` holds only fixtures.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from highlevel_contacts import (
    APIStatusError,
    AuthenticatedClient,
    AuthenticationError,
    BadRequestError,
    RetryPolicy,
    UnprocessableEntityError,
)
from highlevel_contacts.models import BadRequestResponse, UnauthorizedResponse, UnprocessableEntityResponse
from highlevel_contacts.ratelimit import RateLimiter

from tests.scripted_server import ScriptedServer

# A token that is easy to find if it ever leaks into a repr, a message or a log line.
TOKEN = "pit-SECRET-7f3c9a1e-do-not-print"

# The contact of the spec's example, which the embedded mock answers with the example appointment.
CONTACT = "sx6wyHhbFdRXh302LLNR"

# The statuses the spec documents for every operation, and for each documented error the exception the client
# raises and the model it parses the body into.
DOCUMENTED_STATUSES = [200, 400, 401, 422]
ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    422: UnprocessableEntityError,
}
ERROR_MODELS: dict[int, type[Any]] = {
    400: BadRequestResponse,
    401: UnauthorizedResponse,
    422: UnprocessableEntityResponse,
}

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

# Appointment fields the spec declares beyond the docs page (HighLevel sends them; the page does not list them),
# in the spec's order, after the page's fields. A field you add to the spec goes here (README, "Adding a field").
APPOINTMENT_FIELDS_BEYOND_PAGE: list[str] = []

APPOINTMENT_FIELDS = PAGE_APPOINTMENT_FIELDS + APPOINTMENT_FIELDS_BEYOND_PAGE
"""Every property of the spec's Appointment schema, in order: the page's, then the ones beyond it."""


def appointment_fields_message(spec_fields: list[str]) -> str:
    """Why the spec's Appointment properties `spec_fields` differ from APPOINTMENT_FIELDS, and which list to update."""
    lines = [
        "The spec's Appointment properties must be the docs page's fields, in the page's order, then the fields the "
        "spec adds beyond the page. Both lists are in tests/helpers.py: PAGE_APPOINTMENT_FIELDS is an independent "
        "copy of the docs page (change it only when the page changes); APPOINTMENT_FIELDS_BEYOND_PAGE holds the "
        'fields added to the spec beyond the page, in the spec\'s order (README: "Adding a field").',
    ]
    unlisted = [name for name in spec_fields if name not in APPOINTMENT_FIELDS]
    if unlisted:
        lines.append(
            f"In the spec but in neither list: {unlisted}. A field you added to the spec: add it to "
            "APPOINTMENT_FIELDS_BEYOND_PAGE, and keep it after the page's fields in the spec."
        )
    missing = [name for name in APPOINTMENT_FIELDS if name not in spec_fields]
    if missing:
        lines.append(
            f"In a list but not in the spec: {missing}. Put it back in the spec, or remove it from its list (from "
            "PAGE_APPOINTMENT_FIELDS only if the docs page dropped it)."
        )
    if not unlisted and not missing:
        lines.append(
            f"Same fields, other order: the spec has {spec_fields}. Keep the page's fields in the page's order, "
            "then APPOINTMENT_FIELDS_BEYOND_PAGE in its order."
        )
    return "\n".join(lines)


FAST_RETRY = RetryPolicy(max_attempts=4, initial_backoff=0.01, max_backoff=2.0, max_total_wait=5.0)
"""Four attempts, waits of a few milliseconds: retry tests that finish quickly."""


def snake(name: str) -> str:
    """The Python attribute the generator derives from a JSON property name (calendarId -> calendar_id)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def client_for(server: ScriptedServer, retry: RetryPolicy | None = FAST_RETRY, **kwargs: Any) -> AuthenticatedClient:
    """An AuthenticatedClient with TOKEN for `server`."""
    return AuthenticatedClient(base_url=server.base_url, token=TOKEN, retry=retry, **kwargs)


def shown(error: BaseException) -> str:
    """Everything a log line or a traceback could show of an error and what it chains."""
    return str(error) + repr(error) + "".join(traceback.format_exception(error))


def run_threads(target: Callable[[], object], count: int, timeout: float) -> None:
    """`target` in `count` threads, all started before any is waited for; then up to `timeout` s for each to end."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)


T = TypeVar("T")


def run_in_processes(worker: Callable[..., T], jobs: Sequence[tuple[Any, ...]], timeout: float = 120) -> list[T]:
    """`worker(*job, barrier)` for each job, each in a spawned process, all sharing one barrier (for `worker` to
    wait on, so that they go together); their results in the jobs' order, each waited for up to `timeout` s.
    `worker` and the jobs must pickle: a module-level function and plain values."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(len(jobs)) as pool:  # the manager's process stops with the block
        barrier = manager.Barrier(len(jobs))
        pending = [pool.apply_async(worker, (*job, barrier)) for job in jobs]
        return [result.get(timeout=timeout) for result in pending]


def learned(limiter: RateLimiter) -> RateLimiter:
    """`limiter` after one answer without rate-limit headers, so that it no longer sends one request at a time."""
    assert limiter.acquire(None)
    limiter.answered({})
    return limiter
