"""The nearby-duplicate hint (issue 13 item 8): same category, open, within 100 m and 7 days."""

import datetime as dt
import math

import pytest

from cqdt.feedback import selectors
from cqdt.feedback.models import Category
from cqdt.feedback.tests.conftest import NOW, SIDEWALK, WARD, submit

pytestmark = pytest.mark.django_db
LAT, LON = 21.0400, 105.8400


def north(metres: float) -> float:
    return round(LAT + math.degrees(metres / selectors.EARTH_RADIUS_M), 6)


def found(lat, *, days=0, category=SIDEWALK):
    return selectors.nearby_open_reports(
        category_id=Category.objects.get(code=category).pk,
        lat=lat,
        lon=LON,
        at=NOW + dt.timedelta(days=days),
    )


def test_haversine_distance():
    assert selectors.distance_m(LAT, LON, north(99), LON) == pytest.approx(99, abs=0.1)
    assert selectors.distance_m(LAT, LON, LAT, LON) == 0


def test_within_100_m_and_7_days_of_an_open_report(categories, django_assert_num_queries):
    r = submit(lat=LAT, lon=LON, address="").report
    category_id = Category.objects.get(code=SIDEWALK).pk
    with django_assert_num_queries(1):  # one query, however many reports are around
        near = selectors.nearby_open_reports(
            category_id=category_id, lat=north(99), lon=LON, at=NOW
        )
    assert [x.code for x in near] == [r.code]
    assert found(north(101)) == []
    assert [x.code for x in found(LAT, days=6)] == [r.code]
    assert found(LAT, days=8) == []
    assert found(LAT, category="ve-sinh-moi-truong") == []


def test_the_confirmation_shows_an_open_report_nearby(client, categories):
    import time_machine

    first = submit(lat=LAT, lon=LON, address="").report
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        sent = client.post(
            "/feedback/new/",
            {
                "category": SIDEWALK,
                "ward": WARD,
                "lat": str(north(50)),
                "lon": str(LON),
                "description": "Vẫn lấn chiếm vỉa hè.",
            },
        )
        assert sent.status_code == 302, sent.content.decode()[:2000]
        page = client.get(sent["Location"]).content.decode()
    assert 'id="nearby-hint"' in page and first.code in page
