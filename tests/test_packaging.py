"""The generated project's wheel: its license, its URLs and an exactly pinned build backend."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

from tools import codegen

PROJECT = codegen.ROOT / codegen.OUTPUT


def test_the_build_backend_is_pinned_to_the_version_installed_here() -> None:
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["build-system"] == {
        "requires": [f"pdm-backend=={importlib.metadata.version('pdm-backend')}"],
        "build-backend": "pdm.backend",
    }
    assert importlib.metadata.version("pdm-backend") == "2.5.0"


def test_the_license_is_the_repositorys() -> None:
    generated = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    top_level = tomllib.loads((codegen.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert generated["license"] == top_level["license"] == "MIT"
    assert (PROJECT / "LICENSE").read_bytes() == (codegen.ROOT / "LICENSE").read_bytes()
    assert (codegen.ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_the_wheel_carries_license_urls_and_the_readme(tmp_path: Path) -> None:
    """Built offline with the pinned backend from this environment (pdm-backend is a dev dependency)."""
    source = tmp_path / "project"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(*codegen.CACHE_DIRS))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "--quiet",
         "--disable-pip-version-check", "--wheel-dir", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert wheel.name == "highlevel_contacts-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        metadata = Parser().parsestr(archive.read("highlevel_contacts-0.1.0.dist-info/METADATA").decode())
        shipped_license = archive.read("highlevel_contacts-0.1.0.dist-info/licenses/LICENSE")
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert shipped_license == (codegen.ROOT / "LICENSE").read_bytes()
    assert metadata.get_all("Project-URL") == [
        "API reference, https://marketplace.gohighlevel.com/docs/ghl/contacts/get-appointments-for-contact/",
    ]
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload() == (PROJECT / "README.md").read_text(encoding="utf-8")


def test_the_extras_floors_are_the_measured_ones() -> None:
    """typer below 0.20.1 breaks the CLI, 0.20.x and 0.21.0 print `\\[default: ...]` in its help, and 0.26.0 ignores
    envvar= options (measured in throwaway venvs; test_cli_typer_range.py runs the ends of the range); the
    core's floors are the generator's, which the tests pass at (httpx 0.23.1, attrs 22.2.0), and filelock 3.12.0,
    at which the file store's tests pass, with and without fcntl."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == ["httpx>=0.23.1,<0.29.0", "attrs>=22.2.0", "filelock>=3.12"]
    # testing: the plugin uses only @pytest.fixture; 7 is a floor chosen, not measured (noted in the closing note).
    assert project["optional-dependencies"] == {
        "cli": ["typer>=0.21.1,!=0.26.0", "rich>=13"],
        "redis": ["redis>=5"],
        "testing": ["pytest>=7"],
        # webhooks: Ed25519 and RSA PKCS#1 v1.5 verification from PEM; tests/test_webhooks.py passes at 42.0.0.
        "webhooks": ["cryptography>=42"],
    }
    assert project["entry-points"] == {"pytest11": {"highlevel_contacts": "highlevel_contacts.pytest_plugin"}}
