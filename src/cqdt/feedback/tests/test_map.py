"""Feedback on a map (issue 13 item 8): the pin checked against the chosen ward, the form's map
data and its offline mode, and the public "near you" list."""

import html
import json
import math
import re

import pytest
from django.test import override_settings

from cqdt.core.errors import InvalidInput
from cqdt.feedback import selectors
from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import REPORTER, SIDEWALK, WARD, WARD_B, counts, submit
from cqdt.units import geo
from cqdt.units.models import Unit

pytestmark = pytest.mark.django_db

# Phường Phúc Xá's shipped geodata (units/data/hanoi-units-2025-06.csv): centre and box.
PHUC_XA = {
    "centroid_lat": 21.046798,
    "centroid_lon": 105.848112,
    "bbox_south": 21.040199,
    "bbox_west": 105.842293,
    "bbox_north": 21.053464,
    "bbox_east": 105.855959,
}
INSIDE = (21.0465, 105.8480)
OUTSIDE = (21.0400, 105.8300)  # west of the box, in Ba Đình still: ~1.3 km off its edge


def north(lat: float, metres: float) -> float:
    return round(lat + math.degrees(metres / selectors.EARTH_RADIUS_M), 6)


@pytest.fixture
def outlined(categories):
    """Phúc Xá with its centre and outline (the 2021 units of the fixture carry no geodata)."""
    Unit.objects.filter(code=WARD, valid_to__isnull=False).update(**PHUC_XA)
    Unit.objects.filter(code=WARD).update(**PHUC_XA)
    return categories


@pytest.fixture
def centre_only(categories):
    """Trúc Bạch with a centre and an area but no outline, like every unit from 1 July 2025."""
    Unit.objects.filter(code=WARD_B).update(
        centroid_lat=21.044395, centroid_lon=105.843174, area_km2=1.0
    )
    return categories


# --- the pure rule ------------------------------------------------------------------------------


def candidate(**kw):
    base = {
        "pk": 1,
        "lat": 21.0,
        "lon": 105.8,
        "south": None,
        "west": None,
        "north": None,
        "east": None,
        "area_km2": None,
    }
    base.update(kw)
    return geo.Candidate(**base)


def test_a_pin_against_an_outline_a_centre_or_nothing():
    boxed = candidate(south=20.99, west=105.79, north=21.01, east=105.81)
    assert geo.check_pin(21.0, 105.8, boxed).verdict == "inside_outline"
    assert geo.check_pin(21.0, 105.83, boxed).verdict == "outside_outline"
    assert geo.check_pin(21.0, 105.83, boxed).refused
    disc = candidate(area_km2=math.pi)  # equivalent radius 1 km: 3 km allowed
    assert geo.check_pin(north(21.0, 2900), 105.8, disc).verdict == "near_centroid"
    far = geo.check_pin(north(21.0, 3100), 105.8, disc)
    assert far.verdict == "far_from_centroid" and far.refused
    assert far.limit_km == pytest.approx(3.0)
    assert geo.check_pin(21.0, 105.8, None).verdict == "no_geodata"
    assert geo.check_pin(21.0, 105.8, candidate()).verdict == "no_geodata"
    assert not geo.check_pin(21.0, 105.8, None).refused


# --- the service --------------------------------------------------------------------------------


def test_a_pin_outside_the_chosen_ward_s_outline_is_refused_and_nothing_written(outlined):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        submit(lat=OUTSIDE[0], lon=OUTSIDE[1])
    error = caught.value
    assert error.field == "lat" and error.code == "pin_outside_ward"
    assert "phường Phúc Xá" in error.vi and "khung bao" in error.vi
    assert "outside the outline" in error.en
    assert counts() == before


def test_a_pin_inside_the_outline_is_stored_with_its_coordinates(outlined):
    r = submit(lat=INSIDE[0], lon=INSIDE[1]).report
    r.refresh_from_db()
    assert (float(r.lat), float(r.lon)) == INSIDE and r.ward_code == WARD
    assert "Điểm ghim nằm trong khung bao của phường Phúc Xá." in r.events.first().public_note


def test_without_an_outline_a_far_pin_is_refused_and_a_near_one_is_said_unchecked(centre_only):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        submit(ward=WARD_B, lat=21.10, lon=105.843174)  # ~6 km north, limit 3 × 0.56 km
    assert caught.value.field == "lat" and "chưa có dữ liệu ranh giới" in caught.value.vi
    assert "no outline data" in caught.value.en
    assert counts() == before
    r = submit(ward=WARD_B, lat=21.0450, lon=105.8435).report
    note = r.events.first().public_note
    assert "chưa đối chiếu được với ranh giới phường Trúc Bạch" in note


@pytest.mark.parametrize(
    ("lat", "lon", "field", "words"),
    [
        (21.0465, None, "long", "Kinh độ của điểm ghim bị thiếu"),
        (None, 105.848, "lat", "Vĩ độ của điểm ghim bị thiếu"),
        (48.85, 105.848, "lat", "Vĩ độ của điểm ghim nằm ngoài lãnh thổ Việt Nam"),
        (21.0465, 2.35, "long", "Kinh độ của điểm ghim nằm ngoài lãnh thổ Việt Nam"),
        ("abc", 105.848, "lat", "Vĩ độ của điểm ghim không phải là một số"),
        ("NaN", 105.848, "lat", "Vĩ độ của điểm ghim phải là một số hữu hạn"),
    ],
)
def test_bad_coordinates_name_the_field_in_both_languages(outlined, lat, lon, field, words):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        submit(lat=lat, lon=lon)
    assert caught.value.field == field and words in caught.value.vi
    assert ("latitude" if field == "lat" else "longitude") in caught.value.en
    assert counts() == before


# --- the web form -------------------------------------------------------------------------------


def form(**kw):
    data = {"category": SIDEWALK, "ward": WARD, "description": "Vỉa hè bị lấn chiếm."}
    data.update(kw)
    return data


def test_the_form_refuses_a_pin_outside_the_ward_next_to_the_map(client, outlined):
    before = counts()
    response = client.post("/feedback/new/", form(lat=OUTSIDE[0], lon=OUTSIDE[1]))
    assert response.status_code == 422
    page = response.content.decode()
    pin_error = re.search(r'<p class="msg msg-error" id="pin-error">(.*?)</p>', page, re.S)
    assert pin_error and "nằm ngoài ranh giới (khung bao) của phường Phúc Xá" in pin_error.group(1)
    assert 'aria-describedby="pin-error"' in page
    assert 'name="lat" value="21.04"' in page  # the pin comes back where it was
    assert counts() == before
    english = client.post(
        "/feedback/new/", form(lat=OUTSIDE[0], lon=OUTSIDE[1]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The map pin lies outside the outline (bounding box) of Phường Phúc Xá" in english


def test_a_report_placed_by_pin_alone_is_stored_with_the_pin(client, outlined):
    response = client.post("/feedback/new/", form(ward="", lat=INSIDE[0], lon=INSIDE[1]))
    assert response.status_code == 302, response.content.decode()[:3000]
    r = Report.objects.get()
    assert (float(r.lat), float(r.lon), r.ward_code) == (*INSIDE, WARD)


def test_the_form_s_map_offline_and_with_tiles(client, outlined):
    page = client.get("/feedback/new/").content.decode()
    assert 'id="map-offline"' in page and 'data-tiles-url=""' in page
    assert 'id="map-unavailable"' in page  # the sentence for browsers without the map's script
    assert "/static/feedback/leaflet/leaflet.js" in page and "unpkg" not in page
    data = re.search(r'<script id="map-wards" type="application/json">(.*?)</script>', page, re.S)
    assert data is not None
    wards = {w["code"]: w for w in json.loads(data.group(1))}
    phuc_xa = wards[WARD]
    assert phuc_xa["box"] == [21.040199, 105.842293, 21.053464, 105.855959]
    assert phuc_xa["radius_km"] is None
    assert WARD_B not in wards  # no geodata here: left out, never guessed
    tiles = "https://tiles.example.vn/{z}/{x}/{y}.png"
    with override_settings(CQDT_MAP_TILES_URL=tiles, CQDT_MAP_TILES_ATTRIBUTION="© Bản đồ X"):
        page = client.get("/feedback/new/").content.decode()
    assert f'data-tiles-url="{tiles}"' in html.unescape(page) and 'id="map-offline"' not in page


def test_a_centre_only_ward_is_drawn_as_an_approximate_disc(categories, centre_only):
    from django.test import Client

    page = Client().get("/feedback/new/").content.decode()
    data = re.search(r'<script id="map-wards" type="application/json">(.*?)</script>', page, re.S)
    assert data is not None
    truc_bach = {w["code"]: w for w in json.loads(data.group(1))}[WARD_B]
    assert truc_bach["box"] is None
    assert truc_bach["radius_km"] == pytest.approx(math.sqrt(1.0 / math.pi), abs=0.001)


# --- near you -----------------------------------------------------------------------------------


def test_reports_near_a_point_nearest_first_in_one_query(outlined, django_assert_num_queries):
    lat, lon = INSIDE
    submit(ward=WARD_B, lat=north(lat, 1500), lon=lon)  # 1.5 km away (Trúc Bạch: no geodata)
    codes = {}
    for metres in (700, 0, 300):
        codes[metres] = submit(lat=north(lat, metres) if metres else lat, lon=lon).report.code
    submit()  # no pin: never near anything
    with django_assert_num_queries(1):
        near = selectors.reports_near(lat, lon, metres=1000)
    assert [r.code for r, _d in near] == [codes[0], codes[300], codes[700]]
    assert [round(d) for _r, d in near] == [0, 300, 700]
    assert selectors.reports_near(lat, lon, metres=200)[0][0].code == codes[0]
    assert len(selectors.reports_near(lat, lon, metres=200)) == 1


def test_the_public_near_list_shows_no_personal_data(client, outlined):
    lat, lon = INSIDE
    code = submit(lat=lat, lon=lon).report.code
    response = client.get("/feedback/", {"near": f"{north(lat, 120)},{lon}"})
    page = response.content.decode()
    near = re.search(r'<table class="near-table" id="near-list">(.*?)</table>', page, re.S)
    assert near and code in near.group(1) and "≈ 120 m" in near.group(1)
    for value in REPORTER.values():
        assert value not in page
    bad = client.get("/feedback/", {"near": "48.85,2.35"}).content.decode()
    assert 'id="q-near-error"' in bad and 'id="near-list"' not in bad
    assert selectors.parse_point("21.04, 105.85") == (21.04, 105.85)
    assert selectors.parse_point("nan,105") is None and selectors.parse_point("21") is None


def test_the_tiles_origin_the_csp_allows():
    from cqdt.config.env import tiles_origin

    assert tiles_origin("https://tiles.example.vn/{z}/{x}/{y}.png") == "https://tiles.example.vn"
    assert tiles_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    assert tiles_origin("") == "" and tiles_origin("/tiles/{z}/{x}/{y}.png") == ""
