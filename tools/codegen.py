"""Generate the client into generated/, or check that generated/ is exactly what generation writes.

The one place that knows the generator's command line; `make generate` and `make check-generated` call it,
and so do the tests that prove the drift check fails when it should. Generation is two steps: the generator
writes what depends on the spec (endpoints, models, the package's `__init__`, pyproject, README) from
openapi/templates/ and its stock templates, then the hand-written modules in runtime/ are vendored into the
package, each with a first line naming its source (and LICENSE into the project, for the wheel).

    python -m tools.codegen generate [--root DIR]
    python -m tools.codegen check [--root DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
from collections.abc import Iterator
from pathlib import Path

import yaml

from tools.spec import examples_document

ROOT = Path(__file__).resolve().parent.parent
SPEC = Path("openapi/highlevel-contacts.yaml")
CONFIG = Path("generator-config.yaml")
TEMPLATES = Path("openapi/templates")
RUNTIME = Path("runtime")
OUTPUT = Path("generated")
LICENSE = Path("LICENSE")
# The package's own README (the wheel's long description): hand-written, nothing in it depends on the spec, so a
# plain file replaces the generator's stock README rather than a template.
PACKAGE_README = RUNTIME / "PACKAGE_README.md"
EXAMPLES = "spec_examples.json"  # written into the package: the mock's copy of the spec's examples

# The generator's own stock modules that a runtime module of the same name replaces; any other name that the
# generator writes is the spec's, and a runtime module may not overwrite it.
REPLACEABLE_STOCK_MODULES = frozenset({"client.py", "errors.py", "types.py"})


def vendored_header(name: str) -> str:
    """The first line of the copy of runtime module `name` in the generated package."""
    return f"# Vendored from {RUNTIME.as_posix()}/{name} by `make generate`: edit that file, never this copy.\n"


class GenerationError(RuntimeError):
    """The generator failed or warned (warnings fail: without that it skips endpoints and exits 0)."""


# openapi-python-client's own entry point, run so that its messages show the document's text: it wraps every
# string from the document in an UntrustedString without a __str__, so a message about status code "200" would
# read `<...UntrustedString object at 0x...>`. Giving it one changes no output of a successful run (which never
# holds such a repr; the drift check compares the bytes).
_GENERATOR_CLI = """
import sys
from openapi_python_client.schema.untrusted_string import UntrustedString
UntrustedString.__str__ = UntrustedString.get_untrusted_value
from openapi_python_client.cli import app
sys.argv[0] = "openapi-python-client"
sys.exit(app())
"""

# Lines of the generator's output that are untrue under --fail-on-warning (the run fails and generation writes
# nothing) or are noise in this project's output.
_MISLEADING_LINES = (
    "Client was generated, but some pieces may be missing",
    "If you believe this was a mistake or this tool is missing a feature you need",
)


def _failure_text(output: str) -> str:
    """The generator's output without the lines that claim a client was generated."""
    kept = [line for line in output.splitlines() if not any(text in line for text in _MISLEADING_LINES)]
    return "\n".join(kept).strip("\n") + "\n"


def generate(root: Path, output: Path, *, custom_templates: bool = True) -> None:
    """Run openapi-python-client for the spec under `root`, writing the project to `output`.

    `custom_templates=False` uses only the generator's stock templates (the benchmark's "before")."""
    bin_dir = Path(sys.executable).parent
    command = [
        sys.executable,
        "-c",
        _GENERATOR_CLI,
        "generate",
        "--path",
        str(root / SPEC),
        "--config",
        str(root / CONFIG),
        "--output-path",
        str(output),
        "--meta",
        "pdm",
        "--overwrite",
        "--fail-on-warning",
    ]
    if custom_templates and any((root / TEMPLATES).glob("*.jinja")):
        command += ["--custom-template-path", str(root / TEMPLATES)]
    # The post hooks call `ruff`: it must be the pinned one from this virtual environment.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise GenerationError(
            f"openapi-python-client exited {result.returncode}; nothing was written:\n"
            + _failure_text(result.stdout + result.stderr)
        )
    if custom_templates:
        vendor_runtime(root, output)


def _package_name(root: Path) -> str:
    config = yaml.safe_load((root / CONFIG).read_text(encoding="utf-8"))
    name = config.get("package_name_override")
    if not isinstance(name, str) or not name.isidentifier():
        raise GenerationError(f"{CONFIG}: package_name_override must name the package, got {name!r}")
    return name


def runtime_modules(root: Path) -> list[Path]:
    """The hand-written modules that generation copies into the package."""
    return sorted((root / RUNTIME).glob("*.py"))


def vendor_runtime(root: Path, output: Path) -> None:
    """Copy runtime/*.py into the generated package, each behind a first line that names its source, and the
    repository's LICENSE and runtime/PACKAGE_README.md (as README.md) into the project (the wheel ships both)."""
    package = output / _package_name(root)
    for source in runtime_modules(root):
        target = package / source.name
        if target.exists() and source.name not in REPLACEABLE_STOCK_MODULES:
            raise GenerationError(
                f"{RUNTIME}/{source.name} would overwrite the generated {package.name}/{source.name}: rename it"
            )
        target.write_text(vendored_header(source.name) + source.read_text(encoding="utf-8"), encoding="utf-8")
    # A runtime module may import a model the spec defines (client.py types `version=` with ApiVersion): without
    # it the package would fail at import time, so generation fails now, naming the schema.
    for source in runtime_modules(root):
        for model in sorted(set(re.findall(r"^from \.models\.(\w+) import", source.read_text(encoding="utf-8"), re.M))):
            if not (package / "models" / f"{model}.py").exists():
                raise GenerationError(
                    f"{RUNTIME}/{source.name} imports models/{model}.py, which the spec does not define: add the "
                    f"schema components.schemas.{''.join(part.title() for part in model.split('_'))} to it"
                )
    # The spec's examples and versions for the packaged mock (highlevel_contacts.testing): JSON, read without YAML.
    examples = examples_document(yaml.safe_load((root / SPEC).read_text(encoding="utf-8")))
    (package / EXAMPLES).write_text(json.dumps(examples, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    # The wheel ships the repository's license (pyproject's license-files) and the package's README.
    shutil.copyfile(root / LICENSE, output / LICENSE)
    shutil.copyfile(root / PACKAGE_README, output / "README.md")


# Caches that tools write next to the code (and git ignores); they are not generator output.
CACHE_DIRS = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", ".pdm-build"})


@contextlib.contextmanager
def generated_package(
    spec_text: str, package_name: str, *, custom_templates: bool = True
) -> Iterator[types.ModuleType]:
    """Generate `spec_text` with this project's config (and templates, unless `custom_templates=False`) into a
    throwaway directory as package `package_name`, and import it. For the benchmark's stock-template "before"
    and for the tests that exercise the templates on another spec."""
    with tempfile.TemporaryDirectory(prefix=f"{package_name}-") as tmp:
        root = Path(tmp)
        (root / SPEC).parent.mkdir(parents=True)
        (root / SPEC).write_text(spec_text, encoding="utf-8")
        config = yaml.safe_load((ROOT / CONFIG).read_text(encoding="utf-8"))
        config.update(package_name_override=package_name, project_name_override=package_name.replace("_", "-"))
        (root / CONFIG).write_text(yaml.safe_dump(config), encoding="utf-8")
        if custom_templates:
            (root / TEMPLATES).symlink_to(ROOT / TEMPLATES)
            (root / RUNTIME).symlink_to(ROOT / RUNTIME)
            (root / LICENSE).symlink_to(ROOT / LICENSE)
        generate(root, root / "out", custom_templates=custom_templates)
        sys.path.insert(0, str(root / "out"))
        try:
            yield importlib.import_module(package_name)
        finally:
            sys.path.remove(str(root / "out"))
            for name in [name for name in sys.modules if name.split(".")[0] == package_name]:
                del sys.modules[name]


def _files(tree: Path) -> dict[str, bytes]:
    return {
        path.relative_to(tree).as_posix(): path.read_bytes()
        for path in sorted(tree.rglob("*"))
        if path.is_file() and CACHE_DIRS.isdisjoint(path.relative_to(tree).parts)
    }


def diff_trees(committed: Path, expected: Path) -> list[str]:
    """A unified diff from `committed` to `expected`; empty when the two trees hold the same bytes."""
    have, want = _files(committed), _files(expected)
    lines: list[str] = []
    for name in sorted(have.keys() | want.keys()):
        if have.get(name) == want.get(name):
            continue
        if name not in want:
            lines.append(f"only in {OUTPUT}/ (not generated): {name}")
            continue
        if name not in have:
            lines.append(f"missing from {OUTPUT}/ (generation writes it): {name}")
            continue
        lines.extend(
            difflib.unified_diff(
                have[name].decode(errors="replace").splitlines(),
                want[name].decode(errors="replace").splitlines(),
                fromfile=f"{OUTPUT}/{name} (committed)",
                tofile=f"{OUTPUT}/{name} (generated)",
                lineterm="",
            )
        )
    return lines


def check(root: Path) -> list[str]:
    """Regenerate into a temporary directory and diff it against the committed generated/."""
    with tempfile.TemporaryDirectory(prefix="highlevel-contacts-check-") as tmp:
        expected = Path(tmp) / "out"
        generate(root, expected)
        return diff_trees(root / OUTPUT, expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["generate", "check"])
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository to work on")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    try:
        if args.command == "generate":
            with tempfile.TemporaryDirectory(prefix="highlevel-contacts-gen-") as tmp:
                # Generate aside first, so a failed run leaves generated/ as it was.
                staged = Path(tmp) / "out"
                generate(root, staged)
                shutil.rmtree(root / OUTPUT, ignore_errors=True)
                shutil.copytree(staged, root / OUTPUT)
            print(f"generated {OUTPUT}/ from {SPEC}")
            return 0
        problems = check(root)
    except GenerationError as error:
        print(error, file=sys.stderr)
        return 2
    if problems:
        print("\n".join(problems))
        package = _package_name(root)
        vendored = sorted(
            f"{OUTPUT}/{package}/{path.name} is a copy of {RUNTIME}/{path.name}: change it there"
            for path in runtime_modules(root)
            if any(line.endswith(f"{OUTPUT}/{package}/{path.name} (committed)") for line in problems)
        )
        print(
            f"\n{OUTPUT}/ is not what the spec, {CONFIG}, {TEMPLATES}/ and {RUNTIME}/ generate. Never edit "
            f"{OUTPUT}/ by hand: change the spec, the config, a template or a runtime module, then run "
            "`make generate`." + "".join(f"\n  {line}" for line in vendored),
            file=sys.stderr,
        )
        return 1
    print(f"{OUTPUT}/ matches what `make generate` writes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
