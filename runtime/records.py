"""What the command line writes for each contact (and, for `events`, each calendar event), and where: the records
of the four formats and their sinks.

- `record(result, redact)`: the jsonl line (and json array item) of one `bulk.ContactResult`: `contactId` and
  `events`, or `error` (`type`, `status`, `message`, the message through `redact`); `locationId` first when the
  contact was fetched from a location.
- `sink(format, stream, redact, located=..., order=...)`: where the results go. jsonl and csv are written (and
  flushed) as each result arrives; json and table hold the results and write them on `close()`, in `order`.
- `event_sink(format, stream)`: the same four formats for `highlevel-contacts events`, one CalendarEvent at a time:
  a jsonl line (and json item) is `CalendarEvent.to_dict()`, a csv row has the EVENT_COLUMNS; json and table are
  written on `close()`, by start time then id.

It knows the formats and nothing of the command's options; an OSError from a write is left to the caller
(`output.guarded_writes`).
"""

import csv
import datetime
import enum
import json
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import attrs

from .bulk import ContactResult
from .models import Appointment, CalendarEvent
from .output import Key
from .types import Unset

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Redact = Callable[[str], str]
"""Replaces every secret in a message (see `errors.redact`)."""

Order = Mapping[Key, tuple[int, int]]
"""Where each unit of work goes in json and table output: (its location's rank, its contact's rank)."""

TABLE_TITLE_MIN = 12
"""The narrowest the table's title column gets (it wraps); the other columns are as wide as their widest value."""


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _appointment_columns() -> list[str]:
    """The Appointment's JSON field names in the model's order (a model with every field set writes them all)."""
    every_field = Appointment(**{field.name: None for field in attrs.fields(Appointment) if field.init})
    return list(every_field.to_dict())


APPOINTMENT_COLUMNS = _appointment_columns()
# The csv's first column is the contact id that was asked for; the appointment's own contactId gets another name.
CSV_COLUMNS = [
    "contactId",
    *("eventContactId" if name == "contactId" else name for name in APPOINTMENT_COLUMNS),
    "errorType",
    "errorStatus",
    "errorMessage",
]
# With locations, the first column is the location fetched from; the appointment's own locationId gets another name.
LOCATED_CSV_COLUMNS = ["locationId", *("eventLocationId" if name == "locationId" else name for name in CSV_COLUMNS)]


def key(result: ContactResult) -> Key:
    return (result.location_id, result.contact_id)


def _events(result: ContactResult) -> list[Appointment]:
    events = result.appointments.events if result.appointments is not None else None
    return events if isinstance(events, list) else []  # null or absent: no appointments


def record(result: ContactResult, redact: Redact) -> dict[str, Any]:
    """The jsonl line (and json array item) for one contact (and its location, when it was fetched from one)."""
    located = {} if result.location_id is None else {"locationId": result.location_id}
    if result.error is None:
        return {**located, "contactId": result.contact_id, "events": [event.to_dict() for event in _events(result)]}
    status = getattr(result.error, "status_code", None)
    return {
        **located,
        "contactId": result.contact_id,
        "error": {
            "type": type(result.error).__name__,
            "status": status if isinstance(status, int) and not isinstance(status, bool) else None,
            "message": redact(str(result.error)),
        },
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)  # lists (users, assignedResources), numbers, booleans


def csv_rows(line: Mapping[str, Any]) -> list[list[str]]:
    """One row per event of a record (none for a contact without appointments), or one row with the error."""
    if "error" in line:
        error = line["error"]
        empty = [""] * len(APPOINTMENT_COLUMNS)
        return [[line["contactId"], *empty, error["type"], _csv_cell(error["status"]), error["message"]]]
    return [
        [line["contactId"], *(_csv_cell(event.get(name)) for name in APPOINTMENT_COLUMNS), "", "", ""]
        for event in line["events"]
    ]


def _table_cell(value: object) -> str:
    if value is None or isinstance(value, Unset):
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value)


def print_table(stream: TextIO, columns: tuple[str, ...], rows: list[tuple[list["Text"], str | None]]) -> "Console":
    """Print a table of `rows` (cells and a style) under `columns` on `stream`; only the "title" column wraps.
    Returns the console it printed with, for what follows the table."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    title_index = columns.index("title")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in columns:
        # Only the title wraps (or is cut, for an error): ids, statuses and times never are.
        table.add_column(column, no_wrap=column != "title", overflow="fold")
    for cells, style in rows:
        table.add_row(*cells, style=style)
    # A terminal too narrow for the ids and times gets the table as wide as they need (the terminal wraps its
    # lines), rather than ids cut short. 3: the gap between two columns.
    fixed = [max([len(column), *(row[index].cell_len for row, _ in rows)]) for index, column in enumerate(columns)]
    needed = sum(fixed) - fixed[title_index] + min(fixed[title_index], TABLE_TITLE_MIN) + 3 * (len(columns) - 1)
    console = Console(file=stream, highlight=False)
    if needed > console.width:
        console = Console(file=stream, highlight=False, width=needed)
    console.print(table)
    return console


class Sink(Protocol):
    def add(self, result: ContactResult) -> None: ...

    def close(self) -> None: ...


class JsonlSink:
    """One line per contact, flushed as it arrives."""

    def __init__(self, stream: TextIO, redact: Redact) -> None:
        self.stream, self.redact = stream, redact

    def add(self, result: ContactResult) -> None:
        self.stream.write(json.dumps(record(result, self.redact)) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class CsvSink:
    """A header, then the rows of each contact as it arrives (with locations: a first column, locationId)."""

    def __init__(self, stream: TextIO, redact: Redact, located: bool = False) -> None:
        self.stream, self.redact, self.located = stream, redact, located
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(LOCATED_CSV_COLUMNS if located else CSV_COLUMNS)

    def add(self, result: ContactResult) -> None:
        line = record(result, self.redact)
        rows = csv_rows(line)
        self.writer.writerows([[line.get("locationId", ""), *row] for row in rows] if self.located else rows)
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class CollectingSink:
    """json and table: everything at the end, in `order` (filled as the ids are read, before their results
    arrive: these formats hold every result)."""

    def __init__(
        self, stream: TextIO, redact: Redact, order: Order, output_format: OutputFormat, located: bool = False
    ) -> None:
        self.stream, self.redact, self.format = stream, redact, output_format
        self.order, self.located = order, located
        self.results: list[ContactResult] = []

    def add(self, result: ContactResult) -> None:
        self.results.append(result)

    def close(self) -> None:
        last = (sys.maxsize, sys.maxsize)
        results = sorted(self.results, key=lambda result: self.order.get(key(result), last))
        if self.format is OutputFormat.json:
            self.stream.write(json.dumps([record(result, self.redact) for result in results], indent=2) + "\n")
        else:
            self._table(results)
        self.stream.flush()

    def _table(self, results: list[ContactResult]) -> None:
        from rich.text import Text

        # Text, not str: a title like "[bold]" is shown as sent, never read as rich markup.
        rows: list[tuple[list[Text], str | None]] = []
        failures: list[tuple[str, str]] = []
        for result in results:
            lead = (
                [Text(result.location_id or ""), Text(result.contact_id)] if self.located else [Text(result.contact_id)]
            )
            if result.error is not None:
                # One line in the table (the message cut to fit), the whole message under the table.
                line = record(result, self.redact)["error"]
                message = f"{line['type']}: {line['message']}"
                where = f"{result.location_id}/{result.contact_id}" if self.located else result.contact_id
                failures.append((where, message))
                title = Text(message, no_wrap=True, overflow="ellipsis")
                rows.append(([*lead, Text(""), title, Text("error"), Text(""), Text("")], "red"))
                continue
            events = _events(result)
            if not events:
                empty = [*lead, Text(""), Text("(no appointments)"), *(Text("") for _ in range(3))]
                rows.append((empty, "dim"))
            for event in events:
                values = (event.id, event.title, event.status, event.start_time, event.end_time)
                rows.append(([*lead, *(Text(_table_cell(value)) for value in values)], None))

        columns = (*(("locationId",) if self.located else ()), "contactId", "id", "title", "status", "start", "end")
        console = print_table(self.stream, columns, rows)
        if failures:
            console.print(Text(f"\n{len(failures)} failed:"), style="red")
            for contact_id, message in failures:
                console.print(Text(f"  {contact_id}: {message}"), style="red", soft_wrap=True)


def sink(
    output_format: OutputFormat, stream: TextIO, redact: Redact, *, located: bool = False, order: Order | None = None
) -> Sink:
    """The sink of `output_format` on `stream` (csv writes its header now)."""
    if output_format is OutputFormat.jsonl:
        return JsonlSink(stream, redact)
    if output_format is OutputFormat.csv:
        return CsvSink(stream, redact, located=located)
    return CollectingSink(stream, redact, order if order is not None else {}, output_format, located=located)


# Calendar events (`highlevel-contacts events`) -----------------------------------------------------------------


def _event_columns() -> list[str]:
    """The CalendarEvent's JSON field names in the model's order."""
    every_field = CalendarEvent(**{field.name: None for field in attrs.fields(CalendarEvent) if field.init})
    return list(every_field.to_dict())


EVENT_COLUMNS = _event_columns()
"""The csv header of `highlevel-contacts events`: the CalendarEvent's fields, as the API names them."""

EVENT_TABLE_COLUMNS = ("start", "end", "calendarId", "contactId", "id", "title", "status")


def _instant_order(value: object) -> tuple[int, float]:
    """Where a start time sorts: date-times in time order (a naive one read as UTC), anything else after them."""
    if isinstance(value, datetime.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)
        return (0, aware.timestamp())
    return (1, 0.0)


def event_order(event: CalendarEvent) -> tuple[int, float, str]:
    """json and table list the events by start time, then id."""
    return (*_instant_order(event.start_time), event.id if isinstance(event.id, str) else "")


class EventSink(Protocol):
    def add(self, event: CalendarEvent) -> None: ...

    def close(self) -> None: ...


class JsonlEventSink:
    """One line per event, `CalendarEvent.to_dict()`, flushed as it arrives."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def add(self, event: CalendarEvent) -> None:
        self.stream.write(json.dumps(event.to_dict()) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class CsvEventSink:
    """A header of EVENT_COLUMNS, then one row per event as it arrives (lists and objects as JSON; a null or
    absent field empty; fields the spec does not know are left out)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(EVENT_COLUMNS)

    def add(self, event: CalendarEvent) -> None:
        line = event.to_dict()
        self.writer.writerow([_csv_cell(line.get(name)) for name in EVENT_COLUMNS])
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class CollectingEventSink:
    """json (one indented array) and table: every event at the end, by start time then id."""

    def __init__(self, stream: TextIO, output_format: OutputFormat) -> None:
        self.stream, self.format = stream, output_format
        self.events: list[CalendarEvent] = []

    def add(self, event: CalendarEvent) -> None:
        self.events.append(event)

    def close(self) -> None:
        ordered = sorted(self.events, key=event_order)
        if self.format is OutputFormat.json:
            self.stream.write(json.dumps([event.to_dict() for event in ordered], indent=2) + "\n")
        else:
            self._table(ordered)
        self.stream.flush()

    def _table(self, ordered: list[CalendarEvent]) -> None:
        from rich.text import Text

        rows: list[tuple[list[Text], str | None]] = []
        for event in ordered:
            values = (
                event.start_time,
                event.end_time,
                event.calendar_id,
                event.contact_id,
                event.id,
                event.title,
                event.appointment_status,
            )
            rows.append(([Text(_table_cell(value)) for value in values], None))
        if not rows:
            rows.append(([Text(""), Text(""), Text(""), Text(""), Text(""), Text("(no events)"), Text("")], "dim"))
        print_table(self.stream, EVENT_TABLE_COLUMNS, rows)


def event_sink(output_format: OutputFormat, stream: TextIO) -> EventSink:
    """The event sink of `output_format` on `stream` (csv writes its header now)."""
    if output_format is OutputFormat.jsonl:
        return JsonlEventSink(stream)
    if output_format is OutputFormat.csv:
        return CsvEventSink(stream)
    return CollectingEventSink(stream, output_format)


__all__ = [
    "APPOINTMENT_COLUMNS",
    "CSV_COLUMNS",
    "EVENT_COLUMNS",
    "EVENT_TABLE_COLUMNS",
    "LOCATED_CSV_COLUMNS",
    "CollectingEventSink",
    "CollectingSink",
    "CsvEventSink",
    "CsvSink",
    "EventSink",
    "JsonlEventSink",
    "JsonlSink",
    "Order",
    "OutputFormat",
    "Redact",
    "Sink",
    "csv_rows",
    "event_order",
    "event_sink",
    "key",
    "print_table",
    "record",
    "sink",
]
