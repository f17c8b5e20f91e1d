"""Issue 13 item 7: every oversight write the API allows a role has a page. A deputy records a
voter meeting, the petitions raised there and a question to the ward chairman; the chairman
records the answer and the commitments. Same services as the API (same permissions, same audit):
a deputy of another council gets 404, a ward officer cannot record for a deputy (403), a refusal
writes nothing, every error shows at once in the summary."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt.core.models import AuditEvent
from cqdt.oversight import selectors, worklist
from cqdt.oversight.models import Commitment, Petition, Question, VoterMeeting
from cqdt.oversight.tests.conftest import (
    OTHER_WARD,
    counts,
    error_beside,
    meeting,
    petition,
    question,
)
from cqdt.staff.access import principal_for
from cqdt.testing import at
from cqdt.testing.factories import WARD

pytestmark = pytest.mark.django_db


def refused(client, url, data, status):
    """Posting ``data`` to ``url`` is answered ``status`` and writes nothing: the answer."""
    before = counts()
    r = client.post(url, data)
    assert r.status_code == status
    assert counts() == before
    return r


def meeting_form(ba_dinh, **overrides):
    data = {
        "ward_code": WARD,
        "held_at": "2024-03-02T19:00",
        "location": "Nhà văn hóa tổ 7",
        "deputies": [str(ba_dinh["seat"].public_id)],
        "attendees": "65",
        "notes": "",
    }
    return data | overrides


def test_a_deputy_records_a_voter_meeting_then_a_petition(login, ba_dinh):
    client = login("deputy")
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/meetings/"
    page = client.get(url).content.decode()
    assert "Ghi nhận buổi tiếp xúc cử tri" in page
    assert f'value="{WARD}"' in page and f'value="{OTHER_WARD}"' not in page
    r = client.post(url, meeting_form(ba_dinh))
    assert r.status_code == 302
    m = VoterMeeting.objects.get()
    assert r["Location"] == f"/staff/oversight/meetings/{m.public_id}/"
    assert (m.ward_code, m.attendees, m.recorded_by) == (WARD, 65, ba_dinh["deputy"])
    assert AuditEvent.objects.filter(action="voter_meeting.record").count() == 1

    r = client.post(
        f"/staff/oversight/meetings/{m.public_id}/",
        {"content": "Lắp đèn chiếu sáng ngõ 12", "routed_level": "ward"},
    )
    assert r.status_code == 302 and r["Location"] == f"/staff/oversight/meetings/{m.public_id}/"
    p = Petition.objects.get()
    assert (p.content, p.routed_unit_code, p.received_on) == (
        "Lắp đèn chiếu sáng ngõ 12",
        WARD,
        dt.date(2024, 3, 2),
    )
    assert AuditEvent.objects.filter(action="petition.receive").count() == 1
    page = client.get(r["Location"]).content.decode()
    assert "Lắp đèn chiếu sáng ngõ 12" in page and "Đã ghi nhận kiến nghị." in page
    # The meeting and the petitions list link the petition's page.
    assert f"/staff/oversight/petitions/{p.public_id}/" in page
    listed = client.get("/staff/oversight/petitions/").content.decode()
    assert f"/staff/oversight/petitions/{p.public_id}/" in listed


def test_a_meeting_recorded_without_a_count_of_voters_says_not_recorded_not_0(login, ba_dinh):
    # Missing is not zero: the field left empty is stored as not recorded and shown so.
    client = login("deputy")
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/meetings/"
    assert 'name="attendees" value="0"' not in client.get(url).content.decode()
    r = client.post(url, meeting_form(ba_dinh) | {"attendees": ""})
    assert r.status_code == 302
    m = VoterMeeting.objects.get()
    assert m.attendees is None
    for page in (client.get(r["Location"]), client.get(url)):
        assert "Chưa ghi nhận" in page.content.decode()


def test_the_meeting_form_shows_every_error_at_once_and_writes_nothing(login, ba_dinh):
    client = login("deputy")
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/meetings/"
    page = refused(client, url, {"attendees": "-3"}, 422).content.decode()
    assert 'class="error-summary' in page
    for field in ("ward_code", "held_at", "location", "deputies", "attendees"):
        assert f'href="#id_{field}' in page, field
        assert f'id="id_{field}_error"' in page, field


def test_a_rule_refusal_is_shown_next_to_its_field(login, ba_dinh):
    # The ward is outside the constituency of every deputy present: said beside the ward.
    client = login("deputy")
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/meetings/"
    present = [str(ba_dinh["other_seat"].public_id)]  # Vĩnh Phúc's deputy only
    r = refused(client, url, meeting_form(ba_dinh, deputies=present), 422)
    assert "đơn vị bầu cử" in error_beside(r, "ward_code")


@pytest.mark.parametrize("key", ["desk", "chair", "district_chair"])
def test_ward_and_district_officers_cannot_record_for_a_deputy(login, ba_dinh, key):
    m = meeting(ba_dinh)
    client = login(key)
    for_the_deputy = {"content": "Kiến nghị ghi hộ", "routed_level": "ward"}
    r = refused(client, f"/staff/oversight/meetings/{m.public_id}/", for_the_deputy, 403)
    assert "Chỉ đại biểu" in r.content.decode()
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/meetings/"
    refused(client, url, meeting_form(ba_dinh), 403)


def test_a_deputy_of_another_council_gets_404(client, login, ba_dinh, other_deputy):
    m = meeting(ba_dinh)
    council = ba_dinh["council"].public_id
    client.force_login(other_deputy)
    before = counts()
    assert client.get(f"/staff/oversight/councils/{council}/meetings/").status_code == 404
    assert client.get(f"/staff/oversight/councils/{council}/questions/new/").status_code == 404
    assert client.get(f"/staff/oversight/meetings/{m.public_id}/").status_code == 404
    r = client.post(
        f"/staff/oversight/meetings/{m.public_id}/",
        {"content": "Kiến nghị", "routed_level": "ward"},
    )
    assert r.status_code == 404
    r = client.post(f"/staff/oversight/councils/{council}/meetings/", meeting_form(ba_dinh))
    assert r.status_code == 404
    assert counts() == before
    # Missing ids answer the same.
    assert client.get("/staff/oversight/meetings/not-an-id/").status_code == 404


def test_a_deputy_questions_the_chairman_who_answers_and_commits(client, login, ba_dinh):
    deputy = login("deputy")
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/questions/new/"
    form = {"session_date": "2024-03-01", "ward_code": WARD, "question": "Tiến độ cải tạo chợ?"}
    r = deputy.post(url, form)
    assert r.status_code == 302
    q = Question.objects.get()
    assert r["Location"] == f"/staff/oversight/questions/{q.public_id}/"
    assert q.addressed_to == ba_dinh["chair"]  # the ward's chairman on the session's date
    assert AuditEvent.objects.filter(action="question.ask").count() == 1

    # The deputy may not answer for the chairman; nothing is written.
    refused(deputy, r["Location"], {"form": "answer", "a-answer": "Trả lời hộ"}, 403)

    chair = login("chair")
    page_url = f"/staff/oversight/questions/{q.public_id}/"
    r = chair.post(page_url, {"form": "answer", "a-answer": "Hoàn thành trong quý II."})
    assert r.status_code == 302
    r = chair.post(page_url, {"form": "commitment", "c-text": "Khởi công", "c-due_date": ""})
    assert r.status_code == 422
    assert 'href="#id_c-due_date"' in r.content.decode()
    r = chair.post(
        page_url, {"form": "commitment", "c-text": "Khởi công", "c-due_date": "2024-06-30"}
    )
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.answer == "Hoàn thành trong quý II." and q.answered_by == ba_dinh["chair"]
    assert Commitment.objects.get().due_date == dt.date(2024, 6, 30)
    page = chair.get(page_url).content.decode()
    assert "Khởi công" in page and "Ghi nhận trả lời chất vấn" not in page
    record = chair.get(f"/staff/oversight/councils/{ba_dinh['council'].public_id}/questions/")
    assert page_url in record.content.decode()


def test_a_ward_officer_cannot_record_a_question(login, ba_dinh):
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/questions/new/"
    form = {"session_date": "2024-03-01", "ward_code": WARD, "question": "Câu hỏi"}
    refused(login("desk"), url, form, 403)


def test_the_index_links_the_record_pages(login, ba_dinh):
    page = login("deputy").get("/staff/oversight/").content.decode()
    council = ba_dinh["council"].public_id
    assert f"/staff/oversight/councils/{council}/meetings/" in page
    assert f"/staff/oversight/councils/{council}/questions/new/" in page


def test_the_chairman_answers_a_petition_and_the_deputy_closes_it(login, ba_dinh):
    p = petition(ba_dinh)
    url = f"/staff/oversight/petitions/{p.public_id}/"
    answer = {"form": "answer", "a-version": p.version, "a-answer": "Hộ"}
    refused(login("desk"), url, answer, 403)  # a desk officer has no authority to answer
    chair = login("chair")
    r = chair.post(url, {"form": "answer", "a-version": p.version, "a-answer": ""})
    assert r.status_code == 422 and 'href="#id_a-answer"' in r.content.decode()
    r = chair.post(url, {"form": "answer", "a-version": p.version, "a-answer": "Đã lắp đèn."})
    assert r.status_code == 302 and r["Location"] == url
    # The same form sent again carries a stale version: refused, nothing written.
    refused(chair, url, {"form": "answer", "a-version": p.version, "a-answer": "Lần hai"}, 409)
    deputy = login("deputy")
    p.refresh_from_db()
    r = deputy.post(
        url, {"form": "follow_up", "f-version": p.version, "f-note": "Đạt yêu cầu", "f-close": "on"}
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.answer == "Đã lắp đèn." and p.closed_at is not None
    assert "Đạt yêu cầu" in p.council_follow_up
    assert AuditEvent.objects.filter(action__in=["petition.answer", "petition.close"]).count() == 2
    page = deputy.get(url).content.decode()
    assert "Ghi nhận ý kiến giám sát" not in page  # closed: no more follow-up


# --- what waits for them on the staff home (issue 13 item 7) ----------------------------------


def test_the_home_lists_the_oversight_items_waiting_for_each_role(login, ba_dinh):
    late = petition(ba_dinh, day=dt.date(2024, 1, 10), content="Đã quá hạn trả lời")
    petition(ba_dinh, day=dt.date(2024, 2, 20), content="Còn hạn trả lời")
    question(ba_dinh, session_date=dt.date(2024, 3, 1), question="Tiến độ cải tạo chợ?", now=None)
    now = at(dt.date(2024, 3, 4))
    deputy = {s.key: s for s in worklist.sections(ba_dinh["users"]["deputy"], now)}
    assert set(deputy) == {"petitions_overdue"}
    assert deputy["petitions_overdue"].count == 1
    assert (
        deputy["petitions_overdue"].items[0].url == f"/staff/oversight/petitions/{late.public_id}/"
    )
    chair = {s.key: s for s in worklist.sections(ba_dinh["users"]["chair"], now)}
    assert chair["petitions_to_answer"].count == 2
    assert chair["questions_to_answer"].count == 1
    # Trúc Bạch's chairman has nothing of Phúc Xá's; a desk officer answers nothing.
    chair_b = {s.key: s for s in worklist.sections(ba_dinh["users"]["chair_b"], now)}
    assert chair_b["petitions_to_answer"].count == 0
    assert chair_b["questions_to_answer"].count == 0
    assert worklist.sections(ba_dinh["users"]["desk"], now) == []

    page = login("deputy").get("/staff/").content.decode()
    assert "Kiến nghị cử tri quá hạn trả lời" in page
    assert f'href="/staff/oversight/petitions/{late.public_id}/"' in page


def test_oversight_sections_are_one_query_each(ba_dinh, frozen):
    user = ba_dinh["users"]["chair"]
    now = at(dt.date(2024, 3, 4))
    # The reads before the sections, as each request pays them: once to keep the reference rows
    # behind the principal (the units' kinds, core.refcache), then counted.
    principal_for(user, now.date())
    with CaptureQueriesContext(connection) as setup:
        principal = principal_for(user, now.date())
        selectors.seats_of(principal.official, now.date())
    with CaptureQueriesContext(connection) as run:
        found = worklist.sections(user, now)
    assert len(found) == 2
    assert len(run) == len(setup) + len(found)
    for day in (dt.date(2024, 1, 10), dt.date(2024, 1, 11), dt.date(2024, 1, 12)):
        petition(ba_dinh, day=day)
    with CaptureQueriesContext(connection) as again:
        worklist.sections(user, now)
    assert len(again) == len(run)
