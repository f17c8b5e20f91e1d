"""A lost lookup code (QA Q19 of 7 December): the code is shown once at submission, and a citizen
who lost it could never follow the dossier again. "Quên mã tra cứu?" on the lookup page takes the
dossier's code and the phone number given at submission, sends a new code to that number by SMS
(the old one stops working) and says the same whatever was typed: no oracle for codes or numbers.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from cqdt.core.errors import NotFound
from cqdt.core.models import OutboxMessage
from cqdt.dossiers import services
from cqdt.dossiers.models import Dossier, DossierEvent
from cqdt.dossiers.tests.conftest import at, submit

pytestmark = pytest.mark.django_db
PHONE = "0912345678"
SAID = "Nếu số điện thoại khớp với số đã khai khi nộp hồ sơ, mã tra cứu mới đã được gửi"


def _submitted(ward):
    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    Dossier.objects.filter(pk=result.dossier.pk).update(applicant_phone=PHONE)
    return result.dossier.code, result.secret


def _ask(code: str, phone: str) -> str:
    page = Client().post("/lookup/new-code/", {"code": code, "phone": phone})
    assert page.status_code == 200
    return page.content.decode()


def test_the_lookup_page_offers_a_new_code(client):
    assert 'href="/lookup/new-code/"' in client.get("/lookup/").content.decode()
    assert client.get("/lookup/new-code/").status_code == 200


def test_a_new_code_goes_to_the_phone_on_file_and_the_old_one_stops(ward):
    code, old = _submitted(ward)
    OutboxMessage.objects.all().delete()
    assert SAID in _ask(code.lower(), "+84 912 345 678")  # as typed: case, spaces, +84
    [sms] = OutboxMessage.objects.filter(channel="sms")
    assert sms.recipient == PHONE and code in sms.body
    new = re.search(r"Mã tra cứu mới của hồ sơ \S+: (\S+) ", sms.body).group(1)
    assert services.public_dossier(code, new).code == code
    with pytest.raises(NotFound):
        services.public_dossier(code, old)
    event = DossierEvent.objects.filter(dossier__code=code, action="renew_lookup_code").get()
    assert new not in event.public_note  # the code travels only in the SMS


def test_a_wrong_number_or_code_is_told_the_same_and_changes_nothing(ward):
    code, old = _submitted(ward)
    OutboxMessage.objects.all().delete()
    for typed_code, phone in ((code, "0987654321"), ("H26.99.99999-260302-0001", PHONE)):
        assert SAID in _ask(typed_code, phone)
    assert not OutboxMessage.objects.exists()
    assert services.public_dossier(code, old).code == code


def test_a_second_request_in_a_row_sends_no_second_code(ward):
    """Review R10: each new code ends the working one and sends an SMS; a dossier gets at most
    one a quarter hour (and three a day), whoever asks."""
    code, _old = _submitted(ward)
    OutboxMessage.objects.all().delete()
    assert SAID in _ask(code, PHONE) and SAID in _ask(code, PHONE)
    [sms] = OutboxMessage.objects.filter(channel="sms")
    new = re.search(r"Mã tra cứu mới của hồ sơ \S+: (\S+) ", sms.body).group(1)
    assert services.public_dossier(code, new).code == code  # the second did not replace it
