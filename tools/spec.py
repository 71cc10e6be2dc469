"""Read the OpenAPI document: the single source of truth for the operations and their example payloads."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi" / "highlevel-contacts.yaml"
OPERATION_PATH = "/contacts/{contactId}/appointments"
TOKEN_PATH = "/oauth/token"
LOCATION_TOKEN_PATH = "/oauth/locationToken"
INSTALLED_LOCATIONS_PATH = "/oauth/installedLocations"
CALENDARS_PATH = "/calendars/"
CALENDAR_EVENTS_PATH = "/calendars/events"


@cache
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The parsed document (cached: callers must not mutate it)."""
    with path.open(encoding="utf-8") as file:
        document: dict[str, Any] = yaml.safe_load(file)
    return document


def _operation(operation_path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = load_spec()["paths"][operation_path][method]
    return operation


def response_examples(operation_path: str = OPERATION_PATH, method: str = "get") -> dict[int, Any]:
    """The documented example body of each response of an operation, by status code."""
    responses = _operation(operation_path, method)["responses"]
    return {int(status): response["content"]["application/json"]["example"] for status, response in responses.items()}


def request_example(operation_path: str, method: str) -> dict[str, Any]:
    """The documented example of an operation's request body (the token endpoint's form fields)."""
    content: dict[str, Any] = _operation(operation_path, method)["requestBody"]["content"]
    (media,) = content.values()
    example: dict[str, Any] = media["example"]
    return example


WEBHOOKS = ("AppointmentCreate", "AppointmentUpdate", "AppointmentDelete", "AppInstall", "AppUninstall")


def webhook_example(name: str) -> dict[str, Any]:
    """The documented example body of one of the spec's webhooks (what HighLevel POSTs to the app)."""
    content: dict[str, Any] = load_spec()["webhooks"][name]["post"]["requestBody"]["content"]
    example: dict[str, Any] = content["application/json"]["example"]
    return example


def _resolve(schema: dict[str, Any], document: dict[str, Any] | None = None) -> dict[str, Any]:
    """A schema, or the local component its `$ref` names."""
    reference = schema.get("$ref")
    if reference is None:
        return schema
    prefix = "#/components/schemas/"
    if not isinstance(reference, str) or not reference.startswith(prefix):
        raise ValueError(f"not a local schema reference: {reference!r}")
    components = (load_spec() if document is None else document)["components"]["schemas"]
    resolved: dict[str, Any] = components[reference.removeprefix(prefix)]
    return resolved


def version_values(operation_path: str = OPERATION_PATH, method: str = "get") -> tuple[str, ...]:
    """The values an operation's `Version` header may take (its schema's enum, in the spec's order)."""
    for parameter in _operation(operation_path, method).get("parameters", []):
        if parameter["in"] == "header" and parameter["name"] == "Version":
            return tuple(_resolve(parameter["schema"])["enum"])
    raise KeyError(f"{method.upper()} {operation_path} has no Version header parameter")


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def examples_document(document: dict[str, Any]) -> dict[str, Any]:
    """What the packaged mock needs from the spec, as JSON: for each operation (`"GET /path"`), the documented
    example of each response by status, the request body's example and the `Version` header's values, in the
    spec's order. `make generate` writes it into the package (`spec_examples.json`): no YAML at run time."""
    operations: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        for method in (name for name in item if name in _METHODS):
            operation = item[method]
            responses = {
                str(status): response["content"]["application/json"]["example"]
                for status, response in operation.get("responses", {}).items()
                if "example" in response.get("content", {}).get("application/json", {})
            }
            media = list(operation.get("requestBody", {}).get("content", {}).values())
            versions = [
                _resolve(parameter["schema"], document).get("enum", [])
                for parameter in operation.get("parameters", [])
                if parameter.get("in") == "header" and parameter.get("name") == "Version"
            ]
            operations[f"{method.upper()} {path}"] = {
                "responses": responses,
                "request": media[0].get("example") if len(media) == 1 else None,
                "versions": versions[0] if versions else [],
            }
    return {"operations": operations}
