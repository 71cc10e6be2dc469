"""The package's own README (runtime/PACKAGE_README.md, copied to generated/README.md: the wheel's long
description) runs as written.

Its Python blocks call HighLevel; here they call the embedded mock instead, the way tests/test_readme.py runs
the project README's examples.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from highlevel_contacts.testing import MockServer

from tools import codegen

README = codegen.ROOT / codegen.OUTPUT / "README.md"
HIGHLEVEL = "https://services.leadconnectorhq.com"

# What each Python block prints against the mock, in the README's order.
EXPECTED_OUTPUT = [
    "YS3jaqqeehkR2Is80miy Test 2021-07-16 11:00:00\n",  # static token, sync
    "1 appointment(s)\n",  # OAuth with a FileTokenStore
    "['YS3jaqqeehkR2Is80miy']\n",  # async
    "v3 1\n",  # API versions
    "401 Invalid token: access token is invalid\n",  # errors
    "200 100\n",  # retries, timeouts, deadline and limits
]


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_readme_is_this_packages_not_the_generators_stock_text() -> None:
    text = README.read_text(encoding="utf-8")
    for stock in ("api.example.com", "my_tag", "MyDataModel", "proxies=", "from highlevel_contacts import Client\n"):
        assert stock not in text
    assert text.startswith("# highlevel-contacts\n")
    assert text == (codegen.ROOT / codegen.PACKAGE_README).read_text(encoding="utf-8")  # copied as written
    assert "https://marketplace.gohighlevel.com/docs/ghl/contacts/get-appointments-for-contact/" in text
    assert "highlevel_contacts.auth.HighLevelOAuth" in text


def test_every_python_block_runs_against_the_mock(
    mock_server: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _python_blocks()
    assert len(blocks) == len(EXPECTED_OUTPUT)
    # The OAuth block reads highlevel-token.json from the working directory: seed it as the README says.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "highlevel-token.json").write_text(json.dumps({**mock_server.authorize(), "expires_at": 0}))
    for code, expected in zip(blocks, EXPECTED_OUTPUT, strict=True):
        assert HIGHLEVEL in code
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code.replace(HIGHLEVEL, mock_server.base_url), str(README), "exec"), {"__name__": "readme"})
        assert printed.getvalue() == expected
    # The OAuth block refreshed the seeded token (expires_at 0) and saved the rotated set.
    assert json.loads((tmp_path / "highlevel-token.json").read_text())["expires_at"] > 0
