"""Issue 13 item 7, the rest of the oversight writes the API allows: the ward's leaders record a
dialogue conference as held or cancel it (a second, explicit step), log citizen-reception days,
and the chairman reports progress on a commitment. Same selectors and services as the API: out of
scope (another district's ids, another ward's) is 404, a wrong role is 403, a stale version 409,
a refusal writes nothing and every success writes its audit event."""

import datetime as dt

import pytest

from cqdt.core.models import AuditEvent
from cqdt.oversight.models import CitizenReception, Commitment, ConferenceStatus, DialogueConference
from cqdt.oversight.tests.conftest import (
    OTHER_WARD,
    TODAY,
    WARD_B,
    announce,
    commit,
    counts,
    error_beside,
    question,
)
from cqdt.testing import at
from cqdt.testing.factories import WARD

pytestmark = pytest.mark.django_db


def due_today(ba_dinh, **kwargs):
    """A conference announced a week ago for 08:00 today (the frozen clock says 09:00)."""
    return announce(ba_dinh, announced=TODAY - dt.timedelta(days=7), **kwargs)


def audit(action):
    return AuditEvent.objects.filter(action=action).count()


def hold_form(c, **overrides):
    data = {
        "form": "hold",
        "h-version": c.version,
        "h-held_at": "",
        "h-attendees": "85",
        "h-minutes": "Biên bản: 12 ý kiến về trật tự đô thị.",
    }
    return data | overrides


def cancel_form(c, **overrides):
    data = {
        "form": "cancel",
        "x-version": c.version,
        "x-reason": "Trùng lịch bầu cử",
        "x-confirm": "yes",
    }
    return data | overrides


# --- dialogue conferences: held, cancelled ---------------------------------------------------------


def test_the_calendar_links_each_conference_to_its_page(login, ba_dinh):
    c = due_today(ba_dinh)
    page = login("chair").get(f"/staff/oversight/wards/{WARD}/conferences/").content.decode()
    assert f"/staff/oversight/conferences/{c.public_id}/" in page


def test_the_chairman_records_a_conference_as_held(login, ba_dinh):
    c = due_today(ba_dinh)
    url = f"/staff/oversight/conferences/{c.public_id}/"
    client = login("chair")
    page = client.get(url).content.decode()
    assert "Ghi nhận hội nghị đã tổ chức" in page and 'name="h-version" value="1"' in page
    r = client.post(url, hold_form(c))
    assert r.status_code == 302 and r["Location"] == url
    c.refresh_from_db()
    assert (c.status, c.attendees, c.held_at) == (ConferenceStatus.HELD, 85, at(TODAY))
    assert audit("conference.hold") == 1
    page = client.get(url).content.decode()
    assert "Đã ghi nhận hội nghị đã tổ chức." in page and "12 ý kiến" in page
    assert 'name="form" value="hold"' not in page  # held: no more forms
    # The form sent again carries a stale version: 409, nothing written.
    before = counts()
    r = client.post(url, hold_form(c, **{"h-version": c.version - 1}))
    assert r.status_code == 409
    assert counts() == before


def test_the_hold_form_shows_every_error_at_once_and_writes_nothing(login, ba_dinh):
    c = due_today(ba_dinh)
    before = counts()
    r = login("chair").post(
        f"/staff/oversight/conferences/{c.public_id}/",
        hold_form(c, **{"h-attendees": "0", "h-minutes": ""}),
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert 'class="error-summary' in page
    for field in ("h-attendees", "h-minutes"):
        assert f'href="#id_{field}"' in page and f'id="id_{field}_error"' in page, field
    assert counts() == before


def test_a_conference_cannot_be_recorded_as_held_before_its_day(login, ba_dinh):
    c = announce(ba_dinh, announced=TODAY, days=7)  # on 11 March
    before = counts()
    r = login("chair").post(f"/staff/oversight/conferences/{c.public_id}/", hold_form(c))
    assert r.status_code == 422
    assert "11/03/2024" in error_beside(r, "h-held_at")
    assert counts() == before


@pytest.mark.parametrize("key", ["desk", "deputy", "district_chair"])
def test_only_the_ward_s_leaders_hold_or_cancel_a_conference(login, ba_dinh, key):
    c = due_today(ba_dinh)
    url = f"/staff/oversight/conferences/{c.public_id}/"
    client = login(key)
    before = counts()
    assert client.post(url, hold_form(c)).status_code == 403
    assert client.post(url, cancel_form(c)).status_code == 403
    assert counts() == before


def test_cancelling_asks_for_confirmation_then_cancels(login, ba_dinh):
    c = due_today(ba_dinh)
    url = f"/staff/oversight/conferences/{c.public_id}/"
    client = login("vice")  # a vice-chairman may cancel
    page = client.get(url).content.decode()
    assert '<details class="confirm-step"' in page
    # The step's button sends the confirmation and the version the page showed.
    assert 'name="x-confirm" value="yes"' in page and 'name="x-version" value="1"' in page
    before = counts()
    r = client.post(url, cancel_form(c, **{"x-confirm": ""}))
    assert r.status_code == 422
    page = r.content.decode()
    assert "Hãy xác nhận trước khi hủy hội nghị." in page
    assert '<details class="confirm-step" open' in page
    assert counts() == before
    r = client.post(url, cancel_form(c))
    assert r.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.cancel_reason) == (ConferenceStatus.CANCELLED, "Trùng lịch bầu cử")
    assert audit("conference.cancel") == 1
    page = client.get(url).content.decode()
    assert "Đã hủy hội nghị." in page and "confirm-step" not in page


def test_another_ward_s_or_district_s_conference_is_404(client, login, ba_dinh, other_deputy):
    c = due_today(ba_dinh)
    url = f"/staff/oversight/conferences/{c.public_id}/"
    before = counts()
    chair_b = login("chair_b")  # Trúc Bạch's chairman: Phúc Xá is not in scope
    assert chair_b.get(url).status_code == 404
    assert chair_b.post(url, hold_form(c)).status_code == 404
    client.force_login(other_deputy)  # Hoàn Kiếm's deputy
    assert client.get(url).status_code == 404
    assert client.post(url, cancel_form(c)).status_code == 404
    assert client.get("/staff/oversight/conferences/not-an-id/").status_code == 404
    assert counts() == before


# --- citizen reception -------------------------------------------------------------------------------


def reception_form(**overrides):
    data = {
        "date": "2024-03-04",
        "official": "",
        "citizens_received": "14",
        "matters": "6",
        "summary": "Đất đai 3, trật tự xây dựng 2, khác 1",
    }
    return data | overrides


def test_the_chairman_logs_a_reception_day(login, ba_dinh):
    url = f"/staff/oversight/wards/{WARD}/receptions/"
    client = login("chair")
    page = client.get(url).content.decode()
    assert "Ghi sổ một ngày tiếp công dân" in page
    r = client.post(url, reception_form())
    assert r.status_code == 302 and r["Location"] == url
    logged = CitizenReception.objects.get()
    assert (logged.ward_code, logged.date, logged.official) == (WARD, TODAY, ba_dinh["chair"])
    assert (logged.citizens_received, logged.matters) == (14, 6)
    assert audit("reception.log") == 1
    page = client.get(url).content.decode()
    assert "Đã ghi sổ tiếp công dân." in page and "04/03/2024" in page
    # The same day again: a conflict on the date, nothing written.
    before = counts()
    r = client.post(url, reception_form())
    assert r.status_code == 409
    assert "đã có sổ" in error_beside(r, "date")
    assert counts() == before


def test_a_ward_officer_logs_for_the_chairman_but_not_for_themselves(login, ba_dinh):
    url = f"/staff/oversight/wards/{WARD}/receptions/"
    client = login("desk")
    before = counts()
    assert client.post(url, reception_form()).status_code == 403  # a desk officer receives nobody
    assert counts() == before
    chair = str(ba_dinh["chair"].public_id)
    assert f'value="{chair}"' in client.get(url).content.decode()
    r = client.post(url, reception_form(official=chair))
    assert r.status_code == 302
    assert CitizenReception.objects.get().official == ba_dinh["chair"]
    assert audit("reception.log") == 1


def test_the_reception_form_shows_every_error_at_once(login, ba_dinh):
    before = counts()
    r = login("chair").post(
        f"/staff/oversight/wards/{WARD}/receptions/",
        {"date": "", "citizens_received": "-1", "matters": "x"},
    )
    assert r.status_code == 422
    page = r.content.decode()
    for field in ("date", "citizens_received", "matters"):
        assert f'href="#id_{field}"' in page and f'id="id_{field}_error"' in page, field
    # A day not yet come is refused by the service, next to the date.
    r = login("chair").post(
        f"/staff/oversight/wards/{WARD}/receptions/", reception_form(date="2024-03-05")
    )
    assert r.status_code == 422 and 'id="id_date_error"' in r.content.decode()
    assert counts() == before


def test_another_ward_s_or_district_s_reception_log_is_404(client, login, ba_dinh, other_deputy):
    before = counts()
    chair = login("chair")
    assert chair.get(f"/staff/oversight/wards/{OTHER_WARD}/receptions/").status_code == 404
    assert (
        chair.post(f"/staff/oversight/wards/{WARD_B}/receptions/", reception_form()).status_code
        == 404
    )
    client.force_login(other_deputy)
    assert (
        client.post(f"/staff/oversight/wards/{WARD}/receptions/", reception_form()).status_code
        == 404
    )
    assert counts() == before


def test_the_index_and_calendar_link_the_reception_log(login, ba_dinh):
    client = login("chair")
    assert (
        f"/staff/oversight/wards/{WARD}/receptions/"
        in client.get("/staff/oversight/").content.decode()
    )
    page = client.get(f"/staff/oversight/wards/{WARD}/conferences/").content.decode()
    assert f"/staff/oversight/wards/{WARD}/receptions/" in page


# --- commitments: progress, done ----------------------------------------------------------------------


@pytest.fixture
def commitment(ba_dinh):
    q = question(
        ba_dinh,
        session_date=dt.date(2024, 2, 1),
        question="Tiến độ cải tạo chợ?",
        now=at(dt.date(2024, 2, 1)),
    )
    return commit(
        ba_dinh,
        q,
        text="Khởi công trong quý I",
        due=dt.date(2024, 3, 31),
        now=at(dt.date(2024, 2, 1)),
    )


def test_the_chairman_reports_progress_then_done(login, ba_dinh, commitment):
    url = f"/staff/oversight/commitments/{commitment.public_id}/"
    question_url = f"/staff/oversight/questions/{commitment.question.public_id}/"
    client = login("chair")
    assert url in client.get(question_url).content.decode()
    r = client.post(url, {"version": commitment.version, "progress_note": "Đã chọn nhà thầu"})
    assert r.status_code == 302 and r["Location"] == question_url
    commitment.refresh_from_db()
    assert (commitment.progress_note, commitment.status) == ("Đã chọn nhà thầu", "open")
    assert audit("commitment.progress") == 1
    assert "Đã ghi nhận tiến độ cam kết." in client.get(question_url).content.decode()
    r = client.post(url, {"version": commitment.version, "progress_note": "", "done": "on"})
    assert r.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.done_at) == ("done", at(TODAY))
    assert audit("commitment.done") == 1
    assert "Ghi nhận tiến độ" not in client.get(url).content.decode()  # done stays done


def test_an_empty_report_or_a_stale_one_writes_nothing(login, ba_dinh, commitment):
    url = f"/staff/oversight/commitments/{commitment.public_id}/"
    client = login("chair")
    before = counts()
    r = client.post(url, {"version": commitment.version, "progress_note": ""})
    assert r.status_code == 422 and 'id="id_progress_note_error"' in r.content.decode()
    r = client.post(url, {"version": commitment.version + 1, "progress_note": "Muộn"})
    assert r.status_code == 409
    assert counts() == before


@pytest.mark.parametrize("key", ["deputy", "vice", "desk"])
def test_only_the_chairman_reports_on_a_commitment(login, ba_dinh, commitment, key):
    before = counts()
    r = login(key).post(
        f"/staff/oversight/commitments/{commitment.public_id}/",
        {"version": commitment.version, "progress_note": "Báo cáo hộ"},
    )
    assert r.status_code == 403
    assert counts() == before
    assert Commitment.objects.get().progress_note == ""


def test_another_district_s_commitment_is_404(client, ba_dinh, commitment, other_deputy, frozen):
    client.force_login(other_deputy)
    url = f"/staff/oversight/commitments/{commitment.public_id}/"
    before = counts()
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"version": commitment.version, "progress_note": "x"}).status_code == 404
    )
    assert counts() == before
    assert DialogueConference.objects.count() == 0


def test_the_new_pages_speak_english_when_asked(login, ba_dinh, commitment):
    c = due_today(ba_dinh)
    client = login("chair")
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = client.get(f"/staff/oversight/conferences/{c.public_id}/", **en).content.decode()
    assert "Record the conference as held" in page and "Confirm: cancel the conference" in page
    assert "Through residential-group heads" in page  # the channels too
    page = client.get(f"/staff/oversight/wards/{WARD}/receptions/", **en).content.decode()
    assert "Log a day of citizen reception" in page and "Citizens received" in page
    page = client.get(
        f"/staff/oversight/commitments/{commitment.public_id}/", **en
    ).content.decode()
    assert "Report progress on the commitment" in page


def test_the_conference_calendar_names_the_channels_in_english_when_asked(login, ba_dinh):
    """The calendar's announcement form and its list of announced conferences gave the channels
    in Vietnamese on the English page ('Loa truyền thanh', 'Niêm yết tại trụ sở'); the
    conference's own page already named them in English."""
    due_today(ba_dinh)
    page = (
        login("chair")
        .get(f"/staff/oversight/wards/{WARD}/conferences/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Public loudspeakers" in page and "Notice board at the ward office" in page  # form
    assert "Loa truyền thanh" not in page and "Niêm yết tại trụ sở" not in page
    assert "Qua tổ trưởng tổ dân phố" not in page  # the announced conference's channel
    vi = login("chair").get(f"/staff/oversight/wards/{WARD}/conferences/").content.decode()
    assert "Loa truyền thanh" in vi and "Qua tổ trưởng tổ dân phố" in vi
