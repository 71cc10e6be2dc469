"""`version=` is typed by the spec's ApiVersion: mypy --strict accepts the versions the spec lists, per client and
per call, without a cast, and rejects any other (a version HighLevel has but this operation's spec does not list,
too)."""

from __future__ import annotations

from pathlib import Path

from highlevel_contacts.models.api_version import API_VERSION_VALUES
from mypy import api as mypy_api

# How mypy spells the spec's ApiVersion (the generated Literal lists the enum sorted).
API_VERSION_TYPE = "Literal[" + ", ".join(repr(value) for value in sorted(API_VERSION_VALUES)) + "]"

SNIPPET = """\
from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.models import ApiVersion, GetAppointmentsResponse

client = AuthenticatedClient(base_url="https://services.leadconnectorhq.com", token="t", version="v3")
answer: GetAppointmentsResponse = get_appointments_for_contact.sync("c", client=client, version="2021-07-28")
chosen: ApiVersion = client.version


async def main() -> None:
    await get_appointments_for_contact.asyncio("c", client=client, version="v3")


AuthenticatedClient(base_url="https://services.leadconnectorhq.com", token="t", version="2023-02-21")
get_appointments_for_contact.sync_detailed("c", client=client, version="v4")
"""


def test_mypy_strict_accepts_the_listed_versions_and_rejects_others(tmp_path: Path) -> None:
    module = tmp_path / "uses_versions.py"
    module.write_text(SNIPPET, encoding="utf-8")
    stdout, stderr, status = mypy_api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(module)]
    )
    assert stderr == ""
    errors = [line.split(": error: ", 1) for line in stdout.splitlines() if ": error: " in line]
    assert [(where.rsplit(":", 1)[-1], message) for where, message in errors] == [
        (
            "14",
            'Argument "version" to "AuthenticatedClient" has incompatible type "Literal[\'2023-02-21\']"; '
            f'expected "{API_VERSION_TYPE}"  [arg-type]',
        ),
        (
            "15",
            'Argument "version" to "sync_detailed" has incompatible type "Literal[\'v4\']"; '
            f'expected "{API_VERSION_TYPE} | Unset"  [arg-type]',
        ),
    ]
    assert status == 1
