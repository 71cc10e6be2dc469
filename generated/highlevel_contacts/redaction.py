# Vendored from runtime/redaction.py by `make generate`: edit that file, never this copy.
"""Redaction: the one way the package keeps a secret (a token, a client secret, a refresh token) out of an
error's message and body, a log line or the CLI's output.

`redact` replaces every form of each secret in a text in one pass; `Redactor` is the same compiled once for a set
of secrets; `redacted_cause` is an httpx error safe to chain (a copy without the secrets, when its message or
anything it chains quotes one); `sent_credentials` are the credentials an answered request carried. It imports
nothing from the package.
"""

import json
import logging
import re
from collections.abc import Iterable

import httpx

logger = logging.getLogger(__package__)

REDACTED = "<redacted>"
"""What replaces a secret in an error's message and body."""

MIN_REDACTED_SECRET_LENGTH = 8
"""Secrets (and pieces of them) shorter than this are not redacted; see `redact`."""


def redact(text: str, secrets: Iterable[str], marker: str = REDACTED) -> str:
    """`text` with every occurrence of each secret replaced by `marker`.

    A secret is looked for in every form a lower layer may quote it in: whole, escaped (Python's and JSON's
    escapes, `\\/` for `/`, h11's bytes repr) and each visible run of it (a value cut at a control character).
    All forms are replaced in one pass, longest first, so no replacement is scanned again: a marker never ends up
    inside a marker, and a marker already in `text` (this one or the default) is left whole.

    A form of at least `MIN_REDACTED_SECRET_LENGTH` (8) characters is replaced wherever it occurs, inside a
    longer word too: showing a real secret is worse than cutting a word. A shorter one is not replaced at all:
    no real token is that short, and replacing one (a test's token "a") would cut every word holding its
    characters and so show which characters it has. The first time a secret that short is given, a warning is
    logged (logger `highlevel_contacts`, not naming it).
    """
    return Redactor(secrets, marker)(text)


class Redactor:
    """One regex for a set of secrets: each of their forms, then the markers to leave alone."""

    def __init__(self, secrets: Iterable[str], marker: str = REDACTED) -> None:
        self.marker = marker
        forms = _secret_forms(tuple(secrets))
        kept = sorted({marker, REDACTED}, key=len, reverse=True)
        # The forms come first: at each position the longest form wins, and a marker is matched (and kept) only
        # where no form starts, so the secrets' text inside a marker is never replaced.
        self.pattern = (
            re.compile(f"(?P<secret>{'|'.join(map(re.escape, forms))})|{'|'.join(map(re.escape, kept))}")
            if forms
            else None
        )

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        return self.marker if match.lastgroup == "secret" else match.group()

    def found_in(self, text: str) -> bool:
        return self(text) != text


_short_secret_warned = False  # the warning about a secret too short to redact is logged once per process


def _secret_forms(secrets: tuple[str, ...]) -> list[str]:
    """Each secret as a lower layer may quote it: whole, escaped (h11 shows a header as bytes repr; a JSON body
    escapes quotes, backslashes and control characters, some servers `/` too), and each visible run of it (a
    value cut at a control character), longest first; forms shorter than MIN_REDACTED_SECRET_LENGTH left out."""
    global _short_secret_warned
    forms: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        if len(secret) < MIN_REDACTED_SECRET_LENGTH and not _short_secret_warned:
            _short_secret_warned = True
            logger.warning(
                "a secret (token, client secret or refresh token) shorter than %d characters is not redacted from "
                "error messages: no real one is that short, and replacing it would garble them",
                MIN_REDACTED_SECRET_LENGTH,
            )
        json_escaped = json.dumps(secret)[1:-1]
        forms.update(
            {
                secret,
                repr(secret)[1:-1],
                repr(secret.encode("utf-8", "backslashreplace"))[2:-1],
                json_escaped,
                json.dumps(secret, ensure_ascii=False)[1:-1],
                json_escaped.replace("/", "\\/"),
            }
        )
        forms.update(re.split(r"[^\x21-\x7e]+", secret))
    return sorted((form for form in forms if len(form) >= MIN_REDACTED_SECRET_LENGTH), key=len, reverse=True)


def sent_credentials(response: object) -> tuple[str, ...]:
    """The Authorization header the answered request carried, whole and without its scheme."""
    try:
        request = getattr(response, "request", None)
    except RuntimeError:  # an httpx.Response built without a request
        return ()
    headers = getattr(request, "headers", None)
    value = headers.get("authorization") if headers is not None else None
    if not isinstance(value, str) or not value:
        return ()
    _scheme, _, credential = value.partition(" ")
    return (value, credential) if credential else (value,)


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is not None and all(current is not other for other in seen):
            seen.append(current)
            pending += [current.__cause__, current.__context__]
    return seen


def redacted_cause(error: httpx.HTTPError, redactor: Redactor) -> httpx.HTTPError:
    """`error` itself, or, should a secret appear in its message or in what it chains (httpx and h11 quote header
    values they refuse), a copy of it with the message redacted and nothing chained, so that no str(), repr() or
    traceback of an error chaining it shows the secret."""
    texts = [text for link in _chain(error) for text in (str(link), repr(link), *map(repr, link.args))]
    if not any(redactor.found_in(text) for text in texts):
        return error
    message = redactor(str(error))
    try:
        copy = type(error)(message)
    except TypeError:  # a subclass with another signature
        copy = httpx.HTTPError(message)
    return copy


__all__ = ["MIN_REDACTED_SECRET_LENGTH", "REDACTED", "Redactor", "redact", "redacted_cause", "sent_credentials"]
