"""The command line: `highlevel-contacts appointments ID... [--ids-file PATH]` (per contact) and `highlevel-contacts
events --location ID --since DATE --until DATE` (a location's calendar events), also `python -m highlevel_contacts`.

It ships as the optional extra `pip install 'highlevel-contacts[cli]'` (typer and rich): the library itself needs
neither, so both are imported only when the command runs, and without them `main()` prints one line saying what
to install and exits 2.

This module holds the typer declarations (typer parses, checks choices and ranges, reads the environment's
`HIGHLEVEL_API_VERSION` and `HIGHLEVEL_REDIS_URL`) and the run: the ids (`ids`), the credentials, the output
file's lock and resume (`output`), the fetching (`bulk`, `agency` with `--location`/`--all-locations`), and the
records written (`records`). The token comes from the environment (`HIGHLEVEL_TOKEN`), never from the command
line, which other users of the machine can read; or OAuth from `--token-file` with `HIGHLEVEL_CLIENT_ID` and
`HIGHLEVEL_CLIENT_SECRET`. No token, client secret or refresh token appears in any output or message.

Exit status: 0 every contact succeeded, 1 some failed (or the run stopped because nothing could succeed, the
output could not be written, or, with --all-locations, the locations could not be listed or the app is installed
at none), 2 usage error, 130 interrupted. `events`: 0 every window listed, 1 the listing is incomplete (each kind
of failure in a line; the events listed are written all the same) or the output could not be written, 2 usage
error, 130 interrupted.
"""

import asyncio
import contextlib
import datetime as dt
import importlib
import itertools
import os
import sys
import time
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Literal, TextIO, get_args

import attrs

from . import agency, bulk, errors, events, redaction
from . import output as outfile
from .auth import FileTokenStore, HighLevelOAuth, RedisTokenStore, TokenStore, is_agency_token_set, is_location_id
from .client import AuthenticatedClient
from .ids import DigestSet, Ids, IdsFileError
from .models import CalendarEvent
from .models.api_version import API_VERSION_DEFAULT, ApiVersion
from .records import EventSink, OutputFormat, Redact, Sink, event_sink, sink
from .validation import check_base_url, check_token

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
    f"{PROG_NAME}: the command line needs the cli extra (typer and rich): pip install 'highlevel-contacts[cli]' "
    "(from a clone of its repository, while it is on no package index: pip install './generated[cli]')"
)
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
REDACTED = "[redacted]"

Key = outfile.Key

BATCH = 1_000
"""The least units of work handed to bulk at once (bulk holds a batch in memory; the run holds no more ids). With
many locations a batch is larger: a few requests in flight for each location at once, so all of them stay busy."""


class UsageError(Exception):
    """A mistake in the command line or its environment: reported with the usage, exit status 2."""


# Inputs: ids, credentials ---------------------------------------------------------------------------------------


def open_ids(contact_ids: Sequence[str], ids_file: BinaryIO | None) -> tuple[Ids, int]:
    """The ids from the arguments, then from --ids-file (opened by typer; `-` is stdin), and how many distinct
    ones there are (the file read once, through: see the ids module)."""
    name = getattr(ids_file, "name", "-")
    name = "-" if name == "<stdin>" or not isinstance(name, str) else name
    ids: Ids | None = None
    try:
        ids = Ids(contact_ids, ids_file)
        count = ids.count()
    except (OSError, IdsFileError) as error:
        if ids is not None:
            ids.close()
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise UsageError(f"cannot read the ids file {name}: {reason or type(error).__name__}") from None
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

    def redact(self, text: str) -> str:
        return redaction.redact(text, self.secrets(), REDACTED)


def credentials(environ: Mapping[str, str], token_file: Path | None, redis_url: str | None) -> Credentials:
    """The token from the environment, or OAuth from the token file (or Redis) and the app's credentials; both
    or neither is a usage error, and so is a token that cannot be sent."""
    token = environ.get(TOKEN_ENV) or None
    if token is not None and token_file is not None:
        raise UsageError(f"both {TOKEN_ENV} and --token-file are set: use one of them")
    if token is not None:
        if token != token.strip():
            raise UsageError(f"{TOKEN_ENV} has leading or trailing whitespace: set it to the token alone")
        try:
            check_token(token, "Bearer")
        except ValueError as error:
            raise UsageError(f"{TOKEN_ENV} cannot be sent as a token: {error}") from None
        return Credentials(token=token)
    if token_file is None and redis_url is None:
        raise UsageError(
            f"no token: set {TOKEN_ENV} (a Private Integration Token or an access token), or give --token-file "
            f"PATH (or --redis-url, for a token set kept in Redis) with {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} set"
        )
    client_id, client_secret = environ.get(CLIENT_ID_ENV) or None, environ.get(CLIENT_SECRET_ENV) or None
    if client_id is None or client_secret is None:
        pairs = ((CLIENT_ID_ENV, client_id), (CLIENT_SECRET_ENV, client_secret))
        missing = " and ".join(name for name, value in pairs if value is None)
        source = "--token-file" if token_file is not None else "--redis-url"
        raise UsageError(f"{source} needs {missing} set (the OAuth app's credentials)")
    try:
        store: TokenStore = FileTokenStore(token_file) if token_file is not None else RedisTokenStore(str(redis_url))
        token_set = store.load()  # a missing or broken token store is a usage error, not a failure of every contact
        oauth = HighLevelOAuth(client_id=client_id, client_secret=client_secret, store=store)
    except (errors.HighLevelError, ImportError, ValueError) as error:
        raise UsageError(str(error)) from None
    return Credentials(token=None, oauth=oauth, seed=(token_set["access_token"], token_set["refresh_token"]))


# The output file -----------------------------------------------------------------------------------------------


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


def hold_output(output: Path | None, resume: bool, held: contextlib.ExitStack, stderr: TextIO) -> DigestSet | None:
    """Take the output's lock (until `held` closes) and read what --resume keeps: the pairs done; None (after
    one line on stderr) when another run holds the file."""
    if output is None:
        return DigestSet()
    _check_writable(output)
    try:
        held.enter_context(outfile.one_writer(output))
    except outfile.OutputBusy as error:
        print(f"{PROG_NAME}: {error}", file=stderr)
        return None
    except OSError as error:
        raise UsageError(f"cannot lock {output}: {error.strerror or type(error).__name__}") from None
    try:
        return outfile.resume(output) if resume else DigestSet()
    except outfile.ResumeRefused as error:
        raise UsageError(f"--resume: {error}") from None


def _open_output(path: Path, output_format: OutputFormat, *, append: bool) -> TextIO:
    newline = "" if output_format is OutputFormat.csv else None
    try:
        return open(path, "a" if append else "w", encoding="utf-8", newline=newline)  # closed by the run
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or type(error).__name__}") from None


def open_stream(
    output: Path | None, output_format: OutputFormat | None, *, append: bool, held: contextlib.ExitStack, stdout: TextIO
) -> tuple[TextIO, str]:
    """Where a command writes: stdout, or `output` opened for its format (closed with `held`), and its name for
    messages. Raises UsageError for a file that cannot be opened."""
    if output is None:
        return stdout, "standard output"
    stream = _open_output(output, output_format or OutputFormat.jsonl, append=append)
    held.callback(_close_quietly, stream)
    return stream, str(output)


def chosen_format(output_format: OutputFormat | None, stream: TextIO) -> "tuple[OutputFormat, Console | None]":
    """The format (by default table to a terminal, jsonl elsewhere) and the progress console, if any: none when
    jsonl or csv lines go to the terminal the bar would be drawn on (the lines themselves show the progress)."""
    chosen = output_format or (OutputFormat.table if stream.isatty() else OutputFormat.jsonl)
    streams_to_terminal = chosen in (OutputFormat.jsonl, OutputFormat.csv) and stream.isatty()
    return chosen, None if streams_to_terminal else _progress_console()


def _close_quietly(stream: TextIO) -> None:
    with contextlib.suppress(OSError):
        stream.close()


# The work: (location, contact) pairs in batches ------------------------------------------------------------------


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


Fetch = Callable[[], AsyncGenerator[bulk.ContactResult, None]]
"""Starts the fetching, inside the event loop that asyncio.run() makes: the clients must belong to it."""


@attrs.define
class Tally:
    ok: int = 0
    failed: int = 0

    def stop_after(self) -> int | None:
        """Each batch is a bulk run of its own: stop early only while nothing has succeeded (in any batch)."""
        return None if self.ok else bulk.STOP_AFTER_FAILURES


def _fetch_one_client(
    client: AuthenticatedClient, batches: Iterable[list[Key]], concurrency: int, tally: Tally
) -> Fetch:
    async def fetch() -> AsyncGenerator[bulk.ContactResult, None]:
        async with client:
            for batch in batches:
                contact_ids = [contact_id for _, contact_id in batch]
                stop_after = tally.stop_after()
                async for result in bulk.fetch_appointments(
                    client, contact_ids, concurrency=concurrency, stop_after_failures=stop_after
                ):
                    yield result

    return fetch


def _fetch_located(
    clients: agency.LocationClients, batches: Iterable[list[Key]], concurrency: int, max_in_flight: int, tally: Tally
) -> Fetch:
    async def fetch() -> AsyncGenerator[bulk.ContactResult, None]:
        async with clients:
            for batch in batches:
                pairs = [(location_id, contact_id) for location_id, contact_id in batch if location_id is not None]
                async for result in bulk.fetch_appointments_by_location(
                    clients,
                    pairs,
                    concurrency=concurrency,
                    max_in_flight=max_in_flight,
                    stop_after_failures=tally.stop_after(),
                ):
                    yield result

    return fetch


def _count(count: int, located: bool) -> str:
    """How much work `count` units are: contacts, or (location, contact) pairs with locations."""
    noun = "(location, contact) pair" if located else "contact"
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# Progress and the fetching loop -----------------------------------------------------------------------------------


def _progress_console() -> "Console | None":
    """Where the progress bar goes: stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    return Console(stderr=True)


@contextlib.contextmanager
def _progress(console: "Console | None", total: int, label: str) -> Iterator[Callable[[int], None]]:
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
        TextColumn(label),
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


def fetch_all(
    fetched: Fetch, total: int, located: bool, sink: Sink, tally: Tally, console: "Console | None", name: str
) -> errors.RunStoppedError | bool | None:
    """Fetch everything into `sink`, counting in `tally`: None when done, True when interrupted, the error when
    the run stopped because nothing could succeed (the ids not sent are not written). Raises WriteFailed (the
    fetching stopped) when the output cannot be written."""
    stopped: errors.RunStoppedError | None = None

    async def fetch(advance: Callable[[int], None]) -> None:
        # Leaving the loop early (a stop, a failed write) leaves the fetch to asyncio.run, which cancels the tasks
        # in flight and then closes the generators (the clients last): closing ours here would close the clients
        # under bulk's tasks still in flight.
        nonlocal stopped
        async for result in fetched():
            if isinstance(result.error, errors.RunStoppedError):
                stopped = result.error
                return
            if result.ok:
                tally.ok += 1
            else:
                tally.failed += 1
            with outfile.guarded_writes(name):
                sink.add(result)
            advance(tally.failed)

    with _progress(console, total, "pairs" if located else "contacts") as advance:
        try:
            if total:
                asyncio.run(fetch(advance))
        except KeyboardInterrupt:
            return True
    with outfile.guarded_writes(name):
        sink.close()
    return stopped


def last_line(
    ended: errors.RunStoppedError | bool | None,
    tally: Tally,
    total: str,
    elapsed: float,
    *,
    resumable: bool,
    why: Callable[[errors.RunStoppedError], str],
) -> tuple[int, str]:
    """The exit status and the line that ends the run on stderr, from what fetch_all returned."""
    summary = f"{tally.ok} ok, {tally.failed} failed in {elapsed:.1f} s"
    if ended is True:
        hint = " (run again with --resume to fetch the rest)" if resumable else ""
        return EXIT_INTERRUPTED, f"interrupted: {tally.ok + tally.failed} of {total} done: {summary}{hint}"
    if isinstance(ended, errors.RunStoppedError):
        hint = ": run again with --resume once that is fixed" if resumable else ""
        tried = tally.ok + tally.failed
        return EXIT_FAILED, f"{PROG_NAME}: {why(ended)}; stopped sending after {tried} of {total} ({summary}){hint}"
    return (EXIT_FAILED if tally.failed else EXIT_OK), f"{total}: {summary}"


def stop_line(stopped: errors.RunStoppedError, base_url: str, token_set: str | None, redact: Redact) -> str:
    """Why the run stopped sending, naming the URL or the credential (`token_set`: where the OAuth token set is
    kept; None: HIGHLEVEL_TOKEN) and what to do."""
    cause, reason = stopped.cause, redact(str(stopped.cause))
    if isinstance(cause, errors.APIConnectionError):
        return f"cannot connect to {base_url}: {reason}; check --base-url and the network"
    if isinstance(cause, errors.TokenRefreshError | errors.AuthenticationError) and token_set is not None:
        return f"the token set in {token_set} was refused: {reason}; authorize the app again (a new token set)"
    if isinstance(cause, errors.AuthenticationError):
        return f"{TOKEN_ENV} was refused: {reason}; check {TOKEN_ENV} (a Private Integration Token or an access token)"
    return redact(str(stopped))


# The events command: a location's calendar events, window by window ---------------------------------------------

EventsApiVersion = Literal["2021-04-15", "2021-07-28", "v3"]
"""`events --api-version`: the calendar calls' own versions, and the appointments' 2021-07-28 (which the calendar
calls answer as 2021-04-15), so that one HIGHLEVEL_API_VERSION serves both commands."""
EVENTS_API_VERSION_DEFAULT: EventsApiVersion = "2021-04-15"

FAILURE_LINES = 5
"""The most kinds of failure `events` names, a line each; the others are counted in one more line."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
DATE_FORMS = "2026-01-01, 2026-01-01T09:30, 2026-01-01T09:30:00+02:00 or 2026-01-01T09:30:00Z"


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 date (its midnight UTC) or date-time (UTC unless it has an offset). Raises ValueError saying
    what is taken."""
    try:
        parsed = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date or date-time: give {DATE_FORMS}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    if parsed < _EPOCH:
        raise ValueError(f"{text!r} is before 1970-01-01 (the API counts milliseconds from then)")
    return parsed


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def events_client(
    creds: Credentials, location_id: str, token_source: str, settings: Mapping[str, Any]
) -> tuple[AuthenticatedClient | agency.LocationClients, AuthenticatedClient]:
    """The client that lists `location_id`, and what closes it: HIGHLEVEL_TOKEN's, a location's token set's (its
    own location only: another is a UsageError), or the agency token set's location token for it."""
    if creds.oauth is None:
        client = AuthenticatedClient(token=creds.token, **settings)
        return client, client
    token_set = creds.oauth.store.load()
    if is_agency_token_set(token_set):
        clients = agency.location_clients(creds.oauth, [location_id], **settings)
        return clients, clients[location_id]
    own = token_set.get("locationId")
    if isinstance(own, str) and own and own != location_id:
        raise UsageError(
            f"the token set in {token_source} is location {own}'s: it cannot list location {location_id} (give "
            f"--location {own}, or the agency's token set)"
        )
    client = AuthenticatedClient(auth=creds.oauth, **settings)
    return client, client


def failure_hint(error: Exception, location_id: str, token_set: str | None) -> str:
    """What to do about a failure that ended a location's listing (empty when the message says it already)."""
    if isinstance(error, errors.MissingScopeError):
        return ""  # its message names the scopes and the per-contact alternative
    if isinstance(error, errors.APIConnectionError):
        return "; check --base-url and the network"
    if isinstance(error, errors.TokenRefreshError | errors.AuthenticationError) and token_set is not None:
        return f"; the token set in {token_set} was refused: authorize the app again (a new token set)"
    if isinstance(error, errors.AuthenticationError):
        return f"; check {TOKEN_ENV} (a Private Integration Token or an access token)"
    if isinstance(error, errors.APIStatusError) and error.status_code == 403:
        return f"; the token cannot reach location {location_id}: give the location's own token, or the agency's"
    return ""


def failure_lines(failures: Sequence[events.ListingFailure], hint: Callable[[Exception], str]) -> list[str]:
    """One line per kind of failure (its error's type and HTTP status), naming the first such failure's location,
    calendar and window, and how many more failed the same way; at most FAILURE_LINES, then one line for the
    rest. Not redacted: the caller redacts."""
    kinds: dict[tuple[str, int | None], list[events.ListingFailure]] = {}
    for failure in failures:
        status = getattr(failure.error, "status_code", None)
        kind = (type(failure.error).__name__, status if isinstance(status, int) else None)
        kinds.setdefault(kind, []).append(failure)
    lines = []
    groups = list(kinds.values())
    for group in groups[:FAILURE_LINES]:
        first = group[0]
        more = f" ({_plural(len(group) - 1, 'more part')} of the listing failed the same way)" if len(group) > 1 else ""
        lines.append(f"{PROG_NAME}: {first}{hint(first.error)}{more}")
    rest = groups[FAILURE_LINES:]
    if rest:
        count = sum(len(group) for group in rest)
        lines.append(f"{PROG_NAME}: and {_plural(count, 'more failure')} of {_plural(len(rest), 'other kind')}")
    return lines


def events_line(summary: events.EventsSummary, location_id: str, written: int, name: str, elapsed: float) -> str:
    """The summary: events written, calendars, requests, windows refused (if any), where, how long."""
    calendars = len(summary.calendars.get(location_id, ()))
    refused = summary.refused_windows
    halved = f" ({_plural(refused, 'window')} refused as too large and halved)" if refused else ""
    return (
        f"wrote {_plural(written, 'event')} from {_plural(calendars, 'calendar')} in "
        f"{_plural(summary.requests, 'request')}{halved} to {name} in {elapsed:.1f} s"
    )


@contextlib.contextmanager
def _events_progress(
    console: "Console | None", summary: events.EventsSummary, location_id: str, windows: int, listed: bool
) -> Iterator[None]:
    """A progress display of the listing read from `summary` as it fills (requests done of those expected, events,
    failures, rate, ETA). The requests expected are known once the calendars are: one per (calendar, window), and
    more when the server refuses windows as too large (each is halved)."""
    if console is None:
        yield
        return
    from rich.console import RenderableType
    from rich.progress import Progress, ProgressColumn, Task, TextColumn
    from rich.progress_bar import ProgressBar
    from rich.text import Text

    def expected() -> int | None:
        calendars = summary.calendars.get(location_id)
        if calendars is None:
            return None
        return max(int(listed) + len(calendars) * windows + 2 * summary.refused_windows, summary.requests)

    class Bar(ProgressColumn):
        def render(self, task: Task) -> RenderableType:
            total = expected()
            return ProgressBar(
                total=total, completed=summary.requests, width=40, pulse=total is None, animation_time=task.get_time()
            )

    class Counts(ProgressColumn):
        def render(self, task: Task) -> RenderableType:
            total, done, elapsed = expected(), summary.requests, task.elapsed or 0.0
            rate = done / elapsed if elapsed > 0 and done else None
            eta = "-:--:--"
            if rate is not None and total is not None:
                eta = str(dt.timedelta(seconds=round((total - done) / rate)))
            return Text(
                f"{done}/{'?' if total is None else total} requests {_plural(summary.events, 'event')} "
                f"{len(summary.failures)} failed {'-' if rate is None else f'{rate:.1f}'}/s ETA {eta}"
            )

    progress = Progress(
        TextColumn("events"),
        Bar(),
        Counts(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    with progress:
        progress.add_task("events", total=None)
        yield


@attrs.define
class EventsRun:
    """What `list_events` did: the events written, and how it ended (None: every window listed)."""

    written: int = 0
    incomplete: errors.EventsIncompleteError | None = None
    interrupted: bool = False


def list_events(
    listing: Callable[[], AsyncGenerator[CalendarEvent, None]],
    holder: AuthenticatedClient | agency.LocationClients,
    sink: EventSink,
    name: str,
) -> EventsRun:
    """Write every event `listing` yields into `sink`, inside the event loop that asyncio.run() makes (the
    clients, closed through `holder`, belong to it). Raises WriteFailed (the listing stopped) when the output
    cannot be written."""
    run = EventsRun()

    async def fetch() -> None:
        async with holder, contextlib.aclosing(listing()) as listed:
            async for event in listed:
                with outfile.guarded_writes(name):
                    sink.add(event)
                run.written += 1

    try:
        asyncio.run(fetch())
    except KeyboardInterrupt:
        run.interrupted = True
        return run
    except errors.EventsIncompleteError as error:
        run.incomplete = error
    with outfile.guarded_writes(name):
        sink.close()
    return run


# typer ---------------------------------------------------------------------------------------------------------


def _checked_base_url(value: str) -> str:
    """--base-url as the client will take it: click names the option in the message of a URL it refuses."""
    import typer

    try:
        check_base_url(value)
    except (TypeError, ValueError) as error:
        raise typer.BadParameter(str(error)) from None
    return value


def _checked_instant(value: str) -> str:
    """--since/--until: an ISO date or date-time (parsed again by the command); click names the option."""
    import typer

    try:
        parse_instant(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    return value


def _checked_location_id(value: str) -> str:
    import typer

    if not is_location_id(value):
        raise typer.BadParameter(f"{value!r} is not a location id (letters, digits, _ and -, at most 128)")
    return value


def _checked_calendar_ids(values: list[str] | None) -> list[str] | None:
    import typer

    if any(not value.strip() for value in values or ()):
        raise typer.BadParameter("a calendar id must not be empty")
    return values


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

    # The options both commands take, declared once.
    BaseUrlOption = Annotated[
        str, typer.Option("--base-url", metavar="URL", help="The API's base URL.", callback=_checked_base_url)
    ]
    FormatOption = Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            case_sensitive=False,
            help="Output format. Default: table when the output is a terminal, jsonl otherwise.",
            show_default=False,
        ),
    ]
    OutputOption = Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="PATH", help="Write here instead of stdout.", dir_okay=False),
    ]

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
            typer.FileBinaryRead | None,
            typer.Option("--ids-file", metavar="PATH", help="A file of contact ids, one per line; - for stdin."),
        ] = None,
        base_url: BaseUrlOption = DEFAULT_BASE_URL,
        concurrency: Annotated[
            int,
            typer.Option(
                "--concurrency",
                min=1,
                metavar="N",
                help="Requests waiting on the rate budget at once (per location, with --location/--all-locations).",
            ),
        ] = bulk.DEFAULT_CONCURRENCY,
        max_connections: Annotated[
            int,
            typer.Option(
                "--max-connections",
                min=1,
                metavar="N",
                help="Requests in flight and connections open at once, for the whole run (all locations together).",
            ),
        ] = bulk.DEFAULT_MAX_IN_FLIGHT,
        output_format: FormatOption = None,
        output: OutputOption = None,
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
            ApiVersion,  # a Literal of the spec's versions: typer makes it a choice
            typer.Option(
                "--api-version",
                envvar=API_VERSION_ENV,
                metavar="VERSION",
                show_envvar=True,
                help=f"The Version header of the appointments calls: {' or '.join(get_args(ApiVersion))}.",
            ),
        ] = API_VERSION_DEFAULT,
    ) -> None:
        """Fetch the appointments of each CONTACT_ID (the arguments, then --ids-file): one jsonl line, json item,
        csv row or table row per contact (per location and contact with --location or --all-locations)."""
        stdout, stderr = sys.stdout, sys.stderr
        locations = list(dict.fromkeys(location or []))
        located = bool(locations) or all_locations
        flag = "--all-locations" if all_locations else "--location"
        with contextlib.ExitStack() as held:  # the ids file, then the output's lock: until the run ends
            try:
                if resume and output is None:
                    raise UsageError("--resume needs --output PATH (the jsonl file to append to)")
                if resume and output_format not in (None, OutputFormat.jsonl):
                    raise UsageError("--resume works only with --format jsonl")
                if locations and all_locations:
                    raise UsageError("--location and --all-locations exclude each other: give one")
                ids, distinct = open_ids(contact_ids or [], ids_file)
                held.callback(ids.close)
                creds = credentials(os.environ, token_file, redis_url)
                if located and creds.oauth is None:
                    raise UsageError(
                        f"{flag} needs the agency's OAuth token set: --token-file PATH (or --redis-url) with "
                        f"{CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}, not {TOKEN_ENV}"
                    )
                if located and creds.oauth is not None and not is_agency_token_set(creds.oauth.store.load()):
                    raise UsageError(
                        f"{flag} needs the agency's OAuth token set (userType Company, with a companyId); this token "
                        "set is a location's"
                    )
                settings: dict[str, Any] = {"base_url": base_url, "redis_url": redis_url, "version": api_version}
                try:
                    auth: dict[str, Any] = {"auth": creds.oauth} if creds.oauth is not None else {"token": creds.token}
                    client = AuthenticatedClient(**auth, max_connections=max_connections, **settings)
                    for location_id in locations:
                        assert creds.oauth is not None
                        creds.oauth.for_location(location_id)  # a location id that cannot be one: a usage error
                except (ValueError, TypeError, ImportError, errors.HighLevelError) as error:
                    raise UsageError(creds.redact(str(error))) from None
                # Everything that can be wrong with the files is found before anything is sent (the listing too).
                done = hold_output(output, resume, held, stderr)
            except UsageError as error:
                ctx.fail(str(error))
            if done is None:
                raise typer.Exit(EXIT_USAGE)

            if all_locations:
                try:
                    with client:
                        locations = list(agency.installed_location_ids(client))
                except (ValueError, errors.HighLevelError) as error:
                    print(f"cannot list the installed locations: {creds.redact(str(error))}", file=stderr)
                    raise typer.Exit(EXIT_FAILED) from None
                if not locations:
                    print("the app is installed at no location of the agency's company", file=stderr)
                    raise typer.Exit(EXIT_FAILED)
            work: list[str | None] = [*locations] if located else [None]

            # How many each location has to fetch: the ids read once more when the output holds some already.
            remaining = dict.fromkeys(work, distinct)
            if len(done):
                remaining = dict.fromkeys(work, 0)
                for key in _keys(ids, work, done):
                    remaining[key[0]] += 1
            total = sum(remaining.values())
            if resume:
                whole = distinct * len(work)
                print(f"resume: {whole - total} of {_count(whole, located)} already in {output}", file=stderr)

            try:
                stream, name = open_stream(output, output_format, append=resume, held=held, stdout=stdout)
            except UsageError as error:
                ctx.fail(str(error))
            code = EXIT_FAILED
            try:
                chosen, console = chosen_format(output_format, stream)
                # json and table hold every result until the end anyway; the order is theirs to keep.
                order: dict[Key, tuple[int, int]] | None = (
                    {} if chosen in (OutputFormat.json, OutputFormat.table) else None
                )
                batches = _batches(_keys(ids, work, done, order), max(BATCH, 4 * concurrency * len(work)))
                tally = Tally()
                if not located:
                    fetched = _fetch_one_client(client, batches, concurrency, tally)
                else:
                    assert creds.oauth is not None
                    wanted = [location_id for location_id, count in remaining.items() if count and location_id]
                    clients = agency.location_clients(  # the ids were checked: given, or listed
                        creds.oauth, wanted, max_connections=max_connections, **settings
                    )
                    fetched = _fetch_located(clients, batches, concurrency, max_connections, tally)
                with outfile.guarded_writes(name):
                    results = sink(chosen, stream, creds.redact, located=located, order=order)  # csv: the header
                started = time.monotonic()
                ended = fetch_all(fetched, total, located, results, tally, console, name)
                if stream is not stdout:
                    with outfile.guarded_writes(name):
                        stream.close()
                token_set = None if creds.oauth is None else str(token_file or "Redis (--redis-url)")
                code, line = last_line(
                    ended,
                    tally,
                    _count(total, located),
                    time.monotonic() - started,
                    resumable=output is not None and chosen is OutputFormat.jsonl,
                    why=lambda stopped: stop_line(stopped, base_url, token_set, creds.redact),
                )
                print(line, file=stderr)
            except outfile.WriteFailed as error:
                outfile.abandon(stream, is_stdout=stream is stdout)
                kept = output is not None and output.is_file() and chosen is OutputFormat.jsonl
                hint = "; the lines written are kept: run again with --resume to fetch the rest" if kept else ""
                print(f"{PROG_NAME}: {error}{hint}", file=stderr)
        raise typer.Exit(code)

    @app.command("events")
    def events_command(
        ctx: typer.Context,
        location: Annotated[
            str,
            typer.Option(
                "--location",
                metavar="ID",
                help="The location whose calendar events are listed.",
                callback=_checked_location_id,
                show_default=False,
            ),
        ],
        since: Annotated[
            str,
            typer.Option(
                "--since",
                metavar="DATE",
                help=f"From this date or date-time, included: {DATE_FORMS}; UTC unless an offset is given.",
                callback=_checked_instant,
                show_default=False,
            ),
        ],
        until: Annotated[
            str,
            typer.Option(
                "--until",
                metavar="DATE",
                help="Up to this date or date-time, excluded (the same forms); after --since.",
                callback=_checked_instant,
                show_default=False,
            ),
        ],
        calendar: Annotated[
            list[str] | None,
            typer.Option(
                "--calendar",
                metavar="ID",
                help="List this calendar (repeatable); by default every calendar of the location (listed first).",
                callback=_checked_calendar_ids,
                show_default=False,
            ),
        ] = None,
        window_days: Annotated[
            int,
            typer.Option(
                "--window-days",
                min=1,
                metavar="N",
                help="Days asked for per request; a window the server refuses as too large is halved.",
            ),
        ] = events.DEFAULT_WINDOW.days,
        base_url: BaseUrlOption = DEFAULT_BASE_URL,
        concurrency: Annotated[
            int,
            typer.Option("--concurrency", min=1, metavar="N", help="Requests in flight at once."),
        ] = bulk.DEFAULT_CONCURRENCY,
        output_format: FormatOption = None,
        output: OutputOption = None,
        token_file: Annotated[
            Path | None,
            typer.Option(
                "--token-file",
                metavar="PATH",
                help=f"OAuth token set file (with {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}): the location's, or the "
                f"agency's (a location token is asked for); otherwise the token is {TOKEN_ENV}.",
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
        api_version: Annotated[
            EventsApiVersion,  # a Literal: typer makes it a choice
            typer.Option(
                "--api-version",
                envvar=API_VERSION_ENV,
                metavar="VERSION",
                show_envvar=True,
                help="The Version header of the calendar calls: 2021-04-15 or v3 (2021-07-28, the appointments "
                "calls' version, sends 2021-04-15).",
            ),
        ] = EVENTS_API_VERSION_DEFAULT,
    ) -> None:
        """List every calendar event of a location from --since to --until, each once: one jsonl line, json item,
        csv row or table row per event (GET /calendars/events, a window of --window-days per calendar and
        request; the token needs the scopes calendars.readonly and calendars/events.readonly)."""
        stdout, stderr = sys.stdout, sys.stderr
        token_source = str(token_file or "Redis (--redis-url)")
        with contextlib.ExitStack() as held:  # the output's lock: until the run ends
            try:
                start, end = parse_instant(since), parse_instant(until)
                if end <= start:
                    raise UsageError(f"--until ({end.isoformat()}) must be after --since ({start.isoformat()})")
                creds = credentials(os.environ, token_file, redis_url)
                version: ApiVersion = "v3" if api_version == "v3" else API_VERSION_DEFAULT
                settings: dict[str, Any] = {"base_url": base_url, "redis_url": redis_url, "version": version}
                try:
                    holder, client = events_client(creds, location, token_source, settings)
                except (ValueError, TypeError, ImportError, errors.HighLevelError) as error:
                    raise UsageError(creds.redact(str(error))) from None
                # The output is checked and locked before anything is sent.
                done = hold_output(output, False, held, stderr)
            except UsageError as error:
                ctx.fail(str(error))
            if done is None:
                raise typer.Exit(EXIT_USAGE)

            try:
                stream, name = open_stream(output, output_format, append=False, held=held, stdout=stdout)
            except UsageError as error:
                ctx.fail(str(error))
            code = EXIT_FAILED
            try:
                chosen, console = chosen_format(output_format, stream)
                # A window no longer than the range: one request per calendar for a short range, whatever N is.
                window = dt.timedelta(days=min(window_days, (end - start).days + 1))
                windows = -(-(end - start) // window)  # per calendar, unless the server refuses a window
                summary = events.EventsSummary()
                calendar_ids = list(dict.fromkeys(calendar)) if calendar else None

                def listing() -> AsyncGenerator[CalendarEvent, None]:
                    return events.fetch_events(
                        client,
                        location,
                        start,
                        end,
                        calendar_ids=calendar_ids,
                        window=window,
                        concurrency=concurrency,
                        summary=summary,
                    )

                with outfile.guarded_writes(name):
                    written_to = event_sink(chosen, stream)  # csv: the header
                started = time.monotonic()
                with _events_progress(console, summary, location, windows, listed=calendar_ids is None):
                    run = list_events(listing, holder, written_to, name)
                if stream is not stdout:
                    with outfile.guarded_writes(name):
                        stream.close()
                line = events_line(summary, location, run.written, name, time.monotonic() - started)
                token_set = None if creds.oauth is None else token_source
                if run.interrupted:
                    code, line = EXIT_INTERRUPTED, f"interrupted: {line}"
                elif run.incomplete is not None:
                    failures = run.incomplete.failures
                    for failure in failure_lines(failures, lambda error: failure_hint(error, location, token_set)):
                        print(creds.redact(failure), file=stderr)
                    code = EXIT_FAILED
                    line += (
                        f"; incomplete: {_plural(len(failures), 'part')} of the listing failed (above): the same "
                        "command again lists the whole range"
                    )
                else:
                    code = EXIT_OK
                print(creds.redact(line), file=stderr)
            except outfile.WriteFailed as error:
                outfile.abandon(stream, is_stdout=stream is stdout)
                print(f"{PROG_NAME}: {error}", file=stderr)
        raise typer.Exit(code)

    @app.command("mock")
    def mock(
        port: Annotated[
            int, typer.Option("--port", min=0, max=65535, metavar="N", help="Port on 127.0.0.1 (0: any free one).")
        ] = 0,
        token_file: Annotated[
            Path | None,
            typer.Option(
                "--token-file",
                metavar="PATH",
                dir_okay=False,
                help="Seed this file with a token set (default: one in a new temporary directory).",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Serve a mock of HighLevel on 127.0.0.1 until Ctrl-C; print its base URL and a token file for --token-file."""
        from .testing import ServeError, serve

        try:
            serve(port, token_file=token_file)
        except ServeError as error:  # the port taken, the token file there already or not writable
            raise typer.BadParameter(str(error)) from None

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
