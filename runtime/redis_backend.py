"""What the Redis-backed token store and rate budget share: redis-py clients made from a URL (blocking, and
redis.asyncio for coroutines), errors that name the server (never its password) and keep redis-py's error as
their cause (its message without the password), and the optional import.

Redis support is the optional extra `highlevel-contacts[redis]` (redis-py; Valkey works the same). Without it,
using a Redis store or budget raises an ImportError that says which extra to install. Every call has short
socket timeouts, so a server that stops answering raises `RedisUnavailableError` instead of hanging.
"""

import urllib.parse
from typing import TYPE_CHECKING, Any

from .errors import HighLevelError

if TYPE_CHECKING:
    import redis
    import redis.asyncio

SOCKET_TIMEOUT = 5.0
"""Seconds a Redis command may take before it counts as the server being unavailable."""


class RedisUnavailableError(HighLevelError):
    """The Redis (or Valkey) server of a shared token store or rate budget cannot be reached, or failed a
    command. Nothing was sent to HighLevel for the request that raised it; the cause (`__cause__`, shown in the
    traceback) is redis-py's error, with any password of the URL replaced by ***."""


def _redis_module() -> Any:
    try:
        import redis
    except ImportError:
        raise ImportError(
            "Redis support needs the redis extra: pip install 'highlevel-contacts[redis]' (from a clone of its "
            "repository, while it is on no package index: pip install './generated[redis]')"
        ) from None
    return redis


def _check_url(url: object) -> None:
    if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("a Redis URL starts with redis://, rediss:// or unix://")


def redis_client(url: str) -> "redis.Redis":
    """A redis-py client for `url` (`redis://host:port/db`, `rediss://` for TLS), with short timeouts."""
    module = _redis_module()
    _check_url(url)
    client: redis.Redis = module.Redis.from_url(
        url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT
    )
    return client


def async_redis_client(url: str) -> "redis.asyncio.Redis":
    """The redis.asyncio client for `url`, with the same timeouts, for coroutines: they must not block their event
    loop on a network round trip. Its connections belong to the event loop that first uses them."""
    _redis_module()  # the ImportError that names the extra
    _check_url(url)
    import redis.asyncio

    client: redis.asyncio.Redis = redis.asyncio.Redis.from_url(
        url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT
    )
    return client


def describe(client: Any) -> str:
    """host:port/db of a client, for messages and reprs (never a password)."""
    kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", {})
    if "path" in kwargs:
        return f"unix:{kwargs['path']}"
    return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"


_REDACTED = "***"
_CHAIN_DEPTH = 8  # how far down __cause__/__context__ a password is looked for; deeper links are dropped


def _secrets(client: Any) -> list[str]:
    """The password the client was made with, as given and as it appears in a URL (percent-encoded)."""
    kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", {})
    password = kwargs.get("password")
    if not isinstance(password, str) or not password:
        return []
    return sorted({password, urllib.parse.quote(password, safe="")}, key=len, reverse=True)


def _mentions(error: BaseException, secrets: list[str], depth: int = 0) -> bool:
    if depth > _CHAIN_DEPTH:
        return True  # not looked at: treated as if it did, so it is dropped rather than shown
    text = f"{error!s} {error!r}"
    if any(secret in text for secret in secrets):
        return True
    return any(
        link is not None and _mentions(link, secrets, depth + 1) for link in (error.__cause__, error.__context__)
    )


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, _REDACTED)
    return text


def _redacted(error: BaseException, secrets: list[str], fallback: type[BaseException], depth: int = 0) -> BaseException:
    """`error` itself when neither it nor its chain mentions a secret; else a copy of the same type (`fallback` when
    the type cannot be rebuilt from its arguments) whose arguments have the secrets replaced by ***, with the same
    traceback (so it still says where it was raised) and its chain redacted alike."""
    if not secrets or not _mentions(error, secrets, depth):
        return error
    args = tuple(_scrub(arg, secrets) if isinstance(arg, str) else arg for arg in error.args)
    try:
        copy = type(error)(*args)
    except Exception:
        copy = fallback(*args)
    if any(secret in f"{copy!s} {copy!r}" for secret in secrets):  # a secret in a non-text argument
        copy = fallback(_scrub(str(error), secrets))
    copy = copy.with_traceback(error.__traceback__)
    if depth < _CHAIN_DEPTH:
        for name in ("__cause__", "__context__"):
            link = getattr(error, name)
            setattr(copy, name, None if link is None else _redacted(link, secrets, Exception, depth + 1))
    copy.__suppress_context__ = error.__suppress_context__
    return copy


def unavailable(client: Any, error: BaseException) -> RedisUnavailableError:
    """The RedisUnavailableError for redis-py's `error` from `client`: its message names the server (never its
    password) and its `__cause__` is `error`, or a copy of it with the URL's password replaced by *** wherever the
    error or its chain mentions it. Raise it as it is, outside the `except` block that caught `error` (not `from
    None`, which would drop the cause; inside the block Python would also keep the unredacted error as its
    `__context__`)."""
    failure = RedisUnavailableError(f"Redis at {describe(client)} is unavailable: {type(error).__name__}")
    failure.__cause__ = _redacted(error, _secrets(client), _redis_module().RedisError)
    failure.__suppress_context__ = True  # as `raise ... from`: the cause is the whole story
    return failure


__all__ = ["SOCKET_TIMEOUT", "RedisUnavailableError", "async_redis_client", "describe", "redis_client", "unavailable"]
