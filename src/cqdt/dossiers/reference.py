"""One-stop desks for every commune-level unit, with provisional agency identifiers.

Dossier codes need the agency identifier of QCVN 102:2016/BTTTT (Hanoi's prefix H26 [C]). The
identifiers the city actually issued to each ward are not in our reference data, so each desk
gets ``H26.<district code>.<unit code>`` marked ``identifier_is_official=False``; an
administrator replaces it with the issued one in the admin (codes already given stay valid).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cqdt.core.audit import Actor, audit_record
from cqdt.dossiers.models import Desk
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL

HANOI_PREFIX = "H26"
REFERENCE_DAY = dt.date(2021, 7, 1)


def provisional_identifier(parent_code: str, unit_code: str) -> str:
    return f"{HANOI_PREFIX}.{parent_code}.{unit_code}"


@transaction.atomic
def desks_load(*, actor: Actor | None = None) -> int:
    actor = actor or Actor.system("load_reference_data")
    existing = set(Desk.objects.values_list("unit_code", flat=True))
    units = unit_selectors.units_on(REFERENCE_DAY).filter(division_type__in=COMMUNE_LEVEL)
    new = [
        Desk(
            unit_code=u.code,
            agency_identifier=provisional_identifier(u.parent_code, u.code),
            identifier_is_official=False,
            heading=f"UBND {u.name}",
        )
        for u in units
        if u.code not in existing
    ]
    Desk.objects.bulk_create(new, batch_size=500)
    if new:
        audit_record(
            actor=actor,
            action="desks.load",
            object_type="dossiers.desk",
            object_id="provisional",
            after={"created": len(new), "prefix": HANOI_PREFIX},
        )
    return len(new)
