"""The curated document is valid, self-contained, and says what the docs page says."""

from __future__ import annotations

import json
from typing import Any

from openapi_spec_validator import validate

from tests.helpers import APPOINTMENT_FIELDS, PAGE_APPOINTMENT_FIELDS, appointment_fields_message
from tools.spec import (
    CALENDAR_EVENTS_PATH,
    CALENDARS_PATH,
    INSTALLED_LOCATIONS_PATH,
    LOCATION_TOKEN_PATH,
    OPERATION_PATH,
    SPEC_PATH,
    TOKEN_PATH,
    WEBHOOKS,
    load_spec,
    request_example,
    response_examples,
    webhook_example,
)


def _operation() -> dict[str, Any]:
    operation: dict[str, Any] = load_spec()["paths"][OPERATION_PATH]["get"]
    return operation


def test_document_validates() -> None:
    validate(load_spec(), base_uri=SPEC_PATH.as_uri())


def test_every_ref_is_local() -> None:
    text = json.dumps(load_spec())
    refs = [part.split('"')[0] for part in text.split('"$ref": "')[1:]]
    assert refs, "expected the document to use local $refs"
    assert [ref for ref in refs if not ref.startswith("#/")] == []


def test_operation_identity() -> None:
    spec = load_spec()
    assert spec["servers"] == [{"url": "https://services.leadconnectorhq.com"}]
    assert list(spec["paths"]) == [
        OPERATION_PATH,
        TOKEN_PATH,
        LOCATION_TOKEN_PATH,
        INSTALLED_LOCATIONS_PATH,
        CALENDARS_PATH,
        CALENDAR_EVENTS_PATH,
    ]
    assert list(spec["paths"][OPERATION_PATH]) == ["get"]
    assert list(spec["paths"][TOKEN_PATH]) == ["post"]
    assert list(spec["paths"][LOCATION_TOKEN_PATH]) == ["post"]
    assert list(spec["paths"][INSTALLED_LOCATIONS_PATH]) == ["get"]
    operation = _operation()
    assert operation["operationId"] == "get-appointments-for-contact"
    assert operation["tags"] == ["Contacts"]


def test_parameters() -> None:
    by_name = {parameter["name"]: parameter for parameter in _operation()["parameters"]}
    assert set(by_name) == {"Version", "contactId"}
    version = by_name["Version"]
    assert (version["in"], version["required"]) == ("header", True)
    # One named schema: the runtime's client types its `version=` setting with the generated ApiVersion.
    assert version["schema"] == {"$ref": "#/components/schemas/ApiVersion"}
    api_version = load_spec()["components"]["schemas"]["ApiVersion"]
    assert api_version["enum"] == ["2021-07-28", "v3"]  # the docs page's version, and HighLevel's v3
    assert api_version["default"] == "2021-07-28"  # the docs page this package implements
    contact_id = by_name["contactId"]
    assert (contact_id["in"], contact_id["required"], contact_id["schema"]["type"]) == (
        "path",
        True,
        "string",
    )


def test_security() -> None:
    assert _operation()["security"] == [{"bearer": ["contacts.readonly"]}]
    scheme = load_spec()["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    assert "Private Integration Token" in scheme["description"]


def test_responses_and_examples() -> None:
    responses = _operation()["responses"]
    assert sorted(responses) == ["200", "400", "401", "422"]
    for response in responses.values():
        assert set(response["content"]) == {"application/json"}
        assert "example" in response["content"]["application/json"]
    event = responses["200"]["content"]["application/json"]["example"]["events"][0]
    assert list(event) == PAGE_APPOINTMENT_FIELDS
    assert event["id"] == "YS3jaqqeehkR2Is80miy"


def test_appointment_schema_has_the_17_page_fields() -> None:
    """The docs page's 17 fields (an independent copy, in tests/helpers.py), then any the spec adds beyond it."""
    spec_fields = list(load_spec()["components"]["schemas"]["Appointment"]["properties"])
    assert spec_fields == APPOINTMENT_FIELDS, appointment_fields_message(spec_fields)
    assert len(PAGE_APPOINTMENT_FIELDS) == 17
    assert spec_fields[:17] == PAGE_APPOINTMENT_FIELDS


def test_a_field_mismatch_says_which_list_to_update() -> None:
    message = appointment_fields_message([*APPOINTMENT_FIELDS, "brandNewField"])
    assert "In the spec but in neither list: ['brandNewField']. A field you added to the spec: add it to " in message
    assert "APPOINTMENT_FIELDS_BEYOND_PAGE, and keep it after the page's fields in the spec." in message
    assert "Both lists are in tests/helpers.py: PAGE_APPOINTMENT_FIELDS is an independent copy" in message
    dropped = appointment_fields_message(APPOINTMENT_FIELDS[1:])
    assert "In a list but not in the spec: ['id']. Put it back in the spec" in dropped
    swapped = appointment_fields_message([APPOINTMENT_FIELDS[1], APPOINTMENT_FIELDS[0], *APPOINTMENT_FIELDS[2:]])
    assert "Same fields, other order: the spec has ['calendarId', 'id', " in swapped


def test_422_message_is_a_list_of_strings() -> None:
    message = load_spec()["components"]["schemas"]["UnprocessableEntityResponse"]["properties"]["message"]
    assert message["type"] == ["array", "null"]
    assert message["items"] == {"type": "string"}


def test_token_operation() -> None:
    operation = load_spec()["paths"][TOKEN_PATH]["post"]
    assert (operation["operationId"], operation["tags"], operation["security"]) == ("get-access-token", ["Oauth"], [])
    assert list(operation["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]
    fields = load_spec()["components"]["schemas"]["GetAccessTokenRequest"]["properties"]
    assert list(fields) == ["client_id", "client_secret", "grant_type", "code", "refresh_token", "user_type",
                            "redirect_uri"]  # fmt: skip
    assert fields["grant_type"]["enum"] == ["authorization_code", "refresh_token"]
    assert fields["user_type"]["enum"] == ["Company", "Location"]
    assert set(request_example(TOKEN_PATH, "post")) <= set(fields)
    examples = response_examples(TOKEN_PATH, "post")
    assert sorted(examples) == [200, 400, 401, 422]
    assert list(examples[200]) == ["access_token", "token_type", "expires_in", "refresh_token", "scope", "userType",
                                   "locationId", "companyId", "approvedLocations", "userId", "planId"]  # fmt: skip
    assert list(load_spec()["components"]["schemas"]["GetAccessTokenResponse"]["properties"]) == list(examples[200])
    assert examples[400]["error"] == "invalid_grant"


def test_calendar_operations() -> None:
    """HighLevel's apps/calendars.json, curated: ids, scopes, the Version schema, the query parameters."""
    spec = load_spec()
    calendars = spec["paths"][CALENDARS_PATH]["get"]
    events = spec["paths"][CALENDAR_EVENTS_PATH]["get"]
    assert (calendars["operationId"], calendars["security"]) == ("get-calendars", [{"bearer": ["calendars.readonly"]}])
    assert (events["operationId"], events["security"]) == (
        "get-calendar-events",
        [{"bearer": ["calendars/events.readonly"]}],
    )
    version = spec["components"]["schemas"]["CalendarsApiVersion"]
    assert (version["enum"], version["default"]) == (["2021-04-15", "v3"], "2021-04-15")
    for operation in (calendars, events):
        assert operation["tags"] == ["Calendars"]
        assert sorted(operation["responses"]) == ["200", "400", "401"]  # as published upstream
        (header,) = (parameter for parameter in operation["parameters"] if parameter["in"] == "header")
        assert (header["name"], header["required"]) == ("Version", True)
        assert header["schema"] == {"$ref": "#/components/schemas/CalendarsApiVersion"}
    required = {parameter["name"]: parameter.get("required", False) for parameter in events["parameters"]}
    assert required == {
        "Version": True,
        "locationId": True,
        "startTime": True,
        "endTime": True,
        "calendarId": False,
        "userId": False,
        "groupId": False,
    }
    millis = {
        parameter["name"]: parameter["example"] for parameter in events["parameters"] if "Time" in parameter["name"]
    }
    assert millis == {"startTime": "1680373800000", "endTime": "1680978599999"}  # strings of epoch milliseconds


def test_calendar_event_times_are_lenient_date_time_strings() -> None:
    """Upstream declares the four times `type: object`; every example is an ISO 8601 string: curated as the
    Appointment's are, and the example event carries every typed field but the ones upstream shows no example of."""
    schemas = load_spec()["components"]["schemas"]
    fields = schemas["CalendarEvent"]["properties"]
    for name in ("startTime", "endTime", "dateAdded", "dateUpdated"):
        assert fields[name] == {"$ref": "#/components/schemas/DateTimeOrString"}, name
    assert fields["isRecurring"]["type"] == ["boolean", "string", "null"]
    (event,) = response_examples(CALENDAR_EVENTS_PATH, "get")[200]["events"]
    assert set(fields) - set(event) == {"assignedResources", "createdBy", "deleted"}
    assert event["startTime"] == "2023-09-25T16:00:00+05:30"
    (calendar,) = response_examples(CALENDARS_PATH, "get")[200]["calendars"]
    assert list(calendar) == list(schemas["Calendar"]["properties"])


def test_webhooks_are_the_five_with_their_own_type_in_each_example() -> None:
    """The published Update and Delete examples say "type": "AppointmentCreate" (a copy error): each curated
    example says its own; every example carries the timestamp and webhookId every delivery has."""
    assert tuple(load_spec()["webhooks"]) == WEBHOOKS
    types = {name: webhook_example(name)["type"] for name in WEBHOOKS}
    assert types == {
        "AppointmentCreate": "AppointmentCreate",
        "AppointmentUpdate": "AppointmentUpdate",
        "AppointmentDelete": "AppointmentDelete",
        "AppInstall": "INSTALL",
        "AppUninstall": "UNINSTALL",
    }
    for name in WEBHOOKS:
        example = webhook_example(name)
        assert [type(example["timestamp"]), type(example["webhookId"])] == [str, str], name
    schemas = load_spec()["components"]["schemas"]
    assert list(webhook_example("AppointmentCreate")["appointment"]) == list(
        schemas["WebhookAppointment"]["properties"]
    )
