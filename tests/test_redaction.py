"""Redaction replaces a real secret wherever it occurs, in one pass, and leaves a message readable: a secret too
short to be a real token is not replaced (with one warning), and no marker is ever replaced inside."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from highlevel_contacts import (
    APIConnectionError,
    AuthenticatedClient,
    BadRequestError,
    RetryPolicy,
    TokenRefreshError,
    cli,
    parsing,
    redaction,
)
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.parsing import request_error, status_error
from highlevel_contacts.redaction import MIN_REDACTED_SECRET_LENGTH, redact

from tests.scripted_server import refused_url

TOKEN40 = "pit-0123456789abcdef0123456789abcdef0123"  # as long as a real Private Integration Token
WARNING = (
    "a secret (token, client secret or refresh token) shorter than 8 characters is not redacted from error "
    "messages: no real one is that short, and replacing it would garble them"
)
REFUSED_GRANT = b'{"message":"invalid_grant: bad token a"}'


def _package_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "highlevel_contacts"]


@pytest.fixture
def fresh_warning(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """caplog, with the once-per-process warning not given yet in this process (another test may have)."""
    monkeypatch.setattr(redaction, "_short_secret_warned", False)
    caplog.set_level(logging.WARNING, logger="highlevel_contacts")
    return caplog


def test_the_minimum_is_eight() -> None:
    # The rule's docs (redact's docstring, the README) name 8; this keeps them true.
    assert MIN_REDACTED_SECRET_LENGTH == 8


@pytest.mark.parametrize("token", ["a", "ab", "tok", "7charss"])
def test_a_short_token_leaves_the_error_message_readable(token: str, fresh_warning: pytest.LogCaptureFixture) -> None:
    error = status_error(httpx.Response(400, content=REFUSED_GRANT), (token,))
    assert type(error) is BadRequestError
    assert str(error) == "HTTP 400: invalid_grant: bad token a"
    assert error.body == REFUSED_GRANT
    assert _package_warnings(fresh_warning) == [WARNING]


def test_a_short_token_leaves_a_token_refresh_error_readable(fresh_warning: pytest.LogCaptureFixture) -> None:
    body = b'{"error":"invalid_grant","message":"Invalid grant: refresh token is invalid"}'
    error = parsing.token_refresh_error(httpx.Response(400, content=body), ("a", "r", "secret"))
    assert type(error) is TokenRefreshError
    assert str(error) == "HTTP 400 invalid_grant: token refresh refused: Invalid grant: refresh token is invalid"


def test_the_short_secret_warning_is_logged_once_and_does_not_name_it(fresh_warning: pytest.LogCaptureFixture) -> None:
    assert redact("a zq b", ("zq",)) == "a zq b"
    assert redact("a zq b", ("zq", "q")) == "a zq b"
    assert status_error(httpx.Response(401, content=b"{}"), ("xy",)).message == "{}"
    assert _package_warnings(fresh_warning) == [WARNING]
    assert "zq" not in WARNING


def test_no_secret_or_an_empty_one_warns_nothing(fresh_warning: pytest.LogCaptureFixture) -> None:
    assert redact("text", ()) == "text"
    assert redact("text", ("",)) == "text"
    assert _package_warnings(fresh_warning) == []


def test_the_cli_never_redacts_inside_its_own_marker(fresh_warning: pytest.LogCaptureFixture) -> None:
    # The issue's `inv[[redacted]edacted]lid_g...`: a token "a", then a refresh token "r" replaced in the marker.
    message = "HTTP 400 invalid_grant: token refresh refused: invalid_grant"
    assert redact(message, ("a", "r"), cli.REDACTED) == message
    assert redact(f"Bearer {TOKEN40} refused", ("", TOKEN40), cli.REDACTED) == "Bearer [redacted] refused"


@pytest.mark.parametrize("marker", ["<redacted>", "[redacted]"])
def test_a_secret_found_in_a_marker_is_not_replaced_there(marker: str) -> None:
    # A secret whose text is in the marker: each occurrence is replaced once, markers already there are kept.
    once = redact(f"redacted {marker} xredactedx", ("redacted",), marker)
    assert once == f"{marker} {marker} x{marker}x"
    assert redact(once, ("redacted",), marker) == once
    assert redact("<redacted> [redacted]", ("redacted",), "[redacted]") == "<redacted> [redacted]"


def test_a_secret_in_a_marker_in_the_cli_output_of_an_error_is_left_alone() -> None:
    # The CLI redacts the message of an error the client redacted already: no nesting of the two markers.
    error = status_error(httpx.Response(401, content=json.dumps({"message": f"bad {TOKEN40}"}).encode()), (TOKEN40,))
    assert str(error) == "HTTP 401: bad <redacted>"
    assert redact(str(error), (TOKEN40, "redacted"), cli.REDACTED) == "HTTP 401: bad <redacted>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (json.dumps({"message": f"bad token {TOKEN40}"}), '{"message": "bad token <redacted>"}'),
        (f"https://h.example/x?access_token={TOKEN40}&y=1", "https://h.example/x?access_token=<redacted>&y=1"),
        (f"Authorization: Bearer {TOKEN40}", "Authorization: Bearer <redacted>"),
        (f"({TOKEN40}),'{TOKEN40}';{TOKEN40}", "(<redacted>),'<redacted>';<redacted>"),
        # Inside a longer run of token characters too: showing a real secret is worse than cutting a word.
        (f"x{TOKEN40}y", "x<redacted>y"),
        (f"{TOKEN40}{TOKEN40}", "<redacted><redacted>"),
    ],
)
def test_a_real_length_token_is_redacted_wherever_it_occurs(text: str, expected: str) -> None:
    assert redact(text, (TOKEN40,)) == expected


@pytest.mark.parametrize(
    ("secret", "text"),
    [
        # JSON escapes: a quote and a backslash always, `/` by some servers, non-ASCII by json.dumps.
        ('pit-"quoted"-0123456789', json.dumps({"m": 'pit-"quoted"-0123456789'})),
        ("pit-back\\slash-0123456789", json.dumps({"m": "pit-back\\slash-0123456789"})),
        ("pit-a/b+c=0123456789", '{"m": "pit-a\\/b+c=0123456789"}'),
        ("pit-caf\u00e9-0123456789", json.dumps({"m": "pit-caf\u00e9-0123456789"})),
        # h11 quotes a header it refuses as a bytes repr: a control character escaped.
        ("pit-0123456789\n", "Illegal header value b'Bearer pit-0123456789\\n'"),
    ],
)
def test_an_escaped_form_of_a_token_is_redacted(secret: str, text: str) -> None:
    shown = redact(text, (secret,))
    assert "<redacted>" in shown
    assert "0123456789" not in shown


def test_each_visible_run_of_a_token_cut_at_a_control_character_is_redacted_when_long_enough() -> None:
    # A lower layer may show the pieces of a value it cut at the control character, on two lines.
    secret = "pit-0123456789\r\nX-Injected: 1"
    assert redact("pit-0123456789\nX-Injected:\n1", (secret,)) == "<redacted>\n<redacted>\n1"


def test_an_error_body_that_spells_the_token_with_unicode_escapes_has_it_redacted_from_the_message() -> None:
    escaped = "".join(f"\\u{ord(character):04x}" for character in TOKEN40)
    body = ('{"error": "bad ' + escaped + '", "message": "token ' + escaped + ' refused"}').encode()
    error = status_error(httpx.Response(401, content=body), (TOKEN40,))
    assert str(error) == "HTTP 401 bad <redacted>: token <redacted> refused"
    assert error.error == "bad <redacted>"


def test_a_token_in_the_url_of_a_connection_error_is_redacted() -> None:
    url = f"https://h.example/x?access_token={TOKEN40}"
    error = request_error(httpx.ConnectError("refused"), method="GET", url=url, secrets=(TOKEN40,))
    assert str(error) == "GET https://h.example/x?access_token=<redacted>: ConnectError: refused"
    assert error.url == "https://h.example/x?access_token=<redacted>"


def test_a_short_token_whose_text_is_in_the_base_url_leaves_the_url_whole() -> None:
    refused = refused_url()  # http://127.0.0.1:PORT
    url = f"{refused}/contacts/c1/appointments"
    client = AuthenticatedClient(base_url=refused, token="127", retry=RetryPolicy(max_attempts=1))
    with client, pytest.raises(APIConnectionError) as caught:
        get_appointments_for_contact.sync("c1", client=client)
    assert str(caught.value).startswith(f"GET {url}: ConnectError: ")
    assert caught.value.url == url
    assert "redacted" not in str(caught.value)
    assert redact(str(caught.value), ("127",), cli.REDACTED) == str(caught.value)


def test_a_short_token_in_a_connection_error_leaves_it_whole() -> None:
    url = "http://127.0.0.1:8127/contacts/c1/appointments"
    error = request_error(httpx.ConnectError("[Errno 111] Connection refused"), method="GET", url=url, secrets=("1",))
    assert str(error) == f"GET {url}: ConnectError: [Errno 111] Connection refused"
