"""Every read of the API answers exactly the keys its OpenAPI document declares (issue 11, item 5).

Over the world of the permission matrix (one of every object), as an administrator: each GET
operation of the document is called with the caller's own ward's ids, and every object in its
200 answer — nested ones and list items included — has all the required keys of its schema and
no key the schema does not declare. Many of these keys were never asserted by a test before.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from cqdt.config import openapi
from cqdt.config.tests.test_permission_matrix import PATH_KINDS, object_id
from cqdt.config.tests.world import NOW, build_world
from cqdt.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Required query parameters, and a few optional ones an operation needs to answer 200.
QUERY = {
    "from": "2024-01-01",
    "to": "2024-03-31",
    "act": "certify_copy",
    "received_at": "2024-03-04T09:00:00+07:00",
}
EXTRA = {"/api/v1/workdays/due": {"working_days": "5"}}
# Answered only with a secret handed to the citizen, or from geodata this world does not load
# (covered by the contexts' own tests).
ELSEWHERE = re.compile(r"^/api/v1/(public/(dossiers|feedback)/\{code\}|units/locate$)")


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _mismatches(doc: dict[str, Any], schema: dict[str, Any], value: Any, at: str) -> list[str]:
    schema = _resolve(doc, schema)
    if value is None:
        return []
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        typed = [_resolve(doc, o) for o in options if o.get("type") != "null"]
        objects = [o for o in typed if "properties" in o]
        if isinstance(value, dict) and len(objects) == 1:
            return _mismatches(doc, objects[0], value, at)
        if isinstance(value, list):
            arrays = [o for o in typed if o.get("type") == "array"]
            if len(arrays) == 1:
                return _mismatches(doc, arrays[0], value, at)
        return []
    problems: list[str] = []
    if isinstance(value, dict) and "properties" in schema:
        declared = set(schema["properties"])
        keys = set(value)
        if keys - declared:
            problems.append(f"{at}: undeclared {sorted(keys - declared)}")
        missing = set(schema.get("required", [])) - keys
        if missing:
            problems.append(f"{at}: missing {sorted(missing)}")
        for key in keys & declared:
            problems += _mismatches(doc, schema["properties"][key], value[key], f"{at}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value[:5]):
            problems += _mismatches(doc, schema["items"], item, f"{at}[{i}]")
    return problems


def _path_for(template: str, world: Any) -> str | None:
    path = template
    for name in re.findall(r"\{([^}]+)\}", template):
        kind = next(
            (k for pattern, p, k in PATH_KINDS if p == name and re.match(pattern, template)),
            "unit" if name == "code" else None,
        )
        if kind is None:
            return None
        path = path.replace("{" + name + "}", object_id(world, kind, "own"))
    return path


def test_every_read_answers_the_documented_keys(reference_data, django_user_model):
    doc = openapi.document()
    with time_machine.travel(NOW, tick=False):
        world = build_world(django_user_model)
        own = world.wards["A"]
        event = AuditEvent.objects.filter(object_type="dossiers.dossier").first()
        assert event is not None
        values = QUERY | {
            "unit": own.code,
            "official": own.ids["official"],
            "object_type": event.object_type,
            "object_id": event.object_id,
            "unit_code": own.code,
            "year": "2024",
        }
        client = Client(raise_request_exception=True)
        client.force_login(world.users["admin"])
        checked, problems, not_ok = [], [], []
        for template, methods in doc["paths"].items():
            operation = methods.get("get")
            if operation is None or ELSEWHERE.match(template):
                continue
            if "application/json" not in operation["responses"]["200"].get("content", {}):
                continue  # a file (the signed PDF), not JSON
            path = _path_for(template, world)
            assert path is not None, f"no id for {template}"
            required = [
                p["name"]
                for p in operation.get("parameters", [])
                if p["in"] == "query" and p.get("required")
            ]
            query = {name: values[name] for name in required} | EXTRA.get(template, {})
            cache.clear()
            response = client.get(path, query)
            if response.status_code != 200:
                not_ok.append((template, response.status_code, response.content[:200]))
                continue
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            problems += _mismatches(doc, schema, response.json(), template)
            checked.append(template)
    assert not not_ok, not_ok
    assert not problems, "\n".join(problems)
    assert len(checked) >= 35, checked


def test_the_comparison_itself_finds_undeclared_and_missing_keys_at_any_depth():
    """``_mismatches`` is what the read test trusts to find nothing; here it is shown to find
    something (found in review: nothing showed it could). A document of two schemas written by
    hand: an undeclared key and a missing required one, at the top, inside a ``$ref`` reached
    through ``anyOf`` with null, and in a list's items."""
    doc = {
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                    "required": ["code"],
                },
            }
        }
    }
    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "item": {"anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}]},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        },
        "required": ["id", "items"],
    }
    good = {"id": "1", "item": {"code": "a"}, "items": [{"code": "b", "name": "B"}]}
    assert _mismatches(doc, schema, good, "/x") == []
    assert _mismatches(doc, schema, good | {"item": None}, "/x") == []
    bad = {"item": {"code": "a", "extra": 1}, "items": [{"code": "b"}, {"name": "C"}], "more": 2}
    assert sorted(_mismatches(doc, schema, bad, "/x")) == [
        "/x.item: undeclared ['extra']",
        "/x.items[1]: missing ['code']",
        "/x: missing ['id']",
        "/x: undeclared ['more']",
    ]
