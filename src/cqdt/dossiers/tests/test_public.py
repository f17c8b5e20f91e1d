"""/api/v1/public/dossiers: what an applicant sees with the code and the lookup secret.

No account: the secret is the key. A wrong secret and an unknown code answer alike; the public view
names no official; a rating comes once, after the result is returned; the endpoints are rate-limited.
"""

import datetime as dt
import json

import pytest
from django.test import override_settings

from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import (
    APPLICANT,
    MARITAL,
    NAMES,
    WARD,
    at,
    counts,
    drive,
    submit,
)
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/dossiers"
NOW = at(dt.date(2026, 3, 2))


def lookup(client, code, secret):
    return client.get(f"{PUBLIC}/{code}", {"secret": secret})


def rate(client, code, secret, rating=5, comment=""):
    return post(
        client, f"{PUBLIC}/{code}/rating", {"secret": secret, "rating": rating, "comment": comment}
    )


def test_a_wrong_secret_and_an_unknown_code_give_the_same_404(client, ward, frozen):
    result = submit(ward, now=NOW)
    code = result.dossier.code
    wrong_secret = lookup(client, code, "WRONGSECRET")
    unknown_code = lookup(client, code[:-4] + "9999", result.secret)
    garbage = lookup(client, "not-a-code", result.secret)
    assert wrong_secret.status_code == unknown_code.status_code == garbage.status_code == 404
    assert wrong_secret.json() == unknown_code.json() == garbage.json()
    assert wrong_secret.json()["code"] == "dossier_not_found"
    assert (
        lookup(client, code, result.secret.lower()).status_code == 200
    )  # read aloud, typed in lower case


def test_the_public_view_names_no_official_and_shows_no_personal_data(client, ward, frozen):
    result = submit(ward, now=NOW)
    drive(ward, result.dossier.code, to="returned", now=NOW)
    response = lookup(client, result.dossier.code, result.secret)
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    for name in NAMES.values():
        assert name not in text
    for personal in (
        APPLICANT.name,
        APPLICANT.id_number,
        APPLICANT.phone,
        APPLICANT.email,
        APPLICANT.address,
    ):
        assert personal not in text
    for key in ("assigned_to", "signed_by", "signature_basis", "applicant", "version", "events"):
        assert key not in body
    assert body["status"] == "returned"
    assert [h["action"] for h in body["history"]][:2] == ["submit", "accept"]
    assert {h["by"] for h in body["history"]} <= {
        "Bộ phận một cửa",
        "Công chức xử lý",
        "Lãnh đạo UBND",
    }


def test_rating_comes_only_after_the_result_is_returned_and_only_once(client, ward, frozen):
    result = submit(ward, now=NOW)
    code, secret = result.dossier.code, result.secret
    before = counts()
    response = rate(client, code, secret)
    assert response.status_code == 422 and response.json()["code"] == "not_returned"
    assert counts() == before
    drive(ward, code, to="returned", now=NOW)
    assert rate(client, code, "WRONGSECRET").status_code == 404
    response = rate(client, code, secret, rating=4, comment="Nhanh, chu đáo")
    assert response.status_code == 200, response.content
    assert response.json()["rating"] == 4 and response.json()["can_rate"] is False
    d = Dossier.objects.get(code=code)
    assert (d.rating, d.rating_comment) == (4, "Nhanh, chu đáo")
    before = counts()
    again = rate(client, code, secret, rating=1)
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    assert Dossier.objects.get(code=code).rating == 4
    assert counts() == before


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_1_to_5_is_refused(client, ward, frozen, rating):
    result = submit(ward, now=NOW)
    drive(ward, result.dossier.code, to="returned", now=NOW)
    response = rate(client, result.dossier.code, result.secret, rating=rating)
    assert response.status_code == 422
    assert Dossier.objects.get(pk=result.dossier.pk).rating is None


@override_settings(CQDT_PUBLIC_RATE_LIMIT=3)
def test_lookups_are_rate_limited_per_minute(client, ward, frozen):
    result = submit(ward, now=NOW)
    for _ in range(3):
        assert lookup(client, result.dossier.code, result.secret).status_code == 200
    limited = lookup(client, result.dossier.code, result.secret)
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert limited.json()["messages"]["en"]
    # Guessing does not escape the limit either, and other clients are not affected.
    assert lookup(client, result.dossier.code, "GUESS").status_code == 429
    assert (
        client.get(
            f"{PUBLIC}/{result.dossier.code}", {"secret": result.secret}, REMOTE_ADDR="10.0.0.9"
        ).status_code
        == 200
    )
    frozen.shift(dt.timedelta(minutes=1))
    assert lookup(client, result.dossier.code, result.secret).status_code == 200


def test_online_submission_through_the_public_api(client, ward, frozen):
    body = {
        "unit": WARD,
        "procedure": MARITAL,
        "documents": ["to_khai"],
        "applicant": {"kind": "person", "name": "Lê Văn Cường", "id_number": "001090012345"},
    }
    response = post(client, PUBLIC, body)
    assert response.status_code == 200, response.content
    created = response.json()
    assert created["status"] == "submitted" and created["due_at"] is None
    assert Dossier.objects.get(code=created["code"]).channel == "online"
    assert lookup(client, created["code"], created["lookup_secret"]).status_code == 200
    before = counts()
    bad = post(client, PUBLIC, body | {"documents": []})
    assert bad.status_code == 422 and bad.json()["field"] == "documents"
    assert counts() == before


def test_the_lookup_answers_as_the_full_rows_would(client, ward, frozen):
    """The narrow, precompiled lookup (issue 17) gives the answer the ORM's full rows give."""
    from cqdt.dossiers import api, schemas, services

    result = submit(ward, now=NOW)
    drive(ward, result.dossier.code, to="returned", now=NOW)
    code = result.dossier.code
    full = services.public_dossier(code, result.secret)
    expected = schemas.PublicDossierOut.model_validate(api.public_out(full)).model_dump(mode="json")
    for _ in range(2):  # compiled on the first call, reused on the second
        response = lookup(client, code, result.secret)
        assert response.status_code == 200
        assert response.json() == expected
    assert len(expected["history"]) > 2


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_with_a_replica_the_lookup_reads_there_and_counts_on_the_primary(client, ward, frozen):
    """core.replicas: the citizen's lookup tolerates lag; the rate-limit count is a write."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from cqdt.core import replicas

    result = submit(ward, now=NOW)
    replicas._health.clear()
    with (
        override_settings(CQDT_REPLICAS=["replica"]),
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = lookup(client, result.dossier.code, result.secret)
    assert response.status_code == 200
    on_replica = " ".join(q["sql"] for q in replica.captured_queries)
    on_primary = " ".join(q["sql"] for q in primary.captured_queries)
    assert "dossiers_dossier" in on_replica and "dossiers_dossierevent" in on_replica
    assert "core_ratecounter" in on_primary and "dossiers_dossier" not in on_primary


def test_the_rating_comment_reaches_the_staff_page_and_api(client, ward, frozen):
    """QA Q23: the applicant's comment was stored and shown to nobody. The dossier's page shows
    it (escaped), the API answers it (``rating_comment``) and lists the unsatisfied ratings."""
    from cqdt.testing import bearer_client, logged_in

    result = submit(ward, now=NOW)
    code, secret = result.dossier.code, result.secret
    drive(ward, code, to="returned", now=NOW)
    words = "Chờ lâu, cán bộ hướng dẫn chưa rõ <b>x</b>"
    assert rate(client, code, secret, rating=2, comment=words).status_code == 200
    other = submit(ward, now=NOW).dossier.code
    api = bearer_client(ward["user_chair"])
    body = api.get(f"/api/v1/dossiers/{code}").json()
    assert body["rating"] == 2 and body["rating_comment"] == words
    listed = api.get("/api/v1/dossiers", {"rating_at_most": 2}).json()
    assert [d["code"] for d in listed["items"]] == [code] and other != code
    assert listed["items"][0]["rating_comment"] == words
    assert api.get("/api/v1/dossiers", {"rating_at_most": 1}).json()["items"] == []
    html = logged_in(ward["user_chair"]).get(f"/staff/dossiers/{code}/").content.decode()
    assert 'id="dossier-rating"' in html and "2/5" in html
    assert "Chờ lâu, cán bộ hướng dẫn chưa rõ &lt;b&gt;x&lt;/b&gt;" in html
