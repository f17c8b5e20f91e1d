"""The one-stop desk's two tracking papers of Circular 01/2018/TT-VPCP (text not checked offline):
the processing control slip of a dossier (Mẫu 05) and the desk's tracking log (Mẫu 06), read as
the desk reads them, over HTTP.
"""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.dossiers import control, services
from cqdt.testing import at, drive, logged_in, reference, submit
from cqdt.testing.factories import WARD, dossier_row

pytestmark = pytest.mark.django_db

WARD_B = "00004"


def _get(user, url, **params):
    return logged_in(user).get(url, params)


def _rows(html):
    """The control slip's rows, each as its cells' text."""
    body = html.split('<table class="control">', 1)[1].split("</table>", 1)[0]
    return [
        [
            re.sub(r"<[^>]+>", " ", cell).split()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        ]
        for tr in re.findall(r'<tr class="handover">(.*?)</tr>', body, re.S)
    ]


def _text(cells):
    return [" ".join(words) for words in cells]


# --- Mẫu 05 ------------------------------------------------------------------------------------


def test_the_control_slip_has_a_row_for_each_hand_over_with_its_outcome(ward):
    """Received on 2 March, transferred, asked to supplement and supplemented, the result signed
    on its due day (on time) and returned the next morning (late): six rows in that order, the
    officers on record, the outcome said only where a due moment is recorded."""
    desk, justice = ward["desk"], ward["justice"]
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
        d = drive(ward, d.code, to="processing", now=at(dt.date(2026, 3, 2), 10))
        d = services.dossier_request_supplement(
            actor=Actor.of(ward["user_justice"]),
            official=justice,
            code=d.code,
            version=d.version,
            reason="Bổ sung tờ khai",
            now=at(dt.date(2026, 3, 2), 11),
        )
        d = services.dossier_resubmit(
            actor=Actor.of(ward["user_desk"]),
            official=desk,
            code=d.code,
            version=d.version,
            now=at(dt.date(2026, 3, 2), 14),
        )
    due = d.due_at.astimezone(control.HANOI)
    signed = due.replace(hour=8, minute=0)
    assert signed < due
    with time_machine.travel(signed, tick=False):
        d = drive(ward, d.code, to="signed", now=signed)
    returned = signed + dt.timedelta(days=1)
    with time_machine.travel(returned, tick=False):
        d = drive(ward, d.code, to="returned", now=returned)
        html = _get(ward["user_desk"], f"/staff/dossiers/{d.code}/form/05/").content.decode()
    rows = [_text(r) for r in _rows(html)]
    notes = [r[3] for r in rows]
    assert notes[0] == "Tiếp nhận" and notes[1] == "Chuyển xử lý"
    assert notes[2].startswith("Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): Bổ sung tờ khai")
    assert notes[2].endswith("tạm dừng tính thời hạn")
    assert notes[3].startswith("Nhận hồ sơ bổ sung")
    assert notes[4:] == ["Có kết quả (đã ký)", "Trả kết quả"]
    outcomes = [r[2] for r in rows]
    assert outcomes == ["", "", "", "", "Đúng hạn", "Quá hạn"]
    # Who gave and who took each, as on record.
    assert rows[0][0].startswith("1. Giao: Tổ chức, cá nhân Nhận: Bộ phận tiếp nhận")
    assert f"Người nhận: {desk.full_name}" in rows[0][1]
    assert f"Người giao: {desk.full_name}" in rows[1][1]
    assert f"Người nhận: {justice.full_name}" in rows[1][1]
    assert "Nhận: Tổ chức, cá nhân" in rows[2][0] and "phường Phúc Xá" in rows[2][0]
    assert "Giao: 11 giờ 00 phút, ngày 02/03/2026" in rows[2][1]
    # The desk's taking of the result is not recorded: left to fill, not given a moment.
    assert "Nhận: …giờ…phút" in rows[4][1]
    assert f"Người giao: {ward['chair'].full_name}" in rows[4][1]
    assert "Mẫu số 05" in html and "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in html
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in html
    assert "Phúc Xá, ngày 02 tháng 3 năm 2026" in html  # dated the day of receipt
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: <b>UBND phường Phúc Xá</b>" in html


def test_a_dossier_not_yet_transferred_prints_no_transfer_row(ward):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
        page = _get(ward["user_desk"], f"/staff/dossiers/{d.code}/form/05/")
        detail = _get(ward["user_desk"], f"/staff/dossiers/{d.code}/").content.decode()
    rows = [_text(r) for r in _rows(page.content.decode())]
    assert len(rows) == 1 and rows[0][3] == "Tiếp nhận"
    assert "Chuyển xử lý" not in page.content.decode()
    assert "Trả kết quả" not in rows[0][3]
    assert f'href="/staff/dossiers/{d.code}/form/05/"' in detail


def test_a_move_between_desks_is_a_row_naming_both_units(ward):
    """An arrangement hands the dossier from Phúc Xá's desk to Trúc Bạch's on 4 March
    (``dossiers.reorganisation`` writes the move's audit event and the timeline's
    ``unit_transferred``): a row from the one desk to the other, and both bodies named."""
    from cqdt.dossiers.models import DossierEvent
    from cqdt.testing import arranged

    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
    arranged(d, WARD, WARD_B, dt.date(2026, 3, 4))
    DossierEvent.objects.create(
        dossier=d,
        at=at(dt.date(2026, 3, 4), 0),
        action="unit_transferred",
        from_status=d.status,
        to_status=d.status,
        data={"from": WARD, "to": WARD_B, "rule": "whole"},
    )
    browser = logged_in(ward["user_district_chair"])
    with time_machine.travel(at(dt.date(2026, 3, 5)), tick=False):
        html = browser.get(f"/staff/dossiers/{d.code}/form/05/").content.decode()
    rows = [_text(r) for r in _rows(html)]
    assert len(rows) == 2
    assert rows[1][0] == (
        "2. Giao: Bộ phận tiếp nhận và trả kết quả UBND phường Phúc Xá "
        "Nhận: Bộ phận tiếp nhận và trả kết quả UBND phường Trúc Bạch"
    )
    assert rows[1][3] == "Chuyển đơn vị giải quyết (sắp xếp đơn vị hành chính)"
    assert "UBND phường Phúc Xá; UBND phường Trúc Bạch (từ 04/03/2026)" in html


def test_a_dossier_never_received_has_no_control_slip(ward):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2)), accept=False).dossier
        assert _get(ward["user_desk"], f"/staff/dossiers/{d.code}/form/05/").status_code == 404


def test_the_outcome_is_said_only_against_a_recorded_due_moment():
    due = dt.datetime(2026, 3, 10, 17, tzinfo=control.HANOI)
    assert control.step_outcome(due - dt.timedelta(days=1), due) == control.EARLY
    assert control.step_outcome(due - dt.timedelta(hours=1), due) == control.ON_TIME
    assert control.step_outcome(due + dt.timedelta(minutes=1), due) == control.LATE
    assert control.step_outcome(due - dt.timedelta(days=3), due, apologised=True) == control.LATE
    assert control.step_outcome(due, None) is None


# --- Mẫu 06 ------------------------------------------------------------------------------------


def _log(user, **params):
    return _get(user, "/staff/dossiers/log/", **params)


def _log_cells(html):
    """The log's table rows, each as its cells' text."""
    rows = []
    for table in re.findall(r'<table class="register">(.*?)</table>', html, re.S):
        body = table.split("<tbody>", 1)[1]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<td>(.*?)</td>", tr, re.S)
            rows.append([_unescape(c) for c in cells])
    return rows


def _unescape(text):
    import html

    return html.unescape(text)


def _received(ward, days, unit=WARD, desk="desk"):
    codes = []
    for day in days:
        with time_machine.travel(at(day), tick=False):
            codes.append(submit(ward, now=at(day), unit=unit, desk=desk).dossier.code)
    return codes


def test_the_log_lists_the_desk_s_dossiers_of_the_period_in_receipt_order(ward):
    first, second, _after = _received(
        ward, [dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 9)]
    )
    with time_machine.travel(at(dt.date(2026, 3, 2), 10), tick=False):
        drive(ward, first, to="assigned", now=at(dt.date(2026, 3, 2), 10))
    with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
        html = _log(ward["user_desk"], unit=WARD, **{"from": "2026-03-01", "to": "2026-03-06"})
    assert html.status_code == 200
    rows = _log_cells(html.content.decode())
    assert [r[1] for r in rows] == [first, second]
    assert [r[0] for r in rows] == ["1", "2"]
    one = rows[0]
    assert one[4] == "Trần Thị Bích" and one[5] == "12 Phó Đức Chính; 0912345678"
    assert one[6] == "UBND phường Phúc Xá"
    assert one[7] == "09:00 02/03/2026"
    assert one[9] == "02/03/2026"  # transferred
    # Not transferred, no result, not returned: blank, not a date and not zero.
    assert rows[1][9:12] == ["", "", ""]
    page = html.content.decode()
    assert "Mẫu số 06" in page and "SỔ THEO DÕI HỒ SƠ" in page
    assert "Bộ phận tiếp nhận và trả kết quả UBND phường Phúc Xá (mã 00001)" in page


def test_the_log_masks_personal_data_for_an_officer_without_the_right(ward, monitor):
    _received(ward, [dt.date(2026, 3, 2)])
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        html = _log(
            monitor["user_monitor"], unit=WARD, **{"from": "2026-03-02", "to": "2026-03-02"}
        )
    (row,) = _log_cells(html.content.decode())
    assert row[4] == "T. T. B."
    assert "0912345678" not in html.content.decode() and "Phó Đức Chính" not in row[5]
    assert row[5] == "***; 091****678"


def test_another_ward_s_log_answers_as_missing(ward, ward_b):
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        other = _log(ward["user_desk"], unit=WARD_B)
        own = _log(ward_b["user_desk"], unit=WARD_B)
    assert other.status_code == 404
    assert own.status_code == 200


def test_an_empty_period_says_so(ward):
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        html = _log(ward["user_desk"], unit=WARD, **{"from": "2026-02-01", "to": "2026-02-28"})
    page = html.content.decode()
    assert "Không có hồ sơ tiếp nhận trong kỳ." in page
    assert '<table class="register">' not in page


def test_a_bad_period_is_refused_naming_its_field(ward):
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        long = _log(ward["user_desk"], unit=WARD, **{"from": "2025-01-01", "to": "2026-03-01"})
        bad = _log(ward["user_desk"], unit=WARD, **{"from": "2026-13-01"})
        backwards = _log(ward["user_desk"], unit=WARD, **{"from": "2026-03-02", "to": "2026-03-01"})
    assert long.status_code == 422 and "(to)" in long.content.decode()
    assert "tối đa 366 ngày" in long.content.decode()
    assert bad.status_code == 422 and "(from)" in bad.content.decode()
    assert backwards.status_code == 422 and "(to)" in backwards.content.decode()


def test_the_xlsx_has_the_page_s_rows(ward):
    _received(ward, [dt.date(2026, 3, 2), dt.date(2026, 3, 3)])
    params = {"unit": WARD, "from": "2026-03-01", "to": "2026-03-06"}
    with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
        page = _log(ward["user_desk"], **params).content.decode()
        book = _log(ward["user_desk"], format="xlsx", **params)
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(book.content)).active
    values = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    data = [row for row in values if row and re.fullmatch(r"\d+", row[0] or "")]
    assert data == _log_cells(page)
    assert len(data) == 2
    assert any("Tên thủ tục hành chính" in row for row in values)


def _log_events():
    from cqdt.core.models import AuditEvent

    return list(AuditEvent.objects.filter(action="tracking_log_view").order_by("id"))


def _personal_values(codes):
    from cqdt.dossiers.models import Dossier

    values = set()
    for d in Dossier.objects.filter(code__in=codes):
        values |= {d.applicant_name, d.applicant_id_number, d.applicant_phone, d.applicant_address}
        values |= set(d.applicant_address.split("; "))
    return {v for v in values if v}


def _event_text(event):
    import json

    from cqdt.core.audit import payload_of

    return json.dumps(payload_of(event), ensure_ascii=False)


def test_each_log_served_in_full_is_one_audit_event_without_personal_data(ward):
    """Reviewer W10: the log and its workbook serve a period's applicants in full; each one served
    is written (who, which desk, which days, how many rows, which format, masked or not) and the
    event carries none of the data it served."""
    codes = _received(ward, [dt.date(2026, 3, 2), dt.date(2026, 3, 3)])
    params = {"unit": WARD, "from": "2026-03-01", "to": "2026-03-06"}
    user = ward["user_desk"]
    with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
        before = len(_log_events())
        page = _log(user, **params)
        book = _log(user, format="xlsx", **params)
    assert page.status_code == 200 and book.status_code == 200
    assert "Trần Thị Bích" in page.content.decode()  # served in full: this is what is audited
    events = _log_events()[before:]
    assert [e.after["format"] for e in events] == ["html", "xlsx"]
    for event in events:
        assert event.actor_user_id == user.pk and event.actor_label == user.get_username()
        assert (event.object_type, event.object_id) == ("dossiers.desk", WARD)
        assert event.after == {
            "unit": WARD,
            "unit_code": WARD,
            "from": "2026-03-01",
            "to": "2026-03-06",
            "rows": 2,
            "unmasked": 2,
            "format": event.after["format"],
            "masked": False,
        }
        text = _event_text(event)
        personal = _personal_values(codes)
        assert personal and not [v for v in personal if v in text], text
        assert not [c for c in codes if c in text]  # not even which dossiers


def test_a_masked_log_is_written_too_and_says_so(ward, monitor):
    """The masked log (no right to personal data) is still a read of the desk's record: written
    with masked true and no row in full."""
    _received(ward, [dt.date(2026, 3, 2)])
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        before = len(_log_events())
        html = _log(
            monitor["user_monitor"], unit=WARD, **{"from": "2026-03-02", "to": "2026-03-02"}
        )
    assert html.status_code == 200
    (event,) = _log_events()[before:]
    assert event.actor_user_id == monitor["user_monitor"].pk
    assert event.after["masked"] is True
    assert (event.after["rows"], event.after["unmasked"], event.after["format"]) == (1, 0, "html")


def test_the_city_monitor_reads_who_was_served_a_desk_s_log(ward, monitor):
    """Reviewer W15: the event names its unit as ``unit_code``, so the trail of a desk's log is
    the unit's auditors' to read (``staff.access.may_read_audit_trail``), the city monitor's
    among them, not an administrator's alone."""

    _received(ward, [dt.date(2026, 3, 2)])
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        _log(ward["user_desk"], unit=WARD, **{"from": "2026-03-02", "to": "2026-03-02"})
        reader = logged_in(monitor["user_monitor"])
        trail = reader.get("/api/v1/audit", {"object_type": "dossiers.desk", "object_id": WARD})
    assert trail.status_code == 200, trail.content
    assert "tracking_log_view" in trail.content.decode()


def test_no_log_served_no_event(ward, ward_b):
    """The form alone, a refused period and another ward's code serve no row: nothing written."""
    _received(ward, [dt.date(2026, 3, 2)])
    desk = ward["user_desk"]
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        before = len(_log_events())
        bad = _log(desk, unit=WARD, **{"from": "2026-03-02", "to": "2026-03-01"})
        other = _log(desk, unit=WARD_B, format="xlsx")
    assert (bad.status_code, other.status_code) == (422, 404)
    assert len(_log_events()) == before


def test_the_log_reads_the_same_number_of_queries_for_one_row_or_many(ward):
    def queries(n_days):
        with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
            browser = logged_in(ward["user_desk"])
            browser.get(
                "/staff/dossiers/log/", {"unit": WARD, "from": "2026-03-02", "to": "2026-03-02"}
            )
            with CaptureQueriesContext(connection) as captured:
                response = browser.get(
                    "/staff/dossiers/log/",
                    {"unit": WARD, "from": "2026-03-02", "to": f"2026-03-0{1 + n_days}"},
                )
        assert response.status_code == 200
        return len(captured), len(_log_cells(response.content.decode()))

    _received(ward, [dt.date(2026, 3, 2)])
    one = queries(1)
    _received(ward, [dt.date(2026, 3, 3), dt.date(2026, 3, 4), dt.date(2026, 3, 5)])
    many = queries(4)
    assert (one[1], many[1]) == (1, 4)
    assert many[0] == one[0], (one, many)


def test_the_queue_links_to_the_log_which_opens_on_the_desk_s_own_unit(ward):
    _received(ward, [dt.date(2026, 3, 2)])
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        html = _get(ward["user_desk"], "/staff/dossiers/").content.decode()
        log = _log(ward["user_desk"]).content.decode()
    assert 'href="/staff/dossiers/log/' in html
    # A ward's officer sees one unit: its log of this month so far, without choosing.
    assert len(_log_cells(log)) == 1
    assert "từ ngày 01/03/2026 đến ngày 03/03/2026" in log


def _accepted_row(code, day, **more):
    """A dossier of 00004's desk received on ``day`` and due three days later (no events)."""
    received = at(day)
    return dossier_row(
        code,
        WARD_B,
        status="accepted",
        submitted_at=received,
        valid_receipt_at=received,
        due_at=received + dt.timedelta(days=3),
        **more,
    )


def test_the_log_under_a_reused_code_names_the_unit_of_its_days(client, django_user_model):
    """00004 was Phường Trúc Bạch until 30 June 2025 and is Phường Ba Đình since (Resolution
    1656/NQ-UBTVQH15): a 2024 log is Trúc Bạch's, a 2026 log Ba Đình's, each with its own rows."""
    reference.units(history=True)
    reference.one_stop()
    old = _accepted_row("H26.001.00004-240506-0001", dt.date(2024, 5, 6))
    new = _accepted_row("H26.01.00004-260302-0001", dt.date(2026, 3, 2), is_demo=True)
    user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
    client.force_login(user)
    with time_machine.travel(at(dt.date(2026, 12, 7)), tick=False):
        in_2024 = client.get(
            "/staff/dossiers/log/", {"unit": WARD_B, "from": "2024-05-01", "to": "2024-05-31"}
        ).content.decode()
        in_2026 = client.get(
            "/staff/dossiers/log/", {"unit": WARD_B, "from": "2026-03-01", "to": "2026-03-31"}
        ).content.decode()
    assert [r[1] for r in _log_cells(in_2024)] == [old.code]
    assert [r[1] for r in _log_cells(in_2026)] == [new.code]
    assert (
        "UBND phường Trúc Bạch (mã 00004)" in in_2024
        and "phường Ba Đình" not in in_2024.split("SỔ THEO DÕI HỒ SƠ", 1)[1]
    )
    assert "UBND phường Ba Đình (mã 00004)" in in_2026 and "Trúc Bạch" not in in_2026
    assert _log_cells(in_2024)[0][6] == "UBND phường Trúc Bạch"
    # Demo dossiers carry the demo label, as the other forms do.
    assert "DỮ LIỆU MINH HỌA" in in_2026 and "Dữ liệu minh họa" in _log_cells(in_2026)[0][12]
    assert "DỮ LIỆU MINH HỌA" not in in_2024


def test_the_log_keeps_the_appointment_of_receipt_and_notes_a_later_one(ward):
    """The log's "Hẹn trả kết quả" is the appointment of the receipt (Mẫu 01); a return date
    moved since (here by a supplement's pause) is in the note, not written over it."""
    from cqdt.testing import supplement_requested

    (code,) = _received(ward, [dt.date(2026, 3, 2)])
    with time_machine.travel(at(dt.date(2026, 3, 2), 10), tick=False):
        d = supplement_requested(ward, code, now=at(dt.date(2026, 3, 2), 10))
    with time_machine.travel(at(dt.date(2026, 3, 4)), tick=False):
        d = services.dossier_resubmit(
            actor=Actor.of(ward["user_desk"]), official=ward["desk"], code=code, version=d.version
        )
        (row,) = _log_cells(
            _log(
                ward["user_desk"], unit=WARD, **{"from": "2026-03-02", "to": "2026-03-02"}
            ).content.decode()
        )
    assert d.due_at != d.original_due_at
    assert row[8] == f"{d.original_due_at.astimezone(control.HANOI):%H:%M %d/%m/%Y}"
    assert f"Hẹn trả lại {d.due_at.astimezone(control.HANOI):%H:%M %d/%m/%Y}" in row[12]


def test_a_year_s_moves_are_read_500_ids_at_a_time():
    """A busy ward's year (20-36 thousand dossiers) would bind as many ids in one statement,
    past SQLite's limit: ``moves_of`` binds 500 a statement and finds the moves of every
    chunk (reviewer W4, Low)."""
    from cqdt.units import selectors as unit_selectors

    when = dt.datetime(2025, 6, 2, 3, tzinfo=dt.UTC)
    moved = [dossier_row(f"T-CHUNK-{n:04d}", "00097", submitted_at=when) for n in (3, 700, 1100)]
    for d in moved:
        testing.arranged(d, "00097", "00103", dt.date(2025, 7, 1))
    keys = [f"T-CHUNK-{n:04d}" for n in range(1200)]
    with CaptureQueriesContext(connection) as queries:
        found = unit_selectors.moves_of("dossiers.dossier", keys)
    assert sorted(found) == sorted(d.code for d in moved)
    assert found[moved[1].code] == [(dt.date(2025, 7, 1), "00097", "00103")]
    assert len(queries) == 3  # 1200 ids: three statements of at most 500
    assert all(q["sql"].count("'T-CHUNK-") <= 500 for q in queries)
