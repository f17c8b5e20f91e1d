"""The demo loader: through the services (so audited), deterministic, idempotent, lawful."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cqdt.authority import demo
from cqdt.authority.models import Delegation, FieldAssignment
from cqdt.authority.selectors import authority_check
from cqdt.core.audit import audit_verify
from cqdt.core.models import AuditEvent
from cqdt.staff import posts
from cqdt.staff.access import principal_for
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.staff.selectors import chairman_of, holders
from cqdt.testing import reference, shared
from cqdt.units.models import Unit

pytestmark = pytest.mark.django_db

WARDS = ["00001", "00004"]
TODAY = dt.date(2022, 6, 1)


def _load():
    """The report of ``demo.load`` of ``WARDS`` on ``TODAY``."""
    return demo.load(seed=1, wards=WARDS, today=TODAY)


# The report of ``demo.load`` of ``WARDS`` on ``TODAY`` on Hanoi's units: loaded once for the
# module's tests that ask for ``loaded`` and neither load reference data themselves nor commit,
# each test on a copy (``cqdt.testing.shared``); a test that does not share loads its own.
_module_loaded, loaded = shared.world("loaded", _load, on=reference.units, fresh="reference_data")


def audited(object_type, object_id):
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).exists()


def counts():
    return (
        Official.objects.count(),
        Appointment.objects.count(),
        FieldAssignment.objects.count(),
        Delegation.objects.count(),
        get_user_model().objects.count(),
        AuditEvent.objects.count(),
    )


def test_plan_is_deterministic_and_the_same_whatever_else_is_loaded():
    first = demo.plan_ward(1, "00001", "001")
    again = demo.plan_ward(1, "00001", "001")
    assert first == again
    assert demo.plan_ward(2, "00001", "001") != first
    assert 5 <= len(first.civil_servants) <= 8
    assert {p.post for p in first.civil_servants} == set(posts.CIVIL_SERVANT_POSTS)
    assert 1 <= len(first.vice_chairmen) <= 2
    assert all(p.code.startswith("DEMO-00001-") for p in first.people)
    assert first.delegation  # the demo logins' ward always has one


def test_subset_load_creates_officials_posts_and_delegations_with_audit_events(loaded):
    assert loaded.wards_loaded == WARDS
    for ward in WARDS:
        plan = demo.plan_ward(1, ward, "001")
        officials = Official.objects.filter(civil_service_code__startswith=f"DEMO-{ward}-")
        assert officials.count() == len(plan.people)
        assert set(officials.values_list("employer_unit_code", flat=True)) == {"001"}
        chairman = chairman_of(ward, TODAY)
        assert chairman is not None and chairman.official.civil_service_code == plan.chairman.code
        assert chairman.deciding_official.civil_service_code == "DEMO-001-1"
        assert chairman.decision_date == dt.date(2021, 6, 25) and chairman.term_start == dt.date(
            2021, 7, 1
        )
        assert 1 <= holders(ward, posts.VICE_CHAIRMAN, TODAY).count() <= 2
        assert holders(ward, posts.ONE_STOP_DESK, TODAY).count() == 1
        assert FieldAssignment.objects.filter(unit_code=ward).count() == len(plan.vice_chairmen)
        # never invented, in any version of the code (codes are reused from 2025)
        assert set(Unit.objects.filter(code=ward).values_list("ward_class", flat=True)) == {""}
    delegation = Delegation.objects.get(unit_code="00001")
    assert delegation.scope == ["certify_copy"] and delegation.seal_allowed
    assert (delegation.valid_from, delegation.valid_to) == (
        dt.date(2022, 1, 1),
        dt.date(2022, 12, 31),
    )
    assert delegation.delegate_post == posts.JUSTICE_CIVIL_STATUS
    for official in Official.objects.all():
        assert audited("staff.official", official.public_id)
    for appointment in Appointment.objects.all():
        assert audited("staff.appointment", appointment.public_id)
    for obj in [*FieldAssignment.objects.all(), *Delegation.objects.all()]:
        assert audited(f"authority.{type(obj).__name__.lower()}", obj.public_id)
    assert audit_verify().ok


def test_district_chairman_is_elected_and_city_and_council_posts_exist(loaded):
    district = Appointment.objects.get(unit_code="001", post=posts.CHAIRMAN)
    assert district.kind == AppointmentKind.ELECTION and district.deciding_official is None
    assert district.deciding_unit_code == "001"
    assert Appointment.objects.filter(unit_code="001", post=posts.COUNCIL_DEPUTY).count() == 1
    monitor = Appointment.objects.get(unit_code="01", post=posts.CITY_MONITOR)
    assert monitor.kind == AppointmentKind.ASSIGNMENT


def test_loading_again_writes_nothing(loaded):
    before = counts()
    report = demo.load(seed=1, wards=WARDS, today=TODAY)
    assert counts() == before
    assert report.wards_skipped == WARDS and report.wards_loaded == []
    assert [x.username for x in report.logins] == [x.username for x in loaded.logins]


def test_one_login_per_role_with_roles_derived_from_posts(loaded):
    users = get_user_model().objects
    assert users.count() == 8
    expected = {
        "chutich.phucxa": posts.ROLE_WARD_LEADER,
        "phochutich.phucxa": posts.ROLE_WARD_LEADER,
        "tuphap.phucxa": posts.ROLE_CIVIL_SERVANT,
        "motcua.phucxa": posts.ROLE_ONE_STOP_OFFICER,
        "chutich.badinh": posts.ROLE_DISTRICT_COMMITTEE,
        "daibieu.badinh": posts.ROLE_COUNCIL_DEPUTY,
        "sonoivu": posts.ROLE_CITY_MONITOR,
    }
    for username, role in expected.items():
        user = users.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert role in principal_for(user, TODAY).roles, username
        assert audited("staff.official", user.official.public_id)
    assert users.get(username="admin").is_superuser
    tuphap = users.get(username="tuphap.phucxa").official
    assert Delegation.objects.get(unit_code="00001").delegate == tuphap


def test_loaded_after_mid_2026_no_second_pilot_term_is_invented(reference_data):
    # The district level ended on 30 June 2025 (Law 72/2025/QH15) and Phúc Xá went into Phường
    # Hồng Hà (Resolution 1656/NQ-UBTVQH15): no district chairman can appoint a 2026 term. (This
    # test used to expect one.) The 2021 leaders are on record; nothing crashes.
    today = dt.date(2026, 11, 27)
    demo.load(seed=1, wards=["00001"], today=today)
    assert chairman_of("00001", dt.date(2024, 1, 1)) is not None
    assert not Appointment.objects.filter(term_start__gte=dt.date(2025, 7, 1)).exists()
    tuphap = get_user_model().objects.get(username="tuphap.phucxa").official
    at = dt.datetime(2024, 11, 27, 9, tzinfo=dt.UTC)
    assert authority_check(tuphap, "certify_copy", "00001", at).allowed is False  # 2022 only
    assert (
        posts.ROLE_WARD_LEADER
        in principal_for(
            get_user_model().objects.get(username="chutich.phucxa"), dt.date(2024, 1, 1)
        ).roles
    )
    assert not Appointment.objects.filter(decision_date__gt=today).exists()
    assert audit_verify().ok


def test_nothing_is_dated_after_the_loading_date(reference_data):
    demo.load(seed=1, wards=["00004"], today=dt.date(2021, 8, 1))
    assert not Delegation.objects.exists()  # the first delegations are signed in December 2021
    assert not Appointment.objects.filter(decision_date__gt=dt.date(2021, 8, 1)).exists()


def test_command_prints_the_logins(reference_data):
    out = StringIO()
    call_command("load_demo_data", "--wards", "00001", "--today", "2022-06-01", stdout=out)
    text = out.getvalue()
    for username in (
        "admin",
        "chutich.phucxa",
        "tuphap.phucxa",
        "motcua.phucxa",
        "sonoivu",
        "daibieu.badinh",
    ):
        assert username in text
    assert demo.DEMO_PASSWORD in text and "Phường Phúc Xá (00001)" in text
    # The demo activity is folded into the monitoring rollups, so dashboards are not empty.
    from cqdt.dossiers.models import Dossier
    from cqdt.monitoring import rollups
    from cqdt.monitoring.models import DossierFact, Watermark

    assert "Monitoring rollups" in text
    assert Watermark.objects.filter(source="dossiers", refreshed_at__isnull=False).exists()
    assert DossierFact.objects.count() == Dossier.objects.count()
    assert rollups.differences() == []
    again = StringIO()
    call_command("load_demo_data", "--wards", "00001", "--today", "2022-06-01", stdout=again)
    assert "already loaded" in again.getvalue()


def test_command_refuses_a_ward_outside_the_pilot(reference_data):
    with pytest.raises(CommandError):
        call_command("load_demo_data", "--wards", "99999", stdout=StringIO())


# --- demo data under production settings (issue 10, item 8) ---------------------------------------


@pytest.mark.django_db
def test_command_refuses_under_production_settings(reference_data, settings):
    settings.CQDT_PRODUCTION = True
    with pytest.raises(CommandError) as refused:
        call_command("load_demo_data", "--wards", "00001", "--no-activity", stdout=StringIO())
    assert "--force-demo-in-production" in str(refused.value)
    assert not get_user_model().objects.exists()
    assert not Official.objects.exists()


def _load_forced(out: StringIO) -> None:
    forced = ["--no-activity", "--force-demo-in-production"]
    call_command("load_demo_data", "--wards", "00001", "--today", "2022-06-01", *forced, stdout=out)


@pytest.mark.django_db
def test_forced_under_production_every_login_gets_its_own_random_password(reference_data, settings):
    settings.CQDT_PRODUCTION = True
    out = StringIO()
    _load_forced(out)
    text = out.getvalue()
    assert demo.DEMO_PASSWORD not in text
    users = get_user_model().objects.order_by("username")
    admin = users.get(username="admin")
    assert admin.is_superuser and not admin.check_password(demo.DEMO_PASSWORD)
    assert users.count() >= 5
    shown = {}
    for user in users:
        assert not user.check_password(demo.DEMO_PASSWORD), user.username
        line = next(x for x in text.splitlines() if x.startswith(user.username + " "))
        shown[user.username] = line.split()[1]
        assert len(shown[user.username]) >= 20
        assert user.check_password(shown[user.username]), "the printed password logs in"
    assert len(set(shown.values())) == len(shown), "one password per login"
    # Printed once: a second run keeps the logins and shows no password at all.
    again = StringIO()
    _load_forced(again)
    for password in shown.values():
        assert password not in again.getvalue()
    assert demo.DEMO_PASSWORD not in again.getvalue()


@pytest.mark.django_db
def test_forced_under_production_a_leader_s_second_factor_key_is_printed_once(
    reference_data, settings
):
    """The demo leaders' TOTP keys (authority.demo.second_factor) follow the random passwords'
    rule under production settings: printed by the run that made them, never again — a seed
    printed on every start of the supervisor would be a second factor in its output (hreview
    V8). On a demo (shared password) the key is printed on every run, as the password is."""
    import re

    import time_machine

    settings.CQDT_PRODUCTION = True
    first, again = StringIO(), StringIO()
    with time_machine.travel(dt.datetime(2022, 6, 2, 9, tzinfo=dt.UTC), tick=False):
        _load_forced(first)  # the leaders hold their posts on the day read
        section = first.getvalue().split("Second factor of the demo leaders", 1)[1]
        keys = re.findall(r"^\S+\s+([A-Z2-7]{16,})$", section, re.MULTILINE)
        assert keys, section
        _load_forced(again)
    for key in keys:
        assert key not in again.getvalue()
    assert "không in lại" in again.getvalue()
