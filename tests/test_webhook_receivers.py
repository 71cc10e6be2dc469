"""The README's webhook receivers (its "## Webhooks" section), each run for real: the code blocks are written to a
`receiver.py` as they stand and served in a process of their own on 127.0.0.1 (the Starlette app by uvicorn, the
Flask app by werkzeug's server), then sent deliveries made of the spec's webhook examples (a fresh timestamp and
webhookId) and signed with keys the tests make (HighLevel's published key cannot be signed with).

A small launcher imports the receiver and makes its `handle` (the work) take WORK_DELAY seconds longer, so that a
test can tell the answer came before the work was done. What the work did is read from the receiver's
APPOINTMENTS_FILE; the agency receiver's work is seen in the embedded mock's locationToken calls and in the files
beside the agency's token file.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from highlevel_contacts.loopback import free_port
from highlevel_contacts.testing import MockServer

from tests.oauth_helpers import CLIENT_ID, CLIENT_SECRET
from tools.spec import webhook_example

README = Path(__file__).resolve().parent.parent / "README.md"
ROUTE = "/webhooks/highlevel"
WORK_DELAY = 1.0  # seconds the launcher adds to each piece of work
FRAMEWORKS = ("starlette", "flask")
# What tells each of the section's python blocks apart (the FastAPI snippet has none of them).
MARKERS = {"starlette": "app = Starlette(", "flask": "app = Flask(", "agency": "oauth.for_location("}

SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ED25519_KEY = ed25519.Ed25519PrivateKey.generate()
OTHER_ED25519_KEY = ed25519.Ed25519PrivateKey.generate()

LAUNCHER = """\
import os
import sys
import time

import receiver

work = receiver.handle


def slow(event):
    time.sleep(float(os.environ["WORK_DELAY"]))
    work(event)


receiver.handle = slow  # both receivers look `handle` up when they call it
port = int(os.environ["PORT"])
if sys.argv[1] == "starlette":
    import uvicorn

    uvicorn.run(receiver.app, host="127.0.0.1", port=port, log_level="warning")
else:
    from werkzeug.serving import make_server

    make_server("127.0.0.1", port, receiver.app, threaded=True).serve_forever()
"""


def _public_pem(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def _readme_blocks() -> dict[str, str]:
    """The section's receiver blocks by name (starlette, flask, agency), each found exactly once."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Webhooks\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    found = {name: [block for block in blocks if marker in block] for name, marker in MARKERS.items()}
    assert {name: len(matches) for name, matches in found.items()} == dict.fromkeys(MARKERS, 1)
    return {name: matches[0] for name, matches in found.items()}


# Deliveries --------------------------------------------------------------------------------------------------


def _delivery(name: str, *, age: float = 0.0, appointment_id: str | None = None, **fields: Any) -> bytes:
    """The spec's example of webhook `name`, timestamped `age` seconds ago, with a webhookId of its own (and the
    appointment's id, and any top-level fields, replaced), as the bytes HighLevel would send."""
    document = webhook_example(name)
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age)
    document = {**document, "timestamp": moment.isoformat(), "webhookId": uuid.uuid4().hex, **fields}
    if appointment_id is not None:
        document["appointment"] = {**document["appointment"], "id": appointment_id}
    return json.dumps(document).encode()


def _rsa_signed(body: bytes, key: rsa.RSAPrivateKey = SIGNING_KEY) -> dict[str, str]:
    signature = key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return {"x-wh-signature": base64.b64encode(signature).decode("ascii")}


def _ed25519_signed(body: bytes) -> dict[str, str]:
    return {"x-ghl-signature": base64.b64encode(ED25519_KEY.sign(body)).decode("ascii")}


def _marker() -> str:
    return f"appt-{uuid.uuid4().hex[:12]}"


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.02)


# The receiver in a process of its own ------------------------------------------------------------------------


class Receiver:
    """A README receiver served on 127.0.0.1 by `python launch.py <framework>` in `directory`."""

    def __init__(self, directory: Path, process: subprocess.Popen[bytes], port: int) -> None:
        self.directory = directory
        self.process = process
        self.url = f"http://127.0.0.1:{port}{ROUTE}"
        self.appointments_file = directory / "appointments.jsonl"
        self.log = directory / "receiver.log"

    def post(self, body: bytes, headers: Mapping[str, str]) -> httpx.Response:
        with httpx.Client(trust_env=False, timeout=10) as client:  # loopback only, whatever the proxy settings
            return client.post(self.url, content=body, headers={"content-type": "application/json", **headers})

    def timed_post(self, body: bytes, headers: Mapping[str, str]) -> tuple[httpx.Response, float]:
        started = time.monotonic()
        response = self.post(body, headers)
        return response, time.monotonic() - started

    def lines(self) -> list[dict[str, Any]]:
        """What the work wrote so far, a line per appointment change."""
        if not self.appointments_file.exists():
            return []
        text = self.appointments_file.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.endswith("}")]

    def done_for(self, appointment_id: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line["appointment"]["id"] == appointment_id]

    def wait_for(self, appointment_id: str, timeout: float = 10.0) -> dict[str, Any]:
        _wait_until(lambda: bool(self.done_for(appointment_id)), timeout, f"the work for {appointment_id}")
        return self.done_for(appointment_id)[0]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_answering(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(trust_env=False, timeout=1) as client:
            while True:
                if self.process.poll() is not None:
                    raise AssertionError(f"the receiver exited ({self.process.returncode}):\n{self.log_text()}")
                try:
                    client.get(self.url)  # 405 (GET on a POST route): it answers
                    return
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise AssertionError(f"no answer within {timeout} s:\n{self.log_text()}") from None
                    time.sleep(0.05)


@contextlib.contextmanager
def running(
    framework: str, code: str, directory: Path, env: Mapping[str, str], work_delay: float = WORK_DELAY
) -> Iterator[Receiver]:
    """`code` saved as receiver.py in `directory` and served by `framework`'s server until the block ends."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "receiver.py").write_text(code, encoding="utf-8")
    (directory / "launch.py").write_text(LAUNCHER, encoding="utf-8")
    port = free_port()
    environment = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    environment.update(
        PORT=str(port),
        WORK_DELAY=str(work_delay),
        APPOINTMENTS_FILE=str(directory / "appointments.jsonl"),
        PYTHONUNBUFFERED="1",
        **env,
    )
    with (directory / "receiver.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "launch.py", framework],
            cwd=directory,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        receiver = Receiver(directory, process, port)
        try:
            receiver.wait_until_answering()
            yield receiver
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    assert "Traceback" not in receiver.log_text(), receiver.log_text()


@pytest.fixture(scope="module", params=FRAMEWORKS)
def receiver(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    """The framework's README receiver, verifying with the tests' RSA key (x-wh-signature)."""
    framework: str = request.param
    code = _readme_blocks()[framework]
    directory = tmp_path_factory.mktemp(framework)
    with running(framework, code, directory, {"HIGHLEVEL_WEBHOOK_RSA_KEY": _public_pem(SIGNING_KEY)}) as server:
        yield server


# The receivers -----------------------------------------------------------------------------------------------


def test_each_appointment_change_is_answered_200_at_once_and_worked_on_after(receiver: Receiver) -> None:
    """200 well before the work (which takes WORK_DELAY) is done; then the work has the typed appointment."""
    sent: dict[str, tuple[str, float]] = {}
    for name in ("AppointmentCreate", "AppointmentUpdate", "AppointmentDelete"):
        marker = _marker()
        body = _delivery(name, appointment_id=marker)
        started = time.monotonic()
        response, elapsed = receiver.timed_post(body, _rsa_signed(body))
        assert (response.status_code, response.text) == (200, "ok")
        assert elapsed < WORK_DELAY / 2, f"{name} answered after {elapsed:.2f} s: the work came first"
        assert receiver.done_for(marker) == []  # answered, the work not done yet
        sent[marker] = (name, started)
    for marker, (name, started) in sent.items():
        line = receiver.wait_for(marker)
        assert time.monotonic() - started >= WORK_DELAY
        expected = {**webhook_example(name)["appointment"], "id": marker}
        assert line == {"type": name, "deleted": name == "AppointmentDelete", "appointment": expected}


def test_a_changed_body_or_no_valid_signature_is_401_and_never_worked_on(receiver: Receiver) -> None:
    refused: list[str] = []

    def refuse(body: bytes, headers: Mapping[str, str], marker: str) -> None:
        response = receiver.post(body, headers)
        assert (response.status_code, response.text) == (401, "signature")
        refused.append(marker)

    marker = _marker()
    signed = _delivery("AppointmentCreate", appointment_id="original")
    changed = signed.replace(b'"original"', f'"{marker}"'.encode())
    refuse(changed, _rsa_signed(signed), marker)  # the body changed after signing
    marker = _marker()
    body = _delivery("AppointmentCreate", appointment_id=marker)
    refuse(body, {}, marker)  # no signature
    refuse(body, _rsa_signed(body, OTHER_KEY), marker)  # another key's
    refuse(body, {"x-wh-signature": "not base64!"}, marker)
    refuse(body, _ed25519_signed(body), marker)  # only RSA is configured: x-ghl-signature does not count
    # Then a good one (its header in capitals: names are matched case-insensitively); once its work is done,
    # nothing was done for the refused ones (the Flask worker takes them in order; Starlette had no task for them).
    good = _marker()
    body = _delivery("AppointmentCreate", appointment_id=good)
    signature = _rsa_signed(body)["x-wh-signature"]
    assert receiver.post(body, {"X-WH-SIGNATURE": signature}).status_code == 200
    receiver.wait_for(good)
    assert [line for line in receiver.lines() if line["appointment"]["id"] in refused] == []


@pytest.mark.parametrize("age", [600.0, -600.0], ids=["old", "ahead"])
def test_a_timestamp_more_than_five_minutes_off_is_400_stale(receiver: Receiver, age: float) -> None:
    body = _delivery("AppointmentCreate", age=age, appointment_id=_marker())
    response = receiver.post(body, _rsa_signed(body))
    assert (response.status_code, response.text) == (400, "stale")


def test_the_same_delivery_twice_is_worked_on_once_the_second_400_replay(receiver: Receiver) -> None:
    marker = _marker()
    body = _delivery("AppointmentUpdate", appointment_id=marker)
    first = receiver.post(body, _rsa_signed(body))
    second = receiver.post(body, _rsa_signed(body))
    assert (first.status_code, first.text) == (200, "ok")
    assert (second.status_code, second.text) == (400, "replay")
    # a delivery after both: once its work is done, the copy's would have been
    later = _marker()
    body = _delivery("AppointmentUpdate", appointment_id=later)
    assert receiver.post(body, _rsa_signed(body)).status_code == 200
    receiver.wait_for(later)
    assert len(receiver.done_for(marker)) == 1


def test_a_signed_body_that_is_not_a_delivery_is_400_malformed(receiver: Receiver) -> None:
    no_id = {key: value for key, value in webhook_example("AppointmentCreate").items() if key != "webhookId"}
    for body in (b"not json", b"[1, 2]", json.dumps(no_id).encode()):
        response = receiver.post(body, _rsa_signed(body))
        assert (response.status_code, response.text) == (400, "malformed")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_with_an_ed25519_key_a_delivery_with_x_ghl_signature_is_judged_by_it(framework: str, tmp_path: Path) -> None:
    """Both keys configured: an x-ghl-signature, when present, decides (whatever x-wh-signature says); a delivery
    without one is judged by its RSA signature."""
    keys = {
        "HIGHLEVEL_WEBHOOK_RSA_KEY": _public_pem(SIGNING_KEY),
        "HIGHLEVEL_WEBHOOK_ED25519_KEY": _public_pem(ED25519_KEY),
    }
    with running(framework, _readme_blocks()[framework], tmp_path, keys, work_delay=0) as server:
        body = _delivery("AppointmentCreate", appointment_id=_marker())
        other = base64.b64encode(OTHER_ED25519_KEY.sign(body)).decode("ascii")
        response = server.post(body, {"x-ghl-signature": other, **_rsa_signed(body)})
        assert (response.status_code, response.text) == (401, "signature")  # a good RSA signature is not enough
        accepted = []
        for signed in (_ed25519_signed, _rsa_signed):
            marker = _marker()
            body = _delivery("AppointmentCreate", appointment_id=marker)
            response = server.post(body, signed(body))
            assert (response.status_code, response.text) == (200, "ok")
            accepted.append(marker)
        for marker in accepted:
            assert server.wait_for(marker)["type"] == "AppointmentCreate"


# The agency receiver -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_install_warms_the_location_token_and_uninstall_drops_it(framework: str, tmp_path: Path) -> None:
    """The agency block's `handle` in the framework's receiver, against the embedded mock: an INSTALL at loc-b
    asks locationToken for loc-b (the token kept beside the agency's file); an UNINSTALL deletes that file."""
    blocks = _readme_blocks()
    code = blocks[framework] + "\n\n" + blocks["agency"]  # the agency `handle` replaces the receiver's
    directory = tmp_path / "app"
    directory.mkdir()
    agency_file = directory / "agency.json"
    location_file = directory / "agency.location-loc-b.json"
    with MockServer() as mock:
        agency_file.write_text(json.dumps({**mock.authorize_agency(), "expires_at": time.time() + 86000}))
        env = {
            "HIGHLEVEL_WEBHOOK_RSA_KEY": _public_pem(SIGNING_KEY),
            "HIGHLEVEL_CLIENT_ID": CLIENT_ID,
            "HIGHLEVEL_CLIENT_SECRET": CLIENT_SECRET,
            "HIGHLEVEL_TOKEN_FILE": str(agency_file),
            "HIGHLEVEL_BASE_URL": mock.base_url,
        }
        with running(framework, code, directory, env, work_delay=0) as server:
            company_id = mock.authorize_agency()["companyId"]
            body = _delivery("AppInstall", locationId="loc-b", companyId=company_id)
            assert server.post(body, _rsa_signed(body)).status_code == 200
            _wait_until(location_file.exists, 10, "the location token of loc-b kept in its file")
            assert json.loads(location_file.read_text(encoding="utf-8"))["locationId"] == "loc-b"
            assert [mock.location_token_calls_for(location) for location in ("loc-a", "loc-b", "loc-c")] == [0, 1, 0]

            body = _delivery("AppUninstall", locationId="loc-b")
            assert server.post(body, _rsa_signed(body)).status_code == 200
            # the file, then its lock file (removed as the lock is released: no token set is left to guard)
            _wait_until(lambda: not list(directory.glob("agency.location-*")), 10, "loc-b's token file deleted")
            assert mock.location_token_calls == 1
        assert mock.token_calls == 0  # the agency's token was fresh: no refresh
