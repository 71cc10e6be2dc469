"""`make typecheck`: mypy --strict over the package, the runtime sources, the tests and the tools.

The runtime modules use relative imports (`from .errors import ...`): they only make sense inside the generated
package, next to the generated models and endpoints. So mypy checks each one *as* its vendored copy's module,
reading the source in runtime/ instead of the copy (`--shadow-file`), and this script points the messages back
at runtime/. A runtime edit is checked before it is regenerated, with its own line numbers.
"""

from __future__ import annotations

import subprocess
import sys

from tools.codegen import OUTPUT, ROOT, RUNTIME, _package_name, runtime_modules

TARGETS = ["tests", "tools"]


def command() -> tuple[list[str], dict[str, str]]:
    """The mypy command line, and the map from each copy's path to its source's path."""
    package = f"{OUTPUT.as_posix()}/{_package_name(ROOT)}"
    argv = [sys.executable, "-m", "mypy", "--strict", package, *TARGETS]
    copies: dict[str, str] = {}
    for source in runtime_modules(ROOT):
        copy, original = f"{package}/{source.name}", f"{RUNTIME.as_posix()}/{source.name}"
        argv += ["--shadow-file", copy, original]
        copies[copy] = original
    return argv, copies


def main() -> int:
    argv, copies = command()
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in (result.stdout + result.stderr).splitlines():
        for copy, original in copies.items():
            if line.startswith(copy + ":"):
                line = original + line.removeprefix(copy)
        print(line)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
