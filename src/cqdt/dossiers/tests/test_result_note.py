"""The officer's note to the signer: written when submitting for signature, read by the leader.

Found by trying "Trình ký" on the dossier's page: the service and the API take a result note
(``result_note``), but the page's form had no field for it and no page showed it, so the leader
deciding to sign or to send back (``decline_signature``) saw nothing of what the officer proposed.
"""

import pytest
from django.test import Client

from cqdt.dossiers import workflow
from cqdt.dossiers.models import Dossier
from cqdt.testing import DossierFactory, logged_in

pytestmark = pytest.mark.django_db


def test_the_note_written_for_signature_reaches_the_signer(ward, frozen):
    d = DossierFactory(team=ward, status=workflow.PROCESSING)
    officer = logged_in(ward["user_justice"])
    page = officer.get(f"/staff/dossiers/{d.code}/").content.decode()
    form = page.split('value="submit_for_signature"', 1)[1].split("</form>", 1)[0]
    assert 'name="result_note"' in form
    note = "Đủ điều kiện cấp Giấy xác nhận tình trạng hôn nhân"
    body = {
        "action": "submit_for_signature",
        "version": d.version,
        "result_note": note,
        "csrfmiddlewaretoken": officer.cookies["csrftoken"].value,
    }
    assert officer.post(f"/staff/dossiers/{d.code}/", body).status_code == 302
    assert Dossier.objects.get(pk=d.pk).result_note == note
    chair = Client()
    chair.force_login(ward["user_chair"])
    assert note in chair.get(f"/staff/dossiers/{d.code}/").content.decode()
