"""The command line: `highlevel-contacts appointments ID... [--ids-file PATH]`, also `python -m highlevel_contacts`.

It ships as the optional extra `pip install 'highlevel-contacts[cli]'` (typer and rich): the library itself needs
neither, so both are imported only when the command runs, and without them `main()` prints one line saying what
to install and exits 2.

Appointments are fetched with `bulk.fetch_appointments` (one result per distinct id, within the client's rate
budget). With the agency's token set, `--location ID` (repeatable) or `--all-locations` (every location where the
app is installed, listed first) fetches each id from each location through `bulk.fetch_appointments_by_location`
(a location token and a rate budget per location), and every record carries its `locationId`. `--api-version`
chooses the Version header of the appointments calls. `jsonl` and `csv` are written as each contact completes
(a jsonl line is flushed at once, so an interrupted run keeps what it fetched and `--resume` fetches only the
rest); `json` and `table` are written at the end, in the order the ids were given. The token comes from the
environment (`HIGHLEVEL_TOKEN`), never from the command line, which other users of the machine can read; or
OAuth from `--token-file` with `HIGHLEVEL_CLIENT_ID` and `HIGHLEVEL_CLIENT_SECRET`. No token, client secret or
refresh token appears in any output or message.

Exit status: 0 every contact succeeded, 1 some failed (or, with --all-locations, the locations could not be
listed, or the app is installed at none), 2 usage error, 130 interrupted.
"""

import asyncio
import contextlib
import csv
import datetime
import enum
import importlib
import itertools
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TextIO

import attrs

from . import agency, bulk
from . import output as outfile
from .auth import FileTokenStore, HighLevelOAuth, RedisTokenStore, TokenStore, is_agency_token_set
from .client import AuthenticatedClient
from .errors import HighLevelError
from .ids import DigestSet, Ids, IdsFileError
from .models import Appointment
from .models.api_version import API_VERSION_DEFAULT, API_VERSION_VALUES, ApiVersion
from .redaction import redact as redact_secrets
from .types import Unset

if TYPE_CHECKING:
    import typer
    from rich.console import Console

PROG_NAME = "highlevel-contacts"
DEFAULT_BASE_URL = "https://services.leadconnectorhq.com"
TOKEN_ENV = "HIGHLEVEL_TOKEN"
CLIENT_ID_ENV = "HIGHLEVEL_CLIENT_ID"
CLIENT_SECRET_ENV = "HIGHLEVEL_CLIENT_SECRET"
REDIS_URL_ENV = "HIGHLEVEL_REDIS_URL"
API_VERSION_ENV = "HIGHLEVEL_API_VERSION"
MISSING_EXTRA = (
    f"{PROG_NAME}: the command line needs the cli extra (typer and rich): pip install 'highlevel-contacts[cli]'"
)
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
REDACTED = "[redacted]"
TABLE_TITLE_MIN = 12
"""The narrowest the table's title column gets (it wraps); the other columns are as wide as their widest value."""


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class UsageError(Exception):
    """A mistake in the command line or its environment: reported with the usage, exit status 2."""


@attrs.frozen
class Options:
    """The command line, parsed."""

    contact_ids: list[str]
    ids_file: str | None = None
    base_url: str = DEFAULT_BASE_URL
    concurrency: int = bulk.DEFAULT_CONCURRENCY
    format: OutputFormat | None = None
    output: Path | None = None
    resume: bool = False
    token_file: Path | None = None
    redis_url: str | None = None
    api_version: str = API_VERSION_DEFAULT
    locations: list[str] = attrs.field(factory=list)
    all_locations: bool = False


Key = outfile.Key
Order = Mapping[Key, tuple[int, int]]
"""Where each unit of work goes in json and table output: (its location's rank, its contact's rank)."""

BATCH = 1_000
"""The least units of work handed to bulk at once (bulk holds a batch in memory; the run holds no more ids). With
many locations a batch is larger: a few requests in flight for each location at once, so all of them stay busy."""


def _key(result: bulk.ContactResult) -> Key:
    return (result.location_id, result.contact_id)


# Records: what each format writes for one contact ----------------------------------------------------------------


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


class Redact:
    """Replaces every secret (the token, the client secret, the OAuth tokens held) in a text, as `errors.redact`
    does: in one pass, so a marker is never replaced inside (a token "r" made `[[redacted]edacted]`)."""

    def __init__(self, secrets: Callable[[], Sequence[str]] = tuple) -> None:
        self._secrets = secrets

    def __call__(self, text: str) -> str:
        return redact_secrets(text, self._secrets(), REDACTED)


def _events(result: bulk.ContactResult) -> list[Appointment]:
    events = result.appointments.events if result.appointments is not None else None
    return events if isinstance(events, list) else []  # null or absent: no appointments


def record(result: bulk.ContactResult, redact: Redact) -> dict[str, Any]:
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


# Sinks: where the records go -----------------------------------------------------------------------------------


class Sink(Protocol):
    def add(self, result: bulk.ContactResult) -> None: ...

    def close(self) -> None: ...


class JsonlSink:
    """One line per contact, flushed as it arrives."""

    def __init__(self, stream: TextIO, redact: Redact) -> None:
        self.stream, self.redact = stream, redact

    def add(self, result: bulk.ContactResult) -> None:
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

    def add(self, result: bulk.ContactResult) -> None:
        line = record(result, self.redact)
        rows = csv_rows(line)
        self.writer.writerows([[line.get("locationId", ""), *row] for row in rows] if self.located else rows)
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class CollectingSink:
    """json and table: everything at the end, in the order the ids were given."""

    def __init__(
        self, stream: TextIO, redact: Redact, order: Order, output_format: OutputFormat, located: bool = False
    ) -> None:
        # `order` is filled as the ids are read, before their results arrive: these formats hold every result.
        self.stream, self.redact, self.format = stream, redact, output_format
        self.order, self.located = order, located
        self.results: list[bulk.ContactResult] = []

    def add(self, result: bulk.ContactResult) -> None:
        self.results.append(result)

    def close(self) -> None:
        last = (sys.maxsize, sys.maxsize)
        results = sorted(self.results, key=lambda result: self.order.get(_key(result), last))
        if self.format is OutputFormat.json:
            self.stream.write(json.dumps([record(result, self.redact) for result in results], indent=2) + "\n")
        else:
            self._table(results)
        self.stream.flush()

    def _table(self, results: list[bulk.ContactResult]) -> None:
        from rich import box
        from rich.console import Console
        from rich.table import Table
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
        console = Console(file=self.stream, highlight=False)
        if needed > console.width:
            console = Console(file=self.stream, highlight=False, width=needed)
        console.print(table)
        if failures:
            console.print(Text(f"\n{len(failures)} failed:"), style="red")
            for contact_id, message in failures:
                console.print(Text(f"  {contact_id}: {message}"), style="red", soft_wrap=True)


# Inputs: ids, credentials, the file to resume -------------------------------------------------------------------


def open_ids(options: Options, stdin: TextIO) -> tuple[Ids, int]:
    """The ids from the arguments, then from --ids-file (`-`: stdin), and how many distinct ones there are (the
    file read once, through; see the ids module for how its lines are read)."""
    try:
        ids = Ids(options.contact_ids, options.ids_file, stdin)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UsageError(f"cannot read the ids file {options.ids_file}: {reason}") from None
    try:
        count = ids.count()
    except (OSError, IdsFileError) as error:
        ids.close()
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise UsageError(f"cannot read the ids file {options.ids_file}: {reason or type(error).__name__}") from None
    if not count:
        ids.close()
        raise UsageError("no contact ids: give them as arguments or in --ids-file PATH (one per line; - for stdin)")
    return ids, count


@attrs.frozen
class Credentials:
    token: str | None
    oauth: HighLevelOAuth | None = None
    seed: tuple[str, ...] = ()  # the token file's tokens when the run started

    def secrets(self) -> tuple[str, ...]:
        """Every secret known now (the OAuth tokens change as they are refreshed)."""
        held = self.oauth.secrets() if self.oauth is not None else ()
        return (*held, *self.seed, *((self.token,) if self.token is not None else ()))


def credentials(options: Options, environ: Mapping[str, str]) -> Credentials:
    """The token from the environment, or OAuth from the token file and the app's credentials; both or neither
    is a usage error."""
    token = environ.get(TOKEN_ENV) or None
    if token is not None and options.token_file is not None:
        raise UsageError(f"both {TOKEN_ENV} and --token-file are set: use one of them")
    if token is not None:
        return Credentials(token=token)
    if options.token_file is None and options.redis_url is None:
        raise UsageError(
            f"no token: set {TOKEN_ENV} (a Private Integration Token or an access token), or give --token-file "
            f"PATH (or --redis-url, for a token set kept in Redis) with {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} set"
        )
    client_id, client_secret = environ.get(CLIENT_ID_ENV) or None, environ.get(CLIENT_SECRET_ENV) or None
    if client_id is None or client_secret is None:
        pairs = ((CLIENT_ID_ENV, client_id), (CLIENT_SECRET_ENV, client_secret))
        missing = " and ".join(name for name, value in pairs if value is None)
        source = "--token-file" if options.token_file is not None else "--redis-url"
        raise UsageError(f"{source} needs {missing} set (the OAuth app's credentials)")
    try:
        store: TokenStore
        if options.token_file is not None:
            store = FileTokenStore(options.token_file)
        else:
            assert options.redis_url is not None
            store = RedisTokenStore(options.redis_url)
        token_set = store.load()  # a missing or broken token store is a usage error, not a failure of every contact
        oauth = HighLevelOAuth(client_id=client_id, client_secret=client_secret, store=store)
    except (HighLevelError, ImportError, ValueError) as error:
        raise UsageError(str(error)) from None
    seed = (token_set["access_token"], token_set["refresh_token"])
    return Credentials(token=None, oauth=oauth, seed=seed)


# The run -----------------------------------------------------------------------------------------------------


def _progress_console() -> "Console | None":
    """Where the progress bar goes: stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    return Console(stderr=True)


@contextlib.contextmanager
def _progress(console: "Console | None", total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar (done, failed, rate, ETA); yields `advance(failed_so_far)`."""
    if console is None:
        yield lambda failed: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{task.speed:.1f}/s" if task.speed is not None else "-/s")

    progress = Progress(
        TextColumn("contacts"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        RateColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    with progress:
        task = progress.add_task("appointments", total=total, failed=0)
        yield lambda failed: progress.update(task, advance=1, failed=failed)


def _check_writable(path: Path) -> None:
    """UsageError unless `path` can be written (without touching it: an existing file keeps its contents)."""
    if path.exists():
        reason = None if os.access(path, os.W_OK) else "permission denied"
    elif not path.parent.is_dir():
        reason = f"no directory {path.parent}"
    else:
        reason = None if os.access(path.parent, os.W_OK) else "permission denied"
    if reason is not None:
        raise UsageError(f"cannot write {path}: {reason}")


def _open_output(path: Path, output_format: OutputFormat, *, append: bool) -> TextIO:
    newline = "" if output_format is OutputFormat.csv else None
    try:
        # run() closes it (the stream is stdout or this file). Append when resuming.
        return open(path, "a" if append else "w", encoding="utf-8", newline=newline)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or type(error).__name__}") from None


def sink(
    output_format: OutputFormat, stream: TextIO, redact: Redact, *, located: bool = False, order: Order | None = None
) -> Sink:
    if output_format is OutputFormat.jsonl:
        return JsonlSink(stream, redact)
    if output_format is OutputFormat.csv:
        return CsvSink(stream, redact, located=located)
    return CollectingSink(stream, redact, order if order is not None else {}, output_format, located=located)


def _plural(count: int) -> str:
    return f"{count} contact" if count == 1 else f"{count} contacts"


def _api_version(value: str) -> ApiVersion:
    for version in API_VERSION_VALUES:
        if value == version:
            return version
    listed = ", ".join(sorted(API_VERSION_VALUES))
    raise UsageError(f"--api-version must be one of {listed}, got {value!r}")


def run(options: Options, *, environ: Mapping[str, str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """The `appointments` command; returns the exit status, raises UsageError (before anything is written)."""
    if options.concurrency < 1:
        raise UsageError(f"--concurrency must be >= 1, got {options.concurrency}")
    if options.resume and options.output is None:
        raise UsageError("--resume needs --output PATH (the jsonl file to append to)")
    if options.resume and options.format not in (None, OutputFormat.jsonl):
        raise UsageError("--resume works only with --format jsonl")
    if options.locations and options.all_locations:
        raise UsageError("--location and --all-locations exclude each other: give one")
    version = _api_version(options.api_version)
    ids, distinct = open_ids(options, stdin)
    with contextlib.ExitStack() as held:  # the ids file, then the output's lock: until the run ends
        held.callback(ids.close)
        return _run(options, version, ids, distinct, held, environ=environ, stdout=stdout, stderr=stderr)


def _run(
    options: Options,
    version: ApiVersion,
    ids: Ids,
    distinct: int,
    held: contextlib.ExitStack,
    *,
    environ: Mapping[str, str],
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    located = bool(options.locations) or options.all_locations
    creds = credentials(options, environ)
    if located and creds.oauth is None:
        flag = "--all-locations" if options.all_locations else "--location"
        raise UsageError(
            f"{flag} needs the agency's OAuth token set: --token-file PATH (or --redis-url) with "
            f"{CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}, not {TOKEN_ENV}"
        )
    if located and creds.oauth is not None and not is_agency_token_set(creds.oauth.store.load()):
        raise UsageError(
            f"{'--all-locations' if options.all_locations else '--location'} needs the agency's OAuth token set "
            "(userType Company, with a companyId); this token set is a location's"
        )
    redact = Redact(creds.secrets)
    settings: dict[str, Any] = {"base_url": options.base_url, "redis_url": options.redis_url, "version": version}
    try:
        if creds.oauth is not None:
            client = AuthenticatedClient(auth=creds.oauth, **settings)
        else:
            client = AuthenticatedClient(token=creds.token, **settings)
        if creds.oauth is not None:
            for location_id in options.locations:
                creds.oauth.for_location(location_id)  # a location id that cannot be one: a usage error
    except (ValueError, TypeError, ImportError, HighLevelError) as error:
        raise UsageError(redact(str(error))) from None

    # Everything that can be wrong with the files is found before anything is sent (the listing included).
    done = _hold_output(options, held, stderr)
    if done is None:
        return EXIT_USAGE
    locations: list[str | None] = [None]
    if options.all_locations:
        try:
            with client:
                listed = list(agency.installed_location_ids(client))
        except (ValueError, HighLevelError) as error:
            print(f"cannot list the installed locations: {redact(str(error))}", file=stderr)
            return EXIT_FAILED
        if not listed:
            print("the app is installed at no location of the agency's company", file=stderr)
            return EXIT_FAILED
        locations = list(listed)
    elif options.locations:
        locations = list(dict.fromkeys(options.locations))

    # How many each location has to fetch: the ids read once more when the output holds some already.
    remaining = dict.fromkeys(locations, distinct)
    if len(done):
        remaining = dict.fromkeys(locations, 0)
        for key in _keys(ids, locations, done):
            remaining[key[0]] += 1
    total = sum(remaining.values())
    if options.resume:
        work = distinct * len(locations)
        print(f"resume: {work - total} of {_plural(work)} already in {options.output}", file=stderr)

    name = "standard output" if options.output is None else str(options.output)
    stream = (
        stdout
        if options.output is None
        else _open_output(options.output, options.format or OutputFormat.jsonl, append=options.resume)
    )
    try:
        output_format = options.format or (OutputFormat.table if stream.isatty() else OutputFormat.jsonl)
        streams_to_terminal = output_format in (OutputFormat.jsonl, OutputFormat.csv) and stream.isatty()
        # The lines themselves show the progress when they go to the terminal the bar would be drawn on.
        console = None if streams_to_terminal else _progress_console()
        # json and table hold every result until the end anyway; the order is theirs to keep.
        order: dict[Key, tuple[int, int]] | None = (
            {} if output_format in (OutputFormat.json, OutputFormat.table) else None
        )
        size = max(BATCH, 4 * options.concurrency * len(locations))
        batches = _batches(_keys(ids, locations, done, order), size)
        if not located:
            fetched = _fetch_one_client(client, batches, options)
        else:
            assert creds.oauth is not None
            wanted = [location_id for location_id, count in remaining.items() if count and location_id is not None]
            clients = agency.location_clients(creds.oauth, wanted, **settings)  # ids checked: given or listed
            fetched = _fetch_located(clients, batches, options)
        with outfile.guarded_writes(name):
            results = sink(output_format, stream, redact, located=located, order=order)  # csv: the header
        code = _fetch_all(fetched, total, options, results, console, stderr, name)
        if stream is not stdout:
            with outfile.guarded_writes(name):
                stream.close()
        return code
    except outfile.WriteFailed as error:
        outfile.abandon(stream, is_stdout=stream is stdout)
        kept = options.output is not None and options.output.is_file() and output_format is OutputFormat.jsonl
        hint = "; the lines written are kept: run again with --resume to fetch the rest" if kept else ""
        print(f"{PROG_NAME}: {error}{hint}", file=stderr)
        return EXIT_FAILED
    finally:
        if stream is not stdout:
            with contextlib.suppress(OSError):
                stream.close()


def _hold_output(options: Options, held: contextlib.ExitStack, stderr: TextIO) -> "DigestSet | None":
    """Take the output's lock (until `held` closes) and read what --resume keeps: the pairs done; None (after
    one line on stderr) when another run holds the file."""
    if options.output is None:
        return DigestSet()
    _check_writable(options.output)
    try:
        held.enter_context(outfile.one_writer(options.output))
    except outfile.OutputBusy as error:
        print(f"{PROG_NAME}: {error}", file=stderr)
        return None
    except OSError as error:
        raise UsageError(f"cannot lock {options.output}: {error.strerror or type(error).__name__}") from None
    if not options.resume:
        return DigestSet()
    try:
        return outfile.resume(options.output)
    except outfile.ResumeRefused as error:
        raise UsageError(f"--resume: {error}") from None


def _keys(
    ids: Ids, locations: Sequence[str | None], done: DigestSet, order: dict[Key, tuple[int, int]] | None = None
) -> Iterator[Key]:
    """The units of work not done yet, contact by contact (each with every location, so that a batch keeps every
    location busy), filling `order` as they go."""
    for contact_rank, contact_id in enumerate(ids.distinct()):
        for location_rank, location_id in enumerate(locations):
            key = (location_id, contact_id)
            if len(done) and outfile.key_text(key) in done:
                continue
            if order is not None:
                order[key] = (location_rank, contact_rank)
            yield key


def _batches(keys: Iterator[Key], size: int) -> Iterator[list[Key]]:
    while batch := list(itertools.islice(keys, size)):
        yield batch


Fetch = Callable[[], AsyncIterator[bulk.ContactResult]]
"""Starts the fetching, inside the event loop that asyncio.run() makes: the clients must belong to it."""


def _fetch_one_client(client: AuthenticatedClient, batches: Iterable[list[Key]], options: Options) -> Fetch:
    async def fetch() -> AsyncIterator[bulk.ContactResult]:
        async with client:
            for batch in batches:
                contact_ids = [contact_id for _, contact_id in batch]
                async for result in bulk.fetch_appointments(client, contact_ids, concurrency=options.concurrency):
                    yield result

    return fetch


def _fetch_located(clients: "agency.LocationClients", batches: Iterable[list[Key]], options: Options) -> Fetch:
    async def fetch() -> AsyncIterator[bulk.ContactResult]:
        async with clients:
            for batch in batches:
                pairs = [(location_id, contact_id) for location_id, contact_id in batch if location_id is not None]
                fetched = bulk.fetch_appointments_by_location(clients, pairs, concurrency=options.concurrency)
                async for result in fetched:
                    yield result

    return fetch


def _fetch_all(
    fetched: Fetch,
    total: int,
    options: Options,
    sink: Sink,
    console: "Console | None",
    stderr: TextIO,
    name: str,
) -> int:
    """Raises WriteFailed (the fetching stopped) when the output cannot be written."""
    counts = {"ok": 0, "failed": 0}
    started = time.monotonic()

    async def fetch(advance: Callable[[int], None]) -> None:
        async for result in fetched():
            counts["ok" if result.ok else "failed"] += 1
            with outfile.guarded_writes(name):
                sink.add(result)
            advance(counts["failed"])

    interrupted = False
    with _progress(console, total) as advance:
        try:
            if total:
                asyncio.run(fetch(advance))
        except KeyboardInterrupt:
            interrupted = True
    if not interrupted:
        with outfile.guarded_writes(name):
            sink.close()
    elapsed = time.monotonic() - started
    done = counts["ok"] + counts["failed"]
    summary = f"{counts['ok']} ok, {counts['failed']} failed in {elapsed:.1f} s"
    if interrupted:
        hint = " (run again with --resume to fetch the rest)" if options.output is not None else ""
        print(f"interrupted: {done} of {_plural(total)} done: {summary}{hint}", file=stderr)
        return EXIT_INTERRUPTED
    print(f"{_plural(total)}: {summary}", file=stderr)
    return EXIT_FAILED if counts["failed"] else EXIT_OK


# typer ---------------------------------------------------------------------------------------------------------


def build_app() -> "typer.Typer":
    """The typer application (imports typer: the cli extra must be installed)."""
    import typer

    app = typer.Typer(
        name=PROG_NAME,
        help="HighLevel's Get Appointments for Contact API from the command line.",
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,  # plain "Error: ..." lines, not boxes, for scripts and logs
        pretty_exceptions_enable=False,  # typer's pretty tracebacks would print local variables: the token
    )

    @app.callback()
    def root() -> None:
        """HighLevel's Get Appointments for Contact API from the command line."""

    @app.command("appointments")
    def appointments(
        ctx: typer.Context,
        contact_ids: Annotated[
            list[str] | None,
            typer.Argument(metavar="CONTACT_ID...", help="Contact ids (and/or --ids-file).", show_default=False),
        ] = None,
        ids_file: Annotated[
            str | None,
            typer.Option("--ids-file", metavar="PATH", help="A file of contact ids, one per line; - for stdin."),
        ] = None,
        base_url: Annotated[
            str, typer.Option("--base-url", metavar="URL", help="The API's base URL.")
        ] = DEFAULT_BASE_URL,
        concurrency: Annotated[
            int,
            typer.Option(
                "--concurrency",
                min=1,
                metavar="N",
                help="Requests waiting on the rate budget at once (per location, with --location/--all-locations).",
            ),
        ] = bulk.DEFAULT_CONCURRENCY,
        output_format: Annotated[
            OutputFormat | None,
            typer.Option(
                "--format",
                case_sensitive=False,
                help="Output format. Default: table when the output is a terminal, jsonl otherwise.",
                show_default=False,
            ),
        ] = None,
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", metavar="PATH", help="Write here instead of stdout.", dir_okay=False),
        ] = None,
        resume: Annotated[
            bool,
            typer.Option(
                "--resume", help="Skip ids that already have appointments in the jsonl --output; append the rest."
            ),
        ] = False,
        token_file: Annotated[
            Path | None,
            typer.Option(
                "--token-file",
                metavar="PATH",
                help=f"OAuth token set file (with {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}); "
                f"otherwise the token is {TOKEN_ENV}.",
                dir_okay=False,
            ),
        ] = None,
        redis_url: Annotated[
            str | None,
            typer.Option(
                "--redis-url",
                envvar=REDIS_URL_ENV,
                metavar="URL",
                show_envvar=True,
                help="Share the rate budget (and, for OAuth without --token-file, keep the token set) in Redis.",
            ),
        ] = None,
        location: Annotated[
            list[str] | None,
            typer.Option(
                "--location",
                metavar="ID",
                help="Fetch each contact from this location (repeatable), with the agency's token set "
                "(--token-file or --redis-url): a location token is asked for each.",
                show_default=False,
            ),
        ] = None,
        all_locations: Annotated[
            bool,
            typer.Option("--all-locations", help="Fetch each contact from every location where the app is installed."),
        ] = False,
        api_version: Annotated[
            str,
            typer.Option(
                "--api-version",
                envvar=API_VERSION_ENV,
                metavar="VERSION",
                show_envvar=True,
                help=f"The Version header of the appointments calls: {' or '.join(sorted(API_VERSION_VALUES))}.",
            ),
        ] = API_VERSION_DEFAULT,
    ) -> None:
        """Fetch the appointments of each contact: one jsonl line, json item, csv row or table row per contact."""
        options = Options(
            contact_ids=contact_ids or [],
            ids_file=ids_file,
            base_url=base_url,
            concurrency=concurrency,
            format=output_format,
            output=output,
            resume=resume,
            token_file=token_file,
            redis_url=redis_url,
            api_version=api_version,
            locations=location or [],
            all_locations=all_locations,
        )
        try:
            code = run(options, environ=os.environ, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)
        except UsageError as error:
            ctx.fail(str(error))
        raise typer.Exit(code)

    return app


def main(argv: Sequence[str] | None = None) -> int:
    """The console script `highlevel-contacts` and `python -m highlevel_contacts`; returns the exit status."""
    for name in ("typer", "rich"):
        try:
            importlib.import_module(name)
        except ImportError:
            print(MISSING_EXTRA, file=sys.stderr)
            return EXIT_USAGE
    try:
        build_app()(args=None if argv is None else list(argv), prog_name=PROG_NAME)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_FAILED)
    return EXIT_OK


__all__ = ["DEFAULT_BASE_URL", "OutputFormat", "main"]
