"""The ward's report refused for a period that is not one unit's (``reports.report_holding``), as
an outside client meets it: the API with a bearer token, the staff page with a session, each
answering 422 with the code, the field at fault and the sentence in Vietnamese and in English,
and nothing written. Codes are reused: 00097 was Phường Tứ Liên's until 30 June 2025 and is
Phường Hồng Hà's since (Resolution 1656/NQ-UBTVQH15); 00181 was Phường Văn Miếu's until
31 December 2024, then Phường Văn Miếu Quốc Tử Giám's until 30 June 2025, and no unit's since."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.core.tokens import token_issue
from cqdt.oversight.tests.conftest import counts, error_beside
from cqdt.testing import at, logged_in

pytestmark = pytest.mark.django_db

API = "/api/v1/oversight"
HONG_HA = "00097"
VAN_MIEU = "00181"


@pytest.fixture
def people(history_reference_data):
    """Phường Hồng Hà's chairman (from 1 July 2025) and a deputy of Quận Đống Đa's council whose
    constituency is 00181, each with a login."""
    chair = testing.elect_chairman(HONG_HA, term_start=dt.date(2025, 7, 1), code="HH-CT").official
    deputy = testing.elect_deputy("006", "DD-DB")
    testing.seat_deputy(
        deputy, [VAN_MIEU], "006", council_name="HĐND quận Đống Đa, nhiệm kỳ 2021–2026"
    )
    return {
        "chair": testing.login_for(chair, username="hh_chair"),
        "deputy": testing.login_for(deputy, username="dd_deputy"),
        # After 30 June 2025 the deputy's council has ended with Quận Đống Đa (a term cannot
        # outlive its unit): who still reads 00181's report then is not he, but the city's
        # monitor, who sees Hanoi's units through time (a scoped reader, not a superuser).
        "root": testing.login_for(testing.city_monitor(), username="city"),
    }


def _bearer(user) -> Client:
    _, secret = token_issue(actor=Actor.system("test"), user=user, name="report")
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")


def _session(user, language: str) -> Client:
    return logged_in(user, HTTP_ACCEPT_LANGUAGE=language)


def _asked(user, code: str, start: str, end: str, today: dt.date):
    """The report asked on ``today`` through the API and through the page (in Vietnamese and in
    English), with what the database held before and after."""
    with time_machine.travel(at(today, 10), tick=False):
        # Signing in and issuing a token are audited: both before the count.
        api_client, sessions = _bearer(user), {lang: _session(user, lang) for lang in ("vi", "en")}
        before = counts()
        api = api_client.get(f"{API}/wards/{code}/report", {"from": start, "to": end})
        url = f"/staff/oversight/wards/{code}/report/"
        pages = {
            lang: client.get(url, {"start": start, "end": end}) for lang, client in sessions.items()
        }
        after = counts()
    return api, pages, before, after


def _refused(api, pages, *, code: str, field: str, vi: list[str], en: list[str]) -> None:
    assert api.status_code == 422, api.content.decode()
    body = api.json()
    assert (body["code"], body["field"]) == (code, field)
    for part in vi:
        assert part in body["messages"]["vi"]
    for part in en:
        assert part in body["messages"]["en"]
    assert body["message"] == body["messages"]["vi"]
    # The page names its own fields: the API's ``from`` is its ``start``, ``to`` its ``end``.
    form_field = {"from": "start", "to": "end"}[field]
    for lang, parts in (("vi", vi), ("en", en)):
        page = pages[lang]
        assert page.status_code == 422
        beside = error_beside(page, form_field)
        for part in parts:
            assert part in beside, (lang, beside)


@pytest.mark.parametrize(
    ("who", "code", "start", "end", "today", "error", "field", "vi", "en"),
    [
        # 2025 was Tứ Liên's until 30 June and Hồng Hà's from 1 July: one report may not add
        # one unit's records to the other's.
        pytest.param(
            "chair",
            HONG_HA,
            "2025-01-01",
            "2025-12-15",
            dt.date(2025, 12, 15),
            "period_spans_units",
            "to",
            [
                "mã “00097” thuộc 2 đơn vị khác nhau",
                "Phường Tứ Liên đến 30/06/2025; Phường Hồng Hà từ 01/07/2025",
                "Hãy lập báo cáo riêng cho từng đơn vị",
            ],
            [
                "code “00097” belonged to 2 different units",
                "Phường Tứ Liên to 30/06/2025; Phường Hồng Hà from 01/07/2025",
                "Make a report for each unit",
            ],
            id="chairman-00097-over-2025-names-both-units",
        ),
        # 00181 passed from Phường Văn Miếu to Phường Văn Miếu Quốc Tử Giám on 1 January 2025
        # (no link recorded: another unit); asked on 1 May 2025, while Quận Đống Đa's council
        # supervised.
        pytest.param(
            "deputy",
            VAN_MIEU,
            "2024-07-01",
            "2025-03-31",
            dt.date(2025, 5, 1),
            "period_spans_units",
            "to",
            ["Phường Văn Miếu đến 31/12/2024; Phường Văn Miếu Quốc Tử Giám từ 01/01/2025"],
            ["Phường Văn Miếu to 31/12/2024; Phường Văn Miếu Quốc Tử Giám from 01/01/2025"],
            id="councillor-00181-across-new-year-2025-names-both-units",
        ),
        # No unit has held 00181 since 30 June 2025: a period after it is no unit's report,
        # refused naming ``from`` and every unit that held the code, with its days.
        pytest.param(
            "root",
            VAN_MIEU,
            "2025-07-01",
            "2025-12-01",
            dt.date(2025, 12, 15),
            "period_without_unit",
            "from",
            [
                "Không đơn vị hành chính nào mang mã “00181” trong kỳ báo cáo",
                "Mã này thuộc: Phường Văn Miếu đến 31/12/2024; "
                "Phường Văn Miếu Quốc Tử Giám từ 01/01/2025 đến 30/06/2025",
            ],
            [
                "No administrative unit held code “00181” in the period",
                "The code belonged to: Phường Văn Miếu to 31/12/2024; "
                "Phường Văn Miếu Quốc Tử Giám from 01/01/2025 to 30/06/2025",
            ],
            id="00181-after-its-last-day-says-when-it-was-held",
        ),
        # The page turned a reversed period round and reported it while the API refused it:
        # both now refuse it beside its end (``to``, the page's ``end``).
        pytest.param(
            "chair",
            HONG_HA,
            "2025-12-01",
            "2025-08-01",
            dt.date(2025, 12, 15),
            "invalid_input",
            "to",
            ["Ngày cuối kỳ phải sau ngày đầu kỳ."],
            ["The period must end on or after its first day."],
            id="period-ending-before-it-starts-refused-by-the-page-as-by-the-api",
        ),
    ],
)
def test_a_period_refused_answers_422_from_the_api_and_the_page_alike_writing_nothing(
    people, who, code, start, end, today, error, field, vi, en
):
    """The refusal's code, field and sentence in both languages, through the API (bearer) and
    the page (session), and the database as it was."""
    api, pages, before, after = _asked(people[who], code, start, end, today)
    _refused(api, pages, code=error, field=field, vi=vi, en=en)
    assert after == before


def test_the_chairman_s_own_days_of_00097_are_reported(people):
    """The refusal above is the period's, not the chairman's: Hồng Hà's own days answer 200."""
    with time_machine.travel(at(dt.date(2025, 12, 15), 10), tick=False):
        api = _bearer(people["chair"]).get(
            f"{API}/wards/{HONG_HA}/report", {"from": "2025-07-01", "to": "2025-12-15"}
        )
    assert api.status_code == 200, api.content.decode()
    assert api.json()["ward"]["name"] == "Phường Hồng Hà"


def test_a_code_no_unit_ever_held_is_a_404_not_a_refused_period(
    history_reference_data, django_user_model
):
    """Only a caller who sees every unit reaches the report of a code outside any scope (anyone
    else gets the scope's 404 first): a code no unit ever held is missing, not a period to
    correct (``reports.report_holding``)."""
    admin = django_user_model.objects.create_superuser(username="root", password="x")
    with time_machine.travel(at(dt.date(2025, 12, 15), 10), tick=False):
        api = _bearer(admin).get(
            f"{API}/wards/99999/report", {"from": "2025-01-01", "to": "2025-06-30"}
        )
        page = _session(admin, "vi").get(
            "/staff/oversight/wards/99999/report/", {"start": "2025-01-01", "end": "2025-06-30"}
        )
    assert api.status_code == 404, api.content.decode()
    assert api.json()["code"] == "unit_not_found"
    assert page.status_code == 404


def test_a_start_alone_after_today_is_refused_as_not_begun_beside_it(people):
    """The page's end left blank is today, moved to an asked start after it: the period is
    refused as not begun beside the start, not turned round into today → that start."""
    with time_machine.travel(at(dt.date(2025, 12, 15), 10), tick=False):
        page = _session(people["chair"], "en").get(
            f"/staff/oversight/wards/{HONG_HA}/report/", {"start": "2026-01-10"}
        )
    assert page.status_code == 422
    assert "The period has not begun: its first day is after today (15/12/2025)." in error_beside(
        page, "start"
    )
