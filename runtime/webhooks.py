"""Verify a HighLevel webhook delivery, then read it as a typed event: never acted on unless signed, fresh and new.

    from highlevel_contacts import webhooks

    guard = webhooks.MemoryReplayGuard()
    event = webhooks.verify(raw_body, request_headers, replay_guard=guard)  # WebhookVerificationError if not
    if isinstance(event, webhooks.AppointmentEvent):
        event.appointment.id, event.appointment.contact_id, event.appointment.start_time

`verify` checks, in this order, and raises `errors.WebhookVerificationError` with its `reason` at the first that
fails:
1. "signature": with an Ed25519 key configured and an `x-ghl-signature` header (base64 Ed25519 of the raw body)
   present, that signature must verify against the key, whatever `x-wh-signature` says; otherwise
   `x-wh-signature` (base64 RSA PKCS#1 v1.5 SHA-256 of the raw body) must verify against `rsa_public_key`, by
   default HighLevel's published key (`HIGHLEVEL_RSA_PUBLIC_KEY`; a delivery without the Ed25519 header is still
   signed with it, so falling back to it lets nothing weaker in). There is no way to skip this: no valid
   signature, no event (HighLevel's own SDK lets a delivery through when no key is configured).
2. "malformed": the signed body must be a JSON object with a `type`, an ISO 8601 `timestamp` and a `webhookId`,
   and the event's own fields must have their documented shapes.
3. "stale": the timestamp must be within `max_age` seconds (300, HighLevel's advice) of now, past or future.
4. "replay": with a `replay_guard`, the webhookId must not have been seen; it is recorded only now, after the
   signature and timestamp were found good, so a forged or stale copy cannot burn a real delivery's id.

Headers are matched case-insensitively (a dict, Starlette's or Werkzeug's headers, str or bytes); the body must
be the bytes as received (before any JSON parsing: a
re-serialized body does not verify). Messages never quote the body, and nothing is logged.

Needs the `webhooks` extra (the `cryptography` package): pip install 'highlevel-contacts[webhooks]'.
"""

import base64
import binascii
import datetime as dt
import functools
import inspect
import json
from collections.abc import Mapping
from typing import Any, Final

from attrs import field, frozen

from .errors import HighLevelError, WebhookVerificationError
from .models import AppInstallWebhook, AppointmentWebhook, AppUninstallWebhook, WebhookAppointment
from .replay import MemoryReplayGuard, RedisReplayGuard, ReplayGuard

try:
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
except ImportError as missing:  # pragma: no cover - the extra is installed wherever the tests run
    raise ImportError(
        "webhook verification needs the webhooks extra (cryptography): pip install 'highlevel-contacts[webhooks]' "
        "(from a clone of its repository, while it is on no package index: pip install './generated[webhooks]')"
    ) from missing

HIGHLEVEL_RSA_PUBLIC_KEY: Final = """-----BEGIN PUBLIC KEY-----
MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAokvo/r9tVgcfZ5DysOSC
Frm602qYV0MaAiNnX9O8KxMbiyRKWeL9JpCpVpt4XHIcBOK4u3cLSqJGOLaPuXw6
dO0t6Q/ZVdAV5Phz+ZtzPL16iCGeK9po6D6JHBpbi989mmzMryUnQJezlYJ3DVfB
csedpinheNnyYeFXolrJvcsjDtfAeRx5ByHQmTnSdFUzuAnC9/GepgLT9SM4nCpv
uxmZMxrJt5Rw+VUaQ9B8JSvbMPpez4peKaJPZHBbU3OdeCVx5klVXXZQGNHOs8gF
3kvoV5rTnXV0IknLBXlcKKAQLZcY/Q9rG6Ifi9c+5vqlvHPCUJFT5XUGG5RKgOKU
J062fRtN+rLYZUV+BjafxQauvC8wSWeYja63VSUruvmNj8xkx2zE/Juc+yjLjTXp
IocmaiFeAO6fUtNjDeFVkhf5LNb59vECyrHD2SQIrhgXpO4Q3dVNA5rw576PwTzN
h/AMfHKIjE4xQA1SZuYJmNnmVZLIZBlQAF9Ntd03rfadZ+yDiOXCCs9FkHibELhC
HULgCsnuDJHcrGNd5/Ddm5hxGQ0ASitgHeMZ0kcIOwKDOzOU53lDza6/Y09T7sYJ
PQe7z0cvj7aE4B+Ax1ZoZGPzpJlZtGXCsu9aTEGEnKzmsFqwcSsnw3JB31IGKAyk
T1hhTiaCeIY/OwwwNUY2yvcCAwEAAQ==
-----END PUBLIC KEY-----
"""
"""HighLevel's published RSA-4096 key for `x-wh-signature` (docs/oauth/WebhookAuthentication.md). HighLevel
announces a rotation by email: pass the new key as `rsa_public_key` until this package ships it."""

DEFAULT_MAX_AGE: Final = 300.0
"""Seconds a delivery's timestamp may be from now, either way (HighLevel: reject what is older than 5 minutes)."""

RSA_SIGNATURE_HEADER: Final = "x-wh-signature"
ED25519_SIGNATURE_HEADER: Final = "x-ghl-signature"
APPOINTMENT_TYPES: Final = frozenset({"AppointmentCreate", "AppointmentUpdate", "AppointmentDelete"})
INSTALL_TYPE: Final = "INSTALL"
UNINSTALL_TYPE: Final = "UNINSTALL"

MAX_MAX_AGE: Final = 86_400.0
"""The largest `max_age` taken (a day): a replay guard keeps each id that long at most."""

Headers = Mapping[str, str] | Any  # a Mapping, or any object with items(): Werkzeug's, email.message.Message
_NOT_JSON: Final = object()
_MAX_SIGNATURE_CHARS = 4096  # RSA-4096's base64 signature is 684: anything far longer is not one
_MAX_WEBHOOK_ID_CHARS = 256  # it names a replay-guard entry


@frozen
class WebhookEvent:
    """A verified delivery. `type` (AppointmentCreate, INSTALL, ...), `webhook_id`, `timestamp` (aware),
    `location_id` (None when the delivery names none) and `document`, the whole JSON object as received."""

    type: str
    webhook_id: str
    timestamp: dt.datetime
    location_id: str | None
    document: Mapping[str, Any] = field(repr=False)


@frozen
class AppointmentEvent(WebhookEvent):
    """AppointmentCreate, AppointmentUpdate or AppointmentDelete: `appointment` is the appointment as of the change
    (`.id`, `.contact_id`, `.start_time`, ...); `delivery` the whole typed payload."""

    appointment: WebhookAppointment
    delivery: AppointmentWebhook = field(repr=False)

    @property
    def deleted(self) -> bool:
        return self.type == "AppointmentDelete"


@frozen
class AppInstallEvent(WebhookEvent):
    """INSTALL: the app was installed at `location_id` (an agency app can now ask for that location's token), or,
    with no location, at the agency `company_id`."""

    company_id: str | None
    delivery: AppInstallWebhook = field(repr=False)


@frozen
class AppUninstallEvent(WebhookEvent):
    """UNINSTALL: the app was removed from `location_id` (its stored location token no longer works), or, with no
    location, from the agency `company_id`."""

    company_id: str | None
    delivery: AppUninstallWebhook = field(repr=False)


# Keys ----------------------------------------------------------------------------------------------------------


def _pem(key: object, name: str) -> bytes:
    if isinstance(key, str):
        pem = key.strip().encode("ascii", errors="replace")
    elif isinstance(key, bytes | bytearray):
        pem = bytes(key).strip()
    else:
        raise ValueError(f"{name} must be a PEM public key as str or bytes, got {type(key).__name__}")
    if pem.count(b"-----BEGIN") > 1:
        raise ValueError(f"{name} holds more than one PEM block: pass one key")
    return pem


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=16)
def _loaded(pem: bytes, name: str) -> Any:
    try:
        return serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ValueError(f"{name} is not a PEM public key (-----BEGIN PUBLIC KEY-----)") from None


def _rsa_key(key: object) -> RSAPublicKey:
    loaded = _loaded(_pem(key, "rsa_public_key"), "rsa_public_key")
    if not isinstance(loaded, RSAPublicKey):
        raise ValueError(f"rsa_public_key is not an RSA public key (it is {type(loaded).__name__})")
    return loaded


def _ed25519_key(key: object) -> Ed25519PublicKey:
    loaded = _loaded(_pem(key, "ed25519_public_key"), "ed25519_public_key")
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError(f"ed25519_public_key is not an Ed25519 public key (it is {type(loaded).__name__})")
    return loaded


# The checks ----------------------------------------------------------------------------------------------------


def _text_of(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, bytes | bytearray) else str(value)


def _header(headers: Headers, name: str) -> str | None:
    """The one value of header `name`, matched case-insensitively (str or bytes names and values, as ASGI has
    them); two different values are refused."""
    values = {_text_of(value) for key, value in headers.items() if _text_of(key).lower() == name}
    if len(values) > 1:
        raise WebhookVerificationError("signature", f"more than one {name} header")
    return values.pop() if values else None


def _signature(headers: Headers, name: str, size: int | None) -> bytes:
    text = _header(headers, name)
    if text is None or not text.strip():
        raise WebhookVerificationError("signature", f"no {name} header")
    if len(text) > _MAX_SIGNATURE_CHARS:
        raise WebhookVerificationError("signature", f"{name} is {len(text)} characters long: not a signature")
    try:
        signature: bytes | None = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        signature = None
    if signature is None:
        raise WebhookVerificationError("signature", f"{name} is not base64")
    if size is not None and len(signature) != size:
        raise WebhookVerificationError("signature", f"{name} is {len(signature)} bytes, not {size}")
    return signature


def _check_signature(
    body: bytes, headers: Headers, rsa_key: RSAPublicKey, ed25519_key: Ed25519PublicKey | None
) -> None:
    if ed25519_key is not None and _header(headers, ED25519_SIGNATURE_HEADER) is not None:
        signature = _signature(headers, ED25519_SIGNATURE_HEADER, 64)
        try:
            ed25519_key.verify(signature, body)
        except InvalidSignature:
            valid = False
        else:
            valid = True
        if not valid:  # raised outside the except block: no exception (nor the body) rides along as its context
            raise WebhookVerificationError(
                "signature", f"{ED25519_SIGNATURE_HEADER} does not verify with the Ed25519 key"
            )
        return
    signature = _signature(headers, RSA_SIGNATURE_HEADER, None)
    try:
        rsa_key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        valid = False
    else:
        valid = True
    if not valid:
        raise WebhookVerificationError("signature", f"{RSA_SIGNATURE_HEADER} does not verify with the RSA key")


def _document(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        document = _NOT_JSON
    if document is _NOT_JSON:  # raised outside the except block: the decoder's error (it holds the body) is dropped
        raise WebhookVerificationError("malformed", f"the body is not JSON ({len(body)} bytes)")
    if not isinstance(document, dict):
        raise WebhookVerificationError("malformed", f"the body is a JSON {type(document).__name__}, not an object")
    return document


def _text(document: Mapping[str, Any], name: str, limit: int | None = None) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value:
        raise WebhookVerificationError("malformed", f"`{name}` is missing or not a non-empty string")
    if limit is not None and len(value) > limit:
        raise WebhookVerificationError("malformed", f"`{name}` is longer than {limit} characters")
    return value


def _timestamp(document: Mapping[str, Any]) -> dt.datetime:
    text = _text(document, "timestamp", 64)
    try:
        moment: dt.datetime | None = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None:
        raise WebhookVerificationError("malformed", "`timestamp` is not an ISO 8601 date-time")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _optional_text(document: Mapping[str, Any], name: str) -> str | None:
    value = document.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise WebhookVerificationError("malformed", f"`{name}` is not a string")
    return value or None


# The fields an event exposes that the generated models keep as received: checked here, so a typed event never
# carries another type where its annotation says str or bool.
_APPOINTMENT_TEXT = ("address", "title", "calendarId", "contactId", "groupId", "appointmentStatus",
                     "assignedUserId", "notes", "source")  # fmt: skip
_DELIVERY_TEXT = ("appId", "versionId", "installType", "userId", "planId", "companyName")


def _check_fields(document: Mapping[str, Any], texts: tuple[str, ...], where: str) -> None:
    for name in texts:
        if document.get(name) is not None and not isinstance(document[name], str):
            raise WebhookVerificationError("malformed", f"`{where}{name}` is not a string")


def _typed(document: dict[str, Any], kind: str, common: dict[str, Any]) -> WebhookEvent:
    """The typed event (the documented shapes checked), or a WebhookVerificationError."""
    if kind in APPOINTMENT_TYPES:
        appointment = document.get("appointment")
        if not isinstance(appointment, dict):
            raise WebhookVerificationError("malformed", f"a {kind} delivery has no `appointment` object")
        _text(appointment, "id", 256)
        _check_fields(appointment, _APPOINTMENT_TEXT, "appointment.")
        delivery = AppointmentWebhook.from_dict(document)
        assert isinstance(delivery.appointment, WebhookAppointment)  # checked above: an object parses to one
        return AppointmentEvent(**common, appointment=delivery.appointment, delivery=delivery)
    if kind in (INSTALL_TYPE, UNINSTALL_TYPE):
        _check_fields(document, _DELIVERY_TEXT, "")
        if document.get("isWhitelabelCompany") is not None and not isinstance(document["isWhitelabelCompany"], bool):
            raise WebhookVerificationError("malformed", "`isWhitelabelCompany` is not a boolean")
        company_id = _optional_text(document, "companyId")
        if kind == INSTALL_TYPE:
            return AppInstallEvent(**common, company_id=company_id, delivery=AppInstallWebhook.from_dict(document))
        return AppUninstallEvent(**common, company_id=company_id, delivery=AppUninstallWebhook.from_dict(document))
    return WebhookEvent(**common)


def _event(document: dict[str, Any], kind: str, webhook_id: str, timestamp: dt.datetime) -> WebhookEvent:
    common: dict[str, Any] = {
        "type": kind,
        "webhook_id": webhook_id,
        "timestamp": timestamp,
        "location_id": _optional_text(document, "locationId"),
        "document": document,
    }
    try:
        return _typed(document, kind, common)
    except WebhookVerificationError:
        raise
    except (HighLevelError, TypeError, ValueError) as error:
        where = str(getattr(error, "path", None) or type(error).__name__)  # a JSON path, never the value
    # Raised outside the except block: the parser's error (it quotes the value) does not ride along as context.
    raise WebhookVerificationError("malformed", f"a {kind} delivery is not the documented shape ({where})")


def _check_max_age(max_age: object) -> float:
    if not isinstance(max_age, int | float) or isinstance(max_age, bool) or not 0 < max_age <= MAX_MAX_AGE:
        raise ValueError(f"max_age must be a number of seconds > 0 and at most {MAX_MAX_AGE:g}, got {max_age!r}")
    return float(max_age)


def _first_sighting(guard: ReplayGuard, webhook_id: str, ttl: float) -> bool:
    """The guard's answer, which must be True or False: anything else (a coroutine of an async guard, a pipeline's
    queued command) would read as True and let every copy through."""
    seen = guard.first_sighting(webhook_id, ttl)
    if seen is True or seen is False:
        return seen
    if inspect.isawaitable(seen) and hasattr(seen, "close"):
        seen.close()  # never awaited: closed, so no "coroutine was never awaited" warning
    raise TypeError(
        f"replay_guard.first_sighting must return True or False, got {type(seen).__name__} "
        "(an async guard or a Redis pipeline cannot be used here)"
    )


def _now(now: object) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    if not isinstance(now, dt.datetime) or now.tzinfo is None:
        raise ValueError(f"now must be a timezone-aware datetime, got {now!r}")
    return now


def verify(
    body: bytes,
    headers: Headers,
    *,
    rsa_public_key: str | bytes | None = None,
    ed25519_public_key: str | bytes | None = None,
    max_age: float = DEFAULT_MAX_AGE,
    replay_guard: ReplayGuard | None = None,
    now: dt.datetime | None = None,
) -> WebhookEvent:
    """The verified delivery as a typed event: an AppointmentEvent, AppInstallEvent or AppUninstallEvent, or a
    WebhookEvent (its `document`) for any other type. See the module docstring for the checks and their order.

    Raises:
        errors.WebhookVerificationError: the delivery must not be acted on; `.reason` is "signature", "stale",
            "replay" or "malformed".
        ValueError: a configuration mistake, whatever the delivery: a key that is not a PEM public key of its
            kind, `max_age` not a number > 0, `now` not timezone-aware.
        TypeError: `body` is not bytes (pass the body as received, not decoded or parsed).
        redis_backend.RedisUnavailableError: a RedisReplayGuard whose server cannot answer (refuse the delivery
            with a 5xx: HighLevel delivers it again).
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"body must be the raw bytes as received, got {type(body).__name__}")
    if not callable(getattr(headers, "items", None)):
        raise TypeError(f"headers must be a mapping of header names to values, got {type(headers).__name__}")
    seconds = _check_max_age(max_age)
    moment = _now(now)
    # Both keys are checked whatever the delivery: a mistake in either is found at the first call, not the day
    # a delivery comes without the Ed25519 header.
    rsa_key = _rsa_key(HIGHLEVEL_RSA_PUBLIC_KEY if rsa_public_key is None else rsa_public_key)
    ed25519_key = None if ed25519_public_key is None else _ed25519_key(ed25519_public_key)
    raw = bytes(body)
    _check_signature(raw, headers, rsa_key, ed25519_key)
    document = _document(raw)
    kind = _text(document, "type", 128)
    webhook_id = _text(document, "webhookId", _MAX_WEBHOOK_ID_CHARS)
    if not webhook_id.isprintable() or not _encodable(webhook_id):
        raise WebhookVerificationError("malformed", "`webhookId` is not printable UTF-8 text")
    timestamp = _timestamp(document)
    event = _event(document, kind, webhook_id, timestamp)
    age = (moment - timestamp).total_seconds()
    if abs(age) > seconds:
        when = "old" if age > 0 else "ahead"
        raise WebhookVerificationError("stale", f"the timestamp is {abs(age):.0f} s {when}; at most {seconds:g} s")
    # Recorded only now: the signature and the timestamp are good. Kept while a copy could pass the check above.
    if replay_guard is not None and not _first_sighting(replay_guard, webhook_id, max(seconds - age, 1.0)):
        raise WebhookVerificationError("replay", "its webhookId was delivered already")
    return event


__all__ = [
    "APPOINTMENT_TYPES",
    "DEFAULT_MAX_AGE",
    "ED25519_SIGNATURE_HEADER",
    "HIGHLEVEL_RSA_PUBLIC_KEY",
    "INSTALL_TYPE",
    "MAX_MAX_AGE",
    "RSA_SIGNATURE_HEADER",
    "UNINSTALL_TYPE",
    "AppInstallEvent",
    "AppUninstallEvent",
    "AppointmentEvent",
    "MemoryReplayGuard",
    "RedisReplayGuard",
    "ReplayGuard",
    "WebhookEvent",
    "verify",
]
