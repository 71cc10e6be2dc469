"""`make demo`: fetch the example contact's appointments from the embedded mock and print them as a table.

It uses only the generated package's public API, exactly as a user would.
"""

from __future__ import annotations

import datetime

from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.models import Appointment
from highlevel_contacts.types import Unset

from tools.mock_server import MockServer

EXAMPLE_CONTACT_ID = "sx6wyHhbFdRXh302LLNR"  # the page's example contactId
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


if __name__ == "__main__":
    main()
