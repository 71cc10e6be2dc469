"""The embedded mock answers like the live API, from the spec's examples, and stops cleanly."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, cast

import httpx
import pytest
from highlevel_contacts import AuthenticatedClient, errors
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.models import Appointment
from highlevel_contacts.retry import RetryPolicy
from highlevel_contacts.testing import RATE_LIMIT_HEADER_NAMES, Answer, MockServer, mock_server_process

from tools.spec import INSTALLED_LOCATIONS_PATH, LOCATION_TOKEN_PATH, TOKEN_PATH, response_examples

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
        assert httpx.get(server.base_url + "/__stats").json() == {
            "requests": 5,
            "rate_limited": 1,
            "token_calls": 0,
            "location_token_calls": 0,
            "locations": {server.default_location: {"requests": 5, "rate_limited": 1}},
        }


def test_enforces_the_daily_quota() -> None:
    with MockServer(daily=2) as server:
        answers = [httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert [answer.headers["X-RateLimit-Daily-Remaining"] for answer in answers] == ["1", "0", "0"]


# Agency apps: an agency (Company) token set, location tokens from /oauth/locationToken, limits per location.

LOCATION_TOKEN_EXAMPLES = response_examples(LOCATION_TOKEN_PATH, "post")
INSTALLED_EXAMPLES = response_examples(INSTALLED_LOCATIONS_PATH, "get")
TOKEN_EXAMPLES = response_examples(TOKEN_PATH, "post")
CLIENT = {"client_id": "app-id", "client_secret": "app-secret"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **VERSION}


def _location_token(
    server: MockServer, agency_token: str, location_id: str, company_id: str = "mock-company"
) -> httpx.Response:
    return httpx.post(
        server.base_url + LOCATION_TOKEN_PATH,
        data={"companyId": company_id, "locationId": location_id},
        headers=_bearer(agency_token),
    )


def _installed(server: MockServer, agency_token: str, **params: str) -> httpx.Response:
    return httpx.get(server.base_url + INSTALLED_LOCATIONS_PATH, params=params, headers=_bearer(agency_token))


def test_an_agency_code_exchange_gives_an_agency_set_and_its_refresh_stays_agency() -> None:
    with MockServer(installed_locations=("loc-a", "loc-b"), company_id="agency-1") as server:
        form = {**CLIENT, "grant_type": "authorization_code", "code": "any", "user_type": "Company"}
        agency = httpx.post(server.base_url + TOKEN_PATH, data=form).json()
        expected = {key: value for key, value in TOKEN_EXAMPLES[200].items() if key != "locationId"}
        assert agency == {
            **expected,
            "access_token": "mock-at-1",
            "refresh_token": "mock-rt-1",
            "userType": "Company",
            "companyId": "agency-1",
            "approvedLocations": ["loc-a", "loc-b"],
        }
        # the refresh token remembers its kind, whatever user_type says
        form = {**CLIENT, "grant_type": "refresh_token", "refresh_token": "mock-rt-1", "user_type": "Location"}
        refreshed = httpx.post(server.base_url + TOKEN_PATH, data=form).json()
        assert (refreshed["userType"], refreshed["access_token"], "locationId" in refreshed) == (
            "Company",
            "mock-at-2",
            False,
        )
        assert _location_token(server, refreshed["access_token"], "loc-a", "agency-1").status_code == 200
        # and a Location set's refresh token stays Location, whatever user_type says
        location = server.authorize()
        form = {**CLIENT, "grant_type": "refresh_token", "refresh_token": location["refresh_token"]}
        refreshed = httpx.post(server.base_url + TOKEN_PATH, data={**form, "user_type": "Company"}).json()
        assert (refreshed["userType"], refreshed["locationId"]) == ("Location", server.default_location)
        assert server.token_calls == 3
        assert server.authorize_agency()["userType"] == "Company"


def test_an_agency_token_is_refused_on_the_appointments_endpoint(examples: dict[int, Any]) -> None:
    with MockServer() as server:
        agency = server.authorize_agency()
        response = httpx.get(server.base_url + PATH, headers=_bearer(agency["access_token"]))
        assert (response.status_code, response.json()) == (401, examples[401])
        assert server.limits.requests == 0


def test_a_location_token_reads_its_location_and_counts_there(examples: dict[int, Any]) -> None:
    with MockServer(location_token_lifetime=120.4) as server:
        agency = server.authorize_agency()
        response = _location_token(server, agency["access_token"], "loc-b")
        assert response.status_code == 200
        assert response.json() == {
            **LOCATION_TOKEN_EXAMPLES[200],
            "access_token": "mock-lt-2",
            "expires_in": 120,
            "locationId": "loc-b",
        }
        answer = httpx.get(server.base_url + PATH, headers=_bearer("mock-lt-2"))
        assert (answer.status_code, answer.json()) == (200, examples[200])
        assert (server.limits_for("loc-b").requests, server.limits.requests) == (1, 0)
        assert (server.location_token_calls, server.location_token_calls_for("loc-b")) == (1, 1)
        assert server.location_token_calls_for("loc-a") == 0


def test_a_location_token_is_refused_on_location_token() -> None:
    with MockServer() as server:
        location_token = _location_token(server, server.authorize_agency()["access_token"], "loc-a").json()
        for token in (location_token["access_token"], server.authorize()["access_token"], "a-private-token"):
            response = _location_token(server, token, "loc-a")
            assert (response.status_code, response.json()) == (401, LOCATION_TOKEN_EXAMPLES[401])
        response = httpx.post(server.base_url + LOCATION_TOKEN_PATH, data={"companyId": "mock-company"})
        assert (response.status_code, response.json()) == (401, LOCATION_TOKEN_EXAMPLES[401])  # no bearer
        assert (server.location_token_calls, server.location_token_calls_for("loc-a")) == (5, 4)


def test_an_expired_agency_token_is_refused_on_location_token() -> None:
    with MockServer(access_token_lifetime=0.2) as server:
        agency = server.authorize_agency()
        assert _location_token(server, agency["access_token"], "loc-a").status_code == 200
        time.sleep(0.25)
        response = _location_token(server, agency["access_token"], "loc-a")
        assert (response.status_code, response.json()) == (401, LOCATION_TOKEN_EXAMPLES[401])


def test_an_expired_or_revoked_location_token_is_refused(examples: dict[int, Any]) -> None:
    with MockServer(location_token_lifetime=0.2) as server:
        agency = server.authorize_agency()["access_token"]
        short = _location_token(server, agency, "loc-a").json()
        assert short["expires_in"] == 1  # rounded, at least 1
        assert httpx.get(server.base_url + PATH, headers=_bearer(short["access_token"])).status_code == 200
        time.sleep(0.25)
        response = httpx.get(server.base_url + PATH, headers=_bearer(short["access_token"]))
        assert (response.status_code, response.json()) == (401, examples[401])
        fresh = _location_token(server, agency, "loc-a").json()["access_token"]
        server.tokens.revoke(fresh)
        response = httpx.get(server.base_url + PATH, headers=_bearer(fresh))
        assert (response.status_code, response.json()) == (401, examples[401])
        response = httpx.get(server.base_url + PATH, headers=_bearer("mock-lt-999"))  # never issued
        assert response.status_code == 401
        server.tokens.revoke(agency)
        assert _location_token(server, agency, "loc-a").status_code == 401
        assert server.limits_for("loc-a").requests == 1


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"companyId": "mock-company", "locationId": "loc-x"}, 400),  # the app is not installed there
        ({"companyId": "mock-company", "locationId": "nowhere"}, 400),  # not one of the company's locations
        ({"companyId": "other-company", "locationId": "loc-a"}, 400),
        ({"companyId": "mock-company"}, 422),
        ({"locationId": "loc-a"}, 422),
        ({"companyId": "", "locationId": "loc-a"}, 422),
    ],
)
def test_location_token_refuses_what_highlevel_refuses(form: dict[str, str], status: int) -> None:
    with MockServer() as server:
        agency = server.authorize_agency()["access_token"]
        response = httpx.post(server.base_url + LOCATION_TOKEN_PATH, data=form, headers=_bearer(agency))
        assert (response.status_code, response.json()) == (status, LOCATION_TOKEN_EXAMPLES[status])
        assert server.location_token_calls == 1


@pytest.mark.parametrize("version", [None, "v3", "2023-02-21"])
def test_location_token_and_installed_locations_need_a_version_of_their_enum(version: str | None) -> None:
    with MockServer() as server:
        headers = {"Authorization": f"Bearer {server.authorize_agency()['access_token']}"}
        headers |= {} if version is None else {"Version": version}
        form = {"companyId": "mock-company", "locationId": "loc-a"}
        response = httpx.post(server.base_url + LOCATION_TOKEN_PATH, data=form, headers=headers)
        assert (response.status_code, response.json()) == (400, LOCATION_TOKEN_EXAMPLES[400])
        params = {"companyId": "mock-company"}
        response = httpx.get(server.base_url + INSTALLED_LOCATIONS_PATH, params=params, headers=headers)
        assert (response.status_code, response.json()) == (400, INSTALLED_EXAMPLES[400])


def test_rate_limits_are_counted_per_location() -> None:
    with MockServer(burst=(3, 10.0)) as server:
        agency = server.authorize_agency()["access_token"]
        tokens = {
            location: _location_token(server, agency, location).json()["access_token"]
            for location in ("loc-a", "loc-b")
        }
        answers = {
            location: [httpx.get(server.base_url + PATH, headers=_bearer(token)) for _ in range(3)]
            for location, token in tokens.items()
        }
        for location in ("loc-a", "loc-b"):
            assert [answer.status_code for answer in answers[location]] == [200, 200, 200]
            assert [answer.headers["X-RateLimit-Remaining"] for answer in answers[location]] == ["2", "1", "0"]
        fourth = httpx.get(server.base_url + PATH, headers=_bearer(tokens["loc-a"]))
        assert (fourth.status_code, fourth.headers["X-RateLimit-Remaining"]) == (429, "0")
        # a Private Integration Token counts against the default location, which still has its whole window
        assert httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}).headers["X-RateLimit-Remaining"] == "2"
        assert server.limits_for("loc-a") is server.limits_for("loc-a")
        assert (server.limits_for("loc-a").requests, server.limits_for("loc-a").rate_limited) == (4, 1)
        assert (server.limits_for("loc-b").requests, server.limits_for("loc-b").rate_limited) == (3, 0)
        assert (server.limits.requests, server.limits.rate_limited) == (1, 0)
        assert httpx.get(server.base_url + "/__stats").json() == {
            "requests": 8,
            "rate_limited": 1,
            "token_calls": 0,
            "location_token_calls": 2,
            "locations": {
                server.default_location: {"requests": 1, "rate_limited": 0},
                "loc-a": {"requests": 4, "rate_limited": 1},
                "loc-b": {"requests": 3, "rate_limited": 0},
            },
        }


def test_a_location_access_token_from_the_token_endpoint_counts_against_the_default_location() -> None:
    with MockServer(burst=(1, 10.0)) as server:
        token = server.authorize()["access_token"]
        statuses = [httpx.get(server.base_url + PATH, headers=_bearer(token)).status_code for _ in range(2)]
        assert statuses == [200, 429]
        assert server.default_location == TOKEN_EXAMPLES[200]["locationId"]
        assert (server.limits.requests, server.limits.rate_limited) == (2, 1)


def _location(location_id: str, installed: bool) -> dict[str, Any]:
    address = INSTALLED_EXAMPLES[200]["locations"][0]["address"]
    return {"_id": location_id, "name": f"Location {location_id}", "address": address, "isInstalled": installed}


def test_installed_locations_lists_installed_then_uninstalled() -> None:
    with MockServer(installed_locations=("loc-a", "loc-b"), uninstalled_locations=("loc-x", "loc-y")) as server:
        agency = server.authorize_agency()["access_token"]
        response = _installed(server, agency, companyId="mock-company")
        assert response.status_code == 200
        assert response.json() == {
            "locations": [
                _location("loc-a", True),
                _location("loc-b", True),
                _location("loc-x", False),
                _location("loc-y", False),
            ],
            "count": 4,
            "installToFutureLocations": True,
        }
        only_installed = _installed(server, agency, companyId="mock-company", isInstalled="true").json()
        assert (only_installed["locations"], only_installed["count"]) == (
            [_location("loc-a", True), _location("loc-b", True)],
            2,
        )
        not_installed = _installed(server, agency, companyId="mock-company", isInstalled="false").json()
        assert [location["_id"] for location in not_installed["locations"]] == ["loc-x", "loc-y"]
        by_name = _installed(server, agency, companyId="mock-company", query="LOC-Y").json()
        assert (by_name["locations"], by_name["count"]) == ([_location("loc-y", False)], 1)
        assert server.installed_locations_calls == 4


def test_installed_locations_pages_and_caps_the_limit() -> None:
    ids = tuple(f"loc-{number:03}" for number in range(250))
    with MockServer(installed_locations=ids, uninstalled_locations=()) as server:
        agency = server.authorize_agency()["access_token"]
        first = _installed(server, agency, companyId="mock-company", isInstalled="true").json()
        assert ([location["_id"] for location in first["locations"]], first["count"]) == (list(ids[:20]), 250)
        page = _installed(server, agency, companyId="mock-company", skip="95", limit="10").json()
        assert ([location["_id"] for location in page["locations"]], page["count"]) == (list(ids[95:105]), 250)
        capped = _installed(server, agency, companyId="mock-company", skip="10", limit="1000").json()
        assert [location["_id"] for location in capped["locations"]] == list(ids[10:110])
        last = _installed(server, agency, companyId="mock-company", skip="240", limit="100").json()
        assert [location["_id"] for location in last["locations"]] == list(ids[240:])
        beyond = _installed(server, agency, companyId="mock-company", skip="300").json()
        assert (beyond["locations"], beyond["count"]) == ([], 250)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 422),
        ({"companyId": ""}, 422),
        ({"companyId": "mock-company", "isInstalled": "yes"}, 422),
        ({"companyId": "mock-company", "skip": "-1"}, 422),
        ({"companyId": "mock-company", "limit": "0"}, 422),
        ({"companyId": "mock-company", "limit": "ten"}, 422),
        ({"companyId": "other-company"}, 400),
    ],
)
def test_installed_locations_refuses_what_highlevel_refuses(params: dict[str, str], status: int) -> None:
    with MockServer() as server:
        response = _installed(server, server.authorize_agency()["access_token"], **params)
        assert (response.status_code, response.json()) == (status, INSTALLED_EXAMPLES[status])


def test_installed_locations_needs_a_live_agency_token() -> None:
    with MockServer(access_token_lifetime=0.2) as server:
        agency = server.authorize_agency()["access_token"]
        location_token = _location_token(server, agency, "loc-a").json()["access_token"]
        for token in (location_token, server.authorize()["access_token"], "a-private-token"):
            response = _installed(server, token, companyId="mock-company")
            assert (response.status_code, response.json()) == (401, INSTALLED_EXAMPLES[401])
        time.sleep(0.25)
        response = _installed(server, agency, companyId="mock-company")
        assert (response.status_code, response.json()) == (401, INSTALLED_EXAMPLES[401])
        assert server.installed_locations_calls == 4


def test_location_token_waits_token_delay() -> None:
    with MockServer(token_delay=0.3) as server:
        agency = server.authorize_agency()["access_token"]
        start = time.monotonic()
        assert _location_token(server, agency, "loc-a").status_code == 200
        assert time.monotonic() - start >= 0.3


def test_agency_mode_in_a_process_of_its_own(examples: dict[int, Any]) -> None:
    with mock_server_process("--installed", "north,south", "--location-token-lifetime", "60") as base_url:
        form = {**CLIENT, "grant_type": "authorization_code", "code": "x", "user_type": "Company"}
        agency = httpx.post(base_url + TOKEN_PATH, data=form).json()
        assert (agency["userType"], agency["approvedLocations"]) == ("Company", ["north", "south"])
        data = {"companyId": "mock-company", "locationId": "south"}
        location = httpx.post(base_url + LOCATION_TOKEN_PATH, data=data, headers=_bearer(agency["access_token"]))
        assert (location.json()["locationId"], location.json()["expires_in"]) == ("south", 60)
        data = {"companyId": "mock-company", "locationId": "loc-a"}
        refused = httpx.post(base_url + LOCATION_TOKEN_PATH, data=data, headers=_bearer(agency["access_token"]))
        assert refused.status_code == 400
        answer = httpx.get(base_url + PATH, headers=_bearer(location.json()["access_token"]))
        assert answer.json() == examples[200]
        stats = httpx.get(base_url + "/__stats").json()
        assert (stats["location_token_calls"], stats["locations"]["south"]) == (2, {"requests": 1, "rate_limited": 0})


def test_the_packaged_mock_serves_the_spec_examples_without_yaml() -> None:
    # The package's mock reads what `make generate` vendored (spec_examples.json), never the YAML: a user's
    # environment has no PyYAML and no openapi/ directory.
    from highlevel_contacts import testing

    for path, method in [
        (testing.OPERATION_PATH, "get"),
        (TOKEN_PATH, "post"),
        (LOCATION_TOKEN_PATH, "post"),
        (INSTALLED_LOCATIONS_PATH, "get"),
    ]:
        assert testing.response_examples(path, method) == response_examples(path, method)
    code = (
        "import sys; sys.modules['yaml'] = None; sys.modules['tools'] = None\n"
        "import httpx\n"
        "from highlevel_contacts.testing import MockServer\n"
        "with MockServer() as mock:\n"
        "    answer = httpx.get(mock.base_url + '/contacts/c1/appointments',\n"
        "                       headers={'Authorization': 'Bearer pit-1234567890', 'Version': '2021-07-28'})\n"
        "print(answer.status_code, len(answer.json()['events']))\n"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd="/")
    assert (child.returncode, child.stdout) == (0, "200 1\n"), child.stderr


# What a user's own tests do with the mock: scripted answers, the requests recorded, data set by the test.


def _get(server: MockServer, path: str = PATH, **headers: str) -> httpx.Response:
    return httpx.get(server.base_url + path, headers={**AUTH, **VERSION, **headers})


def _events(client: AuthenticatedClient, contact_id: str) -> list[Appointment]:
    """A contact's appointments through the generated client, as typed objects."""
    events = get_appointments_for_contact.sync(contact_id, client=client).events
    assert isinstance(events, list)
    return events


def test_a_scripted_503_then_the_usual_200(examples: dict[int, Any]) -> None:
    with MockServer() as server:
        server.script(Answer(status=503, body={"message": "down"}, headers={"Retry-After": "1"}))
        first, second = _get(server), _get(server)
        assert (first.status_code, first.json(), first.headers["Retry-After"]) == (503, {"message": "down"}, "1")
        assert first.headers["content-type"] == "application/json; charset=utf-8"
        assert first.headers["X-RateLimit-Remaining"] == "100"  # the usual headers, not counted against the limits
        assert (second.status_code, second.json()) == (200, examples[200])
        assert server.unused_answers == ()
        assert (server.limits.requests, len(server.requests)) == (1, 2)


def test_scripted_answers_are_used_in_order_with_default_bodies(examples: dict[int, Any]) -> None:
    with MockServer() as server:
        server.script(
            Answer(status=401),
            Answer(status=502),
            Answer(status=200, body=b"{not json", headers={"content-type": "text/plain"}),
            Answer(body={"events": []}),
        )
        answers = [_get(server) for _ in range(5)]
        assert [answer.status_code for answer in answers] == [401, 502, 200, 200, 200]
        assert answers[0].json() == examples[401]  # a status the operation documents: the spec's example
        assert answers[1].json() == {"statusCode": 502, "message": "Bad Gateway"}
        assert (answers[2].content, answers[2].headers["Content-Type"]) == (b"{not json", "text/plain")
        assert answers[3].json() == {"events": []}
        assert answers[4].json() == examples[200]


def test_a_scripted_delay_keeps_the_usual_answer_and_adds_headers(examples: dict[int, Any]) -> None:
    with MockServer() as server:
        server.script(Answer(delay=0.3, headers={"X-Request-Id": "r-1", "X-RateLimit-Max": "7"}))
        start = time.monotonic()
        answer = _get(server)
        assert time.monotonic() - start >= 0.3
        assert (answer.status_code, answer.json()) == (200, examples[200])
        assert (answer.headers["X-Request-Id"], answer.headers["X-RateLimit-Max"]) == ("r-1", "7")
        assert server.limits.requests == 1  # the usual answer is counted as usual
        assert "X-Request-Id" not in _get(server).headers
        server.script(Answer(delay=0.5))
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}, timeout=0.1)


def test_a_dropped_connection_is_a_disconnect_then_the_usual_answer() -> None:
    with MockServer() as server:
        server.script(Answer(drop=True))
        with pytest.raises(httpx.RemoteProtocolError):
            _get(server)
        assert _get(server).status_code == 200


def test_the_client_sees_a_drop_as_a_connection_error_and_retries_past_it() -> None:
    with MockServer() as server:
        server.script(Answer(drop=True))
        with AuthenticatedClient(base_url=server.base_url, token="a-private-token", retry=None) as client:
            with pytest.raises(errors.APIConnectionError):
                get_appointments_for_contact.sync("c1", client=client)
        server.script(Answer(drop=True), Answer(status=503))
        policy = RetryPolicy(initial_backoff=0.01, jitter=False)
        with AuthenticatedClient(base_url=server.base_url, token="a-private-token", retry=policy) as client:
            events = _events(client, "c1")
        assert [event.title for event in events] == ["Test"]
        assert len(server.requests_for("c1")) == 4  # the drop alone, then drop, 503, 200


def test_scripts_filter_by_path_and_method(examples: dict[int, Any]) -> None:
    with MockServer() as server:
        server.script(Answer(status=500), path="/oauth/token", method="post")
        server.script(Answer(status=404), path="/contacts/c2/appointments")
        server.script(Answer(status=418), path=None)
        assert _get(server, "/contacts/c1/appointments").status_code == 418  # the one for any path
        assert _get(server, "/contacts/c1/appointments").status_code == 200
        assert _get(server, "/contacts/c2/appointments?x=1").status_code == 404  # the query is not compared
        form = {**CLIENT, "grant_type": "authorization_code", "code": "any"}
        refused = httpx.post(server.base_url + TOKEN_PATH, data=form)
        assert (refused.status_code, refused.json()) == (500, {"statusCode": 500, "message": "Internal Server Error"})
        assert httpx.post(server.base_url + TOKEN_PATH, data=form).status_code == 200
        assert server.token_calls == 2  # a scripted answer is counted as a call
        server.script(Answer(status=400), path=TOKEN_PATH)
        assert httpx.post(server.base_url + TOKEN_PATH, data=form).json() == TOKEN_EXAMPLES[400]
        server.script(Answer(status=503), Answer(status=502))
        assert [answer.status for answer in server.unused_answers] == [503, 502]
        server.clear_script()
        assert (server.unused_answers, _get(server).status_code) == ((), 200)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"status": 99}, ValueError),
        ({"status": True}, ValueError),
        ({"delay": -1}, ValueError),
        ({"delay": float("nan")}, ValueError),
        ({"drop": True, "status": 503}, ValueError),
        ({"status": 200, "body": {1, 2}}, TypeError),
        ({"headers": {"X-Count": 1}}, TypeError),
    ],
)
def test_an_answer_refuses_what_it_cannot_send(arguments: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        Answer(**arguments)


def test_an_answer_is_frozen_and_its_headers_read_only() -> None:
    answer = Answer(status=503, headers={"Retry-After": "1"})
    with pytest.raises(AttributeError):
        answer.status = 200  # type: ignore[misc]
    with pytest.raises(TypeError):
        answer.headers["Retry-After"] = "2"  # type: ignore[index]
    assert hash(answer) == hash(Answer(status=503))


def test_scripting_from_20_threads_uses_each_answer_exactly_once(examples: dict[int, Any]) -> None:
    with MockServer() as server:
        bodies: list[Any] = []
        lock = threading.Lock()
        ready = threading.Barrier(20)

        def one(number: int) -> None:
            server.script(Answer(status=200, body={"answer": number}))
            ready.wait()  # every answer is scripted before any request is sent: they all race for them
            body = _get(server).json()
            with lock:
                bodies.append(body)

        threads = [threading.Thread(target=one, args=(number,)) for number in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(body["answer"] for body in bodies) == list(range(20))
        assert server.unused_answers == ()
        assert _get(server).json() == examples[200]
        assert len(server.requests) == 21


def test_requests_are_recorded_with_their_headers_never_in_a_repr() -> None:
    with MockServer() as server:
        _get(server, "/contacts/c%201/appointments?since=2024", Version="v3")
        _get(server, "/contacts/c2/appointments")
        form = {**CLIENT, "grant_type": "authorization_code", "code": "any"}
        httpx.post(server.base_url + TOKEN_PATH, data=form)
        httpx.get(server.base_url + "/__stats")
        first, second, token = server.requests
        assert (first.method, first.path, first.query, first.contact_id) == (
            "GET",
            "/contacts/c%201/appointments",
            {"since": "2024"},
            "c 1",
        )
        assert (first.headers["Version"], first.headers["version"], first.headers["Authorization"]) == (
            "v3",
            "v3",
            "Bearer any-token",
        )
        assert "Version" in first.headers
        assert second.headers["Version"] == "2021-07-28"
        assert first.at <= second.at <= token.at
        assert (token.method, token.path, token.contact_id) == ("POST", TOKEN_PATH, None)
        assert b"client_secret=app-secret" in token.body
        for request in (first, token):
            assert "any-token" not in repr(request)
            assert "app-secret" not in repr(request)
        assert "authorization" in repr(first.headers)
        assert server.requests_for("c 1") == [first]
        assert server.requests_for("c2") == [second]
        assert server.requests_for("c3") == []
        snapshot = server.requests
        _get(server)
        assert len(snapshot) == 3  # a snapshot: later requests do not change it


def test_set_appointments_are_served_and_parsed_into_typed_objects(appointment_example: dict[str, Any]) -> None:
    with MockServer() as server:
        served = server.set_appointments(
            "c1",
            [
                {"id": "event-1", "title": "Intro call", "startTime": "2024-03-01T10:00:00+00:00"},
                {"id": "event-2", "title": "Follow-up", "status": "cancelled", "users": []},
            ],
        )
        assert served[0] == {
            **appointment_example,
            "id": "event-1",
            "title": "Intro call",
            "startTime": "2024-03-01T10:00:00+00:00",
            "contactId": "c1",
        }
        with AuthenticatedClient(base_url=server.base_url, token="a-private-token") as client:
            events = _events(client, "c1")
            others = _events(client, "c2")
        assert [(event.id, event.title, event.status, event.contact_id) for event in events] == [
            ("event-1", "Intro call", "booked", "c1"),
            ("event-2", "Follow-up", "cancelled", "c1"),
        ]
        assert events[0].start_time == datetime(2024, 3, 1, 10, tzinfo=UTC)
        assert events[1].users == []
        assert [event.title for event in others] == ["Test"]  # a contact not set: the spec's example
        server.set_appointments("c1", [])
        assert _get(server, "/contacts/c1/appointments").json() == {"events": []}
        server.clear_appointments("c1")
        assert _get(server, "/contacts/c1/appointments").json()["events"][0]["title"] == "Test"
        with pytest.raises(TypeError):
            server.set_appointments("c1", cast(Any, {"title": "one event, not a list"}))
        with pytest.raises(TypeError):
            server.set_appointments("c1", [{"when": object()}])


def test_set_appointments_still_need_a_token_and_a_version(examples: dict[int, Any]) -> None:
    with MockServer() as server:
        server.set_appointments("c1", [{"title": "Intro call"}])
        response = httpx.get(server.base_url + "/contacts/c1/appointments", headers=VERSION)
        assert (response.status_code, response.json()) == (401, examples[401])
        response = httpx.get(server.base_url + "/contacts/c1/appointments", headers=AUTH)
        assert (response.status_code, response.json()) == (400, examples[400])


def test_install_and_uninstall_after_start() -> None:
    with MockServer(installed_locations=("loc-a",), uninstalled_locations=("loc-x",)) as server:
        agency = server.authorize_agency()["access_token"]
        location_token = _location_token(server, agency, "loc-a").json()["access_token"]
        assert _location_token(server, agency, "loc-x").status_code == 400
        server.install("loc-x")
        server.install("loc-new")
        assert (server.installed_locations, server.uninstalled_locations) == (("loc-a", "loc-x", "loc-new"), ())
        assert _location_token(server, agency, "loc-x").status_code == 200
        assert server.authorize_agency()["approvedLocations"] == ["loc-a", "loc-x", "loc-new"]
        server.uninstall("loc-a")
        assert (server.installed_locations, server.uninstalled_locations) == (("loc-x", "loc-new"), ("loc-a",))
        listed = _installed(server, agency, companyId="mock-company").json()["locations"]
        assert [(location["_id"], location["isInstalled"]) for location in listed] == [
            ("loc-x", True),
            ("loc-new", True),
            ("loc-a", False),
        ]
        assert _location_token(server, agency, "loc-a").status_code == 400
        assert httpx.get(server.base_url + PATH, headers=_bearer(location_token)).status_code == 401  # revoked


def test_other_methods_answer_404(examples: dict[int, Any]) -> None:
    with MockServer() as server:
        response = httpx.delete(server.base_url + PATH, headers={**AUTH, **VERSION})
        assert (response.status_code, response.json()) == (404, {"statusCode": 404, "message": f"Cannot DELETE {PATH}"})
        server.script(Answer(status=204, body=b""), method="PUT", path=None)
        assert httpx.put(server.base_url + "/anything", content=b"x").status_code == 204
        assert [(request.method, request.body) for request in server.requests] == [("DELETE", b""), ("PUT", b"x")]


# What an adversarial review of the packaged mock found (each failed before its fix) ------------------------------


def test_a_stopped_mock_closes_the_connections_clients_keep_alive() -> None:
    with httpx.Client() as client:  # a client that outlives the mock, as a module-level one in a user's tests does
        with MockServer() as server:
            assert client.get(server.base_url + PATH, headers={**AUTH, **VERSION}).status_code == 200
            base_url = server.base_url
        handlers = [thread for thread in threading.enumerate() if "process_request_thread" in thread.name]
        with pytest.raises(httpx.TransportError):
            client.get(base_url + PATH, headers={**AUTH, **VERSION})  # was a 200 from the stopped mock
        assert server.requests[-1].method == "GET"
        assert len(server.requests) == 1
    for handler in handlers:
        handler.join(timeout=5)
        assert not handler.is_alive()


def test_stopping_a_mock_that_never_started_returns() -> None:
    started = time.monotonic()
    MockServer().stop()  # shutdown() alone waits forever for a loop that never ran
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("authorization", ["Bearer ", "Bearer    ", "Bearer \t"])
def test_an_empty_bearer_token_is_no_token(authorization: str) -> None:
    # What code with an empty token variable sends; HighLevel answers 401, and so must the mock.
    with MockServer() as server:
        # http.client sends it as it is (httpx refuses a header value with trailing whitespace)
        connection = http.client.HTTPConnection(server.base_url.removeprefix("http://"), timeout=10)
        connection.request("GET", PATH, headers={"Authorization": authorization, **VERSION})
        status = connection.getresponse().status
        connection.close()
    assert status == 401


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"status": 100}, "status must be an int from 200 to 599"),
        ({"status": 204}, "a 204 has no body"),
        ({"status": 304, "body": {"a": 1}}, "a 304 has no body"),
        ({"status": 503, "headers": {"X-Note": "a\r\nX-Injected: yes"}}, "without CR or LF"),
        ({"status": 503, "headers": {"X-Note": "日本"}}, "printable ASCII"),
        ({"status": 503, "headers": {"Bad Name:": "v"}}, "is not an HTTP token"),
    ],
)
def test_an_answer_that_cannot_be_sent_is_refused_at_the_call(answer: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Answer(**answer)


def test_locations_are_non_empty_strs_and_uninstall_knows_the_agencys() -> None:
    with MockServer() as server:
        for bad in (b"loc-new", None, ["loc-z"], ""):
            with pytest.raises(TypeError, match="a location id is a non-empty str"):
                server.install(bad)  # type: ignore[arg-type]
        with pytest.raises(KeyError, match="the agency has no location 'typo-location'"):
            server.uninstall("typo-location")
        assert server.uninstalled_locations == ("loc-x",)


def test_recorded_requests_compare_without_their_secrets_and_are_read_only() -> None:
    with MockServer() as server:
        httpx.get(server.base_url + PATH + "?a=1", headers={**AUTH, **VERSION})
        httpx.get(server.base_url + PATH + "?a=1", headers={"Authorization": "Bearer another", **VERSION})
        first, second = server.requests
    # pytest's diff of two records shows the fields that take part in ==: headers and body do not
    assert [field.name for field in fields(first) if field.compare] == ["method", "path", "query", "contact_id", "at"]
    with pytest.raises(TypeError):
        first.query["injected"] = "1"  # type: ignore[index]
    assert dict(second.query) == {"a": "1"}


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"method": "FETCH"}, "method must be one of GET, POST, PUT, PATCH, DELETE or None"),
        ({"path": "/contacts/c1/appointments?x=1"}, "hold no query string or space"),
        ({"path": "/contacts/c 1/appointments"}, "hold no query string or space"),
    ],
)
def test_a_script_filter_that_could_never_match_is_refused(filters: dict[str, Any], message: str) -> None:
    with MockServer() as server, pytest.raises(ValueError, match=message):
        server.script(Answer(status=503), **filters)


def test_recorded_bodies_are_bounded_in_bytes_and_recording_can_be_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from highlevel_contacts import testing

    monkeypatch.setattr(testing, "RECORDED_BYTES", 3000)
    with MockServer() as server:
        for number in range(5):
            httpx.post(server.base_url + "/oauth/token", content=bytes([65 + number]) * 1000)
        kept = [request.body[:1] for request in server.requests]
    assert kept == [b"C", b"D", b"E"]  # the oldest dropped to stay within 3,000 bytes of bodies
    with MockServer(record_requests=False) as server:
        httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION})
        assert server.requests == []
        assert server.limits.requests == 1  # counted all the same


def test_the_daily_quota_renews_a_day_after_it_started(monkeypatch: pytest.MonkeyPatch) -> None:
    from highlevel_contacts import testing

    with MockServer(daily=1) as server:
        assert httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}).status_code == 200
        assert httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}).status_code == 429
        monkeypatch.setattr(testing, "_DAY_SECONDS", 0.0)  # as if a day had passed
        assert httpx.get(server.base_url + PATH, headers={**AUTH, **VERSION}).status_code == 200
