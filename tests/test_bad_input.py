"""Caller mistakes: a clear ValueError/TypeError before anything is sent, naming what is wrong, never a value
that could be a secret. Each case runs against a loopback server that records every request it gets."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from highlevel_contacts import AuthenticatedClient, Client
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.models.api_version import API_VERSION_VALUES
from highlevel_contacts.validation import MAX_PATH_PARAMETER_LENGTH

from tests.helpers import TOKEN, client_for, shown
from tests.scripted_server import Reply, ScriptedServer


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer([Reply.json(200, {"events": []})]) as running:
        yield running


BAD_CONTACT_IDS: list[tuple[Any, str]] = [
    ("..", "must not be '..'"),
    (".", "must not be '.'"),
    ("", "must not be ''"),
    (None, "must be a str, got NoneType"),
    (123, "must be a str, got int"),
    (b"abc", "must be a str, got bytes"),
    ("a" * (MAX_PATH_PARAMETER_LENGTH + 1), f"is {MAX_PATH_PARAMETER_LENGTH + 1} characters long"),
    ("a" * 100_000, "is 100000 characters long"),
    ("abc\udc80", "holds a lone surrogate"),
]


@pytest.mark.parametrize(("contact_id", "message"), BAD_CONTACT_IDS)
def test_a_bad_path_parameter_is_refused_before_sending(server: ScriptedServer, contact_id: Any, message: str) -> None:
    with client_for(server) as client, pytest.raises(ValueError, match="path parameter contactId") as caught:
        get_appointments_for_contact.sync(contact_id, client=client)
    assert message in str(caught.value)
    assert server.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize(("contact_id", "message"), BAD_CONTACT_IDS[:4])
async def test_a_bad_path_parameter_is_refused_before_sending_async(
    server: ScriptedServer, contact_id: Any, message: str
) -> None:
    async with client_for(server) as client:
        with pytest.raises(ValueError, match="path parameter contactId") as caught:
            await get_appointments_for_contact.asyncio_detailed(contact_id, client=client)
    assert message in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize("contact_id", ["...", "a.b", "..x", "a b", "é-ü", "x" * MAX_PATH_PARAMETER_LENGTH])
def test_odd_but_valid_ids_are_sent_percent_encoded(server: ScriptedServer, contact_id: str) -> None:
    with client_for(server) as client:
        assert get_appointments_for_contact.sync(contact_id, client=client).events == []
    assert [request.raw_path for request in server.requests] == [f"/contacts/{quote(contact_id, safe='')}/appointments"]


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (TOKEN + "\n", "token has leading or trailing whitespace"),
        (TOKEN + "\r\n", "token has leading or trailing whitespace"),
        (" " + TOKEN, "token has leading or trailing whitespace"),
        (TOKEN[:5] + "\r" + TOKEN[5:], "header token cannot be sent: character 5 of its value is a line break"),
        (TOKEN[:5] + "\n" + TOKEN[5:], "header token cannot be sent: character 5 of its value is a line break"),
        (TOKEN[:5] + "\x00" + TOKEN[5:], "header token cannot be sent: character 5 of its value is a NUL"),
        (TOKEN[:5] + "\x1b" + TOKEN[5:], "character 5 of its value is a control character"),
        (TOKEN[:5] + "é" + TOKEN[5:], "character 5 of its value is a non-ASCII character"),
        (TOKEN[:5] + "\u2028" + TOKEN[5:], "character 5 of its value is a non-ASCII character"),
        ("", "token is empty"),
    ],
)
def test_a_token_http_cannot_carry_is_refused_when_the_client_is_built(
    server: ScriptedServer, token: str, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        AuthenticatedClient(base_url=server.base_url, token=token)
    assert TOKEN not in shown(caught.value)
    assert TOKEN[5:] not in shown(caught.value)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "AuthenticatedClient needs token= (a Private Integration Token or access token) or auth="),
        (TOKEN.encode(), "token must be a str, got bytes"),
        (12345, "token must be a str, got int"),
    ],
)
def test_a_token_that_is_not_a_str_is_a_type_error(server: ScriptedServer, token: Any, message: str) -> None:
    with pytest.raises(TypeError, match=re.escape(message)) as caught:
        AuthenticatedClient(base_url=server.base_url, token=token)
    assert TOKEN not in shown(caught.value)


def test_a_bad_prefix_or_header_name_is_refused(server: ScriptedServer) -> None:
    with pytest.raises(ValueError, match="header prefix cannot be sent: character 6 of its value is a line break"):
        AuthenticatedClient(base_url=server.base_url, token=TOKEN, prefix="Bearer\n")
    with pytest.raises(TypeError, match="prefix must be a str, got NoneType"):
        AuthenticatedClient(base_url=server.base_url, token=TOKEN, prefix=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'Auth orization' is not a valid HTTP header name"):
        AuthenticatedClient(base_url=server.base_url, token=TOKEN, auth_header_name="Auth orization")


def test_bad_user_headers_are_refused_without_showing_their_value(server: ScriptedServer) -> None:
    with pytest.raises(ValueError, match=r"header X-Api-Key cannot be sent: character 3 of its value is a line break"):
        Client(base_url=server.base_url, headers={"X-Api-Key": "abc\n" + TOKEN})
    client = client_for(server)
    with pytest.raises(ValueError, match="header X-Api-Key cannot be sent") as caught:
        client.with_headers({"X-Api-Key": TOKEN + "\r\nX-Injected: 1"})
    assert TOKEN not in shown(caught.value)
    with client:  # the refused header was not applied to the live httpx client either
        get_appointments_for_contact.sync("c1", client=client)
    assert "X-Injected" not in server.requests[0].headers
    assert "X-Api-Key" not in server.requests[0].headers


@pytest.mark.parametrize("version", ["2021-07-28\r\nX: 1", "2023-02-21", "V3", "", None, 3])
def test_a_version_the_spec_does_not_list_is_refused_before_sending(server: ScriptedServer, version: Any) -> None:
    listed = ", ".join(repr(value) for value in sorted(API_VERSION_VALUES))
    message = re.escape(f"version={version!r} is not an API version the spec lists ({listed})")
    with client_for(server) as client, pytest.raises(ValueError, match=message):
        get_appointments_for_contact.sync("c1", client=client, version=version)
    with pytest.raises(ValueError, match=message):
        AuthenticatedClient(base_url=server.base_url, token=TOKEN, version=version)
    assert server.requests == []


@pytest.mark.parametrize(
    ("base_url", "error", "message"),
    [
        ("https://services.leadconnectorhq.com?x=1", ValueError, "must not have a query string or fragment"),
        ("https://services.leadconnectorhq.com/#top", ValueError, "must not have a query string or fragment"),
        ("http://services.leadconnectorhq.com", ValueError, "plain http:// to a host that is not loopback"),
        ("http://10.0.0.8:8080", ValueError, "plain http:// to a host that is not loopback"),
        ("https://user:pw@services.leadconnectorhq.com", ValueError, "must not carry credentials"),
        ("ftp://services.leadconnectorhq.com", ValueError, "must be an http:// or https:// URL with a host"),
        ("services.leadconnectorhq.com", ValueError, "must be an http:// or https:// URL with a host"),
        (None, TypeError, "base_url must be a str, got NoneType"),
    ],
)
def test_a_base_url_requests_cannot_use_is_refused(base_url: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        AuthenticatedClient(base_url=base_url, token=TOKEN)
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize(
    "base_url",
    ["https://services.leadconnectorhq.com", "https://example.com/prefix/", "http://127.0.0.1:9", "http://[::1]:9",
     "http://localhost:9", "http://127.8.9.10"],
)  # fmt: skip
def test_usable_base_urls_are_accepted(base_url: str) -> None:
    assert AuthenticatedClient(base_url=base_url, token=TOKEN).get_httpx_client().base_url.host != ""


def test_a_str_enum_or_str_subclass_version_is_sent_as_the_spec_value(server: ScriptedServer) -> None:
    class Versions(str, enum.Enum):  # noqa: UP042 (not StrEnum: this str() gives "Versions.V3", the case that broke)
        V3 = "v3"

    class Shouting(str):
        def __str__(self) -> str:
            return self.upper()

    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, version=Versions.V3)  # type: ignore[arg-type]
    assert type(client.version) is str
    assert client.version == "v3"
    with client:
        get_appointments_for_contact.sync("c1", client=client)
        get_appointments_for_contact.sync("c1", client=client, version=Shouting("v3"))
    assert [request.headers.get_list("Version") for request in server.requests] == [["v3"], ["v3"]]


@pytest.mark.parametrize("name", ["Version", "VERSION", "version"])
def test_a_version_header_is_refused_for_version(server: ScriptedServer, name: str) -> None:
    message = "set the API version with version= \\(typed, checked\\), not a Version header"
    with pytest.raises(ValueError, match=message):
        AuthenticatedClient(base_url=server.base_url, token=TOKEN, headers={name: "v3"})
    with client_for(server) as client, pytest.raises(ValueError, match=message):
        client.with_headers({name: "v3"})
    assert server.requests == []
