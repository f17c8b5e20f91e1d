"""Reads of oversight: scope, rules in force, petitions, questioning, conferences, reception
(the ward's report to the council is assembled in ``oversight.reports``).

Visibility is decided in one place (:func:`visible_unit_codes`): a council deputy sees the wards
of the constituency (and the council's district); every other user gets the unit-tree policy of
``staff.access`` (a ward its own, a district its wards, the city all). A record of a unit the
caller may not see answers the same 404 as a missing one.

The reads are split by sub-domain (scope, petitions, questioning, conferences, reception, figures for
monitoring); every name is re-exported here, so ``from cqdt.oversight import selectors; selectors.x``
keeps working.
"""

from __future__ import annotations

from cqdt.oversight.selectors.conferences import (
    ConferenceFlag,
    ConferenceYear,
    NotJudged,
    conference_day,
    conference_duty_in_scope,
    conference_flags,
    conference_for,
    conference_review,
    conferences,
    owes_conferences,
    ward_conference_year,
    wards_without_council,
)
from cqdt.oversight.selectors.figures import (
    held_conference_times,
    petition_rows,
    petitions_overdue_at,
    records_from,
)
from cqdt.oversight.selectors.petitions import (
    PetitionNames,
    WardPetitionSummary,
    committee_name,
    is_petition_answered_late,
    is_petition_overdue,
    level_above,
    meeting_for,
    meetings,
    petition_answered_late_q,
    petition_for,
    petition_names,
    petition_overdue_q,
    petition_summary_by_ward,
    petitions,
    petitions_overdue_in,
    petitions_to_answer,
    routed_levels_on,
    routed_units,
)
from cqdt.oversight.selectors.questioning import (
    QuestioningRecord,
    QuestionRecord,
    commitment_for,
    is_commitment_overdue,
    question_for,
    questioning_record,
    questions_to_answer,
)
from cqdt.oversight.selectors.reception import (
    receptions,
)
from cqdt.oversight.selectors.scope import (
    can_see,
    council_for,
    council_in_term_q,
    council_not_found,
    council_of,
    council_visible_q,
    councils,
    deputies_of,
    deputy_active_q,
    deputy_for,
    rules_on,
    seat_in,
    seats_of,
    start_of,
    supervised_by_district_council,
    today,
    unit_names,
    visible_unit_codes,
)
from cqdt.units.selectors import names_by_day  # the units' own read, used here by day

__all__ = [
    "ConferenceFlag",
    "ConferenceYear",
    "NotJudged",
    "PetitionNames",
    "QuestionRecord",
    "QuestioningRecord",
    "WardPetitionSummary",
    "can_see",
    "commitment_for",
    "committee_name",
    "conference_day",
    "conference_duty_in_scope",
    "conference_flags",
    "conference_for",
    "conference_review",
    "conferences",
    "council_for",
    "council_in_term_q",
    "council_not_found",
    "council_of",
    "council_visible_q",
    "councils",
    "deputies_of",
    "deputy_active_q",
    "deputy_for",
    "held_conference_times",
    "is_commitment_overdue",
    "is_petition_answered_late",
    "is_petition_overdue",
    "level_above",
    "meeting_for",
    "meetings",
    "names_by_day",
    "owes_conferences",
    "petition_answered_late_q",
    "petition_for",
    "petition_names",
    "petition_overdue_q",
    "petition_rows",
    "petition_summary_by_ward",
    "petitions",
    "petitions_overdue_at",
    "petitions_overdue_in",
    "petitions_to_answer",
    "question_for",
    "questioning_record",
    "questions_to_answer",
    "receptions",
    "records_from",
    "routed_levels_on",
    "routed_units",
    "rules_on",
    "seat_in",
    "seats_of",
    "start_of",
    "supervised_by_district_council",
    "today",
    "unit_names",
    "visible_unit_codes",
    "ward_conference_year",
    "wards_without_council",
]
