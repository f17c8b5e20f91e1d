"""A paper missing at the counter: the desk records the dossier and issues the supplement request
(Mẫu 02), then takes in the paper and accepts (Mẫu 01) — Decree 61/2018/NĐ-CP Art. 19(2).

Found by trying the counter as a desk officer: the intake refused any dossier lacking a required
paper, accepted or not, so the desk could never record it to print Mẫu 02 for it; and the page's
"Nhận hồ sơ bổ sung" had no way to say which paper came.
"""

import pytest

from cqdt.core.models import AuditEvent
from cqdt.dossiers import workflow
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import APPLICANT_FORM, MARITAL, travel
from cqdt.testing import staff_browser

pytestmark = pytest.mark.django_db

COUNTER = "/staff/dossiers/counter/"
FORM = APPLICANT_FORM | {"procedure": MARITAL, "channel": "counter", "submit_intake": "1"}


def act(browser, token, d, action, **fields):
    d.refresh_from_db()
    body = {"action": action, "version": d.version, "csrfmiddlewaretoken": token} | fields
    return browser.post(f"/staff/dossiers/{d.code}/", body)


@travel
def test_accepting_at_once_without_a_required_paper_says_how_to_ask_for_it(ward):
    browser, token = staff_browser(ward["user_desk"], COUNTER)
    response = browser.post(
        COUNTER, FORM | {"accept_now": "on", "documents": [], "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Thiếu giấy tờ bắt buộc: Tờ khai" in html
    assert "Mẫu 02" in html  # what to do: record it and ask for the paper
    assert Dossier.objects.count() == 0


@travel
def test_a_missing_paper_is_recorded_asked_for_on_form_02_then_taken_in_and_accepted(ward):
    browser, token = staff_browser(ward["user_desk"], COUNTER)
    recorded = browser.post(COUNTER, FORM | {"documents": [], "csrfmiddlewaretoken": token})
    assert recorded.status_code == 302, recorded.content.decode()[:2000]
    d = Dossier.objects.get()
    assert (d.status, d.documents, d.due_at) == (workflow.SUBMITTED, [], None)
    page = browser.get(f"/staff/dossiers/{d.code}/").content.decode()
    assert "Còn thiếu giấy tờ bắt buộc: Tờ khai" in page

    # Accepting it as it stands is refused, nothing written, and the page says what to do.
    audits = AuditEvent.objects.count()
    refused = act(browser, token, d, "accept")
    assert refused.status_code == 422
    assert "Mẫu 02" in refused.content.decode()
    d.refresh_from_db()
    assert d.status == workflow.SUBMITTED and AuditEvent.objects.count() == audits

    asked = act(browser, token, d, "request_supplement", reason="Bổ sung tờ khai theo mẫu")
    assert asked.status_code == 302
    form02 = browser.get(f"/staff/dossiers/{d.code}/form/02/").content.decode()
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in form02
    assert "Bổ sung tờ khai theo mẫu" in form02

    # The page offers the missing paper to tick when the applicant brings it.
    page = browser.get(f"/staff/dossiers/{d.code}/").content.decode()
    assert 'name="documents" value="to_khai"' in page
    back = act(browser, token, d, "resubmit", documents=["to_khai"])
    assert back.status_code == 302
    d.refresh_from_db()
    assert (d.status, d.documents) == (workflow.SUBMITTED, ["to_khai"])

    accepted = act(browser, token, d, "accept")
    assert accepted.status_code == 302
    d.refresh_from_db()
    assert d.status == workflow.ACCEPTED and d.due_at is not None


@travel
def test_online_intake_still_needs_every_required_paper(ward):
    from cqdt.core.audit import Actor
    from cqdt.core.errors import InvalidInput
    from cqdt.dossiers import services
    from cqdt.testing.factories import APPLICANT_FIELDS

    with pytest.raises(InvalidInput) as exc:
        services.dossier_submit(
            actor=Actor.system("test"),
            unit_code="00001",
            procedure_slug="xac-nhan-tinh-trang-hon-nhan",
            channel="online",
            applicant=services.ApplicantIn(**APPLICANT_FIELDS),
            documents=[],
        )
    assert exc.value.code == "missing_documents"
