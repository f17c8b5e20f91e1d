"""The permission matrix, generated from the OpenAPI document (issue 10, item 3).

Every operation that takes an id (in its path, or an id-like query parameter) × every role ×
an object of the caller's own ward, of another ward of the same district, of another district,
and a missing id. Whatever the caller may not see must answer exactly as a missing id does —
same status, byte-identical body — and a write to it must change nothing. No operation with an
id is left out: an operation whose ids the test does not know how to fill fails the test.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from cqdt.config.api import api
from cqdt.config.tests.world import NOW, World, build_world
from cqdt.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Which object kind each path parameter names, by the path it appears in.
PATH_KINDS: list[tuple[str, str, str]] = [
    (r"^/api/v1/units/\{code\}/staff$", "code", "unit"),
    (r"^/api/v1/units/\{code\}/staffing$", "code", "district"),
    (r"^/api/v1/officials/\{official_id\}$", "official_id", "official"),
    (r"^/api/v1/officials/\{official_id\}/account/invitation$", "official_id", "official"),
    (r"^/api/v1/units/\{code\}/accounts/import$", "code", "unit"),
    (r"^/api/v1/appointments/\{appointment_id\}/end$", "appointment_id", "appointment"),
    (r"^/api/v1/delegations/\{delegation_id\}/revoke$", "delegation_id", "delegation"),
    (r"^/api/v1/field-assignments/\{assignment_id\}/revoke$", "assignment_id", "assignment"),
    (r"^/api/v1/dossiers/\{code\}", "code", "dossier"),
    (r"^/api/v1/dossiers/\{code\}/attachments/\{public_id\}$", "public_id", "attachment"),
    (r"^/api/v1/documents/\{document_id\}", "document_id", "document"),
    (r"^/api/v1/oversight/councils/\{council_id\}", "council_id", "council"),
    (r"^/api/v1/oversight/deputies/\{deputy_id\}$", "deputy_id", "deputy"),
    (r"^/api/v1/oversight/meetings/\{meeting_id\}$", "meeting_id", "meeting"),
    (r"^/api/v1/oversight/petitions/\{petition_id\}", "petition_id", "petition"),
    (r"^/api/v1/oversight/questions/\{question_id\}", "question_id", "question"),
    (r"^/api/v1/oversight/commitments/\{commitment_id\}", "commitment_id", "commitment"),
    (r"^/api/v1/oversight/conferences/\{conference_id\}", "conference_id", "conference"),
    (r"^/api/v1/oversight/wards/\{code\}/report$", "code", "unit"),
    (r"^/api/v1/monitoring/units/\{code\}", "code", "unit"),
    (r"^/api/v1/monitoring/recommendations/\{rec", "recommendation_id", "recommendation"),
    (r"^/api/v1/monitoring/plan/tasks/\{task_id\}", "task_id", "plan_task"),
    (r"^/api/v1/feedback/\{code\}", "code", "report"),
    (r"^/api/v1/budget/estimates/\{estimate_id\}", "estimate_id", "estimate"),
    (r"^/api/v1/budget/lines/\{line_id\}", "line_id", "line"),
    (r"^/api/v1/api-keys/\{key_id\}/", "key_id", "api_key"),
]
# Public operations: an id with its secret is the whole of the access right; not a scope matter.
PUBLIC_WITH_SECRET = re.compile(r"^/api/v1/public/")
# Units are public reference data: their codes are no secret.
PUBLIC_REFERENCE = {"/api/v1/units/{code}"}
# Id-like query parameters of operations without a path id: (path, parameter, kind).
QUERY_KINDS: list[tuple[str, str, str]] = [
    ("/api/v1/authority/check", "official", "official"),
    ("/api/v1/authority/check", "unit", "unit"),
    ("/api/v1/delegations", "unit", "unit"),
    ("/api/v1/dossiers", "unit", "unit"),
    ("/api/v1/documents/register", "unit", "unit"),
    ("/api/v1/feedback", "unit", "unit"),
    ("/api/v1/oversight/meetings", "ward", "unit"),
    ("/api/v1/oversight/meetings", "council", "council"),
    ("/api/v1/oversight/petitions", "ward", "unit"),
    ("/api/v1/oversight/conferences", "ward", "unit"),
    ("/api/v1/oversight/receptions", "ward", "unit"),
    ("/api/v1/oversight/councils/{council_id}/questions", "ward", "unit"),
    ("/api/v1/budget/structure", "unit_code", "unit"),
    ("/api/v1/budget/estimates", "unit_code", "unit"),
    ("/api/v1/budget/report", "unit_code", "unit"),
    ("/api/v1/budget/report", "district_code", "district"),
    ("/api/v1/monitoring/evaluation", "unit", "unit"),
]
# Ids carried in a write's body: (path, field, kind). The rest of the body is filled so that
# the request reaches the check of that id (``body_for``).
BODY_KINDS: list[tuple[str, str, str]] = [
    ("/api/v1/appointments", "official", "official"),
    ("/api/v1/appointments", "unit_code", "unit"),
    ("/api/v1/delegations", "delegate", "official"),
    ("/api/v1/delegations", "unit_code", "unit"),
    ("/api/v1/field-assignments", "assignee", "official"),
    ("/api/v1/field-assignments", "unit_code", "unit"),
    ("/api/v1/oversight/meetings", "ward_code", "unit"),
    ("/api/v1/oversight/petitions", "meeting", "meeting"),
    ("/api/v1/oversight/questions", "addressed_to", "official"),
    ("/api/v1/oversight/questions", "ward_code", "unit"),
    ("/api/v1/oversight/conferences", "ward_code", "unit"),
    ("/api/v1/oversight/receptions", "ward_code", "unit"),
    ("/api/v1/dossiers/{code}/actions/assign", "assignee", "official"),
    ("/api/v1/feedback/{code}/actions/assign", "assignee", "official"),
    ("/api/v1/budget/estimates", "unit_code", "unit"),
    ("/api/v1/monitoring/devolutions", "unit_code", "unit"),
    ("/api/v1/monitoring/recommendations", "unit_code", "unit"),
    ("/api/v1/monitoring/plan/tasks", "owner_unit_code", "unit"),
]
MISSING = {
    "unit": "09999",
    "district": "099",
    "dossier": "H26.99.99999-240304-0001",
    "report": "PA-240304-0001",
    "api_key": "987654321",
}
ROLES = (
    "ward_desk",
    "ward_justice",
    "ward_chair",
    "district_chair",
    "council_deputy",
    "city_monitor",
    "admin",
)
# What each role may see: "ward" = ward A only; "district" = Ba Đình and its wards; "all".
SCOPE = {
    "ward_desk": "ward",
    "ward_justice": "ward",
    "ward_chair": "ward",
    "district_chair": "district",
    "council_deputy": "district",
    "city_monitor": "all",
    "admin": "all",
}
TARGETS = ("own", "other_ward", "other_district")


# Kinds that belong to the district, not to one ward: ward B's is ward A's.
DISTRICT_KINDS = {"council", "deputy", "district"}


def visible(role: str, target: str, kind: str) -> bool:
    scope = SCOPE[role]
    if target == "other_ward" and kind in DISTRICT_KINDS:
        return True
    return scope == "all" or target == "own" or (scope == "district" and target == "other_ward")


@dataclass(frozen=True)
class Case:
    method: str
    template: str
    kind: str
    param: str
    where: str  # "path" or "query"


def cases() -> Iterator[Case]:
    schema = api.get_openapi_schema()
    unknown = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if PUBLIC_WITH_SECRET.match(path) or path in PUBLIC_REFERENCE:
                continue
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            for name in names:
                kind = next(
                    (k for pattern, p, k in PATH_KINDS if p == name and re.match(pattern, path)),
                    None,
                )
                if kind is None:
                    unknown.append((method, path, name))
                    continue
                yield Case(method.upper(), path, kind, name, "path")
            if method == "get":
                for q_path, q_name, kind in QUERY_KINDS:
                    if q_path == path:
                        yield Case("GET", path, kind, q_name, "query")
            if method == "post":
                for b_path, b_name, kind in BODY_KINDS:
                    if b_path == path:
                        yield Case("POST", path, kind, b_name, "body")
    assert not unknown, f"operations with ids the matrix cannot fill: {unknown}"


def object_id(world: World, kind: str, target: str | None) -> str:
    if target is None:
        return MISSING.get(kind, str(uuid.uuid4()))
    ward = world.wards[{"own": "A", "other_ward": "B", "other_district": "C"}[target]]
    if kind == "district":
        return ward.district
    return ward.ids[kind]


def _budget_body(path: str, unit_code: str) -> dict | None:
    """Well-formed bodies of the budget writes (so that the scope check is what answers)."""
    act = {"decision_number": "9/QĐ-UBND", "decision_date": "2024-03-01"}
    if path == "/api/v1/budget/estimates":
        line = {"chapter_code": "805", "item_code": "6001", "amount": 1}
        return {"unit_code": unit_code, "year": 2024, "lines": [line]}
    if path.endswith("/submit"):
        return {"version": 1}
    if path.endswith("/approve"):
        return {"version": 1, **act}
    if path.endswith("/adjust"):
        return {"delta": 1, "effective_on": "2024-03-02", **act}
    if path.endswith("/spendings"):
        return {"kind": "payment", "amount": 1, "occurred_on": "2024-03-01"}
    return None


def body_for(world: World, case: Case, target: str | None) -> dict:
    """A well-formed body, so that the request reaches the scope check."""
    key = {"own": "A", "other_ward": "B", "other_district": "C"}.get(target or "", "A")
    if case.where == "body":
        key = "A"  # the rest of the body names the caller's own ward; only the field varies
    ward = world.wards[key]
    objects = ward.objects
    path = case.template
    own = world.wards["A"]
    decision = {"decision_number": "9/QĐ", "decision_date": "2024-03-01"}
    instrument = {"instrument_number": "9/QĐ-UQ", "instrument_date": "2024-03-01"}
    council = world.districts[own.district]
    budget = _budget_body(path, own.code)
    if budget is not None:
        return budget
    if path == "/api/v1/appointments":
        return {
            "official": own.ids["official"],
            "unit_code": own.code,
            "post": "vice_chairman",
            "term_start": "2024-03-05",
            **decision,
        }
    if path == "/api/v1/delegations":
        return {
            "delegate": own.ids["official"],
            "unit_code": own.code,
            "scope": ["certify_copy"],
            "valid_from": "2024-03-05",
            "valid_to": "2024-06-30",
            **instrument,
        }
    if path == "/api/v1/field-assignments":
        return {
            "assignee": own.ids["official"],
            "unit_code": own.code,
            "fields": ["land"],
            "valid_from": "2024-03-05",
            **instrument,
        }
    if path == "/api/v1/oversight/meetings":
        return {
            "council": str(council["council"].public_id),
            "ward_code": own.code,
            "held_at": "2024-03-01T19:00:00+07:00",
            "location": "Nhà văn hóa",
            "deputies": [str(council["seat"].public_id)],
        }
    if path == "/api/v1/oversight/petitions":
        return {"meeting": own.ids["meeting"], "content": "Kiến nghị", "routed_level": "ward"}
    if path == "/api/v1/oversight/questions":
        return {
            "council": str(council["council"].public_id),
            "session_date": "2024-03-01",
            "ward_code": own.code,
            "addressed_to": str(own.team["chair"].public_id),
            "question": "Câu hỏi",
        }
    if path == "/api/v1/oversight/conferences":
        return {
            "ward_code": own.code,
            "scheduled_at": "2024-03-20T08:00:00+07:00",
            "topic": "Đối thoại",
            "announcement_channels": ["website"],
            "announced_at": "2024-03-04T08:00:00+07:00",
        }
    if path == "/api/v1/oversight/receptions":
        return {"ward_code": own.code, "date": "2024-03-01", "citizens_received": 1, "matters": 1}
    if path == "/api/v1/monitoring/devolutions":
        return {
            "procedure_slug": "x",
            "kind": "authorisation",
            "unit_code": own.code,
            "instrument": "9/QĐ-UBND",
            "instrument_date": "2024-03-01",
            "valid_from": "2024-03-01",
        }
    if path == "/api/v1/monitoring/recommendations":
        return {
            "rule": "other",
            "unit_code": own.code,
            "raised_on": "2024-03-01",
            "shortcoming": "Bất cập",
            "proposal": "Đề xuất",
        }
    if path.endswith("/answer") and "/monitoring/" in path:
        return {"version": 1, "status": "declined", "adjustment": "Không điều chỉnh"}
    if path == "/api/v1/monitoring/plan/tasks":
        return {"task": "Nhiệm vụ", "owner_unit_code": own.code, "deadline": "2024-06-30"}
    if path.endswith("/progress") and "/plan/" in path:
        return {"version": 1, "status": "open"}
    if path.endswith("/accounts/import"):
        return {"csv": "civil_service_code,full_name,email\n"}
    if path.endswith("/end"):
        return {"ended_on": "2024-03-05", "reason": "transfer", "decision_number": "9/QĐ"}
    if path.endswith("/revoke"):
        return {"revoked_on": "2024-03-05", "revocation_number": "9/QĐ-THU", "reason": "x"}
    if "/dossiers/" in path and "/actions/" in path:
        return {
            "version": objects["dossier"].version,
            "reason": "Thiếu giấy tờ",
            "assignee": ward.ids["official"],
            "new_due_at": "2024-03-20T16:00:00+07:00",
        }
    if path.endswith("/petitions/{petition_id}/answer"):
        return {"version": objects["petition"].version, "answer": "Đã sửa"}
    if path.endswith("/follow-up"):
        return {"version": objects["petition"].version, "note": "Theo dõi", "close": False}
    if path.endswith("/questions/{question_id}/answer"):
        return {"answer": "Trả lời"}
    if path.endswith("/commitments"):
        return {"text": "Cam kết", "due_date": "2024-06-30"}
    if path.endswith("/progress"):
        return {"version": objects["commitment"].version, "progress_note": "Tiến độ"}
    if path.endswith("/hold"):
        return {
            "version": objects["conference"].version,
            "attendees": 10,
            "minutes": "Biên bản",
            "held_at": "2024-03-14T08:00:00+07:00",
        }
    if path.endswith("/cancel"):
        return {"version": objects["conference"].version, "reason": "Hoãn"}
    if "/feedback/" in path and "/actions/" in path:
        return {
            "version": 1,
            "assignee": ward.ids["official"],
            "resolution": "Đã xử lý",
            "to_unit": ward.district,
            "reason": "Thuộc thẩm quyền quận",
        }
    return {}


def describe(case: Case) -> tuple[str, str, str]:
    return (case.method, case.template, f"{case.where}:{case.param}")


def send(
    client: Client, world: World, case: Case, target: str | None, params: dict
) -> tuple[int, bytes]:
    """The case's request with ``target``'s id, or a missing one for ``None``."""
    value, body = object_id(world, case.kind, target), body_for(world, case, target)
    path = case.template
    query = dict(params)
    if case.where == "path":
        path = path.replace("{" + case.param + "}", value)
    elif case.where == "body":
        body = {**body, case.param: value}
        params = {**params, "__code": own_path_id(case)}
    else:
        query[case.param] = value
    for name in re.findall(r"\{([^}]+)\}", path):  # other path ids of the operation: own ward's
        path = path.replace("{" + name + "}", params[f"__{name}"])
    query = {k: v for k, v in query.items() if not k.startswith("__")}
    if case.method == "GET":
        response = client.get(path, query)
    else:
        response = client.post(path + ("?" if query else ""), body, content_type="application/json")
    return response.status_code, response.content


_OWN_PATH_IDS: dict[str, str] = {}


def own_path_id(case: Case) -> str:
    """For a body case on an operation with a path id: the caller's own ward's object."""
    return _OWN_PATH_IDS.get(case.template, "")


def base_params(world: World, case: Case) -> dict:
    own = world.wards["A"]
    params = {
        "__council_id": own.ids["council"],
        "__public_id": own.ids["attachment"],
        "__code": own.ids["dossier"],  # the dossier of a file (…/attachments/{public_id})
        "from": "2024-01-01",
        "to": "2024-03-31",
        "act": "certify_copy",
        "unit": own.code,
        "official": own.ids["official"],
    }
    if case.template.startswith("/api/v1/budget/"):
        return {k: v for k, v in params.items() if k.startswith("__")} | {"year": "2024"}
    if case.template == "/api/v1/authority/check":
        return {k: v for k, v in params.items() if k in ("act", "unit", "official")}
    if case.template.startswith(("/api/v1/monitoring/", "/api/v1/oversight/wards/")):
        return {k: v for k, v in params.items() if k.startswith("__") or k in ("from", "to")}
    return {k: v for k, v in params.items() if k.startswith("__")}


def _with_attachments(world: World) -> None:
    """A file on each ward's dossier (the files' API checks the dossier's scope, then the id)."""
    from django.core.files.base import ContentFile

    from cqdt.dossiers.models import Attachment

    for ward in world.wards.values():
        row = Attachment(
            dossier=ward.objects["dossier"],
            document_code="to_khai",
            original_name="to-khai.pdf",
            content_type="application/pdf",
            size=5,
            sha256="0" * 64,
            scan="skipped",
            stage="intake",
        )
        row.file.save("to-khai.pdf", ContentFile(b"%PDF-"), save=False)
        row.save()
        ward.ids["attachment"] = str(row.public_id)


def test_out_of_scope_answers_exactly_as_missing_and_changes_nothing(
    reference_data, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with time_machine.travel(NOW, tick=False):
        world = build_world(django_user_model)
        _with_attachments(world)
        own = world.wards["A"]
        _OWN_PATH_IDS.update(
            {
                "/api/v1/dossiers/{code}/actions/assign": own.ids["dossier"],
                "/api/v1/feedback/{code}/actions/assign": own.ids["report"],
            }
        )
        all_cases = list(cases())
        assert len(all_cases) >= 50, len(all_cases)
        failures: list[tuple] = []
        requests = 0
        for role in ROLES:
            client = Client(raise_request_exception=False)
            client.force_login(world.users[role])
            for case in all_cases:
                cache.clear()  # rate limits are not what this test is about
                params = base_params(world, case)
                missing = send(client, world, case, None, params)
                requests += 1
                # A missing id in a path or query is a 404; in a body it may be a 422 (a bad
                # value of a field) — what matters is that out of scope answers the same.
                if missing[0] != 404 and case.where != "body":
                    failures.append(
                        (role, *describe(case), "missing", missing[0], missing[1][:120])
                    )
                for target in TARGETS:
                    if visible(role, target, case.kind):
                        continue
                    before = AuditEvent.objects.count()
                    answer = send(client, world, case, target, params)
                    requests += 1
                    if answer != missing:
                        failures.append(
                            (
                                role,
                                *describe(case),
                                target,
                                answer[0],
                                answer[1][:120],
                                missing[1][:120],
                            )
                        )
                    if AuditEvent.objects.count() != before:
                        failures.append((role, *describe(case), target, "wrote an audit event"))
        print(
            f"permission matrix: {len(all_cases)} cases × {len(ROLES)} roles, {requests} requests"
        )
        assert not failures, "\n".join(map(str, failures))
