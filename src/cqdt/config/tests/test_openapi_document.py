"""The committed OpenAPI document is the code's (issue 11, item 5), and every operation answers
with a declared schema."""

from __future__ import annotations

import difflib
import json

from cqdt.config import openapi


def test_committed_openapi_document_is_the_codes():
    expected = openapi.render()
    committed = openapi.COMMITTED.read_text(encoding="utf-8") if openapi.COMMITTED.exists() else ""
    if committed != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    expected.splitlines(keepends=True),
                    "docs/openapi.json (committed)",
                    "docs/openapi.json (from the code)",
                    n=2,
                )
            )[:60]
        )
        raise AssertionError(
            "docs/openapi.json differs from the API's code. Regenerate and commit it:\n"
            f"    .venv/bin/{openapi.REGENERATE}\n    git add docs/openapi.json\n\n{diff}"
        )


def test_rendering_is_deterministic():
    first = openapi.render(openapi.document(fresh=True))
    assert first == openapi.render(openapi.document(fresh=True)) == openapi.render()
    assert json.loads(first) == json.loads(openapi.render(json.loads(first)))


def test_the_served_document_is_built_once_per_process(client, monkeypatch):
    """``/api/v1/openapi.json`` is public and the docs page asks for it on each visit: the
    document (about 0.2 s of CPU to build) is built once, then served as built."""
    from cqdt.config.api import api

    api._documents.clear()
    api._encoded.clear()
    builds = []
    build = api.build_openapi_schema
    monkeypatch.setattr(api, "build_openapi_schema", lambda p: builds.append(p) or build(p))
    answers = [client.get("/api/v1/openapi.json") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert builds == ["/api/v1/"]
    assert answers[0].json() == answers[2].json() == json.loads(openapi.render())


def test_the_served_json_is_encoded_once_and_is_what_ninja_would_serve(client, monkeypatch):
    """The document's bytes are kept too (encoding ~450 kB cost ~22 ms a request), and they are
    the very bytes of ninja's own view (``ninja.openapi.views.openapi_json``)."""
    from django.urls import resolve
    from ninja.openapi.views import openapi_json as ninja_view

    from cqdt.config.api import api

    # The override is in place: if django-ninja stops building its URLs in _get_urls, this fails.
    assert resolve("/api/v1/openapi.json").func == api.openapi_json
    api._encoded.clear()
    encodings = []
    dumps = json.dumps
    monkeypatch.setattr(json, "dumps", lambda *a, **k: encodings.append(1) or dumps(*a, **k))
    answers = [client.get("/api/v1/openapi.json") for _ in range(3)]
    monkeypatch.setattr(json, "dumps", dumps)
    assert len(encodings) == 1 and answers[0].content == answers[2].content
    assert answers[0]["Content-Type"] == "application/json"
    ours = answers[0].content
    theirs = ninja_view(answers[0].wsgi_request, api=api).content
    assert ours == theirs
    english = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en").content
    assert json.loads(english) == json.loads(_ninja_answer_in("en", api, ninja_view))


def _ninja_answer_in(language: str, api, view) -> bytes:
    from django.test import RequestFactory
    from django.utils import translation

    with translation.override(language):
        return view(RequestFactory().get("/api/v1/openapi.json"), api=api).content


def test_every_operation_declares_its_success_answer():
    untyped = []
    for path, methods in openapi.document()["paths"].items():
        for method, operation in methods.items():
            ok = [code for code in operation["responses"] if code.startswith("2")]
            schemas = [
                content.get("schema")
                for code in ok
                for content in operation["responses"][code].get("content", {}).values()
            ]
            if not ok or not schemas or not all(schemas):
                untyped.append(f"{method.upper()} {path}")
    assert not untyped, f"operations without a response schema: {untyped}"


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found += _subclasses(sub)
    return found


def test_no_two_schemas_share_a_component_name():
    """The document names a schema by its class name: two different classes of one name would
    be documented as one (the second silently replaced by the first)."""
    from ninja import Schema

    components = set(openapi.document()["components"]["schemas"])
    by_name: dict[str, dict[str, str]] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("cqdt.") and cls.__name__ in components:
            shape = json.dumps(cls.model_json_schema(), sort_keys=True)
            by_name.setdefault(cls.__name__, {})[f"{cls.__module__}.{cls.__qualname__}"] = shape
    clashes = {n: sorted(c) for n, c in by_name.items() if len(set(c.values())) > 1}
    assert not clashes, clashes


def test_the_served_document_has_no_duplicated_key(client, db):
    """JSON allows a key twice, Swagger UI's parser does not: an answer declared as ``"200"``
    beside ninja's own ``200`` was served as two "200" keys and left /api/v1/docs blank."""
    duplicated: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in items]
        duplicated.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(items)

    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    json.loads(served.content, object_pairs_hook=pairs)
    assert duplicated == []
