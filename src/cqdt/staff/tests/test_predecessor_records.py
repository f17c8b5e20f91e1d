"""A successor unit's officials read the records its predecessors closed (docs/decisions/0025).

Phường Phúc Xá (00001) went whole into Phường Hồng Hà (00097) on 1 July 2025 (Resolution
1656/NQ-UBTVQH15). Phúc Xá's open dossiers were moved to Hồng Hà at the handover; its closed
ones stayed under 00001, and Hồng Hà's officials got "not found" for them — a citizen asking
Hồng Hà's desk in 2026 for a copy of a 2023 result, or complaining about it, was turned away.
Now a commune-level post reads, and only reads, the records closed by the units that went into
its unit, whole or in part, through the succession links, from its unit's first day; each record
is named by its own unit of its day. Codes are reused: 00097 was Phường Tứ Liên's (which went
in part into Hồng Hà and in part into Phường Tây Hồ, 00103) and 00004 Phường Trúc Bạch's (whole
into Phường Ba Đình, 00004) — Tây Hồ reads Tứ Liên's closed records, never Hồng Hà's own under
the same code. Writes keep the scope they had: a 404 on a predecessor's record.

As an integrator and a browser call them: a bearer token, a session with CSRF enforced."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.core.tokens import token_issue
from cqdt.dossiers.models import Desk, Dossier
from cqdt.feedback import services as feedback_services
from cqdt.feedback.models import Report
from cqdt.staff import posts
from cqdt.staff.access import policy
from cqdt.testing import logged_in, reference, shared
from cqdt.units import selectors as unit_selectors

pytestmark = pytest.mark.django_db

PHUC_XA = "00001"  # whole into Hồng Hà on 1 July 2025
HONG_HA = "00097"  # Phường Hồng Hà from 1 July 2025; Phường Tứ Liên's code before
TAY_HO = "00103"  # Phường Tây Hồ from 1 July 2025: took a part of Tứ Liên
BA_DINH = "00004"  # Phường Ba Đình from 1 July 2025; Phường Trúc Bạch's code before
QUAN_THANH = "00013"  # whole into Ba Đình
KHUONG_MAI = "00352"  # Quận Thanh Xuân's: went into neither
DECEMBER_2026 = dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC)
LAST_PILOT_DAY = dt.datetime(2025, 6, 30, 3, tzinfo=dt.UTC)
FIRST_DAY = dt.datetime(2025, 7, 1, 3, tzinfo=dt.UTC)


def _at(day: dt.date, hour: int = 3) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def _closed(code: str, unit: str, day: dt.date) -> Dossier:
    """A dossier returned to its applicant on ``day`` at ``unit``'s desk."""
    return testing.returned_row(code, unit, day)


def _resolved(code: str, unit: str, day: dt.date) -> Report:
    return testing.resolved_report_row(code, unit, day)


def _records() -> dict:
    """On Hanoi's units to today, with the feedback categories: the closed and open dossiers and
    the resolved reports of Phúc Xá, Tứ Liên, Hồng Hà, Trúc Bạch, Quán Thánh and Khương Mai, and
    the chairmen (with logins) of Hồng Hà, Tây Hồ and Ba Đình from 1 July 2025."""
    feedback_services.categories_load()
    d2023 = dt.date(2023, 5, 10)
    rows = {
        "phuc_xa": _closed("T-00001-0001", PHUC_XA, d2023).code,
        # Left at Phúc Xá's desk open (an unresolved move): no successor's to read.
        "phuc_xa_open": testing.dossier_row(
            "T-00001-0002", PHUC_XA, status="processing", submitted_at=_at(dt.date(2025, 6, 20))
        ).code,
        "tu_lien": _closed("T-00097-0001", HONG_HA, d2023).code,
        "hong_ha": _closed("T-00097-0002", HONG_HA, dt.date(2026, 1, 15)).code,
        "truc_bach": _closed("T-00004-0001", BA_DINH, d2023).code,
        "quan_thanh": _closed("T-00013-0001", QUAN_THANH, d2023).code,
        "khuong_mai": _closed("T-00352-0001", KHUONG_MAI, d2023).code,
    }
    reports = {
        "phuc_xa": _resolved("PA-00001-1", PHUC_XA, d2023).code,
        "khuong_mai": _resolved("PA-00352-1", KHUONG_MAI, d2023).code,
    }
    people = {}
    for unit, name in ((HONG_HA, "hongha"), (TAY_HO, "tayho"), (BA_DINH, "badinh")):
        chairman = testing.elect_chairman(unit, term_start=dt.date(2025, 7, 1), code=f"{name}-ct")
        people[name] = testing.login_for(chairman.official, username=name)
    return {"dossiers": rows, "reports": reports, **people}


# The records and the chairmen built once for the module's tests (every one asks for them; none
# loads reference data itself or commits), each test on a copy in a savepoint
# (``cqdt.testing.shared``).
_module_records, records = shared.world(
    "records",
    _records,
    on=functools.partial(reference.units, history=True),
    fresh="history_reference_data",
)


@contextlib.contextmanager
def _in_2026(records, who: str) -> Iterator[Client]:
    """``who`` (a login of ``records``) through a bearer token on 7 December 2026."""
    with time_machine.travel(DECEMBER_2026, tick=False):
        yield testing.bearer_client(records[who])


def _queue_read(client: Client, params: dict[str, str | int]) -> tuple[int, int]:
    """The dossiers the queue lists for ``params``, and the statements its read took."""
    with CaptureQueriesContext(connection) as queries:
        n = len(testing.json_ok(client.get("/api/v1/dossiers", params))["items"])
    return n, len(queries)


def _codes(response) -> set[str]:
    return {d["code"] for d in testing.json_ok(response)["items"]}


def test_hong_ha_s_official_finds_phuc_xa_s_2023_dossier_by_its_code(records):
    rows = records["dossiers"]
    with _in_2026(records, "hongha") as client:
        found = testing.json_ok(client.get(f"/api/v1/dossiers/{rows['phuc_xa']}"))
        assert found["unit_code"] == PHUC_XA
        assert found["unit_name"] == "Phường Phúc Xá"  # its own unit of its day
        assert found["applicant"]["name"] != "Nguyễn Văn A"  # personal data stays masked
        returned = client.get("/api/v1/dossiers", {"unit": PHUC_XA, "status": "returned"})
        assert _codes(returned) == {rows["phuc_xa"]}
        # Its own, under the code Tứ Liên held before: named by the day it closed.
        own = testing.json_ok(client.get(f"/api/v1/dossiers/{rows['hong_ha']}"))
        assert own["unit_name"] == "Phường Hồng Hà"
        # Phúc Xá's dossier left open at its ended desk is no closed record: not found.
        assert client.get(f"/api/v1/dossiers/{rows['phuc_xa_open']}").status_code == 404


def test_another_ward_s_dossier_stays_missing(records):
    rows = records["dossiers"]
    with _in_2026(records, "hongha") as client:
        missing = client.get("/api/v1/dossiers/T-00000-0009")
        for other in ("khuong_mai", "quan_thanh", "truc_bach"):
            hidden = client.get(f"/api/v1/dossiers/{rows[other]}")
            assert hidden.status_code == missing.status_code == 404
            assert hidden.json() == missing.json()
        queue = client.get("/api/v1/dossiers", {"unit": KHUONG_MAI})
        nowhere = client.get("/api/v1/dossiers", {"unit": "99999"})
        assert queue.status_code == nowhere.status_code == 404
        assert queue.json() == nowhere.json()
        listed = _codes(client.get("/api/v1/dossiers", {"status": "returned"}))
        assert listed == {rows["phuc_xa"], rows["tu_lien"], rows["hong_ha"]}


def test_ba_dinh_reads_truc_bach_s_and_quan_thanh_s_under_their_names(records):
    rows = records["dossiers"]
    with _in_2026(records, "badinh") as client:
        shared = testing.json_ok(client.get(f"/api/v1/dossiers/{rows['truc_bach']}"))
        assert (shared["unit_code"], shared["unit_name"]) == (BA_DINH, "Phường Trúc Bạch")
        whole = testing.json_ok(client.get(f"/api/v1/dossiers/{rows['quan_thanh']}"))
        assert whole["unit_name"] == "Phường Quán Thánh"
        assert client.get(f"/api/v1/dossiers/{rows['phuc_xa']}").status_code == 404


def test_a_part_successor_reads_the_split_unit_s_records_never_the_code_s_new_holder_s(records):
    rows = records["dossiers"]
    with _in_2026(records, "tayho") as client:
        old = testing.json_ok(client.get(f"/api/v1/dossiers/{rows['tu_lien']}"))
        assert (old["unit_code"], old["unit_name"]) == (HONG_HA, "Phường Tứ Liên")
        # 00097 is Hồng Hà's since 1 July 2025: its own 2026 result is not Tây Hồ's.
        assert client.get(f"/api/v1/dossiers/{rows['hong_ha']}").status_code == 404
        listed = _codes(client.get("/api/v1/dossiers", {"unit": HONG_HA, "status": "returned"}))
        assert listed == {rows["tu_lien"]}


def test_a_write_on_a_predecessor_s_record_is_refused_and_changes_nothing(records):
    code = records["dossiers"]["phuc_xa"]
    before = Dossier.objects.get(code=code)
    with _in_2026(records, "hongha") as client:
        refused = client.post(
            f"/api/v1/dossiers/{code}/actions/cancel",
            {"version": before.version, "reason": "Thử"},
            content_type="application/json",
        )
        assert refused.status_code == 404
        session = logged_in(records["hongha"])
        page = session.get(f"/staff/dossiers/{code}/")
        assert page.status_code == 200
        assert 'id="dossier-unit">Phường Phúc Xá<' in page.content.decode()
        assert "action-form" not in page.content.decode()  # no move offered
        queue = session.get("/staff/dossiers/", {"unit": PHUC_XA, "status": "returned"})
        assert queue.status_code == 200 and f">{code}</a>" in queue.content.decode()
        other = session.get("/staff/dossiers/", {"unit": KHUONG_MAI, "status": "returned"})
        assert other.status_code == 404
        posted = session.post(
            f"/staff/dossiers/{code}/",
            {
                "action": "cancel",
                "version": before.version,
                "reason": "Thử",
                "confirm": "yes",
                "csrfmiddlewaretoken": page.context["csrf_token"],
            },
        )
        assert posted.status_code == 404
    after = Dossier.objects.get(code=code)
    assert (after.status, after.version, after.updated_at) == (
        before.status,
        before.version,
        before.updated_at,
    )


def test_feedback_registers_answer_for_the_predecessor_s_closed_reports(records):
    reports = records["reports"]
    with _in_2026(records, "hongha") as client:
        found = testing.json_ok(client.get(f"/api/v1/feedback/{reports['phuc_xa']}"))
        assert found["unit"] == {"code": PHUC_XA, "name": "Phường Phúc Xá"}
        assert found["reporter_data"] == "masked"
        listed = client.get("/api/v1/feedback", {"unit": PHUC_XA, "status": "resolved"})
        assert _codes(listed) == {reports["phuc_xa"]}
        hidden = client.get(f"/api/v1/feedback/{reports['khuong_mai']}")
        assert hidden.status_code == 404
        before = Report.objects.get(code=reports["phuc_xa"])
        refused = client.post(
            f"/api/v1/feedback/{reports['phuc_xa']}/actions/resolve",
            {"version": before.version, "resolution": "Thử"},
            content_type="application/json",
        )
        assert refused.status_code == 404
        session = logged_in(records["hongha"])
        assert session.get(f"/staff/feedback/{reports['phuc_xa']}/").status_code == 200
        inbox = session.get("/staff/feedback/", {"unit": PHUC_XA, "status": "resolved"})
        assert reports["phuc_xa"] in inbox.content.decode()
        assert session.get(f"/staff/feedback/{reports['khuong_mai']}/").status_code == 404
    after = Report.objects.get(code=reports["phuc_xa"])
    assert (after.status, after.version) == (before.status, before.version)


def test_a_token_limited_to_the_ward_follows_the_same_rule(records):
    rows = records["dossiers"]
    with time_machine.travel(DECEMBER_2026, tick=False):
        _, own = token_issue(
            actor=Actor.system("test"), user=records["hongha"], scope_unit_code=HONG_HA
        )
        _, other = token_issue(
            actor=Actor.system("test"), user=records["hongha"], scope_unit_code=BA_DINH
        )
        limited = Client(HTTP_AUTHORIZATION=f"Bearer {own}")
        found = testing.json_ok(limited.get(f"/api/v1/dossiers/{rows['phuc_xa']}"))
        assert found["unit_name"] == "Phường Phúc Xá"
        elsewhere = Client(HTTP_AUTHORIZATION=f"Bearer {other}")
        assert elsewhere.get(f"/api/v1/dossiers/{rows['phuc_xa']}").status_code == 404
        assert elsewhere.get(f"/api/v1/dossiers/{rows['hong_ha']}").status_code == 404


def _pilot_vice(ward: str, district: str, prefix: str, by=None):
    """A pilot ward's vice-chairman until 30 June 2025, appointed by the district's chairman
    (Decree 32/2021/NĐ-CP)."""
    person = testing.official(f"{prefix}-pct", district)
    by = by or testing.district_chairman(district, code=f"{prefix}-q")
    testing.appoint(
        person, ward, posts.VICE_CHAIRMAN, by=by, by_unit=district, term_end=dt.date(2025, 7, 1)
    )
    return person


def test_from_the_successor_s_first_day_and_not_before(records):
    code = records["dossiers"]["phuc_xa"]
    # On 30 June 2025 Hồng Hà had no officials (a token is refused, 401), and no predecessor.
    assert policy.read_scope(records["hongha"], LAST_PILOT_DAY.date()).predecessors == ()
    tu_lien = testing.login_for(_pilot_vice(HONG_HA, "003", "tl"), username="tulien")
    with time_machine.travel(LAST_PILOT_DAY, tick=False):
        client = testing.bearer_client(tu_lien)  # Tứ Liên's chairman, in post that day
        assert client.get(f"/api/v1/dossiers/{code}").status_code == 404
        assert policy.read_scope(tu_lien).predecessors == ()
    with time_machine.travel(FIRST_DAY, tick=False):
        client = testing.bearer_client(records["hongha"])
        assert testing.json_ok(client.get(f"/api/v1/dossiers/{code}"))["unit_code"] == PHUC_XA


def test_pilot_dates_and_district_posts_read_as_before(records):
    """On a pilot day no unit has a predecessor (Hanoi's arrangement of 1 January 2025 records
    no link), and a district post's reading scope is its visible units, nothing more."""
    chairman = testing.district_chairman("001")
    district = testing.login_for(chairman, username="q_ba_dinh")
    ward = testing.login_for(_pilot_vice(PHUC_XA, "001", "px", chairman), username="phucxa")
    for user, day in ((district, dt.date(2024, 10, 1)), (ward, dt.date(2023, 6, 1))):
        scope = policy.read_scope(user, day)
        assert scope.predecessors == ()
        assert scope.units == policy.visible_unit_codes(user, day)
    monitor = testing.login_for(testing.city_monitor("H-SNV"), username="monitor")
    scope = policy.read_scope(monitor, DECEMBER_2026.date())
    assert scope.predecessors == ()
    with time_machine.travel(dt.datetime(2024, 10, 1, 3, tzinfo=dt.UTC), tick=False):
        client = testing.bearer_client(district)
        listed = _codes(client.get("/api/v1/dossiers", {"status": "returned"}))
        rows = records["dossiers"]
        assert listed == {rows["phuc_xa"], rows["truc_bach"], rows["quan_thanh"]}


def test_the_queue_reads_in_as_many_statements_however_many_records(records):
    with _in_2026(records, "hongha") as client:
        params = {"unit": PHUC_XA, "status": "returned"}

        # The first request after a write to reference rows (a procedure) reads them afresh.
        _queue_read(client, params)
        one, few = _queue_read(client, params)
        for n in range(2, 6):
            _closed(f"T-00001-01{n:02d}", PHUC_XA, dt.date(2024, 3, n))
        _queue_read(client, params)
        five, many = _queue_read(client, params)
        assert (one, five) == (1, 5)
        assert few == many


def test_hong_ha_s_predecessors_are_the_twelve_units_the_resolution_names(records):
    """Resolution 19/NQ-HĐND of Hanoi's council, Art. 1, cl. 14, as the shipped links carry it
    (units/data/README.md): Phúc Tân, Chương Dương and Phúc Xá whole, nine wards in part.
    Tứ Liên is one of them: its code is Hồng Hà's now, read over Hồng Hà's holding of it, and
    Tứ Liên's closed records under it as any predecessor's (W5)."""
    found = unit_selectors.predecessors_through({HONG_HA}, DECEMBER_2026.date())
    shares = {p.code: p.share for p in found}
    assert sorted(c for c, s in shares.items() if s == "whole") == [PHUC_XA, "00037", "00067"]
    assert len(shares) == 12 and shares[HONG_HA] == "part"
    assert {p.valid_to for p in found} == {dt.date(2025, 7, 1)}
    scope = policy.read_scope(records["hongha"], DECEMBER_2026.date())
    assert {p.code for p in scope.predecessors} == set(shares)
    assert set(scope.held) == {HONG_HA}
    assert scope.held[HONG_HA].valid_from == dt.date(2025, 7, 1)
    assert unit_selectors.predecessors_through({HONG_HA}, dt.date(2025, 6, 30)) == ()


# --- A ward's own code over its holding of it (reviewer W5, W4) --------------------------------


@pytest.fixture
def reused(records):
    """Records left under the reused codes 00097 and 00004 by their earlier holders, and the
    new holders' own, with a Hồng Hà official to assign."""
    hong_ha = records["hongha"].official
    june = _at(dt.date(2025, 6, 20))
    rows = {
        # Tứ Liên's, left open at 00097 on 30 June 2025 and never moved; assigned and overdue,
        # so that the worklist would list it if the rule did not hold.
        "tu_lien_open": testing.dossier_row(
            "T-00097-0010",
            HONG_HA,
            status="processing",
            submitted_at=june,
            valid_receipt_at=june,
            due_at=_at(dt.date(2025, 6, 27)),
            assigned_to=hong_ha,
        ),
        "truc_bach_open": testing.dossier_row(
            "T-00004-0010", BA_DINH, status="processing", submitted_at=june, valid_receipt_at=june
        ),
        # Received by Tứ Liên in May 2025 and moved to Tây Hồ on 1 July 2025.
        "to_tay_ho": testing.dossier_row(
            "T-00097-0011",
            HONG_HA,
            status="processing",
            submitted_at=_at(dt.date(2025, 5, 5)),
            valid_receipt_at=_at(dt.date(2025, 5, 5)),
        ),
        # Received by Tứ Liên and returned before it ended: a predecessor's closed record.
        "tu_lien_2025": _closed("T-00097-0012", HONG_HA, dt.date(2025, 3, 20)),
        # Phúc Xá's, moved to Hồng Hà (00097) on 1 July 2025: Hồng Hà's own from that day.
        "moved_in": testing.dossier_row(
            "T-00001-0010",
            PHUC_XA,
            status="processing",
            submitted_at=june,
            valid_receipt_at=june,
            due_at=_at(dt.date(2025, 6, 27)),
            assigned_to=hong_ha,
        ),
        # Hồng Hà's own, received in 2026 and overdue.
        "own": testing.dossier_row(
            "T-00097-0013",
            HONG_HA,
            status="processing",
            submitted_at=_at(dt.date(2026, 11, 2)),
            valid_receipt_at=_at(dt.date(2026, 11, 2)),
            due_at=_at(dt.date(2026, 11, 20)),
            assigned_to=hong_ha,
        ),
    }
    testing.arranged(rows["to_tay_ho"], HONG_HA, TAY_HO, dt.date(2025, 7, 1))
    testing.arranged(rows["moved_in"], PHUC_XA, HONG_HA, dt.date(2025, 7, 1))
    return {k: v.code for k, v in rows.items()} | {
        "tu_lien": records["dossiers"]["tu_lien"],
        "truc_bach": records["dossiers"]["truc_bach"],
    }


def _detail(client: Client, code: str):
    return client.get(f"/api/v1/dossiers/{code}")


def _cancel(client: Client, code: str):
    version = Dossier.objects.get(code=code).version
    return client.post(
        f"/api/v1/dossiers/{code}/actions/cancel",
        {"version": version, "reason": "Thử"},
        content_type="application/json",
    )


def test_the_code_s_earlier_holder_s_closed_record_is_a_predecessor_s(records, reused):
    """Hồng Hà (00097's holder since 1 July 2025) and Tây Hồ (00103), the two part-successors
    of Tứ Liên, get the same answer for Tứ Liên's 2023 result: read, masked, no write."""
    answers = {}
    for who in ("hongha", "tayho"):
        with _in_2026(records, who) as client:
            found = testing.json_ok(_detail(client, reused["tu_lien"]))
            assert found["unit_name"] == "Phường Tứ Liên"
            assert found["applicant"]["name"] != "Nguyễn Văn A"  # masked
            answers[who] = found
            assert _cancel(client, reused["tu_lien"]).status_code == 404
    assert answers["hongha"] == answers["tayho"]
    assert policy.can(records["hongha"], "view_personal_data", HONG_HA, DECEMBER_2026.date())
    with time_machine.travel(DECEMBER_2026, tick=False):
        session = logged_in(records["hongha"])
        page = session.get(f"/staff/dossiers/{reused['tu_lien']}/")
        assert page.status_code == 200
        assert "Nguyễn Văn A" not in page.content.decode()
        assert "action-form" not in page.content.decode()
        # Said read only, with no link to its printed forms (which answer 404: reviewer W13).
        assert 'id="read-only-record"' in page.content.decode()
        assert f"/staff/dossiers/{reused['tu_lien']}/form/" not in page.content.decode()
        assert session.get(f"/staff/dossiers/{reused['tu_lien']}/form/01/").status_code == 404
        # The queue's unit filter offers 00097 under its holder's name, not as Tứ Liên's.
        Desk.objects.create(unit_code=HONG_HA, agency_identifier="H26.TEST.97", heading="UBND")
        queue = session.get("/staff/dossiers/").content.decode()
        assert f'<option value="{HONG_HA}">Phường Hồng Hà</option>' in queue
        assert "Phường Tứ Liên (đến" not in queue
        assert f'<option value="{PHUC_XA}">Phường Phúc Xá (đến 30/06/2025)</option>' in queue
        own_page = session.get(f"/staff/dossiers/{reused['own']}/").content.decode()
        assert 'id="read-only-record"' not in own_page
        posted = session.post(
            f"/staff/dossiers/{reused['tu_lien']}/",
            {
                "action": "cancel",
                "version": 1,
                "reason": "Thử",
                "confirm": "yes",
                "csrfmiddlewaretoken": page.context["csrf_token"],
            },
        )
        assert posted.status_code == 404
        # Its own record under the same code: unmasked, as before.
        own = testing.json_ok(
            testing.bearer_client(records["hongha"]).get(f"/api/v1/dossiers/{reused['own']}")
        )
        assert own["applicant"]["name"] == "Nguyễn Văn A"


def test_an_item_left_open_at_the_code_is_not_the_new_holder_s(records, reused):
    code = reused["tu_lien_open"]
    before = Dossier.objects.get(code=code)
    for who in ("hongha", "tayho"):
        with _in_2026(records, who) as client:
            assert _detail(client, code).status_code == 404
            assert _cancel(client, code).status_code == 404
            listed = _codes(client.get("/api/v1/dossiers", {"unit": HONG_HA, "limit": 500}))
            assert code not in listed
    with _in_2026(records, "hongha") as client:
        listed = _codes(client.get("/api/v1/dossiers", {"unit": HONG_HA, "limit": 500}))
        assert {reused["own"], reused["tu_lien"], reused["tu_lien_2025"]} <= listed
        assert reused["to_tay_ho"] not in listed
        # Moved to 00097 on its first day: Hồng Hà's own, to act on, unmasked.
        moved = testing.json_ok(_detail(client, reused["moved_in"]))
        assert moved["applicant"]["name"] == "Nguyễn Văn A"
    with time_machine.travel(DECEMBER_2026, tick=False):
        session = logged_in(records["hongha"])
        for work in ("mine", "overdue"):
            page = session.get("/staff/dossiers/", {"work": work})
            assert page.status_code == 200
            body = page.content.decode()
            assert f">{reused['own']}</a>" in body and f">{reused['moved_in']}</a>" in body
            assert code not in body
        home = session.get("/staff/")
        assert home.status_code == 200 and code not in home.content.decode()
        assert reused["own"] in home.content.decode()
    after = Dossier.objects.get(code=code)
    assert (after.status, after.version) == (before.status, before.version)


def test_ba_dinh_and_truc_bach_alike(records, reused):
    with _in_2026(records, "badinh") as client:
        found = testing.json_ok(_detail(client, reused["truc_bach"]))
        assert found["unit_name"] == "Phường Trúc Bạch"
        assert found["applicant"]["name"] != "Nguyễn Văn A"
        assert _cancel(client, reused["truc_bach"]).status_code == 404
        assert _detail(client, reused["truc_bach_open"]).status_code == 404
        assert _cancel(client, reused["truc_bach_open"]).status_code == 404


def test_the_log_of_a_reused_code_shows_what_its_reader_may_read(records, reused):
    """Mẫu 06 of 00097 for 2025, asked by Hồng Hà's chairman (reviewer W4)."""
    Desk.objects.create(unit_code=HONG_HA, agency_identifier="H26.TEST.97", heading="UBND")
    with time_machine.travel(DECEMBER_2026, tick=False):
        session = logged_in(records["hongha"])
        params = {"unit": HONG_HA, "from": "2025-01-01", "to": "2025-12-31"}
        page = session.get("/staff/dossiers/log/", params)
        assert page.status_code == 200
        body = page.content.decode()
        assert reused["to_tay_ho"] not in body  # now Tây Hồ's
        assert reused["tu_lien_open"] not in body  # left open by Tứ Liên
        assert reused["tu_lien_2025"] in body  # Tứ Liên's closed: read only, masked
        assert "Nguyễn Văn A" not in body
        assert "2 hồ sơ ngoài phạm vi được xem không hiển thị" in body
        numbers = _log_numbers(body)
        sheet = session.get("/staff/dossiers/log/", params | {"format": "xlsx"})
        assert sheet.status_code == 200
    # The city's monitor sees its province through time: every row, as before; a row keeps
    # its number (TT) whoever reads the book (reviewer W12).
    monitor = testing.login_for(testing.city_monitor("H-SNV"), username="monitor")
    with time_machine.travel(DECEMBER_2026, tick=False):
        session = logged_in(monitor)
        body = session.get("/staff/dossiers/log/", params).content.decode()
        assert reused["to_tay_ho"] in body and reused["tu_lien_open"] in body
        assert "không hiển thị" not in body
        everything = _log_numbers(body)
        assert len(everything) == len(numbers) + 2
        assert numbers.items() <= everything.items()


def _log_numbers(body: str) -> dict[str, int]:
    """Each dossier code of a Mẫu 06 page with its number (TT, the row's first cell)."""
    import re

    return {code: int(n) for n, code in re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td>", body)}


def test_on_the_pilot_s_days_the_code_is_read_as_before(records, reused):
    tu_lien = testing.login_for(_pilot_vice(HONG_HA, "003", "tl"), username="tulien")
    assert policy.read_scope(tu_lien, LAST_PILOT_DAY.date()).held == {}
    with time_machine.travel(LAST_PILOT_DAY, tick=False):
        client = testing.bearer_client(tu_lien)
        found = testing.json_ok(_detail(client, reused["tu_lien_open"]))
        assert found["applicant"]["name"] == "Nguyễn Văn A"
        listed = _codes(client.get("/api/v1/dossiers", {"unit": HONG_HA, "limit": 500}))
        assert {reused["tu_lien_open"], reused["tu_lien"], reused["tu_lien_2025"]} <= listed


def test_the_reused_code_s_queue_reads_in_as_many_statements(records, reused):
    with _in_2026(records, "hongha") as client:
        params = {"unit": HONG_HA, "limit": 500}

        _queue_read(client, params)
        n1, few = _queue_read(client, params)
        for n in range(2, 6):
            _closed(f"T-00097-01{n:02d}", HONG_HA, dt.date(2024, 3, n))  # Tứ Liên's
            _closed(f"T-00097-02{n:02d}", HONG_HA, dt.date(2026, 3, n))  # Hồng Hà's
        _queue_read(client, params)
        n2, many = _queue_read(client, params)
        assert n2 == n1 + 8
        assert few == many


def test_reports_and_documents_under_a_reused_code_follow_the_holding(records, reused):
    """A report Tứ Liên left open under 00097, one it resolved, and a document it issued there:
    Hồng Hà answers as Tây Hồ does — the open report missing, the resolved one read only and
    masked, the document missing; Hồng Hà's own report and document as before."""
    from cqdt.documents.models import Document
    from cqdt.documents.services import register_first_day

    june = dt.date(2025, 6, 20)
    left_open = testing.report_row(
        "PA-00097-1",
        HONG_HA,
        status="acknowledged",
        submitted_at=_at(june),
        ack_due_at=_at(june + dt.timedelta(days=1)),
        resolve_due_at=_at(june + dt.timedelta(days=10)),
        acknowledged_at=_at(june),
    ).code
    resolved = _resolved("PA-00097-2", HONG_HA, dt.date(2024, 4, 2)).code
    own = _resolved("PA-00097-3", HONG_HA, dt.date(2026, 4, 2)).code

    def document(number: int, day: dt.date) -> str:
        return str(
            Document.objects.create(
                unit_code=HONG_HA,
                year=day.year,
                register_from=register_first_day(HONG_HA, day),
                kind="confirmation",
                number=number,
                symbol="GXN-UBND",
                issued_at=_at(day),
                issued_on=day,
                place="Hà Nội",
                title="Xác nhận",
                body="Xác nhận.",
            ).public_id
        )

    old_doc, own_doc = document(1, dt.date(2024, 4, 2)), document(2, dt.date(2026, 4, 2))
    late_2025, early_2025 = document(3, dt.date(2025, 8, 1)), document(4, dt.date(2025, 5, 1))
    for who in ("hongha", "tayho"):
        with _in_2026(records, who) as client:
            assert client.get(f"/api/v1/feedback/{left_open}").status_code == 404
            found = testing.json_ok(client.get(f"/api/v1/feedback/{resolved}"))
            assert found["reporter_data"] == "masked"
            assert found["unit"] == {"code": HONG_HA, "name": "Phường Tứ Liên"}
            listed = _codes(client.get("/api/v1/feedback", {"unit": HONG_HA, "limit": 100}))
            assert left_open not in listed
            assert client.get(f"/api/v1/documents/{old_doc}").status_code == 404
            refused = client.post(
                f"/api/v1/feedback/{left_open}/actions/resolve",
                {"version": 1, "resolution": "Thử"},
                content_type="application/json",
            )
            assert refused.status_code == 404
    with _in_2026(records, "hongha") as client:
        mine = testing.json_ok(client.get(f"/api/v1/feedback/{own}"))
        assert mine["reporter_data"] != "masked"
        assert client.get(f"/api/v1/documents/{own_doc}").status_code == 200
        # The outgoing register of 00097 is Hồng Hà's from its first day (reviewer W11): a
        # year wholly before it is the earlier holder's book, missing.
        refused = client.get("/api/v1/documents/register", {"unit": HONG_HA, "year": 2024})
        assert refused.status_code == 404
        for year, count in ((2025, 1), (2026, 1)):
            book = testing.json_ok(
                client.get("/api/v1/documents/register", {"unit": HONG_HA, "year": year})
            )
            assert len(book["rows"]) == count, (year, book["rows"])
        assert client.get(f"/api/v1/documents/{late_2025}").status_code == 200
        assert client.get(f"/api/v1/documents/{early_2025}").status_code == 404
        listed = _codes(client.get("/api/v1/feedback", {"unit": HONG_HA, "status": "resolved"}))
        assert {own, resolved} <= listed
    assert Report.objects.get(code=left_open).status == "acknowledged"


def test_the_log_reads_in_as_many_statements_however_many_rows(records, reused):
    Desk.objects.create(unit_code=HONG_HA, agency_identifier="H26.TEST.97", heading="UBND")
    params = {"unit": HONG_HA, "from": "2025-01-01", "to": "2025-12-31"}
    with time_machine.travel(DECEMBER_2026, tick=False):
        session = logged_in(records["hongha"])

        def counted() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert session.get("/staff/dossiers/log/", params).status_code == 200
            return len(queries)

        counted()
        few = counted()
        for n in range(2, 6):
            _closed(f"T-00097-03{n:02d}", HONG_HA, dt.date(2025, 3, n))  # Tứ Liên's
            _closed(f"T-00097-04{n:02d}", HONG_HA, dt.date(2025, 9, n))  # Hồng Hà's
        counted()
        assert counted() == few


def test_a_report_forwarded_to_the_held_code_today_is_the_holder_s(records, reused):
    """Reviewer W17: a report first sent in June 2025 and forwarded as not competent to Phường
    Hồng Hà (00097) in December 2026 came to Hồng Hà then — its inbox lists it, its chairman
    reads it in full and acknowledges it; it was missing to everyone, its clocks running."""
    from cqdt.core.audit import Actor
    from cqdt.feedback.services import report_forward

    june = dt.date(2025, 6, 20)
    sent = testing.report_row(
        "PA-00103-7",
        TAY_HO,
        status="acknowledged",
        submitted_at=_at(june),
        ack_due_at=_at(june + dt.timedelta(days=1)),
        resolve_due_at=_at(june + dt.timedelta(days=10)),
        acknowledged_at=_at(june),
    )
    with time_machine.travel(DECEMBER_2026, tick=False):
        report_forward(
            actor=Actor.of(records["tayho"]),
            official=records["tayho"].official,
            code=sent.code,
            version=sent.version,
            to_unit_code=HONG_HA,
            reason="Thuộc địa bàn phường Hồng Hà.",
        )
    with _in_2026(records, "hongha") as client:
        found = testing.json_ok(client.get(f"/api/v1/feedback/{sent.code}"))
        assert found["reporter_data"] != "masked"
        assert sent.code in _codes(client.get("/api/v1/feedback", {"unit": HONG_HA}))
        version = Report.objects.get(code=sent.code).version
        acknowledged = client.post(
            f"/api/v1/feedback/{sent.code}/actions/acknowledge",
            {"version": version},
            content_type="application/json",
        )
        assert acknowledged.status_code == 200, acknowledged.content
    with _in_2026(records, "tayho") as client:
        assert client.get(f"/api/v1/feedback/{sent.code}").status_code == 404


def test_the_citizen_is_sent_only_to_a_desk_that_serves_the_dossier(records, reused):
    """Reviewer W16: the lookup's "Nơi trả kết quả" names the desk of the unit holding the code
    today only for a dossier that came to that unit — received by it, or moved to it by the
    arrangement. Phúc Xá's dossier left at its ended desk, and Tứ Liên's left open at 00097 (now
    Hồng Hà's code), name no office rather than one that does not exist or cannot serve it."""
    from django.utils import translation

    from cqdt.dossiers.selectors import return_desk

    desk = "Trung tâm Phục vụ hành chính công phường Hồng Hà"
    with time_machine.travel(DECEMBER_2026, tick=False), translation.override("vi"):
        answers = {
            key: return_desk(Dossier.objects.get(code=code))
            for key, code in (
                ("phuc_xa_open", records["dossiers"]["phuc_xa_open"]),
                ("tu_lien_open", reused["tu_lien_open"]),
                ("moved_in", reused["moved_in"]),
                ("own", reused["own"]),
            )
        }
    assert answers == {"phuc_xa_open": "", "tu_lien_open": "", "moved_in": desk, "own": desk}
