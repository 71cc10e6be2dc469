# Vendored from runtime/auth.py by `make generate`: edit that file, never this copy.
"""OAuth access tokens that renew themselves: `HighLevelOAuth` (an `httpx.Auth`), `LocationOAuth` for an agency's
locations, and the stores they keep the token set in. This module is the public surface; each job has a module
of its own (renewing: the shared rules; oauth, location_oauth: the two token kinds; token_set: the document and
the store protocols; memory_store, file_store, redis_store: the stores).

    from highlevel_contacts import AuthenticatedClient
    from highlevel_contacts.auth import FileTokenStore, HighLevelOAuth

    oauth = HighLevelOAuth(client_id=..., client_secret=..., store=FileTokenStore("token.json"))
    client = AuthenticatedClient(base_url="https://services.leadconnectorhq.com", auth=oauth)

The token set is the token endpoint's 200 body as received, plus `expires_at` (Unix seconds) and `obtained_at`,
computed on receipt. A request made when the access token is due (within `refresh_margin` of expiry, or half
way through a shorter life) refreshes first; a 401 to a request sent with the token the store still holds
refreshes once and replays the request once. Refreshing is single flight: threads and tasks of a process wait
for one refresh, processes sharing a store wait for one refresh (the store's lock), and each re-reads the store
before refreshing, so whoever comes second uses the token the first one got. HighLevel rotates the refresh token
on every use, so the new token set is saved to the store before its access token is used; a refresh token is
never sent twice.
"""

from .errors import LocationTokenError, TokenRefreshError, TokenStoreError
from .file_store import FileTokenStore
from .location_oauth import LocationOAuth
from .memory_store import MemoryTokenStore
from .oauth import HighLevelOAuth
from .redis_store import RedisTokenStore
from .renewing import DEFAULT_REFRESH_MARGIN, DEFAULT_REFUSAL_MEMORY
from .token_set import DEFAULT_LOCK_TIMEOUT, AgencyTokenStore, TokenStore, is_agency_token_set, is_location_id

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "DEFAULT_REFRESH_MARGIN",
    "DEFAULT_REFUSAL_MEMORY",
    "AgencyTokenStore",
    "FileTokenStore",
    "HighLevelOAuth",
    "LocationOAuth",
    "LocationTokenError",
    "MemoryTokenStore",
    "RedisTokenStore",
    "TokenRefreshError",
    "TokenStore",
    "TokenStoreError",
    "is_agency_token_set",
    "is_location_id",
]
