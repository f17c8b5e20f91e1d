"""Demo data: fictional officials of the Hanoi pilot wards, written through the services.

Everything here is invented and labelled as such: civil-service codes start with ``DEMO-``,
names come from Faker ``vi_VN``, dates of birth are drawn at random, and the staff console shows
a "Dữ liệu minh họa (demo)" badge while any such official exists. Ward classes are real data that
the reference set does not carry, so none is invented here: the vice-chairman limit then falls to
the governance model's highest one (2), and a ward gets one or two vice-chairmen.

Every row goes through ``staff.services`` and ``authority.services`` so that each carries its
audit event, and the rules the services enforce (who appoints whom, when, within which term)
hold for the demo as for real data. Each unit is generated from its own seed (``seed`` and the
unit code), so a ward looks the same whether it is loaded alone or with all the others.

Dates: leaders serve 5-year terms (Decree 32/2021/NĐ-CP). The first term starts with the pilot
on 1 July 2021; when the loading date is past the second term's decision date (25 June 2026),
the same leaders are re-appointed for 2026-2031 so that the demo logins still hold posts
"today". Nothing is dated after the loading date.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from faker import Faker

from cqdt.authority import services as authority_services
from cqdt.core.audit import Actor, audit_record
from cqdt.staff import posts, rules
from cqdt.staff import services as staff_services
from cqdt.staff.models import Appointment, AppointmentKind, Gender, Official
from cqdt.staff.selectors import DEMO_PREFIX
from cqdt.units import selectors as unit_selectors

# Demo only: every demo login shares this password; never load demo data on a real deployment.
# Under production settings `load_demo_data` refuses, and when forced it draws a random password
# per login instead (``load(random_passwords=True)``): a known password never reaches prod.
DEMO_PASSWORD = "demo12345"  # noqa: S105
PASSWORD_UNCHANGED = "(đã có — không đổi / existing, unchanged)"  # noqa: S105
CITY_CODE = "01"
SHOWCASE_WARD = "00001"  # Phường Phúc Xá: the demo logins' ward always has a delegation.
SHOWCASE_DISTRICT = "001"  # Quận Ba Đình
PILOT_START = dt.date(2021, 7, 1)

MALE_MIDDLE = ("Văn", "Đức", "Quang", "Hữu", "Minh", "Xuân", "Thế", "Mạnh", "Tuấn", "Công")
FEMALE_MIDDLE = ("Thị", "Thu", "Thanh", "Ngọc", "Minh", "Phương", "Hồng", "Kim")

# Fields assigned to the vice-chairmen (phân công): one VC takes all, two split them.
FIELDS_ONE_VC = (("land", "construction", "culture", "social_protection"),)
FIELDS_TWO_VCS = (
    ("land", "construction", "finance"),
    ("culture", "social_protection", "civil_status"),
)


@dataclass(frozen=True)
class LeaderTerm:
    """One 5-year term of the district chairmen and of the ward leaders they appoint.

    The district chairman is elected by the district council (standard model) a few days before
    he appoints the ward leaders, since an appointment needs its signer in post on the decision
    date; ward leaders start on ``ward_start``.
    """

    number: int
    district_elected: dt.date
    ward_decision: dt.date
    ward_start: dt.date
    delegation_date: dt.date
    delegation_from: dt.date

    @property
    def ward_end(self) -> dt.date:
        return rules.default_term_end(self.ward_start)

    @property
    def delegation_to(self) -> dt.date:
        return rules.add_years(self.delegation_from, 1) - dt.timedelta(days=1)


TERMS = (
    LeaderTerm(
        1,
        dt.date(2021, 6, 21),
        dt.date(2021, 6, 25),
        PILOT_START,
        dt.date(2021, 12, 28),
        dt.date(2022, 1, 1),
    ),
    LeaderTerm(
        2,
        dt.date(2026, 6, 21),
        dt.date(2026, 6, 25),
        dt.date(2026, 7, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 7, 1),
    ),
)


@dataclass(frozen=True)
class PersonPlan:
    code: str
    full_name: str
    gender: str
    date_of_birth: dt.date
    post: str


@dataclass(frozen=True)
class WardPlan:
    """Who works in one ward (pure data, from the seed and the ward's code)."""

    ward_code: str
    district_code: str
    chairman: PersonPlan
    vice_chairmen: tuple[PersonPlan, ...]
    civil_servants: tuple[PersonPlan, ...]
    one_stop_code: str
    vc_fields: tuple[tuple[str, ...], ...]
    delegation: bool

    @property
    def people(self) -> tuple[PersonPlan, ...]:
        return (self.chairman, *self.vice_chairmen, *self.civil_servants)

    @property
    def justice_code(self) -> str:
        return next(p.code for p in self.civil_servants if p.post == posts.JUSTICE_CIVIL_STATUS)


class _People:
    """Deterministic fictional people for one unit."""

    def __init__(self, seed: int, unit_code: str, faker: Faker) -> None:
        key = f"{seed}:{unit_code}"
        self.rng = random.Random(key)
        self.faker = faker
        self.faker.seed_instance(key)
        self.unit_code = unit_code
        self.n = 0

    def person(self, post: str, born: tuple[int, int]) -> PersonPlan:
        self.n += 1
        gender = Gender.FEMALE if self.rng.random() < 0.5 else Gender.MALE
        if gender == Gender.FEMALE:
            given, middle = self.faker.first_name_female(), self.rng.choice(FEMALE_MIDDLE)
        else:
            given, middle = self.faker.first_name_male(), self.rng.choice(MALE_MIDDLE)
        name = f"{self.faker.last_name()} {middle} {given}"
        first, last = dt.date(born[0], 1, 1), dt.date(born[1], 12, 31)
        birth = first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))
        return PersonPlan(f"{DEMO_PREFIX}{self.unit_code}-{self.n}", name, gender, birth, post)


def plan_ward(
    seed: int, ward_code: str, district_code: str, faker: Faker | None = None
) -> WardPlan:
    """The people of one ward: a chairman, 1-2 vice-chairmen, 5-8 civil servants in five posts."""
    people = _People(seed, ward_code, faker or Faker("vi_VN"))
    chairman = people.person(posts.CHAIRMAN, (1966, 1982))
    vc_count = 2 if people.rng.random() < 0.5 else 1
    vice_chairmen = tuple(people.person(posts.VICE_CHAIRMAN, (1970, 1988)) for _ in range(vc_count))
    extra = {
        posts.JUSTICE_CIVIL_STATUS: people.rng.random() < 0.5,
        posts.OFFICE_STATISTICS: people.rng.random() < 0.5,
        posts.LAND_CONSTRUCTION: people.rng.random() < 0.3,
    }
    servants: list[PersonPlan] = []
    for post in posts.CIVIL_SERVANT_POSTS:
        for _ in range(2 if extra.get(post) else 1):
            servants.append(people.person(post, (1968, 1998)))
    desk_pool = [p for p in servants if p.post != posts.JUSTICE_CIVIL_STATUS]
    one_stop = people.rng.choice(desk_pool)
    delegation = ward_code == SHOWCASE_WARD or people.rng.random() < 0.5
    return WardPlan(
        ward_code=ward_code,
        district_code=district_code,
        chairman=chairman,
        vice_chairmen=vice_chairmen,
        civil_servants=tuple(servants),
        one_stop_code=one_stop.code,
        vc_fields=FIELDS_ONE_VC if vc_count == 1 else FIELDS_TWO_VCS,
        delegation=delegation,
    )


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
                    self.appoint(
                        official,
                        district_code,
                        posts.CHAIRMAN,
                        kind=AppointmentKind.ELECTION,
                        decision_number=f"{term.number:02d}/NQ-HĐND",
                        decision_date=term.district_elected,
                        term_start=term.district_elected,
                        deciding_official=None,
                        deciding_unit_code=district_code,
                    )
                self.district_chairs[(district_code, term.number)] = official
            if district_code == SHOWCASE_DISTRICT:
                deputy = people.person(posts.COUNCIL_DEPUTY, (1970, 1985))
                if not Official.objects.filter(civil_service_code=deputy.code).exists():
                    self.appoint(
                        self.official(deputy, district_code),
                        district_code,
                        posts.COUNCIL_DEPUTY,
                        kind=AppointmentKind.ELECTION,
                        decision_number="01/BB-UBBC",
                        decision_date=dt.date(2021, 5, 23),
                        term_start=TERMS[0].district_elected,
                        deciding_official=None,
                        deciding_unit_code=district_code,
                    )

    def ensure_city_monitor(self) -> None:
        """A Department of Home Affairs officer who monitors the pilot city-wide."""
        people = _People(self.seed, CITY_CODE, self.faker)
        plan = people.person(posts.CITY_MONITOR, (1975, 1990))
        with transaction.atomic():
            if Official.objects.filter(civil_service_code=plan.code).exists():
                return
            self.appoint(
                self.official(plan, CITY_CODE),
                CITY_CODE,
                posts.CITY_MONITOR,
                kind=AppointmentKind.ASSIGNMENT,
                decision_number="1234/QĐ-SNV",
                decision_date=dt.date(2021, 6, 25),
                term_start=PILOT_START,
                deciding_official=None,
                deciding_unit_code=CITY_CODE,
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
        self.report.logins.append(
            DemoLogin(
                "admin",
                "Quản trị hệ thống",
                CITY_CODE,
                city.name if city else CITY_CODE,
                self._shown_password("admin"),
            )
        )
        self.link_logins(LOGINS)

    def link_logins(
        self, logins: Sequence[tuple[str, str, str, str, int]], since: dt.date | None = None
    ) -> None:
        """Link each demo login to the nth demo holder of its post at its unit (terms from
        ``since``), named by the unit in force today, else its last version (the pilot wards
        ended in 2025)."""
        for username, role, unit_code, post, nth in logins:
            held = Appointment.objects.filter(
                unit_code=unit_code,
                post=post,
                official__civil_service_code__startswith=DEMO_PREFIX,
            )
            if since is not None:
                held = held.filter(term_start__gte=since)
            held = held.select_related("official").order_by("official_id", "term_start")
            officials = list(dict.fromkeys(a.official for a in held))
            if len(officials) <= nth:
                continue
            self._link(username, officials[nth])
            unit = unit_selectors.latest_version(unit_code, self.today)
            self.report.logins.append(
                DemoLogin(
                    username,
                    role,
                    unit_code,
                    unit.name if unit else unit_code,
                    self._shown_password(username),
                )
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

    def _link(self, username: str, official: Official) -> None:
        user_model = get_user_model()
        with transaction.atomic():
            if (
                user_model.objects.filter(username=username).exists()
                or official.user_id is not None
            ):
                return
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


def pilot_wards(wards: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(ward, district) for the pilot wards on 1 July 2021, or for the given codes among them."""
    rows = list(unit_selectors.units_on(PILOT_START, pilot=True).values_list("code", "parent_code"))
    if wards is None:
        return rows
    wanted = list(dict.fromkeys(wards))
    known = {code for code, _ in rows}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise ValueError(f"Not pilot wards on {PILOT_START}: {', '.join(unknown)}")
    return [r for r in rows if r[0] in set(wanted)]


def load(
    *,
    seed: int = 1,
    wards: Sequence[str] | None = None,
    today: dt.date | None = None,
    random_passwords: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Load the demo officials, posts, field assignments, delegations and logins.

    Idempotent: a unit whose demo officials exist is skipped, a login that exists is kept.
    ``wards`` limits the load to some pilot wards (their districts come along).
    ``random_passwords``: each new login gets its own random password (reported once, in
    ``DemoReport.logins``) instead of the shared :data:`DEMO_PASSWORD`.
    """
    loader = _Loader(seed, today or unit_selectors.today(), random_passwords)
    selected = pilot_wards(wards)
    all_rows = pilot_wards()
    districts = sorted({d for _, d in selected})
    for district in districts:
        loader.ensure_district(district)
    loader.ensure_city_monitor()
    # A ward's place in its district numbers its decisions, whichever wards are loaded.
    positions: dict[str, int] = {}
    seen: dict[str, int] = {}
    for ward, district in all_rows:
        seen[district] = seen.get(district, 0) + 1
        positions[ward] = seen[district]
    for n, (ward, district) in enumerate(selected, 1):
        loader.load_ward(plan_ward(seed, ward, district, loader.faker), positions[ward])
        if progress is not None and (n % 25 == 0 or n == len(selected)):
            progress(f"officials: {n}/{len(selected)} wards")
    loader.ensure_logins()
    return loader.report


# -- the units from 1 July 2025 --------------------------------------------------------------
TWO_TIER_START = dt.date(2025, 7, 1)
SHOWCASE_SUCCESSOR = "00097"  # Phường Hồng Hà, which took Phúc Xá whole on 1 July 2025
SUCCESSOR_LOGINS: tuple[tuple[str, str, str, str, int], ...] = (
    (
        "chutich.hongha",
        "Chủ tịch UBND phường (từ 01/7/2025)",
        SHOWCASE_SUCCESSOR,
        posts.CHAIRMAN,
        0,
    ),
    (
        "motcua.hongha",
        "Công chức Bộ phận một cửa (từ 01/7/2025)",
        SHOWCASE_SUCCESSOR,
        posts.ONE_STOP_DESK,
        0,
    ),
)


def load_successors(
    *,
    seed: int = 1,
    codes: Sequence[str],
    today: dt.date | None = None,
    random_passwords: bool = False,
) -> DemoReport:
    """Leaders of the new units from 1 July 2025: a chairman and a vice-chairman, elected by
    the unit's own People's Council (two-tier model, Law 72/2025/QH15 on Local Government).

    Their civil servants come from the units they replace (``units.reorganisation`` moves the
    posts); the old wards' chairmen and vice-chairmen left office with their wards. Idempotent:
    a unit whose demo chairman exists is skipped. Nothing is dated after ``today``.
    """
    loader = _Loader(seed, today or unit_selectors.today(), random_passwords)
    if loader.today < TWO_TIER_START:
        return loader.report
    for unit in unit_selectors.units_on(TWO_TIER_START).filter(code__in=list(codes)):
        people = _People(seed, f"{unit.code}-2025", loader.faker)
        chairman = people.person(posts.CHAIRMAN, (1968, 1982))
        vice = people.person(posts.VICE_CHAIRMAN, (1972, 1988))
        if Official.objects.filter(civil_service_code=chairman.code).exists():
            loader.report.wards_skipped.append(unit.code)
            continue
        with transaction.atomic():
            for k, person in enumerate((chairman, vice), start=1):
                loader.appoint(
                    loader.official(person, unit.code),
                    unit.code,
                    person.post,
                    kind=AppointmentKind.ELECTION,
                    decision_number=f"{k:02d}/NQ-HĐND",
                    decision_date=TWO_TIER_START,
                    term_start=TWO_TIER_START,
                    deciding_official=None,
                    deciding_unit_code=unit.code,
                )
        loader.report.wards_loaded.append(unit.code)
    loader.link_logins(SUCCESSOR_LOGINS, since=TWO_TIER_START)
    return loader.report
