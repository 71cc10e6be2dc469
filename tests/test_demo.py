from __future__ import annotations

import re

import pytest

from tools import demo


def test_demo_prints_the_documented_appointment(capsys: pytest.CaptureFixture[str]) -> None:
    demo.main()
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "appointments for contact sx6wyHhbFdRXh302LLNR: 1"
    assert lines[3].split() == ["id", "title", "status", "start_time", "end_time", "calendar_id"]
    assert lines[5].split() == [
        "YS3jaqqeehkR2Is80miy", "Test", "booked", "2021-07-16", "11:00", "2021-07-16", "11:30",
        "YlWd2wuCAZQzh2cH1fVZ",
    ]  # fmt: skip
    assert lines[7:13] == [
        "OAuth: an access token valid for 1 s, kept in a file token store",
        "  call 1: 1 appointment(s); token endpoint calls so far: 0",
        "  waiting 1.2 s: the access token expires",
        "  call 2: 1 appointment(s); token endpoint calls so far: 1",
        "  the file holds the rotated token set: yes (mode 0o600)",
        "",
    ]
    assert lines[13:19] == [
        "Agency: one agency token set, a location token for each of two locations",
        "  installed at: loc-north, loc-south",
        "  loc-north: 2 calls, 1 appointment(s) each; locationToken calls for it: 1",
        "  loc-south: 2 calls, 1 appointment(s) each; locationToken calls for it: 1",
        "  location tokens kept beside agency.json: agency.location-loc-north.json, agency.location-loc-south.json",
        "",
    ]
    lines = lines[:13] + lines[19:]
    assert lines[13] == (
        "CLI: HIGHLEVEL_TOKEN=... highlevel-contacts appointments --format table sx6wyHhbFdRXh302LLNR "
        "Jq5hT2mLx0aVbC9dE1fG pQ7rS8tU9vW0xY1zA2bC"
    )
    assert [line.rstrip() for line in lines[14:19]] == [
        "contactId              id                     title   status   start              end",
        "─" * 98,
        "sx6wyHhbFdRXh302LLNR   YS3jaqqeehkR2Is80miy   Test    booked   2021-07-16 11:00   2021-07-16 11:30",
        "Jq5hT2mLx0aVbC9dE1fG   YS3jaqqeehkR2Is80miy   Test    booked   2021-07-16 11:00   2021-07-16 11:30",
        "pQ7rS8tU9vW0xY1zA2bC   YS3jaqqeehkR2Is80miy   Test    booked   2021-07-16 11:00   2021-07-16 11:30",
    ]
    assert re.fullmatch(r"3 contacts: 3 ok, 0 failed in \d+\.\d s \(exit status 0\)", lines[19])
    assert len(lines) == 20
