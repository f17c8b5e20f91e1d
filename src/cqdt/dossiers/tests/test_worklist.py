"""Issue 13 item 7: the staff home is a worklist. Sections from selectors, one query each (its
rows and its count together), scoped to the user's units and roles, with counts and links; the
account stays reachable below."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt import testing
from cqdt.dossiers import services, workflow, worklist
from cqdt.dossiers.tests.conftest import WARD_B, at
from cqdt.staff.access import policy, principal_for
from cqdt.testing import DossierFactory

pytestmark = pytest.mark.django_db

NOW = at(dt.date(2026, 3, 2))


@pytest.fixture
def work(ward, frozen):
    """In Phúc Xá: one overdue in processing, one awaiting signature, one whose applicant has
    just answered a supplement request, one new at the desk."""
    overdue = DossierFactory(team=ward, status=workflow.PROCESSING, overdue=True)
    to_sign = DossierFactory(team=ward, status=workflow.AWAITING_SIGNATURE)
    answered = DossierFactory(team=ward, status=workflow.PROCESSING)
    asked, answered_at = NOW - dt.timedelta(hours=2), NOW - dt.timedelta(hours=1)
    reason = "Thiếu bản sao giấy tờ"
    answered = testing.move(
        services.dossier_request_supplement, ward["justice"], answered, now=asked, reason=reason
    )
    answered = testing.move(services.dossier_resubmit, ward["desk"], answered, now=answered_at)
    new = DossierFactory(team=ward, status=workflow.ACCEPTED)
    return {"overdue": overdue, "to_sign": to_sign, "answered": answered, "new": new}


def sections_of(user):
    return {s.key: s for s in worklist.sections(user, NOW)}


def codes(section):
    return {i.label.split(" · ")[0] for i in section.items}


def test_the_processing_officer_sees_mine_overdue_and_the_returned_supplement(ward, work):
    got = sections_of(ward["user_justice"])
    assert set(got) == {"mine", "due_soon", "overdue", "supplements_returned"}  # no signing
    assert codes(got["mine"]) == {work[k].code for k in ("overdue", "to_sign", "answered")}
    assert got["mine"].count == 3
    assert codes(got["overdue"]) == {work["overdue"].code}
    assert got["overdue"].items[0].late
    assert codes(got["supplements_returned"]) == {work["answered"].code}
    assert got["mine"].items[0].url == f"/staff/dossiers/{work['overdue'].code}/"


def test_the_chairman_sees_what_waits_for_his_signature(ward, work):
    got = sections_of(ward["user_chair"])
    assert codes(got["to_sign"]) == {work["to_sign"].code}
    assert got["to_sign"].url == "/staff/dossiers/tray/"


def test_another_ward_and_the_district_see_none_of_it(ward, ward_b, work):
    other = sections_of(ward_b["user_chair"])
    # Trúc Bạch's chairman has a chairman's sections, as Phúc Xá's has, each empty: all() over
    # no sections at all held as well (found in review).
    assert set(other) == set(sections_of(ward["user_chair"])) >= {"mine", "overdue", "to_sign"}
    assert [(s.count, list(s.items)) for s in other.values()] == [(0, [])] * len(other)
    # District and city roles do not work dossiers: no dossier section at all.
    assert sections_of(ward["user_district_chair"]) == {}


def test_one_query_per_section_whatever_the_data(ward, work, settings):
    from cqdt.dossiers.selectors import due_soon_horizon

    settings.CQDT_CALENDAR_RECHECK_SECONDS = 3600  # the calendar is read once, in the setup
    user = ward["user_justice"]
    # The reads before the sections, as each request pays them: once to keep the reference rows
    # behind the principal (the units' kinds, and the succession links its ward's own code is
    # judged by, staff.access.held_codes: core.refcache), then counted.
    principal_for(user, NOW.date())
    policy.act_scope(user, NOW.date())
    with CaptureQueriesContext(connection) as setup:
        principal_for(user, NOW.date())
        due_soon_horizon(NOW)
    with CaptureQueriesContext(connection) as run:
        found = worklist.sections(user, NOW)
    assert len(run) == len(setup) + len(found)
    for _ in range(3):
        DossierFactory(team=ward, status=workflow.PROCESSING, overdue=True)
    with CaptureQueriesContext(connection) as again:
        more = {s.key: s for s in worklist.sections(user, NOW)}
    assert len(again) == len(run)
    assert more["overdue"].count == 4 and len(more["overdue"].items) == 4


def test_the_home_page_is_the_worklist_with_counts_links_and_the_account(client, ward, work):
    client.force_login(ward["user_justice"])
    client.get("/staff/")  # the first request after login stamps the session
    with CaptureQueriesContext(connection) as first:
        page = client.get("/staff/").content.decode()
    assert "Việc cần làm" in page
    assert page.index("Việc cần làm") < page.index('id="me-h"')  # the account below, linked
    assert 'href="#me-h"' in page
    assert "Hồ sơ được giao cho tôi" in page and "Quá hạn" in page
    assert f'href="/staff/dossiers/{work["overdue"].code}/"' in page
    assert 'href="/staff/dossiers/?unit=00001&amp;overdue=1"' in page
    assert ward["justice"].full_name in page  # the account card is still there
    DossierFactory(team=ward, status=workflow.PROCESSING, overdue=True)
    with CaptureQueriesContext(connection) as second:
        client.get("/staff/")
    assert len(second) == len(first)  # no query per dossier


def test_a_user_without_posts_gets_no_worklist_but_the_account(client, ward, frozen):
    user = testing.UserFactory(username="nobody")
    client.force_login(user)
    page = client.get("/staff/").content.decode()
    assert "Tài khoản này không có danh sách việc" in page
    assert "nobody" in page


def test_ward_b_units_do_not_leak_into_phuc_xa(ward, ward_b, work):
    DossierFactory(team=ward_b, status=workflow.ACCEPTED, overdue=True, unit=WARD_B)
    got = sections_of(ward["user_justice"])
    assert got["overdue"].count == 1


def test_due_soon_counts_working_days_not_calendar_days():
    """Friday 6 March 2026 at 10:00: the next two working days are Monday 9 and Tuesday 10, so
    "due soon" reaches the end of Tuesday, over the weekend (Decree 61/2018 as amended: limits
    in working days)."""
    from cqdt.dossiers import selectors

    friday = at(dt.date(2026, 3, 6))
    horizon = selectors.due_soon_horizon(friday)
    assert horizon == dt.datetime(2026, 3, 11, tzinfo=selectors.HANOI)
    # Wednesday 29 April 2026 (Reunification Day and Labour Day off on Thursday 30/4 and
    # Friday 1/5, then the weekend): the next two working days are Monday 4 and Tuesday 5 May.
    assert selectors.due_soon_horizon(at(dt.date(2026, 4, 29))) == dt.datetime(
        2026, 5, 6, tzinfo=selectors.HANOI
    )


def test_a_dossier_due_next_tuesday_is_due_soon_on_friday(ward, frozen):
    from cqdt.dossiers import selectors

    friday = at(dt.date(2026, 3, 6))
    d = DossierFactory(team=ward, status=workflow.PROCESSING)
    type(d).objects.filter(pk=d.pk).update(due_at=at(dt.date(2026, 3, 10)))
    got = set(selectors.due_soon({d.unit_code}, friday).values_list("code", flat=True))
    assert d.code in got
    type(d).objects.filter(pk=d.pk).update(due_at=at(dt.date(2026, 3, 12)))
    assert not selectors.due_soon({d.unit_code}, friday).exists()
