"""Refusals a ward chairman and a district councillor meet that no test exercised, as an outside
client meets them: the API with a bearer token, the pages with a session whose CSRF token is
checked. Each answers its status with the code, the field at fault and the sentence in both
languages, and writes nothing."""

import datetime as dt
import re

import pytest

from cqdt.oversight import services
from cqdt.oversight.models import Question
from cqdt.oversight.tests.conftest import (
    DISTRICT,
    SYSTEM,
    TODAY,
    WARD,
    WARD_B,
    acting_chair_b,
    announce,
    answer,
    commit,
    counts,
    error_beside,
    hold,
    petition,
    question,
    vacate_chair_b,
)
from cqdt.testing import at
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db

API = "/api/v1/oversight"


def _refused(response, status: int, code: str, field: str, vi: str, en: str) -> None:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)
    assert vi in body["messages"]["vi"] and en in body["messages"]["en"]


# --- text of blanks only: the schema's minimum length passes it, the service refuses it --------


@pytest.mark.parametrize(
    ("who", "step", "body", "field", "vi", "en"),
    [
        (
            "chair",
            "petitions/{p}/answer",
            {"answer": "   "},
            "answer",
            "Cần nhập nội dung trả lời.",
            "The answer is required.",
        ),
        (
            "deputy",
            "petitions/{p}/follow-up",
            {"note": " \n "},
            "note",
            "Cần nhập ý kiến giám sát.",
            "The follow-up note is required.",
        ),
    ],
)
def test_a_petition_s_text_of_blanks_only_is_a_422_naming_it(
    ba_dinh, bearer, who, step, body, field, vi, en
):
    p = petition(ba_dinh)
    if who == "deputy":
        p = answer(ba_dinh, p)
    client = bearer(who)
    before = counts()
    url = f"{API}/{step.format(p=p.public_id)}"
    _refused(post(client, url, {"version": p.version} | body), 422, "invalid_input", field, vi, en)
    assert counts() == before


def test_the_chairman_s_answer_of_blanks_only_to_a_question_is_a_422(ba_dinh, bearer):
    q = question(ba_dinh)
    client = bearer("chair")
    before = counts()
    refused = post(client, f"{API}/questions/{q.public_id}/answer", {"answer": "\t  "})
    _refused(refused, 422, "invalid_input", "answer", "Cần nhập", "is required")
    assert counts() == before


# --- a commitment due before the session that heard it ------------------------------------------


def test_a_commitment_due_before_its_session_is_refused_by_the_api_and_the_page(
    ba_dinh, bearer, session
):
    """The question was asked at the session of 6 December 2023: a commitment cannot fall due
    on 1 December 2023 (a typing slip for 2024, say)."""
    q = question(ba_dinh)
    api, browser = bearer("chair"), session("chair")
    page_url = f"/staff/oversight/questions/{q.public_id}/"
    token = browser.get(page_url).cookies["csrftoken"].value
    before = counts()
    refused = post(
        api,
        f"{API}/questions/{q.public_id}/commitments",
        {"text": "Sửa xong đường ngõ 5", "due_date": "2023-12-01"},
    )
    _refused(
        refused,
        422,
        "invalid_input",
        "due_date",
        "Hạn thực hiện cam kết không thể trước ngày chất vấn.",
        "A commitment cannot fall due before the session that heard it.",
    )
    page = browser.post(
        page_url,
        {
            "csrfmiddlewaretoken": token,
            "form": "commitment",
            "c-text": "Sửa xong đường ngõ 5",
            "c-due_date": "2023-12-01",
        },
    )
    assert page.status_code == 422
    assert "Hạn thực hiện cam kết không thể trước ngày chất vấn." in error_beside(
        page, "c-due_date"
    )
    assert counts() == before


# --- a voter meeting listing a deputy not in office on its day ----------------------------------


def test_a_meeting_listing_a_deputy_whose_seat_begins_later_is_a_422(ba_dinh, bearer):
    """A deputy of the same council seated from 1 April 2024 (a by-election, say) was no deputy
    at a meeting of 3 March 2024: the councillor recording it may not list them."""
    later = services.deputy_register(
        actor=SYSTEM,
        council=ba_dinh["council"],
        full_name="Ngô Đại Biểu",
        constituency=[WARD],
        term_start=dt.date(2024, 4, 1),
    )
    client = bearer("deputy")
    before = counts()
    refused = post(
        client,
        f"{API}/meetings",
        {
            "council": str(ba_dinh["council"].public_id),
            "ward_code": WARD,
            "held_at": at(TODAY - dt.timedelta(days=1), 19).isoformat(),
            "location": "Nhà văn hóa tổ 5",
            "deputies": [str(ba_dinh["seat"].public_id), str(later.public_id)],
        },
    )
    _refused(
        refused,
        422,
        "deputy_not_in_council",
        "deputies",
        "Có đại biểu không thuộc HĐND quận Ba Đình, nhiệm kỳ 2021–2026 hoặc không còn trong "
        "nhiệm kỳ vào ngày 03/03/2024.",
        "A deputy listed is not a deputy of HĐND quận Ba Đình, nhiệm kỳ 2021–2026 in office on "
        "2024-03-03.",
    )
    assert counts() == before


# --- a follow-up log that is full ---------------------------------------------------------------


def test_a_follow_up_past_the_log_s_8000_characters_is_a_422_and_the_log_is_kept(ba_dinh, bearer):
    """Each note may have 2,000 characters; the petition's log holds 8,000: the deputy's fourth
    long note would overflow it and is refused, the first three kept as they were."""
    p = answer(ba_dinh, petition(ba_dinh))
    client = bearer("deputy")
    note = "Đã kiểm tra. " + "x" * 1980
    url = f"{API}/petitions/{p.public_id}/follow-up"
    version = p.version
    for _ in range(3):
        written = post(client, url, {"version": version, "note": note})
        assert written.status_code == 200, written.content.decode()
        version = written.json()["version"]
    before = counts()
    kept = client.get(f"{API}/petitions/{p.public_id}").json()["council_follow_up"]
    refused = post(client, url, {"version": version, "note": note})
    _refused(
        refused,
        422,
        "invalid_input",
        "note",
        "Sổ theo dõi của kiến nghị đã đầy (8000 ký tự).",
        "The petition's follow-up log is full (8,000 characters).",
    )
    assert counts() == before
    assert client.get(f"{API}/petitions/{p.public_id}").json()["council_follow_up"] == kept


# --- a report asked for the council's own district ----------------------------------------------


def test_a_councillor_asking_the_ward_report_of_the_district_gets_404(ba_dinh, bearer, session):
    """The deputy may see the council's district (001), but a ward's report is a ward's: the
    district's code answers as a missing ward, on the API and on the page."""
    api = bearer("deputy").get(
        f"{API}/wards/{DISTRICT}/report", {"from": "2024-01-01", "to": "2024-03-01"}
    )
    assert api.status_code == 404, api.content.decode()
    assert api.json()["code"] == "unit_not_found"
    page = session("deputy").get(f"/staff/oversight/wards/{DISTRICT}/report/")
    assert page.status_code == 404


# --- a question to a ward whose chair is vacant -------------------------------------------------


@pytest.fixture
def vacant_chair_b(ba_dinh, frozen):
    """Trúc Bạch's chairman transferred on 1 February 2024; the district chairman gave the
    chair's authority (giao quyền) to an official from that day (Decree 32/2021/NĐ-CP)."""
    vacate_chair_b()
    return acting_chair_b(ba_dinh)


def test_a_question_on_the_page_to_a_ward_without_any_holder_of_the_chair_is_a_422(
    ba_dinh, session
):
    """Before the chairmen's terms (1 July 2021) nobody held Phúc Xá's chair: the page, which
    looks the chairman up, refuses beside the ward, and nothing is written."""
    browser = session("deputy")
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/questions/new/"
    token = browser.get(url).cookies["csrftoken"].value
    before = counts()
    page = browser.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "session_date": "2021-06-30",
            "ward_code": WARD,
            "question": "Vì sao chậm trả lời kiến nghị?",
        },
    )
    assert page.status_code == 422
    assert "Phường không có Chủ tịch UBND vào ngày 30/06/2021." in error_beside(page, "ward_code")
    assert counts() == before


def test_a_question_to_a_ward_whose_chair_is_held_by_assignment_is_recorded_on_the_page(
    ba_dinh, session, bearer, vacant_chair_b
):
    """The API lets the deputy question the holder of the chair's authority while the post is
    vacant (``holds_chair``); the page said 'the ward has no chairman' (it looked up an
    appointed chairman only). It now addresses the question to the acting holder, as the API."""
    council = str(ba_dinh["council"].public_id)
    api = post(
        bearer("deputy"),
        f"{API}/questions",
        {
            "council": council,
            "session_date": "2024-03-01",
            "ward_code": WARD_B,
            "addressed_to": str(vacant_chair_b.public_id),
            "question": "Bao giờ có Chủ tịch phường?",
        },
    )
    assert api.status_code == 200, api.content.decode()
    browser = session("deputy")
    url = f"/staff/oversight/councils/{council}/questions/new/"
    token = browser.get(url).cookies["csrftoken"].value
    page = browser.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "session_date": "2024-03-01",
            "ward_code": WARD_B,
            "question": "Vì sao chậm trả lời kiến nghị?",
        },
    )
    assert page.status_code == 302, re.findall(
        r"msg-error[^<]*<[^<]*</span>([^<]*)", page.content.decode()
    )
    asked = Question.objects.get(question="Vì sao chậm trả lời kiến nghị?")
    assert asked.addressed_to == vacant_chair_b


# --- a move the record's state no longer allows -------------------------------------------------


def _close(ba_dinh, p):
    """The deputy closes petition ``p`` (answered), satisfied with the answer."""
    return services.petition_follow_up(
        actor=SYSTEM,
        official=ba_dinh["deputy"],
        petition=p,
        version=p.version,
        note="",
        close=True,
        now=at(TODAY),
    )


@pytest.mark.parametrize(
    ("who", "state", "step", "body", "vi", "en"),
    [
        (
            "deputy",
            "received",
            "follow-up",
            {"note": "", "close": True},
            "Không thể “kết thúc” khi kiến nghị đang ở trạng thái “Đã tiếp nhận, chờ trả lời”.",
            "Cannot “close” a petition that is “received”.",
        ),
        (
            "chair",
            "closed",
            "answer",
            {"answer": "Trả lời bổ sung"},
            "Không thể “trả lời” khi kiến nghị đang ở trạng thái",
            "Cannot “answer” a petition that is “closed”.",
        ),
        (
            "deputy",
            "closed",
            "follow-up",
            {"note": "Cử tri phản ánh lại"},
            "Không thể “ghi ý kiến giám sát” khi kiến nghị đang ở trạng thái",
            "Cannot “follow up” a petition that is “closed”.",
        ),
    ],
)
def test_a_petition_move_its_state_does_not_allow_is_a_422(
    ba_dinh, bearer, who, state, step, body, vi, en
):
    """A deputy may not close a petition still awaiting the ward's answer; once closed, neither
    the chairman's answer nor a deputy's note reopens it."""
    p = petition(ba_dinh)
    if state == "closed":
        p = _close(ba_dinh, answer(ba_dinh, p))
    client = bearer(who)
    before = counts()
    refused = post(client, f"{API}/petitions/{p.public_id}/{step}", {"version": p.version} | body)
    _refused(refused, 422, "petition_move_refused", "status", vi, en)
    assert counts() == before


@pytest.mark.parametrize(
    ("done", "step", "body", "vi", "en"),
    [
        (
            "held",
            "cancel",
            {"reason": "Trùng lịch"},
            "Không thể “hủy” khi hội nghị đang ở trạng thái",
            "Cannot “cancel” a conference that is “held”.",
        ),
        (
            "cancelled",
            "hold",
            {"attendees": 40, "minutes": "Biên bản"},
            "Không thể “ghi nhận đã tổ chức” khi hội nghị đang ở trạng thái",
            "Cannot “record as held” a conference that is “cancelled”.",
        ),
    ],
)
def test_a_conference_held_or_cancelled_is_closed_to_the_chairman(
    ba_dinh, bearer, done, step, body, vi, en
):
    c = announce(ba_dinh, announced=TODAY - dt.timedelta(days=20))  # scheduled 13 days ago
    if done == "held":
        c = hold(ba_dinh, c)
    else:
        c = services.conference_cancel(
            actor=SYSTEM,
            official=ba_dinh["chair"],
            conference=c,
            version=c.version,
            reason="Mưa bão",
            now=at(TODAY - dt.timedelta(days=15)),
        )
    client = bearer("chair")
    before = counts()
    url = f"{API}/conferences/{c.public_id}/{step}"
    _refused(
        post(client, url, {"version": c.version} | body), 422, "conference_closed", "status", vi, en
    )
    assert counts() == before


def test_a_done_commitment_takes_no_more_progress(ba_dinh, bearer):
    c = commit(
        ba_dinh, question(ba_dinh), text="Sửa đường", due=dt.date(2024, 6, 30), now=at(TODAY)
    )
    done = services.commitment_update(
        actor=SYSTEM,
        official=ba_dinh["chair"],
        commitment=c,
        version=c.version,
        done=True,
        now=at(TODAY),
    )
    client = bearer("chair")
    before = counts()
    refused = post(
        client,
        f"{API}/commitments/{c.public_id}/progress",
        {"version": done.version, "progress_note": "Làm lại mặt đường"},
    )
    _refused(
        refused,
        422,
        "commitment_done",
        "status",
        "Không thể “báo cáo tiến độ” khi cam kết đang ở trạng thái",
        "Cannot “report progress on” a commitment that is “done”.",
    )
    assert counts() == before


def test_a_question_answered_is_not_answered_again(ba_dinh, bearer):
    q = question(ba_dinh)
    services.question_answer(
        actor=SYSTEM, official=ba_dinh["chair"], question=q, answer="Đã trả lời", now=at(TODAY)
    )
    client = bearer("chair")
    before = counts()
    refused = post(client, f"{API}/questions/{q.public_id}/answer", {"answer": "Trả lời lại"})
    _refused(
        refused,
        409,
        "already_answered",
        "answer",
        "Chất vấn này đã được trả lời.",
        "This question has already been answered.",
    )
    assert counts() == before
