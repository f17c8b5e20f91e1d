"""Loading the shipped reference data: units with their history, and the governance models.

``reference_data_load`` (run by ``cqdt load_reference_data``) loads Hanoi: the 610 units of
1 July 2021, their state before 1 July 2025, the 126 commune-level units of the two-tier model
from 1 July 2025 with every predecessor → successor link (``whole`` or ``part``), and the
governance models with their assignments. ``country_load`` (``cqdt load_units --country``) adds
Vietnam's 34 provinces and 3,321 commune-level units from 1 July 2025, and Đà Nẵng's and Hồ Chí
Minh City's units before 1 July 2025 with their urban-government models.

Idempotent: rows that exist are left alone (an administrator's edits and later reorganisations
win over the files), missing rows are created, and an end date the law set is written on an open
row loaded from these files earlier (the district level and the pilot ended on 30 June 2025).
One audit event records each load that wrote. ``data/README.md`` says what each file is and
where it stops; ``scripts/units_from_vietnamadminunits.py`` regenerates the generated files.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from cqdt.core import refcache
from cqdt.core.audit import Actor, audit_record
from cqdt.core.records import fields_of
from cqdt.units.geo import MEASURES as GEO_MEASURES
from cqdt.units.models import (
    ChangeKind,
    GovernanceAssignment,
    GovernanceModel,
    ReferenceDataset,
    Unit,
    UnitSuccession,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
UNITS_CSV = DATA_DIR / "hanoi-units-2021.csv"
HANOI_2025_06_CSV = DATA_DIR / "hanoi-units-2025-06.csv"
URBAN_2025_06_CSV = DATA_DIR / "urban-units-2025-06.csv"
UNITS_2025_07_CSV = DATA_DIR / "units-2025-07.csv"
SUCCESSIONS_CSV = DATA_DIR / "successions-2025-07.csv"
GOVERNANCE_JSON = DATA_DIR / "governance.json"

UNITS_SOURCE = "Danh mục đơn vị hành chính (mã Tổng cục Thống kê), hiện trạng 01/07/2021"
UNITS_SOURCE_DATE = dt.date(2021, 7, 1)
HANOI = "01"
URBAN_2021 = ("48", "79")
DANANG, HCMC = URBAN_2021

# Resolution 1286/NQ-UBTVQH15 (Hanoi's 2023–2025 arrangement): in force 1 Jan 2025 [C: the
# press gives the date; no copy of the text listing which units merged into which was found,
# so the versions it changed end and start on that day without succession links].
ARRANGEMENT_2025_01 = dt.date(2025, 1, 1)
ARRANGEMENT_2025_01_BASIS = (
    "Nghị quyết 1286/NQ-UBTVQH15 (sắp xếp ĐVHC cấp huyện, cấp xã TP Hà Nội giai đoạn 2023–2025) "
    "[C: ngày hiệu lực 01/01/2025 theo báo chí; chưa có văn bản để ghi liên kết]"
)
# Two-tier local government from 1 July 2025: districts end on 30 June 2025.
TWO_TIER = dt.date(2025, 7, 1)
HANOI_2025_BASIS = "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025 (hiệu lực 01/7/2025)"
COUNTRY_2025_BASIS = (
    "Nghị quyết 202/2025/QH15 (sắp xếp cấp tỉnh) và nghị quyết của UBTVQH năm 2025 về sắp xếp "
    "ĐVHC cấp xã của tỉnh, thành phố [C: số nghị quyết từng tỉnh chưa ghi]"
)
VAU = "vietnamadminunits 1.0.4 (MIT)"
VAU_DATE = dt.date(2025, 8, 23)  # date of the package's data files

DATASETS: dict[str, dict[str, Any]] = {
    "gso-hanoi-2021": {
        "title": UNITS_SOURCE,
        "url": "src/cqdt/units/data/hanoi-units-2021.csv",
        "licence": "public facts",
        "province_codes": [HANOI],
        "verified_from": UNITS_SOURCE_DATE,
        "verified_to": UNITS_SOURCE_DATE,
        "notes": "The 610 units of Hanoi on 1 July 2021; no founding dates.",
    },
    "vau-hanoi-2025": {
        "title": f"{VAU}: Hà Nội trước và từ 01/7/2025; liên kết kế thừa đối chiếu một phần với "
        "NQ 1656/NQ-UBTVQH15",
        "url": "https://pypi.org/project/vietnamadminunits/1.0.4/",
        "licence": "MIT",
        "province_codes": [HANOI],
        "verified_from": None,
        "verified_to": VAU_DATE,
        "notes": "526 commune-level units before 1 July 2025 (press: 526 on 3 April 2025); 126 "
        "from 1 July 2025 (51 wards, 75 communes). Links cross-checked for the articles read.",
    },
    "vau-country-2025": {
        "title": f"{VAU}: 34 tỉnh, thành phố và 3.321 đơn vị hành chính cấp xã từ 01/7/2025",
        "url": "https://pypi.org/project/vietnamadminunits/1.0.4/",
        "licence": "MIT",
        "province_codes": [],
        "verified_from": TWO_TIER,
        "verified_to": VAU_DATE,
        "notes": "Codes, names, centroids and areas; not cross-checked against each resolution.",
    },
    "vau-urban-2025-06": {
        "title": f"{VAU}: Đà Nẵng và TP Hồ Chí Minh trước 01/7/2025 (không phải hiện trạng "
        "01/7/2021)",
        "url": "https://pypi.org/project/vietnamadminunits/1.0.4/",
        "licence": "MIT",
        "province_codes": list(URBAN_2021),
        "verified_from": dt.date(2025, 6, 30),
        "verified_to": VAU_DATE,
        "notes": "The state just before 1 July 2025, after the 2023–2025 arrangements; units "
        "merged in 2023–2025 are missing and merged units carry their 2025 names.",
    },
}

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
    units_closed: int = 0
    successions_created: int = 0
    assignments_ended: int = 0


@dataclass
class _Version:
    code: str
    name: str
    division_type: str
    parent_code: str
    province_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    source_date: dt.date | None
    legal_basis: str
    dataset: str
    verification: str = ""
    geo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, row: dict[str, str], **values: Any) -> _Version:
        """The unit of a CSV row (code, name, division type, parent), the rest as given."""
        named = {k: row.get(k, "") for k in ("code", "name", "division_type", "parent_code")}
        return cls(**{**named, **values})


def read_units_csv(path: Path = UNITS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["division_type"] not in DIVISION_TYPES:
            raise ValueError(f"Unknown division type {row['division_type']!r} for {row['code']}")
    return rows


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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


def _float(value: str) -> float | None:
    return float(value) if value else None


def _geo(row: dict[str, str], source: str) -> dict[str, Any]:
    geo: dict[str, Any] = {
        "centroid_lat": _float(row.get("centroid_lat", "")),
        "centroid_lon": _float(row.get("centroid_lon", "")),
        "bbox_south": _float(row.get("bbox_south", "")),
        "bbox_west": _float(row.get("bbox_west", "")),
        "bbox_north": _float(row.get("bbox_north", "")),
        "bbox_east": _float(row.get("bbox_east", "")),
        "area_km2": _float(row.get("area_km2", "")),
    }
    if any(v is not None for v in geo.values()):
        geo["geo_source"] = source
    return geo


def _hanoi_2021_only() -> tuple[list[_Version], dict[str, set[str]]]:
    """Only the 2021 file, open-ended: the world the pre-issue-19 tests were written on."""
    rows_2021 = read_units_csv()
    versions = [
        _Version.of(
            r,
            division_type=DIVISION_TYPES[r["division_type"]],
            province_code=HANOI,
            valid_from=None,
            valid_to=None,
            source=UNITS_SOURCE,
            source_date=UNITS_SOURCE_DATE,
            legal_basis="",
            dataset="gso-hanoi-2021",
        )
        for r in rows_2021
    ]
    selections = {
        "hanoi_2021": {r["code"] for r in rows_2021},
        "pilot_wards": pilot_ward_codes(rows_2021),
    }
    return versions, selections


def _hanoi_versions() -> tuple[list[_Version], dict[str, set[str]]]:
    """Hanoi's versions from the three files, and the code selections governance needs."""
    rows_2021 = read_units_csv()
    before = {r["code"]: r for r in _read(HANOI_2025_06_CSV)}
    after = [r for r in _read(UNITS_2025_07_CSV) if r["parent_code"] == HANOI]
    city_2025 = next(r for r in _read(UNITS_2025_07_CSV) if r["code"] == HANOI)
    checked = {
        r["successor_code"]: r["article"]
        for r in _read(SUCCESSIONS_CSV)
        if r["old_province"] == HANOI and r["cross_checked"] == "yes"
    }
    versions: list[_Version] = []
    unchanged = ("same", "same_spelling_differs")
    legacy_geo = f"{VAU}, admin_units_legacy (hiện trạng trước 01/7/2025)"
    for r in rows_2021:
        division_type = DIVISION_TYPES[r["division_type"]]
        later = before.get(r["code"])
        if division_type == "city":
            valid_to = None
            geo = _geo(city_2025, f"{VAU}, admin_units (tâm tỉnh)")
        elif later is not None and later["since_2021"] in unchanged:
            valid_to = TWO_TIER
            geo = _geo(later, legacy_geo + ", cùng mã và tên với năm 2021")
        else:
            valid_to = ARRANGEMENT_2025_01
            geo = {}
        versions.append(
            _Version.of(
                r,
                division_type=division_type,
                province_code=HANOI,
                valid_from=None,
                valid_to=valid_to,
                source=UNITS_SOURCE,
                source_date=UNITS_SOURCE_DATE,
                legal_basis="",
                dataset="gso-hanoi-2021",
                geo=geo,
            )
        )
    for r in before.values():
        if r["since_2021"] in unchanged:
            continue
        versions.append(
            _Version.of(
                r,
                province_code=HANOI,
                valid_from=ARRANGEMENT_2025_01,
                valid_to=TWO_TIER,
                source=f"{VAU}, admin_units_legacy",
                source_date=VAU_DATE,
                legal_basis=ARRANGEMENT_2025_01_BASIS,
                dataset="vau-hanoi-2025",
                geo=_geo(r, legacy_geo),
            )
        )
    for r in after:
        article = checked.get(r["code"], "")
        versions.append(
            _Version.of(
                r,
                parent_code=HANOI,
                province_code=HANOI,
                valid_from=TWO_TIER,
                valid_to=None,
                source=f"{VAU}, admin_units",
                source_date=VAU_DATE,
                legal_basis=HANOI_2025_BASIS,
                dataset="vau-hanoi-2025",
                verification=f"Đối chiếu {article}" if article else "",
                geo=_geo(r, f"{VAU}, admin_units (tâm và diện tích từ 01/7/2025)"),
            )
        )
    selections = {
        "hanoi_2021": {r["code"] for r in rows_2021},
        "pilot_wards": pilot_ward_codes(rows_2021),
        "hanoi_wards_2025_01": {c for c, r in before.items() if r["division_type"] == "ward"},
        "hanoi_2025_07": {r["code"] for r in after} | {HANOI},
    }
    return versions, selections


def _urban_versions() -> tuple[list[_Version], dict[str, set[str]]]:
    """Đà Nẵng's and HCMC's units before 1 July 2025 (their 2025 state: see the README)."""
    rows = _read(URBAN_2025_06_CSV)
    by_code = {r["code"]: r for r in rows}
    versions = [
        _Version.of(
            r,
            province_code=r["code"] if not r["parent_code"] else _province_of(r, by_code),
            valid_from=None,
            valid_to=TWO_TIER,
            source=f"{VAU}, admin_units_legacy (hiện trạng trước 01/7/2025, không phải 01/7/2021)",
            source_date=VAU_DATE,
            legal_basis="",
            dataset="vau-urban-2025-06",
            geo=_geo(r, f"{VAU}, admin_units_legacy"),
        )
        for r in rows
    ]
    kinds = {r["code"]: r["division_type"] for r in rows}

    def wards_under(province: str, parent_kinds: set[str]) -> set[str]:
        return {
            r["code"]
            for r in rows
            if r["division_type"] == "ward"
            and kinds.get(r["parent_code"]) in parent_kinds
            and _province_of(r, by_code) == province
        }

    districts = {
        p: {
            r["code"]
            for r in rows
            if r["parent_code"] == p and r["division_type"] == "urban_district"
        }
        for p in URBAN_2021
    }
    danang = districts[DANANG] | wards_under(DANANG, {"urban_district"})
    hcmc = districts[HCMC] | wards_under(HCMC, {"urban_district"})
    thu_duc = wards_under(HCMC, {"district_city"})
    selections = {
        "urban_2025_06": {r["code"] for r in rows},
        "urban_model_units": danang | hcmc | thu_duc,
        "danang_urban": danang,
        "hcmc_urban": hcmc,
        "hcmc_thu_duc_wards": thu_duc,
    }
    return versions, selections


def _province_of(row: dict[str, str], by_code: dict[str, dict[str, str]]) -> str:
    while row["parent_code"]:
        row = by_code[row["parent_code"]]
    return row["code"]


def _country_versions(
    skip_provinces: Iterable[str] = (),
) -> tuple[list[_Version], dict[str, set[str]]]:
    rows = _read(UNITS_2025_07_CSV)
    skip = set(skip_provinces)
    versions = []
    for r in rows:
        province = r["code"] if not r["parent_code"] else r["parent_code"]
        if province in skip:
            continue
        versions.append(
            _Version.of(
                r,
                province_code=province,
                valid_from=TWO_TIER,
                valid_to=None,
                source=f"{VAU}, admin_units",
                source_date=VAU_DATE,
                legal_basis=COUNTRY_2025_BASIS,
                dataset="vau-country-2025",
                geo=_geo(r, f"{VAU}, admin_units"),
            )
        )
    return versions, {"country_2025_07": {v.code for v in versions}}


def _ensure_datasets(slugs: Iterable[str]) -> dict[str, ReferenceDataset]:
    out = {d.slug: d for d in ReferenceDataset.objects.filter(slug__in=list(slugs))}
    for slug in slugs:
        if slug not in out:
            out[slug] = ReferenceDataset.objects.create(slug=slug, **DATASETS[slug])
    refcache.clear()
    return out


_GEO_FIELDS = (*GEO_MEASURES, "geo_source")


def _apply_versions(
    versions: list[_Version], datasets: dict[str, ReferenceDataset]
) -> tuple[int, int]:
    """Create missing versions; close open ones the files end; fill provenance left empty.

    A version is identified by (code, valid_from). An open version is closed only when it came
    from these files (its dataset is set, or its source is the 2021 list) and is still open.
    """
    codes = {v.code for v in versions}
    existing: dict[tuple[str, dt.date | None], Unit] = {
        (u.code, u.valid_from): u for u in Unit.objects.filter(code__in=codes)
    }
    to_create: list[Unit] = []
    to_update: dict[int, Unit] = {}
    update_fields: set[str] = set()
    missing: list[_Version] = []
    for v in versions:
        unit = existing.get((v.code, v.valid_from))
        if unit is None:
            missing.append(v)
            continue
        ours = unit.dataset_id is not None or unit.source == UNITS_SOURCE
        if not ours:
            continue
        changed = False
        if unit.valid_to is None and v.valid_to is not None:
            unit.valid_to = v.valid_to
            update_fields.add("valid_to")
            changed = True
        if not unit.province_code:
            unit.province_code = v.province_code
            update_fields.add("province_code")
            changed = True
        if unit.dataset_id is None:
            unit.dataset = datasets[v.dataset]
            update_fields.add("dataset")
            changed = True
        if unit.centroid_lat is None and v.geo:
            for key, value in v.geo.items():
                setattr(unit, key, value)
            update_fields.update(_GEO_FIELDS)
            changed = True
        if changed:
            to_update[unit.pk] = unit
    open_codes = {u.code for u in existing.values() if u.valid_to is None}
    for v in missing:
        if v.valid_to is None and v.code in open_codes:
            continue  # someone opened a version of this code by hand: theirs wins
        to_create.append(
            Unit(
                **fields_of(v, "code", "name", "division_type", "parent_code", "province_code"),
                **fields_of(v, "valid_from", "valid_to", "source", "source_date", "legal_basis"),
                dataset=datasets[v.dataset],
                verification=v.verification,
                **v.geo,
            )
        )
        if v.valid_to is None:
            open_codes.add(v.code)
    # Close before opening: at most one open version per code (unit_one_open_version).
    closed = sum(1 for u in to_update.values() if u.valid_to is not None)
    if to_update:
        Unit.objects.bulk_update(list(to_update.values()), sorted(update_fields), batch_size=500)
    Unit.objects.bulk_create(to_create, batch_size=500)
    return len(to_create), closed


def _apply_successions(province_codes: Iterable[str]) -> int:
    """Predecessor (in force on 30 June 2025) → successor (from 1 July 2025) links of 2025."""
    wanted = set(province_codes)
    rows = [r for r in _read(SUCCESSIONS_CSV) if r["old_province"] in wanted]
    day_before = TWO_TIER - dt.timedelta(days=1)
    pred_codes = {r["predecessor_code"] for r in rows}
    succ_codes = {r["successor_code"] for r in rows}
    preds: dict[str, Unit] = {}
    for u in Unit.objects.filter(code__in=pred_codes):
        if (u.valid_from is None or u.valid_from <= day_before) and (
            u.valid_to is not None and u.valid_to == TWO_TIER
        ):
            preds[u.code] = u
    succs = {u.code: u for u in Unit.objects.filter(code__in=succ_codes, valid_from=TWO_TIER)}
    have = set(
        UnitSuccession.objects.filter(effective_on=TWO_TIER).values_list(
            "predecessor_id", "successor_id"
        )
    )
    new = []
    for r in rows:
        pred, succ = preds.get(r["predecessor_code"]), succs.get(r["successor_code"])
        if pred is None or succ is None or (pred.pk, succ.pk) in have:
            continue
        have.add((pred.pk, succ.pk))
        basis = HANOI_2025_BASIS if r["old_province"] == HANOI else COUNTRY_2025_BASIS
        new.append(
            UnitSuccession(
                predecessor=pred,
                successor=succ,
                kind=ChangeKind.ARRANGE,
                effective_on=TWO_TIER,
                legal_basis=basis,
                share=r["share"],
                source=r["source"],
                verification=(
                    f"{r['article']} — {r['cross_check_source']}" if r["cross_checked"] else ""
                )[:300],
            )
        )
    UnitSuccession.objects.bulk_create(new, batch_size=500)
    return len(new)


def _apply_governance(
    selections: dict[str, set[str]], *, open_ended: bool = False
) -> tuple[int, int, int]:
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

    have = {
        (a.unit_code, a.valid_from): a
        for a in GovernanceAssignment.objects.filter(
            unit_code__in=set().union(*selections.values())
        )
    }
    new_assignments = []
    ended: list[GovernanceAssignment] = []
    for item in spec["assignments"]:
        if item["select"] not in selections:
            continue
        codes = selections[item["select"]] - selections.get(item.get("except_select", ""), set())
        valid_from, valid_to = _date(item["valid_from"]), _date(item["valid_to"])
        if open_ended and valid_to == TWO_TIER:
            valid_to = None  # the 2021-only world knows no end of the district level
        model = slugs[item["model"]]
        for code in sorted(codes):
            current = have.get((code, valid_from))
            if current is not None:
                # The law ended what an earlier load left open (pilot, capital law, districts).
                if current.valid_to is None and valid_to and current.model_id == model.pk:
                    current.valid_to = valid_to
                    ended.append(current)
                continue
            have[(code, valid_from)] = GovernanceAssignment(
                unit_code=code,
                model=model,
                valid_from=valid_from,
                valid_to=valid_to,
                legal_basis=item["legal_basis"],
            )
            new_assignments.append(have[(code, valid_from)])
    GovernanceAssignment.objects.bulk_update(ended, ["valid_to"], batch_size=500)
    GovernanceAssignment.objects.bulk_create(new_assignments, batch_size=500)
    return models_created, len(new_assignments), len(ended)


def _load(
    *,
    actor: Actor,
    object_id: str,
    versions: list[_Version],
    selections: dict[str, set[str]],
    succession_provinces: Iterable[str],
    open_ended: bool = False,
) -> LoadReport:
    datasets = _ensure_datasets({v.dataset for v in versions})
    created, closed = _apply_versions(versions, datasets)
    links = _apply_successions(succession_provinces)
    models_created, assignments_created, assignments_ended = _apply_governance(
        selections, open_ended=open_ended
    )
    report = LoadReport(
        units_created=created,
        models_created=models_created,
        assignments_created=assignments_created,
        units_closed=closed,
        successions_created=links,
        assignments_ended=assignments_ended,
    )
    if created or closed or links or models_created or assignments_created or assignments_ended:
        audit_record(
            actor=actor,
            action="reference_data.load",
            object_type="units.unit",
            object_id=object_id,
            after={
                "units_created": report.units_created,
                "units_closed": report.units_closed,
                "successions_created": report.successions_created,
                "governance_models_created": report.models_created,
                "governance_assignments_created": report.assignments_created,
                "governance_assignments_ended": report.assignments_ended,
                "datasets": sorted(datasets),
            },
        )
    refcache.clear()
    return report


@transaction.atomic
def reference_data_load(*, actor: Actor | None = None, history: bool | None = None) -> LoadReport:
    """Hanoi from 2021 to today, and the governance models (what ``load_reference_data`` runs).

    ``history=False`` loads only the 2021 file, open-ended, with the Capital Law model never
    ending: the world the dossiers, feedback, oversight and monitoring tests were written on,
    kept for them until they move (settings ``CQDT_UNITS_HISTORY``; False only in tests).
    """
    from django.conf import settings

    if history is None:
        history = bool(getattr(settings, "CQDT_UNITS_HISTORY", True))
    versions, selections = _hanoi_versions() if history else _hanoi_2021_only()
    return _load(
        actor=actor or Actor.system("load_reference_data"),
        object_id="hanoi-units" if history else "hanoi-units-2021",
        versions=versions,
        selections=selections,
        succession_provinces=[HANOI] if history else [],
        open_ended=not history,
    )


@transaction.atomic
def country_load(*, actor: Actor | None = None) -> LoadReport:
    """The whole country from 1 July 2025, plus Đà Nẵng and HCMC before it (and Hanoi)."""
    actor = actor or Actor.system("load_units")
    hanoi = reference_data_load(actor=actor, history=True)
    urban, urban_sel = _urban_versions()
    country, country_sel = _country_versions(skip_provinces=[HANOI])
    # The provinces 48 and 79 of 2025 are new versions of the codes the urban file closes.
    report = _load(
        actor=actor,
        object_id="country-units-2025",
        versions=urban + country,
        selections={**urban_sel, **country_sel},
        succession_provinces=list(URBAN_2021),
    )
    return LoadReport(
        units_created=hanoi.units_created + report.units_created,
        models_created=hanoi.models_created + report.models_created,
        assignments_created=hanoi.assignments_created + report.assignments_created,
        units_closed=hanoi.units_closed + report.units_closed,
        successions_created=hanoi.successions_created + report.successions_created,
        assignments_ended=hanoi.assignments_ended + report.assignments_ended,
    )
