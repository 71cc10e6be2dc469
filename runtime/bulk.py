"""Appointments for many contacts at once, within the client's rate budget, nothing lost.

    async for result in fetch_appointments(client, contact_ids, concurrency=10):
        if result.error is None:
            save(result.contact_id, result.appointments)
        else:
            log_failure(result.contact_id, result.error)

Each distinct contact id gets exactly one `ContactResult`, as its fetch completes: the parsed appointments, or
the error that ended it (a `HighLevelError` after the client's retries, or a caller mistake such as a
`ValueError` for an id that cannot be a path segment). A failure of one contact never stops the others, except
the daily rate limit: once it is spent, nothing more is sent, and every id not yet fetched is yielded as failed
with that `DailyRateLimitError`; and a run where nothing can succeed: when `stop_after_failures` (5) results in a
row fail the same hopeless way before any success (no connection to the base URL at all, or the token set's
refresh refused for good) and the requests still in flight fail too, nothing more is sent and every id not sent
yet is yielded as failed with an `errors.RunStoppedError` naming that cause (a run that has had a success keeps
going through failures). The pace
is the client's rate limiter's (HighLevel's 100 per 10 s, learned from the answers); `concurrency` only bounds
how many requests wait on it at once.
"""

import contextlib
import copy
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterable, Generator, Hashable, Iterable, Mapping

import httpx
from attrs import define, frozen

from .api.contacts import get_appointments_for_contact
from .client import AuthenticatedClient
from .errors import (
    APIConnectionError,
    AuthenticationError,
    DailyRateLimitError,
    HighLevelError,
    LocationTokenError,
    RunStoppedError,
    TokenRefreshError,
)
from .models import GetAppointmentsResponse
from .pool import DEFAULT_MAX_CONNECTIONS
from .renewing import REFUSAL_STATUSES
from .workers import WAIT, run_async, run_threads

DEFAULT_CONCURRENCY = 10

DEFAULT_MAX_IN_FLIGHT = DEFAULT_MAX_CONNECTIONS
"""Requests in flight at once across every location of a by-location fetch (the connections its clients share)."""

STOP_AFTER_FAILURES = 5
"""A run whose first this many results failed the same hopeless way, with nothing succeeded, stops sending."""


@frozen
class ContactResult:
    """What became of one contact id: `appointments` when it was fetched, else `error`; `location_id` is the
    location it was fetched from (fetch_appointments_by_location), else None."""

    contact_id: str
    appointments: GetAppointmentsResponse | None = None
    error: Exception | None = None
    location_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _check_count(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    return value


def _check_stop_after(value: object) -> int | None:
    return None if value is None else _check_count("stop_after_failures", value)


def _distinct(contact_ids: Iterable[str]) -> list[str]:
    """The ids in their order, each once (a second result for the same id would be a duplicate request)."""
    if isinstance(contact_ids, str):
        raise TypeError("contact_ids must be an iterable of ids, not one str")
    return list(dict.fromkeys(contact_ids))


def _by_location(clients: Mapping[str, AuthenticatedClient], pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each location's distinct contact ids, in the order given; ValueError/TypeError for pairs that cannot be."""
    if isinstance(pairs, str):
        raise TypeError("pairs must be an iterable of (location id, contact id) pairs, not one str")
    by_location: dict[str, list[str]] = {}
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(part, str) for part in pair)):
            raise ValueError(f"each pair must be a (location id, contact id) tuple of two strs, got {pair!r}")
        by_location.setdefault(pair[0], []).append(pair[1])
    missing = sorted(location_id for location_id in by_location if location_id not in clients)
    if missing:
        raise ValueError(f"no client for location(s) {', '.join(missing)}: clients must have one per location")
    return {location_id: _distinct(ids) for location_id, ids in by_location.items()}


# The policy: what is sent next, and when a run stops ---------------------------------------------------------


def _hopeless(result: ContactResult) -> Hashable | None:
    """How `result` failed, when that failure says nothing else can succeed either (the same base URL, the same
    credential): no connection at all (refused, DNS, TLS, connect timeout), the token set's refresh refused for
    good (400/401/403/404/422: the user must act), or in a single-client run the same 401 answer (status and
    message: "Invalid JWT") for its one token. None for anything else: a 422 for one id, a location's own refusal
    (the other locations may do fine), a refresh that may pass (5xx, 429), a read timeout or a reset."""
    error = result.error
    if isinstance(error, APIConnectionError) and isinstance(error.__cause__, httpx.ConnectError | httpx.ConnectTimeout):
        return ("connect", type(error.__cause__).__name__)
    if (
        isinstance(error, TokenRefreshError)
        and not isinstance(error, LocationTokenError)
        and error.status_code in REFUSAL_STATUSES
    ):
        return ("refresh", error.status_code)
    if isinstance(error, AuthenticationError) and result.location_id is None:
        return ("refused", error.status_code, error.message)
    return None


@define
class _Location:
    client: AuthenticatedClient
    pending: deque[str]
    in_flight: int = 0
    spent: DailyRateLimitError | None = None  # this location's daily limit, once an answer has said so


@frozen
class _Task:
    """One contact id to fetch from one location; `error` set: not to be sent, it already failed with that."""

    location_id: str | None
    contact_id: str
    client: AuthenticatedClient
    error: Exception | None = None


class _Schedule:
    """Which (location, contact id) goes next: the locations in turn, each with at most `concurrency` requests in
    flight; none for a location whose daily limit is spent; none once the run stopped (the ids left are handed
    out failed with RunStoppedError). The one policy of both the async and the thread-pool fetch; not
    thread-safe, callers hold their lock.

    A run stops when `stop_after` hopeless failures of one kind come in a row before any success, and then only
    once the requests still in flight have failed too: one of them succeeding means something can succeed, and
    the run goes on."""

    def __init__(
        self,
        locations: Mapping[str | None, tuple[AuthenticatedClient, list[str]]],
        concurrency: int,
        stop_after: int | None,
    ) -> None:
        self._locations = {key: _Location(client, deque(ids)) for key, (client, ids) in locations.items()}
        self._turn = deque(key for key, location in self._locations.items() if location.pending)
        self._concurrency = concurrency
        self._stop_after = stop_after
        self._in_flight = 0
        self._succeeded = False
        self._streak: tuple[Hashable, int] | None = None  # the hopeless failure repeated, and how often
        self._stopping: RunStoppedError | None = None  # decided, once the requests in flight have failed too
        self.stopped: RunStoppedError | None = None
        self.total = sum(len(ids) for _, ids in locations.values())

    def take(self) -> _Task | str | None:
        """The next task, None when every id has been handed out, or WAIT (every location with ids left has
        `concurrency` requests in flight, or a stop is pending)."""
        if self._stopping is not None:
            if self._in_flight:
                return WAIT if self._turn else None
            self.stopped, self._stopping = self._stopping, None
        for _ in range(len(self._turn)):
            key = self._turn.popleft()
            location = self._locations[key]
            if not location.pending:
                continue  # done: out of the turn
            self._turn.append(key)
            failed = self.stopped or location.spent
            if failed is not None:
                # a copy each: a caller that raises one result's error must not grow the others' tracebacks
                return _Task(key, location.pending.popleft(), location.client, copy.copy(failed))
            if location.in_flight < self._concurrency:
                location.in_flight += 1
                self._in_flight += 1
                return _Task(key, location.pending.popleft(), location.client)
        return WAIT if self._turn else None

    def finish(self, task: _Task, result: ContactResult) -> None:
        """Account for a sent task's result."""
        if task.error is not None:
            return
        location = self._locations[task.location_id]
        location.in_flight -= 1
        self._in_flight -= 1
        if isinstance(result.error, DailyRateLimitError):
            location.spent = result.error
        if result.error is None:
            self._succeeded, self._stopping = True, None
        if self._succeeded or self._stop_after is None or self.stopped is not None:
            return
        how = _hopeless(result)
        if how is None:
            self._streak = None
            return
        count = self._streak[1] + 1 if self._streak is not None and self._streak[0] == how else 1
        self._streak = (how, count)
        if count >= self._stop_after and self._stopping is None and isinstance(result.error, HighLevelError):
            self._stopping = RunStoppedError(result.error, count)


def _failed(task: _Task, error: Exception) -> ContactResult:
    return ContactResult(task.contact_id, error=error, location_id=task.location_id)


async def _fetch_async(task: _Task) -> ContactResult:
    if task.error is not None:
        return _failed(task, task.error)
    try:
        appointments = await get_appointments_for_contact.asyncio(task.contact_id, client=task.client)
    except Exception as error:
        return _failed(task, error)
    return ContactResult(task.contact_id, appointments=appointments, location_id=task.location_id)


def _fetch_sync(task: _Task, client: AuthenticatedClient) -> ContactResult:
    if task.error is not None:
        return _failed(task, task.error)
    try:
        appointments = get_appointments_for_contact.sync(task.contact_id, client=client)
    except Exception as error:
        return _failed(task, error)
    return ContactResult(task.contact_id, appointments=appointments, location_id=task.location_id)


def _run_async(schedule: _Schedule, workers: int) -> AsyncGenerator[ContactResult, None]:
    return run_async(schedule, _fetch_async, min(workers, schedule.total))


def _run_threads(schedule: _Schedule, workers: int) -> Generator[ContactResult, None, None]:
    return run_threads(schedule, _fetch_sync, min(workers, schedule.total), "highlevel-bulk")


# The four ways in ----------------------------------------------------------------------------------------------


async def fetch_appointments(
    client: AuthenticatedClient,
    contact_ids: Iterable[str] | AsyncIterable[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    stop_after_failures: int | None = STOP_AFTER_FAILURES,
) -> AsyncGenerator[ContactResult, None]:
    """Yield one ContactResult per distinct contact id, as each completes (see the module docstring).
    `stop_after_failures`: when that many results in a row failed the same hopeless way before any success (no
    connection to the base URL, the token set's refresh refused for good) and the requests in flight fail too,
    nothing more is sent and every id not sent yet fails with errors.RunStoppedError (None: never stop early).
    Closing the iteration early (`aclose()`, a `break`) cancels the requests in flight.

    Raises:
        ValueError: `concurrency` or `stop_after_failures` is not a whole number >= 1 (before anything is sent).
        TypeError: `contact_ids` is a single str.
    """
    _check_count("concurrency", concurrency)
    stop_after = _check_stop_after(stop_after_failures)
    if isinstance(contact_ids, AsyncIterable):
        ids = _distinct([contact_id async for contact_id in contact_ids])
    else:
        ids = _distinct(contact_ids)
    schedule = _Schedule({None: (client, ids)}, concurrency, stop_after)
    async with contextlib.aclosing(_run_async(schedule, concurrency)) as results:  # closed with this one
        async for result in results:
            yield result


async def fetch_appointments_by_location(
    clients: Mapping[str, AuthenticatedClient],
    pairs: Iterable[tuple[str, str]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    stop_after_failures: int | None = STOP_AFTER_FAILURES,
) -> AsyncGenerator[ContactResult, None]:
    """Yield one ContactResult (with its `location_id`) per distinct (location id, contact id) pair, as each
    completes. Each location's contacts go through `clients[location_id]`, with that client's rate budget:
    HighLevel counts per location, so the locations' budgets are spent in parallel (`agency.location_clients`
    makes such clients for an agency, sharing one pool of connections). At most `concurrency` requests per
    location and `max_in_flight` in all wait or travel at once (the locations take turns), whatever the number
    of locations. Within a location, everything `fetch_appointments` says holds (a spent daily limit fails only
    that location's rest); the run stops early as there, except that one location's refusal stops only that
    location (its token refused: its other ids fail at once, without a request).

    Raises:
        ValueError: a pair is not two strs, a location has no client, or `concurrency`, `max_in_flight` or
            `stop_after_failures` is wrong (before anything is sent).
        TypeError: `pairs` is a single str.
    """
    _check_count("concurrency", concurrency)
    _check_count("max_in_flight", max_in_flight)
    stop_after = _check_stop_after(stop_after_failures)
    per_location = _by_location(clients, pairs)
    schedule = _Schedule(
        {location_id: (clients[location_id], ids) for location_id, ids in per_location.items()},
        concurrency,
        stop_after,
    )
    async with contextlib.aclosing(_run_async(schedule, max_in_flight)) as results:  # closed with this one
        async for result in results:
            yield result


def fetch_appointments_sync(
    client: AuthenticatedClient,
    contact_ids: Iterable[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    stop_after_failures: int | None = STOP_AFTER_FAILURES,
) -> Generator[ContactResult, None, None]:
    """`fetch_appointments` for synchronous code: `concurrency` threads share the client (and its budget).
    Closing the iteration early (`close()`, a `break`) stops the threads after the request each is sending; one
    waiting for a rate-limit slot gives up without sending.

    Raises (at the call, before anything is sent):
        ValueError: `concurrency` or `stop_after_failures` is not a whole number >= 1.
        TypeError: `contact_ids` is a single str.
    """
    _check_count("concurrency", concurrency)
    stop_after = _check_stop_after(stop_after_failures)
    schedule = _Schedule({None: (client, _distinct(contact_ids))}, concurrency, stop_after)
    return _run_threads(schedule, concurrency)


def fetch_appointments_by_location_sync(
    clients: Mapping[str, AuthenticatedClient],
    pairs: Iterable[tuple[str, str]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    stop_after_failures: int | None = STOP_AFTER_FAILURES,
) -> Generator[ContactResult, None, None]:
    """`fetch_appointments_by_location` for synchronous code: one pool of at most `max_in_flight` threads serves
    every location (at most `concurrency` of them on one location at once), however many locations there are.
    Closing the iteration early stops the threads after the request each is sending.

    Raises:
        ValueError: a pair is not two strs, a location has no client, or `concurrency`, `max_in_flight` or
            `stop_after_failures` is wrong (before anything is sent).
        TypeError: `pairs` is a single str.
    """
    _check_count("concurrency", concurrency)
    _check_count("max_in_flight", max_in_flight)
    stop_after = _check_stop_after(stop_after_failures)
    per_location = _by_location(clients, pairs)
    schedule = _Schedule(
        {location_id: (clients[location_id], ids) for location_id, ids in per_location.items()},
        concurrency,
        stop_after,
    )
    return _run_threads(schedule, max_in_flight)


__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_IN_FLIGHT",
    "STOP_AFTER_FAILURES",
    "ContactResult",
    "fetch_appointments",
    "fetch_appointments_by_location",
    "fetch_appointments_by_location_sync",
    "fetch_appointments_sync",
]
