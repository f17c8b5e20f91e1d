"""The staff console: login, scope (404 outside it), the delegation register's forms, signing."""

import copy
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cqdt import testing
from cqdt.authority import acts, demo
from cqdt.authority import services as authority_services
from cqdt.authority.models import Delegation
from cqdt.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from cqdt.core.models import AuditEvent
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind
from cqdt.staff.selectors import chairman_of
from cqdt.testing import reference

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 6, 1)


NOW = dt.datetime(2022, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def frozen():
    # The demo's first term (2021-2026) with its 2022 delegation in force; the console asks
    # "today" for access, so the tests fix today.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker):
    """The demo's two wards, loaded once per module inside a transaction rolled back when the
    module ends (as ``leadership``); each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(NOW, tick=False):
            reference.units(history=True)
            report = demo.load(seed=1, wards=["00001", "00004"], today=TODAY)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def demo_data(_module_demo, db, frozen):
    return copy.deepcopy(_module_demo)


def login(client, username):
    """Log in, with the session's second factor verified (issue 18: delegation moves need it)."""
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    testing.second_factor(client, user)
    return client


def holder(unit_code, post):
    return (
        (
            Appointment.objects.filter(unit_code=unit_code, post=post)
            .select_related("official")
            .order_by("official_id")
        )
        .first()
        .official
    )


def grant_data(delegate, **overrides):
    data = {
        "delegate": str(delegate.public_id),
        "scope": ["certify_copy"],  # the only act the pilot lets a chairman delegate
        "seal_allowed": "on",
        "instrument_number": "20/QĐ-UBND",
        "instrument_date": "2022-06-01",
        "valid_from": "2022-06-01",
        "valid_to": "2022-12-31",
    }
    data.update(overrides)
    return data


def revoke_data(delegation, **overrides):
    prefix = f"r{delegation.public_id.hex[:12]}"
    data = {
        "revocation_number": "25/QĐ-UBND",
        "revoked_on": "2022-06-15",
        "reason": "Điều chuyển công tác",
    }
    data.update(overrides)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def state():
    return (
        Delegation.objects.count(),
        AuditEvent.objects.count(),
        list(Delegation.objects.order_by("id").values_list("revoked_on", flat=True)),
    )


GRANT = "/staff/units/{}/delegations/"
REVOKE = "/staff/units/{}/delegations/{}/revoke/"


def refused(client, username, url, data, status, *texts):
    """``username`` posts ``data`` to ``url``: answered ``status`` with ``texts`` on the page,
    and nothing changes."""
    before = state()
    response = login(client, username).post(url, data)
    assert response.status_code == status
    body = response.content.decode()
    for text in texts:
        assert text in body
    assert state() == before


# -- login ---------------------------------------------------------------------------------


def test_login_page_has_labelled_fields(client, frozen):
    body = client.get("/staff/login/").content.decode()
    assert '<label for="id_username"' in body
    assert '<label for="id_password"' in body


def test_login_page_carries_the_demo_badge_when_demo_data_exists(client, demo_data):
    body = client.get("/staff/login/").content.decode()
    assert "Dữ liệu minh họa (demo)" in body


def test_pages_require_login(client, demo_data):
    response = client.get("/staff/units/00001/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")


def test_login_with_the_demo_password_leads_to_the_console(client, demo_data):
    response = client.post(
        "/staff/login/", {"username": "chutich.phucxa", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_repeated_failures_lock_out_with_a_vietnamese_message(client, demo_data):
    statuses = [
        client.post("/staff/login/", {"username": "tuphap.phucxa", "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429
    locked = client.post(
        "/staff/login/", {"username": "tuphap.phucxa", "password": demo.DEMO_PASSWORD}
    )
    assert locked.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_lockout_is_the_staff_message_in_vietnamese(client, demo_data):
    """QA Q16: five wrong passwords, then /admin/login/ read "Account locked: too many login
    attempts. Please try again later." in English; it now says the staff login's message, with
    the wait."""
    for _ in range(6):
        client.post("/admin/login/", {"username": "tuphap.phucxa", "password": "wrong"})
    locked = client.post(
        "/admin/login/", {"username": "tuphap.phucxa", "password": demo.DEMO_PASSWORD}
    )
    text = locked.content.decode()
    assert locked.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in text and "15 phút" in text
    assert "Account locked" not in text


def test_logout_ends_the_session(client, demo_data):
    login(client, "tuphap.phucxa")
    assert client.post("/staff/logout/").status_code == 302
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize(
    "page",
    [
        "/staff/",
        "/staff/dossiers/",
        "/staff/monitoring/00001/",
        "/staff/oversight/",
        "/procedures/",
    ],
)
def test_every_page_offers_logout_when_logged_in(client, demo_data, page):
    # Issue 13 item 7: the dossier, monitoring and oversight pages had no logout.
    response = login(client, "chutich.phucxa").get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('action="/staff/logout/"') == 1
    assert 'method="post" action="/staff/logout/"' in body


def test_logged_out_pages_offer_no_logout(client, demo_data):
    assert 'action="/staff/logout/"' not in client.get("/procedures/").content.decode()


# -- home and scope ------------------------------------------------------------------------


def test_home_shows_the_official_posts_roles_and_visible_units(client, demo_data):
    body = login(client, "chutich.phucxa").get("/staff/").content.decode()
    chairman = holder("00001", posts.CHAIRMAN)
    assert chairman.full_name in body
    assert "Lãnh đạo UBND phường" in body
    assert 'href="/staff/units/00001/"' in body
    assert "/staff/units/00004/" not in body
    assert "Dữ liệu minh họa (demo)" in body


def test_city_monitor_home_says_every_unit_is_visible(client, demo_data):
    body = login(client, "sonoivu").get("/staff/").content.decode()
    assert "Theo dõi của Thành phố" in body
    assert 'href="/staff/districts/001/staffing/"' in body


@pytest.mark.parametrize("page", ["", "delegations/", "signing/"])
def test_ward_officer_sees_own_ward_pages(client, demo_data, page):
    assert login(client, "tuphap.phucxa").get(f"/staff/units/00001/{page}").status_code == 200


@pytest.mark.parametrize("page", ["", "delegations/", "signing/"])
def test_ward_officer_gets_404_for_another_ward_like_a_missing_one(client, demo_data, page):
    login(client, "tuphap.phucxa")
    other = client.get(f"/staff/units/00004/{page}")
    missing = client.get(f"/staff/units/99999/{page}")
    assert other.status_code == missing.status_code == 404


@pytest.mark.parametrize("username", ["chutich.badinh", "daibieu.badinh", "sonoivu", "admin"])
def test_district_and_city_users_see_the_wards(client, demo_data, username):
    login(client, username)
    assert client.get("/staff/units/00004/").status_code == 200
    assert client.get("/staff/units/00004/signing/").status_code == 200


def test_district_staffing_lists_wards_against_the_norm(client, demo_data):
    body = login(client, "chutich.badinh").get("/staff/districts/001/staffing/").content.decode()
    assert "Phường Phúc Xá" in body and "Phường Trúc Bạch" in body
    assert "Bình quân không quá 15 công chức mỗi phường" in body


def test_district_staffing_is_404_outside_scope_or_for_a_ward(client, demo_data):
    assert login(client, "tuphap.phucxa").get("/staff/districts/001/staffing/").status_code == 404
    assert (
        login(client, "chutich.badinh").get("/staff/districts/00001/staffing/").status_code == 404
    )


def test_unit_page_counts_vice_chairmen_and_civil_servants(client, demo_data):
    body = login(client, "chutich.phucxa").get("/staff/units/00001/").content.decode()
    assert "Phó Chủ tịch" in body
    assert "số tối đa chưa xác định" in body  # no ward class in the data: never guessed
    assert holder("00001", posts.JUSTICE_CIVIL_STATUS).full_name in body


def test_date_of_birth_only_for_those_allowed_personal_data(client, demo_data):
    official = holder("00001", posts.JUSTICE_CIVIL_STATUS)
    shown = f"{official.date_of_birth:%d/%m/%Y}"
    assert shown in login(client, "chutich.phucxa").get("/staff/units/00001/").content.decode()
    assert shown in login(client, "chutich.badinh").get("/staff/units/00001/").content.decode()
    assert shown not in login(client, "daibieu.badinh").get("/staff/units/00001/").content.decode()
    assert shown not in login(client, "sonoivu").get("/staff/units/00001/").content.decode()


def test_bad_date_falls_back_to_today_with_a_message(client, demo_data):
    response = login(client, "tuphap.phucxa").get("/staff/units/00001/?on=2022-13-40")
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()


# -- the delegation register ---------------------------------------------------------------


def test_register_shows_status_on_the_chosen_date(client, demo_data):
    login(client, "tuphap.phucxa")
    assert "Đang có hiệu lực" in client.get("/staff/units/00001/delegations/").content.decode()
    later = client.get("/staff/units/00001/delegations/?on=2023-06-01").content.decode()
    assert "Hết hạn" in later


def test_only_the_chairman_sees_the_grant_form(client, demo_data):
    assert (
        "Ghi quyết định ủy quyền"
        in login(client, "chutich.phucxa").get("/staff/units/00001/delegations/").content.decode()
    )
    assert (
        "Ghi quyết định ủy quyền"
        not in login(client, "phochutich.phucxa")
        .get("/staff/units/00001/delegations/")
        .content.decode()
    )


def test_chairman_grants_a_delegation_through_the_form(client, demo_data):
    delegate = holder("00001", posts.ONE_STOP_DESK)
    response = login(client, "chutich.phucxa").post(
        "/staff/units/00001/delegations/", grant_data(delegate)
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get(unit_code="00001", instrument_number="20/QĐ-UBND")
    assert delegation.delegate == delegate
    assert delegation.scope == ["certify_copy"] and delegation.seal_allowed
    assert delegation.delegator == holder("00001", posts.CHAIRMAN)
    event = AuditEvent.objects.get(
        object_type="authority.delegation", object_id=str(delegation.public_id)
    )
    assert event.action == "delegation.grant" and event.actor_label == "chutich.phucxa"
    assert "20/QĐ-UBND" in client.get("/staff/units/00001/delegations/").content.decode()


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (PermissionDenied("Không được.", "Not allowed."), 403),
        (NotFound("Không thấy.", "Not found."), 404),
        (Conflict("Đã đổi.", "Changed."), 409),
        (RuleViolation("Trái quy định.", "Against the rule."), 422),
    ],
)
def test_a_refused_grant_answers_the_errors_own_status(
    client, demo_data, monkeypatch, error, status
):
    """Issue 11: a 403 or a 404 from the service was answered 422; each error keeps its status."""

    def refuse(**_):
        raise error

    monkeypatch.setattr(authority_services, "delegation_grant", refuse)
    response = login(client, "chutich.phucxa").post(
        "/staff/units/00001/delegations/", grant_data(holder("00001", posts.ONE_STOP_DESK))
    )
    assert response.status_code == status
    assert error.vi in response.content.decode()


def test_chairman_revokes_a_delegation_through_the_form(client, demo_data):
    delegation = Delegation.objects.get(unit_code="00001")
    response = login(client, "chutich.phucxa").post(
        f"/staff/units/00001/delegations/{delegation.public_id}/revoke/", revoke_data(delegation)
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_on == dt.date(2022, 6, 15)
    assert delegation.revocation_number == "25/QĐ-UBND"
    assert AuditEvent.objects.filter(
        object_id=str(delegation.public_id), action="delegation.revoke"
    ).exists()


@pytest.mark.parametrize(
    "username", ["phochutich.phucxa", "tuphap.phucxa", "chutich.badinh", "admin"]
)
def test_non_chairman_grant_is_refused_and_nothing_changes(client, demo_data, username):
    data = grant_data(holder("00001", posts.ONE_STOP_DESK))
    refused(client, username, GRANT.format("00001"), data, 403, "Không có gì được ghi")


def test_non_chairman_revoke_is_refused_and_nothing_changes(client, demo_data):
    delegation = Delegation.objects.get(unit_code="00001")
    url = REVOKE.format("00001", delegation.public_id)
    refused(client, "phochutich.phucxa", url, revoke_data(delegation), 403)


def test_grant_in_another_ward_is_404_and_nothing_changes(client, demo_data):
    data = grant_data(holder("00004", posts.ONE_STOP_DESK))
    refused(client, "chutich.phucxa", GRANT.format("00004"), data, 404)


def test_revoke_of_another_wards_delegation_is_404(client, demo_data):
    login(client, "chutich.phucxa")
    other = Delegation.objects.get(unit_code="00004")
    mine = Delegation.objects.get(unit_code="00001")
    before = state()
    url = "/staff/units/00004/delegations/{}/revoke/"
    assert client.post(url.format(other.public_id), revoke_data(other)).status_code == 404
    # Ward 00001's delegation addressed through ward 00004's URL is not found either.
    assert client.post(url.format(mine.public_id), revoke_data(mine)).status_code == 404
    assert state() == before


def test_rule_violation_is_shown_next_to_its_field_with_422(client, demo_data):
    data = grant_data(holder("00001", posts.ONE_STOP_DESK), valid_to="2026-12-31")
    texts = ('id="id_valid_to_error"', "vượt quá nhiệm kỳ")
    refused(client, "chutich.phucxa", GRANT.format("00001"), data, 422, *texts)


def test_overlapping_grant_is_a_conflict_409(client, demo_data):
    data = grant_data(holder("00001", posts.JUSTICE_CIVIL_STATUS), scope=["certify_copy"])
    refused(client, "chutich.phucxa", GRANT.format("00001"), data, 409, "trùng thời gian")


def test_incomplete_grant_form_is_422(client, demo_data):
    data = grant_data(holder("00001", posts.ONE_STOP_DESK))
    del data["scope"]
    refused(client, "chutich.phucxa", GRANT.format("00001"), data, 422, 'id="id_scope_error"')


def test_revoke_outside_the_chairmans_term_is_refused_with_422(client, demo_data):
    delegation = Delegation.objects.get(unit_code="00001")
    url = REVOKE.format("00001", delegation.public_id)
    data = revoke_data(delegation, revoked_on="2027-01-01")
    refused(client, "chutich.phucxa", url, data, 422, "Chỉ Chủ tịch")


# -- who may sign what ---------------------------------------------------------------------


def test_signing_grid_shows_basis_instrument_and_signature_block(client, demo_data):
    body = login(client, "tuphap.phucxa").get("/staff/units/00001/signing/").content.decode()
    delegation = Delegation.objects.get(unit_code="00001")
    assert "CHỦ TỊCH" in body
    assert "KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH" in body
    assert "TUQ. CHỦ TỊCH<br>CÔNG CHỨC TƯ PHÁP - HỘ TỊCH" in body
    assert delegation.instrument_number in body
    assert "Ủy quyền" in body and "Phân công lĩnh vực" in body


def test_signing_grid_before_the_delegation_has_no_tuq(client, demo_data):
    body = (
        login(client, "tuphap.phucxa")
        .get("/staff/units/00001/signing/?on=2021-09-01")
        .content.decode()
    )
    assert "TUQ." not in body
    assert "KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH" in body


def test_signing_grid_statements_do_not_grow_with_the_officials(client, demo_data, settings):
    """Every cell from one read of who holds what (``authority_grid``): four more officials in
    the ward, the same statements — fewer than the cells. The reference rows are read afresh on
    each page here (no process cache), so both pages read them."""
    settings.CQDT_REFERENCE_CACHE_SECONDS = 0
    url = "/staff/units/00001/signing/"
    login(client, "tuphap.phucxa").get(url)

    def page():
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        return len(captured.captured_queries), body

    before, body = page()
    people = len({a.official_id for a in Appointment.objects.filter(unit_code="00001")})
    district_chairman = chairman_of("001", TODAY).official
    newcomers = [testing.official(f"GRID-{n}", "001") for n in range(4)]
    for person in newcomers:
        testing.appoint(
            person,
            "00001",
            posts.CULTURE_SOCIETY,
            by=district_chairman,
            by_unit="001",
            kind=AppointmentKind.ASSIGNMENT,
        )
    client.get(url)
    after, body = page()
    assert all(p.full_name in body for p in newcomers)
    assert after == before
    assert before < people * len(acts.all_acts())


def test_a_ward_whose_officials_were_never_entered_shows_missing_data_not_a_vacancy(
    client, demo_data
):
    """QA Q26: Phường Quán Thánh (00006) has no post entered on the platform (the demo staffs
    Phúc Xá and Trúc Bạch only): its page says the data is missing, never "Khuyết" or 0."""
    login(client, "sonoivu")
    body = client.get("/staff/units/00006/").content.decode()
    assert 'id="staff-not-recorded"' in body
    assert "Chưa có dữ liệu cán bộ của đơn vị trên nền tảng." in body
    assert "Khuyết" not in body
    staffed = client.get("/staff/units/00001/").content.decode()
    assert 'id="staff-not-recorded"' not in staffed
    assert holder("00001", posts.JUSTICE_CIVIL_STATUS).full_name in staffed


def test_a_day_before_the_first_post_entered_is_missing_data(client, demo_data):
    from cqdt.staff.selectors import staff_recorded_from
    from cqdt.units.selectors import unit_on

    first = staff_recorded_from(unit_on("00001", TODAY))
    assert first is not None
    login(client, "sonoivu")
    before = client.get(f"/staff/units/00001/?on={first - dt.timedelta(days=1):%Y-%m-%d}")
    body = before.content.decode()
    assert f"chỉ có dữ liệu cán bộ của đơn vị từ ngày {first:%d/%m/%Y}" in body
    assert "Khuyết" not in body


def test_the_district_s_average_leaves_out_wards_without_civil_servants_recorded(client, demo_data):
    body = login(client, "chutich.badinh").get("/staff/districts/001/staffing/").content.decode()
    assert 'id="unrecorded"' in body
    assert "Trong định mức" not in body  # twelve of fourteen wards missing: not assessed
    assert "Chưa đánh giá được" in body
    assert "Ít hơn 5 chức danh" not in body.split("Quán Thánh", 1)[1].split("</tr>", 1)[0]


def test_the_district_staffing_api_names_the_wards_without_civil_servants_recorded(
    client, demo_data
):
    login(client, "chutich.badinh")
    response = client.get("/api/v1/units/001/staffing")
    assert response.status_code == 200, response.content
    answer = response.json()
    by_code = {w["code"]: w for w in answer["wards"]}
    assert by_code["00006"]["staff_recorded"] is False
    assert by_code["00001"]["staff_recorded"] is True
    assert "00006" in answer["unrecorded_wards"] and "00001" not in answer["unrecorded_wards"]
    assert answer["within_norm"] is None


def test_a_unit_asked_past_its_verified_data_says_so(client, demo_data):
    """QA Q26: the unit API flags a day past the verified unit data; the staff page says it too."""
    from cqdt.units.selectors import data_status, unit_on

    day = dt.date(2026, 12, 1)
    status = data_status(unit_on("00097", day), day)
    assert status.beyond
    login(client, "sonoivu")
    body = client.get(f"/staff/units/00097/?on={day:%Y-%m-%d}").content.decode()
    assert 'id="unit-data"' in body
    assert f"chỉ được kiểm chứng đến ngày {status.verified_to:%d/%m/%Y}" in body


def test_the_unit_staff_api_tells_missing_data_from_vacant_posts(client, demo_data):
    """Review R4: an empty list for a unit with no post ever entered is missing data."""
    login(client, "sonoivu")
    response = client.get("/api/v1/units/00006/staff")
    assert response.status_code == 200, response.content
    never = response.json()
    assert (never["count"], never["staff_recorded_from"], never["staff_known"]) == (0, None, False)
    staffed = client.get("/api/v1/units/00001/staff").json()
    assert staffed["staff_known"] is True and staffed["count"] > 0
    first = dt.date.fromisoformat(staffed["staff_recorded_from"])
    login(client, "admin")  # the city monitor's own post starts with the pilot
    response = client.get(f"/api/v1/units/00001/staff?on={first - dt.timedelta(days=1)}")
    assert response.status_code == 200, (first, response.content)
    before = response.json()
    assert before["staff_known"] is False


def test_a_reused_code_s_successor_is_not_known_from_its_predecessor_s_posts(client, demo_data):
    """Review R9: 00097 was Phường Tứ Liên (a pilot ward) to 30 June 2025 and is Phường Hồng Hà
    from 1 July 2025. With Tứ Liên's chairman entered (2021) and no post of Hồng Hà's, Hồng Hà
    is missing data, not a unit whose chair is vacant."""
    from cqdt.staff.selectors import staff_recorded_from
    from cqdt.units.selectors import unit_on

    tu_lien = unit_on("00097", dt.date(2022, 1, 1))
    hong_ha = unit_on("00097", dt.date(2026, 12, 7))
    assert tu_lien.pk != hong_ha.pk and hong_ha.valid_from == dt.date(2025, 7, 1)
    chairman = Appointment.objects.filter(unit_code="00001", post=posts.CHAIRMAN).first()
    chairman.pk, chairman.public_id, chairman.unit_code = None, uuid.uuid4(), "00097"
    chairman.term_start, chairman.term_end = dt.date(2021, 7, 1), dt.date(2025, 6, 30)
    chairman.save()  # Tứ Liên's chairman, entered as the record of 2021 (a copied row)
    assert staff_recorded_from(tu_lien) == dt.date(2021, 7, 1)
    assert staff_recorded_from(hong_ha) is None
    login(client, "admin")
    answer = client.get("/api/v1/units/00097/staff?on=2026-12-07").json()
    assert (answer["staff_known"], answer["staff_recorded_from"]) == (False, None)
    body = client.get("/staff/units/00097/?on=2026-12-07").content.decode()
    assert 'id="staff-not-recorded"' in body and "Khuyết" not in body
