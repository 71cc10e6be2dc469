"""The command line's output and input at the edges: one writer per output file, write failures in one line,
ids files as people write them, and a million ids in bounded memory. Real `python -m highlevel_contacts`
children where processes matter (locks, devices, resident memory); in process otherwise."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from highlevel_contacts import cli, files
from highlevel_contacts.ids import DigestSet, Ids
from highlevel_contacts.testing import MockServer

from tests.helpers import TOKEN
from tests.scripted_server import Reply, ScriptedServer
from tools.codegen import ROOT

CHILD_TIMEOUT = 120  # seconds: generous for a 2-core machine running other tests at once


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (cli.TOKEN_ENV, cli.CLIENT_ID_ENV, cli.CLIENT_SECRET_ENV, cli.API_VERSION_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mock() -> Iterator[MockServer]:
    # Two runs share the default location's burst window: wide enough that neither is answered 429.
    with MockServer(latency=0.02, burst=(10_000, 10.0)) as server:
        yield server


def command(base_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "highlevel_contacts", "appointments", "--base-url", base_url, *args]


def child_environment() -> dict[str, str]:
    return {**os.environ, cli.TOKEN_ENV: TOKEN}


def start(base_url: str, *args: str, **options: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(base_url, *args),
        env=child_environment(),
        cwd=ROOT,
        stdout=options.pop("stdout", subprocess.PIPE),
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )


def finish(child: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = child.communicate(timeout=CHILD_TIMEOUT)
    return child.returncode, err


def contact_ids_in(path: Path) -> list[str]:
    return [json.loads(line)["contactId"] for line in path.read_text().splitlines()]


def busy_line(path: Path) -> str:
    return (
        f"highlevel-contacts: {path}: another run is writing this file (it holds {path}.lock); wait for it to end, "
        "or write to another file\n"
    )


# One writer per output file -----------------------------------------------------------------------------------


def test_two_runs_started_together_never_both_succeed_with_ids_missing(mock: MockServer, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    first_ids = [f"a-{number}" for number in range(40)]
    second_ids = [f"b-{number}" for number in range(40)]
    # --resume on both: whichever order they run in, two successes are right only with every id in the file.
    first = start(mock.base_url, "--concurrency", "1", "--resume", "-o", str(path), *first_ids)
    second = start(mock.base_url, "--concurrency", "1", "--resume", "-o", str(path), *second_ids)
    outcomes = [finish(first), finish(second)]
    codes = sorted(code for code, _ in outcomes)
    written = contact_ids_in(path)
    assert len(written) == len(set(written))  # no line written twice, none corrupt (json.loads read each)
    if codes == [0, 0]:
        assert sorted(written) == sorted(first_ids + second_ids)
    else:
        assert codes == [0, 2]
        (refused_err,) = [err for code, err in outcomes if code == 2]
        assert refused_err == busy_line(path)
        (succeeded_ids,) = [ids for ids, (code, _) in zip((first_ids, second_ids), outcomes, strict=True) if code == 0]
        assert sorted(written) == sorted(succeeded_ids)
    final = start(mock.base_url, "--resume", "-o", str(path), *first_ids, *second_ids)
    assert finish(final)[0] == 0
    assert sorted(contact_ids_in(path)) == sorted(first_ids + second_ids)


def test_a_second_run_on_a_file_being_written_exits_2_at_once(mock: MockServer, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    first_ids = [f"a-{number}" for number in range(60)]  # >= 1.2 s at one request at a time, 20 ms each
    first = start(mock.base_url, "--concurrency", "1", "-o", str(path), *first_ids)
    deadline = time.monotonic() + CHILD_TIMEOUT
    while not (path.exists() and path.read_text().count("\n") >= 1):  # it holds the lock: it has written
        assert first.poll() is None
        assert time.monotonic() < deadline
        time.sleep(0.01)
    second = start(mock.base_url, "-o", str(path), "b-1", "b-2")
    assert finish(second) == (2, busy_line(path))
    assert first.poll() is None  # refused while the first still runs: at once, not after it
    code, _ = finish(first)
    assert code == 0
    assert contact_ids_in(path) == first_ids  # the second truncated nothing and wrote nothing


def test_stale_temporaries_of_a_killed_rewrite_go_only_under_the_lock(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(cli.TOKEN_ENV, TOKEN)
    path = tmp_path / "out.jsonl"
    path.write_text('{"contactId": "c1", "events": []}\n')
    stale = tmp_path / ".out.jsonl.k3x_9q0z.tmp"  # as mkstemp names them
    stale.write_text("half a rewrite")
    others = tmp_path / ".out.jsonl.bak.k3x_9q0z.tmp"  # a temporary of another file, out.jsonl.bak
    others.write_text("not ours")
    holder = files.CrossProcessLock(path, timeout=0)
    holder.acquire()
    try:
        with MockServer() as server:
            code = cli.main(["appointments", "--base-url", server.base_url, "--resume", "-o", str(path), "c1"])
            assert server.limits.requests == 0
    finally:
        holder.release()
    out, err = capsys.readouterr()
    assert (code, out, err) == (2, "", busy_line(path))
    assert stale.exists()  # the holder may be writing it

    with MockServer() as server:
        code = cli.main(["appointments", "--base-url", server.base_url, "--resume", "-o", str(path), "c1"])
    assert code == 0
    assert sorted(entry.name for entry in tmp_path.iterdir()) == [others.name, "out.jsonl", "out.jsonl.lock"]
    assert path.read_text() == '{"contactId": "c1", "events": []}\n'


def test_writing_atomically_streams_and_leaves_nothing_when_the_block_fails(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(b"old\n")
    with files.writing_atomically(path, mode=0o640) as file:
        for number in range(3):
            file.write(b"line %d\n" % number)
    assert path.read_bytes() == b"line 0\nline 1\nline 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640

    def interrupted_rewrite() -> None:
        with files.writing_atomically(path) as file:
            file.write(b"half")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted_rewrite()
    assert path.read_bytes() == b"line 0\nline 1\nline 2\n"
    assert [entry.name for entry in tmp_path.iterdir()] == ["data"]
    assert files.stale_temporaries(path) == []


# Write failures ------------------------------------------------------------------------------------------------


def test_a_full_disk_is_one_line_naming_the_file(mock: MockServer) -> None:
    code, err = finish(start(mock.base_url, "-o", "/dev/full", "c1", "c2"))
    assert (code, err) == (1, "highlevel-contacts: cannot write /dev/full: No space left on device\n")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # the device is still the device


@pytest.mark.parametrize("output_format", ["jsonl", "csv", "json"])
def test_standard_output_on_a_full_disk_is_one_line(mock: MockServer, output_format: str) -> None:
    with open("/dev/full", "w") as full:  # a device, opened for writing only
        child = start(mock.base_url, "--format", output_format, "c1", "c2", stdout=full)
        code, err = finish(child)
    assert (code, err) == (1, "highlevel-contacts: cannot write standard output: No space left on device\n")
    assert len(err.splitlines()) <= 3
    assert "Traceback" not in err


def test_resume_never_rewrites_a_device(mock: MockServer) -> None:
    code, err = finish(start(mock.base_url, "--resume", "-o", "/dev/full", "c1"))
    assert code == 2
    assert err.splitlines()[-1] == (
        "Error: --resume: /dev/full is not a regular file: resume a file that an earlier run wrote, or run "
        "without --resume"
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_failed_write_keeps_the_lines_written_and_resume_completes_them(
    mock: MockServer, tmp_path: Path, event: dict[str, Any]
) -> None:
    line_size = len(json.dumps({"contactId": "c0", "events": [event]})) + 1

    def limit_file_size() -> None:
        # Two lines fit, 10 bytes of the third (Python ignores SIGXFSZ: the write fails with EFBIG).
        resource.setrlimit(resource.RLIMIT_FSIZE, (2 * line_size + 10, resource.RLIM_INFINITY))

    path = tmp_path / "out.jsonl"
    ids = [f"c{number}" for number in range(5)]
    child = start(mock.base_url, "--concurrency", "1", "-o", str(path), *ids, preexec_fn=limit_file_size)
    code, err = finish(child)
    assert (code, err) == (
        1,
        f"highlevel-contacts: cannot write {path}: File too large; the lines written are kept: run again with "
        "--resume to fetch the rest\n",
    )
    lines = path.read_bytes().split(b"\n")
    assert [json.loads(line)["contactId"] for line in lines[:2]] == ["c0", "c1"]
    assert len(lines[2]) == 10  # the third, cut where the limit was
    assert finish(start(mock.base_url, "--resume", "-o", str(path), *ids))[0] == 0
    assert contact_ids_in(path) == ids


# Ids files -----------------------------------------------------------------------------------------------------


@pytest.fixture
def event(appointment_example: dict[str, Any]) -> dict[str, Any]:
    dates = {"startTime": "2021-07-16T11:00:00", "endTime": "2021-07-16T11:30:00"}
    return {**appointment_example, **dates, "dateAdded": "2021-07-16T11:00:00", "dateUpdated": "2021-07-16T11:30:00"}


IDS_FILE = "\ufeffcontact-a\r\nx\u2028y\n\n  contact-b \r\na\rb\ncontact-a\n\t\n".encode()
SENT_PATHS = [
    "/contacts/contact-a/appointments",  # no BOM
    "/contacts/x%E2%80%A8y/appointments",  # U+2028 is inside its line: one id, sent as it is
    "/contacts/contact-b/appointments",
    "/contacts/a%0Db/appointments",  # a lone CR does not end a line either
]


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_an_ids_file_as_people_write_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    examples: dict[int, Any],
    source: str,
) -> None:
    monkeypatch.setenv(cli.TOKEN_ENV, TOKEN)
    if source == "file":
        (tmp_path / "ids.txt").write_bytes(IDS_FILE)
        ids_file = str(tmp_path / "ids.txt")
    else:
        monkeypatch.setattr(sys, "stdin", _BinaryStdin(IDS_FILE))
        ids_file = "-"
    with ScriptedServer([Reply.json(200, examples[200])]) as server:
        code = cli.main(["appointments", "--base-url", server.base_url, "--concurrency", "1", "--ids-file", ids_file])
        sent = [request.raw_path for request in server.requests]
    out, _ = capsys.readouterr()
    assert code == 0
    assert sent == SENT_PATHS
    assert [json.loads(line)["contactId"] for line in out.splitlines()] == [
        "contact-a",
        "x\u2028y",
        "contact-b",
        "a\rb",
    ]


class _BinaryStdin:
    """Standard input as a process has it: text over bytes (`.buffer`)."""

    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)

    def read(self) -> str:
        return self.buffer.read().decode()


def test_an_ids_file_that_is_not_utf8_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(cli.TOKEN_ENV, TOKEN)
    (tmp_path / "ids.txt").write_bytes(b"contact-a\ncontact-\xe9\n")
    with MockServer() as server:
        code = cli.main(["appointments", "--base-url", server.base_url, "--ids-file", str(tmp_path / "ids.txt")])
        assert server.limits.requests == 0
    _, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines()[-1] == f"Error: cannot read the ids file {tmp_path / 'ids.txt'}: line 2 is not UTF-8 text"


def test_ids_are_read_twice_each_once_in_order(tmp_path: Path) -> None:
    (tmp_path / "ids.txt").write_text("b\na\nc\nb\n")
    with (tmp_path / "ids.txt").open("rb") as file, Ids(["a", "d"], file) as ids:
        assert ids.count() == 4
        assert list(ids.distinct()) == ["a", "d", "b", "c"]
        assert list(ids.distinct()) == ["a", "d", "b", "c"]


def test_a_digest_set_grows_and_keeps_every_member() -> None:
    members = DigestSet()
    texts = [f"contact-{number}" for number in range(5_000)]  # past several doublings of 1,024 slots
    assert [members.add(text) for text in texts] == [True] * 5_000
    assert [members.add(text) for text in texts[::7]] == [False] * len(texts[::7])
    assert len(members) == 5_000
    assert all(text in members for text in texts)
    assert "contact-5000" not in members
    assert 3 not in members


# A million ids -------------------------------------------------------------------------------------------------

PEAK_AT_FIRST_REQUEST = """
import os
import sys
from highlevel_contacts import bulk, cli

def peak_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

async def first_request(client, contact_ids, **options):
    # Called just before the first request is sent: report the peak so far and stop.
    print(peak_kib(), len(contact_ids), flush=True)
    os._exit(0)
    yield

bulk.fetch_appointments = first_request
sys.exit(cli.main(sys.argv[1:]))
"""


def peak_before_the_first_request(ids_file: Path, *args: str) -> tuple[int, int]:
    """(the child's peak resident KiB, the ids handed to bulk at once)."""
    arguments = ["appointments", "--base-url", "http://127.0.0.1:9", *args, "--ids-file", str(ids_file)]
    child = subprocess.run(
        [sys.executable, "-c", PEAK_AT_FIRST_REQUEST, *arguments],
        env=child_environment(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    peak, batch = child.stdout.split()
    return int(peak), int(batch)


def write_ids(path: Path, count: int) -> None:
    with path.open("w") as file:
        file.writelines(f"contact-{number:012d}\n" for number in range(count))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_million_ids_stay_under_120_mb_before_the_first_request(tmp_path: Path) -> None:
    write_ids(tmp_path / "few.txt", 10)
    write_ids(tmp_path / "million.txt", 1_000_000)
    few_peak, few_batch = peak_before_the_first_request(tmp_path / "few.txt")
    peak, batch = peak_before_the_first_request(tmp_path / "million.txt")
    assert (few_batch, batch) == (10, cli.BATCH)
    assert peak < 120 * 1024
    # What a million ids cost over ten: the digests (about 32 bytes an id), not the ids (about 110 bytes each).
    assert peak - few_peak < 60 * 1024
