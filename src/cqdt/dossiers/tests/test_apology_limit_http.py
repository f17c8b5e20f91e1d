"""A second Mẫu 04 over real HTTP, as an integrator and a browser send it (DOMAIN §3 [C]: the
return date may be moved once, ``rules.APOLOGY_MOVES_MAX``): a live server, a bearer token for
the API, a signed-in session with its CSRF token for the staff page. Refused to the processing
officer and to the ward chairman alike, 422 ``apology_limit_reached``, and nothing changes: the
dossier's version and due date, its timeline, the audit chain, the outbox."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest

from cqdt.config.tests.test_api_auth_http import Http
from cqdt.core.audit import Actor
from cqdt.core.tokens import token_issue
from cqdt.dossiers.models import Apology, Dossier
from cqdt.dossiers.tests.conftest import at, counts, drive, submit

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date
API = "/api/v1/dossiers"
SECOND = {"reason": "Vẫn chờ xác minh", "new_due_at": "2026-03-12T17:00:00+07:00"}


def _bearer(user) -> dict[str, str]:
    _, secret = token_issue(actor=Actor.system("test"), user=user, name="integration")
    return {"Authorization": f"Bearer {secret}"}


def _state(d: Dossier) -> tuple:
    fresh = Dossier.objects.get(pk=d.pk)
    return fresh.version, fresh.due_at, fresh.apology_count, Apology.objects.count(), counts()


def post_apology(browser: Http, base: str, d: Dossier, reason: str, new_due_at: str):
    """The dossier page's apology form posted through ``browser`` (its session's CSRF token and
    the site's Referer), as a form left open would post it: (status, page)."""
    form = {
        "action": "apologise",
        "version": d.version,
        "reason": reason,
        "new_due_at": new_due_at,
        "csrfmiddlewaretoken": browser.cookie("csrftoken"),
    }
    status, _, html = browser.send(
        "POST",
        f"/staff/dossiers/{d.code}/",
        urllib.parse.urlencode(form).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": base + "/"},
    )
    return status, html


@pytest.fixture
def apologised_once(ward, frozen, live_server):
    """A dossier in processing, due Thu 5 March 17:00, whose date the processing officer moved
    once through the API (to Tue 10 March 17:00); Monday 9 March, before the new date."""
    d = drive(
        ward,
        submit(ward, now=at(D(2026, 3, 2))).dossier.code,
        to="processing",
        now=at(D(2026, 3, 2)),
    )
    frozen.move_to(at(D(2026, 3, 4), 10))
    http = Http(live_server.url)
    status, body, _ = http.json(
        "POST",
        f"{API}/{d.code}/actions/apologise",
        {"version": d.version, "reason": "Chờ xác minh", "new_due_at": "2026-03-10T17:00:00+07:00"},
        **_bearer(ward["user_justice"]),
    )
    assert status == 200, body
    assert body["apology_count"] == 1 and body["apology_limit_reached"] is True
    frozen.move_to(at(D(2026, 3, 9), 10))
    return Dossier.objects.get(pk=d.pk), live_server.url


@pytest.mark.parametrize("who", ["user_justice", "user_chair"])
def test_a_second_apology_through_the_api_is_refused_and_changes_nothing(
    ward, apologised_once, who
):
    d, base = apologised_once
    token = _bearer(ward[who])  # issuing it is audited: before the count
    before = _state(d)
    status, body, _ = Http(base).json(
        "POST", f"{API}/{d.code}/actions/apologise", {"version": d.version, **SECOND}, **token
    )
    assert status == 422, body
    assert (body["code"], body["field"]) == ("apology_limit_reached", "apology_count")
    assert "kể cả Chủ tịch UBND" in body["messages"]["vi"]
    assert "not even by the ward chairman" in body["messages"]["en"]
    assert "107/2021" in body["messages"]["vi"] and "107/2021" in body["messages"]["en"]
    assert _state(d) == before
    status, read, _ = Http(base).send("GET", f"{API}/{d.code}", headers=token)
    assert status == 200
    assert (read["version"], read["apology_count"]) == (d.version, 1)
    assert dt.datetime.fromisoformat(read["due_at"]) == at(D(2026, 3, 10), 17)
    assert read["apology_limit_reached"] is True and read["apology_too_late"] is False


@pytest.mark.parametrize("who", ["user_justice", "user_chair"])
def test_a_second_apology_from_the_page_is_not_offered_and_refused_if_posted(
    ward, apologised_once, who
):
    d, base = apologised_once
    browser = Http(base)
    browser.login(ward[who].username, "x")
    status, _, html = browser.send("GET", f"/staff/dossiers/{d.code}/")
    assert status == 200
    assert 'value="apologise"' not in html
    assert 'id="apology-limit-reached"' in html and "kể cả Chủ tịch UBND" in html
    assert "Chủ tịch UBND quyết định" not in html
    before = _state(d)
    # Posted all the same (a form kept open in another tab), with the session's CSRF token.
    status, html = post_apology(browser, base, d, SECOND["reason"], "2026-03-12T17:00")
    assert status == 422, html[:500]
    assert "mà chỉ được dời tối đa 1 lần" in html
    assert _state(d) == before
