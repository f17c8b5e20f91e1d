"""Writing the shipped reference data: datasets, unit versions, successions and governance
assignments, idempotently, one audit event a load that wrote."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cqdt.core import refcache
from cqdt.core.audit import Actor, audit_record
from cqdt.core.db import update_rows
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
from cqdt.units.reference.files import (
    COUNTRY_2025_BASIS,
    DATASETS,
    GOVERNANCE_JSON,
    HANOI,
    HANOI_2025_BASIS,
    SUCCESSIONS_CSV,
    TWO_TIER,
    UNITS_SOURCE,
    URBAN_2021,
    _country_versions,
    _date,
    _hanoi_2021_only,
    _hanoi_versions,
    _read,
    _urban_versions,
    _Version,
)


@dataclass(frozen=True)
class LoadReport:
    units_created: int
    models_created: int
    assignments_created: int
    units_closed: int = 0
    successions_created: int = 0
    assignments_ended: int = 0


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
        update_rows(list(to_update.values()), sorted(update_fields))
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
    update_rows(ended, ["valid_to"])
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
