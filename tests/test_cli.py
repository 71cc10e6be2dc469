"""The command line `highlevel-contacts appointments`, in process through `cli.main` and once as a real
`python -m highlevel_contacts` child, against the embedded mock on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from highlevel_contacts import agency, bulk, cli, records
from highlevel_contacts.models import GetAppointmentsResponse
from highlevel_contacts.models.api_version import ApiVersion
from highlevel_contacts.testing import MockServer
from rich.console import Console

from tests.helpers import TOKEN
from tests.oauth_helpers import CLIENT_ID, CLIENT_SECRET, expired, seed_file
from tests.scripted_server import Reply, ScriptedServer, refused_url
from tools.codegen import ROOT

DOT_DOT_MESSAGE = "path parameter contactId must not be '..': it would change the path of the request"
LISTED_VERSIONS = ", ".join(f"'{version}'" for version in get_args(ApiVersion))  # the spec's, in its order
SUMMARY = re.compile(r"^(\d+) (?:contacts?|\(location, contact\) pairs?): (\d+) ok, (\d+) failed in \d+\.\d s$")


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials unless a test sets them; rich renders plain text 100 columns wide."""
    for name in (
        cli.TOKEN_ENV,
        cli.CLIENT_ID_ENV,
        cli.CLIENT_SECRET_ENV,
        cli.API_VERSION_ENV,
        "FORCE_COLOR",
        "TTY_COMPATIBLE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(cli.TOKEN_ENV, TOKEN)
    return TOKEN


def oauth_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OAuth app's credentials in the environment, as --token-file needs them."""
    monkeypatch.setenv(cli.CLIENT_ID_ENV, CLIENT_ID)
    monkeypatch.setenv(cli.CLIENT_SECRET_ENV, CLIENT_SECRET)


@pytest.fixture
def event(appointment_example: dict[str, Any]) -> dict[str, Any]:
    """The documented appointment as Appointment.to_dict() writes it back (dates in isoformat)."""
    dates = {"startTime": "2021-07-16T11:00:00", "endTime": "2021-07-16T11:30:00"}
    dates |= {"dateAdded": "2021-07-16T11:00:00", "dateUpdated": "2021-07-16T11:30:00"}
    return {**appointment_example, **dates}


def run(capsys: pytest.CaptureFixture[str], base_url: str, *args: str) -> tuple[int, str, str]:
    """`highlevel-contacts appointments --base-url URL --concurrency 1 ARGS` in process: (status, stdout, stderr).
    One request at a time, so that streamed output comes in the order the ids were given."""
    code = cli.main(["appointments", "--base-url", base_url, "--concurrency", "1", *args])
    out, err = capsys.readouterr()
    return code, out, err


def summary(err: str) -> tuple[int, int, int]:
    match = SUMMARY.match(err.splitlines()[-1])
    assert match, err
    total, ok, failed = (int(group) for group in match.groups())
    return total, ok, failed


def error_line(contact_id: str, kind: str, status: int | None, message: str) -> dict[str, Any]:
    return {"contactId": contact_id, "error": {"type": kind, "status": status, "message": message}}


# Formats -------------------------------------------------------------------------------------------------------


def test_jsonl_is_the_default_when_stdout_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, event: dict[str, Any]
) -> None:
    code, out, err = run(capsys, mock.base_url, "contact-a", "contact-b", "contact-a")
    assert code == 0
    assert out == (
        json.dumps({"contactId": "contact-a", "events": [event]})
        + "\n"
        + json.dumps({"contactId": "contact-b", "events": [event]})
        + "\n"
    )
    assert summary(err) == (2, 2, 0)
    assert len(err.splitlines()) == 1


def test_a_failed_contact_gets_an_error_line_and_exit_status_1(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, event: dict[str, Any]
) -> None:
    code, out, err = run(capsys, mock.base_url, "contact-a", "..", "contact-b")
    assert code == 1
    assert [json.loads(line) for line in out.splitlines()] == [
        {"contactId": "contact-a", "events": [event]},
        error_line("..", "ValueError", None, DOT_DOT_MESSAGE),
        {"contactId": "contact-b", "events": [event]},
    ]
    assert summary(err) == (3, 2, 1)


def test_an_http_error_carries_its_status_and_never_the_token(
    capsys: pytest.CaptureFixture[str], mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.TOKEN_ENV, "mock-at-0")  # looks like an OAuth access token the mock never issued: 401
    code, out, err = run(capsys, mock.base_url, "contact-a")
    assert code == 1
    message = "HTTP 401 Unauthorized: Invalid token: access token is invalid"
    assert [json.loads(line) for line in out.splitlines()] == [
        error_line("contact-a", "AuthenticationError", 401, message)
    ]
    assert "mock-at-0" not in out + err


def test_a_secret_in_an_error_message_is_redacted() -> None:
    result = bulk.ContactResult("c1", error=RuntimeError(f"proxy said: Bearer {TOKEN} refused"))
    assert records.record(result, cli.Credentials(token=TOKEN).redact) == error_line(
        "c1", "RuntimeError", None, "proxy said: Bearer [redacted] refused"
    )


def test_json_is_one_array_in_the_order_given(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, event: dict[str, Any]
) -> None:
    code, out, err = run(capsys, mock.base_url, "--format", "json", "--concurrency", "4", "c3", "..", "c1", "c2")
    assert code == 1
    expected = [
        {"contactId": "c3", "events": [event]},
        error_line("..", "ValueError", None, DOT_DOT_MESSAGE),
        {"contactId": "c1", "events": [event]},
        {"contactId": "c2", "events": [event]},
    ]
    assert out == json.dumps(expected, indent=2) + "\n"
    assert summary(err) == (4, 3, 1)


def test_csv_has_a_row_per_event_and_one_per_failed_contact(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str
) -> None:
    code, out, _ = run(capsys, mock.base_url, "--format", "csv", "contact-a", "..")
    assert code == 1
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "contactId", "id", "calendarId", "status", "title", "assignedUserId", "notes", "startTime", "endTime",
        "address", "locationId", "eventContactId", "groupId", "appointmentStatus", "users", "dateAdded",
        "dateUpdated", "assignedResources", "errorType", "errorStatus", "errorMessage",
    ]  # fmt: skip
    users = '["YlWd2wuCAZQzh2cH1fVZ", "YlWd2wuCAZQzh2cH1fVZ"]'
    assert rows[1:] == [
        [
            "contact-a", "YS3jaqqeehkR2Is80miy", "YlWd2wuCAZQzh2cH1fVZ", "booked", "Test", "YlWd2wuCAZQzh2cH1fVZ",
            "test", "2021-07-16T11:00:00", "2021-07-16T11:30:00", "Address", "YlWd2wuCAZQzh2cH1fVZ",
            "YlWd2wuCAZQzh2cH1fVZ", "YlWd2wuCAZQzh2cH1fVZ", "booked", users, "2021-07-16T11:00:00",
            "2021-07-16T11:30:00", users, "", "", "",
        ],
        ["..", *[""] * 17, "ValueError", "", DOT_DOT_MESSAGE],
    ]  # fmt: skip
    assert out.count("\n") == 3


TABLE = [
    "contactId   id                     title                status   start              end",
    "─" * 100,
    "contact-a   YS3jaqqeehkR2Is80miy   Test                 booked   2021-07-16 11:00   2021-07-16 11:30",
    "..                                 ValueError: path …   error",  # one line: cut to fit
    "contact-b   YS3jaqqeehkR2Is80miy   Test                 booked   2021-07-16 11:00   2021-07-16 11:30",
    "",
    "1 failed:",
    f"  ..: ValueError: {DOT_DOT_MESSAGE}",  # the whole message, under the table
]


def test_table_format(capsys: pytest.CaptureFixture[str], mock: MockServer, token: str) -> None:
    code, out, err = run(capsys, mock.base_url, "--format", "table", "contact-a", "..", "contact-b")
    assert code == 1
    assert [line.rstrip() for line in out.splitlines()] == TABLE
    assert summary(err) == (3, 2, 1)


def test_a_table_is_the_default_on_a_terminal(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    code, _, err = run(capsys, mock.base_url, "contact-a")
    assert code == 0
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal.getvalue())  # rich styles a terminal's table
    assert [line.rstrip() for line in plain.splitlines()] == [
        "contactId   id                     title   status   start              end",
        "─" * 87,
        "contact-a   YS3jaqqeehkR2Is80miy   Test    booked   2021-07-16 11:00   2021-07-16 11:30",
    ]
    assert summary(err) == (1, 1, 0)


def test_a_terminal_too_narrow_for_the_ids_gets_a_wider_table_never_ids_cut_short(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    long_id = "contact-" + "x" * 40
    code, out, _ = run(capsys, mock.base_url, "--format", "table", long_id, "..")
    assert code == 1
    assert [line.rstrip() for line in out.splitlines()] == [
        f"contactId{' ' * 42}id                     title          status   start              end",
        "─" * 133,
        f"{long_id}   YS3jaqqeehkR2Is80miy   Test           booked   2021-07-16 11:00   2021-07-16 11:30",
        f"{'..':{len(long_id) + 3 + 20 + 3}}ValueError:…   error",
        "",
        "1 failed:",
        f"  ..: ValueError: {DOT_DOT_MESSAGE}",
    ]


def test_a_contact_without_appointments() -> None:
    nothing = bulk.ContactResult("c1", appointments=GetAppointmentsResponse(events=None))  # null: none
    written = {}
    for output_format in records.OutputFormat:
        stream = io.StringIO()
        sink = records.sink(output_format, stream, str, order={(None, "c1"): (0, 0)})
        sink.add(nothing)
        sink.close()
        written[output_format.value] = [line.rstrip() for line in stream.getvalue().splitlines()]
    assert written == {
        "jsonl": ['{"contactId": "c1", "events": []}'],
        "json": ["[", "  {", '    "contactId": "c1",', '    "events": []', "  }", "]"],
        "csv": [",".join(records.CSV_COLUMNS)],  # no event, no row
        "table": [
            "contactId   id   title               status   start   end",
            "─" * 57,
            "c1               (no appointments)",
        ],
    }


def test_output_file(capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("old content\n")
    code, out, err = run(capsys, mock.base_url, "--output", str(path), "contact-a", "..")
    assert (code, out) == (1, "")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["contactId"] for line in lines] == ["contact-a", ".."]  # a file is jsonl by default, replaced
    assert summary(err) == (2, 1, 1)


# Ids -----------------------------------------------------------------------------------------------------------


def test_ids_from_stdin_and_arguments(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(
        io.BytesIO(b"contact-b\n\n  contact-c  \ncontact-a\n\n")
    )  # text over bytes, as a process has
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = run(capsys, mock.base_url, "contact-a", "--ids-file", "-")
    assert code == 0
    assert [json.loads(line)["contactId"] for line in out.splitlines()] == ["contact-a", "contact-b", "contact-c"]
    assert summary(err) == (3, 3, 0)


def test_ids_from_a_file(capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, tmp_path: Path) -> None:
    (tmp_path / "ids.txt").write_text("contact-x\n\ncontact-y\n")
    code, out, _ = run(capsys, mock.base_url, "--ids-file", str(tmp_path / "ids.txt"))
    assert code == 0
    assert [json.loads(line)["contactId"] for line in out.splitlines()] == ["contact-x", "contact-y"]


# Usage errors --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "args", "message"),
    [
        ({cli.TOKEN_ENV: TOKEN}, [], "no contact ids: give them as arguments or in --ids-file PATH"),
        ({}, ["a"], "no token: set HIGHLEVEL_TOKEN"),
        ({cli.TOKEN_ENV: TOKEN}, ["--token-file", "t.json", "a"], "both HIGHLEVEL_TOKEN and --token-file are set"),
        ({}, ["--token-file", "t.json", "a"], "--token-file needs HIGHLEVEL_CLIENT_ID and HIGHLEVEL_CLIENT_SECRET"),
        ({cli.TOKEN_ENV: TOKEN}, ["--resume", "a"], "--resume needs --output PATH"),
        ({cli.TOKEN_ENV: TOKEN}, ["--resume", "-o", "x.csv", "--format", "csv", "a"], "--resume works only with"),
        (
            {cli.TOKEN_ENV: TOKEN},
            ["--ids-file", "missing.txt"],
            "Invalid value for '--ids-file': 'missing.txt': No such file or directory",
        ),
        ({cli.TOKEN_ENV: TOKEN}, ["--format", "xml", "a"], "Invalid value for '--format': 'xml' is not one of"),
        ({cli.TOKEN_ENV: TOKEN}, ["--concurrency", "0", "a"], "Invalid value for '--concurrency'"),
        ({cli.TOKEN_ENV: TOKEN + " "}, ["a"], "HIGHLEVEL_TOKEN has leading or trailing whitespace"),
        ({cli.TOKEN_ENV: TOKEN + "\u00e9"}, ["a"], "HIGHLEVEL_TOKEN cannot be sent as a token: header token"),
        (
            {cli.TOKEN_ENV: TOKEN},
            ["--api-version", "2023-02-21", "a"],
            f"Invalid value for '--api-version' (env var: 'HIGHLEVEL_API_VERSION'): '2023-02-21' is not one of "
            f"{LISTED_VERSIONS}.",
        ),
        (
            {cli.TOKEN_ENV: TOKEN, cli.API_VERSION_ENV: "V3"},
            ["a"],
            f"Invalid value for '--api-version' (env var: 'HIGHLEVEL_API_VERSION'): 'V3' is not one of "
            f"{LISTED_VERSIONS}.",
        ),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    environ: dict[str, str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with MockServer() as server:
        code, out, err = run(capsys, server.base_url, *args)
        assert server.limits.requests == 0
    assert (code, out) == (2, "")
    assert err.startswith("Usage: highlevel-contacts appointments [OPTIONS] [CONTACT_ID...]\n")
    assert err.splitlines()[-1].startswith(f"Error: {message}")
    assert TOKEN not in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_usage_error_leaves_the_output_file_alone(
    capsys: pytest.CaptureFixture[str], mock: MockServer, tmp_path: Path
) -> None:
    (tmp_path / "out.jsonl").write_text("kept\n")
    code, _, _ = run(capsys, mock.base_url, "--output", str(tmp_path / "out.jsonl"), "contact-a")  # no token
    assert code == 2
    assert (tmp_path / "out.jsonl").read_text() == "kept\n"


@pytest.mark.parametrize(
    ("args", "environ", "sent"),
    [
        ([], {}, "2021-07-28"),
        (["--api-version", "v3"], {}, "v3"),
        ([], {cli.API_VERSION_ENV: "v3"}, "v3"),
        (["--api-version", "2021-07-28"], {cli.API_VERSION_ENV: "v3"}, "2021-07-28"),
    ],
)
def test_api_version_chooses_the_version_header(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    token: str,
    examples: dict[int, Any],
    args: list[str],
    environ: dict[str, str],
    sent: str,
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with ScriptedServer([Reply.json(200, examples[200])]) as server:
        code, out, _ = run(capsys, server.base_url, *args, "contact-a")
    assert code == 0
    assert json.loads(out)["contactId"] == "contact-a"
    assert [request.headers.get_list("Version") for request in server.requests] == [[sent]]


# OAuth ---------------------------------------------------------------------------------------------------------


def test_oauth_from_a_token_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, event: dict[str, Any]
) -> None:
    oauth_app(monkeypatch)
    with MockServer() as server:
        seed = expired(server.authorize())  # the first request refreshes it
        seed_file(tmp_path / "token.json", seed)
        code, out, err = run(capsys, server.base_url, "--token-file", str(tmp_path / "token.json"), "c1", "c2")
        assert (server.token_calls, server.limits.requests) == (1, 2)
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        {"contactId": "c1", "events": [event]},
        {"contactId": "c2", "events": [event]},
    ]
    saved = json.loads((tmp_path / "token.json").read_text())
    assert saved["refresh_token"] != seed["refresh_token"]
    for secret in (CLIENT_SECRET, seed["access_token"], seed["refresh_token"], saved["refresh_token"]):
        assert secret not in out + err


# Agency: locations ---------------------------------------------------------------------------------------------


@pytest.fixture
def agency_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[MockServer, Path]]:
    oauth_app(monkeypatch)
    with MockServer(installed_locations=("loc-a", "loc-b", "loc-c")) as server:
        path = tmp_path / "agency.json"
        seed_file(path, {**server.authorize_agency(), "expires_at": time.time() + 86000})
        yield server, path


def test_each_contact_from_each_location_given(
    capsys: pytest.CaptureFixture[str], agency_file: tuple[MockServer, Path], event: dict[str, Any]
) -> None:
    server, path = agency_file
    args = ["--token-file", str(path), "--location", "loc-a", "--location", "loc-b", "c1", "c2"]
    code, out, err = run(capsys, server.base_url, *args)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert sorted((line["locationId"], line["contactId"]) for line in lines) == [
        ("loc-a", "c1"),
        ("loc-a", "c2"),
        ("loc-b", "c1"),
        ("loc-b", "c2"),
    ]
    assert all(line["events"] == [event] for line in lines)
    assert [server.location_token_calls_for(location) for location in ("loc-a", "loc-b", "loc-c")] == [1, 1, 0]
    assert [server.limits_for(location).requests for location in ("loc-a", "loc-b")] == [2, 2]
    assert re.fullmatch(r"4 \(location, contact\) pairs: 4 ok, 0 failed in \d+\.\d s", err.splitlines()[-1])
    assert (path.parent / "agency.location-loc-a.json").exists()


def test_all_locations_lists_the_installed_ones(
    capsys: pytest.CaptureFixture[str], agency_file: tuple[MockServer, Path]
) -> None:
    server, path = agency_file
    code, out, err = run(capsys, server.base_url, "--token-file", str(path), "--all-locations", "--format", "csv", "c1")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == records.LOCATED_CSV_COLUMNS
    assert rows[0].count("locationId") == 1  # the appointment's own is eventLocationId
    assert rows[1][rows[0].index("eventLocationId")] == "YlWd2wuCAZQzh2cH1fVZ"  # the example's
    assert sorted((row[0], row[1]) for row in rows[1:]) == [("loc-a", "c1"), ("loc-b", "c1"), ("loc-c", "c1")]
    assert server.installed_locations_calls == 1
    assert server.location_token_calls == 3
    assert summary(err) == (3, 3, 0)


def test_a_location_without_the_app_fails_its_contacts_only(
    capsys: pytest.CaptureFixture[str], agency_file: tuple[MockServer, Path]
) -> None:
    server, path = agency_file
    code, out, _ = run(capsys, server.base_url, "--token-file", str(path), "--location", "loc-a", "--location",
                       "loc-x", "c1")  # fmt: skip
    assert code == 1
    by_location = {line["locationId"]: line for line in map(json.loads, out.splitlines())}
    assert "events" in by_location["loc-a"]
    assert by_location["loc-x"]["error"] == {
        "type": "LocationTokenError",
        "status": 400,
        "message": "HTTP 400: no access token for location loc-x: Bad Request",
    }
    # The refused location leaves no file behind: no token set, and no lock file either.
    assert not [entry.name for entry in path.parent.iterdir() if "loc-x" in entry.name]
    assert (path.parent / "agency.location-loc-a.json").exists()


def test_resume_with_locations_skips_the_pairs_done(
    capsys: pytest.CaptureFixture[str], agency_file: tuple[MockServer, Path], tmp_path: Path, event: dict[str, Any]
) -> None:
    server, path = agency_file
    output = tmp_path / "out.jsonl"
    output.write_text(json.dumps({"locationId": "loc-a", "contactId": "c1", "events": [event]}) + "\n")
    args = ["--token-file", str(path), "--location", "loc-a", "--location", "loc-b", "--resume", "-o", str(output)]
    code, _, err = run(capsys, server.base_url, *args, "c1")
    assert code == 0
    assert [server.limits_for(location).requests for location in ("loc-a", "loc-b")] == [0, 1]
    assert err.splitlines()[0] == f"resume: 1 of 2 (location, contact) pairs already in {output}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--location", "loc-a", "--all-locations"], "--location and --all-locations exclude each other"),
        (["--location", "../etc"], "location_id must be a location id"),
    ],
)
def test_location_usage_errors(
    capsys: pytest.CaptureFixture[str], agency_file: tuple[MockServer, Path], args: list[str], message: str
) -> None:
    server, path = agency_file
    code, out, err = run(capsys, server.base_url, "--token-file", str(path), *args, "c1")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1].startswith(f"Error: {message}")
    assert server.location_token_calls == 0


def test_all_locations_checks_the_output_before_listing(
    capsys: pytest.CaptureFixture[str], agency_file: tuple[MockServer, Path], tmp_path: Path
) -> None:
    server, path = agency_file
    output = tmp_path / "missing" / "out.jsonl"
    code, out, err = run(capsys, server.base_url, "--token-file", str(path), "--all-locations", "-o", str(output), "c1")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"Error: cannot write {output}: no directory {output.parent}"
    assert (server.installed_locations_calls, server.location_token_calls) == (0, 0)


def test_a_location_token_file_with_location_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    oauth_app(monkeypatch)
    with MockServer() as server:
        path = tmp_path / "token.json"
        seed_file(path, expired(server.authorize()))  # a location's
        before = path.read_bytes()
        code, out, err = run(capsys, server.base_url, "--token-file", str(path), "--all-locations", "c1")
        assert (server.token_calls, server.installed_locations_calls) == (0, 0)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1].startswith("Error: --all-locations needs the agency's OAuth token set")
    assert path.read_bytes() == before


def test_resume_keeps_the_files_mode(
    capsys: pytest.CaptureFixture[str], token: str, tmp_path: Path, event: dict[str, Any]
) -> None:
    path = tmp_path / "out.jsonl"
    failed = json.dumps(error_line("c2", "DailyRateLimitError", 429, "daily limit"))
    path.write_text(json.dumps({"contactId": "c1", "events": [event]}) + "\n" + failed + "\n")
    path.chmod(0o644)
    with MockServer() as server:
        code, _, _ = run(capsys, server.base_url, "--resume", "-o", str(path), "c1", "c2")
    assert code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_location_needs_the_agency_token_set(capsys: pytest.CaptureFixture[str], token: str) -> None:
    with MockServer() as server:
        code, _, err = run(capsys, server.base_url, "--location", "loc-a", "c1")
        assert server.limits.requests == 0
    assert code == 2
    assert err.splitlines()[-1].startswith("Error: --location needs the agency's OAuth token set")


def test_a_missing_token_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], mock: MockServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    oauth_app(monkeypatch)
    code, _, err = run(capsys, mock.base_url, "--token-file", str(tmp_path / "none.json"), "c1")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"Error: {tmp_path / 'none.json'}: no token set; seed the file with the JSON body of your first "
        "authorization-code exchange plus expires_at (see the README's OAuth section)"
    )


# Resume --------------------------------------------------------------------------------------------------------


def test_resume_fetches_only_what_an_interrupted_run_left(
    capsys: pytest.CaptureFixture[str], token: str, tmp_path: Path, event: dict[str, Any]
) -> None:
    path = tmp_path / "out.jsonl"
    done = json.dumps({"contactId": "c1", "events": [event]})
    failed = json.dumps(error_line("c2", "DailyRateLimitError", 429, "daily limit"))
    path.write_text(f"{done}\n{failed}\n" + done.replace("c1", "c3")[:40])  # c3's line cut short by the interrupt
    with MockServer() as server:
        code, out, err = run(capsys, server.base_url, "--resume", "-o", str(path), "c1", "c2", "c3", "c4")
        assert server.limits.requests == 3  # c2 (failed before), c3 (cut short), c4; not c1
    assert (code, out) == (0, "")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["contactId"] for line in lines] == ["c1", "c2", "c3", "c4"]
    assert all(line["events"] == [event] for line in lines)
    assert err.splitlines()[0] == f"resume: 1 of 4 contacts already in {path}"
    assert summary(err) == (3, 3, 0)


def test_resume_when_everything_is_there_sends_nothing(
    capsys: pytest.CaptureFixture[str], token: str, tmp_path: Path
) -> None:
    path = tmp_path / "out.jsonl"
    content = '{"contactId": "c1", "events": []}\n'
    path.write_text(content)
    with MockServer() as server:
        code, _, err = run(capsys, server.base_url, "--resume", "-o", str(path), "c1")
        assert server.limits.requests == 0
    assert code == 0
    assert path.read_text() == content
    assert err.splitlines() == [f"resume: 1 of 1 contact already in {path}", err.splitlines()[1]]
    assert summary(err) == (0, 0, 0)


def test_resume_refuses_a_file_it_did_not_write(capsys: pytest.CaptureFixture[str], token: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes\nmore notes\n")
    with MockServer() as server:
        code, _, err = run(capsys, server.base_url, "--resume", "-o", str(path), "c1")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"Error: --resume: line 1 of {path} is not a line this command writes: move it away, or give another "
        "file to --output"
    )
    assert path.read_text() == "my notes\nmore notes\n"


def test_an_interrupted_run_keeps_every_line_written(
    capsys: pytest.CaptureFixture[str], token: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetch = bulk.fetch_appointments

    async def interrupted(*args: Any, **kwargs: Any) -> Any:
        count = 0
        async for result in fetch(*args, **kwargs):
            yield result
            count += 1
            if count == 2:
                raise KeyboardInterrupt

    monkeypatch.setattr(bulk, "fetch_appointments", interrupted)
    path = tmp_path / "out.jsonl"
    with MockServer() as server:
        code, _, err = run(capsys, server.base_url, "-o", str(path), "c1", "c2", "c3", "c4")
    assert code == 130
    assert [json.loads(line)["contactId"] for line in path.read_text().splitlines()] == ["c1", "c2"]
    assert re.fullmatch(
        r"interrupted: 2 of 4 contacts done: 2 ok, 0 failed in \d+\.\d s \(run again with --resume to fetch the "
        r"rest\)\n",
        err,
    )


# Stopping when nothing can succeed; one cap for the run -----------------------------------------------------------


def test_an_unreachable_base_url_stops_in_one_line_and_the_output_resumes(
    capsys: pytest.CaptureFixture[str], token: str, tmp_path: Path
) -> None:
    base_url = refused_url()
    path = tmp_path / "out.jsonl"
    ids = [f"c{number}" for number in range(300)]
    started = time.monotonic()
    code = cli.main(["appointments", "--base-url", base_url, "-o", str(path), *ids])  # the default retries
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    (line,) = err.splitlines()
    assert re.fullmatch(
        rf"highlevel-contacts: cannot connect to {re.escape(base_url)}: GET {re.escape(base_url)}/contacts/c\d+/"
        r"appointments: ConnectError: .+; check --base-url and the network; stopped sending after (\d+) of 300 "
        r"contacts \(0 ok, \1 failed in \d+\.\d s\): run again with --resume once that is fixed",
        line,
    ), line
    written = [json.loads(line) for line in path.read_text().splitlines()]
    assert 5 <= len(written) <= 20  # the first failures only: nothing for the ids not sent
    assert {line["error"]["type"] for line in written} == {"APIConnectionError"}
    assert elapsed < 30
    with MockServer() as server:
        code = cli.main(["appointments", "--base-url", server.base_url, "--resume", "-o", str(path), *ids])
    assert code == 0
    assert sorted(json.loads(line)["contactId"] for line in path.read_text().splitlines()) == sorted(ids)


def test_a_refused_refresh_token_stops_with_a_hint_to_authorize_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    oauth_app(monkeypatch)
    path = tmp_path / "token.json"
    with MockServer() as server:
        seed = expired(server.authorize())  # due: the first request refreshes it
        assert server.tokens.spend(seed["refresh_token"])  # someone else used it: invalid_grant
        seed_file(path, seed, mode=0o600)
        ids = [f"c{number}" for number in range(300)]
        code = cli.main(["appointments", "--base-url", server.base_url, "--token-file", str(path), *ids])
        assert server.token_calls <= 2
        assert server.limits_for(server.default_location).requests <= 20
    out, err = capsys.readouterr()
    assert code == 1
    assert len(out.splitlines()) <= 20  # the failures before the stop; nothing for the ids not sent
    (line,) = err.splitlines()
    assert line.startswith(f"highlevel-contacts: the token set in {path} was refused: HTTP 400 invalid_grant")
    assert "; authorize the app again (a new token set); stopped sending after " in line
    assert re.search(
        r"stopped sending after \d+ of 300 contacts \(0 ok, \d+ failed in \d+\.\d s\)$", line
    )  # no -o: no hint
    for secret in (CLIENT_SECRET, seed["access_token"], seed["refresh_token"]):
        assert secret not in out + err


def test_a_refused_highlevel_token_stops_naming_it(
    capsys: pytest.CaptureFixture[str], mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.TOKEN_ENV, "mock-at-0")  # an access token the mock never issued: 401
    code, out, err = run(capsys, mock.base_url, *(f"c{number}" for number in range(50)))
    assert code == 1
    assert 5 <= len(out.splitlines()) <= 20
    (line,) = err.splitlines()
    assert line.startswith(
        "highlevel-contacts: HIGHLEVEL_TOKEN was refused: HTTP 401 Unauthorized: Invalid token: access token is "
        "invalid; check HIGHLEVEL_TOKEN (a Private Integration Token or an access token); stopped sending after "
    )


def test_max_connections_is_one_cap_for_the_whole_run(
    capsys: pytest.CaptureFixture[str], agency_file: tuple[MockServer, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, path = agency_file
    seen: dict[str, Any] = {}
    location_clients, by_location = agency.location_clients, bulk.fetch_appointments_by_location

    def recording_clients(*args: Any, **kwargs: Any) -> Any:
        seen["max_connections"] = kwargs["max_connections"]
        return location_clients(*args, **kwargs)

    def recording_fetch(*args: Any, **kwargs: Any) -> Any:
        seen["max_in_flight"] = kwargs["max_in_flight"]
        return by_location(*args, **kwargs)

    monkeypatch.setattr(agency, "location_clients", recording_clients)
    monkeypatch.setattr(bulk, "fetch_appointments_by_location", recording_fetch)
    code, _, _ = run(capsys, server.base_url, "--token-file", str(path), "--all-locations", "--max-connections", "2",
                     "c1", "c2")  # fmt: skip
    assert code == 0
    assert seen == {"max_connections": 2, "max_in_flight": 2}
    code, _, err = run(capsys, server.base_url, "--token-file", str(path), "--max-connections", "0", "c1")
    assert code == 2
    assert err.splitlines()[-1] == "Error: Invalid value for '--max-connections': 0 is not in the range x>=1."


def test_max_connections_of_a_single_client(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Any] = []
    from highlevel_contacts import AuthenticatedClient as authenticated_client

    def recording(*args: Any, **kwargs: Any) -> Any:
        made.append(kwargs["max_connections"])
        return authenticated_client(*args, **kwargs)

    monkeypatch.setattr(cli, "AuthenticatedClient", recording)
    assert run(capsys, mock.base_url, "c1")[0] == 0
    assert run(capsys, mock.base_url, "--max-connections", "3", "c1")[0] == 0
    assert made == [bulk.DEFAULT_MAX_IN_FLIGHT, 3]


# Progress, the missing extra, the real entry point -------------------------------------------------------------


def test_progress_bar_on_a_terminal_shows_done_failed_and_rate(
    capsys: pytest.CaptureFixture[str], mock: MockServer, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(cli, "_progress_console", lambda: Console(file=screen, force_terminal=True, width=100))
    code, _, _ = run(capsys, mock.base_url, "c1", "..", "c2")
    assert code == 1
    frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue()).replace("━", "-").split("\r")
    assert re.fullmatch(r"contacts -{40} 0/3 0 failed -/s ETA -:--:--", frames[1])  # the first frame
    assert re.fullmatch(r"contacts -{40} 3/3 1 failed \d+\.\d/s ETA 0:00:00\n", frames[-2])  # the last one
    assert TOKEN not in screen.getvalue()


def test_without_the_extra_one_line_says_what_to_install(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "typer", None)  # `import typer` raises ImportError
    assert cli.main(["appointments", "c1"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "highlevel-contacts: the command line needs the cli extra (typer and rich): "
        "pip install 'highlevel-contacts[cli]' (from a clone of its repository, while it is on no package index: "
        "pip install './generated[cli]')\n"
    )


def test_python_dash_m_highlevel_contacts(mock: MockServer, event: dict[str, Any]) -> None:
    env = {**os.environ, cli.TOKEN_ENV: TOKEN}
    child = subprocess.run(
        [sys.executable, "-m", "highlevel_contacts", "appointments", "--base-url", mock.base_url, "c1", ".."],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == 1
    assert sorted(child.stdout.splitlines()) == sorted(
        [
            json.dumps({"contactId": "c1", "events": [event]}),
            json.dumps(error_line("..", "ValueError", None, DOT_DOT_MESSAGE)),
        ]
    )
    assert summary(child.stderr) == (2, 1, 1)


def test_a_base_url_that_cannot_be_names_the_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.TOKEN_ENV, TOKEN)
    code = cli.main(["appointments", "--base-url", "http://example.com", "c1"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "Invalid value for '--base-url': base_url 'http://example.com' is plain http://" in err
    assert TOKEN not in err
