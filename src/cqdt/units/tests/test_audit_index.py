"""The audit log's partial index on the arrangements' events (``core.models.AuditEvent``,
``audit_reorganisation_idx``) names the actions ``units.reorganisation`` writes: an action
renamed on one side only would leave the reads by action (``units.selectors.first_moves``,
``moved_away_from``, ``reorganisation.already_done``) scanning every event of the dossiers."""

from cqdt.core.models import AuditEvent
from cqdt.units import reorganisation
from cqdt.units import selectors as unit_selectors


def test_the_index_of_the_arrangements_events_names_the_actions_they_are_written_under():
    index = next(i for i in AuditEvent._meta.indexes if i.name == "audit_reorganisation_idx")
    (condition,) = index.condition.children
    assert condition[0] == "action__in"
    assert set(condition[1]) == {reorganisation.ACTION_MOVE, reorganisation.ACTION_END}
    assert unit_selectors.REORGANISATION_MOVE == reorganisation.ACTION_MOVE
