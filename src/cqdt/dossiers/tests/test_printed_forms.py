"""The one-stop forms printed (Circular 01/2018/TT-VPCP, Mẫu 01–04): each dated the day it was
issued, with the place and date line of Decree 30/2020/NĐ-CP, Appendix I.

Found by printing them as the desk does: every form carried the day it was printed ("Phường Phúc
Xá, ngày 04 tháng 03 năm 2026" on a receipt issued on 2 March and printed again on the 4th),
with the ward's name prefixed and a leading 0 on March.
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt.dossiers import services
from cqdt.testing import at, submit
from cqdt.testing.factories import WARD

pytestmark = pytest.mark.django_db


def _page(ward, code, form):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ward["user_desk"])
    response = browser.get(f"/staff/dossiers/{code}/form/{form}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_receipt_printed_again_keeps_the_day_of_receipt(ward):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
    with time_machine.travel(at(dt.date(2026, 3, 4), 10), tick=False):
        html = _page(ward, d.code, "01")
    assert "Phúc Xá, ngày 02 tháng 3 năm 2026" in html
    assert "Phường Phúc Xá, ngày" not in html and "04 tháng 03" not in html


def test_the_supplement_and_refusal_forms_carry_their_own_days(ward):
    from cqdt.core.audit import Actor

    desk = Actor.of(ward["user_desk"])
    with time_machine.travel(at(dt.date(2026, 1, 5)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 1, 5)), accept=False).dossier
        d = services.dossier_request_supplement(
            actor=desk,
            official=ward["desk"],
            code=d.code,
            version=d.version,
            reason="Bổ sung tờ khai",
        )
    with time_machine.travel(at(dt.date(2026, 1, 7)), tick=False):
        d = services.dossier_refuse(
            actor=desk, official=ward["desk"], code=d.code, version=d.version, reason="Không đủ"
        )
    with time_machine.travel(at(dt.date(2026, 3, 9)), tick=False):
        assert "Phúc Xá, ngày 05 tháng 01 năm 2026" in _page(ward, d.code, "02")
        assert "Phúc Xá, ngày 07 tháng 01 năm 2026" in _page(ward, d.code, "03")
    assert WARD == "00001"
