"""The leader may decline to sign a draft result and send it back to its officer with the reason.

Found by trying the signing tray as the ward chairman: a dossier awaiting signature offered only
"Ký kết quả", withdrawal and cancellation — a chairman who did not approve the draft could sign
it or end the dossier, never send it back to be put right.
"""

import pytest

from cqdt.core.models import AuditEvent
from cqdt.dossiers import workflow
from cqdt.dossiers.models import Dossier
from cqdt.testing import DossierFactory, staff_browser

pytestmark = pytest.mark.django_db
QUEUE = "/staff/dossiers/"


def decline(user, d, reason):
    browser, token = staff_browser(user, QUEUE)
    d.refresh_from_db()
    body = {
        "action": "decline_signature",
        "version": d.version,
        "reason": reason,
        "csrfmiddlewaretoken": token,
    }
    return browser.post(f"/staff/dossiers/{d.code}/", body)


def test_the_chairman_sends_the_draft_back_with_the_reason(ward, frozen):
    d = DossierFactory(team=ward, status=workflow.AWAITING_SIGNATURE)
    browser, _ = staff_browser(ward["user_chair"], QUEUE)
    page = browser.get(f"/staff/dossiers/{d.code}/").content.decode()
    assert 'value="decline_signature"' in page
    response = decline(ward["user_chair"], d, "Sai họ tên người yêu cầu trong dự thảo")
    assert response.status_code == 302
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == workflow.PROCESSING and d.signed_by is None
    event = d.events.get(action="decline_signature")
    assert event.data["reason"] == "Sai họ tên người yêu cầu trong dự thảo"
    assert "Sai họ tên" not in event.public_note  # for the officer, not the applicant
    assert AuditEvent.objects.filter(object_id=d.code, action__contains="decline").exists()
    # The officer reads the reason on the dossier's page.
    officer, _ = staff_browser(ward["user_justice"], QUEUE)
    assert "Sai họ tên người yêu cầu" in officer.get(f"/staff/dossiers/{d.code}/").content.decode()


def test_only_who_may_sign_declines_and_a_reason_is_needed(ward, frozen):
    d = DossierFactory(team=ward, status=workflow.AWAITING_SIGNATURE)
    version = d.version
    no_reason = decline(ward["user_chair"], d, "  ")
    assert no_reason.status_code in (400, 422)
    by_desk = decline(ward["user_desk"], d, "Không đồng ý")
    assert by_desk.status_code == 403
    d.refresh_from_db()
    assert (d.status, d.version) == (workflow.AWAITING_SIGNATURE, version)
