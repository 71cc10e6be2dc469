"""The package as users get it (issue 21's "done when"): the wheel built from generated/, installed with its
`testing` and `cli` extras into a clean virtual environment of its own (no repository on the path, no dev tools),
then used from a temporary directory: every runnable README example prints what the README says, a user's test
file gets the `highlevel_mock` fixture, and the CLI runs against `highlevel-contacts mock`.

The environment is built once per wheel (its digest names the directory under .venv/installed-wheel/) from the
package index, like the typer-range test's installs; later runs reuse it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from highlevel_contacts.testing import MockServer

from tests.oauth_helpers import seed_redis
from tests.test_testing_support import USER_TEST
from tools.codegen import ROOT
from tools.valkey import ValkeyServer

CACHE = ROOT / ".venv" / "installed-wheel"
README = ROOT / "README.md"
TIMEOUT = 300  # seconds: building and installing from the index on a busy 2-core machine

# Each README example: its heading, and whether it is pointed at a mock (the usage snippets call HighLevel).
EXAMPLES = [
    "### Runnable example",
    "## OAuth tokens",
    "## Rate limits and many contacts",
    "## Agency apps",
    "## A whole location",
]

# Runs in the installed environment, from a temporary directory: the README examples (the first code block after
# each heading, then the usage snippets against a mock), printing what each printed as one JSON object.
DRIVER = r"""
import contextlib, io, json, re, sys
from highlevel_contacts.testing import MockServer

readme = open(sys.argv[1], encoding="utf-8").read()
headings = json.loads(sys.argv[2])


def blocks_after(heading):
    return re.findall(r"```[a-z]*\n(.*?)```", readme.split(heading, 1)[1], flags=re.DOTALL)


def printed(code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    return out.getvalue()


results = {heading: printed(blocks_after(heading)[0]) for heading in headings}
snippets = [block for block in blocks_after("## Using the package") if "get_appointments_for_contact" in block][:2]
with MockServer() as mock:
    results["usage"] = [printed(code.replace("https://services.leadconnectorhq.com", mock.base_url))
                        for code in snippets]
with MockServer() as mock:
    versions = blocks_after("## API versions")[0].replace("https://services.leadconnectorhq.com", mock.base_url)
    results["versions"] = [printed(versions), [request.headers["Version"] for request in mock.requests]]
print(json.dumps(results))
"""


def _run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False, **options)  # type: ignore[call-overload, no-any-return]


@pytest.fixture(scope="module")
def installed() -> Path:
    """The bin/ directory of a clean venv with the wheel and its testing and cli extras installed."""
    with tempfile.TemporaryDirectory(prefix="highlevel-wheel-") as build:
        built = _run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", build, str(ROOT / "generated")],
            env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"},
        )
        shutil.rmtree(ROOT / "generated" / ".pdm-build", ignore_errors=True)  # pdm-backend's residue
        assert built.returncode == 0, built.stderr
        (wheel,) = Path(build).glob("highlevel_contacts-*.whl")
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
        venv = CACHE / digest
        if not (venv / "installed").exists():
            for stale in CACHE.glob("*"):  # an older wheel's environment: one is kept, not one per build
                shutil.rmtree(stale, ignore_errors=True)
            created = _run([sys.executable, "-m", "venv", str(venv)])
            assert created.returncode == 0, created.stderr
            pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--no-input"]
            done = _run([*pip, "install", "--quiet", f"{wheel}[testing,cli]"])
            assert done.returncode == 0, done.stderr
            (venv / "installed").write_text(wheel.name)
    return venv / "bin"


def _clean_environment() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PYTHON", "HIGHLEVEL_"))}
    env.pop("VIRTUAL_ENV", None)
    return env


def test_the_installed_package_is_not_the_repositorys(installed: Path, tmp_path: Path) -> None:
    code = (
        "import highlevel_contacts, importlib.util\n"
        "print(highlevel_contacts.__file__, importlib.util.find_spec('tools'), importlib.util.find_spec('yaml'))"
    )
    child = _run([str(installed / "python"), "-c", code], cwd=tmp_path, env=_clean_environment())
    location, tools, yaml = child.stdout.split()
    assert location.startswith(str(installed.parent)), location
    assert (tools, yaml) == ("None", "None")


def test_every_readme_example_runs_from_a_temporary_directory(installed: Path, tmp_path: Path) -> None:
    readme = README.read_text(encoding="utf-8")
    child = _run(
        [str(installed / "python"), "-c", DRIVER, str(README), json.dumps(EXAMPLES)],
        cwd=tmp_path,
        env=_clean_environment(),
    )
    assert child.returncode == 0, child.stderr
    results = json.loads(child.stdout)
    for heading in EXAMPLES:
        expected = re.findall(r"```[a-z]*\n(.*?)```", readme.split(heading, 1)[1], flags=re.DOTALL)[1]
        assert results[heading] == expected, heading
    assert len(results["usage"]) == 2
    assert all("YS3jaqqeehkR2Is80miy" in printed for printed in results["usage"])
    # The API versions example prints its client's version and sends what its comments say.
    assert results["versions"] == ["v3\n", ["v3", "2021-07-28"]]


def test_a_users_tests_get_the_fixture_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TEST)
    child = _run(
        [str(installed / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path,
        env=_clean_environment(),
    )
    assert child.returncode == 0, child.stdout + child.stderr
    assert "3 passed" in child.stdout


def test_the_cli_runs_against_the_mock_command(installed: Path, tmp_path: Path) -> None:
    token_file = tmp_path / "token.json"
    env = _clean_environment()
    with subprocess.Popen(
        [str(installed / "highlevel-contacts"), "mock", "--token-file", str(token_file)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    ) as server:
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().removeprefix("base URL:").strip()
            arguments = ["--base-url", base_url, "--token-file", str(token_file), "--format", "jsonl"]
            run = _run(
                [str(installed / "highlevel-contacts"), "appointments", *arguments, "sx6wyHhbFdRXh302LLNR"],
                cwd=tmp_path,
                env={**env, "HIGHLEVEL_CLIENT_ID": "any", "HIGHLEVEL_CLIENT_SECRET": "any-secret-1234"},
            )
        finally:
            server.send_signal(signal.SIGINT)
            code = server.wait(timeout=10)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["events"][0]["id"] == "YS3jaqqeehkR2Is80miy"
    assert code == 0


def test_the_redis_snippet_runs_from_a_temporary_directory(valkey: ValkeyServer, tmp_path: Path) -> None:
    # The clean environment has only the testing and cli extras; the snippet needs the redis one, which the
    # repository's environment has: it runs there, from a temporary directory, with the repository off the path.
    section = README.read_text(encoding="utf-8").split("## Several processes: sharing through Redis", 1)[1]
    code = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)[0]
    assert "redis-cli -x SET highlevel:token" in code  # it says what to seed first
    with MockServer() as mock:
        seed_redis(valkey.url, "highlevel:token", {**mock.authorize(), "expires_at": 0})  # refreshed on first use
        runnable = code.replace("redis://127.0.0.1:6379/0", valkey.url).replace(
            "https://services.leadconnectorhq.com", mock.base_url
        )
        child = _run([sys.executable, "-c", runnable], cwd=tmp_path, env=_clean_environment())
        token_calls = mock.token_calls
    assert child.returncode == 0, child.stderr
    assert child.stdout == "1 appointment(s)\n"
    assert token_calls == 1
