"""A code reused by two units: 00097 was Phường Tứ Liên (Quận Tây Hồ) until 30 June 2025 and is
Phường Hồng Hà from 1 July 2025 (Resolution 1656/NQ-UBTVQH15); 00001, Phường Phúc Xá, went whole
into Hồng Hà and is no unit's code since. A ward's report, and a year's count of its conferences,
are the records of the unit that held the code on each record's day, never the code's alone."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.oversight.models import CitizenReception, DialogueConference
from cqdt.oversight.tests.conftest import held_conference, logged_reception
from cqdt.testing import at, dossier_row, logged_in

pytestmark = pytest.mark.django_db

CODE = "00097"
PHUC_XA = "00001"
NOW = at(dt.date(2025, 12, 15), 10)
API = "/api/v1/oversight"


def _petitions(code, district, council_name, official_code, days):
    """A voter meeting of ``district``'s council in ward ``code`` on each of ``days``, each with
    one petition routed to the ward; the official who recorded them."""
    from cqdt.oversight.models import Council, Petition, VoterMeeting

    official = testing.official(official_code, district)
    council = Council.objects.create(
        unit_code=district,
        name=council_name,
        term_start=dt.date(2021, 7, 1),
        term_end=dt.date(2026, 6, 30),
    )
    for day in days:
        meeting = VoterMeeting.objects.create(
            council=council, ward_code=code, held_at=at(day, 19), location="x", recorded_by=official
        )
        Petition.objects.create(
            meeting=meeting,
            ward_code=code,
            content="Sửa đường",
            routed_level="ward",
            routed_unit_code=code,
            received_on=day,
            answer_due=day + dt.timedelta(days=30),
        )
    return official


@pytest.fixture
def two_units(history_reference_data):
    """Tứ Liên received citizens the week of 2 June 2025 and held a conference on 20 May 2025;
    Hồng Hà held one on 10 October 2025 and logged no reception day."""
    tu_lien = testing.official("TL-CT", "003")
    hong_ha = testing.official("HH-CT", CODE)
    for i in range(5):
        logged_reception(tu_lien, CODE, dt.date(2025, 6, 2) + dt.timedelta(days=i), citizens=3)
    held_conference(tu_lien, CODE, dt.date(2025, 5, 20))
    held_conference(hong_ha, CODE, dt.date(2025, 10, 10))


def _report(client, start, end):
    with time_machine.travel(NOW, tick=False):
        return client.get(f"{API}/wards/{CODE}/report", {"from": start, "to": end})


def test_hong_ha_s_report_has_none_of_tu_lien_s_records(two_units, admin_client):
    answer = _report(admin_client, "2025-07-01", "2025-12-15")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["ward"]["name"] == "Phường Hồng Hà"
    # Tứ Liên's reception days in June are not Hồng Hà's: nothing of its own recorded, so no
    # week is told short (before: 'recorded' from Tứ Liên's first day, every week short).
    receptions = body["receptions"]
    assert receptions["recorded"] is False and receptions["weeks_short"] is None
    year = body["conferences"]["by_year"][0]
    assert (year["year"], year["held_in_year"]) == (2025, 1)  # not Tứ Liên's of 20 May
    assert (body["ward"]["valid_from"], body["ward"]["valid_to"]) == ("2025-07-01", None)


def test_tu_lien_s_report_has_none_of_hong_ha_s_records(two_units, admin_client):
    answer = _report(admin_client, "2025-01-01", "2025-06-30")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["ward"]["name"] == "Phường Tứ Liên"
    assert body["receptions"]["sessions"] == 5
    year = body["conferences"]["by_year"][0]
    # Hồng Hà's conference of 10 October is not Tứ Liên's 2025 (before: 2 held in the year);
    # Tứ Liên held the code half of 2025, so the yearly minimum is not judged.
    assert (year["held_in_year"], year["short"]) == (1, None)
    assert year["unit_part_of_year"] is True
    assert body["ward"]["valid_to"] == "2025-07-01"


def test_a_period_in_which_two_units_held_the_code_is_a_422_naming_them(two_units, admin_client):
    answer = _report(admin_client, "2025-01-01", "2025-12-15")
    assert answer.status_code == 422
    body = answer.json()
    assert body["field"] == "to"
    vi = body["messages"]["vi"]
    assert "Phường Tứ Liên đến 30/06/2025" in vi and "Phường Hồng Hà từ 01/07/2025" in vi
    assert "Phường Tứ Liên to 30/06/2025" in body["messages"]["en"]
    with time_machine.travel(NOW, tick=False):
        page = admin_client.get(
            f"/staff/oversight/wards/{CODE}/report/?start=2025-01-01&end=2025-12-15"
        )
    assert page.status_code == 422
    assert "Phường Tứ Liên đến 30/06/2025" in page.content.decode()


def test_a_code_no_longer_in_use_keeps_its_reports(history_reference_data, admin_client):
    """00001 (Phường Phúc Xá) ended on 30 June 2025: its report on 2024 has a page, and the page
    without a period shows its last year up to its last day."""
    with time_machine.travel(NOW, tick=False):
        page = admin_client.get(
            f"/staff/oversight/wards/{PHUC_XA}/report/?start=2024-01-01&end=2024-12-31"
        )
        default = admin_client.get(f"/staff/oversight/wards/{PHUC_XA}/report/")
        api = admin_client.get(
            f"{API}/wards/{PHUC_XA}/report", {"from": "2024-01-01", "to": "2024-12-31"}
        )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Báo cáo của UBND phường Phúc Xá gửi HĐND quận Ba Đình" in text
    assert "<title>Báo cáo của Phường Phúc Xá" in text
    assert default.status_code == 200
    assert "từ 01/01/2025 đến 30/06/2025" in default.content.decode()
    assert api.status_code == 200 and api.json()["ward"]["name"] == "Phường Phúc Xá"


def test_a_period_after_the_code_ended_is_a_422_saying_when_it_was_held(
    history_reference_data, admin_client
):
    with time_machine.travel(NOW, tick=False):
        answer = admin_client.get(
            f"{API}/wards/{PHUC_XA}/report", {"from": "2025-07-01", "to": "2025-12-01"}
        )
    assert answer.status_code == 422
    body = answer.json()
    assert body["field"] == "from"
    assert "Phường Phúc Xá đến 30/06/2025" in body["messages"]["vi"]


def test_a_period_reaching_past_the_code_s_end_is_reported_for_the_unit_s_days(
    history_reference_data, admin_client
):
    """Nobody held 00001 after 30 June 2025: a period over 2025 is Phúc Xá's first half, said."""
    with time_machine.travel(NOW, tick=False):
        answer = admin_client.get(
            f"{API}/wards/{PHUC_XA}/report", {"from": "2025-01-01", "to": "2025-12-01"}
        )
        page = admin_client.get(
            f"/staff/oversight/wards/{PHUC_XA}/report/?start=2025-01-01&end=2025-12-01"
        )
    assert answer.status_code == 200, answer.json()
    period = answer.json()["period"]
    assert (period["from"], period["to"]) == ("2025-01-01", "2025-06-30")
    assert (period["asked_from"], period["asked_to"]) == ("2025-01-01", "2025-12-01")
    assert "báo cáo chỉ gồm những ngày Phường Phúc Xá mang mã 00001" in page.content.decode()


def test_a_year_s_conference_review_judges_a_unit_by_its_own_records_only(
    history_reference_data, admin_client
):
    """00181 was Phường Văn Miếu until 31 December 2024 and is Phường Văn Miếu Quốc Tử Giám from
    1 January 2025 (Hanoi's 2023–2025 arrangement; no link recorded: another unit), until
    30 June 2025. The earlier unit's conference of 2024 is no evidence about the later unit's
    2025: it is not flagged short on it, and is listed as not judged (it held the code for half
    of 2025). 2024 is the earlier unit's whole year and is judged as before."""
    code = "00181"
    official = testing.official("VM-CT", "006")
    held_conference(official, code, dt.date(2024, 5, 10))  # announced 30 April
    with time_machine.travel(at(dt.date(2025, 5, 1), 10), tick=False):
        answer = admin_client.get(f"{API}/conferences/flags", {"year": 2025})
        page = admin_client.get("/staff/oversight/conferences/flags/?year=2025")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert code not in [f["ward_code"] for f in body["items"]]
    assert {"ward_code": code, "reason": "unit_changed"}.items() <= next(
        n for n in body["not_judged"] if n["ward_code"] == code
    ).items()
    assert "đơn vị chỉ mang mã này trong một phần của năm" in page.content.decode()
    with time_machine.travel(at(dt.date(2025, 5, 1), 10), tick=False):
        year_2024 = admin_client.get(f"{API}/conferences/flags", {"year": 2024}).json()
    flag = next(f for f in year_2024["items"] if f["ward_code"] == code)
    assert (flag["held"], flag["ward_name"]) == (1, "Phường Văn Miếu")


def test_monitoring_s_oversight_reads_keep_each_unit_s_records_apart(history_reference_data):
    """The pilot's dashboards read a period's petitions and conferences for the wards of the
    scope's day (a period from 1 July 2024 has Phường Văn Miếu, 00181, which ended on 31 December
    2024): the petition and the conference of Phường Văn Miếu Quốc Tử Giám, which took the code
    on 1 January 2025, are not Văn Miếu's."""
    from cqdt.monitoring import selectors as monitoring
    from cqdt.oversight.selectors import held_conference_times, petition_rows

    code, scope_day = "00181", dt.date(2024, 7, 1)
    days = (dt.date(2024, 9, 10), dt.date(2025, 2, 10))
    official = _petitions(code, "006", "HĐND quận Đống Đa", "VM-DB", days)
    for day in days:
        held_conference(official, code, day)
    rows = petition_rows([code], scope_day, dt.date(2025, 6, 30), on=scope_day)
    assert [r["received_on"] for r in rows] == [dt.date(2024, 9, 10)]
    times = held_conference_times([code], on=scope_day)
    assert [t.date() for _, t in times] == [dt.date(2024, 9, 10)]
    stats = monitoring.petition_stats(
        [code], scope_day, dt.date(2025, 6, 30), dt.date(2025, 7, 1), on=scope_day
    )
    assert stats[code].received == 1


def test_tu_lien_s_dossier_does_not_make_hong_ha_s_dossiers_recorded(
    history_reference_data, admin_client
):
    """A dossier Tứ Liên received in June 2025 is Tứ Liên's: Hồng Hà, which recorded none, has
    no dossier count to give (null, 'not recorded'), not '0 received' on Tứ Liên's evidence."""
    submitted = at(dt.date(2025, 6, 10), 9)
    dossier_row("H26.003.00097-250610-0001", CODE, status="submitted", submitted_at=submitted)
    hong_ha = _report(admin_client, "2025-07-01", "2025-12-15").json()["dossiers"]
    assert hong_ha["recorded"] is False and hong_ha["received"] is None
    tu_lien = _report(admin_client, "2025-06-01", "2025-06-30").json()["dossiers"]
    assert tu_lien["recorded"] is True and tu_lien["submitted"] == 1


def test_a_ward_s_conference_calendar_lists_and_counts_its_own_conferences_only(
    two_units, admin_client
):
    """Hồng Hà's calendar for 2025 listed and counted Tứ Liên's conference of 20 May as its own
    (2 held, against a minimum Hồng Hà, with its own council, never owed for the year)."""
    with time_machine.travel(NOW, tick=False):
        page = admin_client.get(f"/staff/oversight/wards/{CODE}/conferences/", {"year": 2025})
    assert page.status_code == 200
    text = page.content.decode()
    assert "20/05/2025" not in text  # Tứ Liên's
    assert "10/10/2025" in text
    assert "Năm 2025: đã tổ chức 1 hội nghị" in text
    assert "Phường Hồng Hà mang mã 00097 từ 01/07/2025" in text
    assert "Còn thiếu so với yêu cầu cả năm." not in text
    assert "Chưa đủ số lần tối thiểu." not in text


def test_the_petition_summary_has_a_row_per_unit_of_a_reused_code(
    history_reference_data, admin_client
):
    """Tứ Liên's petition of May 2025 and Hồng Hà's of September 2025 were one row named
    'Phường Hồng Hà' with 2 petitions: each unit now has its own row, under its own name."""

    _petitions(
        CODE, "003", "HĐND quận Tây Hồ", "TL-DB", (dt.date(2025, 5, 12), dt.date(2025, 9, 12))
    )
    with time_machine.travel(NOW, tick=False):
        answer = admin_client.get(f"{API}/petitions/by-ward")
        page = admin_client.get("/staff/oversight/petitions/")
    assert answer.status_code == 200, answer.json()
    rows = [r for r in answer.json()["items"] if r["ward_code"] == CODE]
    assert sorted((r["ward_name"], r["total"]) for r in rows) == [
        ("Phường Hồng Hà", 1),
        ("Phường Tứ Liên", 1),
    ]
    assert {r["ward_name"]: r["valid_to"] for r in rows}["Phường Tứ Liên"] == "2025-07-01"
    assert "Phường Tứ Liên" in page.content.decode()


def _read_only_page(admin_user, page, model, form) -> str:
    """Phường Phúc Xá's ``page`` (00001, ended on 30 June 2025), asked on ``NOW`` by a client
    that checks CSRF: it is read (200) and its text returned; ``form`` posted there is refused
    as the API refuses a code no unit holds (404) and writes no ``model`` row, no audit event."""

    from cqdt.core.models import AuditEvent

    client = logged_in(admin_user)
    url = f"/staff/oversight/wards/{PHUC_XA}/{page}/"
    with time_machine.travel(NOW, tick=False):
        shown = client.get(url)
        assert shown.status_code == 200
        before = (model.objects.count(), AuditEvent.objects.count())
        token = client.cookies["csrftoken"].value
        refused = client.post(url, {"csrfmiddlewaretoken": token, **form})
    assert refused.status_code == 404
    assert "Không tìm thấy đơn vị hành chính mã “00001”" in refused.content.decode()
    assert (model.objects.count(), AuditEvent.objects.count()) == before
    return shown.content.decode()


def test_a_code_no_longer_in_use_keeps_its_conference_calendar_read_only(
    history_reference_data, admin_user
):
    """00001 (Phường Phúc Xá) ended on 30 June 2025: its calendar answered 404 (it needed
    today's unit). It is readable — the unit's name and days, its recorded conferences, the
    last year it held the code by default — with no announce form; an announcement posted
    there is refused (404, as the API refuses a code no unit holds) and nothing is written."""
    official = testing.official("PX-CT", PHUC_XA)
    topic = "Đối thoại về chỉnh trang ngõ phố"
    held_conference(official, PHUC_XA, dt.date(2025, 4, 10), topic=topic, attendees=70)
    text = _read_only_page(
        admin_user,
        "conferences",
        DialogueConference,
        {
            "scheduled_at": "2026-01-10T08:00",
            "topic": "Đối thoại",
            "location": "Nhà văn hóa",
            "announcement_channels": ["residential_group_heads", "website"],
        },
    )
    assert "Lịch hội nghị đối thoại của Phường Phúc Xá" in text
    assert "Đối thoại về chỉnh trang ngõ phố" in text and "10/04/2025" in text
    assert "đến 30/06/2025; mã này không còn được sử dụng" in text
    assert 'name="topic"' not in text and "Thông báo hội nghị đối thoại" not in text


def test_a_year_of_a_reused_code_is_the_calendar_of_the_unit_that_held_it(two_units, admin_client):
    """00097's 2024 is Phường Tứ Liên's calendar (read only), not Hồng Hà's with '0 held'; its
    2025 is Hồng Hà's, saying Tứ Liên held the code until 30 June (found in review of 92f8865)."""
    with time_machine.travel(NOW, tick=False):
        page_2024 = admin_client.get(f"/staff/oversight/wards/{CODE}/conferences/", {"year": 2024})
        page_2025 = admin_client.get(f"/staff/oversight/wards/{CODE}/conferences/", {"year": 2025})
    text = page_2024.content.decode()
    assert page_2024.status_code == 200
    assert "Lịch hội nghị đối thoại của Phường Tứ Liên" in text
    assert "từ 01/07/2025 mã này là của Phường Hồng Hà" in text
    assert "Thông báo hội nghị đối thoại</h2>" not in text  # no announce form for a past unit
    text = page_2025.content.decode()
    assert "Lịch hội nghị đối thoại của Phường Hồng Hà" in text
    assert "Năm 2025, mã 00097 còn là của Phường Tứ Liên đến 30/06/2025" in text
    assert "10/10/2025" in text and "20/05/2025" not in text


def test_the_reception_log_of_a_reused_code_is_the_unit_s_own(two_units, admin_client):
    """Hồng Hà's log listed Tứ Liên's June 2025 reception days under Hồng Hà's name."""
    with time_machine.travel(NOW, tick=False):
        page = admin_client.get(f"/staff/oversight/wards/{CODE}/receptions/")
    text = page.content.decode()
    assert page.status_code == 200 and "Sổ tiếp công dân của Phường Hồng Hà" in text
    assert "02/06/2025" not in text and "06/06/2025" not in text
    assert "Phường Hồng Hà mang mã 00097 từ 01/07/2025: sổ chỉ gồm" in text


def test_an_earlier_unit_s_reception_log_is_readable_read_only(two_units, admin_client):
    """Tứ Liên's reception days (00097 until 30 June 2025) were on no page: Hồng Hà's log leaves
    them out, and no address reached Tứ Liên's. Hồng Hà's log links to it; it lists Tứ Liên's
    days under its name, read-only (no form), and links back to today's holder's log."""
    url = f"/staff/oversight/wards/{CODE}/receptions/"
    with time_machine.travel(NOW, tick=False):
        today = admin_client.get(url).content.decode()
        page = admin_client.get(url, {"held_on": "2025-06-30"})
    assert f'href="{url}?held_on=2025-06-30"' in today
    assert "Sổ tiếp công dân của Phường Tứ Liên (mang mã này đến 30/06/2025)" in today
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sổ tiếp công dân của Phường Tứ Liên" in text
    assert "02/06/2025" in text and "06/06/2025" in text
    assert "từ 01/07/2025 mã này là của Phường Hồng Hà" in text
    assert 'name="citizens_received"' not in text and "Ghi sổ một ngày" not in text


def test_a_code_no_longer_in_use_keeps_its_reception_log_read_only(
    history_reference_data, admin_user
):
    """00001 (Phường Phúc Xá) ended on 30 June 2025: its log answered 404 (it needed today's
    unit). It is readable, read-only; a day posted there is refused as the API refuses a code
    no unit holds (404), and nothing is written."""
    official = testing.official("PX-CT", PHUC_XA)
    logged_reception(official, PHUC_XA, dt.date(2025, 4, 8), citizens=4, matters=2)
    text = _read_only_page(
        admin_user,
        "receptions",
        CitizenReception,
        {
            "date": "2025-12-15",
            "citizens_received": "3",
            "matters": "1",
            "official": str(official.public_id),
        },
    )
    assert "Sổ tiếp công dân của Phường Phúc Xá" in text and "08/04/2025" in text
    assert "đến 30/06/2025; mã này không còn được sử dụng" in text
    assert 'name="citizens_received"' not in text


def test_an_earlier_unit_s_part_of_a_shared_year_has_its_calendar(two_units, admin_client):
    """Tứ Liên's conference of 20 May 2025 (00097 until 30 June 2025) was on no calendar page:
    00097's 2025 is Hồng Hà's and only said Tứ Liên held the code before. It links to Tứ Liên's
    2025, which lists it under Tứ Liên's name and days, read-only, linking back."""
    url = f"/staff/oversight/wards/{CODE}/conferences/"
    with time_machine.travel(NOW, tick=False):
        year = admin_client.get(url, {"year": 2025}).content.decode()
        page = admin_client.get(url, {"year": 2025, "held_on": "2025-06-30"})
    assert f'href="{url}?year=2025&amp;held_on=2025-06-30"' in year
    assert "Lịch hội nghị năm 2025 của Phường Tứ Liên" in year
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lịch hội nghị đối thoại của Phường Tứ Liên" in text
    assert "20/05/2025" in text and "10/10/2025" not in text
    assert "Năm 2025: đã tổ chức 1 hội nghị" in text
    assert "từ 01/07/2025 mã này là của Phường Hồng Hà" in text
    assert "Thông báo hội nghị đối thoại</h2>" not in text
    assert f'href="/staff/oversight/wards/{CODE}/receptions/?held_on=2025-06-30"' in text
