"""A client library for accessing HighLevel Contacts - Get Appointments for Contact"""

from .client import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    AuthenticatedClient,
    Client,
    RetryPolicy,
)
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    DailyRateLimitError,
    HighLevelError,
    LocationTokenError,
    MalformedResponseError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    TokenRefreshError,
    TokenStoreError,
    UnexpectedStatus,
    UnprocessableEntityError,
)
from .ratelimit import RateBudget
from .types import RateLimit, Response

__all__ = (
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
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
    "LocationTokenError",
    "MalformedResponseError",
    "RateBudget",
    "RateLimit",
    "RateLimitError",
    "Response",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "TokenRefreshError",
    "TokenStoreError",
    "UnexpectedStatus",
    "UnprocessableEntityError",
)
