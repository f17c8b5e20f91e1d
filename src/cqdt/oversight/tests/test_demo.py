"""The demo loader: nothing without the demo officials; with them, Ba Đình's oversight activity
through the services (audited, labelled demo), one ward flagged, idempotent."""

import datetime as dt

import pytest

from cqdt.authority import demo as staff_demo
from cqdt.core.audit import audit_verify
from cqdt.core.models import AuditEvent
from cqdt.oversight import demo, selectors
from cqdt.oversight.models import (
    CitizenReception,
    Commitment,
    Council,
    Deputy,
    DialogueConference,
    Petition,
    Question,
)
from cqdt.staff.models import Official
from cqdt.testing import reference, shared

pytestmark = pytest.mark.django_db

WARDS = ["00001", "00004", "00006", "00034"]
TODAY = dt.date(2026, 11, 26)


def _ba_dinh_loaded() -> demo.DemoReport:
    """The staff demo of ``WARDS`` on ``TODAY``, then the oversight demo on it: its report."""
    staff_demo.load(seed=1, wards=WARDS, today=TODAY)
    return demo.load(seed=1, today=TODAY)


# Loaded once for the module's tests that read it (a load is a second or more of services),
# each test on a copy (``cqdt.testing.shared``); a test that does not share loads its own.
_module_ba_dinh_loaded, ba_dinh_loaded = shared.world(
    "ba_dinh_loaded", _ba_dinh_loaded, on=reference.units, fresh="reference_data"
)


def test_without_the_demo_officials_nothing_is_loaded(reference_data):
    before = AuditEvent.objects.count()
    report = demo.load(seed=1, today=TODAY)
    assert report.skipped
    assert Council.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_the_demo_loads_ba_dinh_s_oversight_through_the_services(ba_dinh_loaded):
    report = ba_dinh_loaded
    assert not report.skipped
    assert report.refused == []
    assert report.councils == 2 and Council.objects.filter(is_demo=True).count() == 2
    deputy = Official.objects.get(user__username="daibieu.badinh")
    seats = Deputy.objects.filter(official=deputy)
    assert seats.count() == 2 and all("00001" in s.constituency for s in seats)
    assert Petition.objects.filter(is_demo=True).count() == report.petitions > 0
    assert report.answered > 0 and report.escalated > 0
    assert Petition.objects.filter(status="escalated").count() == report.escalated
    assert Question.objects.count() == report.questions == 3
    assert Commitment.objects.filter(status="done").exists()
    assert any(selectors.is_commitment_overdue(c, TODAY) for c in Commitment.objects.all())
    assert DialogueConference.objects.filter(is_demo=True).count() == report.conferences
    assert report.flagged == ["00034"]  # one conference only in 2025
    assert CitizenReception.objects.count() == report.receptions > 0
    assert audit_verify().ok
    # The deputy login sees the constituency's petitions, overdue first.
    visible = selectors.visible_unit_codes(deputy.user, TODAY)
    first = selectors.petitions(visible, on=TODAY).first()
    assert first is not None and selectors.is_petition_overdue(first, TODAY)
    assert {p.ward_code for p in selectors.petitions(visible, on=TODAY)} <= {
        "00001",
        "00004",
        "00006",
    }
    # A second load does nothing.
    events = AuditEvent.objects.count()
    assert demo.load(seed=1, today=TODAY).skipped
    assert AuditEvent.objects.count() == events


def test_an_early_demo_date_with_one_ward_loads_without_refusals(reference_data):
    staff_demo.load(seed=1, wards=["00001"], today=dt.date(2022, 6, 1))
    report = demo.load(seed=1, today=dt.date(2022, 6, 1))
    assert not report.skipped and report.refused == []
    assert report.flagged == []  # no whole year of the pilot behind it yet
    assert report.meetings and report.questions and report.conferences and report.receptions
    latest = DialogueConference.objects.order_by("-scheduled_at").first()
    assert latest.status == "announced"  # the next one, announced today


def test_the_demo_files_nothing_at_a_ward_after_it_ended(history_reference_data):
    """On the history world Phường Nguyễn Trung Trực (00010) ended on 1 January 2025 (the
    2023–2025 arrangement); the demo dated 30 June 2025 (what load_demo_data runs before the two-tier
    change) must not file its 2025 conferences, receptions or meetings at it, and so nothing is
    refused — the loader's output printed eleven refusals for 00010."""
    from cqdt.units import selectors as unit_selectors

    day = dt.date(2025, 6, 30)
    wards = ["00001", "00004", "00010"]
    assert not unit_selectors.units_on(day).filter(code="00010").exists()
    staff_demo.load(seed=1, wards=wards, today=day)
    report = demo.load(seed=1, today=day)
    assert not report.skipped
    assert report.refused == []
    # The demo district council ends with its district (30 June 2025), not a year after it.
    terms = Council.objects.filter(unit_code="001").values_list("term_start", "term_end")
    assert list(terms) == [(dt.date(2021, 7, 1), dt.date(2025, 6, 30))]
    for model in (CitizenReception, DialogueConference):
        late = model.objects.filter(ward_code="00010")
        assert not any(
            (getattr(x, "date", None) or x.scheduled_at.date()) >= dt.date(2025, 1, 1) for x in late
        )


def test_the_demo_s_deputies_are_named_family_name_first_without_a_form_of_address(
    ba_dinh_loaded,
):
    """Faker's vi_VN ``name()`` named deputies "Quý ông Châu Bùi", "Cô Hạnh Trần"."""
    from cqdt.core import citizen_names

    names = list(Deputy.objects.filter(official__isnull=True).values_list("full_name", flat=True))
    assert names
    for name in names:
        parts = name.split()
        assert parts[0] in citizen_names.FAMILY and len(parts) >= 3, name
