"""The new return date of a Mẫu 04 is a time the desk is open (QA Q18 of 7 December): an apology
accepted "10:00 ngày 12/12/2026", a Saturday, and printed it for the citizen. It must fall in the
office hours of a working day of the unit's calendar; otherwise 422 on ``new_due_at``, nothing
written, and the refusal proposes the next time that is: the next session's start on the same
working day (before opening, over lunch), else the closing time of the next working day.

The dossier: received Monday 2 March 2026 at Phúc Xá, due Thursday 5 March at 17:00 (three
working days); the apology is made on Tuesday 3 March.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cqdt.core.errors import InvalidInput
from cqdt.dossiers.models import Apology, Dossier
from cqdt.dossiers.tests.conftest import at, counts, drive, submit
from cqdt.dossiers.tests.test_apology_lead import apologise

D = dt.date
TZ = dt.timezone(dt.timedelta(hours=7))


def _processing(ward) -> Dossier:
    return drive(
        ward,
        submit(ward, now=at(D(2026, 3, 2))).dossier.code,
        to="processing",
        now=at(D(2026, 3, 2)),
    )


def _apologise(ward, d: Dossier, new_due_at: dt.datetime) -> Dossier:
    return apologise(ward, d, at(D(2026, 3, 3)), new_due_at)


@pytest.mark.parametrize(
    ("asked", "why", "proposed"),
    [
        (dt.datetime(2026, 3, 7, 10, tzinfo=TZ), "là ngày nghỉ (Thứ Bảy)", "17:00 ngày 09/03/2026"),
        (
            dt.datetime(2026, 3, 8, 10, tzinfo=TZ),
            "là ngày nghỉ (Chủ nhật)",
            "17:00 ngày 09/03/2026",
        ),
        (dt.datetime(2026, 3, 9, 21, tzinfo=TZ), "là ngoài giờ làm việc", "17:00 ngày 10/03/2026"),
        (
            dt.datetime(2026, 3, 9, 12, 30, tzinfo=TZ),
            "là ngoài giờ làm việc",
            "13:00 ngày 09/03/2026",
        ),
        (dt.datetime(2026, 3, 9, 7, tzinfo=TZ), "là ngoài giờ làm việc", "08:00 ngày 09/03/2026"),
    ],
)
def test_a_new_return_date_when_the_desk_is_closed_is_refused_with_the_next_open_time(
    ward, asked, why, proposed
):
    d = _processing(ward)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        _apologise(ward, d, asked)
    assert (refused.value.field, refused.value.code) == ("new_due_at", "return_time_not_open")
    assert why in refused.value.vi and f"Có thể hẹn {proposed}." in refused.value.vi
    assert "office hours (08:00–12:00, 13:00–17:00)" in refused.value.en
    assert counts() == before and not Apology.objects.exists()
    assert Dossier.objects.get(pk=d.pk).due_at == d.due_at


@pytest.mark.parametrize("hour", [(9, 0), (16, 30), (17, 0)])
def test_a_new_return_date_in_office_hours_on_a_working_day_is_taken(ward, hour):
    d = _processing(ward)
    asked = dt.datetime(2026, 3, 9, *hour, tzinfo=TZ)  # Monday
    assert _apologise(ward, d, asked).due_at == asked
