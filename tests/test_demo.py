from __future__ import annotations

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
    assert lines[7:] == [
        "OAuth: an access token valid for 1 s, kept in a file token store",
        "  call 1: 1 appointment(s); token endpoint calls so far: 0",
        "  waiting 1.2 s: the access token expires",
        "  call 2: 1 appointment(s); token endpoint calls so far: 1",
        "  the file holds the rotated token set: yes (mode 0o600)",
    ]
