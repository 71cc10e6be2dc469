"""A client library for accessing HighLevel Contacts - Get Appointments for Contact"""

from .client import DEFAULT_TIMEOUT, AuthenticatedClient, Client, RetryPolicy
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    DailyRateLimitError,
    HighLevelError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
    UnexpectedStatus,
    UnprocessableEntityError,
)
from .types import RateLimit, Response

__all__ = (
    "DEFAULT_TIMEOUT",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticatedClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "DailyRateLimitError",
    "HighLevelError",
    "MalformedResponseError",
    "RateLimit",
    "RateLimitError",
    "Response",
    "RetryPolicy",
    "ServerError",
    "UnexpectedStatus",
    "UnprocessableEntityError",
)
