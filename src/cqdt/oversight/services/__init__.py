"""Oversight writes: councils and deputies, voter meetings and petitions, questioning and
commitments, dialogue conferences, citizen reception.

Every function runs in one transaction, checks who acts and the rule before writing anything,
and writes its audit event in the same transaction; a refusal is a ``DomainError`` (4xx) and
leaves the database as it was. Sources: Resolution 97/2019/QH14 and Decree 32/2021/NĐ-CP (the
district People's Council supervises the ward committee and its chairman; the chairman's
dialogue conferences), DOMAIN §1; the numbers are ``OversightRule`` rows (``oversight.rules``).

The writes are split by sub-domain (councils, petitions, questioning, conferences, reception); every name is
re-exported here, so ``from cqdt.oversight import services; services.x`` keeps working.
"""

from __future__ import annotations

from cqdt.oversight.services._base import (
    COMMITMENT_MOVES,
    CONFERENCE_MOVES,
    MAX_TEXT,
    PETITION_MOVES,
    SERVICE_ONLY,
    commitment_snapshot,
    conference_snapshot,
    council_snapshot,
    deputy_snapshot,
    petition_snapshot,
)
from cqdt.oversight.services.conferences import (
    conference_announce,
    conference_cancel,
    conference_hold,
)
from cqdt.oversight.services.councils import (
    council_create,
    deputy_register,
    rule_set,
)
from cqdt.oversight.services.petitions import (
    petition_answer,
    petition_follow_up,
    petition_receive,
    petitions_escalate,
    voter_meeting_record,
)
from cqdt.oversight.services.questioning import (
    chair_questioned,
    commitment_make,
    commitment_update,
    question_answer,
    question_ask,
)
from cqdt.oversight.services.reception import (
    reception_log,
)

__all__ = [
    "COMMITMENT_MOVES",
    "CONFERENCE_MOVES",
    "MAX_TEXT",
    "PETITION_MOVES",
    "SERVICE_ONLY",
    "chair_questioned",
    "commitment_make",
    "commitment_snapshot",
    "commitment_update",
    "conference_announce",
    "conference_cancel",
    "conference_hold",
    "conference_snapshot",
    "council_create",
    "council_snapshot",
    "deputy_register",
    "deputy_snapshot",
    "petition_answer",
    "petition_follow_up",
    "petition_receive",
    "petition_snapshot",
    "petitions_escalate",
    "question_answer",
    "question_ask",
    "reception_log",
    "rule_set",
    "voter_meeting_record",
]
