"""The API, the services that store overrides, the selectors' cache and the holiday page."""

import datetime as dt

import pytest
import time_machine

from cqdt.core.audit import Actor, audit_trail
from cqdt.core.errors import InvalidInput, NotFound
from cqdt.workdays import services
from cqdt.workdays.calendar import TZ
from cqdt.workdays.models import CalendarOverride, OfficeHours
from cqdt.workdays.selectors import calendar_for, office_hours_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar_cache")]

DUE = "/api/v1/workdays/due"
HOLIDAYS = "/api/v1/workdays/holidays"
ADMIN = Actor.system("test")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


def close_3_march(reason="Nghỉ", **kwargs):
    """Close Tuesday 3 March 2026: for the whole city, or for ``unit_code`` alone."""
    return services.override_create(
        actor=ADMIN, date=dt.date(2026, 3, 3), kind="closed", reason=reason, **kwargs
    )


# --- /due ---------------------------------------------------------------------


def test_due_skips_tet_2026_and_explains_each_day(client):
    response = client.get(DUE, {"received_at": "2026-02-13T10:00:00+07:00", "working_days": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_at"] == "2026-02-23T17:00:00+07:00"
    assert [s["date"] for s in body["skipped"]] == [f"2026-02-{d}" for d in range(14, 23)]
    tet = next(s for s in body["skipped"] if s["date"] == "2026-02-17")
    assert tet == {
        "date": "2026-02-17",
        "reason": "Tết Nguyên Đán",
        "reason_en": "Lunar New Year",
        "kind": "holiday",
        "category": "holiday",
        "source": tet["source"],
    }
    assert {s["kind"] for s in body["skipped"]} == {"weekend", "holiday"}


def test_a_due_date_counted_through_a_projected_year_says_so(client):
    """QA Q9 of 7 December: a dossier taken before Tết 2027 got 12/02/2027 from the Labour Code's
    rule applied, with no word that no notice for 2027 is loaded (/holidays said so of the year);
    the counter's appointment rests on it."""
    through = client.get(HOLIDAYS, {"year": 2027}).json()["notices_through"]
    assert through < 2027
    body = client.get(DUE, {"received_at": "2027-02-03T10:00", "working_days": 2}).json()
    assert body["projected"] is True
    assert "2027" in body["data_note"]["vi"] and "có thể thay đổi" in body["data_note"]["vi"]
    assert "may change when the notice is issued" in body["data_note"]["en"]
    across = client.get(DUE, {"received_at": f"{through}-12-30T10:00", "working_days": 5}).json()
    assert across["projected"] is True and str(through + 1) in across["data_note"]["en"]
    decided = client.get(DUE, {"received_at": "2026-02-13T10:00", "working_days": 1}).json()
    assert decided["projected"] is False and decided["data_note"] is None
    assert decided["rule_en"].startswith("1 working day,")  # not "1 working days"


def test_due_counts_the_make_up_saturday(client):
    body = client.get(DUE, {"received_at": "2025-04-25T09:00", "working_days": 1}).json()
    assert body["due_at"] == "2025-04-26T17:00:00+07:00"
    assert body["skipped"] == []


def test_naive_receipt_time_is_hanoi_time(client):
    naive = client.get(DUE, {"received_at": "2026-03-02T14:59", "same_day": "true"}).json()
    assert naive["due_at"] == "2026-03-02T17:00:00+07:00"
    assert naive["received_at"] == "2026-03-02T14:59:00+07:00"


def test_same_day_cut_off_at_15_00(client):
    before = client.get(DUE, {"received_at": "2026-03-02T14:59:59", "same_day": "true"}).json()
    after = client.get(DUE, {"received_at": "2026-03-02T15:00:00", "same_day": "true"}).json()
    assert before["due_at"] == "2026-03-02T17:00:00+07:00"
    assert after["due_at"] == "2026-03-03T17:00:00+07:00"


def test_utc_receipt_time_is_converted(client):
    body = client.get(DUE, {"received_at": "2026-03-02T08:00:00Z", "same_day": "true"}).json()
    assert body["due_at"] == "2026-03-03T17:00:00+07:00"  # 15:00 in Hanoi


def test_an_unencoded_plus_in_the_offset_is_understood(client):
    # "+07:00" sent without percent-encoding arrives as " 07:00".
    response = client.get(DUE + "?received_at=2026-03-02T09:00:00+07:00&working_days=1")
    assert response.status_code == 200, response.content
    assert response.json()["due_at"] == "2026-03-03T17:00:00+07:00"


def test_working_hours(client):
    body = client.get(DUE, {"received_at": "2026-03-02T10:00", "working_hours": 3}).json()
    assert body["due_at"] == "2026-03-02T14:00:00+07:00"


def test_after_hours_receipt_counts_from_the_next_working_day(client):
    body = client.get(DUE, {"received_at": "2026-03-02T17:30", "working_days": 1}).json()
    assert body["due_at"] == "2026-03-04T17:00:00+07:00"
    assert body["counted_from"] == "2026-03-03"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"received_at": "13/02/2026", "working_days": 1}, "received_at"),
        ({"received_at": "2026-02-30T10:00", "working_days": 1}, "received_at"),
        ({"received_at": "", "working_days": 1}, "received_at"),
        ({"working_days": 1}, "received_at"),
        ({"received_at": "2026-03-02T10:00", "working_days": "abc"}, "working_days"),
        ({"received_at": "2026-03-02T10:00", "working_days": "1.5"}, "working_days"),
        ({"received_at": "2026-03-02T10:00", "working_days": -1}, "working_days"),
        ({"received_at": "2026-03-02T10:00", "working_days": 3651}, "working_days"),
        ({"received_at": "2026-03-02T10:00", "working_days": "9" * 40}, "working_days"),
        ({"received_at": "2026-03-02T10:00", "working_hours": -2}, "working_hours"),
        ({"received_at": "2026-03-02T10:00", "same_day": "perhaps"}, "same_day"),
        ({"received_at": "2026-03-02T10:00", "working_days": 1, "unit": "abc"}, "unit"),
        ({"received_at": "2026-03-02T10:00"}, "working_days"),
        ({"received_at": "2026-03-02T10:00", "same_day": "false"}, "working_days"),
        (
            {"received_at": "2026-03-02T10:00", "working_days": 1, "working_hours": 2},
            "working_hours",
        ),
        ({"received_at": "2026-03-02T10:00", "working_days": 1, "same_day": "true"}, "same_day"),
        ({"received_at": "1990-03-02T10:00", "working_days": 1}, "received_at"),
        ({"received_at": "9999-12-31T23:00:00-05:00", "working_days": 1}, "received_at"),
        ({"received_at": "2026-03-02T10:00", "working_days": 3650}, "working_days"),
    ],
)
def test_bad_input_gives_422_naming_the_field(client, params, field):
    response = client.get(DUE, params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == field
    assert body["messages"]["vi"] and body["messages"]["en"]


# --- /holidays ----------------------------------------------------------------


def test_holidays_of_2025_with_the_make_up_saturday(client):
    body = client.get(HOLIDAYS, {"year": 2025}).json()
    assert body["year"] == 2025
    items = {i["date"]: i for i in body["items"]}
    assert items["2025-01-29"]["name"] == "Tết Nguyên Đán"
    assert items["2025-01-29"]["name_en"] == "Lunar New Year"
    assert items["2025-01-29"]["kind"] == "holiday"
    assert items["2025-05-02"]["kind"] == "compensatory"
    assert all(i["source"] for i in body["items"])
    assert [m["date"] for m in body["makeup_working_days"]] == ["2025-04-26"]
    assert body["makeup_working_days"][0]["reason"]


def test_holidays_default_to_this_year(client):
    assert client.get(HOLIDAYS).json()["year"] == 2026


@pytest.mark.parametrize("year", ["2014", "2032", "abc", "20x5"])
def test_holidays_outside_the_supported_years_give_422_on_year(client, year):
    response = client.get(HOLIDAYS, {"year": year})
    assert response.status_code == 422
    assert response.json()["field"] == "year"


# --- overrides through the services -------------------------------------------


def test_a_city_closure_is_skipped_and_listed_with_its_notice(client):
    close_3_march(
        reason="Nghỉ theo thông báo của UBND Thành phố",
        reason_en="City closure",
        notice_number="12/TB-UBND",
        notice_date=dt.date(2026, 2, 20),
        notice_issuer="UBND thành phố Hà Nội",
    )
    body = client.get(DUE, {"received_at": "2026-03-02T09:00", "working_days": 1}).json()
    assert body["due_at"] == "2026-03-04T17:00:00+07:00"
    (skipped,) = body["skipped"]
    assert skipped["kind"] == "closure"
    assert "12/TB-UBND" in skipped["source"]
    items = client.get(HOLIDAYS, {"year": 2026}).json()["items"]
    closure = next(i for i in items if i["date"] == "2026-03-03")
    assert closure["kind"] == "closure"
    assert closure["source"] == "12/TB-UBND, ngày 20/02/2026, UBND thành phố Hà Nội"


def test_a_units_own_closure_applies_to_that_unit_only(client):
    close_3_march(reason="Phường nghỉ", unit_code="00001")
    params = {"received_at": "2026-03-02T09:00", "working_days": 1}
    unit = client.get(DUE, {**params, "unit": "00001"}).json()
    other = client.get(DUE, {**params, "unit": "00004"}).json()
    city = client.get(DUE, params).json()
    assert unit["due_at"] == "2026-03-04T17:00:00+07:00"
    assert other["due_at"] == city["due_at"] == "2026-03-03T17:00:00+07:00"


def test_an_extra_working_saturday_is_counted(client):
    services.override_create(
        actor=ADMIN, date=dt.date(2026, 3, 7), kind="working", reason="Làm bù", notice_number="3/TB"
    )
    body = client.get(DUE, {"received_at": "2026-03-06T09:00", "working_days": 1}).json()
    assert body["due_at"] == "2026-03-07T17:00:00+07:00"
    makeup = client.get(HOLIDAYS, {"year": 2026}).json()["makeup_working_days"]
    assert {
        "date": "2026-03-07",
        "reason": "Làm bù",
        "reason_en": "Làm bù",
        "source": "3/TB",
    } in makeup


def test_override_create_is_audited_and_delete_restores_the_day():
    before = calendar_for()
    assert before.is_working_day(dt.date(2026, 3, 3))
    close_3_march()
    assert not calendar_for().is_working_day(dt.date(2026, 3, 3))
    services.override_delete(actor=ADMIN, date=dt.date(2026, 3, 3))
    assert calendar_for().is_working_day(dt.date(2026, 3, 3))
    trail = audit_trail("workdays.calendaroverride", "2026-03-03/city")
    assert [e.action for e in trail] == ["workdays.override_create", "workdays.override_delete"]
    assert trail[0].after["kind"] == "closed"
    assert trail[1].before["reason"] == "Nghỉ"


def test_override_update_changes_the_calendar_and_is_audited():
    close_3_march()
    assert not calendar_for().is_working_day(dt.date(2026, 3, 3))
    services.override_update(
        actor=ADMIN, date=dt.date(2026, 3, 3), kind="working", reason="Đính chính"
    )
    assert calendar_for().is_working_day(dt.date(2026, 3, 3))
    trail = audit_trail("workdays.calendaroverride", "2026-03-03/city")
    assert trail[-1].before["kind"] == "closed" and trail[-1].after["kind"] == "working"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "holiday"}, "kind"),
        ({"reason": "  "}, "reason"),
        ({"unit_code": "ward-1"}, "unit_code"),
        ({"date": dt.date(2040, 1, 1)}, "date"),
        ({"reason": "x" * 201}, "reason"),
    ],
)
def test_override_create_refuses_bad_input_and_writes_nothing(kwargs, field):
    args = {"date": dt.date(2026, 3, 3), "kind": "closed", "reason": "Nghỉ", **kwargs}
    with pytest.raises(InvalidInput) as caught:
        services.override_create(actor=ADMIN, **args)
    assert caught.value.field == field
    assert not CalendarOverride.objects.exists()
    assert audit_trail("workdays.calendaroverride", "2026-03-03/city") == []


def test_a_second_override_for_the_same_day_and_unit_is_refused():
    close_3_march()
    with pytest.raises(InvalidInput) as caught:
        services.override_create(
            actor=ADMIN, date=dt.date(2026, 3, 3), kind="working", reason="Làm"
        )
    assert caught.value.field == "date"
    assert CalendarOverride.objects.count() == 1


def test_deleting_a_missing_override_is_not_found():
    with pytest.raises(NotFound):
        services.override_delete(actor=ADMIN, date=dt.date(2026, 3, 3))


# --- office hours -------------------------------------------------------------


def set_hours(valid_from, morning, afternoon, cutoff, source="x", **kwargs):
    """Office hours from ``valid_from``: ``morning`` and ``afternoon`` as (start, end) hours."""
    return services.office_hours_set(
        actor=ADMIN,
        valid_from=valid_from,
        morning_start=morning[0],
        morning_end=morning[1],
        afternoon_start=afternoon[0],
        afternoon_end=afternoon[1],
        same_day_cutoff=cutoff,
        source=source,
        **kwargs,
    )


def test_default_office_hours_are_data():
    row = OfficeHours.objects.get(unit_code="")
    assert (row.morning_start, row.afternoon_end, row.same_day_cutoff) == (
        dt.time(8),
        dt.time(17),
        dt.time(15),
    )
    hours = office_hours_for(None, dt.date(2026, 3, 2))
    assert hours.describe() == "08:00–12:00, 13:00–17:00"


def test_new_office_hours_close_the_old_ones_and_apply_from_their_first_day(client):
    morning, afternoon = (dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(16, 30))
    june = dt.date(2026, 6, 1)
    set_hours(june, morning, afternoon, dt.time(14, 30), "QĐ thử nghiệm", unit_code="00001")
    assert office_hours_for("00001", dt.date(2026, 5, 31)).closing == dt.time(17)
    assert office_hours_for("00001", dt.date(2026, 6, 1)).closing == dt.time(16, 30)
    assert office_hours_for("00004", dt.date(2026, 6, 1)).closing == dt.time(17)
    body = client.get(
        DUE, {"received_at": "2026-06-01T14:45", "same_day": "true", "unit": "00001"}
    ).json()
    assert body["due_at"] == "2026-06-02T16:30:00+07:00"
    morning, afternoon = (dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))
    set_hours(dt.date(2026, 9, 1), morning, afternoon, dt.time(15), "QĐ mới", unit_code="00001")
    assert OfficeHours.objects.get(
        unit_code="00001", valid_from=dt.date(2026, 6, 1)
    ).valid_to == dt.date(2026, 9, 1)


def test_office_hours_out_of_order_are_refused():
    with pytest.raises(InvalidInput) as caught:
        morning, afternoon = (dt.time(9), dt.time(8)), (dt.time(13), dt.time(17))
        set_hours(dt.date(2026, 6, 1), morning, afternoon, dt.time(15))
    assert caught.value.field == "morning_start"
    assert OfficeHours.objects.count() == 1


# --- the holiday page ---------------------------------------------------------


def test_holiday_page_shows_twelve_months_and_the_years_holidays(client):
    response = client.get("/calendar/", {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<caption>") == 12 + 2
    assert "Tết Nguyên Đán" in html
    assert 'class="off"' in html and 'class="makeup"' in html
    assert '<label for="year-input">' in html


@pytest.mark.parametrize(
    ("language", "first", "last"),
    [("vi", "Tháng 1 năm 2026", "Tháng 12 năm 2026"), ("en", "January 2026", "December 2026")],
)
def test_holiday_page_names_each_month_in_the_pages_language(client, language, first, last):
    html = client.get("/calendar/", {"year": 2026}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<caption>{first}</caption>" in html and f"<caption>{last}</caption>" in html
    assert "Month 1," not in html


@pytest.mark.parametrize("year", ["abc", "1990"])
def test_holiday_page_explains_a_bad_year(client, year):
    response = client.get("/calendar/", {"year": year})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


# --- a year past the last notice loaded -----------------------------------------------------


def test_a_year_with_its_notice_loaded_is_not_projected(client):
    body = client.get(HOLIDAYS, {"year": 2025}).json()
    assert body["projected"] is False and body["data_note"] is None
    assert body["notices_through"] >= 2025


def test_a_year_past_the_last_notice_says_its_days_are_projected(client):
    """The Prime Minister fixes each year's Tết and National Day days and the state sector's
    swaps (Labour Code 2019 Art. 112(3)); for a year no notice of which is loaded, the days are
    the Labour Code's rule applied, not a decision, and the answer says so."""
    body = client.get(HOLIDAYS, {"year": 2031}).json()
    assert body["projected"] is True
    assert body["notices_through"] < 2031
    assert "2031" in body["data_note"]["vi"] and "2031" in body["data_note"]["en"]
    # A notice for the year recorded as data (a make-up Saturday) makes it decided.
    services.override_create(
        actor=ADMIN,
        date=dt.date(2031, 1, 4),  # a Saturday
        kind="working",
        reason="Làm bù",
        notice_number="1/TB-BNV",
    )
    assert client.get(HOLIDAYS, {"year": 2031}).json()["projected"] is False
    # ... that year only: the years between stay projected (a single "last year" made them
    # all read as decided).
    between = client.get(HOLIDAYS, {"year": 2029}).json()
    assert between["projected"] is True and between["notices_through"] < 2029


def test_the_page_of_a_year_past_the_last_notice_says_it_is_projected(client):
    html = client.get("/calendar/", {"year": 2031}).content.decode()
    assert 'id="projected-note"' in html
    assert "Năm này không có ngày làm bù." not in html  # not known yet, not none
    assert "Chưa có thông báo về ngày làm bù của năm này." in html
    settled = client.get("/calendar/", {"year": 2025}).content.decode()
    assert 'id="projected-note"' not in settled
