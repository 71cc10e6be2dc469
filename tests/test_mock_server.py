"""The embedded mock answers like the live API, from the spec's examples, and stops cleanly."""

from __future__ import annotations

import socket
import time
from typing import Any

import httpx
import pytest

from tools.mock_server import RATE_LIMIT_HEADER_NAMES, MockServer, mock_server_process

PATH = "/contacts/sx6wyHhbFdRXh302LLNR/appointments"
AUTH = {"Authorization": "Bearer any-token"}
VERSION = {"Version": "2021-07-28"}


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({**AUTH, **VERSION}, 200),
        ({**VERSION}, 401),
        ({"Authorization": "Basic x", **VERSION}, 401),
        (AUTH, 400),
        ({**AUTH, "Version": "v3"}, 200),
        # versions HighLevel has but the spec does not list for this operation, and nonsense: 400
        ({**AUTH, "Version": "2023-02-21"}, 400),
        ({**AUTH, "Version": "V3"}, 400),
        ({**AUTH, "Version": ""}, 400),
    ],
)
def test_answers_like_the_live_api(
    mock_server: MockServer, examples: dict[int, Any], headers: dict[str, str], status: int
) -> None:
    response = httpx.get(mock_server.base_url + PATH, headers=headers)
    assert response.status_code == status
    assert response.json() == examples[status]
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["X-RateLimit-Max"] == "100"
    assert response.headers["X-RateLimit-Interval-Milliseconds"] == "10000"
    assert response.headers["X-RateLimit-Limit-Daily"] == "200000"
    for name in RATE_LIMIT_HEADER_NAMES:
        assert response.headers[name].isdigit(), name


def test_unknown_path_is_404(mock_server: MockServer) -> None:
    response = httpx.get(mock_server.base_url + "/contacts/x", headers={**AUTH, **VERSION})
    assert response.status_code == 404
    assert response.json() == {"statusCode": 404, "message": "Cannot GET /contacts/x"}


def test_listens_on_loopback_and_stops() -> None:
    with MockServer() as server:
        host, port = server.base_url.removeprefix("http://").split(":")
        assert host == "127.0.0.1"
        assert httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}).status_code == 200
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(port))) != 0


def test_runs_in_a_process_of_its_own_and_stops_when_stdin_closes(examples: dict[int, Any]) -> None:
    with mock_server_process() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        response = httpx.get(base_url + PATH, headers={**AUTH, **VERSION})
        assert response.json() == examples[200]
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(base_url.rsplit(":", 1)[1]))) != 0


def test_enforces_the_burst_window_and_counts_down() -> None:
    with MockServer(burst=(3, 0.5)) as server:
        answers = [httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}) for _ in range(4)]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
        assert [answer.headers["X-RateLimit-Remaining"] for answer in answers] == ["2", "1", "0", "0"]
        assert answers[3].headers["X-RateLimit-Daily-Remaining"] == "199997"
        time.sleep(0.55)
        assert httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}).status_code == 200
        assert httpx.get(server.base_url + "/__stats").json() == {"requests": 5, "rate_limited": 1, "token_calls": 0}


def test_enforces_the_daily_quota() -> None:
    with MockServer(daily=2) as server:
        answers = [httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert [answer.headers["X-RateLimit-Daily-Remaining"] for answer in answers] == ["1", "0", "0"]
