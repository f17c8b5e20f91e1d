"""Oversight reads for monitoring: petitions and held conferences of a set of wards, and
the first day each ward's records begin.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Min
from django.utils import timezone

from cqdt.oversight.models import ConferenceStatus, DialogueConference, Petition, VoterMeeting


def petition_rows(codes: list[str], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Petitions received by the wards ``codes`` in [start, end]: ward, dates, status."""
    return [
        dict(row)
        for row in Petition.objects.filter(
            ward_code__in=codes, received_on__gte=start, received_on__lte=end
        ).values("ward_code", "received_on", "answer_due", "answered_at", "status")
    ]


def held_conference_times(codes: list[str]) -> list[tuple[str, dt.datetime | None]]:
    """(ward, held at) of every dialogue conference held by the wards ``codes``."""
    return list(
        DialogueConference.objects.filter(
            ward_code__in=codes, status=ConferenceStatus.HELD, held_at__isnull=False
        ).values_list("ward_code", "held_at")
    )


def records_from(codes: list[str]) -> dict[str, dict[str, dt.date]]:
    """The first day each ward's oversight records begin, by kind: ``conferences`` (a dialogue
    conference announced, held or cancelled, by its scheduled day) and ``petitions`` (a voter
    meeting held or a petition received). Before it, "none" means "not recorded" (monitoring:
    missing is missing)."""
    out: dict[str, dict[str, dt.date]] = {"conferences": {}, "petitions": {}}
    for ward, first in (
        DialogueConference.objects.filter(ward_code__in=codes)
        .values_list("ward_code")
        .annotate(first=Min("scheduled_at"))
    ):
        out["conferences"][ward] = timezone.localdate(first)
    petitions = out["petitions"]
    for ward, first in (
        VoterMeeting.objects.filter(ward_code__in=codes)
        .values_list("ward_code")
        .annotate(first=Min("held_at"))
    ):
        petitions[ward] = timezone.localdate(first)
    for ward, first_day in (
        Petition.objects.filter(ward_code__in=codes)
        .values_list("ward_code")
        .annotate(first=Min("received_on"))
    ):
        petitions[ward] = min(first_day, petitions.get(ward, first_day))
    return out
