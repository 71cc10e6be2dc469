# Vendored from runtime/redis_backend.py by `make generate`: edit that file, never this copy.
"""What the Redis-backed token store and rate budget share: a redis-py client made from a URL, errors that name
the server (never its password), and the optional import.

Redis support is the optional extra `highlevel-contacts[redis]` (redis-py; Valkey works the same). Without it,
using a Redis store or budget raises an ImportError that says which extra to install. Every call has short
socket timeouts, so a server that stops answering raises `RedisUnavailableError` instead of hanging.
"""

from typing import TYPE_CHECKING, Any

from .errors import HighLevelError

if TYPE_CHECKING:
    import redis

SOCKET_TIMEOUT = 5.0
"""Seconds a Redis command may take before it counts as the server being unavailable."""


class RedisUnavailableError(HighLevelError):
    """The Redis (or Valkey) server of a shared token store or rate budget cannot be reached, or failed a
    command. Nothing was sent to HighLevel for the request that raised it; the cause is redis-py's error."""


def redis_client(url: str) -> "redis.Redis":
    """A redis-py client for `url` (`redis://host:port/db`, `rediss://` for TLS), with short timeouts."""
    try:
        import redis
    except ImportError:
        raise ImportError("Redis support needs the redis extra: pip install 'highlevel-contacts[redis]'") from None
    if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("a Redis URL starts with redis://, rediss:// or unix://")
    return redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT)


def describe(client: Any) -> str:
    """host:port/db of a client, for messages and reprs (never a password)."""
    kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", {})
    if "path" in kwargs:
        return f"unix:{kwargs['path']}"
    return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"


def unavailable(client: Any, error: BaseException) -> RedisUnavailableError:
    failure = RedisUnavailableError(f"Redis at {describe(client)} is unavailable: {type(error).__name__}")
    failure.__cause__ = error
    return failure


__all__ = ["SOCKET_TIMEOUT", "RedisUnavailableError", "describe", "redis_client", "unavailable"]
