"""The ward chairman's dialogue conferences with residents: announced ahead, held or cancelled
(Decree 32/2021/NĐ-CP: at least 2 a year, announced at least 7 days ahead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from cqdt.core import moves
from cqdt.core.audit import Actor, insert_audited
from cqdt.core.errors import (
    InvalidInput,
    NotFound,
    RuleViolation,
)
from cqdt.oversight import rules, selectors
from cqdt.oversight.models import (
    DialogueConference,
)
from cqdt.oversight.services._base import (
    CONFERENCE_MOVES,
    _moment,
    _not_future,
    _optional_text,
    _required_text,
    _ward,
    _ward_leader,
    conference_snapshot,
)
from cqdt.staff.models import Official

# --- dialogue conferences --------------------------------------------------------------------------


@transaction.atomic
def conference_announce(
    *,
    actor: Actor,
    official: Official,
    ward_code: str,
    scheduled_at: dt.datetime,
    topic: str,
    channels: Sequence[str],
    via_representatives: bool = False,
    location: str = "",
    announced_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> DialogueConference:
    """Announce a dialogue conference with the ward's residents (hội nghị đối thoại).

    Decree 32/2021/NĐ-CP: the ward committee announces time, place and content at least 7 days
    ahead (``conference_notice_days``), through the media and the residential-group heads
    (``conference_required_channels``); a large ward may hold it through residential-group
    representatives. A conference 6 days after its announcement is refused, naming the earliest
    lawful date. These bind a ward governed without a People's Council on the conference's day
    (the pilot's, to 30 June 2025: ``selectors.owes_conferences``); a commune or ward with its
    own council (from 1 July 2025, Law 72/2025/QH15) or with no model recorded that day is held
    to no minimum — its conference is recorded as announced. ``announced_at`` records an
    announcement already made (never in the future).
    """
    now = now or timezone.now()
    announced = _moment(announced_at) if announced_at is not None else now
    _not_future(announced, now, "announced_at")
    scheduled = _moment(scheduled_at)
    announced_on = timezone.localdate(announced)
    _ward(ward_code, announced_on)
    role = _ward_leader(
        official, ward_code, announced_on, ("thông báo hội nghị đối thoại", "announce a conference")
    )
    text = _required_text(topic, "topic", ("nội dung hội nghị", "topic"), 500)
    used = _announcement_channels(channels)
    scheduled_on = timezone.localdate(scheduled)
    # Decree 32/2021/NĐ-CP's notice and channels bind the conferences of a ward without a
    # council only: judged on the conference's own day (``selectors.owes_conferences``).
    minimum: int | None = None
    if selectors.owes_conferences(ward_code, scheduled_on):
        rule = selectors.rules_on(announced_on)
        _check_required_channels(used, rule)
        _check_notice(announced_on, scheduled_on, rule)
        minimum = rule.notice_days
    conference = DialogueConference(
        ward_code=ward_code,
        scheduled_at=scheduled,
        announced_at=announced,
        announcement_channels=used,
        via_representatives=via_representatives,
        location=_optional_text(location, "location", 300),
        topic=text,
        announced_by=official,
        is_demo=is_demo,
    )
    return insert_audited(
        conference,
        actor=actor,
        action="conference.announce",
        after=conference_snapshot(conference),
        basis={
            "post": role,
            "notice_days": rules.notice_days(announced_on, scheduled_on),
            "notice_minimum": minimum,  # None: Decree 32/2021's minimum did not apply
        },
    )


def _announcement_channels(channels: Sequence[str]) -> list[str]:
    """The announcement channels, once each, all known (``rules.CHANNELS``) and at least one.

    Decree 32/2021/NĐ-CP: the conference is announced publicly; how is recorded as channels.
    """
    used = list(dict.fromkeys(str(c) for c in channels))
    unknown = [c for c in used if c not in rules.CHANNELS]
    if unknown or not used:
        raise InvalidInput(
            f"Kênh thông báo không hợp lệ: {', '.join(unknown) or '(trống)'}. Chọn trong: "
            f"{', '.join(rules.CHANNELS)}.",
            f"Unknown announcement channels: {', '.join(unknown) or '(none)'}. Choose from: "
            f"{', '.join(rules.CHANNELS)}.",
            field="announcement_channels",
        )
    return used


def _check_required_channels(used: list[str], rule: rules.OversightRules) -> None:
    """Decree 32/2021/NĐ-CP: announced through the media and the residential-group heads
    (``conference_required_channels`` in force on the announcement day)."""
    missing = rules.missing_channels(used, rule.required_channels)
    if missing:
        labels_vi = ", ".join(rules.channel_label(m) for m in missing)
        labels_en = ", ".join(rules.channel_label(m, "en") for m in missing)
        raise RuleViolation(
            f"Hội nghị đối thoại phải được thông báo cả qua: {labels_vi}.",
            f"The conference must also be announced: {labels_en}.",
            field="announcement_channels",
            code="channel_missing",
            details={
                "missing": missing,
                "source": rule.sources.get(rules.CONFERENCE_REQUIRED_CHANNELS, ""),
            },
        )


def _check_notice(announced_on: dt.date, scheduled_on: dt.date, rule: rules.OversightRules) -> None:
    """Decree 32/2021/NĐ-CP: announced at least ``conference_notice_days`` (7) days ahead; the
    refusal names the earliest lawful date."""
    problem = rules.notice_problem(announced_on, scheduled_on, rule.notice_days)
    if problem is not None:
        raise RuleViolation(
            problem[0],
            problem[1],
            field="scheduled_at",
            code="notice_too_short",
            details={
                "minimum_days": rule.notice_days,
                "days": rules.notice_days(announced_on, scheduled_on),
                "earliest": announced_on + dt.timedelta(days=rule.notice_days),
                "source": rule.sources.get(rules.CONFERENCE_NOTICE_DAYS, ""),
            },
        )


def _locked_conference(conference: DialogueConference, version: int) -> DialogueConference:
    return moves.locked(
        DialogueConference.objects.filter(pk=conference.pk),
        version=version,
        not_found=NotFound("Không tìm thấy hội nghị.", "No such conference."),
    )


@transaction.atomic
def conference_hold(
    *,
    actor: Actor,
    official: Official,
    conference: DialogueConference,
    version: int,
    attendees: int,
    minutes: str,
    held_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> DialogueConference:
    """Record that an announced conference took place, with attendance and minutes; it counts
    towards the year's minimum on the day it was held (not before its announced day)."""
    now = now or timezone.now()
    held = _moment(held_at) if held_at is not None else now
    _not_future(held, now, "held_at")
    c = _locked_conference(conference, version)

    def apply(c: DialogueConference) -> moves.Applied:
        _ward_leader(
            official,
            c.ward_code,
            timezone.localdate(held),
            ("ghi nhận hội nghị", "record a conference"),
        )
        if timezone.localdate(held) < timezone.localdate(c.scheduled_at):
            raise RuleViolation(
                f"Hội nghị đã thông báo tổ chức ngày {timezone.localdate(c.scheduled_at):%d/%m/%Y}; "
                "không thể ghi nhận đã tổ chức trước ngày đó.",
                f"The conference was announced for "
                f"{timezone.localdate(c.scheduled_at).isoformat()}; it cannot be recorded as held "
                "before that day.",
                field="held_at",
                code="held_before_scheduled",
            )
        if attendees < 1:
            raise InvalidInput(
                "Cần số người dự (ít nhất 1).",
                "Give the number of people present (at least 1).",
                field="attendees",
            )
        c.held_at = held
        c.attendees = attendees
        c.minutes = _required_text(minutes, "minutes", ("biên bản", "minutes"), 20000)
        return moves.Applied(["held_at", "attendees", "minutes"])

    return _conference_move(c, "hold", actor=actor, apply=apply)


def _conference_move(
    c: DialogueConference,
    action: str,
    *,
    actor: Actor,
    apply: Callable[[DialogueConference], moves.Applied],
) -> DialogueConference:
    return moves.move(
        c,
        CONFERENCE_MOVES,
        action,
        actor=actor,
        apply=apply,
        snapshot=conference_snapshot,
        audit_action=f"conference.{action}",
    )


@transaction.atomic
def conference_cancel(
    *,
    actor: Actor,
    official: Official,
    conference: DialogueConference,
    version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> DialogueConference:
    """Cancel an announced conference, with the reason (a cancelled one counts for nothing)."""
    now = now or timezone.now()
    c = _locked_conference(conference, version)

    def apply(c: DialogueConference) -> moves.Applied:
        _ward_leader(
            official, c.ward_code, timezone.localdate(now), ("hủy hội nghị", "cancel a conference")
        )
        c.cancel_reason = _required_text(reason, "reason", ("lý do hủy", "reason"), 500)
        return moves.Applied(["cancel_reason"])

    return _conference_move(c, "cancel", actor=actor, apply=apply)
