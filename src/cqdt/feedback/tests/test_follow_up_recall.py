"""Back to the follow-up form or a close/reopen form answered with errors: the history entry
becomes a GET (``?again=1``, ``core.form_recall``, docs/decisions/0022) that shows the form
again; the follow-up secret is in no URL and never kept for it (the report's page takes it from
``core.lookup_session``). Posted as a browser would, CSRF enforced."""

import pytest

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import drive, submit
from cqdt.testing import csrf_browser, history_url, stored_session

pytestmark = pytest.mark.django_db
MISS = "Không tìm thấy phản ánh với mã phản ánh và mã theo dõi này."
COMMENT = "Hàng quán vẫn bày ra vỉa hè buổi tối"


def _resolved(wards):
    submitted = submit()
    drive(wards["a"], submitted.report.code, to="resolved")
    return submitted.report.code, submitted.secret


def test_a_follow_up_that_missed_is_shown_again_without_its_secret(wards, frozen):
    code, secret = _resolved(wards)
    client, token = csrf_browser("/feedback/follow-up/")
    missed = client.post(
        "/feedback/follow-up/", {"code": code, "secret": "SAI-SAI", "csrfmiddlewaretoken": token}
    )
    assert missed.status_code == 404
    again = history_url(missed.content.decode())
    assert again == "/feedback/follow-up/?again=1"
    assert "SAI-SAI" not in stored_session(client)
    shown = client.get(again)
    html = shown.content.decode()
    assert shown.status_code == 404 and MISS in html and f'value="{code}"' in html
    assert "SAI-SAI" not in html and secret not in html


def test_a_close_without_a_score_is_shown_again_on_the_report_page(wards, frozen):
    code, secret = _resolved(wards)
    client, token = csrf_browser("/feedback/follow-up/")
    client.post(
        "/feedback/follow-up/", {"code": code, "secret": secret, "csrfmiddlewaretoken": token}
    )
    page = f"/feedback/follow-up/{code}/"
    closed = client.post(
        f"{page}close/", {"secret": secret, "comment": COMMENT, "csrfmiddlewaretoken": token}
    )
    assert closed.status_code == 422  # no satisfaction chosen
    again = history_url(closed.content.decode())
    assert again == f"{page}?again=1"  # close/ takes POSTs only
    assert stored_session(client).count(secret) == 1  # the lookup's own store only

    shown = client.get(again)
    assert shown.status_code == 422
    html = shown.content.decode()
    assert 'id="report-status"' in html and COMMENT in html
    assert 'id="close_satisfaction_error"' in html
    assert f'name="secret" value="{secret}"' in html

    done = client.post(
        f"{page}close/", {"secret": secret, "satisfaction": 4, "csrfmiddlewaretoken": token}
    )
    assert done.status_code == 302 and Report.objects.get(code=code).satisfaction == 4
    assert COMMENT not in stored_session(client)
    back = client.get(again)
    assert back.status_code == 200 and COMMENT not in back.content.decode()


def test_the_report_page_with_its_close_and_reopen_forms_has_each_id_once(wards, frozen):
    """The lookup form, the close form and the reopen form each carried id="id_secret" (and the
    close form's comment stood beside the lookup's): a label or a screen reader's jump lands on
    the first. Found on a resolved report's page."""
    import collections
    import re

    code, secret = _resolved(wards)
    client, token = csrf_browser("/feedback/follow-up/")
    client.post(
        "/feedback/follow-up/", {"code": code, "secret": secret, "csrfmiddlewaretoken": token}
    )
    html = client.get(f"/feedback/follow-up/{code}/").content.decode()
    assert 'name="satisfaction"' in html and 'name="reason"' in html
    ids = collections.Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
