# Vendored from runtime/output.py by `make generate`: edit that file, never this copy.
"""The command line's output file: one writer at a time, resumed as a stream, written or failing in one line.

- `one_writer(path)`: the run holds the file's cross-process lock (`files.CrossProcessLock`, beside it as
  `<name>.lock`) from before it reads the file to resume until it has written its last line; a second run on
  the same file is refused at once (OutputBusy) instead of interleaving its lines or rewriting the file under
  the first. Holding the lock, it removes the temporary files of a rewrite that a kill interrupted. A device or
  a pipe (`-o /dev/stdout`, `/dev/full`) is not locked: it is never rewritten, and /dev is no place for a lock.
- `resume(path)`: the (location, contact) pairs a jsonl output already holds appointments for, read line by
  line; when lines must go (failed contacts, repeats, a last line cut short) the file is rewritten as a stream
  through `files.writing_atomically`, keeping its mode. Memory grows by a digest per pair, not with the file.
- `guarded_writes(name)`: an OSError while writing (a full disk, a closed pipe, permission) becomes WriteFailed,
  whose message is one line naming the file and the OS error.

It knows the jsonl lines the command writes (`{"contactId": ..., "events": [...]}`, or `"error"` instead of
`"events"`, and `"locationId"` with locations), and nothing of the command's options.
"""

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from . import files
from .ids import DigestSet

Key = tuple[str | None, str]
"""One unit of work: (location id, or None without locations; contact id)."""


def key_text(key: Key) -> str:
    """The text a Key is kept as in a DigestSet: JSON, so that no location id and contact id can run together."""
    return json.dumps(key)


class OutputBusy(Exception):
    """Another process holds the output's lock."""


class ResumeRefused(Exception):
    """The file cannot be resumed (its message says why, and what to do)."""


class WriteFailed(Exception):
    """Writing the output failed; str() is the one line to show."""

    def __init__(self, name: str, error: OSError) -> None:
        super().__init__(name, error)
        self.name, self.error = name, error

    def __str__(self) -> str:
        return f"cannot write {self.name}: {self.error.strerror or type(self.error).__name__}"


def _is_regular_or_absent(path: Path) -> bool:
    destination = files.target(path)
    return not destination.exists() or destination.is_file()


@contextlib.contextmanager
def one_writer(path: Path) -> Iterator[None]:
    """Hold the lock of output `path` for the block, and remove the temporaries an interrupted rewrite left.

    Raises:
        OutputBusy: another process holds it (at once: the lock is tried, not waited for).
        OSError: the lock file cannot be made (a directory that cannot be written).
    """
    if not _is_regular_or_absent(path):
        yield
        return
    lock = files.CrossProcessLock(path, timeout=0)
    try:
        lock.acquire()
    except TimeoutError:
        raise OutputBusy(
            f"{path}: another run is writing this file (it holds {lock.path}); wait for it to end, or write to "
            "another file"
        ) from None
    try:
        for stale in files.stale_temporaries(path):
            with contextlib.suppress(OSError):  # gone already, or not ours to remove: the run can still go on
                stale.unlink()
        yield
    finally:
        lock.release()


def success_key(line: object) -> Key | None:
    """The (location id, contact id) of a jsonl line that holds a contact's appointments."""
    if isinstance(line, dict) and isinstance(line.get("contactId"), str) and isinstance(line.get("events"), list):
        location_id = line.get("locationId")
        return (location_id if isinstance(location_id, str) else None, line["contactId"])
    return None


def resume(path: Path) -> DigestSet:
    """The key_text of each (location id, contact id) pair the jsonl file at `path` already holds appointments
    for (location id None for lines without one); empty when there is no file. Lines of failed contacts
    (fetched again), repeated pairs and a last line cut short by an interruption are dropped: the file is
    rewritten atomically without them, keeping its mode. Call it holding one_writer(path).

    Raises:
        ResumeRefused: a line this command does not write (the file is left as it is), a file that is not a
            regular file, or one that cannot be read or rewritten.
    """
    try:
        source = files.target(path).open("rb")
    except FileNotFoundError:
        return DigestSet()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ResumeRefused(f"cannot read {path}: {reason}; make it readable, or run without --resume") from None
    with source:
        mode = os.fstat(source.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise ResumeRefused(
                f"{path} is not a regular file: resume a file that an earlier run wrote, or run without --resume"
            )
        try:
            done, unchanged = _kept_lines(source, path, None)
            if not unchanged:
                source.seek(0)
                with files.writing_atomically(path, mode=stat.S_IMODE(mode)) as rewritten:
                    _kept_lines(source, path, rewritten)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise ResumeRefused(
                f"cannot rewrite {path}: {reason}; it is rewritten through a temporary file beside it: make "
                f"{files.target(path).parent} writable, or run without --resume"
            ) from None
    return done


def _kept_lines(source: BinaryIO, path: Path, kept: BinaryIO | None) -> tuple[DigestSet, bool]:
    """Read `source` line by line: the pairs done, and whether every line is kept as it is; the kept lines are
    written to `kept` (when given)."""
    done = DigestSet()
    unchanged = True
    for number, raw in enumerate(source, start=1):
        try:
            line = json.loads(raw)
        except ValueError:
            line = None
        key = success_key(line)
        if key is not None and done.add(key_text(key)):
            if not raw.endswith(b"\n"):
                raw += b"\n"
                unchanged = False
            if kept is not None:
                kept.write(raw)
        elif key is None and not (isinstance(line, dict) and isinstance(line.get("error"), dict)):
            if not raw.endswith(b"\n"):  # only the last line can lack its line end: one an interruption cut short
                unchanged = False
                continue
            raise ResumeRefused(
                f"line {number} of {path} is not a line this command writes: move it away, or give another file "
                "to --output"
            )
        else:
            unchanged = False  # a failed contact (fetched again) or a repeat
    return done, unchanged


@contextlib.contextmanager
def guarded_writes(name: str) -> Iterator[None]:
    """Turn an OSError raised in the block (by a write or flush of the output) into WriteFailed naming `name`."""
    try:
        yield
    except OSError as error:
        raise WriteFailed(name, error) from None


def abandon(stream: TextIO, *, is_stdout: bool) -> None:
    """After a failed write: close a file without trying its buffer again, or point standard output at the null
    device, so that the interpreter's flush at exit does not fail a second time with a traceback of its own."""
    if not is_stdout:
        with contextlib.suppress(OSError):
            stream.close()  # closes the descriptor even when the flush of what is left fails
        return
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):  # not a real file (a test's capture): nothing is flushed at exit
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


__all__ = [
    "Key",
    "OutputBusy",
    "ResumeRefused",
    "WriteFailed",
    "abandon",
    "guarded_writes",
    "key_text",
    "one_writer",
    "resume",
    "success_key",
]
