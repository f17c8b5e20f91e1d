"""The API's writes take from a request's body only the fields their schemas declare, each named
to its service one by one: the keywords a service takes from the platform — the clock (``now``)
and the demo data's mark (``is_demo``) — never come from a client. A body carrying them, sent
with a bearer token as an integrator sends it, writes at the server's time and as real activity:
"now": "2020-01-01T08:00+07:00" backdates nothing and "is_demo": true hides nothing."""

import datetime as dt

import pytest

from cqdt.oversight.api import shared
from cqdt.oversight.models import (
    CitizenReception,
    Commitment,
    DialogueConference,
    Petition,
    Question,
    VoterMeeting,
)
from cqdt.oversight.tests.conftest import (
    TODAY,
    WARD,
    announce,
    answer,
    commit,
    petition,
    question,
)
from cqdt.testing import at
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db

API = "/api/v1/oversight"
NOW = at(TODAY)  # the ``frozen`` fixture's moment
# What a client might add to a body, hoping it reaches the service.
INJECTED = {"now": "2020-01-01T08:00:00+07:00", "is_demo": True}


def _written(response, model):
    assert response.status_code == 200, response.content.decode()
    return model.objects.get(public_id=response.json()["id"])


def test_an_announcement_is_dated_now_and_real(ba_dinh, bearer):
    body = {
        "ward_code": WARD,
        "scheduled_at": at(TODAY + dt.timedelta(days=10), 8).isoformat(),
        "topic": "Đối thoại về trật tự đô thị",
        "announcement_channels": ["residential_group_heads", "website"],
    }
    c = _written(post(bearer("chair"), f"{API}/conferences", body | INJECTED), DialogueConference)
    assert (c.announced_at, c.is_demo) == (NOW, False)


def test_a_reception_day_is_logged_as_real(ba_dinh, bearer):
    body = {"ward_code": WARD, "date": TODAY.isoformat(), "citizens_received": 3, "matters": 1}
    r = _written(post(bearer("chair"), f"{API}/receptions", body | INJECTED), CitizenReception)
    assert (r.date, r.is_demo) == (TODAY, False)


def test_a_conference_is_held_now(ba_dinh, bearer):
    c = announce(ba_dinh, announced=TODAY - dt.timedelta(days=20))  # held 13 days ago
    body = {"version": c.version, "attendees": 60, "minutes": "Biên bản"}
    url = f"{API}/conferences/{c.public_id}/hold"
    held = _written(post(bearer("chair"), url, body | INJECTED), DialogueConference)
    assert held.held_at == NOW


def test_a_conference_is_cancelled_on_today_s_authority(ba_dinh, bearer):
    """On 1 January 2020 nobody held the ward's chair (the leaders' terms start 1 July 2021): a
    cancellation judged on that day would be refused."""
    c = announce(ba_dinh)
    body = {"version": c.version, "reason": "Trùng lịch họp"}
    url = f"{API}/conferences/{c.public_id}/cancel"
    cancelled = _written(post(bearer("chair"), url, body | INJECTED), DialogueConference)
    assert cancelled.status == "cancelled"


def test_a_petition_is_answered_now(ba_dinh, bearer):
    p = petition(ba_dinh)
    body = {"version": p.version, "answer": "Đã sửa xong đường ngõ 5."}
    url = f"{API}/petitions/{p.public_id}/answer"
    assert _written(post(bearer("chair"), url, body | INJECTED), Petition).answered_at == NOW


def test_a_follow_up_is_dated_today_and_a_closing_now(ba_dinh, bearer):
    p = answer(ba_dinh, petition(ba_dinh))
    body = {"version": p.version, "note": "Đã kiểm tra tại chỗ.", "close": True}
    url = f"{API}/petitions/{p.public_id}/follow-up"
    closed = _written(post(bearer("deputy"), url, body | INJECTED), Petition)
    assert closed.closed_at == NOW
    assert closed.council_follow_up.startswith(f"{TODAY:%d/%m/%Y} – ")


def test_a_question_is_answered_now(ba_dinh, bearer):
    q = question(ba_dinh)
    url = f"{API}/questions/{q.public_id}/answer"
    answered = _written(
        post(bearer("chair"), url, {"answer": "Sẽ khắc phục."} | INJECTED), Question
    )
    assert answered.answered_at == NOW


def test_a_commitment_is_real(ba_dinh, bearer):
    q = question(ba_dinh)
    body = {"text": "Hoàn thành sửa đường", "due_date": "2024-06-30"}
    url = f"{API}/questions/{q.public_id}/commitments"
    assert _written(post(bearer("chair"), url, body | INJECTED), Commitment).is_demo is False


def test_a_commitment_is_done_now(ba_dinh, bearer):
    c = commit(ba_dinh, question(ba_dinh), text="Sửa đường", due=dt.date(2024, 6, 30), now=NOW)
    body = {"version": c.version, "done": True, "progress_note": "Đã xong."}
    url = f"{API}/commitments/{c.public_id}/progress"
    assert _written(post(bearer("chair"), url, body | INJECTED), Commitment).done_at == NOW


def test_a_deputy_s_records_are_real(ba_dinh, bearer):
    """The meeting, the petition and the question the deputy records (their endpoints already
    named each field): none is marked demo by the body."""
    client = bearer("deputy")
    council, seat = str(ba_dinh["council"].public_id), str(ba_dinh["seat"].public_id)
    meeting = {
        "council": council,
        "ward_code": WARD,
        "held_at": at(TODAY - dt.timedelta(days=1), 19).isoformat(),
        "location": "Nhà văn hóa tổ 5",
        "deputies": [seat],
    }
    m = _written(post(client, f"{API}/meetings", meeting | INJECTED), VoterMeeting)
    body = {"meeting": str(m.public_id), "content": "Sửa đèn", "routed_level": "ward"}
    p = _written(post(client, f"{API}/petitions", body | INJECTED), Petition)
    asked = {
        "council": council,
        "session_date": (TODAY - dt.timedelta(days=1)).isoformat(),
        "ward_code": WARD,
        "addressed_to": str(ba_dinh["chair"].public_id),
        "question": "Vì sao chậm?",
    }
    q = _written(post(client, f"{API}/questions", asked | INJECTED), Question)
    assert (m.is_demo, p.is_demo, q.is_demo) == (False, False, False)


class _Answer(shared.VersionIn):
    answer: str


class _AnswerWithClock(_Answer):
    now: dt.datetime | None = None


def test_a_record_s_write_names_every_field_of_its_schema_and_no_service_keyword():
    """Checked when an operation is registered, so the mistake fails at import, not in use: a
    field added to a schema (here ``now``) and not named fails; naming it fails too."""
    assert shared.payload_fields(_Answer, ("version", "answer"), "petition") == (
        "version",
        "answer",
    )
    with pytest.raises(TypeError, match="not the schema's"):
        shared.payload_fields(_AnswerWithClock, ("version", "answer"), "petition")
    with pytest.raises(TypeError, match="now is the service's own"):
        shared.payload_fields(_AnswerWithClock, ("version", "answer", "now"), "petition")
    with pytest.raises(TypeError, match="petition is the service's own"):
        shared.payload_fields(_Answer, ("version", "answer", "petition"), "petition")


def test_a_payload_reaches_a_service_by_the_fields_named_only():
    """A subclass of a schema carrying a clock still gives the service only the fields named."""
    payload = _AnswerWithClock(version=1, answer="x", now=at(dt.date(2020, 1, 1)))
    assert shared.given(payload, ("version", "answer")) == {"version": 1, "answer": "x"}


def test_a_page_s_form_field_named_as_a_service_keyword_is_refused_before_any_write():
    """The pages pass a form's cleaned data to the service by the fields' names
    (``views.shared.on_record``): a form field named ``now`` or ``is_demo``, or as the record,
    would have reached it; it is refused, and the service is not called."""
    from cqdt.oversight.views import shared as pages

    called = []
    write = pages.on_record(None, lambda **kw: called.append(kw), petition=object())
    for data in ({"answer": "x", "now": NOW}, {"answer": "x", "is_demo": True}, {"petition": 1}):
        with pytest.raises(TypeError, match="not a client's to send"):
            write(data)
    assert called == []
    assert {"actor", "official", "now", "is_demo"} == shared.SERVICE_ONLY
