"""The Makefile: `make help`, the interpreter check, when .venv is rebuilt, `make clean`, `make mock`.

Each runs make against this repository's Makefile with a throwaway VENV (or in a throwaway directory), dry
(`-n`) where the real recipe would install packages: offline and quick.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import codegen

MAKEFILE = codegen.ROOT / "Makefile"
TOO_OLD = (
    "*** needs Python 3.11+, found 3.10 (python3.10; pass PYTHON=python3.11 or newer).  Stop.\n"
)  # fmt: skip

# A `python3.10` that runs the `-c` code it is given in this interpreter, claiming to be 3.10.12.
FAKE_PYTHON_310 = f"""#!{sys.executable}
import sys
if sys.argv[1:2] != ["-c"]:
    sys.exit("this fake python3.10 only runs -c")
code = sys.argv[2]
sys.argv = ["-c", *sys.argv[3:]]
sys.version_info = (3, 10, 12, "final", 0)
sys.executable = __file__
exec(code)
"""


def make(*args: str, cwd: Path = codegen.ROOT, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MAKEFLAGS": "", "MAKELEVEL": ""}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip


def _phony_targets() -> set[str]:
    (line,) = [line for line in MAKEFILE.read_text().splitlines() if line.startswith(".PHONY:")]
    return set(line.split()[1:]) - {"FORCE"}


def test_help_lists_every_target_with_its_comment() -> None:
    result = make("help")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert {line.split()[0] for line in lines} == _phony_targets()
    assert len(lines) == len(_phony_targets()) == 12
    assert "  test             Every check: ruff, mypy --strict, the drift check, pytest." in lines
    assert lines[0] == "  help             List the targets and what each does."


def test_a_too_old_python_stops_with_one_line_and_builds_nothing(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3.10").write_text(FAKE_PYTHON_310)
    (bin_dir / "python3.10").chmod(0o755)
    venv = tmp_path / "venv"
    result = make("demo", "PYTHON=python3.10", f"VENV={venv}", path=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert result.returncode == 2
    assert result.stdout == ""
    assert re.fullmatch(r"Makefile:\d+: ", result.stderr.removesuffix(TOO_OLD)) is not None
    assert not venv.exists()


def test_a_missing_python_stops_with_one_line(tmp_path: Path) -> None:
    result = make("venv", "PYTHON=no-such-python3", f"VENV={tmp_path / 'venv'}")
    assert result.returncode == 2
    assert result.stderr.endswith(
        "*** needs Python 3.11+, but no-such-python3 was not found (pass PYTHON=python3.11 or newer).  Stop.\n"
    )
    assert result.stderr.count("\n") == 1


def _interpreter() -> str:
    """What the stamp records for PYTHON=sys.executable: its sys.executable and version."""
    return f"{sys.executable} {'.'.join(map(str, sys.version_info[:3]))}"


@pytest.mark.parametrize(
    ("stamp", "fresh"),
    [
        (None, True),  # never built, or the last build failed half-way (the stamp is written last)
        ("/usr/bin/python3.12 3.12.1", True),  # built by another interpreter
        ("same", False),  # the pins changed: brought up to date in place
    ],
)
def test_when_the_venv_is_rebuilt_from_scratch(tmp_path: Path, stamp: str | None, fresh: bool) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    if stamp is not None:
        (venv / ".installed").write_text(f"{_interpreter() if stamp == 'same' else stamp}\n")
        os.utime(venv / ".installed", (0, 0))  # older than pyproject.toml
    result = make("-n", "venv", f"PYTHON={sys.executable}", f"VENV={venv}")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert (f"rm -rf {venv}" in lines) is fresh
    assert lines[0] == f"rm -f {venv}/.installed"
    assert f"{sys.executable} -m venv {venv}" in lines
    assert lines[-1] == f"echo '{_interpreter()}' > {venv}/.installed"


def test_an_up_to_date_venv_is_left_alone(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").write_text(f"{_interpreter()}\n")
    result = make("-n", "venv", f"PYTHON={sys.executable}", f"VENV={venv}")
    assert (result.returncode, result.stdout) == (0, "make: Nothing to be done for 'venv'.\n")


def test_clean_removes_the_caches_and_keeps_the_sources(tmp_path: Path) -> None:
    shutil.copy(MAKEFILE, tmp_path / "Makefile")
    caches = [".venv/bin", ".pytest_cache/v", ".mypy_cache/3.11", ".ruff_cache/0.17.6", ".hypothesis/examples",
              "generated/.ruff_cache/0.17.6", "generated/.pdm-build", "tests/__pycache__",
              "generated/highlevel_contacts/__pycache__"]  # fmt: skip
    sources = ["generated/highlevel_contacts/client.py", "tests/test_x.py", "tools/x.py", "runtime/x.py", "README.md"]
    for name in caches:
        (tmp_path / name).mkdir(parents=True)
    for name in sources:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kept\n")
    assert make("clean", cwd=tmp_path).returncode == 0
    assert [name for name in caches if (tmp_path / name).exists()] == []
    assert [(tmp_path / name).read_text() for name in sources] == ["kept\n"] * len(sources)


def test_make_mock_serves_from_any_directory(tmp_path: Path) -> None:
    """`make -C <repo> mock` from elsewhere: prints the mock's URL, and stops when stdin closes."""
    # -o: never (re)build .venv from a test; this one runs in it.
    result = make("-C", str(codegen.ROOT), "-o", ".venv/.installed", "mock", cwd=tmp_path)
    assert result.returncode == 0
    assert re.fullmatch(
        r"\.venv/bin/python -m highlevel_contacts\.testing\nhttp://127\.0\.0\.1:\d+\nlocation: \S+\n", result.stdout
    )
