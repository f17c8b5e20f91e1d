"""A ward with its desk, leaders and staff, and two procedures, built through the services.

Also the helpers the dossier tests share: Hanoi moments (``at``), intake and driving a dossier
along the main path through the services (``submit``, ``drive``), a second ward, a city monitor,
and ``counts`` of what a refused request must not have written.

The leaders' 5-year terms run from 1 July 2021 to 30 June 2026, so tests that involve them
travel to a day inside the term (February–March 2026: Tết 2026 is Sat 14 – Sun 22 Feb).
"""

import copy
import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db.models import Sum

from cqdt import testing
from cqdt.core.models import AuditEvent, OutboxMessage
from cqdt.core.notify import MemorySender
from cqdt.dossiers import services, workflow
from cqdt.dossiers.models import DailySequence, Dossier, DossierEvent
from cqdt.testing import SYSTEM, TERM, ProcedureFactory, at, drive, reference, submit
from cqdt.testing.factories import APPLICANT_FIELDS, COPY, DISTRICT, MARITAL, TZ, WARD
from cqdt.testing.shared import module_world, shared_world

__all__ = ["COPY", "MARITAL", "SYSTEM", "TERM", "TZ", "WARD", "at", "drive", "submit"]

WARD_B = "00004"  # Phường Trúc Bạch, Quận Ba Đình
ID_NUMBER = APPLICANT_FIELDS["id_number"]
APPLICANT = services.ApplicantIn(**APPLICANT_FIELDS)
# The web forms' tests send on a working morning inside the leaders' terms: Monday 2 March 2026,
# 9:00 in Hanoi (``travel`` freezes the clock there).
FORM_MORNING = at(dt.date(2026, 3, 2))
travel = time_machine.travel(FORM_MORNING, tick=False)
# The applicant's part of the submit form (online and at the counter), as a browser posts it.
APPLICANT_FORM = {
    "unit": WARD,
    "applicant_kind": "person",
    "applicant_name": "Lê Văn C",
    "applicant_id_number": "001190012345",
    "applicant_phone": "0912345678",
}
# Distinct names, so that a test can look for any of them in a response.
NAMES = {
    "district_chair": "Phạm Quốc Huy",
    "chair": "Lê Minh Chính",
    "vice": "Đỗ Thu Phương",
    "desk": "Hoàng Thị Mai",
    "justice": "Vũ Đức Tường",
}


def submit_online(client, url, body):
    """The online form posted, then "Gửi hồ sơ" on the check-answers page it leads to: the
    final answer (the form's own when it refused, else the check page's POST)."""
    response = client.post(url, body)
    if response.status_code != 302 or not response["Location"].endswith("/submit/check/"):
        return response
    return client.post(response["Location"])


@pytest.fixture(autouse=True)
def _fresh_cache_and_mailbox():
    """Rate-limit counters (keyed by client and minute) and sent mail do not leak between tests."""
    cache.clear()
    MemorySender.sent.clear()
    yield
    cache.clear()
    MemorySender.sent.clear()


@pytest.fixture
def frozen():
    """Time stands still on Monday 2 March 2026, 09:00 in Hanoi, until the test moves it."""
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False) as traveller:
        yield traveller


def counts() -> dict:
    """What a refused request must leave as it was."""
    return {
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
        "sequence": DailySequence.objects.aggregate(s=Sum("last_value"))["s"] or 0,
        "audit": AuditEvent.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


MAIN_PATH = (
    workflow.ACCEPTED,
    workflow.ASSIGNED,
    workflow.PROCESSING,
    workflow.AWAITING_SIGNATURE,
    workflow.SIGNED,
    workflow.RETURNED,
)


def _procedures() -> dict:
    return {"marital": ProcedureFactory(marital=True), "copy": ProcedureFactory(copy=True)}


def _ward() -> dict:
    district_chair = testing.district_chairman(DISTRICT, "T-DC", name=NAMES["district_chair"])
    people = {"district_chair": district_chair}
    people.update(testing.ward_team(WARD, DISTRICT, district_chair, "T", names=NAMES))
    return testing.with_logins(people)


WARD_WORLD = shared_world("ward")


@pytest.fixture(scope="module")
def _module_ward(request, django_db_setup, django_db_blocker):
    """The reference data, ``procedures`` and ``ward`` built once for the module's tests that
    ask for ``ward`` and neither load reference data themselves nor commit, inside a transaction
    rolled back after the last of them (``cqdt.testing.shared``); each test adds a savepoint.
    A ward is about half a second of services (six appointments, five logins)."""

    def build():
        reference.units()
        reference.one_stop()
        return _procedures(), _ward()

    with module_world(request, WARD_WORLD, django_db_blocker, build) as kept:
        yield kept


def _kept_ward(module_ward):
    return module_ward.get() if module_ward is not None else None


@pytest.fixture
def procedures(request, _module_ward):
    """The kit's marital-status and certified-copy procedures (the module's copy when shared)."""
    kept = _kept_ward(_module_ward)
    if kept is not None:
        request.getfixturevalue("db")
        return copy.deepcopy(kept[0])
    request.getfixturevalue("one_stop_reference")
    return _procedures()


@pytest.fixture
def ward(procedures, _module_ward):
    """District chairman, ward chairman, a vice-chairman, a desk officer and a justice officer
    (the module's, copied, when shared: in-memory changes do not leak between tests)."""
    kept = _kept_ward(_module_ward)
    if kept is not None:
        return copy.deepcopy(kept[1])
    return _ward()


@pytest.fixture
def ward_b(ward, django_user_model):
    """A second ward of the same district (Trúc Bạch) with its own chairman and desk officer."""
    names = {"chair": "Ngô Văn Bảo", "desk": "Trịnh Thị Bình"}
    team = testing.ward_team(
        WARD_B, DISTRICT, ward["district_chair"], "B", names=names, keys=("chair", "desk")
    )
    return testing.with_logins(team, prefix="b")


@pytest.fixture
def monitor(ward, django_user_model):
    """A Department of Home Affairs officer monitoring the city (sees all, no personal data)."""
    return testing.with_logins({"monitor": testing.city_monitor("T-SNV", "Lý Thị Giám")}, "m")
