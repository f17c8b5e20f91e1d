"""Loading the shipped reference data: Hanoi's 610 units (2021) and the governance models.

Idempotent: rows that exist are left alone (an administrator's edits and later reorganisations
win over the file), missing rows are created. One audit event records each load that wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from cqdt.core.audit import Actor, audit_record
from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
UNITS_CSV = DATA_DIR / "hanoi-units-2021.csv"
GOVERNANCE_JSON = DATA_DIR / "governance.json"

UNITS_SOURCE = "Danh mục đơn vị hành chính (mã Tổng cục Thống kê), hiện trạng 01/07/2021"
UNITS_SOURCE_DATE = dt.date(2021, 7, 1)

DIVISION_TYPES = {
    "thành phố trung ương": "city",
    "quận": "urban_district",
    "thị xã": "town",
    "huyện": "rural_district",
    "phường": "ward",
    "xã": "commune",
    "thị trấn": "township",
}


@dataclass(frozen=True)
class LoadReport:
    units_created: int
    models_created: int
    assignments_created: int


def read_units_csv(path: Path = UNITS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["division_type"] not in DIVISION_TYPES:
            raise ValueError(f"Unknown division type {row['division_type']!r} for {row['code']}")
    return rows


def pilot_ward_codes(rows: list[dict[str, str]]) -> set[str]:
    """Wards of the 12 urban districts and Sơn Tây town (Resolution 97/2019/QH14 scope)."""
    parents = {
        r["code"] for r in rows if DIVISION_TYPES[r["division_type"]] in ("urban_district", "town")
    }
    return {
        r["code"]
        for r in rows
        if DIVISION_TYPES[r["division_type"]] == "ward" and r["parent_code"] in parents
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def reference_data_load(*, actor: Actor | None = None) -> LoadReport:
    actor = actor or Actor.system("load_reference_data")
    rows = read_units_csv()
    existing_codes = set(Unit.objects.values_list("code", flat=True))
    new_units = [
        Unit(
            code=r["code"],
            name=r["name"],
            division_type=DIVISION_TYPES[r["division_type"]],
            parent_code=r["parent_code"],
            source=UNITS_SOURCE,
            source_date=UNITS_SOURCE_DATE,
        )
        for r in rows
        if r["code"] not in existing_codes
    ]
    for unit in new_units:
        unit.full_clean(validate_unique=False, validate_constraints=False)
    Unit.objects.bulk_create(new_units, batch_size=500)

    spec: dict[str, Any] = json.loads(GOVERNANCE_JSON.read_text(encoding="utf-8"))
    models_created = 0
    slugs: dict[str, GovernanceModel] = {m.slug: m for m in GovernanceModel.objects.all()}
    for item in spec["models"]:
        if item["slug"] in slugs:
            continue
        model = GovernanceModel(**item)
        model.full_clean()
        model.save(force_insert=True)
        slugs[model.slug] = model
        models_created += 1

    selections = {"all": {r["code"] for r in rows}, "pilot_wards": pilot_ward_codes(rows)}
    have = set(GovernanceAssignment.objects.values_list("unit_code", "valid_from"))
    new_assignments = []
    for item in spec["assignments"]:
        codes = selections[item["select"]] - selections.get(item.get("except_select", ""), set())
        valid_from = _date(item["valid_from"])
        for code in sorted(codes):
            if (code, valid_from) in have:
                continue
            new_assignments.append(
                GovernanceAssignment(
                    unit_code=code,
                    model=slugs[item["model"]],
                    valid_from=valid_from,
                    valid_to=_date(item["valid_to"]),
                    legal_basis=item["legal_basis"],
                )
            )
    GovernanceAssignment.objects.bulk_create(new_assignments, batch_size=500)

    report = LoadReport(len(new_units), models_created, len(new_assignments))
    if new_units or models_created or new_assignments:
        audit_record(
            actor=actor,
            action="reference_data.load",
            object_type="units.unit",
            object_id="hanoi-units-2021",
            after={
                "units_created": report.units_created,
                "governance_models_created": report.models_created,
                "governance_assignments_created": report.assignments_created,
                "source": UNITS_SOURCE,
            },
        )
    return report
