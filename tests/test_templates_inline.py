"""The custom templates give any endpoint generated later the same behaviour, not just this one.

In the style of openapi-python-client's functional tests: generate a client from a small inline spec (a
required field, a nested object, a list of objects, a second tag, a POST), import it, and exercise it over
127.0.0.1.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
import yaml

from tests.scripted_server import Reply, ScriptedServer
from tools import codegen


def _json_response(schema: str) -> dict[str, Any]:
    return {
        "description": schema,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


THING_ID = {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}
INLINE_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Inline", "version": "1"},
    "paths": {
        "/things/{thingId}": {
            "get": {
                "operationId": "get-thing",
                "tags": ["Things"],
                "parameters": [THING_ID],
                "responses": {"200": _json_response("Thing"), "404": _json_response("Problem")},
            },
            "post": {
                "operationId": "touch-thing",
                "tags": ["Things"],
                "parameters": [THING_ID],
                "responses": {"201": _json_response("Thing")},
            },
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "when": {"type": "string", "format": "date-time"},
                    "child": {"$ref": "#/components/schemas/Child"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Child"}},
                },
            },
            "Child": {"type": "object", "properties": {"size": {"type": "integer"}}},
            "Problem": {"type": "object", "properties": {"message": {"type": "string"}}},
        }
    },
}


@pytest.fixture(scope="module")
def inline_client() -> Iterator[ModuleType]:
    with codegen.generated_package(yaml.safe_dump(INLINE_SPEC), "inline_client") as package:
        yield package


def _endpoint(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.api.things.{name}")


def _call(package: ModuleType, replies: list[Reply], name: str = "get_thing") -> tuple[Any, ScriptedServer]:
    with ScriptedServer(replies) as server:
        client = package.Client(base_url=server.base_url, retry=package.RetryPolicy(initial_backoff=0.01))
        with client:
            return _endpoint(package, name).sync("t1", client=client), server


def test_nested_models_parse(inline_client: ModuleType) -> None:
    body = {"name": "n", "when": "2026-01-27T10:30:00.000Z", "child": {"size": 2}, "children": [{"size": 3}]}
    thing, _ = _call(inline_client, [Reply.json(200, body)])
    assert thing.name == "n"
    assert thing.when.year == 2026
    assert thing.child.size == 2
    assert [child.size for child in thing.children] == [3]
    assert thing.to_dict() == {**body, "when": "2026-01-27T10:30:00+00:00"}


@pytest.mark.parametrize(
    ("body", "path"),
    [({}, "$.name"), ({"name": "n", "child": 5}, "$.child"), ({"name": "n", "children": [{}, []]}, "$.children[1]")],
)
def test_structural_errors_name_their_path(inline_client: ModuleType, body: dict[str, Any], path: str) -> None:
    with pytest.raises(inline_client.MalformedResponseError) as caught:
        _call(inline_client, [Reply.json(200, body)])
    assert caught.value.path == path


def test_errors_and_retries_apply(inline_client: ModuleType) -> None:
    with pytest.raises(inline_client.UnexpectedStatus) as caught:
        _call(inline_client, [Reply.json(503, {}), Reply.json(404, {"message": "no such thing"})])
    assert caught.value.status_code == 404
    assert caught.value.message == "no such thing"


def test_post_is_not_retried(inline_client: ModuleType) -> None:
    with pytest.raises(inline_client.ServerError):
        _call(inline_client, [Reply.json(503, {}), Reply.json(201, {"name": "n"})], name="touch_thing")
