"""Where `fcntl` does not exist (Windows): the package imports, and every FileTokenStore test passes. Simulated
by a Python whose `import fcntl` fails (`sys.modules["fcntl"] = None`), in a subprocess of its own."""

from __future__ import annotations

import subprocess
import sys

from tools.codegen import ROOT

_WITHOUT_FCNTL = 'import sys; sys.modules["fcntl"] = None; '


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_FCNTL + code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_package_imports_without_fcntl() -> None:
    result = _run(
        "import highlevel_contacts, highlevel_contacts.auth, highlevel_contacts.cli, highlevel_contacts.bulk; "
        "import importlib.util; print(importlib.util.find_spec('fcntl') is None or sys.modules['fcntl'] is None)"
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "True\n", "")


def test_the_file_store_tests_pass_without_fcntl() -> None:
    # Without fcntl (and without msvcrt, which only Windows has) filelock locks with an exclusively created file,
    # and says so once with a UserWarning, which the suite's `filterwarnings = error` would turn into a failure.
    result = _run(
        "import pytest; sys.exit(pytest.main(sys.argv[1:]))",
        "-q",
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore:only soft file lock is available:UserWarning",
        "tests/test_file_store.py",
        "tests/test_auth.py",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
    assert " failed" not in result.stdout
