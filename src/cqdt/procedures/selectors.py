"""Reads of the procedure catalog, as of a date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from cqdt.core.errors import InvalidInput
from cqdt.procedures.models import Procedure


def in_force_q(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def procedures_on(on: dt.date) -> QuerySet[Procedure]:
    return Procedure.objects.filter(in_force_q(on)).order_by("field", "name")


def procedure_on(slug: str, on: dt.date) -> Procedure:
    """The version of a procedure in force on ``on``; unknown → 422 naming the field."""
    procedure = Procedure.objects.filter(in_force_q(on), slug=slug).first()
    if procedure is None:
        raise InvalidInput(
            f"Thủ tục “{slug[:80]}” không có hoặc không còn hiệu lực.",
            f"Procedure “{slug[:80]}” does not exist or is not in force.",
            field="procedure",
            code="unknown_procedure",
        )
    return procedure
