"""What the OAuth tests share: the app's credentials, an OAuth for a store, token sets seeded into a file or Redis,
and the worker a process pool runs to make one call through a shared store.

Imported by test modules as `tests.oauth_helpers`; `conftest.py` holds only fixtures.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import FileTokenStore, HighLevelOAuth, TokenStore

from tests.helpers import CONTACT

CLIENT_ID = "client-id-example"
# A client secret that is easy to find if it ever leaks into a repr, a message or a log line.
CLIENT_SECRET = "client-SECRET-3e1d-do-not-print"


def oauth_for(store: Any, **kwargs: Any) -> HighLevelOAuth:
    """HighLevelOAuth with CLIENT_ID and CLIENT_SECRET over `store` (any object a test passes as a store)."""
    return HighLevelOAuth(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, store=store, **kwargs)


def expired(token_set: dict[str, Any]) -> dict[str, Any]:
    """`token_set` with an expires_at one second ago."""
    return {**token_set, "expires_at": time.time() - 1}


def seed_file(path: Path, token_set: dict[str, Any], mode: int | None = None) -> FileTokenStore:
    """Writes `token_set` to `path` as JSON (chmod to `mode` when given), as a user seeds it; its store."""
    path.write_text(json.dumps(token_set), encoding="utf-8")
    if mode is not None:
        path.chmod(mode)
    return FileTokenStore(path)


def seed_redis(url: str, key: str, token_set: dict[str, Any]) -> None:
    """One SET of `token_set` as JSON under `key`: what RedisTokenStore(url, key=key) then loads."""
    redis.Redis.from_url(url).set(key, json.dumps(token_set))


def fetch_in_a_process(base_url: str, store: Callable[[], TokenStore], barrier: Any) -> str:
    """Run in a worker process: an OAuth over `store()`, wait for the others, then one call for CONTACT through
    the shared store; the first event's id ("" without one). `store` must pickle (e.g. a functools.partial)."""
    with AuthenticatedClient(base_url=base_url, auth=oauth_for(store())) as client:
        barrier.wait(timeout=60)
        result = get_appointments_for_contact.sync(CONTACT, client=client)
    return str(result.events[0].id) if result.events else ""
