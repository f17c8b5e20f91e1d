"""`make run`'s demo on the units in force on its dates (issue 19, item 7)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cqdt.core.models import AuditEvent
from cqdt.core.registry import reference_loaders
from cqdt.dossiers.models import Dossier
from cqdt.feedback import demo as feedback_demo
from cqdt.feedback.models import Report
from cqdt.feedback.workflow import OPEN
from cqdt.staff.models import Appointment
from cqdt.testing import log_in, login_page
from cqdt.units import reorganisation as reorg
from cqdt.units import selectors as unit_selectors
from cqdt.units.reference import reference_data_load

CHANGE = dt.date(2025, 7, 1)


# The default scale (0.02 of Hanoi's volume) with seed 2 gives each month some 9 dossiers at the
# ward, signed ones on both sides of 1 July 2025 and Phúc Xá's open work to move (seed 1 left
# none open at that scale, hence 0.05 before: 43 result documents rendered and signed, most of
# the module's time, against 15). The tests assert each of these exists, so a draw that lost one
# fails rather than passing on nothing.
DEMO = (
    "load_demo_data",
    *("--wards", "00001", "--today", "2026-12-04", "--scale", "0.02", "--seed", "2"),
)
TERMINAL = ("refused", "returned", "withdrawn", "cancelled")


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Hanoi to today and the demo of Phúc Xá loaded once by the command, for both tests of the
    module (a load takes seconds); what the command printed. Inside a transaction rolled back
    at the module's end, as Django's ``setUpTestData``: each test runs in its own savepoint.
    A tenth of the demo's month of feedback (300 reports) still leaves open reports at Phúc Xá
    to move on 1 July 2025; the month itself is the feedback demo's own test."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as patch,
    ):
        for cache in caches.all(initialized_only=True):
            cache.clear()  # nothing kept from the tests before (as each test starts)
        for loader in reference_loaders():
            loader.load()
        reference_data_load(history=True)
        patch.setattr(feedback_demo, "DEFAULT_MONTHLY", 30)
        out = io.StringIO()
        call_command(*DEMO, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo_output(_demo_loaded, db):
    """``load_demo_data --wards 00001 --today 2026-12-04 --scale 0.02 --seed 2`` run on Hanoi to
    today: what it printed."""
    return _demo_loaded


def test_demo_runs_on_the_units_in_force_on_its_dates_and_moves_open_work(demo_output, monkeypatch):
    monkeypatch.setattr(feedback_demo, "DEFAULT_MONTHLY", 30)  # as the first load had it
    dossiers = list(Dossier.objects.filter(is_demo=True))
    assert any(d.submitted_at.date() < CHANGE for d in dossiers)
    assert any(d.submitted_at.date() >= CHANGE for d in dossiers)
    # Phúc Xá had open work on 30 June 2025 (dossiers and reports) for the arrangement to move.
    assert any(
        timezone.localdate(d.submitted_at) < CHANGE and d.status not in TERMINAL for d in dossiers
    )
    assert Report.objects.filter(
        is_demo=True, submitted_at__date__lt=CHANGE, status__in=OPEN, unit_code="00097"
    ).exists()
    for d in dossiers:
        day = timezone.localdate(d.submitted_at)
        if day < CHANGE:
            assert d.code.startswith("H26.001.00001-")  # Phúc Xá's desk, Quận Ba Đình
        else:
            assert d.code.startswith("H26.01.00097-")  # Hồng Hà's own desk from 1 July 2025
            unit_selectors.unit_on(d.unit_code, day)  # in force that day
        # Open work of Phúc Xá went to Hồng Hà; nothing stays at a unit that ended.
        if d.status not in TERMINAL:
            assert d.unit_code == "00097"
    assert not Report.objects.filter(unit_code="00001", status__in=OPEN)
    # The new unit's leaders were elected by its own council; Phúc Xá's left with the ward.
    chair = Appointment.objects.get(unit_code="00097", post="chairman")
    assert chair.kind == "election" and chair.term_start == CHANGE
    assert not Appointment.objects.filter(
        unit_code="00001", post="chairman", ended_on__isnull=True
    ).exists()
    moves = AuditEvent.objects.filter(action__in=(reorg.ACTION_MOVE, reorg.ACTION_END)).count()
    assert moves > 0
    # Loading again adds nothing and moves nothing.
    call_command(*DEMO)
    assert Dossier.objects.filter(is_demo=True).count() == len(dossiers)
    assert AuditEvent.objects.filter(action__in=(reorg.ACTION_MOVE, reorg.ACTION_END)).count() == (
        moves
    )


def test_every_demo_login_the_command_prints_exists_and_signs_in(demo_output):
    # Found by trying `make run`: it printed motcua.hongha, a login never created (Phúc Xá's
    # one-stop officer moved to Hồng Hà on 1 July 2025 keeping the login motcua.phucxa).
    import re

    from django.contrib.auth import get_user_model

    text = demo_output
    table = text.split("Demo logins", 1)[1].split("Log in at", 1)[0].splitlines()[3:]
    printed = [re.split(r"\s{2,}", line.strip()) for line in table if line.strip()]
    assert len(printed) >= 5 and "chutich.hongha" in {row[0] for row in printed}
    # Phúc Xá's one-stop officer works at Hồng Hà since 1 July 2025: the row says where.
    units = {row[0]: row[3] for row in printed}
    assert units["motcua.phucxa"] == "Phường Hồng Hà (00097)", units
    users = get_user_model().objects
    with time_machine.travel(
        dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    ):
        for username, password, role, _unit in printed:
            user = users.filter(username=username).first()
            assert user is not None, f"{username} is printed but does not exist"
            assert user.check_password(password), username
            if "hết nhiệm kỳ" in role:
                continue  # printed with the note that its holder has no post today
            assert log_in(login_page(), username, password) == 302, f"{username} cannot sign in"


def test_the_demos_signed_results_are_in_the_outgoing_registers_in_the_order_signed(demo_output):
    """The demo signed its dossiers without the documents step: the outgoing register was empty
    and no signed dossier had its result document. Each signed demo dossier now has one, signed
    by whom and under the block the dossier was signed, numbered in its ward's register on the
    day it was signed, from 01 each year in the order of signing (Decree 30/2020/NĐ-CP, Art. 15),
    and headed by the ward as it was that day: Phúc Xá under Quận Ba Đình up to 30 June 2025,
    Hồng Hà alone from 1 July 2025 (Law 72/2025/QH15)."""
    from cqdt.documents.models import Document, DocumentStatus

    signed = list(Dossier.objects.filter(is_demo=True, signed_at__isnull=False))
    assert any(d.signed_at.date() < CHANGE for d in signed)
    assert any(d.signed_at.date() >= CHANGE for d in signed)
    for d in signed:
        (doc,) = Document.objects.filter(dossier=d)
        assert doc.status == DocumentStatus.SIGNED and doc.pdf
        assert (doc.signer_id, doc.signature_block) == (d.signed_by_id, d.signature_block)
        assert (doc.issued_at, doc.signed_at) == (d.signed_at, d.signed_at)
        if timezone.localdate(d.signed_at) < CHANGE:
            assert doc.unit_code == "00001"
            assert doc.issuing_body == ["UBND QUẬN BA ĐÌNH", "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ"]
        else:
            assert doc.issuing_body == ["ỦY BAN NHÂN DÂN PHƯỜNG HỒNG HÀ"]
    registers: dict[tuple, list] = {}
    for doc in Document.objects.order_by("issued_at", "id"):
        registers.setdefault((doc.unit_code, doc.year, doc.kind), []).append(doc.number)
    assert max(len(numbers) for numbers in registers.values()) > 1  # an order to check
    for numbers in registers.values():
        assert numbers == list(range(1, len(numbers) + 1))


def test_the_demo_chairman_signs_with_the_second_factor_the_command_prints(demo_output):
    """Signing asks for a second factor and the demo's leaders had none: nobody could try
    signing on the demo. The command prints a TOTP key for each demo login that signs today
    (demo only); with the code it gives, Hồng Hà's chairman verifies his session on the account
    security page and signs a dossier on its page, its result numbered in the register."""
    import re

    from cqdt.authority.demo.second_factor import totp_code
    from cqdt.core.audit import Actor
    from cqdt.documents.models import Document
    from cqdt.dossiers import services as dossier_services

    section = demo_output.split("Second factor of the demo leaders", 1)[1]
    keys = dict(re.findall(r"^(\S+)\s+([A-Z2-7]{16,})$", section, re.MULTILINE))
    assert set(keys) == {"chutich.hongha"}, keys  # Phúc Xá's and Ba Đình's leaders left office
    when = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with time_machine.travel(when, tick=False):
        d = Dossier.objects.filter(
            is_demo=True, unit_code="00097", status="processing", assigned_to__isnull=False
        ).first()
        assert d is not None
        d = dossier_services.dossier_submit_for_signature(
            actor=Actor.system("test"),
            official=d.assigned_to,
            code=d.code,
            version=d.version,
        )
        client = login_page()
        assert log_in(client, "chutich.hongha", "demo12345") == 302
        csrf = client.cookies["csrftoken"].value
        refused = client.post(
            f"/staff/dossiers/{d.code}/",
            {"action": "sign", "version": d.version, "csrfmiddlewaretoken": csrf},
        )
        assert "hai yếu tố" in refused.content.decode()  # without the code: refused
        verified = client.post(
            "/staff/account/security/",
            {
                "action": "verify",
                "code": totp_code(keys["chutich.hongha"]),
                "csrfmiddlewaretoken": csrf,
            },
        )
        assert verified.status_code == 200
        signed = client.post(
            f"/staff/dossiers/{d.code}/",
            {"action": "sign", "version": d.version, "csrfmiddlewaretoken": csrf},
        )
    assert signed.status_code == 302, signed.content.decode()[:2000]
    d.refresh_from_db()
    assert d.status == "signed"
    assert Document.objects.get(dossier=d).status == "signed"


def test_a_demo_result_documented_after_its_dossier_moved_is_the_ward_s_that_signed_it(
    demo_output,
):
    """A demo loaded before the documents step gains its result documents at the next load,
    after the arrangement of 1 July 2025 moved the pilot wards' open work: a Phúc Xá dossier
    signed in June 2025 and moved to Hồng Hà's desk (00097, Phường Tứ Liên's code then) is
    numbered in Phúc Xá's register and headed and worded as Phúc Xá's, as on its signing day."""
    from cqdt.documents import demo as documents_demo
    from cqdt.documents.models import Document
    from cqdt.testing import arranged

    d = Dossier.objects.filter(is_demo=True, unit_code="00001", signed_at__isnull=False).first()
    assert d is not None
    Document.objects.filter(dossier=d).delete()  # as before the documents step
    arranged(d, "00001", "00097", CHANGE)
    documents_demo.load()
    doc = Document.objects.get(dossier=d)
    assert doc.unit_code == "00001"
    assert doc.issuing_body == ["UBND QUẬN BA ĐÌNH", "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ"]
    assert "Ủy ban nhân dân phường Phúc Xá" in doc.body and "Tứ Liên" not in doc.body


def test_the_demo_has_hong_ha_s_own_council_and_its_deputy_sees_its_petitions(demo_output):
    """Found by trying the demo as today's users: no commune or ward of 1 July 2025 had a People's
    Council in it and the only deputy login sat on Quận Ba Đình's, which ended on 30 June 2025.
    Every commune and ward has its own council from then (Law 72/2025/QH15; Resolution
    1656/NQ-UBTVQH15): the demo registers Phường Hồng Hà's (00097), labelled demo, with the
    deputy of the printed login ``daibieu.hongha`` seated on it and a voter meeting whose petition
    went to the ward committee; the deputy signs in and opens the petitions page."""
    from cqdt.oversight.models import Council, Deputy, Petition, RoutedLevel

    councils = list(Council.objects.filter(unit_code="00097").order_by("term_start"))
    assert [(c.term_start, c.is_demo) for c in councils] == [
        (CHANGE, True),
        (dt.date(2026, 7, 1), True),
    ]
    assert all("(minh họa)" in c.name for c in councils)
    seat = Deputy.objects.get(council=councils[-1], official__user__username="daibieu.hongha")
    assert seat.is_demo and seat.constituency == ["00097"]
    (petition,) = Petition.objects.filter(meeting__council__unit_code="00097")
    assert petition.is_demo and petition.routed_level == RoutedLevel.WARD
    assert petition.meeting.held_at.date() > CHANGE
    row = next(line for line in demo_output.splitlines() if line.startswith("daibieu.hongha"))
    assert "Đại biểu HĐND phường" in row and "demo12345" in row and "(00097)" in row, row
    when = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with time_machine.travel(when, tick=False):
        client = login_page()
        assert log_in(client, "daibieu.hongha", "demo12345") == 302
        page = client.get("/staff/oversight/petitions/")
    assert page.status_code == 200
    assert petition.content in page.content.decode()
    # Loading again adds no council.
    call_command(*DEMO, stdout=io.StringIO())
    assert Council.objects.filter(unit_code="00097").count() == 2
