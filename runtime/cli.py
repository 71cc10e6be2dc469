"""The command line: `highlevel-contacts appointments ID... [--ids-file PATH]`, also `python -m highlevel_contacts`.

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
at none), 2 usage error, 130 interrupted.
"""

import asyncio
import contextlib
import importlib
import itertools
import os
import sys
import time
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, TextIO, get_args

import attrs

from . import agency, bulk, errors, redaction
from . import output as outfile
from .auth import FileTokenStore, HighLevelOAuth, RedisTokenStore, TokenStore, is_agency_token_set
from .client import AuthenticatedClient
from .ids import DigestSet, Ids, IdsFileError
from .models.api_version import API_VERSION_DEFAULT, ApiVersion
from .records import OutputFormat, Redact, Sink, sink
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


# typer ---------------------------------------------------------------------------------------------------------


def _checked_base_url(value: str) -> str:
    """--base-url as the client will take it: click names the option in the message of a URL it refuses."""
    import typer

    try:
        check_base_url(value)
    except (TypeError, ValueError) as error:
        raise typer.BadParameter(str(error)) from None
    return value


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
            typer.FileBinaryRead | None,
            typer.Option("--ids-file", metavar="PATH", help="A file of contact ids, one per line; - for stdin."),
        ] = None,
        base_url: Annotated[
            str,
            typer.Option("--base-url", metavar="URL", help="The API's base URL.", callback=_checked_base_url),
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
        max_connections: Annotated[
            int,
            typer.Option(
                "--max-connections",
                min=1,
                metavar="N",
                help="Requests in flight and connections open at once, for the whole run (all locations together).",
            ),
        ] = bulk.DEFAULT_MAX_IN_FLIGHT,
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

            name = "standard output" if output is None else str(output)
            try:
                chosen_file_format = output_format or OutputFormat.jsonl
                stream = stdout if output is None else _open_output(output, chosen_file_format, append=resume)
            except UsageError as error:
                ctx.fail(str(error))
            if stream is not stdout:
                held.callback(_close_quietly, stream)
            code = EXIT_FAILED
            try:
                chosen = output_format or (OutputFormat.table if stream.isatty() else OutputFormat.jsonl)
                # The lines themselves show the progress when they go to the terminal the bar would be drawn on.
                streams_to_terminal = chosen in (OutputFormat.jsonl, OutputFormat.csv) and stream.isatty()
                console = None if streams_to_terminal else _progress_console()
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
