"""webhooks.verify with keys made in the test (RSA and Ed25519), the spec's example payloads signed as HighLevel
signs them: what is accepted, what is refused and why, the replay guards (threads, Redis), the default key."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from highlevel_contacts import WebhookVerificationError, webhooks
from highlevel_contacts.models import WebhookAppointment
from highlevel_contacts.replay import MemoryReplayGuard, RedisReplayGuard
from highlevel_contacts.webhooks import AppInstallEvent, AppointmentEvent, AppUninstallEvent, WebhookEvent

from tools.codegen import ROOT
from tools.spec import WEBHOOKS, webhook_example
from tools.valkey import ValkeyServer

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
# SHA-256 of the DER form of HighLevel's published key (../shared/reference/highlevel-webhook-rsa-public.pem).
PUBLISHED_KEY_SHA256 = "2f62045d413b1b7747e26770ce7f57840cbf86288cd20ceb90d299a62501fd25"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ED25519_KEY = ed25519.Ed25519PrivateKey.generate()
OTHER_ED25519_KEY = ed25519.Ed25519PrivateKey.generate()


def _public_pem(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


RSA_PEM, ED25519_PEM = _public_pem(RSA_KEY), _public_pem(ED25519_KEY)


def _rsa_signature(body: bytes, key: rsa.RSAPrivateKey = RSA_KEY) -> str:
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


def _ed25519_signature(body: bytes, key: ed25519.Ed25519PrivateKey = ED25519_KEY) -> str:
    return base64.b64encode(key.sign(body)).decode()


def delivery(name: str = "AppointmentCreate", *, age: float = 5.0, webhook_id: str = "wh-1", **fields: Any) -> bytes:
    """The spec's example of `name`, `age` seconds old at NOW, as HighLevel sends it (compact JSON)."""
    document = {**webhook_example(name), **fields, "webhookId": webhook_id}
    document["timestamp"] = (NOW - dt.timedelta(seconds=age)).isoformat().replace("+00:00", "Z")
    return json.dumps(document, separators=(",", ":")).encode()


def _verify(body: bytes, headers: Any, **options: Any) -> webhooks.WebhookEvent:
    return webhooks.verify(body, headers, **{"rsa_public_key": RSA_PEM, "now": NOW, **options})


def _refused(reason: str, call: Callable[[], object]) -> WebhookVerificationError:
    with pytest.raises(WebhookVerificationError) as caught:
        call()
    assert caught.value.reason == reason, str(caught.value)
    return caught.value


# Accepted ------------------------------------------------------------------------------------------------------


def test_a_valid_rsa_delivery_parses_to_the_typed_appointment() -> None:
    body = delivery("AppointmentCreate")
    event = _verify(body, {"x-wh-signature": _rsa_signature(body)})
    example = webhook_example("AppointmentCreate")
    assert type(event) is AppointmentEvent
    assert (event.type, event.webhook_id, event.location_id) == ("AppointmentCreate", "wh-1", example["locationId"])
    assert event.timestamp == NOW - dt.timedelta(seconds=5)
    assert type(event.appointment) is WebhookAppointment
    assert (event.appointment.id, event.appointment.contact_id) == (
        example["appointment"]["id"],
        example["appointment"]["contactId"],
    )
    assert event.appointment.start_time == dt.datetime(2023, 9, 25, 16, tzinfo=dt.timezone(dt.timedelta(hours=5.5)))
    assert event.appointment.to_dict() == example["appointment"]
    assert event.deleted is False
    assert event.document == json.loads(body)


def test_a_valid_ed25519_delivery_is_accepted_and_headers_match_in_any_case() -> None:
    body = delivery("AppointmentDelete")
    event = _verify(body, {"X-GHL-Signature": _ed25519_signature(body)}, ed25519_public_key=ED25519_PEM.encode())
    assert isinstance(event, AppointmentEvent)
    assert (event.type, event.deleted) == ("AppointmentDelete", True)
    body = delivery("AppointmentUpdate", webhook_id="wh-2")
    assert _verify(body, {"X-Wh-Signature": _rsa_signature(body)}).type == "AppointmentUpdate"


@pytest.mark.parametrize("name", WEBHOOKS)
def test_every_spec_example_verifies_and_keeps_its_fields(name: str) -> None:
    body = delivery(name)
    event = _verify(body, {"x-wh-signature": _rsa_signature(body)})
    expected_type = {"AppInstall": AppInstallEvent, "AppUninstall": AppUninstallEvent}.get(name, AppointmentEvent)
    assert type(event) is expected_type
    assert event.type == webhook_example(name)["type"]
    if isinstance(event, AppInstallEvent | AppUninstallEvent):
        assert (event.location_id, event.company_id) == (
            webhook_example(name).get("locationId"),
            webhook_example(name).get("companyId"),
        )
        assert event.delivery.to_dict()["appId"] == webhook_example(name)["appId"]


def test_another_type_comes_back_as_a_generic_event_with_the_document() -> None:
    body = delivery("AppointmentCreate", type="ContactCreate", id="c-1")
    event = _verify(body, {"x-wh-signature": _rsa_signature(body)})
    assert type(event) is WebhookEvent
    assert (event.type, event.document["id"]) == ("ContactCreate", "c-1")


# Refused -------------------------------------------------------------------------------------------------------


def test_a_tampered_body_is_refused() -> None:
    body = delivery()
    tampered = body.replace(b"confirmed", b"cancelled")
    _refused("signature", lambda: _verify(tampered, {"x-wh-signature": _rsa_signature(body)}))


@pytest.mark.parametrize(
    ("case", "headers"),
    [
        ("another key", lambda body: {"x-wh-signature": _rsa_signature(body, OTHER_RSA_KEY)}),
        ("none", lambda body: {}),
        ("empty", lambda body: {"x-wh-signature": ""}),
        ("garbage", lambda body: {"x-wh-signature": "not base64 at all!"}),
        ("base64 garbage", lambda body: {"x-wh-signature": base64.b64encode(b"x" * 256).decode()}),
        ("absurdly long", lambda body: {"x-wh-signature": "A" * 1_000_000}),
        ("two values", lambda body: {"x-wh-signature": _rsa_signature(body), "X-WH-SIGNATURE": "AAAA"}),
    ],
)
def test_no_valid_rsa_signature_no_event(case: str, headers: Callable[[bytes], dict[str, str]]) -> None:
    body = delivery()
    error = _refused("signature", lambda: _verify(body, headers(body)))
    assert "x-wh-signature" in str(error)


def test_the_default_key_is_highlevels_so_a_delivery_signed_with_another_key_is_refused() -> None:
    body = delivery()
    _refused("signature", lambda: webhooks.verify(body, {"x-wh-signature": _rsa_signature(body)}, now=NOW))


def test_a_bad_ed25519_signature_is_refused_even_when_the_rsa_one_is_good() -> None:
    body = delivery()
    headers = {"x-wh-signature": _rsa_signature(body), "x-ghl-signature": _ed25519_signature(body, OTHER_ED25519_KEY)}
    _refused("signature", lambda: _verify(body, headers, ed25519_public_key=ED25519_PEM))
    # Without the Ed25519 header the RSA signature decides (HighLevel signs every delivery with its RSA key).
    only_rsa = {"x-wh-signature": _rsa_signature(body)}
    assert _verify(body, only_rsa, ed25519_public_key=ED25519_PEM).webhook_id == "wh-1"
    bad_rsa = {"x-wh-signature": _rsa_signature(body, OTHER_RSA_KEY)}
    _refused("signature", lambda: _verify(body, bad_rsa, ed25519_public_key=ED25519_PEM))
    short = {"x-ghl-signature": base64.b64encode(b"\0" * 63).decode()}
    _refused("signature", lambda: _verify(body, short, ed25519_public_key=ED25519_PEM))


@pytest.mark.parametrize(("age", "word"), [(600.0, "old"), (-600.0, "ahead"), (300.5, "old")])
def test_a_timestamp_more_than_max_age_away_is_stale(age: float, word: str) -> None:
    body = delivery(age=age)
    error = _refused("stale", lambda: _verify(body, {"x-wh-signature": _rsa_signature(body)}))
    assert f"s {word}; at most 300 s" in str(error)
    assert _verify(body, {"x-wh-signature": _rsa_signature(body)}, max_age=700).webhook_id == "wh-1"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"not json {", "the body is not JSON (10 bytes)"),
        (b"\xff\xfe", "the body is not JSON (2 bytes)"),
        (b"[1, 2]", "the body is a JSON list, not an object"),
        (b'{"webhookId": "w", "timestamp": "2026-11-30T12:00:00Z"}', "`type` is missing"),
        (b'{"type": "AppointmentCreate", "timestamp": "2026-11-30T12:00:00Z", "appointment": {}}', "`webhookId`"),
        (b'{"type": "AppointmentCreate", "webhookId": "w", "appointment": {}}', "`timestamp` is missing"),
        (b'{"type": "X", "webhookId": "w", "timestamp": "yesterday"}', "`timestamp` is not an ISO 8601"),
        (b'{"type": "AppointmentCreate", "webhookId": "w", "timestamp": "2026-11-30T12:00:00Z"}', "no `appointment`"),
        (
            b'{"type": "AppointmentCreate", "webhookId": "w", "timestamp": "2026-11-30T12:00:00Z", '
            b'"appointment": {"id": "a1", "users": "not a list"}}',
            "not the documented shape ($.appointment.users)",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "the body is not JSON"),
    ],
)
def test_a_signed_body_that_is_not_a_delivery_is_malformed(body: bytes, said: str) -> None:
    error = _refused("malformed", lambda: _verify(body, {"x-wh-signature": _rsa_signature(body)}))
    assert said in str(error)


def test_no_message_quotes_the_body() -> None:
    secret_note = "patient-name-Jane-Doe"
    body = delivery(age=900, appointment={**webhook_example("AppointmentCreate")["appointment"], "notes": secret_note})
    not_json = b"not json " + secret_note.encode()
    calls: list[Callable[[], object]] = [
        lambda: _verify(body, {"x-wh-signature": _rsa_signature(body)}),  # stale
        lambda: _verify(body + b" ", {"x-wh-signature": _rsa_signature(body)}),  # signature
        lambda: _verify(not_json, {"x-wh-signature": _rsa_signature(not_json)}),  # malformed
    ]
    for call in calls:
        with pytest.raises(WebhookVerificationError) as caught:
            call()
        assert secret_note not in f"{caught.value} {caught.value!r} {caught.value.args}"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rsa_public_key": "not a key"}, "rsa_public_key is not a PEM public key"),
        ({"rsa_public_key": ED25519_PEM}, "rsa_public_key is not an RSA public key"),
        ({"ed25519_public_key": RSA_PEM}, "ed25519_public_key is not an Ed25519 public key"),
        ({"rsa_public_key": 42}, "rsa_public_key must be a PEM public key as str or bytes"),
        ({"max_age": 0}, "max_age must be a number of seconds > 0 and at most 86400"),
        ({"max_age": float("nan")}, "max_age must be a number of seconds"),
        ({"max_age": 1e300}, "max_age must be a number of seconds"),
        ({"rsa_public_key": RSA_PEM + RSA_PEM}, "rsa_public_key holds more than one PEM block"),
        ({"rsa_public_key": 12345, "ed25519_public_key": ED25519_PEM}, "rsa_public_key must be a PEM public key"),
        ({"now": dt.datetime(2026, 11, 30)}, "now must be a timezone-aware datetime"),
    ],
)
def test_a_configuration_mistake_is_a_value_error_whatever_the_delivery(options: dict[str, Any], message: str) -> None:
    body = delivery()
    with pytest.raises(ValueError, match=message):
        _verify(body, {"x-wh-signature": _rsa_signature(body), "x-ghl-signature": _ed25519_signature(body)}, **options)


def test_a_body_that_is_not_bytes_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="body must be the raw bytes as received, got str"):
        webhooks.verify(delivery().decode(), {}, now=NOW)  # type: ignore[arg-type]


# Replays -------------------------------------------------------------------------------------------------------


def test_a_replayed_id_is_refused_and_only_good_deliveries_are_recorded() -> None:
    guard = MemoryReplayGuard()
    body = delivery(webhook_id="wh-real")
    good = {"x-wh-signature": _rsa_signature(body)}
    forged = delivery(webhook_id="wh-real", locationId="attacker")
    _refused("signature", lambda: _verify(forged, good, replay_guard=guard))  # a forged copy cannot burn the id
    stale = delivery(webhook_id="wh-real", age=3600)
    _refused("stale", lambda: _verify(stale, {"x-wh-signature": _rsa_signature(stale)}, replay_guard=guard))
    assert len(guard) == 0
    assert _verify(body, good, replay_guard=guard).webhook_id == "wh-real"
    _refused("replay", lambda: _verify(body, good, replay_guard=guard))
    assert len(guard) == 1


def test_fifty_threads_delivering_one_id_are_accepted_once() -> None:
    guard = MemoryReplayGuard()
    body = delivery(webhook_id="wh-threads")
    headers = {"x-wh-signature": _rsa_signature(body)}
    outcomes: list[str] = []
    start = threading.Barrier(50)

    def deliver() -> None:
        start.wait()
        try:
            _verify(body, headers, replay_guard=guard)
            outcomes.append("accepted")
        except WebhookVerificationError as error:
            outcomes.append(error.reason)

    threads = [threading.Thread(target=deliver) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["accepted"] + ["replay"] * 49


def test_the_memory_guard_forgets_an_id_when_no_copy_could_pass_the_age_check() -> None:
    clock = [1000.0]
    guard = MemoryReplayGuard(clock=lambda: clock[0])
    body = delivery(webhook_id="wh-expiring", age=100)  # a copy passes the age check for 200 s more
    headers = {"x-wh-signature": _rsa_signature(body)}
    _verify(body, headers, replay_guard=guard)
    clock[0] += 199
    _refused("replay", lambda: _verify(body, headers, replay_guard=guard))
    clock[0] += 2
    assert len(guard) == 0


def test_the_memory_guard_keeps_at_most_max_entries() -> None:
    guard = MemoryReplayGuard(max_entries=3)
    for number in range(10):
        assert guard.first_sighting(f"id-{number}", 60 + number) is True
    assert len(guard) == 3
    assert guard.first_sighting("id-9", 60) is False  # the latest kept: the ones closest to expiry went first
    with pytest.raises(ValueError, match="ttl must be a finite number of seconds > 0"):
        guard.first_sighting("id-x", 0)


def test_two_receivers_sharing_redis_accept_one_delivery_once(valkey: ValkeyServer) -> None:
    first, second = RedisReplayGuard(valkey.url), RedisReplayGuard(valkey.url)
    body = delivery(webhook_id="wh-redis", age=60)
    headers = {"x-wh-signature": _rsa_signature(body)}
    assert _verify(body, headers, replay_guard=first).webhook_id == "wh-redis"
    _refused("replay", lambda: _verify(body, headers, replay_guard=second))
    import redis

    ttl = redis.Redis.from_url(valkey.url).ttl("highlevel:webhook:wh-redis")
    assert 230 <= ttl <= 240  # kept while a copy could pass the age check: 300 - 60 s


def test_a_redis_guard_that_cannot_answer_refuses_the_delivery(valkey: ValkeyServer) -> None:
    from highlevel_contacts.redis_backend import RedisUnavailableError

    guard = RedisReplayGuard(valkey.url)
    valkey.stop()
    body = delivery(webhook_id="wh-down")
    with pytest.raises(RedisUnavailableError, match=r"Redis at 127\.0\.0\.1:\d+/0 is unavailable"):
        _verify(body, {"x-wh-signature": _rsa_signature(body)}, replay_guard=guard)


# The default key -----------------------------------------------------------------------------------------------


def test_the_default_key_is_highlevels_published_one() -> None:
    key = serialization.load_pem_public_key(webhooks.HIGHLEVEL_RSA_PUBLIC_KEY.encode())
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert hashlib.sha256(der).hexdigest() == PUBLISHED_KEY_SHA256
    assert isinstance(key, rsa.RSAPublicKey)
    assert key.key_size == 4096
    published = ROOT.parent / "shared" / "reference" / "highlevel-webhook-rsa-public.pem"
    if published.exists():  # beside the repository in CI and here: the copy HighLevel's docs print
        assert Path(published).read_text() == webhooks.HIGHLEVEL_RSA_PUBLIC_KEY


@pytest.mark.parametrize("name", WEBHOOKS)
def test_each_example_round_trips_through_its_generated_model(name: str) -> None:
    from highlevel_contacts.models import AppInstallWebhook, AppointmentWebhook, AppUninstallWebhook

    models: dict[str, Any] = {"AppInstall": AppInstallWebhook, "AppUninstall": AppUninstallWebhook}
    model = models.get(name, AppointmentWebhook)
    example = webhook_example(name)
    parsed = model.from_dict(example)
    # The instant is kept; its spelling is isoformat()'s: "Z" comes back as "+00:00" (as every DateTimeOrString).
    assert parsed.timestamp == dt.datetime.fromisoformat(example["timestamp"])
    expected = {**example, "timestamp": example["timestamp"].replace("Z", "+00:00")}
    if "trial" in example:
        started = dt.datetime.fromisoformat(example["trial"]["trialStartDate"])
        expected["trial"] = {**example["trial"], "trialStartDate": started.isoformat()}
    assert parsed.to_dict() == expected
    assert parsed.additional_properties == {}  # every documented field is typed
    assert parsed.webhook_id == example["webhookId"]


# From an adversarial review ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "field", "said"),
    [
        ("no id", {"appointment": {"title": "x"}}, "`id` is missing"),
        ("id not text", {"appointment": {"id": 5}}, "`id` is missing or not a non-empty string"),
        ("contact not text", {"appointment": {"id": "a1", "contactId": {"x": 1}}}, "`appointment.contactId` is not"),
        ("install flag", {"type": "INSTALL", "isWhitelabelCompany": "no"}, "`isWhitelabelCompany` is not a boolean"),
        ("install app", {"type": "INSTALL", "appId": 7}, "`appId` is not a string"),
        ("surrogate id", {"webhookId": "\ud800bad"}, "`webhookId` is not printable UTF-8 text"),
    ],
)
def test_a_typed_event_never_carries_another_type_than_its_annotation(
    case: str, field: dict[str, Any], said: str
) -> None:
    document = {**webhook_example("AppointmentCreate"), "timestamp": NOW.isoformat(), "webhookId": "w1", **field}
    body = json.dumps(document).encode()
    error = _refused("malformed", lambda: _verify(body, {"x-wh-signature": _rsa_signature(body)}))
    assert said in str(error)


def test_no_refusal_carries_the_body_in_its_context() -> None:
    """The parsers' own errors quote what they read: none is attached to the refusal, even as __context__."""
    secret = "SECRET-NOTE-4711"
    bodies = [
        b"not json " + secret.encode(),
        json.dumps({"type": "X", "webhookId": "w", "timestamp": secret}).encode(),
        json.dumps({**webhook_example("AppInstall"), "timestamp": NOW.isoformat(), "trial": secret}).encode(),
    ]
    for body in bodies:
        with pytest.raises(WebhookVerificationError) as caught:
            _verify(body, {"x-wh-signature": _rsa_signature(body)})
        assert caught.value.__context__ is None
        assert caught.value.__cause__ is None
        assert secret not in str(caught.value)


def test_a_guard_that_does_not_answer_true_or_false_is_a_type_error_not_an_acceptance() -> None:
    class AsyncGuard:
        async def first_sighting(self, webhook_id: str, ttl: float) -> bool:
            return True

    class Pipeline:
        def first_sighting(self, webhook_id: str, ttl: float) -> object:
            return object()

    body = delivery()
    for guard in (AsyncGuard(), Pipeline()):
        with pytest.raises(TypeError, match="must return True or False"):
            _verify(body, {"x-wh-signature": _rsa_signature(body)}, replay_guard=guard)


def test_an_async_redis_client_is_refused_at_construction(valkey: ValkeyServer) -> None:
    from highlevel_contacts.redis_backend import async_redis_client

    with pytest.raises(TypeError, match=r"not a redis\.asyncio one"):
        RedisReplayGuard(client=async_redis_client(valkey.url))


def test_framework_header_objects_and_bytes_headers_are_read() -> None:
    import email.message

    from werkzeug.datastructures import EnvironHeaders

    body = delivery()
    signature = _rsa_signature(body)
    werkzeug_headers = EnvironHeaders({"HTTP_X_WH_SIGNATURE": signature})
    message = email.message.Message()
    message["X-WH-Signature"] = signature
    asgi_headers = dict([(b"x-wh-signature", signature.encode())])
    for headers in (werkzeug_headers, message, asgi_headers):
        assert _verify(body, headers).webhook_id == "wh-1"


def test_a_delivery_the_receiver_could_not_take_is_accepted_again_once_forgotten(valkey: ValkeyServer) -> None:
    body = delivery(webhook_id="wh-retry")
    headers = {"x-wh-signature": _rsa_signature(body)}
    guards: list[MemoryReplayGuard | RedisReplayGuard] = [MemoryReplayGuard(), RedisReplayGuard(valkey.url)]
    for guard in guards:
        event = _verify(body, headers, replay_guard=guard)
        guard.forget(event.webhook_id)  # the work failed: answered 5xx, HighLevel delivers it again
        assert _verify(body, headers, replay_guard=guard).webhook_id == "wh-retry"
        with pytest.raises(WebhookVerificationError, match="replay"):
            _verify(body, headers, replay_guard=guard)
