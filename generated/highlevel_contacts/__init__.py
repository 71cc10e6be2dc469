"""A client library for accessing HighLevel Contacts - Get Appointments for Contact"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
