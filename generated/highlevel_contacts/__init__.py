"""A client library for accessing HighLevel Contacts - Get Appointments for Contact"""

from . import client, errors
from .client import *  # noqa: F403 (client.__all__: the clients, their defaults, ClientAuth, RetryPolicy)
from .errors import *  # noqa: F403 (errors.__all__: every error the package raises)
from .ratelimit import RateBudget
from .types import RateLimit, Response

__all__ = ["RateBudget", "RateLimit", "Response"]
__all__ += client.__all__
__all__ += errors.__all__
