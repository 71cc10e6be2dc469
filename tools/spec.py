"""Read the OpenAPI document: the single source of truth for the operation and its example payloads."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi" / "highlevel-contacts.yaml"
OPERATION_PATH = "/contacts/{contactId}/appointments"


@cache
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The parsed document (cached: callers must not mutate it)."""
    with path.open(encoding="utf-8") as file:
        document: dict[str, Any] = yaml.safe_load(file)
    return document


def response_examples(path: Path = SPEC_PATH) -> dict[int, Any]:
    """The documented example body of each response of the operation, by status code."""
    responses = load_spec(path)["paths"][OPERATION_PATH]["get"]["responses"]
    return {int(status): response["content"]["application/json"]["example"] for status, response in responses.items()}
