"""The demo loader: officials, appointments, field assignments, delegations and logins, each
through the service that writes it and its audit event."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from faker import Faker

from cqdt.authority import services as authority_services
from cqdt.authority.demo.plan import (
    CITY_CODE,
    DEMO_PASSWORD,
    PASSWORD_UNCHANGED,
    PILOT_START,
    SHOWCASE_DISTRICT,
    SHOWCASE_WARD,
    TERMS,
    LeaderTerm,
    PersonPlan,
    WardPlan,
    _People,
)
from cqdt.core.audit import Actor, audit_record
from cqdt.staff import posts
from cqdt.staff import services as staff_services
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.staff.selectors import DEMO_PREFIX, demo_appointments
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit_code: str
    unit_name: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoReport:
    officials: int = 0
    appointments: int = 0
    field_assignments: int = 0
    delegations: int = 0
    users: int = 0
    wards_loaded: list[str] = field(default_factory=list)
    wards_skipped: list[str] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)


class _Loader:
    def __init__(self, seed: int, today: dt.date, random_passwords: bool = False) -> None:
        self.seed = seed
        self.today = today
        self.random_passwords = random_passwords
        # username -> the password set in this run (a login that existed keeps its own).
        self.passwords: dict[str, str] = {}
        self.actor = Actor.system("load_demo_data")
        self.report = DemoReport()
        self.faker = Faker("vi_VN")
        # A term needs the districts that appoint it: with Hanoi's history loaded they ended on
        # 30 June 2025 (Law 72/2025/QH15), so no 2026 term; demo posts after that come with
        # issue 19, item 7.
        self.terms = [
            t
            for t in TERMS
            if t.ward_decision <= today
            and unit_selectors.units_on(t.district_elected, division_type="urban_district").exists()
        ]
        # (district code, term number) → the district chairman in post for that term.
        self.district_chairs: dict[tuple[str, int], Official] = {}

    # -- writes, each through a service ---------------------------------------------------
    def official(self, person: PersonPlan, employer: str) -> Official:
        self.report.officials += 1
        return staff_services.official_create(
            actor=self.actor,
            full_name=person.full_name,
            civil_service_code=person.code,
            employer_unit_code=employer,
            date_of_birth=person.date_of_birth,
            gender=person.gender,
        )

    def appoint(
        self, official: Official, unit_code: str, post: str, **decision: Any
    ) -> Appointment:
        """``staff.services.appointment_create`` as the loader, counted; ``decision``: its
        decision number and date, term start, deciding official and unit, and kind."""
        self.report.appointments += 1
        return staff_services.appointment_create(
            actor=self.actor, official=official, unit_code=unit_code, post=post, **decision
        )

    def appoint_by_unit(
        self,
        official: Official,
        unit_code: str,
        post: str,
        *,
        kind: str,
        number: str,
        on: dt.date,
        term_start: dt.date | None = None,
    ) -> Appointment:
        """An appointment the unit decides itself, no official signing for it (its council's
        election, its own department's assignment): decided on ``on``, the term from then
        unless ``term_start`` says otherwise."""
        return self.appoint(
            official,
            unit_code,
            post,
            kind=kind,
            decision_number=number,
            decision_date=on,
            term_start=term_start or on,
            deciding_official=None,
            deciding_unit_code=unit_code,
        )

    def appoint_new(self, person: PersonPlan, unit_code: str, **decision: Any) -> None:
        """``person`` made an official of ``unit_code`` and appointed to their post by the unit
        (``appoint_by_unit``), unless an earlier load made them (idempotent)."""
        if Official.objects.filter(civil_service_code=person.code).exists():
            return
        self.appoint_by_unit(self.official(person, unit_code), unit_code, person.post, **decision)

    # -- district and city ----------------------------------------------------------------
    def ensure_district(self, district_code: str) -> None:
        """The district chairman, elected by the district council (the standard model)."""
        people = _People(self.seed, district_code, self.faker)
        plan = people.person(posts.CHAIRMAN, (1964, 1975))
        with transaction.atomic():
            official = Official.objects.filter(civil_service_code=plan.code).first()
            if official is None:
                official = self.official(plan, district_code)
            for term in self.terms:
                if term.district_elected > self.today:
                    continue
                if not Appointment.objects.filter(
                    official=official,
                    unit_code=district_code,
                    post=posts.CHAIRMAN,
                    term_start=term.district_elected,
                ).exists():
                    self.appoint_by_unit(
                        official,
                        district_code,
                        posts.CHAIRMAN,
                        kind=AppointmentKind.ELECTION,
                        number=f"{term.number:02d}/NQ-HĐND",
                        on=term.district_elected,
                    )
                self.district_chairs[(district_code, term.number)] = official
            if district_code == SHOWCASE_DISTRICT:
                self.appoint_new(
                    people.person(posts.COUNCIL_DEPUTY, (1970, 1985)),
                    district_code,
                    kind=AppointmentKind.ELECTION,
                    number="01/BB-UBBC",
                    on=dt.date(2021, 5, 23),
                    term_start=TERMS[0].district_elected,
                )

    def ensure_city_monitor(self) -> None:
        """A Department of Home Affairs officer who monitors the pilot city-wide."""
        people = _People(self.seed, CITY_CODE, self.faker)
        with transaction.atomic():
            self.appoint_new(
                people.person(posts.CITY_MONITOR, (1975, 1990)),
                CITY_CODE,
                kind=AppointmentKind.ASSIGNMENT,
                number="1234/QĐ-SNV",
                on=dt.date(2021, 6, 25),
                term_start=PILOT_START,
            )

    # -- wards -----------------------------------------------------------------------------
    def load_ward(self, plan: WardPlan, position: int) -> None:
        """One ward in one transaction: leaders, civil servants, fields, delegations."""
        prefix = f"{DEMO_PREFIX}{plan.ward_code}-"
        if Official.objects.filter(civil_service_code__startswith=prefix).exists():
            self.report.wards_skipped.append(plan.ward_code)
            return
        ward, district = plan.ward_code, plan.district_code
        with transaction.atomic():
            made = {p.code: self.official(p, district) for p in plan.people}
            chairman = made[plan.chairman.code]
            vices = [made[p.code] for p in plan.vice_chairmen]

            def number(term: LeaderTerm, k: int) -> str:
                # One decision per person, numbered by the ward's place in its district.
                return f"{(term.number - 1) * 3000 + position * 20 + k}/QĐ-UBND"

            first = TERMS[0]
            decider = self.district_chairs[(district, first.number)]
            # The district's civil servants assigned to the ward's posts, the one-stop desk last.
            assigned = [(made[p.code], p.post, k) for k, p in enumerate(plan.civil_servants, 10)]
            assigned.append((made[plan.one_stop_code], posts.ONE_STOP_DESK, 19))
            for official, post, k in assigned:
                self.appoint(
                    official,
                    ward,
                    post,
                    kind=AppointmentKind.ASSIGNMENT,
                    decision_number=number(first, k),
                    decision_date=first.ward_decision,
                    term_start=first.ward_start,
                    deciding_official=decider,
                    deciding_unit_code=district,
                )
            justice = made[plan.justice_code]
            for term in self.terms:
                decider = self.district_chairs[(district, term.number)]
                leaders = [(chairman, posts.CHAIRMAN), *((v, posts.VICE_CHAIRMAN) for v in vices)]
                for k, (official, post) in enumerate(leaders, start=1):
                    self.appoint(
                        official,
                        ward,
                        post,
                        decision_number=number(term, k),
                        decision_date=term.ward_decision,
                        term_start=term.ward_start,
                        deciding_official=decider,
                        deciding_unit_code=district,
                    )
                for i, (vice, fields) in enumerate(
                    zip(vices, plan.vc_fields, strict=True), start=1
                ):
                    self.report.field_assignments += 1
                    authority_services.field_assignment_create(
                        actor=self.actor,
                        assigner=chairman,
                        assignee=vice,
                        unit_code=ward,
                        fields=list(fields),
                        instrument_number=f"{i:02d}/QĐ-UBND",
                        instrument_date=term.ward_start,
                        valid_from=term.ward_start,
                        valid_to=term.ward_end,
                    )
                if plan.delegation and term.delegation_date <= self.today:
                    self.report.delegations += 1
                    authority_services.delegation_grant(
                        actor=self.actor,
                        delegator=chairman,
                        delegate=justice,
                        unit_code=ward,
                        scope=["certify_copy"],
                        seal_allowed=True,
                        instrument_number=f"{10 + term.number:02d}/QĐ-UBND",
                        instrument_date=term.delegation_date,
                        valid_from=term.delegation_from,
                        valid_to=term.delegation_to,
                    )
        self.report.wards_loaded.append(ward)

    # -- logins ----------------------------------------------------------------------------
    def ensure_logins(self) -> None:
        """One login per role; only these officials get a user account."""
        user_model = get_user_model()
        with transaction.atomic():
            if not user_model.objects.filter(username="admin").exists():
                admin = user_model.objects.create_superuser(
                    "admin", password=self._new_password("admin")
                )
                self.report.users += 1
                audit_record(
                    actor=self.actor,
                    action="user.create_demo",
                    object_type="auth.user",
                    object_id=str(admin.pk),
                    after={"username": "admin", "is_superuser": True},
                )
        city = unit_selectors.units_on(self.today).filter(code=CITY_CODE).first()
        self._report_login("admin", "Quản trị hệ thống", CITY_CODE, city)
        self.link_logins(LOGINS)

    def link_logins(
        self, logins: Sequence[tuple[str, str, str, str, int]], since: dt.date | None = None
    ) -> None:
        """Link each demo login to the nth demo holder of its post at its unit (terms from
        ``since``), named by the unit in force today, else its last version (the pilot wards
        ended in 2025)."""
        for username, role, unit_code, post, nth in logins:
            held = demo_appointments(unit_code=unit_code, post=post)
            if since is not None:
                held = held.filter(term_start__gte=since)
            held = held.select_related("official").order_by("official_id", "term_start")
            officials = list(dict.fromkeys(a.official for a in held))
            if len(officials) <= nth:
                continue
            if not self._link(username, officials[nth]):
                continue  # that holder signs in with a login of their own: nothing new to print
            unit = unit_selectors.latest_version(unit_code, self.today)
            self._report_login(username, role, unit_code, unit)

    def _report_login(self, username: str, role: str, unit_code: str, unit: Unit | None) -> None:
        """The login as the command prints it, named by ``unit`` (its code when there is none)."""
        name = unit.name if unit else unit_code
        self.report.logins.append(
            DemoLogin(username, role, unit_code, name, self._shown_password(username))
        )

    def _new_password(self, username: str) -> str:
        password = secrets.token_urlsafe(18) if self.random_passwords else DEMO_PASSWORD
        self.passwords[username] = password
        return password

    def _shown_password(self, username: str) -> str:
        """What the command prints: the password set now, or that an existing login kept its own
        (a random password is never stored, so it cannot be shown twice)."""
        if username in self.passwords:
            return self.passwords[username]
        return PASSWORD_UNCHANGED if self.random_passwords else DEMO_PASSWORD

    def _link(self, username: str, official: Official) -> bool:
        """Give ``official`` the login ``username`` unless they have one; True when ``username``
        is their login now (created, or from an earlier load). A holder already linked to
        another login — a civil servant whose ward's posts moved to a new unit keeps the login
        of the old ward — and a name taken by someone else give False: no login by that name
        would let this official in, so none is printed."""
        user_model = get_user_model()
        with transaction.atomic():
            if official.user is not None:
                return bool(official.user.get_username() == username)
            if user_model.objects.filter(username=username).exists():
                return False
            user = user_model.objects.create_user(username, password=self._new_password(username))
            # staff.services has no "link a login" service yet; the same audited write, here.
            official.user = user
            official.save(update_fields=["user", "updated_at"])
            self.report.users += 1
            audit_record(
                actor=self.actor,
                action="official.link_user",
                object_type="staff.official",
                object_id=str(official.public_id),
                after={"user": username},
            )
        return True


# username, role (as shown), unit, post, which holder (0 = the first one registered)
LOGINS: tuple[tuple[str, str, str, str, int], ...] = (
    ("chutich.phucxa", "Chủ tịch UBND phường", SHOWCASE_WARD, posts.CHAIRMAN, 0),
    ("phochutich.phucxa", "Phó Chủ tịch UBND phường", SHOWCASE_WARD, posts.VICE_CHAIRMAN, 0),
    ("tuphap.phucxa", "Công chức Tư pháp - Hộ tịch", SHOWCASE_WARD, posts.JUSTICE_CIVIL_STATUS, 0),
    ("motcua.phucxa", "Công chức Bộ phận một cửa", SHOWCASE_WARD, posts.ONE_STOP_DESK, 0),
    ("chutich.badinh", "Chủ tịch UBND quận", SHOWCASE_DISTRICT, posts.CHAIRMAN, 0),
    ("daibieu.badinh", "Đại biểu HĐND quận", SHOWCASE_DISTRICT, posts.COUNCIL_DEPUTY, 0),
    ("sonoivu", "Cán bộ theo dõi của Thành phố (Sở Nội vụ)", CITY_CODE, posts.CITY_MONITOR, 0),
)
