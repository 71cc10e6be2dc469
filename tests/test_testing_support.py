"""The testing support users get with the package (issue 21): the `highlevel_mock` pytest fixture, found through
the pytest11 entry point in a project of the user's own, and `highlevel-contacts mock` serving in the foreground
with a seeded token file the CLI runs against."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme_user_test() -> str:
    """The README's example test files (section "Testing your own code", up to the next section), as one user
    project."""
    section = README.read_text(encoding="utf-8").split("## Testing your own code", 1)[1].split("\n## ", 1)[0]
    blocks: list[str] = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 2
    return "\n\n".join(blocks)


USER_TEST = (
    _readme_user_test()
    + """

def test_each_test_gets_a_fresh_mock(highlevel_mock):
    assert highlevel_mock.limits.requests == 0
"""
)


def test_a_users_project_gets_the_fixture_without_configuring_anything(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TEST)
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path,  # outside the repository: no conftest, no tests/ package, only the installed plugin
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stdout + child.stderr
    assert "3 passed" in child.stdout


def _lines_until(stream: object, count: int) -> list[str]:
    assert hasattr(stream, "readline")
    return [stream.readline().rstrip("\n") for _ in range(count)]


def test_the_mock_command_serves_and_the_cli_runs_against_its_token_file(tmp_path: Path) -> None:
    token_file = tmp_path / "token.json"
    command = [sys.executable, "-m", "highlevel_contacts", "mock", "--token-file", str(token_file)]
    with subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True, cwd=tmp_path
    ) as server:  # stdin is not read: `&` in a shell works
        try:
            lines = _lines_until(server.stdout, 4)
            base_url = lines[0].removeprefix("base URL:").strip()
            assert base_url.startswith("http://127.0.0.1:")
            assert lines[1] == f"token file: {token_file}"
            assert lines[3] == "serving until Ctrl-C"
            assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
            assert json.loads(token_file.read_text())["refresh_token"]
            env = {**os.environ, "HIGHLEVEL_CLIENT_ID": "any", "HIGHLEVEL_CLIENT_SECRET": "any-secret-1234"}
            env.pop("HIGHLEVEL_TOKEN", None)
            arguments = ["--base-url", base_url, "--token-file", str(token_file), "--format", "jsonl"]
            run = subprocess.run(
                [sys.executable, "-m", "highlevel_contacts", "appointments", *arguments, "sx6wyHhbFdRXh302LLNR"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert run.returncode == 0, run.stderr
            assert json.loads(run.stdout)["events"][0]["title"] == "Test"
        finally:
            server.send_signal(signal.SIGINT)
            started = time.monotonic()
            code = server.wait(timeout=10)
    assert code == 0
    assert time.monotonic() - started < 5


def _mock_command(*args: str) -> subprocess.CompletedProcess[str]:
    """`highlevel-contacts mock ARGS` expected to refuse to start: its exit status and its output."""
    return subprocess.run(
        [sys.executable, "-m", "highlevel_contacts", "mock", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("args", "message"), [(["--port", "70000"], "--port")])
def test_the_mock_command_refuses_a_port_that_cannot_be(args: list[str], message: str) -> None:
    child = _mock_command(*args)
    assert child.returncode == 2
    assert message in child.stderr


def test_the_mock_command_never_replaces_an_existing_token_file(tmp_path: Path) -> None:
    token_file = tmp_path / "token.json"
    token_file.write_text('{"refresh_token": "a-real-single-use-one"}')
    child = _mock_command("--token-file", str(token_file))
    assert child.returncode == 2
    assert f"{token_file} exists" in child.stderr
    assert token_file.read_text() == '{"refresh_token": "a-real-single-use-one"}'


def test_the_mock_command_names_a_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        child = _mock_command("--port", str(port))
    assert child.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in child.stderr


def test_sigterm_stops_the_mock_command_and_removes_its_token_file() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "highlevel_contacts", "mock"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    ) as server:
        lines = _lines_until(server.stdout, 4)
        token_file = Path(lines[1].removeprefix("token file:").strip())
        assert token_file.is_file()
        server.terminate()
        code = server.wait(timeout=10)
    assert code == 0
    assert not token_file.parent.exists()  # the temporary directory it made, removed
