"""Loading the shipped procedure catalog (``data/catalog.json``); rows that exist are kept."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from django.db import transaction

from cqdt.core.audit import Actor, audit_record
from cqdt.procedures.models import Procedure
from cqdt.procedures.services import search_text_for

CATALOG = Path(__file__).resolve().parent / "data" / "catalog.json"


def slug_for(item: dict) -> str:
    if item.get("slug"):
        return str(item["slug"])
    if item.get("code"):
        return "tthc-" + re.sub(r"[^0-9a-z]+", "-", str(item["code"]).lower()).strip("-")
    from django.utils.text import slugify

    return slugify(str(item["name"]).replace("đ", "d").replace("Đ", "D"))[:80]


@transaction.atomic
def catalog_load(*, actor: Actor | None = None, path: Path = CATALOG) -> int:
    actor = actor or Actor.system("load_reference_data")
    spec = json.loads(path.read_text(encoding="utf-8"))
    existing = set(Procedure.objects.values_list("slug", flat=True))
    created = []
    for item in spec["procedures"]:
        slug = slug_for(item)
        if slug in existing:
            continue
        procedure = Procedure(
            slug=slug,
            code=item.get("code") or "",
            name=item["name"],
            name_en=item.get("name_en", ""),
            field=item["field"],
            competent_level=item.get("competent_level", "commune"),
            time_kind=item["time_kind"],
            time_value=int(item.get("time_value") or 0),
            fee_vnd=item.get("fee_vnd"),
            fee_note=(item.get("fee_note") or "")[:400],
            required_documents=item.get("required_documents", []),
            result_type=item["result_type"][:300],
            sign_act=item["sign_act"],
            legal_basis=item["legal_basis"][:400],
            verified=bool(item.get("verified")),
            verification=(item.get("verification") or "")[:600],
            valid_from=dt.date.fromisoformat(item.get("valid_from") or "2021-07-01"),
            valid_to=dt.date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None,
            online_allowed=item.get("online_allowed", True),
        )
        procedure.search_text = search_text_for(procedure)
        procedure.full_clean(validate_constraints=False, validate_unique=False)
        created.append(procedure)
        existing.add(slug)
    Procedure.objects.bulk_create(created)
    if created:
        audit_record(
            actor=actor,
            action="procedures.load",
            object_type="procedures.procedure",
            object_id="catalog",
            after={"created": len(created), "source": CATALOG.name},
        )
    return len(created)
