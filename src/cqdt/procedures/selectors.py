"""Reads of the procedure catalog, as of a date: the list, the search, the groups by field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, FloatField, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower

from cqdt.core.db import version_in_force
from cqdt.core.errors import InvalidInput
from cqdt.core.fields import in_force_q
from cqdt.core.records import fields_of
from cqdt.core.text import fold
from cqdt.procedures import rules
from cqdt.procedures.fields import FIELD_LABELS, field_label, field_rank
from cqdt.procedures.models import LawConflict, Procedure

# PostgreSQL's word similarity (pg_trgm) above which a word of the query counts as found in a
# name although misspelt ("sinhh" for "sinh"); 0.6 is pg_trgm's own default. Only for words of
# at least TYPO_MIN_LENGTH letters: a short word shares a trigram with too many others ("ho").
WORD_SIMILARITY = 0.6
TYPO_MIN_LENGTH = 5
MAX_QUERY = 100


def procedures_on(on: dt.date) -> QuerySet[Procedure]:
    return Procedure.objects.filter(in_force_q(on)).order_by("field", "name")


# Every intake and every catalogue page asks it: compiled once per connection.
_PROCEDURE_ON = version_in_force(Procedure, "slug", in_force_q)


def procedure_on(slug: str, on: dt.date) -> Procedure:
    """The version of a procedure in force on ``on``; unknown → 422 naming the field."""
    procedure = _PROCEDURE_ON.first(slug, on)
    if procedure is None:
        raise InvalidInput(
            f"Thủ tục “{slug[:80]}” không có hoặc không còn hiệu lực.",
            f"Procedure “{slug[:80]}” does not exist or is not in force.",
            field="procedure",
            code="unknown_procedure",
        )
    return procedure


def _fields_named(word: str) -> list[str]:
    """Field codes whose Vietnamese or English name holds ``word`` (folded)."""
    from django.utils import translation

    found = []
    for code, label in FIELD_LABELS.items():
        for lang in ("vi", "en"):
            with translation.override(lang):
                if word in fold(str(label)):
                    found.append(code)
                    break
    return found


def procedures_search(q: str, on: dt.date) -> QuerySet[Procedure]:
    """Procedures in force on ``on`` matching ``q``, ignoring case and diacritics.

    "đăng ký khai sinh", "dang ky khai sinh" and "DANG KY KHAI SINH" find the same rows: every
    word of the query must occur in the name, the English name, the national code or the
    field's name. On PostgreSQL the names are compared through ``unaccent`` (which maps đ → d)
    and a longer word spelt a little differently still counts when its trigram word similarity
    reaches ``WORD_SIMILARITY``; the best matches (trigram similarity to the whole query) come
    first. On SQLite (no ``unaccent``) the words are
    looked up in the row's ``search_text``, folded the same way by the services that write
    procedures. An empty query lists every procedure in force.
    """
    qs = procedures_on(on)
    words = fold(q[:MAX_QUERY]).split()
    if not words:
        return qs
    if connection.vendor == "postgresql":
        return _search_postgresql(qs, q[:MAX_QUERY], words)
    for word in words:
        qs = qs.filter(Q(search_text__contains=word))
    return qs


def _search_postgresql(qs: QuerySet[Procedure], q: str, words: list[str]) -> QuerySet[Procedure]:
    from django.contrib.postgres.lookups import Unaccent
    from django.contrib.postgres.search import TrigramWordSimilarity

    hay = Unaccent(
        Lower(
            Concat(
                "name",
                Value(" "),
                "name_en",
                Value(" "),
                "code",
                Value(" "),
                "slug",
                output_field=CharField(),
            )
        )
    )
    qs = qs.annotate(search_hay=hay)
    for n, word in enumerate(words):
        needle = Unaccent(Lower(Value(word, output_field=CharField())))
        similarity = f"search_sim_{n}"
        match = Q(search_hay__contains=needle) | Q(field__in=_fields_named(word))
        if len(word) >= TYPO_MIN_LENGTH:
            qs = qs.annotate(
                **{
                    similarity: TrigramWordSimilarity(
                        needle,  # type: ignore[arg-type]  # an expression works (Django docs)
                        "search_hay",
                        output_field=FloatField(),
                    )
                }
            )
            match |= Q(**{f"{similarity}__gte": WORD_SIMILARITY})
        qs = qs.filter(match)
    whole = Unaccent(Lower(Value(q, output_field=CharField())))
    return qs.annotate(
        search_rank=TrigramWordSimilarity(
            whole,  # type: ignore[arg-type]  # an expression, as above
            "search_hay",
            output_field=FloatField(),
        )
    ).order_by("-search_rank", "field", "name")


@dataclass(frozen=True)
class FieldGroup:
    """The procedures of one field of work (lĩnh vực), for the public catalog."""

    code: str
    label: str
    procedures: list[Procedure]


def catalog_groups(on: dt.date, q: str = "") -> list[FieldGroup]:
    """The catalog in force on ``on``, optionally searched, grouped by field in a fixed order."""
    groups: dict[str, list[Procedure]] = {}
    for procedure in procedures_search(q, on):
        groups.setdefault(procedure.field, []).append(procedure)
    return [
        FieldGroup(code=code, label=field_label(code), procedures=members)
        for code, members in sorted(groups.items(), key=lambda kv: (field_rank(kv[0]), kv[0]))
    ]


@dataclass(frozen=True)
class ConflictNote:
    """A sector-law conflict as the catalog, the resolver and the register show it."""

    id: str
    procedure_slug: str
    procedure_name: str
    law: str
    article: str
    actor: str
    actor_vi: str
    actor_en: str
    excerpt: str
    verified: bool
    verification: str
    is_demo: bool
    # Whether the actor has no holder under the governance model asked about (None: not asked).
    applies: bool | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def law_conflicts(
    slugs: list[str] | None = None,
    *,
    on: dt.date | None = None,
    has_people_council: bool | None = None,
    regime: str | None = None,
) -> list[ConflictNote]:
    """The register's conflicts (of ``slugs``, or all); with a governance model's answers, each
    says whether it bites under that model (``procedures.rules.actor_exists``). Names are those
    of the procedure's version in force on ``on`` (any version when none is)."""
    rows = LawConflict.objects.all()
    if slugs is not None:
        rows = rows.filter(procedure_slug__in=slugs)
    conflicts = list(rows)
    if not conflicts:
        return []
    names: dict[str, str] = {}
    versions = Procedure.objects.filter(slug__in={c.procedure_slug for c in conflicts})
    for p in versions.order_by("valid_from"):
        if on is None or p.valid_from <= on:
            names[p.slug] = p.name
    out = []
    for c in conflicts:
        applies = None
        if has_people_council is not None and regime is not None:
            applies = not rules.actor_exists(
                c.actor, has_people_council=has_people_council, regime=regime
            )
        vi, en = rules.ACTORS[c.actor]
        out.append(
            ConflictNote(
                id=str(c.public_id),
                procedure_slug=c.procedure_slug,
                procedure_name=names.get(c.procedure_slug, c.procedure_slug),
                **fields_of(c, "law", "article", "actor"),
                actor_vi=vi,
                actor_en=en,
                **fields_of(c, "excerpt", "verified", "verification", "is_demo"),
                applies=applies,
            )
        )
    return out


def slugs_for_act(act: str, on: dt.date) -> list[str]:
    """The procedures in force on ``on`` whose result is signed as ``act``."""
    return sorted(set(procedures_on(on).filter(sign_act=act).values_list("slug", flat=True)))
