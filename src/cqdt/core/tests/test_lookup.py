"""Lookup secrets and daily counters shared by dossiers and feedback reports."""

import datetime as dt

import pytest
from django.db import transaction

from cqdt.core import lookup
from cqdt.dossiers.models import DailySequence
from cqdt.feedback.models import ReportSequence


def test_a_secret_uses_the_read_aloud_alphabet_and_matches_in_any_case():
    secret = lookup.new_secret()
    assert len(secret) == lookup.LENGTH and set(secret) <= set(lookup.ALPHABET)
    stored = lookup.secret_hash(secret)
    assert lookup.secret_matches(stored, f"  {secret.lower()} ")
    assert not lookup.secret_matches(stored, secret[:-1])
    assert not lookup.secret_matches(None, secret)  # no such record
    assert not lookup.secret_matches(stored, secret + "X" * 100)  # over-long input


@pytest.mark.django_db
def test_daily_counters_count_per_key_and_day():
    day, next_day = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
    table = DailySequence._meta.db_table
    with transaction.atomic():
        a = [lookup.next_in_day(table, {"agency_identifier": "H26.001.00001"}, day) for _ in "xyz"]
        b = lookup.next_in_day(table, {"agency_identifier": "H26.001.00004"}, day)
        c = lookup.next_in_day(table, {"agency_identifier": "H26.001.00001"}, next_day)
        r = [lookup.next_in_day(ReportSequence._meta.db_table, {}, day) for _ in "xy"]
    assert (a, b, c, r) == ([1, 2, 3], 1, 1, [1, 2])
    assert DailySequence.objects.get(agency_identifier="H26.001.00001", day=day).last_value == 3


@pytest.mark.django_db(transaction=True)
def test_a_counter_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        lookup.next_in_day(ReportSequence._meta.db_table, {}, dt.date(2026, 3, 2))


def test_a_score_is_1_to_5_and_a_long_comment_is_refused_naming_the_field():
    from cqdt.core.errors import InvalidInput

    assert lookup.checked_score(5, "  tốt  ", field="rating") == "tốt"
    with pytest.raises(InvalidInput) as bad:
        lookup.checked_score(6, "", field="satisfaction")
    assert bad.value.field == "satisfaction"
    with pytest.raises(InvalidInput) as long:
        lookup.checked_score(3, "x" * 1001, field="rating")
    assert long.value.field == "comment"
