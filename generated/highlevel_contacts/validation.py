# Vendored from runtime/validation.py by `make generate`: edit that file, never this copy.
"""Checks on what callers pass in, made before anything is sent: path parameters, headers, the token, the
base URL. Each failure is a `ValueError` (a `TypeError` for a value of the wrong type) that names what is wrong
and never shows a header's value, so a bad token cannot leak through the error meant to report it.
"""

import ipaddress
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

MAX_PATH_PARAMETER_LENGTH = 1024
"""HighLevel's ids are 20 characters; anything past this cannot be an id, and would make a URL httpx refuses."""

# RFC 9110 token characters: what a header name may be made of.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# What httpx can send as a str header value: visible ASCII, space and tab (it encodes str values as ASCII).
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
_LOOPBACK_NAMES = frozenset({"localhost"})


def path_parameter(value: object, name: str) -> str:
    """`value` percent-encoded as one path segment, after checking that it can be one.

    Raises:
        ValueError: `value` is not a `str`, is empty, `.` or `..` (which would change the path the request goes
            to, with the caller's token), longer than MAX_PATH_PARAMETER_LENGTH, or holds a lone surrogate.
    """
    if not isinstance(value, str):
        raise ValueError(f"path parameter {name} must be a str, got {type(value).__name__}")
    if value in ("", ".", ".."):
        raise ValueError(f"path parameter {name} must not be {value!r}: it would change the path of the request")
    if len(value) > MAX_PATH_PARAMETER_LENGTH:
        raise ValueError(
            f"path parameter {name} is {len(value)} characters long; at most {MAX_PATH_PARAMETER_LENGTH} are sent"
        )
    try:
        return quote(value, safe="")
    except UnicodeEncodeError:
        raise ValueError(f"path parameter {name} is not valid text: it holds a lone surrogate") from None


def _describe(character: str) -> str:
    if character in "\r\n":
        return "a line break (CR or LF)"
    if character == "\x00":
        return "a NUL"
    if ord(character) < 0x20 or character == "\x7f":
        return "a control character"
    return "a non-ASCII character"


def check_header(name: object, value: object) -> None:
    """Raise unless HTTP (and httpx) can send header `name` with `value`. The value is never shown.

    Raises:
        TypeError: the name or the value is not a `str`.
        ValueError: the name is not an HTTP token, or the value holds a character a header cannot carry (CR,
            LF, NUL or another control character, or anything outside ASCII).
    """
    if not isinstance(name, str):
        raise TypeError(f"a header name must be a str, got {type(name).__name__}")
    if not _HEADER_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a valid HTTP header name")
    if not isinstance(value, str):
        raise TypeError(f"header {name} must be a str, got {type(value).__name__}")
    if not _HEADER_VALUE.fullmatch(value):
        index, character = next((i, c) for i, c in enumerate(value) if not _HEADER_VALUE.fullmatch(c))
        raise ValueError(
            f"header {name} cannot be sent: character {index} of its value is {_describe(character)} "
            "(the value is not shown)"
        )


def check_headers(headers: Mapping[Any, object]) -> None:
    """`check_header` for each item."""
    for name, value in headers.items():
        check_header(name, value)


def check_token(token: object, prefix: object) -> None:
    """Raise unless `token` (and `prefix`) make an Authorization header. Never strips anything silently.

    Raises:
        TypeError: the token or the prefix is not a `str` (`None`, `bytes`, a number).
        ValueError: the token is empty, has leading or trailing whitespace, or holds a character a header
            cannot carry.
    """
    if not isinstance(token, str):
        raise TypeError(f"token must be a str, got {type(token).__name__}")
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
    if not token:
        raise ValueError("token is empty")
    if token != token.strip():
        raise ValueError(
            "token has leading or trailing whitespace (a newline from reading a file?): strip it before passing "
            "it; the client does not change tokens"
        )
    # The header name is a placeholder: the message must say which of the two is wrong.
    check_header("token", token)
    check_header("prefix", prefix)


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: object) -> None:
    """Raise unless `base_url` is an http(s) URL that requests can be made relative to.

    Raises:
        TypeError: not a `str` or `httpx.URL`.
        ValueError: not a URL, not http/https, no host, a query string or fragment (requests would drop or
            mangle it), credentials in it, or plain `http://` for a host that is not loopback (the token would
            cross the network in clear text).
    """
    if not isinstance(base_url, str | httpx.URL):
        raise TypeError(f"base_url must be a str, got {type(base_url).__name__}")
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as error:
        raise ValueError(f"base_url is not a valid URL: {error}") from None
    if url.userinfo:
        raise ValueError("base_url must not carry credentials (user:password@); pass token= instead")
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an http:// or https:// URL with a host, got {str(url)!r}")
    if url.query or url.fragment:
        raise ValueError(f"base_url must not have a query string or fragment, got {str(url)!r}")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise ValueError(
            f"base_url {str(url)!r} is plain http:// to a host that is not loopback: the token would travel "
            "unencrypted; use https:// (http:// is accepted for 127.0.0.1, ::1 and localhost)"
        )


__all__ = [
    "MAX_PATH_PARAMETER_LENGTH",
    "check_base_url",
    "check_header",
    "check_headers",
    "check_token",
    "path_parameter",
]
