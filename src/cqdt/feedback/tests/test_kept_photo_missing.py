"""A photo kept after a refused report (``core.pending_uploads``) whose content is gone from the
store was left out of the corrected send without a word: the report was filed without the photo
the form had shown as uploaded. Now the send is refused (422) with a sentence naming the photo on
the photos field (Vietnamese, English too) and nothing is filed."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from cqdt.feedback.models import Report
from cqdt.feedback.tests.test_kept_photos import send_corrected, send_refused

pytestmark = pytest.mark.django_db


def test_a_kept_photo_gone_from_the_store_is_said_and_no_report_is_filed(categories, media):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/feedback/new/")
    browser.defaults["HTTP_X_CSRFTOKEN"] = browser.cookies["csrftoken"].value
    assert send_refused(browser).status_code == 422
    _, names = default_storage.listdir("pending")
    (name,) = names
    default_storage.delete(f"pending/{name}")
    answer = send_corrected(browser)
    html = answer.content.decode()
    assert answer.status_code == 422, html[:500]
    assert 'id="id_photos_error"' in html
    assert "Tệp “via-he.jpg” đã tải lên trước đó không còn trong kho lưu trữ" in html
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    english = send_corrected(browser).content.decode()
    assert "The file “via-he.jpg” uploaded earlier is no longer in the" in english
    assert Report.objects.count() == 0
