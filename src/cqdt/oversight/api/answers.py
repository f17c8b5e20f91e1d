"""The oversight API's answers: each record as the JSON the operations return."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cqdt.core.records import fields_of
from cqdt.core.schemas import official_brief
from cqdt.oversight import models, rules, selectors


def council_out(c: models.Council) -> dict[str, Any]:
    return {
        "id": str(c.public_id),
        **fields_of(c, "unit_code", "name", "term_start", "term_end", "is_demo"),
    }


def deputy_out(d: models.Deputy) -> dict[str, Any]:
    return {
        "id": str(d.public_id),
        "council": str(d.council.public_id),
        "full_name": d.full_name,
        "official": official_brief(d.official),
        "constituency": d.constituency,
        "term_start": d.term_start,
        "term_end": d.term_end or d.council.term_end,
    }


def meeting_out(m: models.VoterMeeting) -> dict[str, Any]:
    return {
        "id": str(m.public_id),
        "council": str(m.council.public_id),
        **fields_of(m, "ward_code", "held_at", "location"),
        "deputies": [official_brief(d) for d in m.deputies.all()],
        "attendees": m.attendees,
        "notes": m.notes,
        "petition_count": getattr(m, "petition_count", None),
        "is_demo": m.is_demo,
    }


def petition_out(p: models.Petition, on: dt.date | None = None) -> dict[str, Any]:
    on = on or selectors.today()
    return {
        "id": str(p.public_id),
        "meeting": str(p.meeting.public_id),
        **fields_of(
            p,
            "ward_code",
            "content",
            "routed_level",
            "routed_unit_code",
            "received_on",
            "answer_due",
            "status",
        ),
        "status_label": models.PetitionStatus(p.status).label,
        "overdue": selectors.is_petition_overdue(p, on),
        "answered_late": selectors.is_petition_answered_late(p),
        "answer": p.answer or None,
        "answered_at": p.answered_at,
        "answered_by": official_brief(p.answered_by),
        "council_follow_up": p.council_follow_up or None,
        "escalated_at": p.escalated_at,
        "escalated_to_unit_code": p.escalated_to_unit_code or None,
        **fields_of(p, "closed_at", "version", "is_demo"),
    }


def commitment_out(c: models.Commitment, on: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": str(c.public_id),
        "question": str(c.question.public_id),
        **fields_of(c, "text", "due_date", "status"),
        "overdue": selectors.is_commitment_overdue(c, on),
        "done_at": c.done_at,
        "progress_note": c.progress_note or None,
        "version": c.version,
    }


def question_out(q: models.Question, on: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": str(q.public_id),
        "council": str(q.council.public_id),
        "session_date": q.session_date,
        "deputy": official_brief(q.deputy),
        "ward_code": q.ward_code,
        "addressed_to": official_brief(q.addressed_to),
        "question": q.question,
        "answer": q.answer or None,
        "answered_at": q.answered_at,
        "answered_by": official_brief(q.answered_by),
        "commitments": [commitment_out(c, on) for c in q.commitments.all()],
        "is_demo": q.is_demo,
    }


def conference_out(c: models.DialogueConference) -> dict[str, Any]:
    return {
        "id": str(c.public_id),
        **fields_of(c, "ward_code", "scheduled_at", "announced_at"),
        "notice_days": rules.notice_days(
            timezone.localdate(c.announced_at), timezone.localdate(c.scheduled_at)
        ),
        **fields_of(
            c,
            "announcement_channels",
            "via_representatives",
            "location",
            "topic",
            "status",
            "held_at",
            "attendees",  # counted when it is held: null before (announced) or without (cancelled)
        ),
        "minutes": c.minutes or None,
        "cancel_reason": c.cancel_reason or None,
        "announced_by": official_brief(c.announced_by),
        "version": c.version,
        "is_demo": c.is_demo,
    }


def reception_out(r: models.CitizenReception) -> dict[str, Any]:
    return {
        "id": str(r.public_id),
        "ward_code": r.ward_code,
        "date": r.date,
        "official": official_brief(r.official),
        "citizens_received": r.citizens_received,
        "matters": r.matters,
        "summary": r.summary or None,
        "is_demo": r.is_demo,
    }
