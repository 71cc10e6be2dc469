"""The cli extra's typer range: the command's help and its usage errors under the lowest typer that the pyproject
template's `cli` extra allows and under the newest release it allows, each installed from the package index into
a directory of its own (`pip install --target`, cached under the venv by version, so only a new release is
downloaded) and put first on a `python -m highlevel_contacts` child's path.

typer 0.29 vendors click and checks values through pydantic: its own messages (a choice, a range) are worded
differently from click's, so each is pinned here for both generations; the messages the command writes itself
are the same under every typer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import get_args

import pytest
from highlevel_contacts import cli
from highlevel_contacts.models.api_version import API_VERSION_DEFAULT, ApiVersion
from packaging.requirements import Requirement
from packaging.version import Version

from tests.helpers import TOKEN
from tools.codegen import ROOT

TEMPLATE = ROOT / "openapi" / "templates" / "pyproject_pdm.toml.jinja"
CACHE = Path(sys.prefix) / "typer-range"  # removed with the venv (make clean, or a rebuild)
INSTALL_TIMEOUT = 300
CHILD_TIMEOUT = 60
PYDANTIC_TYPER = Version("0.29")  # from here on, typer checks values through pydantic
VERSIONS = ", ".join(f"'{version}'" for version in get_args(ApiVersion))
OPTIONS = [
    "--ids-file PATH",
    "--base-url URL",
    "--concurrency N",
    "--max-connections N",
    "--format",
    "-o, --output PATH",
    "--resume",
    "--token-file PATH",
    "--redis-url URL",
    "--location ID",
    "--all-locations",
    "--api-version VERSION",
]


def typer_requirement() -> Requirement:
    """The typer requirement of the template's cli extra."""
    extra = re.search(r"^cli = (\[.*\])$", TEMPLATE.read_text(encoding="utf-8"), re.MULTILINE)
    assert extra, f"no cli extra in {TEMPLATE}"
    (typer,) = [Requirement(item) for item in json.loads(extra.group(1)) if Requirement(item).name == "typer"]
    return typer


def lowest_allowed(requirement: Requirement) -> str:
    (floor,) = [spec.version for spec in requirement.specifier if spec.operator == ">="]
    assert floor in requirement.specifier, f"{requirement}: its floor is excluded"
    return floor


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done


def newest_allowed(requirement: Requirement) -> str:
    """The newest typer release on the index that the requirement allows (resolved, not installed)."""
    report = pip(
        "install", "--dry-run", "--ignore-installed", "--no-deps", "--quiet", "--report", "-", f"{requirement}"
    )
    (install,) = json.loads(report.stdout)["install"]
    version: str = install["metadata"]["version"]
    return version


def installed(version: str) -> Path:
    """A directory holding typer `version` and its dependencies (downloaded once; kept under the venv)."""
    target = CACHE / f"typer-{version}"
    if not (target / "typer").is_dir():
        CACHE.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=CACHE, prefix=f".typer-{version}."))
        try:
            pip("install", "--quiet", "--no-warn-conflicts", "--target", str(staging), f"typer=={version}")
            try:
                staging.rename(target)  # complete or absent: a killed install is never taken for one
            except OSError:
                assert (target / "typer").is_dir()  # another run installed it meanwhile
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


@pytest.fixture(scope="module", params=["lowest", "newest"])
def typer_path(request: pytest.FixtureRequest) -> tuple[Version, Path]:
    requirement = typer_requirement()
    version = lowest_allowed(requirement) if request.param == "lowest" else newest_allowed(requirement)
    assert version in requirement.specifier
    return Version(version), installed(version)


def run(typer_path: tuple[Version, Path], *args: str, **environ: str) -> tuple[int, str, str]:
    """`python -m highlevel_contacts ARGS` with that typer first on the path: (status, stdout, stderr)."""
    _, path = typer_path
    env = {name: value for name, value in os.environ.items() if not name.startswith("HIGHLEVEL_")}
    env |= {"PYTHONPATH": str(path), "COLUMNS": "80", **environ}
    child = subprocess.run(
        [sys.executable, "-m", "highlevel_contacts", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    return child.returncode, child.stdout, child.stderr


def test_the_typer_under_test_is_the_one_imported(typer_path: tuple[Version, Path]) -> None:
    version, path = typer_path
    code, out, err = _python(typer_path, "import typer; print(typer.__version__, typer.__file__)")
    assert code == 0, err
    shown, where = out.split()
    assert Version(shown) == version
    assert Path(where).is_relative_to(path)


def _python(typer_path: tuple[Version, Path], source: str) -> tuple[int, str, str]:
    _, path = typer_path
    env = {**os.environ, "PYTHONPATH": str(path)}
    child = subprocess.run(
        [sys.executable, "-c", source], env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False
    )
    return child.returncode, child.stdout, child.stderr


def test_help_lists_every_option_with_its_defaults_and_env_vars(typer_path: tuple[Version, Path]) -> None:
    code, out, err = run(typer_path, "appointments", "--help")
    assert (code, err) == (0, "")
    assert re.match(r"Usage: highlevel-contacts appointments \[OPTIONS\] \[CONTACT_ID\.\.\.\](\.\.\.)?\n", out)
    text = " ".join(out.split())  # as one line: the help is wrapped to the terminal
    for option in OPTIONS:
        assert f" {option} " in text, option
    # Said in the command's help: typer before 0.26 does not show an argument's own help.
    assert "Fetch the appointments of each CONTACT_ID (the arguments, then --ids-file)" in text
    assert f"calls: {' or '.join(get_args(ApiVersion))}." in text
    assert f"[env var: {cli.API_VERSION_ENV}; default: {API_VERSION_DEFAULT}]" in text
    assert f"[env var: {cli.REDIS_URL_ENV}]" in text
    assert f"[default: {cli.DEFAULT_BASE_URL}]" in text
    assert "\\[" not in out  # typer 0.20.x-0.21.0 showed "\[default: ...]" when rich is installed


def typer_message(version: Version, click: str, pydantic: str) -> str:
    return pydantic if version >= PYDANTIC_TYPER else click


@pytest.mark.parametrize(
    ("case", "args", "environ"),
    [
        ("api-version", ["--api-version", "2023-02-21", "c1"], {cli.TOKEN_ENV: TOKEN}),
        ("env api-version", ["c1"], {cli.TOKEN_ENV: TOKEN, cli.API_VERSION_ENV: "bogus"}),
        ("concurrency 0", ["--concurrency", "0", "c1"], {cli.TOKEN_ENV: TOKEN}),
        ("max-connections 0", ["--max-connections", "0", "c1"], {cli.TOKEN_ENV: TOKEN}),
        ("no token", ["c1"], {}),
        ("token with a space", ["c1"], {cli.TOKEN_ENV: TOKEN + " "}),
        ("missing ids file", ["--ids-file", "missing.txt"], {cli.TOKEN_ENV: TOKEN}),
    ],
)
def test_usage_errors_name_the_option_or_the_variable(
    typer_path: tuple[Version, Path], case: str, args: list[str], environ: dict[str, str]
) -> None:
    version, _ = typer_path
    expected = {
        "api-version": "Invalid value for '--api-version' (env var: 'HIGHLEVEL_API_VERSION'): "
        + typer_message(version, "", "Value error, ")
        + f"'2023-02-21' is not one of {VERSIONS}.",
        "env api-version": "Invalid value for '--api-version' (env var: 'HIGHLEVEL_API_VERSION'): "
        + typer_message(version, "", "Value error, ")
        + f"'bogus' is not one of {VERSIONS}.",
        "concurrency 0": "Invalid value for '--concurrency': "
        + typer_message(version, "0 is not in the range x>=1.", "Input should be greater than or equal to 1"),
        "max-connections 0": "Invalid value for '--max-connections': "
        + typer_message(version, "0 is not in the range x>=1.", "Input should be greater than or equal to 1"),
        "no token": "no token: set HIGHLEVEL_TOKEN (a Private Integration Token or an access token), or give "
        "--token-file PATH (or --redis-url, for a token set kept in Redis) with HIGHLEVEL_CLIENT_ID and "
        "HIGHLEVEL_CLIENT_SECRET set",
        "token with a space": "HIGHLEVEL_TOKEN has leading or trailing whitespace: set it to the token alone",
        "missing ids file": "Invalid value for '--ids-file': 'missing.txt': No such file or directory",
    }[case]
    code, out, err = run(typer_path, "appointments", "--base-url", "http://127.0.0.1:9", *args, **environ)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert re.fullmatch(r"Usage: highlevel-contacts appointments \[OPTIONS\] \[CONTACT_ID\.\.\.\](\.\.\.)?", lines[0])
    assert lines[1:] == ["Try 'highlevel-contacts appointments --help' for help.", "", f"Error: {expected}"]
    assert TOKEN not in err


@pytest.mark.parametrize(
    ("case", "args"),
    [
        ("since", ["--since", "next week", "--until", "2027-01-01"]),
        ("until before since", ["--since", "2026-01-01", "--until", "2025-01-01"]),
        ("location", ["--since", "2026-01-01", "--until", "2027-01-01", "--location", "a/b"]),
        ("window-days 0", ["--since", "2026-01-01", "--until", "2027-01-01", "--window-days", "0"]),
    ],
)
def test_events_usage_errors_name_the_option(typer_path: tuple[Version, Path], case: str, args: list[str]) -> None:
    version, _ = typer_path
    expected = {
        "since": f"Invalid value for '--since': 'next week' is not an ISO date or date-time: give {cli.DATE_FORMS}",
        "until before since": "--until (2025-01-01T00:00:00+00:00) must be after --since (2026-01-01T00:00:00+00:00)",
        "location": "Invalid value for '--location': 'a/b' is not a location id "
        "(letters, digits, _ and -, at most 128)",
        "window-days 0": "Invalid value for '--window-days': "
        + typer_message(version, "0 is not in the range x>=1.", "Input should be greater than or equal to 1"),
    }[case]
    location = [] if case == "location" else ["--location", "loc-1"]
    code, out, err = run(
        typer_path, "events", "--base-url", "http://127.0.0.1:9", *location, *args, HIGHLEVEL_TOKEN=TOKEN
    )
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == "Usage: highlevel-contacts events [OPTIONS]"
    assert lines[1:] == ["Try 'highlevel-contacts events --help' for help.", "", f"Error: {expected}"]
    assert TOKEN not in err
