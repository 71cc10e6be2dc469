# Vendored from runtime/bulk.py by `make generate`: edit that file, never this copy.
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
with that `DailyRateLimitError`. The pace is the client's rate limiter's (HighLevel's 100 per 10 s, learned
from the answers); `concurrency` only bounds how many requests wait on it at once.
"""

import asyncio
import queue
import threading
from collections.abc import AsyncIterable, AsyncIterator, Generator, Iterable, Mapping

from attrs import evolve, frozen

from .api.contacts import get_appointments_for_contact
from .client import AuthenticatedClient
from .errors import DailyRateLimitError
from .models import GetAppointmentsResponse

DEFAULT_CONCURRENCY = 10


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


def _check_concurrency(concurrency: int) -> None:
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
        raise ValueError(f"concurrency must be a whole number >= 1, got {concurrency!r}")


def _distinct(contact_ids: Iterable[str]) -> list[str]:
    """The ids in their order, each once (a second result for the same id would be a duplicate request)."""
    if isinstance(contact_ids, str):
        raise TypeError("contact_ids must be an iterable of ids, not one str")
    return list(dict.fromkeys(contact_ids))


async def fetch_appointments(
    client: AuthenticatedClient,
    contact_ids: Iterable[str] | AsyncIterable[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> AsyncIterator[ContactResult]:
    """Yield one ContactResult per distinct contact id, as each completes (see the module docstring).

    Raises:
        ValueError: `concurrency` is not a whole number >= 1 (before anything is sent).
        TypeError: `contact_ids` is a single str.
    """
    _check_concurrency(concurrency)
    if isinstance(contact_ids, AsyncIterable):
        ids = _distinct([contact_id async for contact_id in contact_ids])
    else:
        ids = _distinct(contact_ids)
    pending = iter(ids)
    results: asyncio.Queue[ContactResult] = asyncio.Queue()
    spent: list[DailyRateLimitError] = []  # the daily limit, once an answer has said so

    async def worker() -> None:
        for contact_id in pending:
            if spent:
                await results.put(ContactResult(contact_id, error=spent[0]))
                continue
            try:
                appointments = await get_appointments_for_contact.asyncio(contact_id, client=client)
            except DailyRateLimitError as error:
                spent.append(error)
                await results.put(ContactResult(contact_id, error=error))
            except Exception as error:
                await results.put(ContactResult(contact_id, error=error))
            else:
                await results.put(ContactResult(contact_id, appointments=appointments))

    workers = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(ids)))]
    try:
        for _ in ids:
            yield await results.get()
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


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


async def fetch_appointments_by_location(
    clients: Mapping[str, AuthenticatedClient],
    pairs: Iterable[tuple[str, str]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> AsyncIterator[ContactResult]:
    """Yield one ContactResult (with its `location_id`) per distinct (location id, contact id) pair, as each
    completes. Each location's contacts go through `clients[location_id]`, with that client's rate budget:
    HighLevel counts per location, so the locations' budgets are spent in parallel (`agency.location_clients`
    makes such clients for an agency). `concurrency` bounds the requests waiting at once per location. Within a
    location, everything `fetch_appointments` says holds (a spent daily limit fails only that location's rest).

    Raises:
        ValueError: a pair is not two strs, a location has no client, or `concurrency` is wrong (before anything
            is sent).
        TypeError: `pairs` is a single str.
    """
    _check_concurrency(concurrency)
    per_location = _by_location(clients, pairs)
    results: asyncio.Queue[ContactResult] = asyncio.Queue()

    async def location(location_id: str) -> None:
        fetched = fetch_appointments(clients[location_id], per_location[location_id], concurrency=concurrency)
        async for result in fetched:
            await results.put(evolve(result, location_id=location_id))

    tasks = [asyncio.create_task(location(location_id)) for location_id in per_location]
    try:
        for _ in range(sum(len(ids) for ids in per_location.values())):
            yield await results.get()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def fetch_appointments_sync(
    client: AuthenticatedClient,
    contact_ids: Iterable[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Generator[ContactResult, None, None]:
    """`fetch_appointments` for synchronous code: `concurrency` threads share the client (and its budget).
    Stopping the iteration early stops the threads after their current request."""
    _check_concurrency(concurrency)
    ids = _distinct(contact_ids)
    pending = iter(ids)
    take = threading.Lock()  # an iterator is not thread-safe
    stop = threading.Event()
    spent: list[DailyRateLimitError] = []
    results: queue.SimpleQueue[ContactResult] = queue.SimpleQueue()

    def next_id() -> str | None:
        with take:
            return None if stop.is_set() else next(pending, None)

    def worker() -> None:
        while (contact_id := next_id()) is not None:
            if spent:
                results.put(ContactResult(contact_id, error=spent[0]))
                continue
            try:
                appointments = get_appointments_for_contact.sync(contact_id, client=client)
            except DailyRateLimitError as error:
                spent.append(error)
                results.put(ContactResult(contact_id, error=error))
            except Exception as error:
                results.put(ContactResult(contact_id, error=error))
            else:
                results.put(ContactResult(contact_id, appointments=appointments))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(concurrency, len(ids)))]
    for thread in threads:
        thread.start()
    try:
        for _ in ids:
            yield results.get()
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def fetch_appointments_by_location_sync(
    clients: Mapping[str, AuthenticatedClient],
    pairs: Iterable[tuple[str, str]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Generator[ContactResult, None, None]:
    """`fetch_appointments_by_location` for synchronous code: each location's contacts are fetched by
    `fetch_appointments_sync` (`concurrency` threads sharing that location's client and budget), every location
    at once. Stopping the iteration early stops the threads after their current request.

    Raises:
        ValueError: a pair is not two strs, a location has no client, or `concurrency` is wrong (before anything
            is sent).
        TypeError: `pairs` is a single str.
    """
    _check_concurrency(concurrency)
    per_location = _by_location(clients, pairs)
    results: queue.SimpleQueue[ContactResult] = queue.SimpleQueue()
    stop = threading.Event()

    def location(location_id: str) -> None:
        fetched = fetch_appointments_sync(clients[location_id], per_location[location_id], concurrency=concurrency)
        try:
            for result in fetched:
                results.put(evolve(result, location_id=location_id))
                if stop.is_set():
                    return
        finally:
            fetched.close()  # stops its threads

    threads = [threading.Thread(target=location, args=(location_id,), daemon=True) for location_id in per_location]
    for thread in threads:
        thread.start()
    try:
        for _ in range(sum(len(ids) for ids in per_location.values())):
            yield results.get()
    finally:
        stop.set()
        for thread in threads:
            thread.join()


__all__ = [
    "DEFAULT_CONCURRENCY",
    "ContactResult",
    "fetch_appointments",
    "fetch_appointments_by_location",
    "fetch_appointments_by_location_sync",
    "fetch_appointments_sync",
]
