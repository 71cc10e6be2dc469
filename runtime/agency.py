"""Agency apps: the locations an agency (Company) token set can reach, and one client per location.

    from highlevel_contacts import AuthenticatedClient, agency, bulk
    from highlevel_contacts.auth import FileTokenStore, HighLevelOAuth

    BASE_URL = "https://services.leadconnectorhq.com"
    oauth = HighLevelOAuth(client_id=..., client_secret=..., store=FileTokenStore("agency.json"))
    with AuthenticatedClient(base_url=BASE_URL, auth=oauth) as agency_client:
        location_ids = list(agency.installed_location_ids(agency_client))
    pairs = [(location_id, contact_id) for location_id in location_ids for contact_id in contact_ids]
    async with agency.location_clients(oauth, location_ids, base_url=BASE_URL) as clients:
        async for result in bulk.fetch_appointments_by_location(clients, pairs):
            ...  # result.location_id, result.contact_id, result.appointments or result.error

Each location's client authenticates with `oauth.for_location(id)` (a location token asked for once per
expiry, kept in the agency store's entry for the location) and has a rate budget of its own, keyed by the
location id: HighLevel counts its limits per location, so the locations' budgets are spent in parallel.

This module calls the spec's GET /oauth/installedLocations (`api.oauth.get_installed_location`).
"""

from collections.abc import Iterable, Iterator
from typing import Any, Self

from .api.oauth import get_installed_location
from .auth import HighLevelOAuth, is_location_id
from .client import AuthenticatedClient
from .errors import MalformedResponseError
from .models import InstalledLocation
from .pool import DEFAULT_MAX_CONNECTIONS, ConnectionPool
from .types import UNSET

DEFAULT_PAGE_SIZE = 100
"""Locations asked for per installedLocations page (a server that answers fewer is paged through all the same)."""


def installed_locations(
    client: AuthenticatedClient,
    *,
    company_id: str | None = None,
    app_id: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Iterator[InstalledLocation]:
    """Every location of the company where the app is installed, a page of installedLocations at a time, each
    once. `client` authenticates with the agency's token set (`AuthenticatedClient(auth=HighLevelOAuth(...))`);
    `company_id` is by default that token set's companyId.

    Raises:
        ValueError: no `company_id` (and the client's auth has none), or `page_size` is not a whole number >= 1.
        errors.MalformedResponseError: a location's `_id` is missing or not a location id, or a page has no
            locations where `count` says there are more (it names the JSON path).
        errors.HighLevelError: the API's error answers (AuthenticationError for a token that is not an
            agency's, ...), as for any call.
    """
    if not isinstance(page_size, int) or isinstance(page_size, bool) or page_size < 1:
        raise ValueError(f"page_size must be a whole number >= 1, got {page_size!r}")
    if company_id is None and isinstance(client.auth, HighLevelOAuth):
        company_id = client.auth.company_id()
    if not company_id:
        raise ValueError("company_id is needed: pass it, or use a client with an agency HighLevelOAuth token set")
    seen: set[str] = set()
    skip = 0
    while True:
        page = get_installed_location.sync(
            client=client,
            company_id=company_id,
            is_installed=True,
            skip=skip,
            limit=page_size,
            app_id=UNSET if app_id is None else app_id,
        )
        if not isinstance(page.locations, list) and isinstance(page.count, int) and page.count > skip:
            # no list where `count` says there are more: never an empty result that is not one
            raise MalformedResponseError(
                f"an array of the {page.count - skip} locations left", page.locations, "$.locations"
            )
        locations = page.locations if isinstance(page.locations, list) else []
        new = 0
        for index, location in enumerate(locations):
            if not isinstance(location.id, str) or not is_location_id(location.id):
                raise MalformedResponseError("a location id", location.id, f"$.locations[{index}]._id")
            if location.id in seen or location.is_installed is False:
                continue
            seen.add(location.id)
            new += 1
            yield location
        skip += len(locations)
        # Done at an empty page, past `count`, or at a page of nothing new (a server that ignores `skip`).
        if not locations or new == 0 or (isinstance(page.count, int) and skip >= page.count):
            return


def installed_location_ids(
    client: AuthenticatedClient,
    *,
    company_id: str | None = None,
    app_id: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Iterator[str]:
    """The ids of `installed_locations(...)`, in the server's order."""
    for location in installed_locations(client, company_id=company_id, app_id=app_id, page_size=page_size):
        assert isinstance(location.id, str)
        yield location.id


class LocationClients(dict[str, AuthenticatedClient]):
    """One AuthenticatedClient per location id, all taking connections from `pool`; a context manager (sync or
    async) that closes them all, then the pool if it is theirs (not one the caller gave)."""

    def __init__(
        self, clients: dict[str, AuthenticatedClient], pool: ConnectionPool | None = None, *, owns_pool: bool = False
    ) -> None:
        super().__init__(clients)
        self.pool = pool
        self._owns_pool = owns_pool

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.aclose()

    def close(self) -> None:
        for client in self.values():
            client.close()
        if self.pool is not None and self._owns_pool:
            self.pool.close()

    async def aclose(self) -> None:
        for client in self.values():
            await client.aclose()
        if self.pool is not None and self._owns_pool:
            await self.pool.aclose()


def location_clients(
    agency: HighLevelOAuth,
    location_ids: Iterable[str],
    *,
    base_url: str,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    **client_options: Any,
) -> LocationClients:
    """A client for each location (each distinct id once), authenticated by `agency.for_location(id)`, with its
    own rate budget; `client_options` go to every AuthenticatedClient (timeout, rate_limit, redis_url, ...;
    with redis_url each budget's key is its location id). The clients share one pool.ConnectionPool of
    `max_connections` (a location token call, once a day, has a connection of its own): 300 locations open no
    more connections than that. A `connection_pool=` in `client_options` is used instead (and not closed with
    the clients).

    Raises:
        ValueError: a location id that is not one (see HighLevelOAuth.for_location), or `max_connections` is not
            a whole number >= 1, before any client is made.
        TypeError: `location_ids` is a single str, or the agency's store cannot keep location tokens.
    """
    if isinstance(location_ids, str):
        raise TypeError("location_ids must be an iterable of ids, not one str")
    auths = {location_id: agency.for_location(location_id) for location_id in dict.fromkeys(location_ids)}
    given = client_options.pop("connection_pool", None)
    pool = given if given is not None else ConnectionPool(max_connections)
    clients = {
        location_id: AuthenticatedClient(base_url=base_url, auth=auth, connection_pool=pool, **client_options)
        for location_id, auth in auths.items()
    }
    return LocationClients(clients, pool, owns_pool=given is None)


__all__ = [
    "DEFAULT_PAGE_SIZE",
    "LocationClients",
    "installed_location_ids",
    "installed_locations",
    "location_clients",
]
