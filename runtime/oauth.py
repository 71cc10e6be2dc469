"""`HighLevelOAuth`: a Sub-Account (or agency) OAuth access token that refreshes itself, spending the rotating
refresh token once and never losing its successor.

This module calls the spec's POST /oauth/token operation (`api.oauth.get_access_token`): it is vendored with the
rest of the runtime but only works in a package generated from a spec that has that operation.
"""

import contextlib
import hashlib
import logging
from typing import Any

from .api.oauth import get_access_token
from .errors import MalformedResponseError, TokenRefreshError, TokenStoreError
from .location_oauth import LocationOAuth
from .models import GetAccessTokenRequest
from .parsing import token_refresh_error
from .recent import RecentObjects
from .renewing import DEFAULT_REFRESH_MARGIN, DEFAULT_REFUSAL_MEMORY, RenewingAuth
from .token_set import AgencyTokenStore, TokenStore, is_agency_token_set, is_location_id, received_token_set
from .types import UNSET

logger = logging.getLogger(__package__)


class HighLevelOAuth(RenewingAuth):
    """Sends HighLevel's OAuth access token, refreshing it before expiry and once on a 401 (the rules are
    renewing.RenewingAuth's). Pass it as `AuthenticatedClient(base_url=..., auth=HighLevelOAuth(...))`. One
    instance may serve any number of clients, threads and tasks; the token endpoint is called through the first
    client's settings (base URL, timeouts, deadline, retry policy).

    HighLevel rotates the refresh token on every use, so the new token set is saved to the store before its
    access token is used, and a refresh token is never sent twice: the token endpoint's POST is retried only
    when it provably never left (no connection could be made). A rotated token set the store refuses to keep is
    held and saved first on the next call; that call fails, so the caller learns the store is not keeping up. A
    refresh token the endpoint refused is not sent again for `refusal_memory` seconds."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        store: TokenStore,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        refusal_memory: float = DEFAULT_REFUSAL_MEMORY,
    ) -> None:
        for name, value in (("client_id", client_id), ("client_secret", client_secret)):
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a str, got {type(value).__name__}")
            if not value or value != value.strip():
                raise ValueError(f"{name} must be non-empty, without leading or trailing whitespace")
        super().__init__(refresh_margin=refresh_margin, refusal_memory=refusal_memory)
        self.client_id = client_id
        self._client_secret = client_secret
        self.store = store
        self._unsaved: dict[str, Any] | None = None  # a rotated token set the store refused: saved before use
        # Each location's auth (its token held, its remembered refusal), while a client uses it or while it is among
        # the most recently used: bounded however many locations an agency has.
        self._locations: RecentObjects[LocationOAuth] = RecentObjects()

    def __repr__(self) -> str:
        return f"HighLevelOAuth(client_id={self.client_id!r}, store={self.store!r})"

    def for_location(self, location_id: str) -> LocationOAuth:
        """An httpx.Auth for one location of this agency (Company) token set: use it as
        `AuthenticatedClient(base_url=..., auth=agency.for_location(location_id))`. The same object is returned
        for the same location while one is in use (or among the 1,024 most recently used), so every client of a
        location shares its token and its remembered refusal.

        Raises:
            ValueError: `location_id` is not a location id (letters, digits, `_`, `-`; at most 128).
            TypeError: the store cannot keep location tokens (it has no `for_location`).
        """
        if not is_location_id(location_id):
            raise ValueError(f"location_id must be a location id (letters, digits, _ and -), got {location_id!r}")
        store = self.store
        if not isinstance(store, AgencyTokenStore):
            raise TypeError(f"{self.store!r} cannot keep location tokens: it needs for_location(location_id)")
        return self._locations.get(
            location_id,
            lambda: LocationOAuth(
                self,
                location_id,
                store.for_location(location_id),
                refresh_margin=self.refresh_margin,
                refusal_memory=self.refusal_memory,
            ),
        )

    def company_id(self) -> str | None:
        """The token set's companyId (an agency token set's company), as the store holds it."""
        company = self.store.load().get("companyId")
        return company if isinstance(company, str) and company else None

    def location_id(self) -> str | None:
        """The token set's locationId (the key of a shared rate budget), as the store holds it."""
        location = self.store.load().get("locationId")
        return location if isinstance(location, str) and location else None

    def agency_token_set(self) -> dict[str, Any]:
        """The agency's token set to ask location tokens with, refreshed first if due. Raises TokenStoreError
        when the store's token set is not an agency's (userType Company, with a companyId)."""
        if not is_agency_token_set(self.store.load()):
            raise TokenStoreError(
                f"{self.store!r}: a location token needs an agency token set (userType Company, with a companyId); "
                "this one is not"
            )
        return self.current_token_set()

    def secrets(self) -> tuple[str, ...]:
        """What must never appear in an error or a log line: the client secret, the tokens held, and the access
        tokens of its locations (for_location)."""
        held = [self._held, self._unsaved]
        tokens = [str(token_set[name]) for token_set in held if token_set for name in ("access_token", "refresh_token")]
        located = self._locations.values()
        return (self._client_secret, *tokens, *(token for location in located for token in location.held()))

    # the refresh ---------------------------------------------------------------------------------------------

    def _pending(self) -> bool:
        return self._unsaved is not None

    def _current(self) -> dict[str, Any]:
        """The store's token set, after saving a rotated one that an earlier save failed to keep."""
        if self._unsaved is not None:
            self.store.save(self._unsaved)
            self._unsaved = None
        return self.store.load()

    def _refusal_key(self, current: dict[str, Any] | None) -> str:
        refresh_token = str(current["refresh_token"]) if current else ""
        return hashlib.sha256(refresh_token.encode()).hexdigest()

    def _store_lock(self) -> contextlib.AbstractContextManager[None]:
        return self.store.lock()

    def _ask(self, current: dict[str, Any] | None, prepared: Any) -> dict[str, Any]:
        """Spend the refresh token for a new token set."""
        assert current is not None
        user_type = current.get("userType")
        body = GetAccessTokenRequest(
            client_id=self.client_id,
            client_secret=self._client_secret,
            grant_type="refresh_token",
            refresh_token=current["refresh_token"],
            user_type=user_type if user_type in ("Company", "Location") else UNSET,
        )
        malformed: MalformedResponseError | None = None
        # A client of its own for each refresh (once a day): no idle connection is left open between refreshes.
        # The transport retries this POST only when it provably was not sent: after it was, the server may have
        # rotated the refresh token already, and sending it again would answer invalid_grant for good.
        with self._bound().without_auth() as client:
            try:
                response = get_access_token.sync_detailed(client=client, body=body)
            except MalformedResponseError as error:
                # A 200 whose body is not quite the spec's token set: the refresh token is spent all the same, so
                # whatever tokens it carries are kept. The error quotes the body: it is neither raised nor chained.
                malformed, response = error, None
        if response is not None and response.status_code != 200:
            # the token set sent is among the secrets even before it is held (a first refresh, one after a failure)
            raise token_refresh_error(
                response, (*self.secrets(), str(current["refresh_token"]), str(current["access_token"]))
            )
        rotated = received_token_set(response.parsed if response else None, malformed, refreshable=True)
        if rotated is None:
            raise TokenRefreshError(
                200,
                message="the token endpoint answered 200 without a usable access_token and refresh_token; the "
                "refresh token sent may be spent: authorize the app again if the next call fails too",
                error=None,
                trace_id=None,
                body=b"",  # it may hold secrets
                headers={},
            )
        return rotated

    def _keep(self, token_set: dict[str, Any]) -> None:
        try:
            self.store.save(token_set)
        except Exception:
            # The old refresh token is spent: this set is the only way back in. Keep it, and save it first on the
            # next call; this call fails, so that the caller learns the store is not keeping up.
            self._unsaved = token_set
            raise
        logger.info(
            "refreshed the OAuth access token through %r (valid %d s)",
            self.store,
            round(token_set["expires_at"] - token_set["obtained_at"]),
        )


__all__ = ["HighLevelOAuth"]
