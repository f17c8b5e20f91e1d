"""'Voter petitions overdue now' (``petitions_overdue_now``) is a live count at a unit's desk, as
the dossiers' 'overdue now' is (2bb9540): a unit that has ended with nothing left at its desk has
none that applies — null, with a note (vi, en) — not 0; the petitions an arrangement handed over
count at the unit answering them (Resolution 1656/NQ-UBTVQH15, Art. 2; ``oversight.reorganisation``),
not at the ward they were raised in; codes are reused (00181: Phường Văn Miếu until 31 December
2024, Phường Văn Miếu Quốc Tử Giám from 1 January 2025)."""

import datetime as dt

import pytest
import time_machine
from django.apps import apps

from cqdt import testing
from cqdt.monitoring.tests.voter_petitions import voter_petition
from cqdt.testing import reference

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("cqdt.oversight"), reason="the oversight app is not installed"
    ),
]

LATER = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
VAN_MIEU, PHUC_XA, HONG_HA = "00181", "00001", "00097"


def _petition(ward, district, day, *, answered=None):
    """A petition raised in ``ward`` at a voter meeting of ``district``'s council on ``day``,
    routed to the ward, due 30 days later; answered on ``answered`` if given."""
    return voter_petition(ward, district, day, answered=answered)


def _hand_over(petition, target, on):
    """The arrangement of ``on`` hands ``petition`` to ``target``'s committee (as
    ``oversight.reorganisation`` does: the petition's answering unit and the move's audit)."""
    from django.db import transaction

    from cqdt.core.audit import Actor, audit_record
    from cqdt.oversight.models import Petition
    from cqdt.units.selectors import REORGANISATION_MOVE

    with transaction.atomic():
        before = petition.routed_unit_code
        Petition.objects.filter(pk=petition.pk).update(routed_unit_code=target)
        audit_record(
            actor=Actor.system("reorganise"),
            action=REORGANISATION_MOVE,
            object_type="oversight.petition",
            object_id=str(petition.public_id),
            before={"routed_unit_code": before},
            after={"routed_unit_code": target, "effective_on": on.isoformat()},
        )


@pytest.fixture
def petitions_world(db):
    """Văn Miếu's petition of September 2024, open and never moved; its petition of December
    2024, open, handed on 1 January 2025 to Văn Miếu Quốc Tử Giám (the same code), which
    answered its own of February 2025. Phúc Xá's of
    May 2025, answered, and of June 2025, open, handed to Phường Hồng Hà on 1 July 2025."""
    reference.units(history=True)
    D = dt.date
    _petition(VAN_MIEU, "006", D(2024, 9, 10))
    _hand_over(_petition(VAN_MIEU, "006", D(2024, 12, 2)), VAN_MIEU, D(2025, 1, 1))
    _petition(VAN_MIEU, "006", D(2025, 2, 10), answered=D(2025, 2, 20))
    _petition(PHUC_XA, "001", D(2025, 5, 5), answered=D(2025, 5, 20))
    _hand_over(_petition(PHUC_XA, "001", D(2025, 6, 10)), HONG_HA, D(2025, 7, 1))


def _answer(api, code, start, end):
    answer = api.get(f"/api/v1/monitoring/units/{code}", {"from": start, "to": end})
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_an_ended_ward_s_petitions_overdue_now_does_not_apply_and_handed_ones_count_at_the_heir(
    petitions_world, django_user_model
):
    """Read in December 2026. Phúc Xá ended on 30 June 2025: its open petition was handed to
    Hồng Hà, so nothing is left at its desk — null, with a note, not the 1 counted at the ward
    it was raised in (nor the 0 of an ended unit); Quận Ba Đình's, all of whose wards ended, is
    null too. Văn Miếu (ended 31 December 2024) left one at its desk, never moved: 1. Văn Miếu
    Quốc Tử Giám answers the one handed to it on 1 January 2025, raised before its days: 1."""
    user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
    api = testing.bearer_client(user)
    with time_machine.travel(LATER, tick=False):
        phuc_xa = _answer(api, PHUC_XA, "2024-07-01", "2025-06-30")
        ba_dinh = _answer(api, "001", "2024-07-01", "2025-06-30")
        van_mieu = _answer(api, VAN_MIEU, "2024-07-01", "2024-12-31")
        successor = _answer(api, VAN_MIEU, "2025-01-01", "2025-06-30")
    assert phuc_xa["figures"]["petitions_received"] == 2
    assert phuc_xa["figures"]["petitions_overdue_now"] is None
    assert phuc_xa["petitions_overdue_note"]["vi"] == (
        "Phường Phúc Xá đã kết thúc ngày 30/06/2025; kiến nghị cử tri chưa được trả lời của đơn "
        "vị đã chuyển sang các đơn vị tiếp nhận, nên “Kiến nghị cử tri đang quá hạn trả "
        "lời” (số liệu tại thời điểm xem) không áp dụng (—), không phải 0."
    )
    assert phuc_xa["petitions_overdue_note"]["en"].startswith(
        "Phường Phúc Xá ended on 30/06/2025; its unanswered voter petitions moved"
    )
    assert ba_dinh["figures"]["petitions_overdue_now"] is None
    assert "phường thí điểm của Quận Ba Đình" in ba_dinh["petitions_overdue_note"]["vi"]
    assert van_mieu["unit"]["name"] == "Phường Văn Miếu"
    assert van_mieu["figures"]["petitions_overdue_now"] == 1  # its September one, left there
    assert van_mieu["petitions_overdue_note"] is None
    assert successor["unit"]["name"] == "Phường Văn Miếu Quốc Tử Giám"
    assert successor["figures"]["petitions_received"] == 1  # its own of February, answered
    assert successor["figures"]["petitions_overdue_now"] == 1  # the one handed to it
    assert van_mieu["figures"]["petitions_received"] == 2


def test_petitions_overdue_now_of_a_ward_in_force_is_a_real_count(
    petitions_world, django_user_model
):
    """Read on 20 June 2025, while Phúc Xá was in force: its June petition is not yet due
    (10 July), so 0 — a real 0, with no note."""
    user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
    api = testing.bearer_client(user)
    with time_machine.travel(dt.datetime(2025, 6, 20, 9, tzinfo=dt.UTC), tick=False):
        current = _answer(api, PHUC_XA, "2025-06-01", "2025-06-30")
    assert current["figures"]["petitions_overdue_now"] == 0
    assert current["petitions_overdue_note"] is None
    assert current["overdue_note"] is None
