"""The budget pages choose their unit with a labelled select of the communes and wards the caller
may see in the year — a ward's accountant their ward, a district's chairman the district's
wards, the city's monitor the city's — never a district or the city (they have no commune
budget: 422 ``not_commune_level``); a code given in the URL (``?unit=``) still works. Over real
HTTP through a live server, logged in through the login form (its POST needs the CSRF token)."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse

import pytest
import time_machine

from cqdt.budget.tests.conftest import DISTRICT, WARD
from cqdt.config.tests.test_api_auth_http import Http
from cqdt.testing import city_monitor, login_for
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL

pytestmark = pytest.mark.django_db(transaction=True)
REPORT = "/staff/budget/"
DISCLOSURE = "/staff/budget/disclosure/"
OTHER_DISTRICT_WARD = "00037"  # Phường Phúc Tân, Quận Hoàn Kiếm (002)
DAY = dt.date(2022, 6, 15)


@pytest.fixture
def site(pilot, live_server):
    with time_machine.travel(dt.datetime(2022, 6, 15, 9, tzinfo=dt.UTC), tick=True):
        login_for(city_monitor(), username="city")
        yield live_server.url


def _as(base: str, username: str) -> Http:
    client = Http(base)
    client.login(username, "x")
    return client


def _get(client: Http, path: str, **params: str) -> tuple[int, str]:
    status, _, html = client.send("GET", path + "?" + urllib.parse.urlencode(params))
    return status, html


def _select(html: str, select_id: str) -> tuple[str, list[tuple[str, bool]]]:
    """The select's label text and its options (value, selected), in order."""
    label = re.search(rf'<label for="{select_id}">(.*?)</label>', html)
    select = re.search(rf'<select id="{select_id}" name="unit"[^>]*>(.*?)</select>', html, re.S)
    assert label and select, html[:2000]
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select.group(1))
    return label.group(1), [(value, bool(sel)) for value, sel in options]


def _communes(parent: str | None = None) -> set[str]:
    units = unit_selectors.units_on(DAY, parent=parent, province="01")
    return set(units.filter(division_type__in=COMMUNE_LEVEL).values_list("code", flat=True))


def test_a_ward_accountant_chooses_only_their_ward(site):
    client = _as(site, "p_kt")
    status, html = _get(client, REPORT, year="2022")
    assert status == 200
    label, options = _select(html, "b-unit")
    assert label == "Phường, xã"
    assert options == [("", True), (WARD, False)]  # every unit in scope (their ward), or it
    assert re.search(rf'<option value="{WARD}">Phường Phúc Xá \({WARD}\)</option>', html)
    # The disclosure: the one ward stands chosen; the page waits for "Xem".
    status, html = _get(client, DISCLOSURE, year="2022")
    assert status == 200 and 'id="disclosure-choose"' in html
    assert _select(html, "d-unit")[1] == [(WARD, False)]
    assert re.search(r'<select id="d-unit" name="unit" [^>]*required', html)
    # The code in the URL, as before: chosen in the select, its forms shown.
    status, html = _get(client, DISCLOSURE, unit=WARD, year="2022")
    assert status == 200 and _select(html, "d-unit")[1] == [(WARD, True)]
    assert re.search(r"<h1>[^<]*— Phường Phúc Xá \(00001\), 2022</h1>", html)
    # Another ward's code is still refused as missing.
    assert _get(client, DISCLOSURE, unit=OTHER_DISTRICT_WARD, year="2022")[0] == 404


def test_a_district_chairman_chooses_among_the_districts_wards_not_the_district(site):
    client = _as(site, "q_chair")
    _, html = _get(client, REPORT, year="2022", unit=WARD)
    _, options = _select(html, "b-unit")
    values = [v for v, _ in options]
    assert values[0] == "" and set(values[1:]) == _communes(DISTRICT) and len(values[1:]) > 10
    assert DISTRICT not in values and OTHER_DISTRICT_WARD not in values
    assert dict(options)[WARD] is True
    # Grouped under the district's name.
    assert re.search(r'<optgroup label="Quận Ba Đình">', html)
    # The disclosure offers the same wards, with "choose" first and selected.
    _, html = _get(client, DISCLOSURE, year="2022")
    _, options = _select(html, "d-unit")
    assert options[0] == ("", True) and {v for v, _ in options[1:]} == _communes(DISTRICT)
    # The district's own code typed in the URL: refused, said above the select, not offered.
    status, html = _get(client, DISCLOSURE, unit=DISTRICT, year="2022")
    assert status == 422
    assert re.search(r'id="disclosure-error" data-code="not_commune_level"', html)
    _, options = _select(html, "d-unit")
    assert options[0] == ("", True) and DISTRICT not in dict(options)


def test_the_city_monitor_chooses_among_the_citys_communes_and_wards(site):
    client = _as(site, "city")
    _, html = _get(client, DISCLOSURE, year="2022")
    _, options = _select(html, "d-unit")
    values = {v for v, _ in options[1:]}
    assert options[0] == ("", True) and values == _communes() and len(values) > 500
    assert "01" not in values and DISTRICT not in values
    status, html = _get(client, DISCLOSURE, unit="01", year="2022")
    assert status == 422 and "không phải đơn vị hành chính cấp xã" in html
    status, html = _get(client, DISCLOSURE, unit=WARD, year="2022")
    assert status == 200 and dict(_select(html, "d-unit")[1])[WARD] is True


def test_the_login_form_refuses_a_post_without_its_csrf_token(site):
    client = Http(site)
    client.send("GET", "/staff/login/")
    form = urllib.parse.urlencode({"username": "p_kt", "password": "x"}).encode()
    status, _, _ = client.send(
        "POST",
        "/staff/login/",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": site + "/"},
    )
    assert status == 403 and client.cookie("sessionid") is None
