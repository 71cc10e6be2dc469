"""The custom templates give any endpoint generated later the same behaviour, not just this one.

In the style of openapi-python-client's functional tests: generate a client from a small inline spec (a
required field, a nested object, a list of objects, a oneOf of two objects, `format: date` and `uuid`, an enum,
typed additionalProperties, arrays of arrays of objects and of objects holding arrays, a second tag, a POST,
a Version header typed by the spec's own ApiVersion), import it, and exercise it over 127.0.0.1.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from uuid import UUID

import pytest
import yaml

from tests.scripted_server import Reply, ScriptedServer
from tools import codegen


def _json_response(schema: str) -> dict[str, Any]:
    return {
        "description": schema,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _ref(schema: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{schema}"}


THING_ID = {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}
# The runtime's client types `version=` with the spec's ApiVersion; this spec lists versions of its own.
VERSION = {"name": "Version", "in": "header", "required": True, "schema": {"$ref": "#/components/schemas/ApiVersion"}}
INLINE_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Inline", "version": "1"},
    "paths": {
        "/things/{thingId}": {
            "get": {
                "operationId": "get-thing",
                "tags": ["Things"],
                "parameters": [THING_ID, VERSION],
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
                    "child": _ref("Child"),
                    "children": {"type": "array", "items": _ref("Child")},
                    "pet": {"oneOf": [_ref("Cat"), _ref("Dog")]},
                    "born": {"type": "string", "format": "date"},
                    "uid": {"type": "string", "format": "uuid"},
                    "color": {"type": "string", "enum": ["red", "green"]},
                    "labels": {"type": "object", "additionalProperties": _ref("Child")},
                    "grid": {"type": "array", "items": {"type": "array", "items": _ref("Child")}},
                    "families": {"type": "array", "items": _ref("Family")},
                },
            },
            "Child": {"type": "object", "properties": {"size": {"type": "integer"}}},
            # oneOf members without a discriminator: each has a required key the other lacks.
            "Cat": {"type": "object", "required": ["meows"], "properties": {"meows": {"type": "boolean"}}},
            "Dog": {"type": "object", "required": ["barks"], "properties": {"barks": {"type": "integer"}}},
            "Family": {"type": "object", "properties": {"kids": {"type": "array", "items": _ref("Child")}}},
            "Problem": {"type": "object", "properties": {"message": {"type": "string"}}},
            "ApiVersion": {"type": "string", "enum": ["2024-01-01", "beta"], "default": "2024-01-01"},
        }
    },
}


@pytest.fixture(scope="module")
def inline_client() -> Iterator[ModuleType]:
    with codegen.generated_package(yaml.safe_dump(INLINE_SPEC), "inline_client") as package:
        yield package


def _models(package: ModuleType) -> Any:
    return importlib.import_module(f"{package.__name__}.models")


def _endpoint(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.api.things.{name}")


def _call(package: ModuleType, replies: list[Reply], name: str = "get_thing") -> tuple[Any, ScriptedServer]:
    with ScriptedServer(replies) as server:
        client = package.Client(base_url=server.base_url, retry=package.RetryPolicy(initial_backoff=0.01))
        with client:
            return _endpoint(package, name).sync("t1", client=client), server


def test_nested_models_parse(inline_client: ModuleType) -> None:
    models = _models(inline_client)
    body = {
        "name": "n",
        "when": "2026-01-27T10:30:00.000Z",
        "child": {"size": 2},
        "children": [{"size": 3}],
        "pet": {"barks": 4},
        "born": "2024-02-29",
        "uid": "12345678-1234-5678-1234-567812345678",
        "color": "green",
        "labels": {"a": {"size": 5}, "b": {"size": 6, "extra": True}},
        "grid": [[{"size": 7}, {"size": 8}], []],
        "families": [{"kids": [{"size": 9}]}, {}],
        "unknown": [1, {"x": None}],
    }
    thing, _ = _call(inline_client, [Reply.json(200, body)])
    assert type(thing) is models.Thing
    assert thing.name == "n"
    assert thing.when == datetime.datetime(2026, 1, 27, 10, 30, tzinfo=datetime.UTC)
    assert type(thing.child) is models.Child
    assert thing.child.size == 2
    assert [type(child) for child in thing.children] == [models.Child]
    assert [child.size for child in thing.children] == [3]
    assert type(thing.pet) is models.Dog
    assert thing.pet.barks == 4
    assert type(thing.born) is datetime.date
    assert thing.born == datetime.date(2024, 2, 29)
    assert isinstance(thing.uid, UUID)
    assert thing.uid == UUID("12345678-1234-5678-1234-567812345678")
    assert thing.color == "green"
    assert type(thing.labels) is models.ThingLabels
    assert {key: type(value) for key, value in thing.labels.additional_properties.items()} == {
        "a": models.Child,
        "b": models.Child,
    }
    assert (thing.labels["a"].size, thing.labels["b"].size) == (5, 6)
    assert thing.labels["b"].additional_properties == {"extra": True}
    assert [[type(child) for child in row] for row in thing.grid] == [[models.Child, models.Child], []]
    assert [[child.size for child in row] for row in thing.grid] == [[7, 8], []]
    assert [type(family) for family in thing.families] == [models.Family, models.Family]
    assert [type(kid) for kid in thing.families[0].kids] == [models.Child]
    assert thing.families[0].kids[0].size == 9
    assert thing.families[1].kids is inline_client.types.UNSET
    assert thing.additional_properties == {"unknown": [1, {"x": None}]}
    assert thing.to_dict() == {**body, "when": "2026-01-27T10:30:00+00:00"}
    assert models.Thing.from_dict(thing.to_dict()) == thing


@pytest.mark.parametrize(
    ("pet", "member", "fields"),
    [({"meows": False}, "Cat", {"meows": False}), ({"barks": 2, "meows": "?"}, "Cat", {"meows": "?"}),
     ({"barks": 2}, "Dog", {"barks": 2}), ({"barks": None, "tail": 1}, "Dog", {"barks": None})],
)  # fmt: skip
def test_one_of_picks_the_member_that_fits(
    inline_client: ModuleType, pet: dict[str, Any], member: str, fields: dict[str, Any]
) -> None:
    """oneOf members are tried in spec order; a member that does not fit (its MalformedResponseError) falls
    through to the next. Scalars of an unexpected type are kept, as everywhere."""
    thing, _ = _call(inline_client, [Reply.json(200, {"name": "n", "pet": pet})])
    assert type(thing.pet) is getattr(_models(inline_client), member)
    assert {name: getattr(thing.pet, name) for name in fields} == fields
    assert thing.to_dict() == {"name": "n", "pet": pet}


def test_enum_values_the_spec_does_not_list_are_kept(inline_client: ModuleType) -> None:
    thing, _ = _call(inline_client, [Reply.json(200, {"name": "n", "color": "blue"})])
    assert thing.color == "blue"
    assert thing.to_dict() == {"name": "n", "color": "blue"}


@pytest.mark.parametrize(
    ("fields", "path", "expected"),
    [
        ({"name": "n", "child": 5}, "$.child", "an object"),
        ({"name": "n", "child": None}, "$.child", "an object"),
        ({"name": "n", "children": [{}, []]}, "$.children[1]", "an object"),
        ({"name": "n", "children": {}}, "$.children", "an array"),
        ({"name": "n", "pet": 5}, "$.pet", "an object"),
        ({"name": "n", "pet": {"purrs": True}}, "$.pet.barks", "present (a required property)"),
        ({"name": "n", "born": "yesterday"}, "$.born", "a date (ISO 8601)"),
        ({"name": "n", "born": 20240229}, "$.born", "a date (ISO 8601)"),
        ({"name": "n", "uid": "not-a-uuid"}, "$.uid", "a UUID"),
        ({"name": "n", "uid": 7}, "$.uid", "a UUID"),
        ({"name": "n", "when": "soon"}, "$.when", "a date-time (ISO 8601)"),
        ({"name": "n", "labels": {"a": {}, "b": 3}}, "$.labels.b", "an object"),
        ({"name": "n", "labels": []}, "$.labels", "an object"),
        ({"name": "n", "grid": [[{}], [{}, 1]]}, "$.grid[1][1]", "an object"),
        ({"name": "n", "grid": [[], {}]}, "$.grid[1]", "an array"),
        ({"name": "n", "families": [{"kids": [{}]}, {"kids": [{}, "k"]}]}, "$.families[1].kids[1]", "an object"),
        ({"name": "n", "families": [{"kids": {}}]}, "$.families[0].kids", "an array"),
    ],
)
def test_structural_errors_name_their_path(
    inline_client: ModuleType, fields: dict[str, Any], path: str, expected: str
) -> None:
    with pytest.raises(inline_client.MalformedResponseError) as caught:
        _call(inline_client, [Reply.json(200, fields)])
    assert (caught.value.path, caught.value.expected) == (path, expected)


def test_a_missing_required_property_names_it(inline_client: ModuleType) -> None:
    with pytest.raises(inline_client.MalformedResponseError) as caught:
        _call(inline_client, [Reply.json(200, {"child": {}})])
    assert (caught.value.path, caught.value.expected) == ("$.name", "present (a required property)")


def test_errors_and_retries_apply(inline_client: ModuleType) -> None:
    with pytest.raises(inline_client.UnexpectedStatus) as caught:
        _call(inline_client, [Reply.json(503, {}), Reply.json(404, {"message": "no such thing"})])
    assert caught.value.status_code == 404
    assert caught.value.message == "no such thing"


def test_post_is_not_retried(inline_client: ModuleType) -> None:
    with pytest.raises(inline_client.ServerError):
        _call(inline_client, [Reply.json(503, {}), Reply.json(201, {"name": "n"})], name="touch_thing")


def test_the_version_header_comes_from_the_call_else_the_client_else_the_spec_default(
    inline_client: ModuleType,
) -> None:
    get_thing, touch_thing = _endpoint(inline_client, "get_thing"), _endpoint(inline_client, "touch_thing")
    body = {"name": "n"}
    with ScriptedServer([Reply.json(200, body)] * 3 + [Reply.json(201, body)]) as server:
        with inline_client.Client(base_url=server.base_url) as default_client:
            get_thing.sync("t1", client=default_client)
        with inline_client.Client(base_url=server.base_url, version="beta") as beta_client:
            get_thing.sync("t1", client=beta_client)
            get_thing.sync("t1", client=beta_client, version="2024-01-01")
            touch_thing.sync("t1", client=beta_client)  # an operation without a Version parameter sends none
    assert [request.headers.get_list("Version") for request in server.requests] == [
        ["2024-01-01"],
        ["beta"],
        ["2024-01-01"],
        [],
    ]
    assert inline_client.models.api_version.API_VERSION_DEFAULT == "2024-01-01"


def test_a_version_the_spec_does_not_list_is_refused_before_sending(inline_client: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"version='v3' is not an API version the spec lists \('2024-01-01', 'beta'\)"):
        inline_client.Client(base_url="https://example.com", version="v3")
    with (
        ScriptedServer([Reply.json(200, {"name": "n"})]) as server,
        inline_client.Client(base_url=server.base_url) as client,
    ):
        with pytest.raises(ValueError, match="version='2021-07-28' is not an API version the spec lists"):
            _endpoint(inline_client, "get_thing").sync("t1", client=client, version="2021-07-28")
    assert server.requests == []


def test_generation_fails_naming_the_schema_the_runtime_needs() -> None:
    spec = {**INLINE_SPEC, "components": {"schemas": dict(INLINE_SPEC["components"]["schemas"])}}
    del spec["components"]["schemas"]["ApiVersion"]
    spec["paths"] = {"/things/{thingId}": {"post": INLINE_SPEC["paths"]["/things/{thingId}"]["post"]}}
    with (
        pytest.raises(
            codegen.GenerationError,
            match=r"runtime/(cli|client)\.py imports models/api_version\.py, which the "
            r"spec does not define: add the schema components\.schemas\.ApiVersion to it",
        ),
        codegen.generated_package(yaml.safe_dump(spec), "inline_without_versions"),
    ):
        pass
