# Vendored from runtime/apply.py by `make generate`: edit that file, never this copy.
"""Keep a jsonl export current: apply one verified appointment webhook to the file the command line wrote.

    from highlevel_contacts import webhooks
    from highlevel_contacts.apply import apply_event

    event = webhooks.verify(raw_body, request_headers)
    if isinstance(event, webhooks.AppointmentEvent):
        apply_event("appointments.jsonl", event)  # "inserted", "updated", "deleted", "unchanged" or "absent"

The file is one of the two the command line writes, told apart line by line:
- `highlevel-contacts events`: one calendar event a line (`CalendarEvent.to_dict()`: a line with "id");
- `highlevel-contacts appointments`: one contact a line, `{"contactId": ..., "events": [...]}` ("locationId"
  first with locations; "error" instead of "events" for a contact that could not be fetched).

An AppointmentCreate or AppointmentUpdate puts the appointment (`WebhookAppointment.to_dict()`, with the
delivery's locationId) over what the file holds for its id, keeping the fields a webhook does not carry
(description, isRecurring, rrule, masterEventId, status, ...); an AppointmentDelete removes it. An update whose
`dateUpdated` is older than the stored one is not applied, and applying a delivery again changes nothing, so
deliveries can come twice and out of order (but a Create or Update delivered after the appointment's Delete
adds it again: the file keeps no trace of what was deleted).

The whole read-and-rewrite holds the file's cross-process lock (`files.CrossProcessLock`, the one the command
line holds while it writes the file), so concurrent appliers and a running export take turns; the new content is
written through `files.writing_atomically` (a temporary file beside the target, renamed over it: a crash leaves
the old file or the new one; a symlink stays a link, its target is replaced). The file is read a block at a time,
never held in memory: once to find the lines the appointment is in (only the lines that mention the
appointment's id or its contact's id are parsed), and, when something changes, once more to copy it with those
lines changed. Every other line, and any line that is not JSON, is copied byte for byte.
"""

import contextlib
import datetime as dt
import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Literal

from attrs import define, field

from . import files

if TYPE_CHECKING:
    from .webhooks import AppointmentEvent

Outcome = Literal["inserted", "updated", "deleted", "unchanged", "absent"]
"""What apply_event did: the appointment was added, changed, removed; the file already said so (or the update is
older than what it holds); a delete of an appointment the file does not hold."""

DEFAULT_LOCK_TIMEOUT: Final = 60.0
"""Seconds apply_event waits for the file's lock (held by another applier, or by a command line run writing it)."""

_EVENTS: Final = "events"  # a file of `highlevel-contacts events` lines
_CONTACTS: Final = "appointments"  # a file of `highlevel-contacts appointments` lines


def _kind(line: object) -> str | None:
    """Which command wrote a (parsed) line: _EVENTS, _CONTACTS, or None for a line neither writes."""
    if not isinstance(line, dict):
        return None
    if isinstance(line.get("contactId"), str) and ("events" in line or "error" in line):
        return _CONTACTS
    if "id" in line:
        return _EVENTS
    return None


def _instant(value: object) -> dt.datetime | None:
    """A dateUpdated read leniently: an ISO 8601 date-time (naive: UTC), else None."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


_BLOCK: Final = 1 << 20  # bytes read at a time
_PLAIN: Final = re.compile(r"[A-Za-z0-9_.:-]*")  # what no JSON writer escapes (HighLevel's ids are such)


def _needles(*texts: str | None) -> list[bytes]:
    """What a line that mentions one of `texts` contains: each as JSON (as json.dumps writes it, with or without
    ensure_ascii); and a backslash, for a text some writer may write with escapes (not one of _PLAIN)."""
    found = {json.dumps(text, ensure_ascii=False).encode("utf-8") for text in texts if text is not None}
    if any(text is not None and not _PLAIN.fullmatch(text) for text in texts):
        found.add(b"\\")
    return sorted(found)


def _encoded(line: Mapping[str, Any]) -> bytes:
    return (json.dumps(line) + "\n").encode("utf-8")


@define
class _Scan:
    """What the first reading found: the file's kind (that of its first line either command writes), whether its
    contact lines have locationIds, and the lines that hold the appointment or are its contact's, parsed, by
    where they start (`ends`: where each ends, past its line end)."""

    kind: str | None = None
    located: bool = False
    lines: dict[int, dict[str, Any]] = field(factory=dict)
    ends: dict[int, int] = field(factory=dict)


@define
class _Plan:
    """What the second reading does: each line listed by its start replaced (None: removed), then `append`
    written."""

    outcome: Outcome
    edits: dict[int, bytes | None] = field(factory=dict)
    append: bytes | None = None


def _regions(source: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """The file as (offset, whole lines), a block or so at a time; a last line without its line end comes last,
    alone. A line longer than a block is gathered whole (its memory is that line's)."""
    offset, pending = 0, bytearray()
    while block := source.read(_BLOCK):
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            pending += block
            continue
        region = bytes(pending) + block[:cut] if pending else block[:cut]
        yield offset, region
        offset += len(region)
        pending = bytearray(block[cut:])
    if pending:
        yield offset, bytes(pending)


def _scan(source: BinaryIO, appointment_id: str, contact_id: str | None, location_id: str | None) -> _Scan:
    scan = _Scan()
    needles = _needles(appointment_id, contact_id)

    def consider(start: int, raw: bytes) -> None:
        try:
            line = json.loads(raw)
        except ValueError:  # not JSON (UnicodeDecodeError is a ValueError): kept as it is
            return
        kind = _kind(line)
        if kind is None:
            return
        if scan.kind is None:
            scan.kind, scan.located = kind, isinstance(line.get("locationId"), str)
        if _concerns(line, kind, appointment_id, contact_id, location_id):
            scan.lines[start], scan.ends[start] = line, start + len(raw)

    for offset, region in _regions(source):
        position = 0
        while scan.kind is None and position < len(region):  # every line parsed until one tells the file's kind
            end = region.find(b"\n", position) + 1 or len(region)
            consider(offset + position, region[position:end])
            position = end
        # Then only the lines that contain an id: found with bytes.find, a block at a time.
        lines: dict[int, int] = {}
        for needle in needles:
            hit = region.find(needle, position)
            while hit != -1:
                start = region.rfind(b"\n", position, hit) + 1 or position
                end = region.find(b"\n", hit) + 1 or len(region)
                lines[start] = end
                hit = region.find(needle, end)
        for start in sorted(lines):
            consider(offset + start, region[start : lines[start]])
    return scan


def _concerns(
    line: dict[str, Any], kind: str, appointment_id: str, contact_id: str | None, location_id: str | None
) -> bool:
    """Whether a line is the appointment's (`events`), or holds it or is its contact's (`appointments`)."""
    if kind == _EVENTS:
        return bool(line.get("id") == appointment_id)
    return _is_contact_line(line, contact_id, location_id) or _position(line, appointment_id) is not None


def _is_contact_line(line: Mapping[str, Any], contact_id: str | None, location_id: str | None) -> bool:
    """Whether a contact line (events or error) is that of the appointment's contact at the delivery's location."""
    return (
        contact_id is not None
        and line.get("contactId") == contact_id
        and ("locationId" not in line or line["locationId"] == location_id)
    )


def _position(line: Mapping[str, Any], appointment_id: str) -> int | None:
    """Where the appointment is in a contact line's events (None: not there, or an error line)."""
    events = line.get("events")
    if not isinstance(events, list):
        return None
    for index, item in enumerate(events):
        if isinstance(item, dict) and item.get("id") == appointment_id:
            return index
    return None


def _stored(scan: _Scan, appointment_id: str) -> dict[str, Any] | None:
    """The appointment as the file holds it (its first copy), or None."""
    for line in scan.lines.values():
        if _kind(line) == _EVENTS:
            return line
        index = _position(line, appointment_id)
        if index is not None:
            stored: dict[str, Any] = line["events"][index]
            return stored
    return None


def _without(line: dict[str, Any], appointment_id: str) -> dict[str, Any]:
    events = [item for item in line["events"] if not (isinstance(item, dict) and item.get("id") == appointment_id)]
    return {**line, "events": events}


def _plan(scan: _Scan, event: "AppointmentEvent", appointment_id: str, contact_id: str | None) -> _Plan:
    location_id = event.location_id
    stored = _stored(scan, appointment_id)
    event_lines = [number for number, line in scan.lines.items() if _kind(line) == _EVENTS]
    holders = [number for number, line in scan.lines.items() if _position(line, appointment_id) is not None]
    plan = _Plan("unchanged")

    if event.deleted:
        for number in event_lines:
            plan.edits[number] = None
        for number in holders:
            plan.edits[number] = _encoded(_without(scan.lines[number], appointment_id))
        plan.outcome = "deleted" if plan.edits else "absent"
        return plan

    if stored is not None:
        older, newer = _instant(event.appointment.date_updated), _instant(stored.get("dateUpdated"))
        if older is not None and newer is not None and newer > older:
            return plan  # a newer update was applied already
    new = event.appointment.to_dict()
    if location_id is not None and "locationId" not in new:
        new["locationId"] = location_id
    merged = {**(stored or {}), **new}

    # Lines of `events`: the first holding the id is the appointment, later ones (repeats) go.
    for position, number in enumerate(event_lines):
        if position > 0:
            plan.edits[number] = None
        elif scan.lines[number] != merged:
            plan.edits[number] = _encoded(merged)
    # Lines of `appointments`: the appointment belongs in its contact's line, and in no other.
    contact_lines = [
        number
        for number, line in scan.lines.items()
        if _kind(line) == _CONTACTS and _is_contact_line(line, contact_id, location_id)
    ]
    home = next((number for number in contact_lines if isinstance(scan.lines[number].get("events"), list)), None)
    if contact_id is None and holders:
        home = holders[0]  # no contact to place it by: it stays where it is
    if holders or (not event_lines and scan.kind == _CONTACTS):
        if home is None and contact_lines:
            # Only an error line for the contact: never touched, and no second line beside it (a resumed run
            # fetches the contact again, this appointment with it).
            return _Plan("unchanged")
        if contact_id is None and home is None:
            raise ValueError(
                f"appointment {appointment_id!r} has no contactId: it cannot be added to a file of "
                "`highlevel-contacts appointments` lines (one per contact)"
            )
        for number in holders:
            if number != home:
                plan.edits[number] = _encoded(_without(scan.lines[number], appointment_id))
        if home is not None:
            line = scan.lines[home]
            events = list(line["events"])
            index = _position(line, appointment_id)
            if index is None:
                events.append(merged)
            else:
                events[index] = merged
            if events != line["events"]:
                plan.edits[home] = _encoded({**line, "events": events})
        else:
            located = {"locationId": location_id} if scan.located and location_id is not None else {}
            plan.append = _encoded({**located, "contactId": contact_id, "events": [merged]})
    elif not event_lines:
        plan.append = _encoded(merged)  # a file of `events` lines, or one that does not exist yet

    if plan.edits or plan.append is not None:
        plan.outcome = "updated" if stored is not None else "inserted"
    return plan


def _rewrite(source: BinaryIO | None, path: Path, mode: int | None, plan: _Plan, scan: _Scan) -> None:
    """Copy `source` through files.writing_atomically with the plan's lines replaced or left out, then append."""
    options = {} if mode is None else {"mode": mode}
    with files.writing_atomically(path, **options) as rewritten:
        last = b"\n"  # the last byte written
        if source is not None:
            source.seek(0)
            position = 0
            for start in sorted(plan.edits):
                last = _copy(source, rewritten, start - position) or last
                replacement = plan.edits[start]
                if replacement is not None:
                    rewritten.write(replacement)
                    last = b"\n"
                position = scan.ends[start]
                source.seek(position)
            last = _copy(source, rewritten, None) or last
        if plan.append is not None:
            if last != b"\n":
                rewritten.write(b"\n")  # a last line without its line end gets one before the appended line
            rewritten.write(plan.append)


def _copy(source: BinaryIO, destination: BinaryIO, count: int | None) -> bytes:
    """Copy `count` bytes (None: the rest); the last one copied (b"" for none)."""
    last = b""
    while count is None or count > 0:
        block = source.read(_BLOCK if count is None else min(_BLOCK, count))
        if not block:
            break
        destination.write(block)
        last = block[-1:]
        if count is not None:
            count -= len(block)
    return last


def _checked(event: "AppointmentEvent") -> tuple[str, str | None]:
    """The appointment's id and contact id (None when it has none)."""
    # An AppointmentEvent exists only once its module was imported: nothing to import here (nor cryptography).
    webhooks = sys.modules.get(f"{__package__}.webhooks")
    if webhooks is None or not isinstance(event, webhooks.AppointmentEvent):
        what = getattr(event, "type", None)
        raise TypeError(
            "apply_event applies a webhooks.AppointmentEvent (an AppointmentCreate, AppointmentUpdate or "
            f"AppointmentDelete delivery), got {type(event).__name__}" + (f" ({what})" if isinstance(what, str) else "")
        )
    appointment_id = event.appointment.id
    if not isinstance(appointment_id, str) or not appointment_id:
        raise ValueError(f"the {event.type} delivery {event.webhook_id!r} has no appointment id: nothing to apply")
    contact_id = event.appointment.contact_id
    return appointment_id, contact_id if isinstance(contact_id, str) and contact_id else None


@contextlib.contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold the file's cross-process lock, waiting up to `timeout` s, and remove the temporaries a killed rewrite
    left (as `output.one_writer` does, which only tries the lock once)."""
    lock = files.CrossProcessLock(path, timeout=timeout)
    lock.acquire()
    try:
        for stale in files.stale_temporaries(path):
            with contextlib.suppress(OSError):
                stale.unlink()
        yield
    finally:
        lock.release()


def _apply(
    path: Path, destination: Path, event: "AppointmentEvent", appointment_id: str, contact_id: str | None
) -> _Plan:
    """Read, plan, rewrite if anything changes (holding the lock)."""
    try:
        source = destination.open("rb")
    except FileNotFoundError:  # created, as a file of `events` lines
        plan = _plan(_Scan(), event, appointment_id, contact_id)
        if plan.append is not None:  # a delete leaves no file behind
            _rewrite(None, path, None, plan, _Scan())
        return plan
    with source:
        scan = _scan(source, appointment_id, contact_id, event.location_id)
        plan = _plan(scan, event, appointment_id, contact_id)
        if plan.edits or plan.append is not None:
            _rewrite(source, path, stat.S_IMODE(os.fstat(source.fileno()).st_mode), plan, scan)
    return plan


def apply_event(
    path: str | os.PathLike[str], event: "AppointmentEvent", *, timeout: float = DEFAULT_LOCK_TIMEOUT
) -> Outcome:
    """Apply one appointment webhook to the jsonl file at `path`; return what it did.

    - A file of `highlevel-contacts events` lines (or none yet: it is created so, mode 0600): the line whose
      "id" is the appointment's is replaced by the appointment merged over it (added at the end when there is
      none; removed on AppointmentDelete).
    - A file of `highlevel-contacts appointments` lines: the appointment is merged into, added to or removed
      from the "events" of its contact's line (the line whose contactId is the appointment's, and whose
      locationId, when it has one, is the delivery's); a contact without a line gets one at the end. A line with
      "error" is never changed, nor is a line added beside it: the contact is fetched again by `--resume`.

    Returns "inserted", "updated", "deleted", "unchanged" (the file already says so, or it holds a newer
    dateUpdated, or the contact's line is an error: the file is not rewritten) or "absent" (a delete of an
    appointment the file does not hold). Lines that are not JSON, and lines neither command writes, are kept as
    they are; a file's mode is kept.

    Raises:
        TypeError: `event` is not a webhooks.AppointmentEvent.
        ValueError: the appointment has no id; or it has no contactId and must be added to an appointments file.
        TimeoutError: another process held the file's lock for `timeout` seconds.
        OSError: the file, its directory or its lock cannot be read or written (the error names the file); the
            file is then as it was.
    """
    appointment_id, contact_id = _checked(event)
    path = Path(path)
    destination = files.target(path)
    try:
        if destination.exists() and not destination.is_file():
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if not destination.parent.is_dir():  # made by nobody else either (the lock would make it)
            raise OSError(errno.ENOENT, f"no directory {destination.parent}", str(path))
        with _locked(path, timeout):
            plan = _apply(path, destination, event, appointment_id, contact_id)
    except OSError as error:
        if isinstance(error, TimeoutError) or error.errno is None or error.filename in (str(path), str(destination)):
            raise
        where = f" ({error.filename})" if error.filename else ""
        raise OSError(error.errno, f"{error.strerror}{where}", str(path)) from error
    return plan.outcome


__all__ = ["DEFAULT_LOCK_TIMEOUT", "Outcome", "apply_event"]
