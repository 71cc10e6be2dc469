"""errors.py holds the exceptions only, each message built from its fields when it is constructed; redaction.py
and parsing.py hold the rest, and the imports point down (parsing -> errors, redaction; errors -> types)."""

from __future__ import annotations

import ast
import copy
import pickle
from pathlib import Path

import httpx
import pytest
from highlevel_contacts import (
    APIConnectionError,
    HighLevelError,
    LocationTokenError,
    MalformedResponseError,
    ResponseTooLargeError,
)
from highlevel_contacts.parsing import location_token_error, with_response

from tools.codegen import ROOT, RUNTIME

TOKEN = "pit-0123456789abcdef0123456789abcdef0123"


def _package_imports(name: str) -> set[str]:
    tree = ast.parse((ROOT / RUNTIME / name).read_text(encoding="utf-8"))
    return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0}


def test_errors_imports_nothing_of_the_package_but_types() -> None:
    assert _package_imports("errors.py") <= {"types"}


def test_redaction_imports_nothing_of_the_package() -> None:
    assert _package_imports("redaction.py") == set()


def test_parsing_sits_above_errors_and_redaction_only() -> None:
    assert _package_imports("parsing.py") <= {"errors", "redaction", "retry", "types"}


@pytest.mark.parametrize("source", sorted((ROOT / RUNTIME).glob("*.py")), ids=lambda path: Path(path).name)
def test_no_runtime_module_rewrites_an_exceptions_args(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    targets = [
        target
        for node in ast.walk(tree)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
    ]
    assert not [target for target in targets if isinstance(target, ast.Attribute) and target.attr == "args"]


def test_within_returns_a_new_error_and_leaves_the_original_as_it_was() -> None:
    original = MalformedResponseError("an array", {"id": 1})
    moved = original.within("[3]").within("events")
    assert (original.path, str(original)) == ("$", "malformed response: $ should be an array, got {'id': 1} (dict)")
    assert moved.path == "$.events[3]"
    assert str(moved) == moved.message == "malformed response: $.events[3] should be an array, got {'id': 1} (dict)"


def test_with_response_returns_a_new_error_with_the_answer_and_the_echoed_token_redacted() -> None:
    request = httpx.Request("GET", "https://x/contacts/c1", headers={"Authorization": f"Bearer {TOKEN}"})
    body = b'{"events": "%s", "traceId": "t-9"}' % TOKEN.encode()
    original = MalformedResponseError("an array", TOKEN).within("events")
    answered = with_response(original, httpx.Response(200, content=body, request=request))
    assert (original.status_code, original.body, original.value) == (None, b"", TOKEN)
    assert (answered.status_code, answered.trace_id, answered.path) == (200, "t-9", "$.events")
    assert TOKEN not in str(answered)
    assert TOKEN.encode() not in answered.body
    assert str(answered) == answered.message
    assert answered.message.startswith("malformed response (HTTP 200): $.events")


def test_a_too_large_error_stays_one_when_moved() -> None:
    error = ResponseTooLargeError(10, status_code=200, headers={"a": "b"})
    moved = error.within("events")
    assert type(moved) is ResponseTooLargeError
    assert (moved.limit, moved.status_code, moved.path, error.path) == (10, 200, "$.events", "$")
    limit = "a body of at most 10 bytes (max_response_bytes)"
    assert str(error) == f"malformed response (HTTP 200): $ should be {limit}, got 'a larger body' (str)"


def _errors() -> list[HighLevelError]:
    refused = httpx.Response(400, json={"message": "App not installed", "error": "invalid_grant", "traceId": "t-2"})
    return [
        MalformedResponseError("an object", [1, 2], "$.events[0]", status_code=200, body=b"[]", trace_id="t-1"),
        ResponseTooLargeError(10, status_code=200, headers={"a": "b"}),
        APIConnectionError("GET https://x/: ConnectError: refused", method="GET", url="https://x/"),
        location_token_error(refused, "loc-1"),
    ]


@pytest.mark.parametrize("error", _errors(), ids=lambda error: type(error).__name__)
def test_the_message_is_built_from_the_fields_and_survives_a_copy(error: HighLevelError) -> None:
    assert error.args == (str(error),)
    for clone in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error), copy.copy(error)):
        assert type(clone) is type(error)
        assert clone.args == error.args
        assert str(clone) == str(error)
        assert clone.__dict__ == error.__dict__


def test_a_location_token_errors_message_names_its_fields() -> None:
    (error,) = [error for error in _errors() if isinstance(error, LocationTokenError)]
    assert (error.status_code, error.error, error.trace_id, error.location_id) == (400, "invalid_grant", "t-2", "loc-1")
    assert str(error) == "HTTP 400 invalid_grant: no access token for location loc-1: App not installed (traceId t-2)"
