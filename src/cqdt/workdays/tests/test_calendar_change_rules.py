"""The pure rules of changing the calendar (workdays.rules): no database."""

import datetime as dt

import pytest

from cqdt.core.refusals import INVALID
from cqdt.workdays import calendar as cal
from cqdt.workdays import rules

KINDS = ("closed", "working")
YEARS = (2015, 2031)


def override(**given):
    return rules.override_refusal(
        **{
            "date": dt.date(2026, 2, 16),
            "kind": "closed",
            "unit_code": "",
            "reason": "Tết Bính Ngọ",
            "kinds": KINDS,
            "years": YEARS,
        }
        | given
    )


def test_an_override_with_a_day_a_kind_and_a_reason_passes():
    assert override() is None
    assert override(unit_code="00001", kind="working") is None
    assert (
        override(date=dt.date(2015, 1, 1)) is None and override(date=dt.date(2031, 12, 31)) is None
    )


@pytest.mark.parametrize(
    "given, field, en",
    [
        (
            {"date": dt.datetime(2026, 2, 16, 8, tzinfo=dt.UTC)},
            "date",
            "The date is not a valid date.",
        ),
        ({"date": "2026-02-16"}, "date", "The date is not a valid date."),
        (
            {"kind": "holiday"},
            "kind",
            "The kind must be “closed” (day off) or “working” (working day).",
        ),
        (
            {"unit_code": "1"},
            "unit_code",
            "The unit code must be a GSO code (2 to 8 digits), or empty for the whole city.",
        ),
        ({"unit_code": "123456789"}, "unit_code", None),
        ({"unit_code": "00A01"}, "unit_code", None),
        (
            {"date": dt.date(2014, 12, 31)},
            "date",
            "The calendar covers 2015–2031 only; 2014-12-31 is outside it.",
        ),
        ({"date": dt.date(2032, 1, 1)}, "date", None),
        ({"reason": "   "}, "reason", "A reason is required (it is shown to the public)."),
    ],
)
def test_an_override_is_refused_naming_the_field_at_fault(given, field, en):
    refusal = override(**given)
    assert refusal.field == field and refusal.kind == INVALID
    assert refusal.vi and refusal.en
    if en is not None:
        assert refusal.en == en


def test_the_first_problem_of_an_override_wins():
    assert override(date="x", kind="x").field == "date"
    assert override(kind="x", unit_code="1").field == "kind"
    assert override(unit_code="1", date=dt.date(2000, 1, 1)).field == "unit_code"
    assert override(date=dt.date(2000, 1, 1), reason="").field == "date"


def test_a_correction_changes_neither_day_nor_unit_and_names_the_first_other_field():
    allowed = {"kind", "reason", "notice_number"}
    assert rules.unchangeable_refusal({"kind": "closed"}, allowed) is None
    assert rules.unchangeable_refusal({}, allowed) is None
    refusal = rules.unchangeable_refusal({"unit_code": "1", "date": "x", "kind": "closed"}, allowed)
    assert refusal.field == "date" and refusal.en == "The field “date” cannot be changed."
    assert "date" in refusal.vi


def test_a_reason_is_words():
    assert rules.reason_refusal("Nghỉ bù") is None
    assert rules.reason_refusal("") is rules.REASON_REQUIRED
    assert rules.reason_refusal(" \n") is rules.REASON_REQUIRED


def hours(**given):
    return cal.OfficeHours(
        **{
            "morning_start": dt.time(8),
            "morning_end": dt.time(12),
            "afternoon_start": dt.time(13),
            "afternoon_end": dt.time(17),
            "same_day_cutoff": dt.time(15),
        }
        | given
    )


def test_office_hours_in_order_pass_the_calendars_check():
    assert hours() == cal.OfficeHours()
    assert hours(morning_end=dt.time(11, 30), same_day_cutoff=dt.time(17)).morning_end == dt.time(
        11, 30
    )


@pytest.mark.parametrize(
    "given",
    [
        {"morning_end": dt.time(7)},  # the morning ends before it starts
        {"afternoon_start": dt.time(11)},  # the afternoon starts inside the morning
        {"same_day_cutoff": dt.time(18)},  # the cut-off after closing
        {"same_day_cutoff": dt.time(8)},  # the cut-off at opening
        {"morning_start": "08:00"},  # not a time
    ],
)
def test_office_hours_out_of_order_fail_the_calendars_check(given):
    """The order is calendar.OfficeHours's own check; the service answers it with the refusal
    workdays.rules.HOURS_OUT_OF_ORDER (test_api.py checks the service answers with it)."""
    with pytest.raises((ValueError, TypeError)):
        hours(**given)


def test_hours_out_of_order_are_refused_on_the_morning_start():
    refusal = rules.HOURS_OUT_OF_ORDER
    assert refusal.field == "morning_start" and refusal.kind == INVALID
    assert refusal.en == (
        "Office hours must run morning then afternoon, with the same-day cut-off inside them."
    )
    assert refusal.vi.startswith("Giờ làm việc phải theo thứ tự")


def test_office_hours_name_the_decision_that_set_them():
    assert rules.source_refusal("Quyết định 12/QĐ-UBND") is None
    refusal = rules.source_refusal("  ")
    assert (
        refusal.field == "source"
        and refusal.en == "Name the decision that sets these office hours."
    )


def test_the_refusals_of_a_clash_name_the_day():
    assert rules.DAY_TAKEN.field == "date" and rules.DAY_TAKEN.kind == INVALID
    assert rules.LATER_HOURS.field == "valid_from" and rules.LATER_HOURS.kind == INVALID
