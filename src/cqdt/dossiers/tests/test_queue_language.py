"""The queue's status filter speaks the page's language.

Found by trying the queue in English: the table said "Assigned", "Processing", but the status
filter offered "Mới nộp, chờ tiếp nhận", "Đã chuyển xử lý"… (always the Vietnamese labels).
"""

import pytest

from cqdt.dossiers import workflow
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_status_filter_is_in_the_page_language(ward, language):
    browser = logged_in(ward["user_desk"])
    html = browser.get("/staff/dossiers/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    select = html.split('id="q-status"', 1)[1].split("</select>", 1)[0]
    vi, en = workflow.STATE_LABELS[workflow.SUPPLEMENT]
    wanted, other = (en, vi) if language == "en" else (vi, en)
    assert f'value="{workflow.SUPPLEMENT}">{wanted}</option>' in select
    assert other not in select
