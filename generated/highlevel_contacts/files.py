# Vendored from runtime/files.py by `make generate`: edit that file, never this copy.
"""Files that hold what must not be lost or shown: written atomically, through symlinks, readable by the owner
only, locked across processes. One place for each of these rules (the file token store uses them; so does the
command line's output).

The cross-process lock is `filelock` (flock where `fcntl` exists, `msvcrt.locking` on Windows, and a lock file
created exclusively where neither does). Compared with portalocker, filelock has no dependencies of its own,
ships type hints, and is what pip, virtualenv and tox lock with; portalocker's extra (Redis locks) is not needed
here.
"""

import contextlib
import errno
import logging
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__package__)

_PRIVATE_MODE = 0o600
_WARNED: set[str] = set()  # files already warned about (once per process each)


def target(path: Path) -> Path:
    """Where `path` really is: a symlink (a secrets mount, a shared location) is followed to its target, so that
    it is written through and stays a link. A path that does not exist yet is itself."""
    return Path(os.path.realpath(path))


def write_atomically(path: Path, data: bytes, *, mode: int = _PRIVATE_MODE) -> None:
    """Replace the file at `path` (its symlink's target, if it is one) with `data`: a temporary file beside the
    target, written, flushed to disk, given `mode`, then renamed over it (and the rename flushed), so a reader or
    a crash sees the old content or the new one, never a part. Raises OSError; the file then keeps what it had,
    and no temporary file is left; a target that is not a regular file (a device, a pipe) is never replaced."""
    with writing_atomically(path, mode=mode) as file:
        file.write(data)


@contextlib.contextmanager
def writing_atomically(path: Path, *, mode: int = _PRIVATE_MODE) -> Iterator[BinaryIO]:
    """write_atomically as a stream, for content too large to hold in memory: yields the temporary file (binary)
    to write; when the block ends without an exception it is flushed to disk and renamed over the target, as
    write_atomically does. An exception in the block (or OSError in the flush or rename) leaves the file as it
    was and removes the temporary file; a process killed meanwhile leaves it behind (`stale_temporaries`)."""
    destination = target(path)
    if destination.exists() and not destination.is_file():
        # A device, a pipe or a directory: renaming over it would replace it (as root, /dev/full itself).
        raise OSError(errno.EINVAL, "not a regular file", str(destination))
    descriptor, temporary = tempfile.mkstemp(
        dir=destination.parent, prefix=_temporary_prefix(destination), suffix=_TEMPORARY_SUFFIX
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            if hasattr(os, "fchmod"):  # not on Windows before Python 3.13, where the mode is only read-only or not
                os.fchmod(file.fileno(), mode)
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(destination.parent)


_TEMPORARY_SUFFIX = ".tmp"
# mkstemp puts 8 characters of this alphabet between the prefix and the suffix (CPython's tempfile._RandomNameSequence).
_TEMPORARY_NAME = r"[a-z0-9_]{8}"


def _temporary_prefix(destination: Path) -> str:
    return f".{destination.name}."


def stale_temporaries(path: Path) -> list[Path]:
    """The temporary files that writing_atomically left beside the target of `path` when its process was killed
    mid-write. Another process may be writing one of them right now: remove them only while holding the file's
    CrossProcessLock, which every writer of the file holds. Only names exactly as mkstemp makes them are
    listed, so that another file's temporaries (`.<name>.x.<random>.tmp` of a file named `<name>.x`) are not."""
    destination = target(path)
    pattern = re.compile(re.escape(_temporary_prefix(destination)) + _TEMPORARY_NAME + re.escape(_TEMPORARY_SUFFIX))
    try:
        entries = list(os.scandir(destination.parent))
    except OSError:
        return []
    return sorted(
        Path(entry.path) for entry in entries if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
    )


def _sync_directory(directory: Path) -> None:
    """Make a rename in `directory` survive a crash (POSIX; Windows cannot open a directory, nor needs to)."""
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def warn_if_shared(path: Path, what: str) -> None:
    """Log one warning per process and file when `path` (its target) can be read by its group or others: it holds
    `what`, which only its owner should read. POSIX only (Windows has no such mode bits)."""
    if os.name != "posix":
        return
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    key = str(target(path))
    if mode & (stat.S_IRWXG | stat.S_IRWXO) and key not in _WARNED:
        _WARNED.add(key)
        logger.warning(
            "%s holds %s and can be read by others (mode %o): run `chmod 600 %s`", path, what, stat.S_IMODE(mode), key
        )


def lock_path(path: Path) -> Path:
    """The lock file of `path`: beside its target (`<target>.lock`), so users of a link and of what it points
    to share one lock."""
    destination = target(path)
    return destination.with_name(destination.name + ".lock")


class CrossProcessLock:
    """The cross-process lock of one file (its lock_path): `acquire()`, then `release()`."""

    def __init__(self, path: Path, *, timeout: float) -> None:
        # Imported here, not at the top: `import highlevel_contacts` needs no lock library, and where neither fcntl
        # nor msvcrt exists filelock warns at import that it falls back to an exclusively created lock file.
        import filelock

        self.path = lock_path(path)
        self._lock = filelock.FileLock(self.path, timeout=timeout)
        self._timeout_error = filelock.Timeout
        self._timeout = timeout

    def acquire(self) -> None:
        """Raises TimeoutError when another process held it for the timeout, OSError when the lock file cannot be
        made."""
        try:
            self._lock.acquire()
        except self._timeout_error:
            raise TimeoutError(f"{self.path}: held by another process for {self._timeout} s") from None

    def release(self, *, remove: bool = False) -> None:
        """`remove`: delete the lock file too, while still holding it, for a lock that guards no file (nothing was
        saved). A process that opened the lock file a moment before may then lock the removed one while a newcomer
        locks a new one: use it only where two holders at once cost no more than work done twice."""
        if remove:
            with contextlib.suppress(OSError):  # gone already; or open elsewhere, on Windows: it stays, as before
                self.path.unlink()
        self._lock.release()


__all__ = [
    "CrossProcessLock",
    "lock_path",
    "stale_temporaries",
    "target",
    "warn_if_shared",
    "write_atomically",
    "writing_atomically",
]
