"""Who is questioned for a ward on a session day, asked of the page and of the API: one rule
(``staff.selectors.chair_holder_of``) — the chairman in post, else while the post is vacant the
holder of the chair's authority (giao quyền, Decree 32/2021/NĐ-CP), else nobody. The page names
the person the API accepts, and refuses when the API accepts nobody; tested as an outside
client (a CSRF-enforcing session, a bearer token)."""

import datetime as dt

import pytest
from django.test import Client

from cqdt.oversight.models import Question
from cqdt.oversight.tests.conftest import (
    WARD_B,
    acting_chair_b,
    counts,
    error_beside,
    vacate_chair_b,
)
from cqdt.staff import posts
from cqdt.staff import rules as staff_rules
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.models import AppointmentKind
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db

API = "/api/v1/oversight"


def _page(browser: Client, ba_dinh, session_date: str, text: str):
    url = f"/staff/oversight/councils/{ba_dinh['council'].public_id}/questions/new/"
    token = browser.get(url).cookies["csrftoken"].value
    return browser.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "session_date": session_date,
            "ward_code": WARD_B,
            "question": text,
        },
    )


def _api(client: Client, ba_dinh, session_date: str, addressed_to, text: str):
    body = {
        "council": str(ba_dinh["council"].public_id),
        "session_date": session_date,
        "ward_code": WARD_B,
        "addressed_to": str(addressed_to.public_id),
        "question": text,
    }
    return post(client, f"{API}/questions", body)


def _not_the_chair(response) -> None:
    assert response.status_code == 422, response.content.decode()
    body = response.json()
    assert (body["code"], body["field"]) == ("not_ward_chairman", "addressed_to")
    assert "không giữ chức Chủ tịch UBND" in body["messages"]["vi"]
    assert "does not hold the chair" in body["messages"]["en"]


@pytest.mark.parametrize(
    ("case", "session_date"),
    [("chairman_in_post", "2024-01-15"), ("acting_while_vacant", "2024-03-01")],
)
def test_the_page_questions_the_one_person_the_api_accepts(
    ba_dinh, bearer, session, case, session_date
):
    """(a) the chairman in post; (b) while the post is vacant, the holder of its authority. The
    page records its question to the person the API records one to, and the API refuses the
    ward's other leader (its vice-chairman, or the chairman who left)."""
    chair_b = ba_dinh["chair_b"]
    if case == "acting_while_vacant":
        vacate_chair_b()
        expected, other = acting_chair_b(ba_dinh), chair_b
    else:
        expected = chair_b
        other = staff_selectors.holders(WARD_B, posts.VICE_CHAIRMAN, dt.date(2024, 1, 15))
        other = other.first().official
    day = dt.date.fromisoformat(session_date)
    assert staff_selectors.chair_holder_of(WARD_B, day).official == expected

    page = _page(session("deputy"), ba_dinh, session_date, "Câu hỏi trên trang")
    assert page.status_code == 302, page.content.decode()[:2000]
    assert Question.objects.get(question="Câu hỏi trên trang").addressed_to == expected

    client = bearer("deputy")
    api = _api(client, ba_dinh, session_date, expected, "Câu hỏi qua API")
    assert api.status_code == 200, api.content.decode()
    assert api.json()["addressed_to"]["id"] == str(expected.public_id)
    before = counts()
    _not_the_chair(_api(client, ba_dinh, session_date, other, "Câu hỏi cho người khác"))
    assert counts() == before


def test_a_vacancy_with_nobody_holding_the_chair_s_authority_is_refused_by_both(
    ba_dinh, bearer, session
):
    """(c) the post vacant and no acting holder: the page refuses beside the ward (no_chairman),
    the API refuses the chairman who left (not_ward_chairman), and neither writes."""
    vacate_chair_b()
    assert staff_selectors.chair_holder_of(WARD_B, dt.date(2024, 3, 1)) is None
    client = bearer("deputy")
    before = counts()
    page = _page(session("deputy"), ba_dinh, "2024-03-01", "Câu hỏi trên trang")
    assert page.status_code == 422
    assert "Phường không có Chủ tịch UBND vào ngày 01/03/2024." in error_beside(page, "ward_code")
    _not_the_chair(_api(client, ba_dinh, "2024-03-01", ba_dinh["chair_b"], "Câu hỏi qua API"))
    assert counts() == before


class _Post:
    def __init__(self, official_id: int, kind: str) -> None:
        self.official_id, self.kind = official_id, kind


@pytest.mark.django_db(False)
@pytest.mark.parametrize(
    "kinds",
    [
        (),
        ("election",),
        ("acting",),
        ("acting", "election"),
        ("election", "acting"),
        ("appointment", "acting"),
        ("acting", "acting"),
    ],
)
def test_the_chair_s_holder_is_the_one_chair_held_seats(kinds):
    """``chair_holder`` and ``chair_held`` are one rule: the holder is seated by ``chair_held``,
    and nobody else is seated while an elected or appointed chairman is in post."""
    chairs = [_Post(i, k) for i, k in enumerate(kinds)]
    holder = staff_rules.chair_holder(chairs)
    seated = [c for c in chairs if staff_rules.chair_held(chairs, c.official_id) is c]
    if not chairs:
        assert holder is None
        return
    assert holder is not None and staff_rules.chair_held(chairs, holder.official_id) is holder
    if any(k != AppointmentKind.ACTING for k in kinds):
        assert seated == [holder]
