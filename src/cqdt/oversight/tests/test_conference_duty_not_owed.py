"""The dialogue-conference review of a year in which no ward in the caller's scope was governed
without a council — after the pilot (Law 72/2025/QH15) — says the minimum did not apply, not
'Không có phường nào thiếu' as if the wards had held enough (seen on the demo as Hồng Hà's
chairman, for 2025 and 2026). Tested as a CSRF-enforcing session."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.testing import logged_in, reference

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
NOT_OWED = "không phường nào trong phạm vi của bạn thuộc mô hình không tổ chức HĐND phường"


@pytest.fixture
def hong_ha_chair(django_user_model):
    reference.units(history=True)
    with time_machine.travel(TODAY, tick=False):
        chair = testing.elect_chairman("00097", term_start=dt.date(2025, 7, 1)).official
        browser = logged_in(testing.login_for(chair, django_user_model, "chair00097"))
        yield browser


@pytest.mark.parametrize("year", [2025, 2026])
def test_a_year_without_the_duty_says_the_minimum_did_not_apply(hong_ha_chair, year):
    html = hong_ha_chair.get("/staff/oversight/conferences/flags/", {"year": year})
    text = html.content.decode()
    assert html.status_code == 200
    assert NOT_OWED in text
    assert "Không có phường nào thiếu." not in text


def test_the_oversight_home_says_so_for_last_year(hong_ha_chair):
    text = hong_ha_chair.get("/staff/oversight/").content.decode()
    assert NOT_OWED in text.split("Hội nghị đối thoại năm 2025")[1]
    assert "Không có phường nào thiếu." not in text


def test_the_oversight_home_in_english_counts_reception_days_as_the_log_does(hong_ha_chair):
    """'at least 1 days a week' (seen in English on the oversight home); the reception log's
    page says 'at least 1 day(s) a week'."""
    hong_ha_chair.cookies["django_language"] = "en"
    text = hong_ha_chair.get("/staff/oversight/").content.decode()
    assert "at least 1 day(s) a week" in text
    assert "1 days a week" not in text


def test_a_ward_with_its_own_council_announces_a_conference_without_decree_32_s_notice(
    hong_ha_chair,
):
    """Hồng Hà has its own council from 1 July 2025 (Law 72/2025/QH15): the 7-day notice and
    the required channels of Decree 32/2021/NĐ-CP (a ward without a council) were enforced on
    its conferences — one 3 days ahead through loudspeakers was refused. The page says they do
    not apply and the form's date does not claim them; the conference is announced, the audit
    recording that no minimum applied."""
    from cqdt.core.models import AuditEvent
    from cqdt.oversight.models import DialogueConference

    url = "/staff/oversight/wards/00097/conferences/"
    page = hong_ha_chair.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Phường Hồng Hà có Hội đồng nhân dân: thời hạn thông báo trước ít nhất 7 ngày" in text
    assert "Hội nghị phải được thông báo công khai" not in text
    assert "Ít nhất 7 ngày sau ngày thông báo" not in text
    posted = hong_ha_chair.post(
        url,
        {
            "csrfmiddlewaretoken": page.cookies["csrftoken"].value,
            "scheduled_at": "2026-12-08T08:00",
            "topic": "Đối thoại về trật tự đô thị",
            "announcement_channels": ["loudspeaker"],
        },
    )
    assert posted.status_code == 302, posted.content.decode()[-3000:]
    made = DialogueConference.objects.get(ward_code="00097")
    event = AuditEvent.objects.get(action="conference.announce", object_id=str(made.public_id))
    assert event.basis["notice_minimum"] is None
    assert event.basis["notice_days"] == 3
    hong_ha_chair.cookies["django_language"] = "en"
    english = hong_ha_chair.get(url).content.decode()
    assert "Phường Hồng Hà has its own People's Council: the notice of at least 7 days" in english
