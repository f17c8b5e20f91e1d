"""Staff pages of oversight: the deputy's petitions by ward, a ward's conference calendar with
the announce form, the wards short of conferences, the council's questioning record, the ward's
report to the council; the deputy's records and the ward's leaders' records.

Thin: parse, ask ``oversight.selectors`` (scope included: a ward or council out of scope is the
same 404 as a missing one), call a service, render. A refusal is shown next to the field it
names, with its HTTP status, and nothing is written.
"""

from cqdt.oversight.views.deputies import meeting, meetings, petition, question, question_new
from cqdt.oversight.views.leaders import commitment, conference, conferences, receptions
from cqdt.oversight.views.overview import conference_flags, index, petitions, questions, ward_report

__all__ = [
    "commitment",
    "conference",
    "conference_flags",
    "conferences",
    "index",
    "meeting",
    "meetings",
    "petition",
    "petitions",
    "question",
    "question_new",
    "questions",
    "receptions",
    "ward_report",
]
