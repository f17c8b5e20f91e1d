"""Legal data corrections in the procedure catalog (issue 19, item 6), each with its source."""

import datetime as dt
import json

from cqdt.authority import acts
from cqdt.procedures.reference import CATALOG
from cqdt.workdays.calendar import TZ, Calendar

PROCEDURES = {p.get("code"): p for p in json.loads(CATALOG.read_text("utf-8"))["procedures"]}


def test_residence_registration_is_decided_by_the_commune_police():
    # Law on Residence 2020 (68/2020/QH14), Art. 22 (permanent) and Art. 28 (temporary): the
    # commune-level police decide; the act is one no committee official holds.
    for code in ("1.004222", "1.004194"):
        procedure = PROCEDURES[code]
        assert procedure["sign_act"] == "decide_residence"
        assert procedure["sign_act"] in acts.DECIDED_OUTSIDE_COMMITTEE
        assert "Luật Cư trú 2020" in procedure["legal_basis"]
    body_vi, _, source = acts.DECIDED_OUTSIDE_COMMITTEE["decide_residence"]
    assert body_vi == "Công an cấp xã" and "Điều 22" in source and "Điều 28" in source


def test_land_dispute_mediation_is_at_most_30_days_not_20_working_days():
    # Land Law 2024, Art. 235: mediation at the commune within 30 days of the request.
    procedure = PROCEDURES["1.012812"]
    assert (procedure["time_kind"], procedure["time_value"]) == ("calendar_days", 30)
    assert "Điều 235" in procedure["legal_basis"]


def test_a_period_in_days_ends_on_the_next_working_day_when_its_last_day_is_off():
    # Civil Code 2015 Art. 147–148: counted from the day after; a last day that is a holiday
    # or weekly rest day moves to the end of the next working day. 2 Aug 2025 + 30 days is
    # 1 Sep 2025, a National Day holiday (1–2 Sep 2025), so the period ends on 3 Sep 2025.
    calendar = Calendar.build(2024, 2026)
    received = dt.datetime(2025, 8, 2, 10, 0, tzinfo=TZ)
    due = calendar.due_for_calendar_days(received, 30)
    assert due.due_at.date() == dt.date(2025, 9, 3)
    plain = calendar.due_for_calendar_days(dt.datetime(2025, 3, 3, 9, tzinfo=TZ), 30)
    assert plain.due_at.date() == dt.date(2025, 4, 2)  # a Wednesday: 30 days, not 42
    # 20 working days from the same receipt would have run to 31 March: a different rule.
    assert calendar.due_for_working_days(
        dt.datetime(2025, 3, 3, 9, tzinfo=TZ), 20
    ).due_at.date() == dt.date(2025, 3, 31)
