"""highlevel_contacts.apply: one appointment webhook applied to a jsonl export of either command, under the file's
lock, atomically, idempotently. The events are real deliveries: the spec's examples, signed with a test RSA key
and read back through webhooks.verify."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import functools
import json
import os
import re
import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Any

import attrs
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from highlevel_contacts import files, webhooks
from highlevel_contacts.apply import apply_event
from highlevel_contacts.errors import WebhookVerificationError
from highlevel_contacts.models import WebhookAppointment
from highlevel_contacts.types import UNSET

from tests.helpers import run_in_processes
from tools.spec import webhook_example

README = Path(__file__).resolve().parent.parent / "README.md"
DROP = object()
"""A value for `delivery(...)` that removes the key from the appointment."""


@functools.cache
def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def public_pem() -> bytes:
    return (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


Delivery = tuple[bytes, dict[str, str]]


def delivery(kind: str, location_id: object = "loc-1", **appointment: object) -> Delivery:
    """The spec's example delivery of `kind` with a fresh timestamp and webhookId (and dateUpdated: now), its
    appointment's fields replaced by `appointment` (API names; DROP removes one), signed: (body, headers)."""
    document = copy.deepcopy(webhook_example(kind))
    document["timestamp"] = document["appointment"]["dateUpdated"] = dt.datetime.now(dt.UTC).isoformat()
    document["webhookId"] = str(uuid.uuid4())
    if location_id is DROP:
        del document["locationId"]
    else:
        document["locationId"] = location_id
    for name, value in appointment.items():
        if value is DROP:
            document["appointment"].pop(name, None)
        else:
            document["appointment"][name] = value
    body = json.dumps(document).encode()
    signature = _private_key().sign(body, padding.PKCS1v15(), hashes.SHA256())
    return body, {"x-wh-signature": base64.b64encode(signature).decode()}


def verified(sent: Delivery) -> webhooks.AppointmentEvent:
    event = webhooks.verify(sent[0], sent[1], rsa_public_key=public_pem())
    assert isinstance(event, webhooks.AppointmentEvent)
    return event


def event(kind: str = "AppointmentUpdate", location_id: object = "loc-1", **appointment: object) -> Any:
    return verified(delivery(kind, location_id, **appointment))


def write_lines(path: Path, *lines: object) -> bytes:
    data = b"".join(line if isinstance(line, bytes) else (json.dumps(line) + "\n").encode() for line in lines)
    path.write_bytes(data)
    return data


def read_lines(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


CALENDAR_EVENT = {
    "id": "a1",
    "title": "Consultation",
    "calendarId": "cal-1",
    "locationId": "loc-1",
    "contactId": "c1",
    "appointmentStatus": "confirmed",
    "description": "first visit",
    "isRecurring": False,
    "rrule": None,
    "startTime": "2026-03-02T09:00:00+00:00",
    "endTime": "2026-03-02T09:30:00+00:00",
    "dateUpdated": "2026-03-01T08:00:00+00:00",
    "masterEventId": None,
}
OTHER_EVENT = {**CALENDAR_EVENT, "id": "a2", "contactId": "c2", "description": "other"}


# A file of `highlevel-contacts events` lines -------------------------------------------------------------------


def test_an_update_is_merged_over_its_line_and_keeps_what_the_webhook_does_not_carry(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, CALENDAR_EVENT, OTHER_EVENT)
    update = event(id="a1", contactId="c1", title="Moved", dateUpdated="2026-03-01T09:00:00+00:00")
    assert apply_event(path, update) == "updated"
    first, second = read_lines(path)
    assert first["title"] == "Moved"
    assert first["dateUpdated"] == "2026-03-01T09:00:00+00:00"
    assert first["startTime"] == "2023-09-25T16:00:00+05:30"  # the example's
    for kept in ("description", "isRecurring", "rrule", "masterEventId"):
        assert first[kept] == CALENDAR_EVENT[kept]
    assert second == OTHER_EVENT
    assert path.read_bytes().splitlines()[1] == json.dumps(OTHER_EVENT).encode()


def test_a_create_is_appended_and_a_delete_removes_the_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, CALENDAR_EVENT)
    assert apply_event(path, event("AppointmentCreate", id="a9", contactId="c9")) == "inserted"
    lines = read_lines(path)
    assert [line["id"] for line in lines] == ["a1", "a9"]
    assert lines[1]["locationId"] == "loc-1"  # the delivery's: the webhook's appointment has none
    assert lines[1]["contactId"] == "c9"

    assert apply_event(path, event("AppointmentDelete", id="a1", contactId="c1")) == "deleted"
    assert [line["id"] for line in read_lines(path)] == ["a9"]
    before = path.read_bytes()
    assert apply_event(path, event("AppointmentDelete", id="a1", contactId="c1")) == "absent"
    assert path.read_bytes() == before


def test_repeated_lines_of_one_id_become_one(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, CALENDAR_EVENT, OTHER_EVENT, {**CALENDAR_EVENT, "title": "again"})
    assert apply_event(path, event(id="a1", contactId="c1", dateUpdated="2026-03-02T00:00:00Z")) == "updated"
    assert [line["id"] for line in read_lines(path)] == ["a1", "a2"]


def test_a_missing_file_is_created_as_an_events_file(tmp_path: Path) -> None:
    path = tmp_path / "new.jsonl"
    assert apply_event(path, event("AppointmentDelete", id="a1")) == "absent"
    assert not path.exists()  # a delete leaves no file behind
    create = event("AppointmentCreate", id="a1", contactId="c1")
    assert apply_event(str(path), create) == "inserted"
    assert read_lines(path) == [{**create.appointment.to_dict(), "locationId": "loc-1"}]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_file_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, CALENDAR_EVENT)
    path.chmod(0o640)
    assert apply_event(path, event(id="a1", title="Renamed")) == "updated"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# A file of `highlevel-contacts appointments` lines -------------------------------------------------------------


APPOINTMENT = {"id": "a1", "calendarId": "cal-1", "status": "booked", "contactId": "c1", "title": "Consultation"}
FAILED = {"contactId": "c2", "error": {"type": "APIStatusError", "status": 500, "message": "server error"}}


def test_a_contact_line_gets_the_appointment_merged_added_and_removed(tmp_path: Path) -> None:
    path = tmp_path / "appointments.jsonl"
    write_lines(path, {"contactId": "c1", "events": [APPOINTMENT]}, FAILED, {"contactId": "c3", "events": []})

    assert apply_event(path, event(id="a1", contactId="c1", title="Moved")) == "updated"
    c1, failed, c3 = read_lines(path)
    assert c1["contactId"] == "c1"
    assert [(item["id"], item["title"], item["status"]) for item in c1["events"]] == [("a1", "Moved", "booked")]
    assert failed == FAILED
    assert c3 == {"contactId": "c3", "events": []}

    assert apply_event(path, event("AppointmentCreate", id="a3", contactId="c3")) == "inserted"
    assert [item["id"] for item in read_lines(path)[2]["events"]] == ["a3"]

    assert apply_event(path, event("AppointmentCreate", id="a4", contactId="c4")) == "inserted"
    new = read_lines(path)[3]
    assert list(new) == ["contactId", "events"]  # the file's lines have no locationId
    assert new["contactId"] == "c4"
    assert [item["id"] for item in new["events"]] == ["a4"]

    assert apply_event(path, event("AppointmentDelete", id="a1", contactId="c1")) == "deleted"
    assert read_lines(path)[0] == {"contactId": "c1", "events": []}
    assert apply_event(path, event("AppointmentDelete", id="a1", contactId="c1")) == "absent"


def test_a_line_with_an_error_is_never_touched(tmp_path: Path) -> None:
    path = tmp_path / "appointments.jsonl"
    before = write_lines(path, {"contactId": "c1", "events": []}, FAILED)
    assert apply_event(path, event("AppointmentCreate", id="a2", contactId="c2")) == "unchanged"
    assert path.read_bytes() == before


def test_lines_with_locations_match_the_delivery_location(tmp_path: Path) -> None:
    path = tmp_path / "appointments.jsonl"
    write_lines(
        path,
        {"locationId": "loc-2", "contactId": "c1", "events": [{**APPOINTMENT, "id": "b1"}]},
        {"locationId": "loc-1", "contactId": "c1", "events": []},
    )
    assert apply_event(path, event("AppointmentCreate", "loc-1", id="a1", contactId="c1")) == "inserted"
    other, mine = read_lines(path)
    assert [item["id"] for item in other["events"]] == ["b1"]
    assert [(item["id"], item["locationId"]) for item in mine["events"]] == [("a1", "loc-1")]

    assert apply_event(path, event("AppointmentCreate", "loc-3", id="a5", contactId="c1")) == "inserted"
    new = read_lines(path)[2]
    assert list(new) == ["locationId", "contactId", "events"]
    assert (new["locationId"], new["contactId"]) == ("loc-3", "c1")


def test_an_appointment_given_to_another_contact_moves_to_its_line(tmp_path: Path) -> None:
    path = tmp_path / "appointments.jsonl"
    write_lines(path, {"contactId": "c1", "events": [APPOINTMENT]}, {"contactId": "c3", "events": []})
    assert apply_event(path, event(id="a1", contactId="c3")) == "updated"
    c1, c3 = read_lines(path)
    assert c1["events"] == []
    assert [(item["id"], item["contactId"], item["status"]) for item in c3["events"]] == [("a1", "c3", "booked")]


def test_an_appointments_file_needs_the_contact_to_add_an_appointment(tmp_path: Path) -> None:
    path = tmp_path / "appointments.jsonl"
    before = write_lines(path, {"contactId": "c1", "events": [APPOINTMENT]})
    with pytest.raises(ValueError, match="no contactId"):
        apply_event(path, event("AppointmentCreate", id="a7", contactId=DROP))
    assert path.read_bytes() == before
    # Already there: updated in place.
    assert apply_event(path, event(id="a1", contactId=DROP, title="Renamed")) == "updated"
    assert read_lines(path)[0]["events"][0]["title"] == "Renamed"


# Idempotent, and never older over newer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        [CALENDAR_EVENT],
        [{"contactId": "c1", "events": [APPOINTMENT]}],
        [{"locationId": "loc-1", "contactId": "c5", "events": []}],
    ],
)
@pytest.mark.parametrize("kind", ["AppointmentCreate", "AppointmentUpdate", "AppointmentDelete"])
def test_the_same_delivery_twice_is_the_same_file_as_once(tmp_path: Path, lines: list[object], kind: str) -> None:
    path = tmp_path / "export.jsonl"
    write_lines(path, *lines)
    sent = delivery(kind, id="a1", contactId="c1")
    first = apply_event(path, verified(sent))
    once = path.read_bytes()
    assert apply_event(path, verified(sent)) == ("absent" if kind == "AppointmentDelete" else "unchanged")
    assert path.read_bytes() == once
    assert first in {"inserted", "updated", "deleted", "absent"}


def test_an_older_update_does_not_overwrite_a_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    newer = {**CALENDAR_EVENT, "title": "newest", "dateUpdated": "2026-03-02T10:00:00.000Z"}
    before = write_lines(path, newer)
    # 15:30 at +05:30 is 10:00 UTC less a second: older, whatever the notation.
    older = event(id="a1", title="stale", dateUpdated="2026-03-02T15:29:59+05:30")
    assert apply_event(path, older) == "unchanged"
    assert path.read_bytes() == before
    same_time = event(id="a1", title="same time", dateUpdated="2026-03-02T15:30:00+05:30")
    assert apply_event(path, same_time) == "updated"
    assert read_lines(path)[0]["title"] == "same time"


def test_an_older_update_does_not_overwrite_a_newer_one_in_a_contact_line(tmp_path: Path) -> None:
    path = tmp_path / "appointments.jsonl"
    before = write_lines(path, {"contactId": "c1", "events": [{**APPOINTMENT, "dateUpdated": "2026-03-02T10:00:00"}]})
    assert apply_event(path, event(id="a1", contactId="c1", dateUpdated="2026-03-02T09:00:00Z")) == "unchanged"
    assert path.read_bytes() == before


def test_a_date_that_does_not_parse_does_not_stop_an_update(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, {**CALENDAR_EVENT, "dateUpdated": "yesterday"})
    assert apply_event(path, event(id="a1", title="new", dateUpdated="2026-03-02T09:00:00Z")) == "updated"
    write_lines(path, CALENDAR_EVENT)
    assert apply_event(path, event(id="a1", title="newer", dateUpdated=DROP)) == "updated"
    assert read_lines(path)[0]["title"] == "newer"


def test_a_delete_is_applied_whatever_its_date(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, {**CALENDAR_EVENT, "dateUpdated": "2030-01-01T00:00:00Z"})
    assert apply_event(path, event("AppointmentDelete", id="a1", dateUpdated="2026-01-01T00:00:00Z")) == "deleted"
    assert path.read_bytes() == b""


# Lines it does not write, links, the lock ----------------------------------------------------------------------


def test_lines_that_are_not_json_are_kept_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    strange = [b"not json\n", b"\xff\xfe\x00 binary\n", b"[1, 2]\n", b"\n", b'{"cut short": "a2']
    write_lines(path, strange[0], CALENDAR_EVENT, strange[1], strange[2], OTHER_EVENT, strange[3], strange[4])
    assert apply_event(path, event(id="a2", contactId="c2", title="Renamed")) == "updated"
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    assert [lines[0], *lines[2:4], *lines[5:]] == strange  # the last line, without its line end, as it was
    assert json.loads(lines[4])["title"] == "Renamed"

    assert apply_event(path, event("AppointmentCreate", id="a9")) == "inserted"
    appended = path.read_bytes().removeprefix(data)
    assert appended.startswith(b"\n")  # the cut line gets its line end, then the new line follows
    assert json.loads(appended)["id"] == "a9"


def test_a_file_of_many_blocks_and_a_line_longer_than_one(tmp_path: Path) -> None:
    """Lines are found a block (1 MiB) at a time: the lines before, after and across the blocks' edges are copied
    as they were, a line longer than a block is read whole."""
    path = tmp_path / "events.jsonl"
    lines: list[object] = [{**OTHER_EVENT, "id": f"e{n}", "contactId": f"c{n % 7}"} for n in range(30_000)]
    lines[15_000] = {**CALENDAR_EVENT, "description": "x" * 1_500_000}
    lines[-1] = {**CALENDAR_EVENT, "id": "last", "contactId": "c1"}
    before = write_lines(path, *lines)
    assert apply_event(path, event(id="a1", contactId="c1", title="Found")) == "updated"
    assert apply_event(path, event("AppointmentDelete", id="e29000")) == "deleted"
    assert apply_event(path, event("AppointmentDelete", id="last")) == "deleted"
    data = path.read_bytes().splitlines(keepends=True)
    expected = before.splitlines(keepends=True)
    changed = json.loads(data[15_000])
    assert (changed["title"], len(changed["description"])) == ("Found", 1_500_000)
    del expected[29_999], expected[29_000]
    assert data[:15_000] == expected[:15_000]
    assert data[15_001:] == expected[15_001:]


def test_an_id_written_with_escapes_is_found(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, {**CALENDAR_EVENT, "id": "ß/1"})  # json.dumps writes "\u00df/1"
    assert b"\\u00df" in path.read_bytes()
    escaped = b'{"id": "\\u00df\\/1", "title": "old"}\n'
    with path.open("ab") as file:
        file.write(escaped)
    assert apply_event(path, event(id="ß/1", title="Found")) == "updated"
    assert [line["title"] for line in read_lines(path)] == ["Found"]  # the repeat is dropped


def test_a_symlink_stays_a_link_and_its_target_is_updated(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "events.jsonl"
    write_lines(target, CALENDAR_EVENT)
    link = tmp_path / "events.jsonl"
    link.symlink_to(target)
    assert apply_event(link, event(id="a1", title="Through the link")) == "updated"
    assert link.is_symlink()
    assert read_lines(target)[0]["title"] == "Through the link"
    assert (tmp_path / "data" / "events.jsonl.lock").exists()  # the lock is the target's, as the CLI's
    assert sorted(path.name for path in (tmp_path / "data").iterdir()) == ["events.jsonl", "events.jsonl.lock"]


def test_it_waits_for_the_lock_and_gives_up_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    before = write_lines(path, CALENDAR_EVENT)
    held = files.CrossProcessLock(path, timeout=0)
    held.acquire()
    try:
        with pytest.raises(TimeoutError, match=r"events\.jsonl\.lock"):
            apply_event(path, event(id="a1", title="Blocked"), timeout=0.2)
    finally:
        held.release()
    assert path.read_bytes() == before


def test_it_removes_what_a_killed_rewrite_left(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, CALENDAR_EVENT)
    left = tmp_path / ".events.jsonl.abcd1234.tmp"
    left.write_bytes(b"half")
    assert files.stale_temporaries(path) == [left]
    assert apply_event(path, event(id="a1", title="x")) == "updated"
    assert not left.exists()


def _apply_all(path: str, deliveries: list[Delivery], pem: bytes, barrier: Any) -> list[str]:
    """In a spawned process: verify each delivery, then apply it (all the processes start together)."""
    events = [webhooks.verify(body, headers, rsa_public_key=pem) for body, headers in deliveries]
    barrier.wait()
    outcomes: list[str] = []
    for each in events:
        assert isinstance(each, webhooks.AppointmentEvent)
        outcomes.append(apply_event(path, each))
    return outcomes


@pytest.mark.parametrize("first_line", [None, {"contactId": "c0", "events": []}])
def test_two_processes_applying_at_once_lose_nothing(tmp_path: Path, first_line: object) -> None:
    path = tmp_path / "export.jsonl"
    if first_line is not None:
        write_lines(path, first_line)
    jobs = [
        (str(path), [delivery("AppointmentCreate", id=f"p{worker}-{n}", contactId=f"c{n % 3}") for n in range(20)])
        for worker in range(2)
    ]
    results = run_in_processes(_apply_all, [(*job, public_pem()) for job in jobs], timeout=60)
    assert results == [["inserted"] * 20] * 2
    lines = read_lines(path)
    if first_line is None:
        ids = [line["id"] for line in lines]
    else:
        ids = [item["id"] for line in lines for item in line["events"]]
        assert [line["contactId"] for line in lines][:1] == ["c0"]  # the file's; c1 and c2 come as they are added
        assert sorted(line["contactId"] for line in lines) == ["c0", "c1", "c2"]
    assert sorted(ids) == sorted(f"p{worker}-{n}" for worker in range(2) for n in range(20))
    assert files.stale_temporaries(path) == []


# Errors ----------------------------------------------------------------------------------------------------------


def test_only_appointment_events_are_applied(tmp_path: Path) -> None:
    document = copy.deepcopy(webhook_example("AppInstall"))
    document["timestamp"] = dt.datetime.now(dt.UTC).isoformat()
    body = json.dumps(document).encode()
    signature = base64.b64encode(_private_key().sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()
    install = webhooks.verify(body, {"x-wh-signature": signature}, rsa_public_key=public_pem())
    assert isinstance(install, webhooks.AppInstallEvent)
    path = tmp_path / "events.jsonl"
    for wrong in (install, install.document, None):
        with pytest.raises(TypeError, match=r"webhooks\.AppointmentEvent .*AppointmentCreate"):
            apply_event(path, wrong)  # type: ignore[arg-type]
    assert not path.exists()


def test_an_appointment_without_an_id_is_refused(tmp_path: Path) -> None:
    # webhooks.verify refuses such a delivery as malformed; an event made some other way is refused here.
    path = tmp_path / "events.jsonl"
    for missing in (UNSET, None, ""):
        made = attrs.evolve(event(), appointment=WebhookAppointment(id=missing, contact_id="c1"))
        with pytest.raises(ValueError, match="no appointment id"):
            apply_event(path, made)
    assert not path.exists()


def test_a_filesystem_error_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-directory" / "events.jsonl"
    with pytest.raises(FileNotFoundError) as missing_directory:
        apply_event(missing, event(id="a1"))
    assert missing_directory.value.filename == str(missing)
    with pytest.raises(OSError, match="not a regular file") as directory:
        apply_event(tmp_path, event(id="a1"))
    assert directory.value.filename == str(tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_failed_rewrite_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "events.jsonl"
    before = write_lines(path, CALENDAR_EVENT)

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left") as raised:
        apply_event(path, event(id="a1", title="Lost"))
    assert raised.value.filename == str(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(item.name for item in tmp_path.iterdir()) == ["events.jsonl", "events.jsonl.lock"]


# The README's examples -------------------------------------------------------------------------------------------


def _readme_blocks() -> list[str]:
    section = README.read_text(encoding="utf-8").split("### Applying changes\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def _run(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, str(README), "exec"), namespace)
    return namespace


def test_the_readme_applies_a_delivery_to_a_jsonl_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(webhooks, "HIGHLEVEL_RSA_PUBLIC_KEY", public_pem().decode())  # signed with the test key
    namespace = _run(_readme_blocks()[0])
    on_delivery = namespace["on_delivery"]
    sent = delivery("AppointmentCreate", id="a1", contactId="c1")
    assert on_delivery(*sent) == "inserted"
    with pytest.raises(WebhookVerificationError, match="replay"):
        on_delivery(*sent)  # the same delivery again: refused, the file unchanged
    assert [line["id"] for line in read_lines(tmp_path / "events.jsonl")] == ["a1"]
    with pytest.raises(WebhookVerificationError, match="signature"):
        on_delivery(sent[0] + b" ", sent[1])
    # A delivery the handler could not apply (the file's folder is gone: OSError, answered 500) is let through
    # when HighLevel delivers it again.
    update = delivery("AppointmentUpdate", id="a1", contactId="c1", title="moved")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # the working folder is gone: events.jsonl cannot be written there
    with pytest.raises(FileNotFoundError):
        on_delivery(*update)
    monkeypatch.chdir(tmp_path)
    assert on_delivery(*update) == "updated"


def test_the_readme_stores_deliveries_in_a_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace = _run(_readme_blocks()[1])
    store, db = namespace["store"], namespace["db"]
    assert isinstance(db, sqlite3.Connection)
    try:

        def rows() -> list[tuple[str, str]]:
            found = db.execute("SELECT id, body FROM appointment ORDER BY id").fetchall()
            return [(row[0], json.loads(row[1])["title"]) for row in found]

        create = delivery("AppointmentCreate", id="a1", title="first", dateUpdated="2026-03-02T10:00:00Z")
        store(verified(create))
        store(verified(create))  # delivered again
        assert rows() == [("a1", "first")]
        store(event(id="a1", title="newer", dateUpdated="2026-03-02T11:00:00Z"))
        store(event(id="a1", title="older", dateUpdated="2026-03-02T10:30:00Z"))
        assert rows() == [("a1", "newer")]
        store(event("AppointmentDelete", id="a1"))
        assert rows() == []
        assert db.execute("SELECT count(*) FROM delivery").fetchone() == (4,)
    finally:
        db.close()


def test_the_readme_examples_are_the_only_code_of_the_subsection() -> None:
    blocks = _readme_blocks()
    assert len(blocks) == 2
    assert "apply_event(" in blocks[0]
    assert "ON CONFLICT (id)" in blocks[1]
