"""Open311 by coordinates: a request with lat/long and no address is placed in its ward
(issue 10, item 10), from the units' shipped geodata (an approximation, said on the timeline)."""

import pytest
from django.test import Client

from cqdt.core.audit import Actor
from cqdt.feedback import services
from cqdt.feedback.models import Report
from cqdt.testing import reference

pytestmark = pytest.mark.django_db

SIDEWALK = "trat-tu-do-thi"


@pytest.fixture
def today_world(db):
    """Hanoi to today (the 126 units of 1 July 2025, with centroids) and the categories."""
    reference.units(history=True)
    services.categories_load()


@pytest.fixture
def key(today_world):
    return services.open311_key_issue(actor=Actor.system("test-integrator"), name="Ứng dụng thử")


def post(key: str, lat: str, lon: str, **extra: str):
    data = {
        "api_key": key,
        "service_code": SIDEWALK,
        "lat": lat,
        "long": lon,
        "description": "Lấn chiếm vỉa hè",
        **extra,
    }
    return Client(REMOTE_ADDR="198.51.100.80").post("/open311/v2/requests.json", data)


def test_a_point_alone_is_placed_in_its_ward(key):
    response = post(key, "21.0288", "105.8525")  # Hồ Hoàn Kiếm
    assert response.status_code == 200, response.content
    report = Report.objects.get(code=response.json()[0]["service_request_id"])
    assert report.ward_code == "00070"  # Phường Hoàn Kiếm since 1 July 2025
    note = report.events.get(action="submit").public_note
    assert "theo tọa độ (gần đúng" in note


def test_a_point_in_no_ward_is_refused_naming_lat(key):
    before = Report.objects.count()
    response = post(key, "10.5", "103.5")  # the Gulf of Thailand: inside the range, in no commune
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("lat:")
    assert Report.objects.count() == before
