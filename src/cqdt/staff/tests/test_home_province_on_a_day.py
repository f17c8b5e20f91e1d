"""``staff.access.home_province_code(user, on)`` (and ``own_unit_code``) ignored ``on`` when
given a ``Principal`` — the policy's view of an account on the day it was read for — and answered
with that day's posts: a city monitor who moved from Ho Chi Minh City to Hanoi was offered Hanoi's
units for a year he monitored Ho Chi Minh City, and one whose post had ended was still offered
the old province. A Principal read for another day is read again for ``on``."""

from __future__ import annotations

import datetime as dt

import pytest

from cqdt import testing
from cqdt.staff import posts
from cqdt.staff.access import home_province_code, own_unit_code, principal_for
from cqdt.testing import shared

pytestmark = pytest.mark.django_db
HCMC, HANOI = "79", "01"
BEFORE, AFTER = dt.date(2023, 6, 1), dt.date(2024, 6, 3)


def _monitor_post(official, province: str, start: dt.date, end: dt.date | None = None):
    return testing.assignment(
        province, posts.CITY_MONITOR, person=official, term_start=start, term_end=end
    )


def _places() -> bool:
    """Hanoi, and Ho Chi Minh City from 2021 among the others (the country's units)."""
    return True


# The country's units loaded once for the module's tests (both ask for them; neither loads
# reference data itself or commits), each test in a savepoint (``cqdt.testing.shared``).
_module_places, places = shared.country_world("places", _places)


def test_a_monitor_who_moved_province_is_offered_the_province_of_the_day_asked(places):
    official = testing.official(employer=HCMC)
    _monitor_post(official, HCMC, dt.date(2021, 7, 1), dt.date(2023, 12, 31))
    _monitor_post(official, HANOI, dt.date(2024, 1, 1))
    user = testing.login_for(official, username="moved_monitor")
    now, then = principal_for(user, AFTER), principal_for(user, BEFORE)
    assert home_province_code(now, AFTER) == HANOI
    assert home_province_code(now, BEFORE) == HCMC  # was Hanoi: the principal's own day
    assert home_province_code(then, AFTER) == HANOI  # was Ho Chi Minh City
    assert own_unit_code(now, BEFORE) == HCMC and own_unit_code(then, AFTER) == HANOI
    assert home_province_code(user, BEFORE) == HCMC  # an account, read for the day: as before


def test_a_monitor_whose_post_ended_has_no_province_of_its_own_after(places):
    official = testing.official(employer=HCMC)
    _monitor_post(official, HCMC, dt.date(2021, 7, 1), dt.date(2023, 12, 31))
    user = testing.login_for(official, username="ended_monitor")
    then = principal_for(user, BEFORE)
    assert home_province_code(then) == HCMC  # no day asked: the principal's own
    assert home_province_code(then, AFTER) == HANOI  # no post then: the platform's own
    assert own_unit_code(then, AFTER) is None
