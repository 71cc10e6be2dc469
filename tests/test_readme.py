"""The README's runnable example prints exactly what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from highlevel_contacts.testing import MockServer

from tests.scripted_server import Reply, ScriptedServer

README = Path(__file__).resolve().parent.parent / "README.md"


def _blocks_after(heading: str) -> list[str]:
    section = README.read_text(encoding="utf-8").split(heading, 1)[1]
    return re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.DOTALL)


def _printed(code: str) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {"__name__": "readme_example"})
    return printed.getvalue()


@pytest.mark.parametrize(
    "heading",
    [
        "### Runnable example",
        "## OAuth tokens",
        "## Rate limits and many contacts",
        "## Agency apps",
        "## A whole location",
    ],
)
def test_example_prints_what_the_readme_says(heading: str) -> None:
    """Each runnable example (code block, then its output block) prints exactly that output."""
    code, expected = _blocks_after(heading)[:2]
    assert _printed(code) == expected


def test_usage_snippets_run_against_the_mock(mock_server: MockServer) -> None:
    """The sync and async snippets, pointed at the embedded mock instead of HighLevel."""
    snippets = [block for block in _blocks_after("## Using the package") if "get_appointments_for_contact" in block]
    snippets = snippets[:2]
    assert len(snippets) == 2
    for code in snippets:
        assert "https://services.leadconnectorhq.com" in code
        assert "YS3jaqqeehkR2Is80miy" in _printed(
            code.replace("https://services.leadconnectorhq.com", mock_server.base_url)
        )


def test_the_api_versions_example_sends_what_it_says(examples: dict[int, Any]) -> None:
    """The README's version example, against a loopback server: it prints the client's version, and its two
    calls send `Version: v3` (the client's) and `Version: 2021-07-28` (the call's)."""
    code, expected = _blocks_after("## API versions")[:2]
    with ScriptedServer([Reply.json(200, examples[200])] * 2) as server:
        printed = _printed(code.replace("https://services.leadconnectorhq.com", server.base_url))
    assert printed == expected == "v3\n"
    assert [request.headers.get_list("Version") for request in server.requests] == [["v3"], ["2021-07-28"]]
