"""The feedback map's corner names Leaflet and the tiles' source, with no flag (QA Q31: Leaflet
1.9's default prefix put a foreign national flag next to the ward map), at 320 and 1,366 px."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cqdt.feedback.services import categories_load
from cqdt.testing import reference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    reference.units(history=True)
    categories_load()


@pytest.mark.parametrize("width", [320, 1366])
def test_the_map_attribution_names_leaflet_and_the_tiles_without_a_flag(
    window, live_server, world, width
):
    tiles = {
        "CQDT_MAP_TILES_URL": "https://tiles.invalid/{z}/{x}/{y}.png",
        "CQDT_MAP_TILES_ATTRIBUTION": "© Bản đồ nền của thành phố",
    }
    for settings in ({}, tiles):
        with override_settings(**settings):
            page = window(width=width, height=800)
            page.route("https://tiles.invalid/**", lambda route: route.abort())
            page.goto(f"{live_server.url}/feedback/new/")
            page.wait_for_load_state()
            corner = page.locator("#report-map .leaflet-control-attribution")
            assert corner.count() == 1
            assert corner.locator("svg, img").count() == 0  # no flag
            link = corner.locator('a[href="https://leafletjs.com"]')
            assert link.inner_text() == "Leaflet"
            if settings:
                assert "© Bản đồ nền của thành phố" in corner.inner_text()
            page.close()
