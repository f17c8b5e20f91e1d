"""The city's view of its units after the pilot (docs/decisions/0024, "Not built yet" item 2):
asked for a period from 1 July 2025, Hà Nội (01) answers its communes and wards of that day as
rows — no district: they were abolished (Law 72/2025/QH15) — each with its own figures from the
dossiers of its own days, computed by the single unit's code; "no data" where nothing is
recorded, never 0; the pilot's answer of the city unchanged; the query count flat in the number
of units."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt import testing
from cqdt.monitoring import rollups
from cqdt.monitoring.tests.test_todays_units import _returned, overload
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, EndReason
from cqdt.staff.services import appointment_end
from cqdt.testing import reference, shared
from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
CITY = "01"
HONG_HA = "00097"
BA_DINH = "00004"
D = dt.date
H1_2026 = ("2026-01-01", "2026-06-30")


def _build_recorded() -> bool:
    """Hồng Hà's March 2026: three dossiers returned early; Ba Đình's: one late; Tứ Liên's (00097's
    pilot ward) March 2025: one late; folded into the rollups on TODAY (the module's world when
    shared)."""
    reference.units(history=True)
    for n in (1, 2, 3):
        _returned(HONG_HA, f"H26.97-260302-000{n}", D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 4))
    _returned(BA_DINH, "H26.04-260302-0001", D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 9))
    _returned(HONG_HA, "H26.97-250303-0001", D(2025, 3, 3), D(2025, 3, 6), D(2025, 3, 10))
    rollups.refresh(now=TODAY)
    return True


# Built once for the module's tests, each test in a savepoint (``cqdt.testing.shared``), so the
# units one test adds are gone for the next.
_module_recorded, recorded = shared.world("recorded", _build_recorded)


@pytest.fixture
def monitor(django_user_model):
    with time_machine.travel(TODAY, tick=False):
        return testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "sonoivu")


def _ask(client, user, period, code=CITY):
    with time_machine.travel(TODAY, tick=False):
        client.force_login(user)
        return client.get(f"/api/v1/monitoring/units/{code}", {"from": period[0], "to": period[1]})


def _page(client, user, path):
    """``user``'s staff page at /staff/monitoring/``path`` on TODAY: its HTML (it must be 200)."""
    with time_machine.travel(TODAY, tick=False):
        client.force_login(user)
        page = client.get(f"/staff/monitoring/{path}")
    assert page.status_code == 200, path
    return page.content.decode()


def _rows(body):
    return {c["unit"]["code"]: c for c in body["children"]}


def test_the_city_in_2026_answers_its_units_each_with_its_own_figures(client, recorded, monitor):
    answer = _ask(client, monitor, H1_2026)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["unit"]["code"] == CITY
    assert body["unit"]["level"] == "city"
    assert (body["from"], body["to"]) == H1_2026  # the period asked, not the pilot's last year
    rows = _rows(body)
    # No district and no pilot ward: the units of 2026, by their levels.
    assert {c["unit"]["level"] for c in body["children"]} <= {"ward", "commune", "township"}
    assert "001" not in rows
    assert rows[HONG_HA]["unit"]["name"] == "Phường Hồng Hà"
    assert rows[BA_DINH]["unit"]["name"] == "Phường Ba Đình"
    hong_ha, ba_dinh = rows[HONG_HA]["figures"], rows[BA_DINH]["figures"]
    assert (hong_ha["received"], hong_ha["early"], hong_ha["late"]) == (3, 3, 0)
    assert (ba_dinh["received"], ba_dinh["late"], ba_dinh["late_share"]) == (1, 1, 1.0)
    # The same figures as each unit's own answer (the same code).
    own = _ask(client, monitor, H1_2026, HONG_HA).json()["figures"]
    assert hong_ha == own
    # The pilot-model indicators not applicable, never 0.
    gone = {x["indicator"] for x in body["not_applicable"]}
    assert {"delegated_share", "norm_average_max"} <= gone
    assert hong_ha["delegated_share"] is None
    assert body["figures"]["received"] == 4  # the city: its units' sum
    assert body["figures"]["petitions_received"] is None  # its own committee's: not read
    assert "xã, phường" in body["rows_note"]["vi"]


def test_a_unit_with_nothing_recorded_is_no_data_not_zero(client, recorded, monitor):
    rows = _rows(_ask(client, monitor, H1_2026).json())
    quiet = [c for code, c in rows.items() if code not in (HONG_HA, BA_DINH)]
    assert quiet
    for row in quiet:
        for figure in ("received", "resolved", "on_time_share", "overdue_now"):
            assert row["figures"][figure] is None, (row["unit"]["code"], figure)


def test_the_pilot_answer_of_the_city_is_unchanged(client, recorded, monitor):
    body = _ask(client, monitor, ("2025-01-01", "2025-06-30")).json()
    assert (body["from"], body["to"]) == ("2025-01-01", "2025-06-30")
    assert {c["unit"]["level"] for c in body["children"]} == {"district"}
    assert body["not_applicable"] == []
    assert body["figures"]["received"] == 1  # Tứ Liên's, none of 2026's
    assert body["later_part"] is None


def test_a_period_across_1_july_2025_names_the_city_s_later_part(client, recorded, monitor):
    body = _ask(client, monitor, ("2025-01-01", "2026-06-30")).json()
    assert body["to"] == "2025-06-30"  # the pilot's answer, cut as before
    assert body["figures"]["received"] == 1  # 2026's four not added
    later = body["later_part"]
    assert later["unit"]["code"] == CITY
    assert (later["from"], later["to"]) == ("2025-07-01", "2026-06-30")
    rest = _ask(client, monitor, (later["from"], later["to"])).json()
    assert rest["figures"]["received"] == 4


def _add_units(n):
    """``n`` more wards of the city from 1 July 2025, each like Hồng Hà, with its council
    (demo codes 999xx, not Hà Nội's), each with one dossier of March 2026."""
    model = Unit.objects.filter(code=HONG_HA, valid_from=D(2025, 7, 1)).get()
    governance = GovernanceAssignment.objects.filter(unit_code=HONG_HA).order_by("-valid_from")[0]
    for i in range(n):
        code = f"999{i:02d}"
        unit = Unit.objects.get(pk=model.pk)
        unit.pk = None
        unit.code, unit.name = code, f"Phường Thử {i}"
        unit.save()
        governance.pk = None
        governance.unit_code = code
        governance.save()
        _returned(code, f"H26.{i}-260302-0001", D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 4))
    rollups.refresh(now=TODAY)


def _count(client, user):
    """The queries of the city's answer for January–September 2026 once the scope and the kept
    reads are warm (the first half asked before it), and of the same answer asked again (the
    units' staff in post then kept too)."""
    url = f"/api/v1/monitoring/units/{CITY}"
    with time_machine.travel(TODAY, tick=False):
        client.force_login(user)
        client.get(url, {"from": H1_2026[0], "to": H1_2026[1]})
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url, {"from": "2026-01-01", "to": "2026-09-30"})
        with CaptureQueriesContext(connection) as again:
            repeated = client.get(url, {"from": "2026-01-01", "to": "2026-09-30"})
    assert answer.status_code == 200, answer.content
    assert repeated.json() == answer.json()
    return len(queries), len(again), len(answer.json()["children"])


def test_the_city_is_read_in_a_number_of_queries_flat_in_its_units(client, recorded, monitor):
    before, before_again, units = _count(client, monitor)
    _add_units(5)
    after, after_again, more = _count(client, monitor)
    assert more == units + 5
    assert (after, after_again) == (before, before_again)
    # 28 measured on SQLite for 126 units (40 when each read that needed the holdings of the
    # units' codes read them again, 32 while the petitions' reads still did: now once, by
    # ``city_today_units``, passed down); 29 since the units' staff in post are kept under the
    # staff's version (``context_reads.units_staffing``): one query reads the version, and
    # this answer's staff day (30 September) is not the first half's, so not kept yet. Asked
    # again, 19: the staff kept, their four reads left out (22 when they were read on every
    # request, 23 if the version were read and nothing kept; the test fails so). Limits one higher
    # since the pilot's scope and last day are kept under the governance's version
    # (``units.selectors.governance_version``), read once per GET.
    assert before <= 30, before
    assert before_again <= 20, before_again


def test_the_city_s_page_in_2026_shows_its_units_rows_in_their_states(client, recorded, monitor):
    with time_machine.travel(TODAY, tick=False):
        client.force_login(monitor)
        page = client.get("/staff/monitoring/01/?from=2026-01&to=2026-06")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="units-today"' in html
    assert "Phường Hồng Hà" in html and "Phường Tứ Liên" not in html
    assert 'data-code="001"' not in html  # no district
    row = html[html.index(f'<tr data-code="{HONG_HA}">') :]
    row = row[: row.index("</tr>")]
    assert 'data-code="received" data-state="value"><data value="3">' in row
    codes = re.findall(r'<tr data-code="(\d{5})">', html)
    assert len(codes) > 2
    other = next(c for c in codes if c not in (HONG_HA, BA_DINH))  # nothing recorded
    quiet = html[html.index(f'<tr data-code="{other}">') :]
    quiet = quiet[: quiet.index("</tr>")]
    assert 'data-code="received" data-state="no_data"' in quiet
    pilot = client.get("/staff/monitoring/01/?from=2025-01&to=2025-06").content.decode()
    assert 'id="units-today"' not in pilot


# --- the city's index and shortcomings after the pilot (decision 0024, item 2) ----------------


def _progress(month):
    """The ``on_time`` component of a month's "progress" group (its value: the share on time)."""
    progress = {g["group"]: g for g in month["groups"]}["progress"]
    return {c["component"]: c for c in progress["components"]}["on_time"]


def test_the_city_s_index_in_2026_is_its_units_months_added_up(client, recorded, monitor):
    answer = _ask(client, monitor, H1_2026, f"{CITY}/index")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["unit"]["code"], body["unit"]["level"]) == (CITY, "city")
    months = {m["month"]: m for m in body["months"]}
    # The months asked, not the pilot's last twelve.
    assert sorted(months) == [f"2026-0{n}-01" for n in range(1, 7)]
    # March 2026: Hồng Hà's three returned early and Ba Đình's one late — three of four on time.
    assert _progress(months["2026-03-01"])["value"] == pytest.approx(3 / 4)
    own = {
        code: {
            m["month"]: m for m in _ask(client, monitor, H1_2026, f"{code}/index").json()["months"]
        }
        for code in (HONG_HA, BA_DINH)
    }
    assert _progress(own[HONG_HA]["2026-03-01"])["value"] == pytest.approx(1.0)
    assert _progress(own[BA_DINH]["2026-03-01"])["value"] == pytest.approx(0.0)
    # Nothing recorded in January: no data, not 0.
    assert {g["group"]: g for g in months["2026-01-01"]["groups"]}["progress"]["points"] is None
    # The pilot's index of the city is unchanged: its own months, cut at 30 June 2025.
    pilot = _ask(client, monitor, ("2025-01-01", "2025-06-30"), f"{CITY}/index").json()
    assert [m["month"] for m in pilot["months"]][-1] == "2025-06-01"


def test_the_city_s_index_page_in_2026_shows_each_unit_s_own_months(client, recorded, monitor):
    html = _page(client, monitor, f"{CITY}/index/?from=2026-01&to=2026-06")
    scores = {
        code: [m["score"] for m in _ask(client, monitor, H1_2026, f"{code}/index").json()["months"]]
        for code in (HONG_HA, BA_DINH)
    }
    assert "01/01/2026 – 30/06/2026" in html
    assert 'id="pilot-ended"' not in html  # not the pilot's page, cut at its end
    table = html[html.index('id="children-scores"') :]
    assert "Phường Hồng Hà" in table and "Phường Tứ Liên" not in table
    assert f"/staff/monitoring/{HONG_HA}/index/" in table  # each row its own unit's page
    assert "Quận Ba Đình" not in table  # no district
    row = table[table.index("Phường Hồng Hà") :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert len(cells) == 6
    assert cells == ["—" if s is None else f"{s:.1f}".replace(".", ",") for s in scores[HONG_HA]]


@pytest.fixture
def overloaded(recorded):
    """A leader of Hồng Hà signing 9,000 results in March 2026 (``overload``)."""
    overload(HONG_HA)


def test_the_city_s_shortcomings_in_2026_are_its_units_own(client, overloaded, monitor):
    answer = _ask(client, monitor, H1_2026, f"{CITY}/shortcomings")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["unit"]["code"], body["unit"]["level"]) == (CITY, "city")
    assert {x["indicator"] for x in body["not_applicable"]} == {"dialogue_shortfall"}
    own = []
    for code in (HONG_HA, BA_DINH):
        own += _ask(client, monitor, H1_2026, f"{code}/shortcomings").json()["flags"]
    assert "signing_overload" in {x["rule"] for x in own}
    key = lambda x: (x["unit_code"], x["rule"], repr(x["evidence"]))  # noqa: E731
    assert sorted(map(key, body["flags"])) == sorted(map(key, own))
    assert body["flags"] and all(x["unit_code"] in (HONG_HA, BA_DINH) for x in body["flags"])
    # The pilot's shortcomings of the city are unchanged: no rule said not applicable.
    pilot = _ask(client, monitor, ("2025-01-01", "2025-06-30"), f"{CITY}/shortcomings").json()
    assert pilot.get("not_applicable", []) == []


def test_the_city_s_shortcomings_page_in_2026_names_its_units(client, overloaded, monitor):
    html = _page(client, monitor, f"{CITY}/shortcomings/?from=2026-01&to=2026-06")
    assert "01/01/2026 – 30/06/2026" in html
    assert 'data-rule="dialogue_shortfall"' in html
    assert 'id="pilot-ended"' not in html
    assert 'data-rule="signing_overload"' in html
    assert "Phường Hồng Hà" in html


def test_a_period_with_nothing_recorded_says_so_for_a_unit_and_the_city(client, recorded, monitor):
    """QA Q4 after the pilot: January 2026 has nothing recorded at any unit, so the answers say
    no data with the nearest recorded days — Hồng Hà's own (Tứ Liên's March 2025 under the same
    code is not), the city's of all its units — and the city's page says it (not "none found")."""
    january = ("2026-01-01", "2026-01-31")
    own = _ask(client, monitor, january, f"{HONG_HA}/shortcomings").json()["nothing_recorded"]
    assert (own["last_recorded_day"], own["next_recorded_day"]) == (None, "2026-03-02")
    city = _ask(client, monitor, january, f"{CITY}/shortcomings").json()
    assert city["flags"] == [] and city["nothing_recorded"]["next_recorded_day"] == "2026-03-02"
    may = _ask(client, monitor, ("2026-05-01", "2026-05-31"), f"{CITY}/shortcomings").json()
    assert may["nothing_recorded"]["last_recorded_day"] == "2026-03-09"  # Ba Đình's return
    march = _ask(client, monitor, ("2026-03-01", "2026-03-31"), f"{CITY}/shortcomings").json()
    assert march["nothing_recorded"] is None
    html = _page(client, monitor, f"{CITY}/shortcomings/?from=2026-01&to=2026-01")
    assert 'id="nothing-recorded"' in html and "02/03/2026" in html


def _count_reads(client, user, path):
    with time_machine.travel(TODAY, tick=False):
        client.force_login(user)
        client.get(path, {"from": H1_2026[0], "to": H1_2026[1]})
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(path, {"from": "2026-01-01", "to": "2026-09-30"})
    assert answer.status_code == 200, answer.content
    return len(queries)


def test_the_city_s_index_and_shortcomings_are_read_in_queries_flat_in_its_units(
    client, recorded, monitor
):
    paths = [
        f"/api/v1/monitoring/units/{CITY}/index",
        f"/api/v1/monitoring/units/{CITY}/shortcomings",
    ]
    before = [_count_reads(client, monitor, p) for p in paths]
    _add_units(5)
    after = [_count_reads(client, monitor, p) for p in paths]
    assert after == before, (before, after)
    # Measured on SQLite for 126 units, warm: the index 13 (two rollup reads kept until the
    # rollups change), the shortcomings 28 (the city's own figures' period reads); 29 since the
    # units' staff in post are kept under the staff's version (one query; this answer's staff
    # day, 30 September, is not the first half's, so not kept yet); one more each since the
    # pilot's scope and last day are kept under the governance's version, read once per GET.
    assert before[0] <= 14 and before[1] <= 30, before


# --- a pilot ward whose code no unit took: its successors (decision 0024, item 2) -------------

PHUC_XA = "00001"  # went whole into Phường Hồng Hà (00097); no unit holds 00001 after
DIEN_BIEN = "00019"  # went in part into Ba Đình, Hoàn Kiếm, Ô Chợ Dừa, Văn Miếu - Quốc Tử Giám
Y2025 = ("2025-01-01", "2025-12-31")


def _successors(body):
    later = body["later_successors"]
    return [(u["unit"]["code"], u["unit"]["name"], u["share"]) for u in later["units"]]


def test_a_pilot_ward_whose_code_no_unit_took_names_the_units_that_took_it_over(
    client, recorded, monitor
):
    body = _ask(client, monitor, Y2025, PHUC_XA).json()
    assert (body["unit"]["name"], body["to"]) == ("Phường Phúc Xá", "2025-06-30")
    assert body["later_part"] is None  # no unit holds 00001 from 1 July 2025
    later = body["later_successors"]
    assert (later["from"], later["to"]) == ("2025-07-01", "2025-12-31")
    assert _successors(body) == [(HONG_HA, "Phường Hồng Hà", "whole")]
    assert later["units"][0]["unit"]["level"] == "ward"
    assert "Phường Hồng Hà (00097)" in later["message"]["vi"]
    # A ward split among several: each unit, each "part", by code.
    split = _ask(client, monitor, Y2025, DIEN_BIEN).json()
    assert _successors(split) == [
        ("00004", "Phường Ba Đình", "part"),
        ("00070", "Phường Hoàn Kiếm", "part"),
        ("00190", "Phường Ô Chợ Dừa", "part"),
        ("00226", "Phường Văn Miếu - Quốc Tử Giám", "part"),
    ]
    assert "một phần" in split["later_successors"]["message"]["vi"]


def test_successors_are_named_only_past_the_pilot_and_where_the_code_is_not_held(
    client, recorded, monitor
):
    within = _ask(client, monitor, ("2025-01-01", "2025-06-30"), PHUC_XA).json()
    assert within["later_successors"] is None  # the period ends with the pilot
    held = _ask(client, monitor, Y2025, HONG_HA).json()  # Tứ Liên's code, Hồng Hà's from July
    assert held["later_part"]["unit"]["name"] == "Phường Hồng Hà"
    assert held["later_successors"] is None
    district = _ask(client, monitor, Y2025, "001").json()
    assert district["later_successors"] is None


def test_the_page_of_such_a_ward_links_each_successor_s_own_page(client, recorded, monitor):
    html = _page(client, monitor, f"{DIEN_BIEN}/?from=2025-01&to=2025-12")
    block = html[html.index('id="later-successors"') :]
    block = block[: block.index("</div>")]
    codes = re.findall(r'<li data-code="(\d{5})" data-share="part">', block)
    assert codes == ["00004", "00070", "00190", "00226"]
    assert 'href="/staff/monitoring/00004/?from=2025-07&amp;to=2025-12"' in block
    assert 'id="later-part"' not in html


# --- the units' staff in post, kept per process under the staff's version --------------------

YEAR_2026 = ("2026-01-01", "2026-12-31")  # to today: the staff in post on TODAY
SINCE = D(2025, 7, 1)


def _staff(client, user, when=TODAY, code=HONG_HA):
    """Hồng Hà's civil servants and leaders in the city's answer for 2026, asked on ``when``."""
    with time_machine.travel(when, tick=False):
        client.force_login(user)
        body = client.get(
            f"/api/v1/monitoring/units/{CITY}", {"from": YEAR_2026[0], "to": YEAR_2026[1]}
        )
    figures = _rows(body.json())[code]["figures"]
    return figures["civil_servants"], figures["leaders"]


@pytest.fixture
def hong_ha_staff(recorded):
    """Hồng Hà's chairman (elected by its council) and two civil servants the city's chairman
    assigned, in post since 1 July 2025 (through the staff service)."""
    with time_machine.travel(TODAY, tick=False):
        testing.elect_chairman(HONG_HA, term_start=SINCE)
        city_chairman = testing.district_chairman(CITY, term_start=SINCE)
        return [_assigned(post, SINCE, city_chairman) for post in CIVIL_SERVANTS]


CIVIL_SERVANTS = (posts.OFFICE_STATISTICS, posts.FINANCE_ACCOUNTING)


def _assigned(post, start, by=None):
    """A civil servant of Hồng Hà assigned by the city's chairman (the staff service)."""
    by = by or Appointment.objects.get(unit_code=CITY, post=posts.CHAIRMAN).official
    return testing.appoint(
        testing.official(employer=CITY),
        HONG_HA,
        post,
        by=by,
        by_unit=CITY,
        kind=AppointmentKind.ASSIGNMENT,
        term_start=start,
    )


def _appointed(staff):
    """A third civil servant, assigned from today."""
    _assigned(posts.JUSTICE_CIVIL_STATUS, TODAY.date())


def _ended(staff):
    """The first ends today (the staff service: ``ended_on`` is the first day out of post)."""
    appointment_end(
        actor=testing.SYSTEM,
        appointment=staff[0],
        ended_on=TODAY.date(),
        reason=EndReason.TRANSFER,
        decision_number="9/QĐ-UBND",
    )


def _edited(staff):
    """The first's term starts tomorrow after all (an edit saved, as the admin saves it)."""
    first = Appointment.objects.get(pk=staff[0].pk)
    first.term_start = TODAY.date() + dt.timedelta(days=1)
    first.save()


def _deleted(staff):
    Appointment.objects.get(pk=staff[0].pk).delete()


def _post_changed(staff):
    """The first is a vice-chairman now (a queryset's update: no save, no signal)."""
    Appointment.objects.filter(pk=staff[0].pk).update(post=posts.VICE_CHAIRMAN)


def _ended_by_sql(staff):
    """The first ends today, written by plain SQL (no ORM at all)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE staff_appointment SET ended_on = %s WHERE id = %s", [TODAY.date(), staff[0].pk]
        )


def _appointed_in_bulk(staff):
    """Two more civil servants, written by ``bulk_create`` (no save, no signal)."""
    first = Appointment.objects.get(pk=staff[0].pk)
    rows = []
    for post in (posts.JUSTICE_CIVIL_STATUS, posts.CULTURE_SOCIETY):
        row = Appointment.objects.get(pk=first.pk)
        row.pk, row.public_id = None, uuid.uuid4()
        row.official, row.post = testing.official(employer=CITY), post
        rows.append(row)
    Appointment.objects.bulk_create(rows)


@pytest.mark.parametrize(
    ("change", "then"),
    [
        (_appointed, (3, 1)),
        (_ended, (1, 1)),
        (_edited, (1, 1)),
        (_deleted, (1, 1)),
        (_post_changed, (1, 2)),
        (_ended_by_sql, (1, 1)),
        (_appointed_in_bulk, (4, 1)),
    ],
    ids=["appointed", "ended", "edited", "deleted", "post-changed", "ended-by-sql", "bulk"],
)
def test_the_units_staff_kept_show_a_change_on_the_very_next_request(
    client, monitor, hong_ha_staff, change, then
):
    """The city's answer keeps its units' staff in post in the process's cache
    (``context_reads.units_staffing``) under the version of every table they are read from: an
    appointment made, ended, edited, deleted or moved to another post — through the service,
    the ORM, in bulk or by plain SQL — shows on the next request (a TTL alone would show it up
    to five minutes late; found in review, cb217a5)."""
    assert _staff(client, monitor) == (2, 1)
    assert _staff(client, monitor) == (2, 1)  # the kept answer
    with time_machine.travel(TODAY, tick=False):
        change(hong_ha_staff)
    assert _staff(client, monitor) == then


def test_the_units_staff_kept_today_are_not_tomorrow_s(client, monitor, hong_ha_staff):
    """The day asked is in the key: the first's term ends on 5 December (inclusive); asked two
    minutes before midnight in Hà Nội, then three minutes later (inside the kept value's TTL)."""
    Appointment.objects.filter(pk=hong_ha_staff[0].pk).update(term_end=D(2026, 12, 5))
    late, next_day = (
        dt.datetime(2026, 12, 5, 16, 58, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 5, 17, 1, tzinfo=dt.UTC),
    )  # 23:58 and 00:01 in Hà Nội (UTC+7)
    assert _staff(client, monitor, late) == (2, 1)
    assert _staff(client, monitor, late) == (2, 1)
    assert _staff(client, monitor, next_day) == (1, 1)


def test_the_pilot_s_norm_kept_shows_a_change_on_the_very_next_request(client, recorded, monitor):
    """The pilot's districts show their wards' norm (on average at most 15 civil servants a
    ward, Decree 32/2021/NĐ-CP), read with the staff (``context_reads.staffing``) and kept
    alike: the governance model's norm changed shows on the next request."""

    def norms():
        body = _ask(client, monitor, ("2025-01-01", "2025-06-30")).json()
        return {c["figures"]["norm_average_max"] for c in body["children"]}

    assert norms() == {15}
    assert norms() == {15}
    for model in GovernanceModel.objects.all():
        if model.staffing_norm.get("scope") == "parent_average":
            model.staffing_norm = {**model.staffing_norm, "average_max_per_unit": 14}
            model.save()
    assert norms() == {14}


# --- what the pages and answers say (QA, 7 December 2026) -------------------------------------


def test_the_city_s_page_across_the_change_links_its_later_part(client, recorded, monitor):
    html = _page(client, monitor, f"{CITY}/?from=2025-01&to=2025-12")
    later = html[html.index('id="later-part"') :]
    later = later[: later.index("</p>")]
    assert 'href="/staff/monitoring/01/?from=2025-07&amp;to=2025-12"' in later
    assert "xã, phường" in later  # the city's view of its units, not "a unit with a council"


def test_a_page_asked_past_this_month_reads_the_months_asked_up_to_this_one(
    client, recorded, monitor
):
    for path in ("index/", "shortcomings/", ""):
        html = _page(client, monitor, f"{CITY}/{path}?from=2026-01&to=2099-12")
        assert "01/01/2026 – 31/12/2026" in html, path  # not December alone


def test_the_city_says_the_rules_not_applicable_of_its_units_not_of_itself(
    client, recorded, monitor
):
    body = _ask(client, monitor, H1_2026, f"{CITY}/shortcomings").json()
    (gone,) = body["not_applicable"]
    assert gone["message"]["vi"].startswith("Với các xã, phường của thành phố: từ 01/07/2025")
    assert gone["message"]["en"].startswith("For the city's communes and wards: from 1 July")
    own = _ask(client, monitor, H1_2026, f"{HONG_HA}/shortcomings").json()["not_applicable"]
    assert own[0]["message"]["vi"].startswith("Từ 01/07/2025 đơn vị có Hội đồng nhân dân")


def test_the_successors_message_says_whole_and_part(client, recorded, monitor):
    whole = _ask(client, monitor, Y2025, PHUC_XA).json()["later_successors"]["message"]
    assert "toàn bộ vào Phường Hồng Hà (00097)" in whole["vi"]
    assert "một phần" not in whole["vi"]
    assert "wholly into Phường Hồng Hà (00097)" in whole["en"] and "01/07/2025" in whole["en"]
    split = _ask(client, monitor, Y2025, DIEN_BIEN).json()["later_successors"]["message"]
    assert "một phần vào Phường Ba Đình (00004), Phường Hoàn Kiếm (00070)" in split["vi"]
    assert "toàn bộ" not in split["vi"]
