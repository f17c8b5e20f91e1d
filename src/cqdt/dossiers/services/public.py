"""The applicant without an account: lookup by code and secret, and the rating once the result is
returned (core.lookup).
"""

from __future__ import annotations

import datetime as dt
from secrets import compare_digest as secrets_equal
from typing import Any

from django.db import router, transaction
from django.db.models import Model
from django.utils import timezone

from cqdt.core import lookup
from cqdt.core.db import Prepared
from cqdt.core.errors import (
    Conflict,
    NotFound,
)
from cqdt.core.notify import outbox_put
from cqdt.dossiers import workflow
from cqdt.dossiers.models import (
    Dossier,
    DossierEvent,
)
from cqdt.dossiers.services._base import (
    RATING_MOVES,
    applicant_move,
    applicant_moves,
    snapshot,
)
from cqdt.procedures.models import Procedure


def _not_found() -> NotFound:
    return NotFound(
        "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Hãy kiểm tra lại hai mã trên trang "
        "xác nhận khi nộp hoặc trên giấy tiếp nhận hồ sơ.",
        "No dossier with this dossier code and lookup code. Check both codes against the "
        "confirmation page shown when you submitted, or the receipt.",
        code="dossier_not_found",
    )


def _public_lookup(code: str, secret: str) -> Dossier:
    return lookup.find_by_secret(
        Dossier.objects.select_related("procedure"),
        code,
        secret,
        hash_field="lookup_secret_hash",
        not_found=_not_found(),
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

    return applicant_move(
        found.code,
        "rate",
        apply,
        now=rated_at,
        table=RATING_MOVES,
        snapshot_of=lambda d: snapshot(d) | {"rating": d.rating},
    )


def public_dossier(code: str, secret: str) -> Dossier:
    return _public_lookup(code, secret)


# A new lookup code, sent to the phone given at submission: not a move of the workflow, in any
# state (the applicant may follow a closed dossier too).
LOOKUP_CODE_MOVES = applicant_moves(
    "renew_lookup_code",
    ("cấp lại mã tra cứu", "renew the lookup code"),
    workflow.STATE_LABELS,
    code="not_renewable",
    field="code",
)


def _digits(phone: str) -> str:
    """A phone number as its national digits: spaces, dots and dashes out, +84/84 as 0."""
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip().startswith("+84") or (digits.startswith("84") and len(digits) >= 11):
        digits = "0" + digits[2:]
    return digits


# A new lookup code at most once in this time and this many a day, per dossier (review R10): each
# one ends the citizen's working code and sends an SMS, so whoever knows the code and the number
# could otherwise do both without bound [C].
LOOKUP_CODE_RENEW_GAP = dt.timedelta(minutes=15)
LOOKUP_CODE_RENEW_PER_DAY = 3


def _renewed_lately(d: Dossier, at: dt.datetime) -> bool:
    """Whether ``d``'s lookup code was issued again within ``LOOKUP_CODE_RENEW_GAP`` of ``at``, or
    ``LOOKUP_CODE_RENEW_PER_DAY`` times in the day before it (its timeline's events)."""
    times = list(
        DossierEvent.objects.filter(
            dossier_id=d.pk, action="renew_lookup_code", at__gt=at - dt.timedelta(days=1)
        ).values_list("at", flat=True)
    )
    return len(times) >= LOOKUP_CODE_RENEW_PER_DAY or any(
        at - t < LOOKUP_CODE_RENEW_GAP for t in times
    )


@transaction.atomic
def lookup_code_renew(*, code: str, phone: str, now: dt.datetime | None = None) -> bool:
    """A new lookup code for the dossier of ``code``, sent by SMS to the phone number given when
    it was submitted, if ``phone`` is that number; the old code stops working. QA Q19 of 7
    December: the code is shown once, and a citizen who lost it could never follow the dossier
    again. The caller says the same whatever the answer (no oracle for codes or numbers: the
    public page and its rate limit); True when a code was sent. At most one a quarter hour and
    three a day per dossier (``_renewed_lately``). The timeline says a code was issued again,
    never the code; the code itself travels only in the SMS."""
    at = now or timezone.now()
    found = (
        Dossier.objects.filter(code__in=lookup.code_spellings(code, _CODE_LENGTH))
        .only("code", "applicant_phone")
        .first()
    )
    given = _digits(phone)
    on_file = _digits(found.applicant_phone) if found is not None else ""
    if not (given and on_file and secrets_equal(given, on_file)) or found is None:
        return False
    if _renewed_lately(found, at):
        return False
    secret = lookup.new_secret()

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        d.lookup_secret_hash = lookup.secret_hash(secret)
        return ["lookup_secret_hash"], "Cấp lại mã tra cứu qua tin nhắn.", {}

    d = applicant_move(found.code, "renew_lookup_code", apply, now=at, table=LOOKUP_CODE_MOVES)
    outbox_put(
        channel="sms",
        recipient=d.applicant_phone,
        body=(
            f"Mã tra cứu mới của hồ sơ {d.code}: {secret} (mã cũ không dùng được nữa). "
            "Tra cứu tại trang Tra cứu hồ sơ."
        ),
        key=f"{d.code}:lookup_code:{lookup.secret_hash(secret)[:16]}",
        subject="Mã tra cứu hồ sơ",
    )
    return True


# The citizen's lookup, the busiest public read: only the columns its answer needs, each query
# compiled once per connection (core.db.Prepared; issue 17 measured the ORM's compile of the
# full 40-column rows as most of the request).
def _in_model_order(model: type[Model], names: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` in the order of the model's columns, as ``Model.from_db`` reads values."""
    order = [f.attname for f in model._meta.concrete_fields]
    return tuple(sorted(names, key=order.index))


PUBLIC_FIELDS = _in_model_order(
    Dossier,
    (
        "id",
        "code",
        "procedure_id",
        "status",
        "submitted_at",
        "valid_receipt_at",
        "due_at",
        "returned_at",
        "rated_at",
        "rating",
        "lookup_secret_hash",
    ),
)
HISTORY_FIELDS = _in_model_order(
    DossierEvent, ("id", "dossier_id", "at", "action", "to_status", "actor_role", "public_note")
)
PROCEDURE_FIELDS = _in_model_order(Procedure, ("id", "name", "code"))
_CODE_LENGTH = Dossier._meta.get_field("code").max_length or 60
_PUBLIC_ROW = Prepared(
    Dossier,
    lambda code: Dossier.objects.filter(code=code).values_list(
        *PUBLIC_FIELDS, *(f"procedure__{f}" for f in PROCEDURE_FIELDS if f != "id")
    )[:1],
    "\x00code",
)
_HISTORY_ROWS = Prepared(
    DossierEvent,
    lambda pk: DossierEvent.objects.filter(dossier_id=pk).values_list(*HISTORY_FIELDS),
    -1,
)


def public_dossier_with_history(code: str, secret: str) -> tuple[Dossier, list[DossierEvent]]:
    """The dossier of ``code`` if ``secret`` is its lookup secret, with its timeline in order.

    The same answer as :func:`public_dossier` (``core.lookup.find_by_secret``: one not-found for
    a wrong secret and an unknown code, the secret compared in constant time either way), read
    from the columns the citizen's page shows; the other fields are deferred.
    """
    row = None
    for spelling in lookup.code_spellings(code, _CODE_LENGTH):  # the second only on a miss
        rows = _PUBLIC_ROW.rows(spelling)
        if rows:
            row = rows[0]
            break
    n = len(PUBLIC_FIELDS)
    stored = row[PUBLIC_FIELDS.index("lookup_secret_hash")] if row else None
    if not lookup.secret_matches(stored, secret) or row is None:
        raise _not_found()
    db = router.db_for_read(Dossier)
    dossier = Dossier.from_db(db, PUBLIC_FIELDS, row[:n])
    procedure_id = row[PUBLIC_FIELDS.index("procedure_id")]
    dossier.procedure = Procedure.from_db(db, PROCEDURE_FIELDS, (procedure_id, *row[n:]))
    history = [DossierEvent.from_db(db, HISTORY_FIELDS, r) for r in _HISTORY_ROWS.rows(dossier.pk)]
    return dossier, history
