"""The command line `highlevel-contacts events`: a location's calendar events, in process through `cli.main` and
once as a real `python -m highlevel_contacts` child, against the embedded mock on 127.0.0.1 (its calendar
listings answer from the appointments set per contact and location)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from highlevel_contacts import cli, events, records
from highlevel_contacts import output as outfile
from highlevel_contacts.errors import APIStatusError, MissingScopeError
from highlevel_contacts.testing import CALENDAR_EVENTS_PATH, CALENDARS_PATH, Answer, MockServer
from rich.console import Console

from tests.helpers import TOKEN
from tests.oauth_helpers import CLIENT_ID, CLIENT_SECRET, seed_file
from tools.codegen import ROOT

SINCE, UNTIL = "2026-01-01", "2027-01-01"
SUMMARY = re.compile(
    r"wrote (\d+) events? from (\d+) calendars? in (\d+) requests?"
    r"(?: \((\d+) windows? refused as too large and halved\))? to (.+?) in \d+\.\d s"
    r"(?:; incomplete: \d+ parts? of the listing failed \(above\): the same command again lists the whole range)?"
)
SCOPE_REFUSED = {"statusCode": 401, "message": "The token is not authorized for this scope."}
DAY = 24 * 3600
WINDOWS_2026 = 12  # 365 days in windows of 31
LISTING_PATHS = (CALENDARS_PATH, CALENDAR_EVENTS_PATH)


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """PIT-looking HIGHLEVEL_TOKEN and nothing else; rich renders plain text 100 columns wide."""
    for name in (cli.CLIENT_ID_ENV, cli.CLIENT_SECRET_ENV, cli.API_VERSION_ENV, cli.REDIS_URL_ENV, "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(cli.TOKEN_ENV, TOKEN)
    monkeypatch.setenv("COLUMNS", "100")


def ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp() * 1000)


def recurring(master: str, starts: list[str], calendar_id: str) -> list[dict[str, Any]]:
    """A weekly series' instances as the calendar listing has them: each an id of its own."""
    return [
        {
            "id": f"{master}_{ms(start)}_1800",
            "calendarId": calendar_id,
            "title": "Weekly",
            "startTime": start,
            "endTime": (dt.datetime.fromisoformat(start) + dt.timedelta(minutes=30)).isoformat(),
            "isRecurring": True,
            "masterEventId": master,
        }
        for start in starts
    ]


def appointment(event_id: str, calendar_id: str, start: str, end: str) -> dict[str, Any]:
    return {"id": event_id, "calendarId": calendar_id, "startTime": start, "endTime": end}


def seed(server: MockServer) -> set[str]:
    """Appointments of three contacts in the default location (three calendars), some outside 2026, and one of
    another location; the ids of 2026's."""
    location = server.default_location
    server.set_appointments(
        "c-ann",
        [
            appointment("jan", "cal-a", "2026-01-10T09:00:00Z", "2026-01-10T09:30:00Z"),
            # Across the first 31-day window's end (2026-02-01T00:00Z): listed by two windows, written once.
            appointment("edge", "cal-a", "2026-01-31T23:30:00Z", "2026-02-01T00:30:00Z"),
        ],
        location_id=location,
    )
    weekly = ["2026-03-02T10:00:00+00:00", "2026-03-09T10:00:00+00:00", "2026-03-16T10:00:00+00:00"]
    server.set_appointments("c-bob", recurring("series", weekly, "cal-b"), location_id=location)
    server.set_appointments(
        "c-cy",
        [
            appointment("before", "cal-c", "2025-12-31T10:00:00Z", "2025-12-31T11:00:00Z"),
            appointment("last", "cal-c", "2026-12-31T23:00:00Z", "2026-12-31T23:59:00Z"),
            appointment("after", "cal-c", "2027-01-01T00:00:00Z", "2027-01-01T01:00:00Z"),  # --until is excluded
        ],
        location_id=location,
    )
    elsewhere = [appointment("elsewhere", "cal-a", "2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z")]
    server.set_appointments("c-dee", elsewhere, location_id="loc-other")
    return {"jan", "edge", "last", *(f"series_{ms(start)}_1800" for start in weekly)}


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer(burst=(10_000, 10.0)) as server:  # the listing's requests never wait on the burst window
        yield server


def run(capsys: pytest.CaptureFixture[str], server: MockServer, *args: str) -> tuple[int, str, str]:
    """`highlevel-contacts events --base-url URL --location <default> ARGS` in process: (status, stdout, stderr)."""
    code = cli.main(["events", "--base-url", server.base_url, "--location", server.default_location, *args])
    out, err = capsys.readouterr()
    return code, out, err


def child(server: MockServer, *args: str) -> tuple[int, str, str]:
    """`python -m highlevel_contacts events --base-url URL --location <default> ARGS`: (status, stdout, stderr)."""
    command = [sys.executable, "-m", "highlevel_contacts", "events", "--base-url", server.base_url, "--location",
               server.default_location, *args]  # fmt: skip
    env = {**os.environ, cli.TOKEN_ENV: TOKEN}
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    return done.returncode, done.stdout, done.stderr


def year(capsys: pytest.CaptureFixture[str], server: MockServer, *args: str) -> tuple[int, str, str]:
    return run(capsys, server, "--since", SINCE, "--until", UNTIL, *args)


def summary(err: str) -> tuple[int, int, int, int, str]:
    match = SUMMARY.fullmatch(err.splitlines()[-1])
    assert match, err
    written, calendars, requests, refused, name = match.groups()
    return int(written), int(calendars), int(requests), int(refused or 0), name


def listing_requests(server: MockServer) -> list[Any]:
    return [request for request in server.requests if request.path in LISTING_PATHS]


# Every event once ------------------------------------------------------------------------------------------------


def test_a_year_of_events_each_once_in_few_requests(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    expected = seed(mock)
    code, out, err = year(capsys, mock)
    assert code == 0
    written = [json.loads(line) for line in out.splitlines()]
    assert sorted(event["id"] for event in written) == sorted(expected)  # each once: "edge" too
    assert {event["locationId"] for event in written} == {mock.default_location}
    series = [event for event in written if event.get("masterEventId") == "series"]
    assert len(series) == 3
    assert all(event["isRecurring"] is True for event in series)
    sent = listing_requests(mock)
    assert len(sent) <= 1 + 3 * WINDOWS_2026
    assert [request.path for request in sent].count(CALENDARS_PATH) == 1
    assert all(request.query["locationId"] == mock.default_location for request in sent)
    assert summary(err) == (len(expected), 3, len(sent), 0, "standard output")
    assert len(err.splitlines()) == 1  # no progress: stderr is no terminal
    assert TOKEN not in out + err


def overlaps_2026(event: dict[str, Any]) -> bool:
    start, end = (dt.datetime.fromisoformat(event[name]) for name in ("startTime", "endTime"))
    since, until = (dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC) for day in (SINCE, UNTIL))
    return start < until and end >= since


def test_per_contact_the_events_are_the_contacts_appointments_of_the_year(
    capsys: pytest.CaptureFixture[str], mock: MockServer
) -> None:
    seed(mock)
    code, out, _ = year(capsys, mock)
    assert code == 0
    listed = [json.loads(line) for line in out.splitlines()]
    contacts = ["c-ann", "c-bob", "c-cy"]
    code = cli.main(["appointments", "--base-url", mock.base_url, *contacts])
    per_contact, _ = capsys.readouterr()
    assert code == 0
    for line in map(json.loads, per_contact.splitlines()):
        # The calendar listing's event is the appointment without its status (HighLevel's CalendarEvent has none).
        appointments = [
            {name: value for name, value in appointment.items() if name != "status"}
            for appointment in line["events"]
            if overlaps_2026(appointment)
        ]
        events_of_contact = [event for event in listed if event["contactId"] == line["contactId"]]
        assert sorted(events_of_contact, key=lambda event: event["id"]) == sorted(
            appointments, key=lambda event: event["id"]
        )
        assert appointments  # each contact has some in 2026


def test_windows_refused_as_too_large_are_halved_and_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with MockServer(burst=(10_000, 10.0), max_events_window=10 * DAY) as server:
        expected = seed(server)
        code, out, err = year(capsys, server)
        refusals = server.events_window_refusals
        sent = len(listing_requests(server))
    assert code == 0
    assert sorted(json.loads(line)["id"] for line in out.splitlines()) == sorted(expected)
    written, calendars, requests, refused, _ = summary(err)
    assert (written, calendars, requests) == (len(expected), 3, sent)
    assert refused == refusals > 0


def test_the_calendars_given_are_the_only_ones_listed(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    seed(mock)
    code, out, err = year(capsys, mock, "--calendar", "cal-b", "--calendar", "cal-c", "--calendar", "cal-b")
    assert code == 0
    assert {json.loads(line)["calendarId"] for line in out.splitlines()} == {"cal-b", "cal-c"}
    sent = listing_requests(mock)
    assert CALENDARS_PATH not in [request.path for request in sent]  # no calendar listing
    assert len(sent) == 2 * WINDOWS_2026
    assert summary(err)[1:3] == (2, 2 * WINDOWS_2026)


def test_window_days_sets_the_window(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    seed(mock)
    code, _, err = run(capsys, mock, "--since", "2026-03-01", "--until", "2026-03-31", "--calendar", "cal-b",
                       "--window-days", "7")  # fmt: skip
    assert code == 0
    assert summary(err)[:3] == (3, 1, 5)  # 30 days: 4 windows of 7 and one of 2
    code, _, err = run(capsys, mock, "--since", "2026-03-01", "--until", "2026-03-02T12:00", "--calendar", "cal-b",
                       "--window-days", "1000000000000")  # fmt: skip
    assert code == 0
    assert summary(err)[2] == 1  # longer than the range: one request


# Formats and the output file ---------------------------------------------------------------------------------------


def test_json_is_one_array_by_start_time(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    expected = seed(mock)
    code, out, _ = year(capsys, mock, "--format", "json")
    assert code == 0
    array = json.loads(out)
    assert isinstance(array, list)
    assert len(array) == len(expected)
    assert [event["id"] for event in array][:2] == ["jan", "edge"]
    assert array[-1]["id"] == "last"
    assert out.startswith("[\n  {\n")


def test_csv_has_the_calendar_events_fields(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    expected = seed(mock)
    code, out, _ = year(capsys, mock, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == records.EVENT_COLUMNS == [
        "id", "address", "title", "calendarId", "locationId", "contactId", "groupId", "appointmentStatus",
        "assignedUserId", "users", "notes", "description", "isRecurring", "rrule", "startTime", "endTime",
        "dateAdded", "dateUpdated", "assignedResources", "createdBy", "masterEventId", "deleted",
    ]  # fmt: skip
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert sorted(by_id) == sorted(expected)
    edge = by_id["edge"]
    assert (edge["calendarId"], edge["startTime"], edge["endTime"]) == (
        "cal-a",
        "2026-01-31T23:30:00+00:00",
        "2026-02-01T00:30:00+00:00",
    )
    assert json.loads(edge["users"]) == ["YlWd2wuCAZQzh2cH1fVZ", "YlWd2wuCAZQzh2cH1fVZ"]  # a list: JSON in its cell
    recurring_row = next(row for row in by_id.values() if row["masterEventId"] == "series")
    assert (recurring_row["isRecurring"], recurring_row["description"]) == ("true", "")


def test_table_format(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    seed(mock)
    code, out, _ = run(capsys, mock, "--since", "2026-01-01", "--until", "2026-02-15", "--format", "table")
    assert code == 0
    assert [line.rstrip() for line in out.splitlines()] == [
        "start                    end                      calendarId   contactId   id     title   status",
        "─" * 96,
        "2026-01-10 09:00+00:00   2026-01-10 09:30+00:00   cal-a        c-ann       jan    Test    booked",
        "2026-01-31 23:30+00:00   2026-02-01 00:30+00:00   cal-a        c-ann       edge   Test    booked",
    ]


def test_a_table_without_events(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    code, out, err = run(capsys, mock, "--since", SINCE, "--until", UNTIL, "--format", "table")
    assert code == 0
    assert "(no events)" in out
    assert summary(err)[:3] == (0, 0, 1)  # no calendars: the listing of them only


def test_output_file(capsys: pytest.CaptureFixture[str], mock: MockServer, tmp_path: Path) -> None:
    expected = seed(mock)
    path = tmp_path / "out.jsonl"
    path.write_text("old content\n")
    code, out, err = year(capsys, mock, "-o", str(path))
    assert (code, out) == (0, "")
    assert sorted(json.loads(line)["id"] for line in path.read_text().splitlines()) == sorted(expected)
    assert summary(err)[4] == str(path)


def test_an_output_that_cannot_be_written_is_one_line(mock: MockServer) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    seed(mock)
    # A child of its own: the mock's threads may log the connections the stopped listing dropped, in this process.
    code, out, err = child(mock, "--since", SINCE, "--until", UNTIL, "-o", "/dev/full")
    assert (code, out) == (1, "")
    assert err == "highlevel-contacts: cannot write /dev/full: No space left on device\n"


def test_an_output_another_run_writes_is_refused(
    capsys: pytest.CaptureFixture[str], mock: MockServer, tmp_path: Path
) -> None:
    path = tmp_path / "out.jsonl"
    with outfile.one_writer(path):  # another run holds it
        code, out, err = year(capsys, mock, "-o", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"highlevel-contacts: {path}: another run is writing this file (it holds {path}.lock); wait for it to end, "
        "or write to another file\n"
    )
    assert mock.requests == []
    assert not path.exists()


# Usage errors: nothing sent -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-02-01", "--until", "2026-01-01"], "Error: --until (2026-01-01T00:00:00+00:00) must be "
         "after --since (2026-02-01T00:00:00+00:00)"),
        (["--since", "2026-01-01T10:00+02:00", "--until", "2026-01-01T08:00Z"], "Error: --until "
         "(2026-01-01T08:00:00+00:00) must be after --since (2026-01-01T10:00:00+02:00)"),
        (["--since", "yesterday", "--until", UNTIL], "Error: Invalid value for '--since': 'yesterday' is not an ISO "
         f"date or date-time: give {cli.DATE_FORMS}"),
        (["--since", SINCE, "--until", "2026-13-01"], "Error: Invalid value for '--until': '2026-13-01' is not"),
        (["--since", "1969-12-31", "--until", UNTIL], "Error: Invalid value for '--since': '1969-12-31' is before "
         "1970-01-01"),
        (["--since", SINCE, "--until", UNTIL, "--window-days", "0"], "Error: Invalid value for '--window-days'"),
        (["--since", SINCE, "--until", UNTIL, "--calendar", " "], "Error: Invalid value for '--calendar': a calendar "
         "id must not be empty"),
        (["--since", SINCE, "--until", UNTIL, "--location", "../x"], "Error: Invalid value for '--location': '../x' "
         "is not a location id"),
        (["--since", SINCE, "--until", UNTIL, "--format", "xml"], "Error: Invalid value for '--format'"),
        (["--since", SINCE, "--until", UNTIL, "--api-version", "2023-02-21"], "Error: Invalid value for "
         "'--api-version'"),
        (["--until", UNTIL], "Error: Missing option '--since'"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_and_send_nothing(
    capsys: pytest.CaptureFixture[str], mock: MockServer, tmp_path: Path, args: list[str], message: str
) -> None:
    output = tmp_path / "out.jsonl"
    code, out, err = run(capsys, mock, "-o", str(output), *args)
    assert (code, out) == (2, "")
    assert err.startswith("Usage: highlevel-contacts events [OPTIONS]\n")
    assert err.splitlines()[-1].startswith(message), err
    assert mock.requests == []
    assert not output.exists()
    assert TOKEN not in err


def test_no_token_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cli.TOKEN_ENV)
    code, _, err = year(capsys, mock)
    assert code == 2
    assert err.splitlines()[-1].startswith("Error: no token: set HIGHLEVEL_TOKEN")
    assert mock.requests == []


# Failures: exit 1, one line per kind, the events listed written ---------------------------------------------------


def test_a_missing_scope_names_both_scopes_and_the_per_contact_command(
    capsys: pytest.CaptureFixture[str], mock: MockServer
) -> None:
    seed(mock)
    mock.script(Answer(status=401, body=SCOPE_REFUSED), path=CALENDARS_PATH)
    code, out, err = year(capsys, mock)
    assert (code, out) == (1, "")
    failure, last = err.splitlines()
    assert failure.startswith(f"highlevel-contacts: location {mock.default_location}, its calendars, ")
    for needed in ("MissingScopeError", "calendars.readonly and calendars/events.readonly", "highlevel-contacts "
                   "appointments", "contacts.readonly"):  # fmt: skip
        assert needed in failure
    assert SUMMARY.fullmatch(last)
    assert last.endswith(
        "; incomplete: 1 part of the listing failed (above): the same command again lists the whole range"
    )
    assert TOKEN not in out + err


def test_a_missing_scope_on_the_windows_is_one_line(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    seed(mock)
    mock.script(Answer(status=401, body=SCOPE_REFUSED), path=CALENDAR_EVENTS_PATH)
    code, out, err = year(capsys, mock, "--calendar", "cal-a", "--concurrency", "1")
    assert (code, out) == (1, "")
    failure, _ = err.splitlines()
    assert f"location {mock.default_location}, calendar cal-a, 2026-01-01T00:00:00+00:00 to " in failure
    assert failure.endswith(f"({WINDOWS_2026 - 1} more parts of the listing failed the same way)")
    assert len(listing_requests(mock)) == 1  # the location stopped at the first refusal: nothing more sent


def test_a_failed_window_is_named_and_the_rest_written(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    expected = seed(mock)
    not_found = {"statusCode": 400, "message": "Calendar not found", "error": "Bad Request"}
    mock.script(Answer(status=400, body=not_found), path=CALENDAR_EVENTS_PATH)
    code, out, err = year(capsys, mock, "--concurrency", "1")
    assert code == 1
    written = {json.loads(line)["id"] for line in out.splitlines()}
    failure, last = err.splitlines()
    # The first window of the first calendar failed: its one event is missing, every other one is written.
    assert written == expected - {"jan"}
    assert failure == (
        f"highlevel-contacts: location {mock.default_location}, calendar cal-a, 2026-01-01T00:00:00+00:00 to "
        "2026-02-01T00:00:00+00:00: BadRequestError: HTTP 400 Bad Request: Calendar not found"
    )
    assert summary(last)[0] == len(expected) - 1


def test_another_location_is_refused_with_a_hint(capsys: pytest.CaptureFixture[str], mock: MockServer) -> None:
    code = cli.main(["events", "--base-url", mock.base_url, "--location", "loc-other", "--since", SINCE, "--until",
                     UNTIL])  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    failure, _ = err.splitlines()
    assert failure == (
        "highlevel-contacts: location loc-other, its calendars, 2026-01-01T00:00:00+00:00 to "
        "2027-01-01T00:00:00+00:00: UnexpectedStatus: HTTP 403: The token does not have access to this location.; "
        "the token cannot reach location loc-other: give the location's own token, or the agency's"
    )
    assert mock.requests[0].query["locationId"] == "loc-other"


def test_an_interrupted_listing_keeps_the_lines_written(
    capsys: pytest.CaptureFixture[str], mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(mock)
    fetch = events.fetch_events

    async def interrupted(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        count = 0
        async for listed in fetch(*args, **kwargs):
            yield listed
            count += 1
            if count == 2:
                raise KeyboardInterrupt

    monkeypatch.setattr(events, "fetch_events", interrupted)
    code, out, err = year(capsys, mock)
    assert code == 130
    assert len(out.splitlines()) == 2
    # The last line: the mock's threads may log the connections the interrupted listing dropped before it.
    assert err.splitlines()[-1].startswith("interrupted: wrote 2 events from 3 calendars in ")


def test_failure_lines_are_one_per_kind_and_bounded() -> None:
    start, end = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    answer: dict[str, Any] = {"message": "boom", "error": None, "trace_id": None, "body": b"", "headers": {}}
    failures = [
        events.ListingFailure("L", f"cal-{number}", start, end, APIStatusError(500 + kind, **answer))
        for kind in range(cli.FAILURE_LINES + 2)
        for number in range(2)
    ]
    lines = cli.failure_lines(failures, lambda error: "")
    assert len(lines) == cli.FAILURE_LINES + 1
    assert lines[0].startswith("highlevel-contacts: location L, calendar cal-0, 2026-01-01T00:00:00+00:00 to ")
    assert lines[0].endswith("HTTP 500: boom (1 more part of the listing failed the same way)")
    assert lines[-1] == "highlevel-contacts: and 4 more failures of 2 other kinds"
    scope = MissingScopeError(401, scopes=events.SCOPES, alternative=events.PER_CONTACT_HINT, **answer)
    assert cli.failure_hint(scope, "L", None) == ""


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-01-01", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
        ("2026-01-01T09:30", dt.datetime(2026, 1, 1, 9, 30, tzinfo=dt.UTC)),
        ("2026-01-01T09:30:00+02:00", dt.datetime(2026, 1, 1, 7, 30, tzinfo=dt.UTC)),
        ("2026-01-01T09:30:00Z", dt.datetime(2026, 1, 1, 9, 30, tzinfo=dt.UTC)),
    ],
)
def test_dates_and_date_times(text: str, instant: dt.datetime) -> None:
    assert cli.parse_instant(text) == instant
    assert cli.parse_instant(text).utcoffset() is not None


# Credentials, versions, progress, the real entry point -------------------------------------------------------------


@pytest.mark.parametrize(("args", "sent"), [([], "2021-04-15"), (["--api-version", "v3"], "v3"),
                                            (["--api-version", "2021-07-28"], "2021-04-15")])  # fmt: skip
def test_api_version(capsys: pytest.CaptureFixture[str], mock: MockServer, args: list[str], sent: str) -> None:
    seed(mock)
    code, _, _ = year(capsys, mock, "--calendar", "cal-a", *args)
    assert code == 0
    assert {request.headers["Version"] for request in listing_requests(mock)} == {sent}


def test_an_agency_token_set_lists_a_location_with_its_location_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(cli.TOKEN_ENV)
    monkeypatch.setenv(cli.CLIENT_ID_ENV, CLIENT_ID)
    monkeypatch.setenv(cli.CLIENT_SECRET_ENV, CLIENT_SECRET)
    with MockServer(installed_locations=("loc-a",)) as server:
        server.set_appointments(
            "c1", [appointment("a1", "cal-a", "2026-04-01T10:00:00Z", "2026-04-01T10:30:00Z")], location_id="loc-a"
        )
        agency_file = tmp_path / "agency.json"
        seed_file(agency_file, {**server.authorize_agency(), "expires_at": time.time() + 86000})
        args = ["--base-url", server.base_url, "--token-file", str(agency_file), "--since", SINCE, "--until", UNTIL]
        code = cli.main(["events", "--location", "loc-a", *args])
        out, err = capsys.readouterr()
        assert server.location_token_calls_for("loc-a") == 1
        location_file = tmp_path / "location.json"
        seed_file(location_file, {**server.authorize(), "expires_at": time.time() + 86000})
        refused = cli.main(["events", "--location", "loc-a", *args[:2], "--token-file", str(location_file),
                            *args[4:]])  # fmt: skip
        _, refused_err = capsys.readouterr()
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a1"]
    assert refused == 2
    assert refused_err.splitlines()[-1] == (
        f"Error: the token set in {location_file} is location {server.default_location}'s: it cannot list location "
        f"loc-a (give --location {server.default_location}, or the agency's token set)"
    )
    for secret in (CLIENT_SECRET, TOKEN):
        assert secret not in out + err + refused_err


def test_progress_on_a_terminal_counts_requests_and_events(
    capsys: pytest.CaptureFixture[str], mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = seed(mock)
    screen = io.StringIO()
    monkeypatch.setattr(cli, "_progress_console", lambda: Console(file=screen, force_terminal=True, width=120))
    code, _, _ = year(capsys, mock)
    assert code == 0
    frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue()).split("\r")
    total = 1 + 3 * WINDOWS_2026
    assert any(f"{total}/{total} requests {len(expected)} events 0 failed" in frame for frame in frames), frames
    assert TOKEN not in screen.getvalue()


def test_python_dash_m_highlevel_contacts_events(mock: MockServer, tmp_path: Path) -> None:
    expected = seed(mock)
    path = tmp_path / "events.csv"
    code, out, err = child(mock, "--since", SINCE, "--until", UNTIL, "--format", "csv", "-o", str(path))
    assert (code, out) == (0, "")
    assert summary(err)[0] == len(expected)
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert sorted(row[0] for row in rows[1:]) == sorted(expected)
