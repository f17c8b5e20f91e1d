"""An appointment is judged by the governance model in force as its own transaction sees it, not
by a row another request of the process has kept (core.refcache). Found in review: d07454a read
the unit and its model through the process cache; a model changed earlier in the same
transaction, then re-kept by another thread from the committed row before the commit, let a
ward chairman be appointed by the district chairman (the pilot's rule: Resolution 97/2019/QH14,
Decree 32/2021/NĐ-CP) under a model with a People's Council, whose chairman the council elects.
Reference rows may be kept a moment for reads; a write reads what its transaction sees."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from cqdt.authority.selectors import _UnitDay
from cqdt.core import refcache
from cqdt.core.audit import Actor
from cqdt.core.errors import RuleViolation
from cqdt.staff import posts, services
from cqdt.staff.models import AppointmentKind
from cqdt.testing import reference, teams
from cqdt.units.models import GovernanceAssignment, GovernanceModel
from cqdt.units.selectors import valid_on_q

WARD, DISTRICT, TERM = "00001", "001", dt.date(2021, 7, 1)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]


def _another_request_reads_the_unit() -> None:
    """What a concurrent request of the same process does: the signing grid's or an authority
    check's read of the ward's day, kept in the process cache (from the committed rows)."""

    def run() -> None:
        try:
            _UnitDay.read(WARD, TERM)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_model_changed_in_the_same_transaction_decides_the_appointment(settings):
    reference.units()
    district_chair = teams.district_chairman(DISTRICT)
    person = teams.official()
    settings.CQDT_REFERENCE_CACHE_SECONDS = 2.0  # production's: kept a moment per process
    refcache.clear()
    pilot = GovernanceAssignment.objects.filter(valid_on_q(TERM), unit_code=WARD).get()
    assert pilot.model.has_people_council is False
    standard = GovernanceModel.objects.filter(has_people_council=True).first()
    assert standard is not None
    with transaction.atomic():
        pilot.model = standard
        pilot.save()
        _another_request_reads_the_unit()
        with pytest.raises(RuleViolation) as refused:
            services.appointment_create(
                actor=Actor.system("test"),
                official=person,
                unit_code=WARD,
                post=posts.CHAIRMAN,
                decision_number="1/QĐ-UBND",
                decision_date=TERM,
                term_start=TERM,
                deciding_official=district_chair,
                deciding_unit_code=DISTRICT,
                kind=AppointmentKind.APPOINTMENT,
            )
        transaction.set_rollback(True)
    assert refused.value.field == "kind"
