"""Field conventions every context declares the same way, each written once.

Each factory returns the very field a hand-written declaration gave (same class and keyword
arguments), so a model that uses one gets no migration. The return types spell what the
django-stubs plugin infers for the hand-written field, so ``dossier.assigned_to`` stays
``Official | None`` and ``dossier.due_at`` ``datetime | None`` for the type checker.

``verbose_name`` and ``help_text`` stay at the call: every field says what it holds (STYLE.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=models.Model)


def public_id(help_text: StrOrPromise) -> models.UUIDField[str | uuid.UUID, uuid.UUID]:
    """The random id the API and the pages name a row by, never its sequential primary key
    (STYLE.md: public identifiers are codes or UUIDs), so ids reveal no counts or order."""
    return models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False, help_text=help_text
    )


def protected_fk(
    to: type[M], verbose_name: StrOrPromise, help_text: StrOrPromise, **options: Any
) -> models.ForeignKey[M | Combinable, M]:
    """A required link to a record that must outlive what points at it (``on_delete=PROTECT``).

    What the platform keeps is evidence of what the administration did (the audit chain, the
    dossier's timeline, the registers): a council, a meeting, an official who acted may not be
    deleted from under the records that name them. ``related_name`` and ``db_index`` pass through
    in ``options``; without a ``related_name`` the link has no reverse accessor (``"+"``).
    """
    return _fk(to, verbose_name, help_text, models.PROTECT, options)


def optional_protected_fk(
    to: type[M], verbose_name: StrOrPromise, help_text: StrOrPromise, **options: Any
) -> models.ForeignKey[M | Combinable | None, M | None]:
    """As :func:`protected_fk`, but empty until someone or something fills it (the officer a
    dossier is assigned to, who answered a petition): ``null=True, blank=True``, still PROTECT."""
    options = {"null": True, "blank": True, **options}
    return _fk(to, verbose_name, help_text, models.PROTECT, options)


def part_of(
    to: type[M], verbose_name: StrOrPromise, related_name: str, help_text: StrOrPromise
) -> models.ForeignKey[M | Combinable, M]:
    """A row that belongs to its case and goes with it (``on_delete=CASCADE``): a dossier's or
    a report's timeline entries, pauses, photos."""
    return _fk(to, verbose_name, help_text, models.CASCADE, {"related_name": related_name})


def _fk(
    to: type[models.Model],
    verbose_name: StrOrPromise,
    help_text: StrOrPromise,
    on_delete: Callable[..., None],
    options: dict[str, Any],
) -> models.ForeignKey[Any, Any]:
    """The one ForeignKey the link factories build; no reverse accessor unless one is named."""
    options = {"related_name": "+", **options}
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=on_delete, help_text=help_text, **options
    )


def gso_code(
    verbose_name: StrOrPromise, help_text: StrOrPromise, **options: Any
) -> models.CharField[str | int | Combinable, str]:
    """An administrative unit named by its GSO code (the list of Decision 124/2004/QĐ-TTg:
    zero-padded digits, in a column eight wide), never by a foreign key: unit versions come and
    go with reorganisations while the code stays (``units.Unit``). ``db_index``, ``blank`` and
    ``default`` pass through in ``options``."""
    return models.CharField(verbose_name, max_length=8, help_text=help_text, **options)


def choice(
    verbose_name: StrOrPromise,
    choices: type[models.TextChoices],
    help_text: StrOrPromise,
    *,
    max_length: int,
    **options: Any,
) -> models.CharField[str | int | Combinable, str]:
    """A state or a kind stored as the code of one of its ``TextChoices`` (STYLE.md: status fields
    are TextChoices; the moves between states are the context's table, not the column's).
    ``max_length`` stays at the call: it is the column's width, chosen with room for new codes.
    ``default`` and ``blank`` pass through in ``options``."""
    return models.CharField(
        verbose_name,
        max_length=max_length,
        choices=choices.choices,
        help_text=help_text,
        **options,
    )


def optional_text(
    verbose_name: StrOrPromise, max_length: int, help_text: StrOrPromise, **options: Any
) -> models.CharField[str | int | Combinable, str]:
    """A line of text that may be left empty (``blank=True``; stored as ``""``, never NULL)."""
    return models.CharField(
        verbose_name, max_length=max_length, blank=True, help_text=help_text, **options
    )


def optional_date(
    verbose_name: StrOrPromise, help_text: StrOrPromise
) -> models.DateField[str | dt.date | Combinable | None, dt.date | None]:
    """A day that is not known yet, or never happens: NULL until it is."""
    return models.DateField(verbose_name, null=True, blank=True, help_text=help_text)


def optional_moment(
    verbose_name: StrOrPromise, help_text: StrOrPromise
) -> models.DateTimeField[str | dt.datetime | dt.date | Combinable | None, dt.datetime | None]:
    """A moment that may not have come yet (answered, escalated, closed, sent…): NULL until it
    does; timezone-aware like every moment the platform keeps (STYLE.md)."""
    return models.DateTimeField(verbose_name, null=True, blank=True, help_text=help_text)


@overload
def effective_from(
    help_text: StrOrPromise, *, optional: Literal[False] = False
) -> models.DateField[str | dt.date | Combinable, dt.date]: ...
@overload
def effective_from(
    help_text: StrOrPromise, *, optional: Literal[True]
) -> models.DateField[str | dt.date | Combinable | None, dt.date | None]: ...
def effective_from(
    help_text: StrOrPromise, *, optional: bool = False
) -> models.DateField[Any, Any]:
    """First day a version applies — the effective-dated data of DOMAIN.md §2 (units, posts,
    rules and sources all carry effective dates). ``optional``: empty means since before the
    records start (the 2021 reference data carries no founding dates, and none are invented)."""
    if optional:
        return models.DateField(_("valid from"), null=True, blank=True, help_text=help_text)
    return models.DateField(_("valid from"), help_text=help_text)


def effective_to(
    help_text: StrOrPromise,
) -> models.DateField[str | dt.date | Combinable | None, dt.date | None]:
    """First day a version no longer applies — exclusive, so consecutive versions meet without a
    gap or an overlap; empty while the version is in force."""
    return models.DateField(_("valid to"), null=True, blank=True, help_text=help_text)


def in_force_q(on: dt.date) -> Q:
    """The versions with a known first day (:func:`effective_from`) in force on ``on``: begun by
    then, and not yet ended (``valid_to`` empty, or after ``on``: it is exclusive)."""
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def effective_key(key: str, name: str) -> models.UniqueConstraint:
    """At most one version of ``key`` (a unit's code, a rule's key, a procedure's slug) begins on
    a given day: the versions of one thing are told apart by their first day."""
    return models.UniqueConstraint(fields=[key, "valid_from"], name=name)


def effective_range(name: str) -> models.CheckConstraint:
    """The check of an effective-dated version with a known first day: open (no ``valid_to``),
    or ending after it starts — with ``valid_to`` exclusive, a version lasts at least a day."""
    return not_before("valid_to", "valid_from", name, strictly=True, optional=True)


def not_before(
    later: str, earlier: str, name: str, *, strictly: bool = False, optional: bool = False
) -> models.CheckConstraint:
    """The check that a row's ``later`` day or moment does not come before its ``earlier`` one
    (a term's end and start, an answer's due day and the day of receipt); ``strictly``: comes
    after it; ``optional``: or ``later`` is empty (an open term, a dossier not yet returned)."""
    condition = Q(**{f"{later}__{'gt' if strictly else 'gte'}": F(earlier)})
    if optional:
        condition = Q(**{f"{later}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)


def rating(
    verbose_name: StrOrPromise, help_text: StrOrPromise
) -> models.PositiveSmallIntegerField[float | int | str | Combinable | None, int | None]:
    """A satisfaction rating from 1 to 5, empty until the applicant or reporter gives one (the
    range is the model's check: :func:`rating_range`)."""
    return models.PositiveSmallIntegerField(
        verbose_name, null=True, blank=True, help_text=help_text
    )


def rating_range(field: str, name: str) -> models.CheckConstraint:
    """The check of a :func:`rating`: empty, or from 1 to 5."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=name,
    )
