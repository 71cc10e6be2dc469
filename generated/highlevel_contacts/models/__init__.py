"""Contains all the data models used in inputs/outputs"""

from .api_version import ApiVersion
from .app_install_webhook import AppInstallWebhook
from .app_trial import AppTrial
from .app_uninstall_webhook import AppUninstallWebhook
from .appointment import Appointment
from .appointment_webhook import AppointmentWebhook
from .bad_request_response import BadRequestResponse
from .calendar import Calendar
from .calendar_event import CalendarEvent
from .calendars_api_version import CalendarsApiVersion
from .created_by import CreatedBy
from .get_access_token_request import GetAccessTokenRequest
from .get_access_token_request_grant_type import GetAccessTokenRequestGrantType
from .get_access_token_request_user_type import GetAccessTokenRequestUserType
from .get_access_token_response import GetAccessTokenResponse
from .get_appointments_response import GetAppointmentsResponse
from .get_calendar_events_response import GetCalendarEventsResponse
from .get_calendars_response import GetCalendarsResponse
from .get_installed_location_version import GetInstalledLocationVersion
from .get_installed_locations_response import GetInstalledLocationsResponse
from .get_location_access_token_request import GetLocationAccessTokenRequest
from .get_location_access_token_response import GetLocationAccessTokenResponse
from .get_location_access_token_version import GetLocationAccessTokenVersion
from .installed_location import InstalledLocation
from .unauthorized_response import UnauthorizedResponse
from .unprocessable_entity_response import UnprocessableEntityResponse
from .webhook_appointment import WebhookAppointment
from .whitelabel_details import WhitelabelDetails

__all__ = (
    "ApiVersion",
    "AppInstallWebhook",
    "Appointment",
    "AppointmentWebhook",
    "AppTrial",
    "AppUninstallWebhook",
    "BadRequestResponse",
    "Calendar",
    "CalendarEvent",
    "CalendarsApiVersion",
    "CreatedBy",
    "GetAccessTokenRequest",
    "GetAccessTokenRequestGrantType",
    "GetAccessTokenRequestUserType",
    "GetAccessTokenResponse",
    "GetAppointmentsResponse",
    "GetCalendarEventsResponse",
    "GetCalendarsResponse",
    "GetInstalledLocationsResponse",
    "GetInstalledLocationVersion",
    "GetLocationAccessTokenRequest",
    "GetLocationAccessTokenResponse",
    "GetLocationAccessTokenVersion",
    "InstalledLocation",
    "UnauthorizedResponse",
    "UnprocessableEntityResponse",
    "WebhookAppointment",
    "WhitelabelDetails",
)
