"""Who the demo's fictional people are: the leaders' terms, and each unit's people drawn from its
own seed (the same whether the unit is loaded alone or with all the others)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from faker import Faker

from cqdt.staff import posts, rules
from cqdt.staff.models import Gender
from cqdt.staff.selectors import DEMO_PREFIX

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
