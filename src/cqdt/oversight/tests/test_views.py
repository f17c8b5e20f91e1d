"""Staff pages: the deputy's petitions, the conference calendar and its announce form, the flags,
the questioning record, the ward's report; out of scope is 404."""

import datetime as dt

import pytest

from cqdt.oversight.models import DialogueConference
from cqdt.oversight.tests.conftest import (
    WARD_B,
    WARD_C,
    announce,
    commit,
    counts,
    error_beside,
    hold,
    petition,
    question,
)
from cqdt.testing import at
from cqdt.testing.factories import WARD

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client, ba_dinh):
    r = client.get("/staff/oversight/")
    assert r.status_code == 302 and "/staff/login/" in r["Location"]


def test_the_index_links_the_oversight_pages(login, ba_dinh):
    page = login("deputy").get("/staff/oversight/").content.decode()
    assert "/staff/oversight/petitions/" in page
    assert f"/staff/oversight/wards/{WARD}/conferences/" in page
    assert f"/staff/oversight/councils/{ba_dinh['council'].public_id}/questions/" in page
    assert f"/staff/oversight/wards/{WARD_C}/conferences/" not in page  # not the constituency


def test_the_deputy_s_petitions_page_puts_the_overdue_answer_first(login, ba_dinh):
    petition(ba_dinh, day=dt.date(2024, 2, 20), content="Còn hạn trả lời")
    petition(ba_dinh, day=dt.date(2024, 1, 10), content="Đã quá hạn trả lời")
    page = login("deputy").get("/staff/oversight/petitions/").content.decode()
    assert page.index("Đã quá hạn trả lời") < page.index("Còn hạn trả lời")
    assert "QUÁ HẠN TRẢ LỜI" in page
    assert login("deputy").get(f"/staff/oversight/petitions/?ward={WARD_C}").status_code == 404


def test_the_announce_form_shows_the_seven_day_refusal_next_to_the_date(login, ba_dinh):
    client = login("chair")
    url = f"/staff/oversight/wards/{WARD}/conferences/"
    form = {
        "scheduled_at": "2024-03-10T08:00",
        "topic": "Trật tự đô thị",
        "announcement_channels": ["residential_group_heads", "website"],
    }
    before = counts()
    r = client.post(url, form)
    assert r.status_code == 422
    assert "11/03/2024" in error_beside(r, "scheduled_at")
    assert counts() == before
    r = client.post(url, form | {"scheduled_at": "2024-03-11T08:00"})
    assert r.status_code == 302
    assert DialogueConference.objects.get().ward_code == WARD
    calendar = client.get(url).content.decode()
    assert "Trật tự đô thị" in calendar and "trước 7 ngày" in calendar


def test_someone_without_the_post_is_refused_on_the_form_and_nothing_is_written(login, ba_dinh):
    r = login("desk").post(
        f"/staff/oversight/wards/{WARD}/conferences/",
        {
            "scheduled_at": "2024-03-20T08:00",
            "topic": "x",
            "announcement_channels": ["residential_group_heads"],
        },
    )
    assert r.status_code == 403
    assert DialogueConference.objects.count() == 0


def test_a_ward_out_of_scope_is_404_on_every_page(login, ba_dinh):
    client = login("chair_b")
    assert client.get(f"/staff/oversight/wards/{WARD}/conferences/").status_code == 404
    assert client.get(f"/staff/oversight/wards/{WARD}/report/").status_code == 404
    assert client.get("/staff/oversight/wards/99999/conferences/").status_code == 404
    assert (
        client.get(
            f"/staff/oversight/councils/{ba_dinh['council'].public_id}/questions/"
        ).status_code
        == 200
    )
    assert login("chair_c").get("/staff/oversight/councils/not-an-id/questions/").status_code == 404


def test_flags_page_shows_the_ward_with_one_conference_and_its_date(login, ba_dinh):
    c = announce(
        ba_dinh, ward=WARD_B, official_key="chair_b", announced=dt.date(2023, 4, 3), days=9
    )
    hold(ba_dinh, c, official_key="chair_b")
    page = (
        login("district_chair")
        .get("/staff/oversight/conferences/flags/?year=2023")
        .content.decode()
    )
    assert "12/04/2023" in page
    assert "Phường Trúc Bạch" in page
    # The district's other wards recorded no conference: listed apart, not flagged 0/2.
    assert "0/2" not in page
    assert "Chưa đánh giá được" in page
    assert "chưa ghi nhận hội nghị đối thoại nào đến hết năm" in page


def test_questioning_record_page_lists_commitments_and_overdue(login, ba_dinh):
    q = question(ba_dinh, question="Vì sao chậm?")
    commit(
        ba_dinh,
        q,
        text="Giải quyết dứt điểm",
        due=dt.date(2024, 1, 31),
        now=at(dt.date(2023, 12, 6)),
    )
    page = login("deputy").get(
        f"/staff/oversight/councils/{ba_dinh['council'].public_id}/questions/"
    )
    text = page.content.decode()
    assert "Giải quyết dứt điểm" in text and "QUÁ HẠN" in text and "Chưa trả lời" in text


def test_the_ward_report_page(login, ba_dinh):
    petition(ba_dinh)
    r = login("chair").get(f"/staff/oversight/wards/{WARD}/report/?start=2024-01-01&end=2024-03-03")
    assert r.status_code == 200
    assert "Kiến nghị cử tri" in r.content.decode()


def test_the_ward_report_page_says_not_recorded_where_nothing_was(login, ba_dinh):
    r = login("deputy").get(
        f"/staff/oversight/wards/{WARD_B}/report/?start=2024-01-01&end=2024-03-03"
    )
    assert r.status_code == 200
    text = r.content.decode()
    assert "lượt công dân" not in text  # no "0 lượt công dân, 0 vụ việc"
    assert "tuần không đủ số ngày tiếp công dân" not in text  # no flag on no evidence
    assert "<strong>chưa đủ</strong>" not in text  # no year short on no record
    assert "Đã tổ chức 0 hội nghị" not in text  # no conference record: not "0 held"
    for words in ("hồ sơ thủ tục hành chính", "kiến nghị cử tri"):
        assert f"Chưa ghi nhận {words} nào của phường." in text, words
    assert text.count("Chưa ghi nhận") >= 3  # receptions, the conferences, the year's


@pytest.mark.parametrize(
    "query, field",
    [("start=9999-01-01&end=9999-12-31", "start"), ("start=2024-13-45", "start")],
    ids=["not-begun", "no-such-date"],
)
def test_the_ward_report_page_refuses_a_bad_period_at_its_field(login, ba_dinh, query, field):
    r = login("deputy").get(f"/staff/oversight/wards/{WARD}/report/?{query}")
    assert r.status_code == 422
    text = r.content.decode()
    assert f'id="id_{field}_error"' in text and "Kỳ báo cáo:" not in text  # no report
