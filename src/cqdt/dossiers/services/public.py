"""The applicant without an account: lookup by code and secret, and the rating once the result is
returned (core.lookup).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.core import lookup
from cqdt.core.audit import Actor
from cqdt.core.errors import (
    Conflict,
    NotFound,
)
from cqdt.dossiers.models import (
    Dossier,
)
from cqdt.dossiers.services._base import (
    RATING_MOVES,
    _move,
    snapshot,
)


def _public_lookup(code: str, secret: str) -> Dossier:
    return lookup.find_by_secret(
        Dossier.objects.select_related("procedure"),
        code,
        secret,
        hash_field="lookup_secret_hash",
        not_found=NotFound(
            "Không tìm thấy hồ sơ với mã và mã tra cứu này.",
            "No dossier with this code and lookup secret.",
            code="dossier_not_found",
        ),
    )


@transaction.atomic
def dossier_rate(
    *, code: str, secret: str, rating: int, comment: str = "", now: dt.datetime | None = None
) -> Dossier:
    """The applicant's satisfaction rating (1–5 and a comment) once the result is returned."""
    comment = lookup.checked_score(rating, comment, field="rating")
    found = _public_lookup(code, secret)
    rated_at = now or timezone.now()

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        if d.rated_at is not None:
            raise Conflict(
                "Hồ sơ đã được đánh giá.",
                "This dossier has already been rated.",
                field="rating",
                code="already_rated",
            )
        d.rating = rating
        d.rating_comment = comment
        d.rated_at = rated_at
        return ["rating", "rating_comment", "rated_at"], f"Người nộp đánh giá {rating}/5.", {}

    return _move(
        actor=Actor.system("citizen"),
        official=None,
        code=found.code,
        version=None,
        action="rate",
        apply=apply,
        role="applicant",
        now=rated_at,
        table=RATING_MOVES,
        snapshot_of=lambda d: snapshot(d) | {"rating": d.rating},
    )


def public_dossier(code: str, secret: str) -> Dossier:
    return _public_lookup(code, secret)
