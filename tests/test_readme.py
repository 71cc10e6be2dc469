"""The README's runnable example prints exactly what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _blocks_after(heading: str) -> list[str]:
    section = README.read_text(encoding="utf-8").split(heading, 1)[1]
    return re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.DOTALL)


def test_runnable_example_output_matches_the_readme() -> None:
    code, expected = _blocks_after("### Runnable example")[:2]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {"__name__": "readme_example"})
    assert printed.getvalue() == expected
