"""The pilot's dashboards under a reused code: Phường Văn Miếu (00181, Quận Đống Đa) ended on
31 December 2024 and Phường Văn Miếu Quốc Tử Giám has held its code since 1 January 2025. A
period from 1 July 2024 has Văn Miếu in its scope (the scope of the period's first day): its
figures are its own rows, not those of the unit that took the code after it."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.monitoring.models import DossierRollup
from cqdt.testing import reference

pytestmark = pytest.mark.django_db

CODE = "00181"
TODAY = dt.datetime(2025, 12, 5, 9, tzinfo=dt.UTC)


def test_a_ward_s_figures_leave_out_the_rows_of_the_unit_that_took_its_code(
    client, django_user_model
):
    reference.units(history=True)
    # The rollups at month and year grain (as a refresh writes them): 3 received in September
    # 2024 by Văn Miếu, 5 in February 2025 by the unit that took the code.
    for day, n in ((dt.date(2024, 9, 1), 3), (dt.date(2025, 2, 1), 5)):
        for grain, first in (("month", day), ("year", day.replace(month=1))):
            DossierRollup.objects.create(
                grain=grain, unit_code=CODE, day=first, received=n, submitted=n
            )
    with time_machine.travel(TODAY, tick=False):
        user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
        client.force_login(user)
        answer = client.get(
            f"/api/v1/monitoring/units/{CODE}", {"from": "2024-07-01", "to": "2025-06-30"}
        )
    assert answer.status_code == 200, answer.content
    figures = answer.json()["figures"]
    # Văn Miếu Quốc Tử Giám's February 2025 dossiers are not Văn Miếu's (before: 8 received).
    assert (figures["received"], figures["submitted"]) == (3, 3)
    # Its backlog is told on its own last day, not with the next unit's 2025 dossiers (8).
    assert figures["backlog"] == 3


def test_a_unit_that_took_a_code_is_not_recorded_on_the_earlier_unit_s_rows(
    client, django_user_model
):
    """Phường Văn Miếu Quốc Tử Giám (00181 from 1 January 2025) recorded no dossier: its
    first half of 2025 has no count to give ('not recorded'), not 0 received on the evidence of
    Văn Miếu's 2024 dossiers."""
    reference.units(history=True)
    for grain, day in (("month", dt.date(2024, 9, 1)), ("year", dt.date(2024, 1, 1))):
        DossierRollup.objects.create(grain=grain, unit_code=CODE, day=day, received=3, submitted=3)
    with time_machine.travel(TODAY, tick=False):
        user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
        client.force_login(user)
        answer = client.get(
            f"/api/v1/monitoring/units/{CODE}", {"from": "2025-01-01", "to": "2025-06-30"}
        )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["unit"]["name"] == "Phường Văn Miếu Quốc Tử Giám"
    figures = body["figures"]
    assert figures["wards_recorded"] == 0
    assert figures["received"] is None
