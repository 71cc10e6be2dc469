"""`make demo`: fetch the example contact's appointments from the embedded mock and print them as a table; then an
OAuth token that refreshes itself; then one agency token set reading two locations; then the command line
(`python -m highlevel_contacts appointments`) for several contacts, its table 100 columns wide.

It uses only the generated package's public API and its command line, exactly as a user would.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.agency import installed_location_ids
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import FileTokenStore, HighLevelOAuth
from highlevel_contacts.models import Appointment
from highlevel_contacts.testing import MockServer
from highlevel_contacts.types import Unset

EXAMPLE_CONTACT_ID = "sx6wyHhbFdRXh302LLNR"  # the page's example contactId
CLI_CONTACT_IDS = (EXAMPLE_CONTACT_ID, "Jq5hT2mLx0aVbC9dE1fG", "pQ7rS8tU9vW0xY1zA2bC")  # the mock answers each alike
COLUMNS = ("id", "title", "status", "start_time", "end_time", "calendar_id")


def _cell(value: object) -> str:
    if value is None or isinstance(value, Unset):
        return "-"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def render_table(events: list[Appointment]) -> str:
    rows = [COLUMNS, *[tuple(_cell(getattr(event, column)) for column in COLUMNS) for event in events]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def main() -> None:
    with MockServer() as server:
        print(f"mock HighLevel API on {server.base_url}")
        client = AuthenticatedClient(base_url=server.base_url, token="demo-token")
        with client:
            result = get_appointments_for_contact.sync(EXAMPLE_CONTACT_ID, client=client)
    events = result.events if isinstance(result.events, list) else []  # null or absent: no appointments
    print(f"appointments for contact {EXAMPLE_CONTACT_ID}: {len(events)}\n")
    print(render_table(events))
    oauth_refresh()
    agency_locations()
    command_line()


def oauth_refresh() -> None:
    """An OAuth access token that expires after a second, refreshed by the client on its own."""
    print("\nOAuth: an access token valid for 1 s, kept in a file token store")
    with MockServer(access_token_lifetime=1.0) as server, tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "token.json"
        seed = {**server.authorize(), "expires_at": time.time() + 1.0}  # an authorization-code exchange's body
        path.write_text(json.dumps(seed))
        oauth = HighLevelOAuth(
            client_id="demo-app", client_secret="demo-secret", store=FileTokenStore(path), refresh_margin=0
        )
        with AuthenticatedClient(base_url=server.base_url, auth=oauth) as client:
            for call in (1, 2):
                if call == 2:
                    print("  waiting 1.2 s: the access token expires")
                    time.sleep(1.2)
                result = get_appointments_for_contact.sync(EXAMPLE_CONTACT_ID, client=client)
                count = len(result.events) if isinstance(result.events, list) else 0
                print(f"  call {call}: {count} appointment(s); token endpoint calls so far: {server.token_calls}")
        saved = json.loads(path.read_text())
        rotated = saved["access_token"] != seed["access_token"] and saved["refresh_token"] != seed["refresh_token"]
        mode = oct(path.stat().st_mode & 0o777)
        print(f"  the file holds the rotated token set: {'yes' if rotated else 'NO'} (mode {mode})")


def agency_locations() -> None:
    """One agency (Company) token set, two of its locations: a location token asked for once per location."""
    print("\nAgency: one agency token set, a location token for each of two locations")
    with (
        MockServer(installed_locations=("loc-north", "loc-south")) as server,
        tempfile.TemporaryDirectory() as directory,
    ):
        path = Path(directory) / "agency.json"
        path.write_text(json.dumps({**server.authorize_agency(), "expires_at": time.time() + 86000}))
        agency = HighLevelOAuth(client_id="demo-app", client_secret="demo-secret", store=FileTokenStore(path))
        with AuthenticatedClient(base_url=server.base_url, auth=agency) as agency_client:
            locations = list(installed_location_ids(agency_client))
        print(f"  installed at: {', '.join(locations)}")
        for location_id in locations:
            with AuthenticatedClient(base_url=server.base_url, auth=agency.for_location(location_id)) as client:
                for _ in range(2):
                    result = get_appointments_for_contact.sync(EXAMPLE_CONTACT_ID, client=client)
            count = len(result.events) if isinstance(result.events, list) else 0
            print(
                f"  {location_id}: 2 calls, {count} appointment(s) each; locationToken calls for it: "
                f"{server.location_token_calls_for(location_id)}"
            )
        kept = sorted(entry.name for entry in Path(directory).glob("agency.location-*.json"))
        print(f"  location tokens kept beside agency.json: {', '.join(kept)}")


def command_line() -> None:
    """The console command, in a child process as a user runs it; the token comes from the environment."""
    print("\nCLI: HIGHLEVEL_TOKEN=... highlevel-contacts appointments --format table " + " ".join(CLI_CONTACT_IDS))
    with MockServer() as server:
        command = ["-m", "highlevel_contacts", "appointments", "--format", "table", "--base-url", server.base_url]
        child = subprocess.run(
            [sys.executable, *command, *CLI_CONTACT_IDS],
            # COLUMNS: rich draws the table this wide when stdout is not a terminal, so the output is the same
            # everywhere.
            env={**os.environ, "HIGHLEVEL_TOKEN": "demo-token", "COLUMNS": "100"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    print(child.stdout.rstrip("\n"))
    print(f"{child.stderr.strip()} (exit status {child.returncode})")


if __name__ == "__main__":
    main()
