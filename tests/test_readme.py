"""The README's runnable example prints exactly what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from tools.mock_server import MockServer

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


def test_usage_snippets_run_against_the_mock(mock_server: MockServer) -> None:
    """The sync and async snippets, pointed at the embedded mock instead of HighLevel."""
    snippets = [block for block in _blocks_after("## Using the package") if "get_appointments_for_contact" in block]
    snippets = snippets[:2]
    assert len(snippets) == 2
    for code in snippets:
        assert "https://services.leadconnectorhq.com" in code
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(
                compile(code.replace("https://services.leadconnectorhq.com", mock_server.base_url), "README", "exec"),
                {},
            )
        assert "YS3jaqqeehkR2Is80miy" in printed.getvalue()


def test_oauth_example_output_matches_the_readme() -> None:
    code, expected = _blocks_after("## OAuth tokens")[:2]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {"__name__": "readme_oauth_example"})
    assert printed.getvalue() == expected


def test_bulk_example_output_matches_the_readme() -> None:
    code, expected = _blocks_after("## Rate limits and many contacts")[:2]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {"__name__": "readme_bulk_example"})
    assert printed.getvalue() == expected
