"""Open311 GeoReport v2 under /open311/v2/, compared with the published specification.

Compared against: the GeoReport v2 specification, http://wiki.open311.org/GeoReport_v2 (the
page's source is ``GeoReport_v2/index.md`` in github.com/open311/open311.github.io), its
"Example response" of each method — GET Service List (``services`` / ``service``: service_code,
service_name, description, metadata, type, keywords, group), GET Service Definition
(``service_definition``: service_code, attributes), POST Service Request (``service_requests`` /
``request``: service_request_id, service_notice, account_id — no token when an id is returned),
GET service_request_id from a token (service_request_id, token), GET Service Requests and GET
Service Request (service_request_id, status, status_notes, service_name, service_code,
description, agency_responsible, service_notice, requested_datetime, updated_datetime,
expected_datetime, address, address_id, zipcode, lat, long, media_url) — and of its "Errors"
section (JSON ``[{"code": 403, "description": "..."}]``, XML
``<errors><error><code/><description/></error></errors>``; 404 for what does not exist, 403 for a
missing or invalid api_key, 400 for any other request that cannot be fulfilled; the POST
method's own list: 404 when the service_code is not found, 400 when it is not provided).

The spec's example request is form-encoded (``api_key=xyz&jurisdiction_id=city.gov&
service_code=001&lat=…&long=…&address_string=…&email=…&first_name=john&last_name=smith&
phone=…&description=…``); the tests post the same fields. The spec's examples write ids as
numbers (``"service_code":001``); ours are strings, which the spec's field descriptions
("unique identifier") allow. Datetimes must be W3C with an offset.
"""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import (
    NOW,
    REPORTER,
    SIDEWALK,
    WARD_B,
    at,
    counts,
    drive,
    jpeg,
    submit,
)

pytestmark = pytest.mark.django_db
V2 = "/open311/v2"

SERVICE_KEYS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
POST_KEYS = ["service_request_id", "service_notice", "account_id"]
TOKEN_KEYS = ["service_request_id", "token"]
REQUEST_KEYS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
NUMBER_OR_NULL = (int, float, type(None))


def post_request(client, api_key, **overrides):
    """POST /requests as the spec's example request: form-encoded, one field each."""
    body = {
        "api_key": api_key,
        "jurisdiction_id": "hanoi.gov.vn",
        "service_code": SIDEWALK,
        "lat": "21.043",
        "long": "105.837",
        "address_string": "Số 5 phố Quán Thánh, phường Trúc Bạch, quận Ba Đình",
        "email": REPORTER["reporter_email"],
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "Nhung",
        "last_name": "Quách",
        "phone": REPORTER["reporter_phone"],
        "description": "Vỉa hè bị lấn chiếm hoàn toàn",
    }
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    fmt = body.pop("_fmt", "json")
    return client.post(f"{V2}/requests.{fmt}", body)


def xml_rows(response, root, item):
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    tree = ET.fromstring(response.content)  # noqa: S314 - our own server's answer, in a test
    assert tree.tag == root
    assert all(child.tag == item for child in tree)
    return list(tree)


def assert_error(response, status, fmt="json"):
    assert response.status_code == status
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert isinstance(body, list) and len(body) == 1
        assert list(body[0]) == ["code", "description"]
        assert body[0]["code"] == status and body[0]["description"]
        return body[0]["description"]
    (error,) = xml_rows(response, "errors", "error")
    assert [c.tag for c in error] == ["code", "description"]
    assert error.findtext("code") == str(status) and error.findtext("description")
    return error.findtext("description")


# --- the six methods --------------------------------------------------------------------------


def test_get_services_in_json_and_xml(client, categories):
    body = client.get(f"{V2}/services.json").json()
    assert len(body) == 9
    for service in body:
        assert list(service) == SERVICE_KEYS
        assert isinstance(service["metadata"], bool) and service["type"] == "realtime"
        assert all(isinstance(service[k], str) for k in SERVICE_KEYS if k != "metadata")
    assert {s["service_code"] for s in body} >= {SIDEWALK, "chieu-sang"}
    rows = xml_rows(client.get(f"{V2}/services.xml"), "services", "service")
    assert len(rows) == 9
    assert [c.tag for c in rows[0]] == SERVICE_KEYS
    assert rows[0].findtext("metadata") == "false"


def test_get_a_service_definition(client, categories):
    body = client.get(f"{V2}/services/{SIDEWALK}.json").json()
    assert body == {"service_code": SIDEWALK, "attributes": []}
    tree = ET.fromstring(client.get(f"{V2}/services/{SIDEWALK}.xml").content)  # noqa: S314
    assert tree.tag == "service_definition" and [c.tag for c in tree] == [
        "service_code",
        "attributes",
    ]
    assert assert_error(client.get(f"{V2}/services/khong-co.json"), 404)


def test_a_client_creates_a_request_and_reads_it_back_in_json_and_xml(
    client, wards, api_key, frozen
):
    response = post_request(client, api_key)
    assert response.status_code == 200, response.content
    (created,) = response.json()
    assert list(created) == POST_KEYS and "token" not in created
    assert created["account_id"] is None
    code = created["service_request_id"]
    r = Report.objects.get(code=code)
    assert (r.channel, r.ward_code, r.reporter_name) == ("open311", WARD_B, "Nhung Quách")
    assert float(r.lat) == 21.043 and float(r.lon) == 105.837
    # The follow-up secret goes back to the sender only, in the service notice.
    assert created["service_notice"].startswith("Mã theo dõi: ")

    (row,) = client.get(f"{V2}/requests/{code}.json").json()
    assert list(row) == REQUEST_KEYS
    assert row["service_request_id"] == code and row["status"] == "open"
    assert row["service_code"] == SIDEWALK and row["service_name"].startswith("Trật tự đô thị")
    assert row["agency_responsible"] == "UBND phường Trúc Bạch"
    assert row["description"] == "Vỉa hè bị lấn chiếm hoàn toàn"
    assert row["requested_datetime"] == "2022-03-15T09:00:00+07:00"
    assert row["expected_datetime"] == "2022-03-22T17:00:00+07:00"
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(row[key]), row[key]
    assert isinstance(row["lat"], float) and isinstance(row["long"], float)
    assert all(isinstance(row[k], str) for k in REQUEST_KEYS if k not in ("lat", "long"))

    (element,) = xml_rows(client.get(f"{V2}/requests/{code}.xml"), "service_requests", "request")
    assert [c.tag for c in element] == REQUEST_KEYS
    assert element.findtext("service_request_id") == code
    assert element.findtext("status") == "open"
    assert element.findtext("service_code") == SIDEWALK
    assert element.findtext("requested_datetime") == "2022-03-15T09:00:00+07:00"
    assert element.findtext("agency_responsible") == "UBND phường Trúc Bạch"

    xml_created = post_request(client, api_key, _fmt="xml")
    (request,) = xml_rows(xml_created, "service_requests", "request")
    assert [c.tag for c in request] == POST_KEYS
    assert request.findtext("service_request_id").startswith("PA-220315-")
    assert request.findtext("account_id") == ""


def test_get_requests_lists_with_the_spec_filters(client, wards, api_key, frozen):
    first = submit(photos=None).report
    second = submit(category="chieu-sang", now=NOW + dt.timedelta(hours=1)).report
    drive(wards["a"], first.code, to="resolved")
    old = submit(now=at(dt.date(2021, 10, 1))).report  # outside the default 90 days
    frozen.move_to(NOW + dt.timedelta(hours=2))
    body = client.get(f"{V2}/requests.json").json()
    assert [r["service_request_id"] for r in body] == [second.code, first.code]  # newest first
    assert all(list(r) == REQUEST_KEYS for r in body)
    assert {r["status"] for r in body} == {"open", "closed"}  # resolved counts as closed
    resolved = next(r for r in body if r["service_request_id"] == first.code)
    assert resolved["status_notes"] == "Đã yêu cầu dọn dẹp vỉa hè."
    assert resolved["lat"] is None and resolved["media_url"] == ""

    def ids(**params):
        return [r["service_request_id"] for r in client.get(f"{V2}/requests.json", params).json()]

    assert ids(status="open") == [second.code]
    assert ids(status="closed") == [first.code]
    assert ids(status="open,closed") == [second.code, first.code]
    assert ids(service_code="chieu-sang") == [second.code]
    assert ids(start_date="2021-09-01T00:00:00+07:00", end_date="2021-11-01T00:00:00Z") == [
        old.code
    ]
    assert ids(service_request_id=f"{old.code},{first.code}") == [first.code, old.code]
    rows = xml_rows(
        client.get(f"{V2}/requests.xml", {"status": "open"}), "service_requests", "request"
    )
    assert [r.findtext("service_request_id") for r in rows] == [second.code]
    assert [c.tag for c in rows[0]] == REQUEST_KEYS


def test_get_a_service_request_id_from_a_token(client, categories):
    r = submit().report
    (row,) = client.get(f"{V2}/tokens/{r.token}.json").json()
    assert list(row) == TOKEN_KEYS and row == {"service_request_id": r.code, "token": str(r.token)}
    (element,) = xml_rows(client.get(f"{V2}/tokens/{r.token}.xml"), "service_requests", "request")
    assert [c.tag for c in element] == TOKEN_KEYS
    assert assert_error(client.get(f"{V2}/tokens/not-a-uuid.json"), 404)


def test_media_url_points_at_the_stored_photo(client, categories, media):
    r = submit(photos=[jpeg()]).report
    (row,) = client.get(f"{V2}/requests/{r.code}.json").json()
    photo = r.photos.get()
    assert row["media_url"] == f"http://testserver/feedback/photos/{photo.public_id}/"


def test_no_reporter_contact_ever_leaves_through_open311(client, wards, api_key, frozen):
    code = post_request(client, api_key).json()[0]["service_request_id"]
    submit()
    for url in (
        f"{V2}/requests.json",
        f"{V2}/requests.xml",
        f"{V2}/requests/{code}.json",
        f"{V2}/requests/{code}.xml",
    ):
        text = client.get(url).content.decode()
        for secret in (*REPORTER.values(), "Nhung Quách", "123456", "tt222111"):
            assert secret not in text, (url, secret)


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_refused_posts_answer_in_the_spec_error_format_and_write_nothing(
    client, categories, api_key, fmt
):
    before = counts()
    assert "api_key" in assert_error(post_request(client, None, _fmt=fmt), 403, fmt)
    assert "api_key" in assert_error(post_request(client, "wrong-key", _fmt=fmt), 403, fmt)
    assert "service_code" in assert_error(
        post_request(client, api_key, service_code="khong-co", _fmt=fmt), 404, fmt
    )
    assert "service_code" in assert_error(
        post_request(client, api_key, service_code="", _fmt=fmt), 400, fmt
    )
    no_location = post_request(client, api_key, lat=None, long=None, address_string=None, _fmt=fmt)
    assert "location" in assert_error(no_location, 400, fmt)
    unresolved = post_request(
        client, api_key, address_string="Số 5 phố Quán Thánh", lat=None, long=None, _fmt=fmt
    )
    assert "address" in assert_error(unresolved, 400, fmt)
    wrong_city = post_request(client, api_key, jurisdiction_id="sfgov.org", _fmt=fmt)
    assert "jurisdiction_id" in assert_error(wrong_city, 404, fmt)
    assert "description" in assert_error(
        post_request(client, api_key, description="", _fmt=fmt), 400, fmt
    )
    bad_photo = post_request(
        client, api_key, media=__import__("io").BytesIO(b"not an image"), _fmt=fmt
    )
    assert "media" in assert_error(bad_photo, 400, fmt)
    assert counts() == before


def test_refused_reads_answer_in_the_spec_error_format(client, categories):
    assert_error(client.get(f"{V2}/requests/PA-000000-00000.json"), 404)
    assert_error(client.get(f"{V2}/requests/PA-000000-00000.xml"), 404, "xml")
    assert "status" in assert_error(client.get(f"{V2}/requests.json", {"status": "pending"}), 400)
    assert "start_date" in assert_error(
        client.get(f"{V2}/requests.json", {"start_date": "hôm qua"}), 400
    )
    later_start = {"start_date": "2022-03-02T00:00:00Z", "end_date": "2022-03-01T00:00:00Z"}
    assert_error(client.get(f"{V2}/requests.xml", later_start), 400, "xml")
    assert_error(client.get(f"{V2}/services.json", {"jurisdiction_id": "sfgov.org"}), 404)
    assert_error(client.get(f"{V2}/services.html"), 404)
    assert client.delete(f"{V2}/requests.json").status_code == 405


@pytest.mark.parametrize(
    "dates",
    [
        {"start_date": "0001-01-01T00:00:00+14:00"},
        {"start_date": "0001-01-01"},
        {"end_date": "9999-12-31T23:59:59-12:00"},
        # Well formed, but no such moment (Django's parser raises ValueError on these).
        {"start_date": "2026-02-30T00:00:00"},
        {"end_date": "2026-13-01T00:00:00+07:00"},
        {"start_date": "2026-02-28T25:00:00"},
    ],
)
def test_a_moment_outside_the_calendar_in_utc_is_a_400_not_a_500(client, categories, dates):
    """A W3C datetime that parses but has no UTC equivalent (year 0 or 10000 once shifted)
    ended in OverflowError when the query was built (a 500 page, not Open311's error list)."""
    field = next(iter(dates))
    assert field in assert_error(client.get(f"{V2}/requests.json", dates), 400)


def test_an_end_date_in_the_calendar_s_first_days_lists_from_its_start(client, categories):
    """Without start_date the window reaches back from end_date; from 0001-01-02 it cannot
    (OverflowError, a 500): it starts at the calendar's first moment instead."""
    response = client.get(f"{V2}/requests.json", {"end_date": "0001-01-02T00:00:00Z"})
    assert response.status_code == 200 and response.json() == []


def test_a_revoked_key_is_refused(client, categories, api_key):
    from django.utils import timezone

    from cqdt.core.models import ApiToken

    ApiToken.objects.filter(kind="open311").update(revoked_at=timezone.now())
    assert_error(post_request(client, api_key), 403)
    assert json.loads(post_request(client, api_key).content)[0]["description"].startswith("api_key")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_key_may_come_as_a_bearer_header_and_errors_are_in_both_languages(
    client, categories, api_key, fmt
):
    """QA Q13: ``Authorization: Bearer o311_…`` was refused 403 (only the form field worked),
    and every description was English under ``Content-Language: vi``. The header now carries
    the key (the form field still does); a refusal names the field, in Vietnamese then
    English, in the spec's shape."""
    body = {
        "jurisdiction_id": "hanoi.gov.vn",
        "service_code": SIDEWALK,
        "lat": "21.043",
        "long": "105.837",
        "address_string": "Số 5 phố Quán Thánh, phường Trúc Bạch, quận Ba Đình",
        "description": "Vỉa hè bị lấn chiếm hoàn toàn",
    }
    url = f"{V2}/requests.{fmt}"
    ok = client.post(url, body, headers={"Authorization": f"Bearer {api_key}"})
    assert ok.status_code == 200, ok.content
    assert "PA-" in ok.content.decode()
    wrong = client.post(url, body, headers={"Authorization": "Bearer o311_wrong"})
    words = assert_error(wrong, 403, fmt)
    assert words.startswith("api_key") and "thu hồi" in words and "revoked" in words
    unknown = client.post(
        url, {**body, "service_code": "khong-co"}, headers={"Authorization": f"Bearer {api_key}"}
    )
    words = assert_error(unknown, 404, fmt)
    assert words.startswith("service_code: ") and " — " in words
    vi, en = words.removeprefix("service_code: ").split(" — ", 1)
    assert vi != en and en.isascii() and not vi.isascii()
