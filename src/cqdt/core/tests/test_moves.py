"""The kernel of versioned moves: the table check, the one stale answer, the one version bump.

The full move (lock, apply, timeline, audit) is exercised through every context's services
tests (dossiers, feedback, oversight)."""

from __future__ import annotations

import pytest

from cqdt.core import moves
from cqdt.core.errors import Conflict, RuleViolation

TABLE = moves.Moves(
    noun=("kiến nghị", "petition"),
    sources={"answer": frozenset({"received"})},
    targets={"answer": "answered"},
    state_label=lambda s: ({"answered": "Đã trả lời"}.get(s, s), s),
)


def test_a_move_from_a_source_state_passes_and_from_another_is_refused_naming_both():
    TABLE.check("answer", "received")
    with pytest.raises(Conflict) as refused:
        TABLE.check("answer", "answered")
    assert (refused.value.code, refused.value.field) == ("invalid_transition", "action")
    assert refused.value.vi == "Không thể “answer” khi kiến nghị đang ở trạng thái “Đã trả lời”."
    assert not TABLE.allows("fly", "received")


def test_a_table_may_refuse_with_its_own_error():
    table = moves.Moves(
        noun=("hồ sơ", "dossier"),
        sources={},
        targets={},
        state_label=lambda s: (s, s),
        refusal=RuleViolation,
        code="not_returned",
        field="rating",
    )
    with pytest.raises(RuleViolation) as refused:
        table.check("rate", "processing")
    assert (refused.value.code, refused.value.field, refused.value.status) == (
        "not_returned",
        "rating",
        422,
    )


class Row:
    def __init__(self, version: int) -> None:
        self.version = version
        self.saved: list[str] = []

    def save(self, *, update_fields: list[str]) -> None:
        self.saved = update_fields


def test_a_stale_version_is_one_409_and_none_means_not_held():
    with pytest.raises(Conflict) as stale:
        moves.check_version(Row(3), 2)
    assert (stale.value.status, stale.value.code, stale.value.field) == (
        409,
        "stale_version",
        "version",
    )
    assert stale.value.vi.startswith("Dữ liệu đã được người khác cập nhật")
    moves.check_version(Row(3), 3)
    moves.check_version(Row(3), None)


def test_save_bumps_the_version_once_and_writes_each_field_once():
    row = Row(1)
    moves.save(row, ["status", "version", "status"])
    assert row.version == 2 and row.saved == ["status", "version", "updated_at"]
