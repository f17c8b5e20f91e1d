"""A report placed by map pin (issue 13 acceptance, item 8), in Chromium on a 1,366 px desktop and
a 390×844 phone, with no map tiles (offline: ``CQDT_MAP_TILES_URL`` empty, as in the tests).

The units are Hanoi's of today (two-tier, from 1 July 2025): centres and areas, no outlines, so
the map draws each ward's approximate area and the server checks the pin against the ward's
centre only, saying so on the report's timeline. axe-core (e2e/vendor) runs on the form with
its map; no page is wider than a 320 px screen. The "near you" list then finds the report from
the browser's position (geolocation granted to the page).
"""

from __future__ import annotations

import pytest
from test_accessibility import serious_violations  # e2e/ is on the path

from cqdt.feedback.models import Report
from cqdt.feedback.services import categories_load
from cqdt.testing import reference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WARD = "00004"  # Phường Ba Đình (from 1 July 2025)
SIDEWALK = "trat-tu-do-thi"


@pytest.fixture
def world(transactional_db):
    reference.units(history=True)
    categories_load()


def scroll_width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_a_report_placed_by_map_pin(window, live_server, world, width, height):
    page = window(
        width=width, height=height, geolocation={"latitude": 21.0386, "longitude": 105.838}
    )
    outside: list[str] = []  # any request leaving the live server (there must be none: offline)

    def watch(request):
        if not request.url.startswith(live_server.url):
            outside.append(request.url)

    page.context.on("request", watch)  # the whole context's, as the page's own
    page.goto(f"{live_server.url}/feedback/new/")
    page.wait_for_load_state()

    # The map replaced its no-JavaScript sentence, and says it has no tiles.
    assert page.locator("#pin").is_visible()
    assert not page.locator("#map-unavailable").is_visible()
    assert page.locator("#map-offline").is_visible()
    assert page.locator("#report-map .leaflet-tile").count() == 0
    assert page.locator("#report-map path.leaflet-interactive, #report-map path").count() > 0

    page.select_option("#id_category", SIDEWALK)
    page.select_option("#id_ward", WARD)  # the map moves to the ward
    page.fill("#id_description", "Hố ga mất nắp trên vỉa hè, rất nguy hiểm cho người đi bộ.")
    page.locator("#report-map").scroll_into_view_if_needed()
    box = page.locator("#report-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2 + 20, box["y"] + box["height"] / 2 - 10)
    lat = page.input_value("#id_lat")
    lon = page.input_value("#id_lon")
    assert lat and lon, "a click on the map sets the pin's hidden fields"
    assert page.locator("#pin-status").inner_text().startswith("Đã đặt điểm ghim")
    pin = page.locator(".leaflet-marker-icon.map-pin")
    assert pin.count() == 1 and pin.is_visible()
    assert pin.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(212, 53, 28)"

    # Without a mouse: the "pin at the centre" button, reached and pressed from the keyboard.
    page.focus("#pin-centre")
    page.keyboard.press("Enter")
    assert (page.input_value("#id_lat"), page.input_value("#id_lon")) != (lat, lon)
    lat, lon = page.input_value("#id_lat"), page.input_value("#id_lon")
    assert pin.count() == 1

    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": height})
    assert scroll_width(page) <= 320
    page.set_viewport_size({"width": width, "height": height})

    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/feedback/submitted/**")
    code = page.inner_text("#report-code")
    r = Report.objects.get(code=code)
    assert (f"{r.lat:.6f}", f"{r.lon:.6f}") == (lat, lon)
    assert r.ward_code == WARD
    note = r.events.first().public_note
    assert "chưa đối chiếu được với ranh giới phường Ba Đình" in note  # no outline: said so

    # Near you: the browser's position (granted) finds the report, with no contact shown.
    page.goto(f"{live_server.url}/feedback/")
    page.click("#near-me")
    page.wait_for_url("**/feedback/?near=*")
    assert code in page.inner_text("#near-list")
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": height})
    assert scroll_width(page) <= 320
    assert outside == []
    page.context.remove_listener("request", watch)


def test_failing_tiles_leave_a_working_form(window, live_server, world):
    """A tiles URL that answers nothing (a closed port on this machine): the map says the
    background could not be loaded, and a report is still placed by pin and stored."""
    from django.test import override_settings

    with override_settings(CQDT_MAP_TILES_URL="http://127.0.0.1:9/{z}/{x}/{y}.png"):
        page = window(width=390, height=844)
        page.goto(f"{live_server.url}/feedback/new/")
        page.wait_for_load_state()
        assert page.locator("#map-offline").count() == 0  # a tiles URL is configured
        page.locator("#map-tiles-failed").wait_for(state="visible")
        page.select_option("#id_category", SIDEWALK)
        page.select_option("#id_ward", WARD)
        page.fill("#id_description", "Cây đổ chắn lối đi.")
        page.click("#pin-centre")
        lat, lon = page.input_value("#id_lat"), page.input_value("#id_lon")
        page.click("form[enctype] button[type=submit]")
        page.wait_for_url("**/feedback/submitted/**")
        r = Report.objects.get(code=page.inner_text("#report-code"))
        assert (f"{r.lat:.6f}", f"{r.lon:.6f}") == (lat, lon)
