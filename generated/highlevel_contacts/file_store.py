# Vendored from runtime/file_store.py by `make generate`: edit that file, never this copy.
"""`FileTokenStore`: the token set in a JSON file, shared by every process that uses the file."""

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import TokenStoreError
from .files import CrossProcessLock, lock_path, warn_if_shared, write_atomically
from .token_set import DEFAULT_LOCK_TIMEOUT, checked, parse_json_document


class FileTokenStore:
    """The token set in a JSON file (mode 0600), written atomically (temporary file, fsync, rename), with a lock
    file beside it (`<path>.lock`) so that processes sharing the file refresh once between them. A symlinked file
    is read and written through to its target (the link stays a link) and locked beside the target. A file that
    its group or others can read is used, with one warning naming it and the fix. Works wherever Python does
    (the lock is `filelock`'s: flock, or msvcrt on Windows). Seed the file with the JSON body of your first
    authorization-code exchange plus `expires_at`."""

    def __init__(
        self, path: str | os.PathLike[str], *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, refreshable: bool = True
    ) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.refreshable = refreshable  # False for a location's token set, which has no refresh token

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    @property
    def lock_path(self) -> Path:
        """The lock file: `<target>.lock` beside the file the path leads to."""
        return lock_path(self.path)

    def for_location(self, location_id: str) -> "FileTokenStore":
        """The store of one location's token set: a file beside this one, `<stem>.location-<id><suffix>`
        (`token.json` -> `token.location-l1C08ntBrFjLS0elLIYU.json`), with its own lock file (removed again
        when no token set was saved: a refused location leaves no file behind)."""
        name = f"{self.path.stem}.location-{location_id}{self.path.suffix}"
        return FileTokenStore(self.path.with_name(name), lock_timeout=self.lock_timeout, refreshable=False)

    def load(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise TokenStoreError(
                f"{self.path}: no token set; seed the file with the JSON body of your first authorization-code "
                "exchange plus expires_at (see the README's OAuth section)"
            ) from None
        except OSError as error:
            raise TokenStoreError(f"{self.path}: cannot read the token set ({type(error).__name__})") from error
        except ValueError:  # UnicodeDecodeError
            raise TokenStoreError(f"{self.path}: the token set is not UTF-8 text") from None
        warn_if_shared(self.path, "OAuth tokens")
        return checked(parse_json_document(text, str(self.path)), str(self.path), refreshable=self.refreshable)

    def save(self, token_set: dict[str, Any]) -> None:
        data = json.dumps(token_set, indent=2, sort_keys=True).encode("utf-8") + b"\n"
        try:
            write_atomically(self.path, data)
        except OSError as error:
            raise TokenStoreError(
                f"{self.path}: cannot save the token set ({type(error).__name__}); the file keeps the previous one"
            ) from error

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return self._held()

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        lock = CrossProcessLock(self.path, timeout=self.lock_timeout)
        try:
            lock.acquire()
        except TimeoutError:
            raise TokenStoreError(
                f"{lock.path}: another process held the refresh lock for {self.lock_timeout} s"
            ) from None
        except OSError as error:
            raise TokenStoreError(f"{lock.path}: cannot open the lock file ({type(error).__name__})") from error
        try:
            yield
        finally:
            # A location's lock that guards no token set (the location was refused) goes with it, so that refused
            # locations leave no files behind; two processes asking for its token at once only ask twice.
            lock.release(remove=not self.refreshable and not self.path.exists())


__all__ = ["FileTokenStore"]
