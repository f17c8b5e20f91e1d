"""GET /api/v1/monitoring/evaluation: scoped like the other monitoring reads; with July 2021 only
(no month before the start, no comparison commune recorded) there is no estimate — null with the
reason and the missing months counted, never a zero effect."""

from cqdt import testing
from cqdt.monitoring.tests.conftest import WARD

URL = "/api/v1/monitoring/evaluation"


def test_no_data_before_the_start_gives_no_estimate(monitor_client):
    client = monitor_client
    response = client.get(f"{URL}?unit=01&indicator=processing_time")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["effect"] is None and body["ci"] is None and body["beta"] is None
    assert "Not enough" in body["reason"]
    assert body["missing_cells"] > 0
    assert body["pilot_start"] == "2021-07-01"
    assert len(body["assumptions"]) == 5 and body["assumptions"][0]["vi"].startswith("Xu hướng")
    bad = client.get(f"{URL}?unit=01&indicator=happiness")
    assert bad.status_code == 422 and b"indicator" in bad.content


def test_ward_staff_cannot_read_the_city(client, folded, django_user_model, frozen):
    user = testing.login_for(folded["team"]["desk"], django_user_model, "desk")
    client.force_login(user)
    assert client.get(f"{URL}?unit=01").status_code == 404
    assert client.get(f"{URL}?unit={WARD}").status_code == 200
