"""The one kernel for a versioned state change ("a move") of a record that has a workflow.

Dossiers, feedback reports, oversight petitions, commitments and dialogue conferences — and any
new context with states (outgoing documents and their signatures) — change state in one way,
inside the caller's ``transaction.atomic``:

1. :func:`locked` locks the row (``SELECT … FOR UPDATE OF`` the record only: locking joined
   rows such as a category would serialise unrelated records) and checks the caller's
   ``version``. A stale version is :func:`stale` — 409 ``stale_version`` on ``version``, one
   message for every context — and nothing is written.
2. :meth:`Moves.check` checks the action against the context's move table (the states each
   action may start from); a refusal names the action and the state, with the table's error
   class and code.
3. :func:`move` runs the check, then the context's ``apply`` (its guards — who may act, the
   rule of law — then its changes), sets the target state, :func:`save` (the **only** place
   where ``version += 1``), the context's timeline hook, and the audit event
   (``core.audit``, hash-chained) — all in the same transaction, so a refusal anywhere leaves
   the database as it was.

A context keeps only its table (a pure module: states, ``action → (sources, target)``, the legal
source in the docstring) and its guards. For example, a documents context::

    # documents/rules.py (pure)
    SIGN_MOVES = {"sign": (frozenset({"awaiting_signature"}), "signed")}

    # documents/services.py
    DOCUMENT = moves.Moves.from_table(
        ("văn bản", "document"),
        rules.SIGN_MOVES,
        state_label=moves.labelled_by(DocumentStatus),
    )

    @transaction.atomic
    def document_sign(*, actor, official, public_id, version):
        d = moves.locked(
            Document.objects.filter(public_id=public_id), version=version,
            not_found=NotFound("Không tìm thấy văn bản.", "No such document."),
        )

        def apply(d):
            _may_sign(official, d)  # a guard: raise a DomainError to refuse
            d.signed_by, d.signed_at = official, timezone.now()
            return moves.Applied(["signed_by", "signed_at"])

        return moves.move(
            d, DOCUMENT, "sign", actor=actor, apply=apply, snapshot=snapshot,
            audit_action="document.sign",
        )

A move whose target is ``None`` leaves the state as ``apply`` sets it (a target that depends on
the source, or no change of state at all, as an apology or a progress note).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import QuerySet

from cqdt.core.audit import Actor, audit_record
from cqdt.core.db import PreparedObjects
from cqdt.core.errors import Conflict, DomainError, NotFound

STALE_CODE = "stale_version"


V = TypeVar("V", bound=Any)


def stale(current: int) -> Conflict:
    """The one answer to a stale ``version``: 409, nothing written, reload and retry."""
    return Conflict(
        f"Dữ liệu đã được người khác cập nhật (phiên bản hiện tại {current}); "
        "hãy tải lại rồi thử lại.",
        f"The record has changed since you read it (current version {current}); "
        "reload it and try again.",
        field="version",
        code=STALE_CODE,
    )


def check_version(obj: Any, version: int | None) -> None:
    """``version`` None: the caller does not hold a version (a citizen's rating, a task)."""
    if version is not None and obj.version != version:
        raise stale(obj.version)


def locked(queryset: QuerySet[V], *, version: int | None, not_found: NotFound) -> V:
    """The first row of ``queryset``, locked for the rest of the transaction, at ``version``."""
    return _checked(queryset.select_for_update(of=("self",)).first(), version, not_found)


def lockable(model: type[V], build: Callable[..., QuerySet[V]], *placeholders: Any) -> Any:
    """:func:`locked`'s read of ``build``'s first row, compiled once per connection
    (``core.db.PreparedObjects``), for the records whose moves are the most frequent (a dossier,
    a feedback report); run it with :func:`locked_by`."""
    return PreparedObjects(
        model,
        lambda *values: build(*values).select_for_update(of=("self",)),
        *placeholders,
        limit=1,
    )


def locked_by(
    read: PreparedObjects[V], *values: Any, version: int | None, not_found: NotFound
) -> V:
    """What :func:`locked` gives, through a read made by :func:`lockable`."""
    return _checked(read.first(*values), version, not_found)


def _checked(obj: V | None, version: int | None, not_found: NotFound) -> V:
    if obj is None:
        raise not_found
    check_version(obj, version)
    return obj


def save(obj: Any, fields: Iterable[str]) -> None:
    """Write ``fields`` and the next version: the only ``version += 1`` of a move."""
    obj.version += 1
    obj.save(update_fields=list(dict.fromkeys([*fields, "version", "updated_at"])))


def labelled_by(choices: Any) -> Callable[[str], tuple[str, str]]:
    """A table's ``state_label`` from the model's choices (a ``TextChoices``): the state's label
    in the language of the request, then the state as stored."""
    return lambda state: (str(choices(state).label), state)


def _action_words(action: str) -> tuple[str, str]:
    return action, action.replace("_", " ")


@dataclass(frozen=True)
class Moves:
    """A context's table of moves: for each action the states it may start from
    (``sources``) and the state it leads to (``targets``; ``None``: decided by ``apply``)."""

    noun: tuple[str, str]  # ("hồ sơ", "dossier")
    sources: Mapping[str, frozenset[str]]
    targets: Mapping[str, str | None]
    state_label: Callable[[str], tuple[str, str]]
    action_label: Callable[[str], tuple[str, str]] = _action_words
    refusal: type[DomainError] = Conflict
    code: str = "invalid_transition"
    field: str = "action"

    @classmethod
    def from_table(
        cls,
        noun: tuple[str, str],
        table: Mapping[str, tuple[frozenset[str], str | None]],
        **kw: Any,
    ) -> Moves:
        """From a pure module's ``{action: (sources, target)}``."""
        return cls(
            noun=noun,
            sources={a: sources for a, (sources, _) in table.items()},
            targets={a: target for a, (_, target) in table.items()},
            **kw,
        )

    def allows(self, action: str, state: str) -> bool:
        return state in self.sources.get(action, frozenset())

    def refuse(self, action: str, state: str) -> DomainError:
        (act_vi, act_en), (state_vi, state_en) = self.action_label(action), self.state_label(state)
        return self.refusal(
            f"Không thể “{act_vi}” khi {self.noun[0]} đang ở trạng thái “{state_vi}”.",
            f"Cannot “{act_en}” a {self.noun[1]} that is “{state_en}”.",
            field=self.field,
            code=self.code,
        )

    def check(self, action: str, state: str) -> None:
        if not self.allows(action, state):
            raise self.refuse(action, state)


@dataclass(frozen=True)
class Applied:
    """What ``apply`` changed: the fields to write, and for the timeline a note and data."""

    fields: Iterable[str] = ()
    note: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


def move(
    obj: V,
    table: Moves,
    action: str,
    *,
    actor: Actor,
    apply: Callable[[V], Applied],
    snapshot: Callable[[V], dict[str, Any]],
    audit_action: str,
    object_type: str | None = None,
    object_id: str | None = None,
    timeline: Callable[[V, str, Applied], None] | None = None,
    basis: dict[str, Any] | Callable[[], dict[str, Any] | None] | None = None,
    status_field: str = "status",
) -> V:
    """Check ``action`` from the locked ``obj``'s state, apply it, save, timeline, audit.

    ``apply(obj)`` runs the context's guards and changes (raise a ``DomainError`` to refuse;
    the transaction rolls back). ``timeline(obj, from_state, applied)`` writes the context's
    public history event. ``basis`` (or a function returning it, read after ``apply``) is the
    audit's legal or authority basis. The audit names the row as ``audit_object`` does (its
    model's label, its ``public_id``) unless ``object_type`` or ``object_id`` say otherwise.
    """
    from_state = getattr(obj, status_field)
    table.check(action, from_state)
    before = snapshot(obj)
    applied = apply(obj)
    fields = list(applied.fields)
    target = table.targets.get(action)
    if target is not None:
        setattr(obj, status_field, target)
        fields.append(status_field)
    elif getattr(obj, status_field) != from_state:
        fields.append(status_field)
    save(obj, fields)
    if timeline is not None:
        timeline(obj, from_state, applied)
    audit_record(
        actor=actor,
        action=audit_action,
        object_type=object_type or obj._meta.label_lower,
        object_id=object_id or str(obj.public_id),
        before=before,
        after=snapshot(obj),
        basis=basis() if callable(basis) else basis,
    )
    return obj
