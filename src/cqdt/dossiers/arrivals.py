"""The arrival mix the demo data and the simulation share: each field's share of the dossiers a
ward counter receives (certification dominates, DOMAIN §1 "bất cập") and the post that processes
each field (the office and statistics civil servant for the rest), and the made-up applicant
of each arrival (a citizen's 12-digit number, name, phone, address; the papers brought). Pure:
every draw comes from the caller's generators, in a fixed order, so a seed gives the same data."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cqdt.core import citizen_names
from cqdt.staff import posts
from cqdt.workdays.calendar import TZ

# Share of arrivals by field (certification dominates ward counters, DOMAIN §1 "bất cập").
FIELD_WEIGHTS = {
    "certification": 55,
    "civil_status": 28,
    "land": 5,
    "construction": 3,
    "social_protection": 4,
    "culture": 2,
    "security": 2,
    "internal_affairs": 1,
}
FIELD_PROCESSOR = {
    "certification": posts.JUSTICE_CIVIL_STATUS,
    "civil_status": posts.JUSTICE_CIVIL_STATUS,
    "land": posts.LAND_CONSTRUCTION,
    "construction": posts.LAND_CONSTRUCTION,
    "social_protection": posts.CULTURE_SOCIETY,
    "culture": posts.CULTURE_SOCIETY,
}


@dataclass
class DossierActivity:
    """What a generator of dossier activity did — the demo month (``dossiers.demo``) and the
    simulation (``simulation.workload``) count the same moves through the same services: dossiers
    filed, results returned (late: after the due date), apologies written, refusals, ratings."""

    dossiers: int = 0
    returned: int = 0
    late: int = 0
    apologies: int = 0
    refused: int = 0
    ratings: int = 0


def poisson(rng: random.Random, lam: float) -> int:
    """How many arrivals in a period whose mean is ``lam``: Knuth's method, the normal
    approximation above 30 (where Knuth's product takes long), none for a mean of 0."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def citizen_id(rng: random.Random) -> str:
    """A citizen identity number of Hanoi (province code 001): century-and-gender digit, two
    digits of the birth year, six random digits (Decree 137/2015/NĐ-CP Art. 7)."""
    year = rng.randint(1950, 2005)
    century_gender = rng.choice((0, 1)) if year < 2000 else rng.choice((2, 3))
    return f"001{century_gender}{year % 100:02d}{rng.randint(0, 999999):06d}"


def office_moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment of ``day``'s office hours, 08:00–12:00 or 13:00–17:00 in Hanoi."""
    minutes = rng.choice((rng.randint(0, 239), rng.randint(300, 539)))
    return dt.datetime.combine(day, dt.time(8), TZ) + dt.timedelta(minutes=minutes)


def applicant_fields(rng: random.Random, faker: Any) -> dict[str, str]:
    """A made-up person applying (the fields of ``services.ApplicantIn``): a Vietnamese full
    name in its order on papers (``citizen_names``: "Nguyễn Thị Lan") — Faker's ``vi_VN``
    ``name()`` puts the given name first and adds a form of address ("Quý cô Kim Mai", "Hưng
    Mai Nguyễn"), which printed on the desk's Mẫu 06 log as applicants' names — and a house on
    a street ("Số 12 Lê Lai"), not Faker's southern "Hẻm"/"Khóm" addresses. Name and address
    come from ``faker``'s own generator, so ``rng``'s draws, and with them the rest of the
    demo, stay as they were."""
    return {
        "kind": "person",
        "name": citizen_names.full_name(faker.random),
        "id_number": citizen_id(rng),
        "phone": f"09{rng.randint(0, 99_999_999):08d}",
        "address": f"Số {faker.random.randint(1, 200)} {faker.street_name()}",
    }


def papers_brought(required_documents: Sequence[dict[str, Any]], rng: random.Random) -> list[str]:
    """The codes of the papers an applicant brings: every required one, an optional one in
    three times out of ten."""
    return [d["code"] for d in required_documents if d.get("required") or rng.random() < 0.3]
