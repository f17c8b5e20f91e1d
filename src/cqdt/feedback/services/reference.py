"""Reference data of feedback: the categories with their SLA (data/categories.json), and the
Open311 API keys (core's ``ApiToken`` of kind open311: only their SHA-256 is stored).
"""

from __future__ import annotations

import json

from django.db import transaction

from cqdt.core.audit import Actor, audit_record
from cqdt.core.models import ApiToken, TokenKind
from cqdt.core.tokens import MAX_DAYS, token_issue, token_lookup
from cqdt.feedback.models import Category, SlaUnit
from cqdt.feedback.services._base import (
    ACK_HOURS_DEFAULT,
    CATEGORIES,
)
from cqdt.units import selectors as unit_selectors


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


def open311_key(api_key: str) -> ApiToken | None:
    """The active Open311 key presented (core's token table, checked on every request: a revoked
    or expired key fails at once), or None."""
    return token_lookup(api_key or "", TokenKind.OPEN311)


def open311_key_check(api_key: str) -> bool:
    return open311_key(api_key) is not None


def open311_key_scope(key: ApiToken) -> frozenset[str] | None:
    """The units a key may submit reports for, today: its unit's subtree; None for no limit."""
    if not key.scope_unit_code:
        return None
    return unit_selectors.subtree_codes(key.scope_unit_code)


def open311_key_issue(
    *, actor: Actor, name: str, scope_unit_code: str = "", days: int = MAX_DAYS
) -> str:
    """Issue an Open311 key (the secret is returned once; only its hash is kept)."""
    _, secret = token_issue(
        actor=actor, kind=TokenKind.OPEN311, name=name, scope_unit_code=scope_unit_code, days=days
    )
    return secret
