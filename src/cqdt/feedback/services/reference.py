"""Reference data of feedback: the categories with their SLA (data/categories.json), and the
Open311 API keys (only their SHA-256 is stored).
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.db import transaction

from cqdt.core.audit import Actor, audit_record
from cqdt.feedback.models import Category, SlaUnit
from cqdt.feedback.services._base import (
    ACK_HOURS_DEFAULT,
    CATEGORIES,
)


@transaction.atomic
def categories_load(*, actor: Actor | None = None) -> int:
    actor = actor or Actor.system("load_reference_data")
    spec = json.loads(CATEGORIES.read_text(encoding="utf-8"))
    existing = set(Category.objects.values_list("code", flat=True))
    created = 0
    for item in spec["categories"]:
        if item["code"] in existing:
            continue
        Category.objects.create(
            code=item["code"],
            name=item["name"],
            name_en=item["name_en"],
            group=item.get("group", ""),
            keywords=item.get("keywords", ""),
            description=item.get("description", ""),
            responsible_level=item.get("responsible_level", "ward"),
            ack_sla_value=item.get("ack_sla_value", ACK_HOURS_DEFAULT),
            ack_sla_unit=item.get("ack_sla_unit", SlaUnit.WORKING_HOURS),
            resolve_sla_value=item["resolve_sla_value"],
            resolve_sla_unit=item.get("resolve_sla_unit", SlaUnit.WORKING_DAYS),
            sla_source=item.get(
                "sla_source",
                "Cấu hình mặc định [C]: xác nhận trong 8 giờ làm việc (thực tiễn iHanoi)",
            ),
        )
        created += 1
    if created:
        audit_record(
            actor=actor,
            action="feedback_categories.load",
            object_type="feedback.category",
            object_id="categories",
            after={"created": created},
        )
    return created


def open311_key_check(api_key: str) -> bool:
    from cqdt.feedback.models import Open311Key

    if not api_key or len(api_key) > 100:
        return False
    return Open311Key.objects.filter(
        key_hash=hashlib.sha256(api_key.encode()).hexdigest(), revoked_at__isnull=True
    ).exists()


@transaction.atomic
def open311_key_issue(*, actor: Actor, name: str) -> str:
    from cqdt.feedback.models import Open311Key

    key = secrets.token_urlsafe(24)
    row = Open311Key.objects.create(
        name=name[:100], key_hash=hashlib.sha256(key.encode()).hexdigest()
    )
    audit_record(
        actor=actor,
        action="open311_key.issue",
        object_type="feedback.open311key",
        object_id=str(row.pk),
        after={"name": row.name},
    )
    return key
