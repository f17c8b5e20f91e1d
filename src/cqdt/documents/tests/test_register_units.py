"""Which units the outgoing register page offers: a city-wide account (a city monitor, an
administrator) its own province's (``staff.access.home_province_code``), not every unit of the
country once it is loaded (``load_units --country``: 3,321 communes of 34 provinces); a ward's
officer their ward; a district's official on a pilot date the district and its wards. Over real
HTTP through a live server, logged in through the login form (its POST needs the CSRF token);
the page's queries do not grow with the number of units offered."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt import testing
from cqdt.config.tests.test_api_auth_http import Http
from cqdt.staff import posts
from cqdt.staff.models import AppointmentKind
from cqdt.testing import logged_in
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/staff/documents/register/"
AFTER = dt.date(2026, 3, 2)  # two-level local government (Law 72/2025/QH15)
PILOT = dt.date(2022, 6, 15)  # the pilot's districts and wards (Resolution 97/2019/QH14)
HONG_HA = "00097"  # Phường Hồng Hà, Hanoi, from 1 July 2025
BA_DINH = "001"  # Quận Ba Đình until 30 June 2025
HCMC = "79"


def _travel(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC))


def _ward_officer(unit: str, since: dt.date) -> None:
    """An Office–Statistics civil servant of ``unit`` from ``since``, decided by the city's
    chairman (from 1 July 2025 the commune level's staff are the province's)."""
    boss = testing.elect_chairman("01", term_start=dt.date(2021, 7, 1)).official
    testing.login_for(
        testing.appoint(
            testing.official(employer=unit),
            unit,
            posts.OFFICE_STATISTICS,
            by=boss,
            by_unit="01",
            kind=AppointmentKind.ASSIGNMENT,
            term_start=since,
        ).official,
        username="ward",
    )


def _city_monitor_of(province: str, username: str) -> None:
    testing.login_for(
        testing.assignment(province, posts.CITY_MONITOR, term_start=dt.date(2025, 7, 1)).official,
        username=username,
    )


def _offered(base: str, username: str, **params: str) -> tuple[list[str], str | None, str]:
    """The units the register's select offers to ``username`` (in order), the one selected, and
    the page, as a browser gets them after the login form."""
    client = Http(base)
    client.login(username, "x")
    status, _, html = client.send("GET", URL + "?" + urllib.parse.urlencode(params))
    assert status == 200, html[:2000]
    select = re.search(r'<select id="r-unit" name="unit">(.*?)</select>', html, re.S)
    assert select, html[:2000]
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select.group(1))
    selected = next((v for v, sel in options if sel), None)
    return [v for v, _ in options if v], selected, html


def _province(code: str, day: dt.date) -> set[str]:
    return set(unit_selectors.units_on(day, province=code).values_list("code", flat=True))


def _communes(codes: set[str], day: dt.date) -> set[str]:
    units = unit_selectors.units_on(day).filter(code__in=codes, division_type__in=COMMUNE_LEVEL)
    return set(units.values_list("code", flat=True))


def test_a_city_wide_account_is_offered_its_own_province_not_the_country(
    country_reference_data, live_server
):
    with _travel(AFTER):
        testing.login_for(testing.city_monitor("T-SNV", "Lý Thị Giám"), username="city")
        get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
        _city_monitor_of(HCMC, "hcm")
        hanoi = _province("01", AFTER)
        elsewhere = set(unit_selectors.units_on(AFTER).values_list("code", flat=True)) - hanoi
        assert len(elsewhere) > 3000  # the whole country is loaded
        for username in ("city", "root"):
            offered, selected, _ = _offered(live_server.url, username)
            assert set(offered) == hanoi and len(offered) == len(hanoi)
            assert len(_communes(hanoi, AFTER)) == 126 and "01" in hanoi  # and the city
            assert not set(offered) & elsewhere
            assert offered[0] == "01" and HONG_HA in offered
            # The monitor's own unit is the city; the administrator, with none, chooses.
            assert selected == ("01" if username == "city" else "")
        # Another province's monitor is offered its province, not Hanoi's.
        offered, selected, _ = _offered(live_server.url, "hcm")
        assert set(offered) == _province(HCMC, AFTER) and selected == HCMC
        assert not set(offered) & hanoi and len(_communes(set(offered), AFTER)) > 100
        # A unit of another province, asked by its code: to Hanoi's monitor, who sees Hanoi
        # only (staff.access.province_units), the answer a code of no unit gets; to an
        # administrator, who sees every unit, its register opens, named, and the select shows it
        # chosen rather than the city.
        ward = sorted(_communes(set(offered), AFTER))[0]
        name = unit_selectors.unit_on(ward, AFTER).name
        monitor = Http(live_server.url)
        monitor.login("city", "x")
        hidden = monitor.send("GET", f"{URL}?unit={ward}&year=2026")
        missing = monitor.send("GET", f"{URL}?unit=99999&year=2026")
        assert hidden[0] == missing[0] == 404 and name not in hidden[2]
        offered, selected, html = _offered(live_server.url, "root", unit=ward, year="2026")
        assert selected == ward and set(offered) == hanoi | {ward}
        assert f"{name} (mã {ward}) — năm 2026" in html


def test_a_ward_officer_is_offered_their_ward_only(history_reference_data, live_server):
    with _travel(AFTER):
        _ward_officer(HONG_HA, dt.date(2025, 7, 1))
        offered, selected, html = _offered(live_server.url, "ward")
    assert offered == [HONG_HA] and selected == HONG_HA
    assert "Phường Hồng Hà (mã 00097) — năm 2026" in html


def test_on_a_pilot_date_a_district_official_is_offered_the_district_and_its_wards(
    history_reference_data, live_server
):
    with _travel(PILOT):
        testing.login_for(testing.district_chairman(BA_DINH), username="district")
        offered, selected, _ = _offered(live_server.url, "district")
        wards = set(unit_selectors.units_on(PILOT, parent=BA_DINH).values_list("code", flat=True))
    assert len(wards) == 14 and offered[0] == BA_DINH and selected == BA_DINH
    assert set(offered) == {BA_DINH} | wards and len(offered) == 15


def _queries(username: str, **params: str) -> int:
    client = logged_in(get_user_model().objects.get(username=username))
    client.get(URL, params)  # the session's first request reads what it keeps for later ones
    with CaptureQueriesContext(connection) as seen:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(seen)


def test_the_pages_queries_do_not_grow_with_the_units_offered(history_reference_data):
    """One query for the choices whatever their number: a ward officer's page (1 unit), a
    district chairman's (15 on a pilot date) and the city monitor's (127) ask about the same
    count (6, 7, 7 when written); the district's asked 21 before, one per unit
    (``latest_version`` per code). The city monitor's scope, its province's units
    (``staff.access.province_units``), is two more, whatever their number (kept a moment per
    process in production, ``core.refcache``: off in a test that commits)."""
    with _travel(AFTER):
        _ward_officer(HONG_HA, dt.date(2025, 7, 1))
        testing.login_for(testing.city_monitor(), username="city")
        ward, city = _queries("ward"), _queries("city")
    with _travel(PILOT):
        boss = testing.district_chairman(BA_DINH)
        testing.login_for(boss, username="district")
        clerk = testing.appoint(testing.official(), "00001", posts.OFFICE_STATISTICS, by=boss)
        testing.login_for(clerk.official, username="pilot_ward")
        district, pilot_ward = _queries("district"), _queries("pilot_ward")
    # 6 when written; Hồng Hà's code 00097 was Tứ Liên's, so its register reads the holding
    # of it (staff.access.held_codes: the succession links, then the code's holdings, five
    # statements here, kept a moment per process in production), whatever the units offered.
    # + 2: the code's holdings in the year, which choose its register (one per unit, QA Q14).
    assert ward <= 8 + 5 + 2, ward
    assert city <= ward + 1 + 2 and district <= pilot_ward + 1, (ward, city, district, pilot_ward)
