"""A move refused on the dossier's page keeps what the officer typed in that move's form and says
the error there, next to the field at fault.

Found by trying an apology (Mẫu 04) without its new date: the page said "Ngày hẹn mới không hợp
lệ." at its top and every form came back empty, the reason typed to be typed again.
"""

import pytest

from cqdt.dossiers import workflow
from cqdt.dossiers.models import Apology
from cqdt.testing import DossierFactory, logged_in

pytestmark = pytest.mark.django_db


def test_a_refused_apology_keeps_its_reason_and_names_the_date(ward, frozen):
    d = DossierFactory(team=ward, status=workflow.PROCESSING)
    browser = logged_in(ward["user_justice"])
    browser.get(f"/staff/dossiers/{d.code}/")
    body = {
        "action": "apologise",
        "version": d.version,
        "reason": "Chờ xác minh tại nơi đăng ký trước",
        "new_due_at": "",
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
    }
    response = browser.post(f"/staff/dossiers/{d.code}/", body)
    assert response.status_code == 422
    html = response.content.decode()
    form = html.split('value="apologise"', 1)[1].split("</form>", 1)[0]
    assert 'value="Chờ xác minh tại nơi đăng ký trước"' in form
    assert "hãy chọn ngày và giờ hẹn trả kết quả mới" in form
    assert 'name="new_due_at" required value="" aria-invalid="true"' in form
    # The other moves' forms stay empty.
    other = html.split('value="request_supplement"', 1)[1].split("</form>", 1)[0]
    assert "Chờ xác minh" not in other
    assert not Apology.objects.exists()
