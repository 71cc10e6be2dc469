# Vendored from runtime/location_oauth.py by `make generate`: edit that file, never this copy.
"""`LocationOAuth`: an access token for one location of an agency app, asked for with the agency's token set.

This module calls the spec's POST /oauth/locationToken operation (`api.oauth.get_location_access_token`).
"""

import contextlib
import logging
import time
from typing import Any, Protocol

from .api.oauth import get_location_access_token
from .client import Client
from .errors import LocationTokenError, MalformedResponseError, TokenStoreError
from .models import GetLocationAccessTokenRequest
from .parsing import location_token_error
from .renewing import DEFAULT_REFRESH_MARGIN, DEFAULT_REFUSAL_MEMORY, RenewingAuth
from .token_set import TokenStore, received_token_set

logger = logging.getLogger(__package__)


class Agency(Protocol):
    """What a location's auth needs of its agency's (HighLevelOAuth): its token set and its secrets."""

    def agency_token_set(self) -> dict[str, Any]: ...

    def secrets(self) -> tuple[str, ...]: ...

    def bind(self, client: Client) -> None: ...


class LocationOAuth(RenewingAuth):
    """Sends an access token for one location of an agency, obtained with the agency's (Company) token set:
    `HighLevelOAuth.for_location(location_id)` makes it; pass it as `AuthenticatedClient(auth=...)`.

    The location token is asked for (`POST /oauth/locationToken`) on first use, kept in the agency store's entry
    for the location (`store.for_location(id)`: the same JSON document form, plus `expires_at`) and reused until
    it is due (renewing.RenewingAuth's rules: single flight for every thread, task and process sharing the store;
    once after a 401). The agency's access token is refreshed first when it is the one expiring. Asking again is
    harmless (another token for the location), so the transport retries the POST like a GET. A refusal (400: app
    not installed at the location, or the location not active; 401: the agency token may not reach it or lacks
    oauth.write; 422) raises errors.LocationTokenError naming the location, and is remembered `refusal_memory`
    seconds; nothing of the agency's token set changes then."""

    refusal_ends_the_token = True  # the app cannot reach the location: no token of it is sent meanwhile

    def __init__(
        self,
        agency: Agency,
        location_id: str,
        store: TokenStore,
        *,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        refusal_memory: float = DEFAULT_REFUSAL_MEMORY,
    ) -> None:
        super().__init__(refresh_margin=refresh_margin, refusal_memory=refusal_memory)
        self.agency = agency
        self.store = store
        self._location_id = location_id

    def __repr__(self) -> str:
        return f"LocationOAuth(location_id={self._location_id!r}, store={self.store!r})"

    def bind(self, client: Client) -> None:
        """Called by AuthenticatedClient: locationToken (and the agency's refresh, unless the agency is bound
        already) is reached with the first such client's settings."""
        super().bind(client)
        self.agency.bind(client)

    def location_id(self) -> str:
        """The location (the key of its rate budget: HighLevel counts per location)."""
        return self._location_id

    def held(self) -> tuple[str, ...]:
        """The access token this location's requests are sent with, if one is held."""
        token_set = self._held
        return (str(token_set["access_token"]),) if token_set else ()

    def secrets(self) -> tuple[str, ...]:
        """The agency's secrets, the location tokens held among them (this one's too, once)."""
        return tuple(dict.fromkeys((*self.agency.secrets(), *self.held())))

    # the location token --------------------------------------------------------------------------------------

    def _current(self) -> dict[str, Any] | None:
        try:
            return self.store.load()
        except TokenStoreError:
            return None  # none yet, or one that cannot be used: a new one replaces it

    def _refusal_key(self, current: dict[str, Any] | None) -> str:
        return self._location_id  # a refusal is the location's, whatever token the store holds

    def _prepare(self) -> dict[str, Any]:
        # The agency's token set first, outside the location store's lock: a refresh takes the agency's locks,
        # which must never be waited for while holding a location's (a store may share one lock for both).
        return self.agency.agency_token_set()

    def _store_lock(self) -> contextlib.AbstractContextManager[None]:
        return self.store.lock()

    def _ask(self, current: dict[str, Any] | None, prepared: Any) -> dict[str, Any]:
        """A new location token set from locationToken, with the agency's access token (`prepared`)."""
        body = GetLocationAccessTokenRequest(company_id=str(prepared.get("companyId")), location_id=self._location_id)
        malformed: MalformedResponseError | None = None
        # A client of its own for each call (once a day per location): no idle connection is left open. A 401
        # here is not answered with a refresh of the agency's token: HighLevel answers 401 for a location the token
        # may not reach as well as for a token without oauth.write, and the agency's token set stays as it was.
        with self._bound().with_token(prepared["access_token"]).safe_to_repeat() as client:
            try:
                response = get_location_access_token.sync_detailed(client=client, body=body)
            except MalformedResponseError as error:
                # The error quotes the body, which may hold the token: it is neither raised nor chained.
                malformed, response = error, None
        if response is not None and response.status_code != 200:
            raise location_token_error(response, self._location_id, self.secrets())
        token_set = received_token_set(response.parsed if response else None, malformed, refreshable=False)
        if token_set is None:
            raise self._unusable()
        return token_set

    def _keep(self, token_set: dict[str, Any]) -> None:
        self._held = token_set  # usable even if the store cannot keep it
        try:
            self.store.save(token_set)
        except TokenStoreError as error:
            # Nothing is lost (another token can be asked for), but other processes cannot share it.
            logger.warning("could not keep the token of location %s: %s", self._location_id, error)
        logger.info(
            "got an access token for location %s (valid %d s)",
            self._location_id,
            max(0, round(token_set["expires_at"] - time.time())),
        )

    def _unusable(self) -> LocationTokenError:
        return LocationTokenError(
            200,
            location_id=self._location_id,
            message=f"no access token for location {self._location_id}: the answer is not a location token set",
            error=None,
            trace_id=None,
            body=b"",  # it may hold secrets
            headers={},
        )


__all__ = ["Agency", "LocationOAuth"]
