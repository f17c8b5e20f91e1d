"""Lookups by POST in Chromium (issue 13): the secret is typed into a form that posts; it is in
no URL the browser asked for (the server's request history as the browser sent it, redirects
included), not in the address bar, and a reload of the result page still works."""

import pytest
from going_back import back_from_elsewhere  # e2e/ is on the path

from cqdt.dossiers.reference import desks_load
from cqdt.testing import ProcedureFactory, reference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def dossier(transactional_db):
    from cqdt.core.audit import Actor
    from cqdt.dossiers import services
    from cqdt.dossiers.models import Channel

    reference.units()
    desks_load()
    ProcedureFactory(marital=True, required_documents=[])
    return services.dossier_submit(
        actor=Actor.system("online"),
        unit_code="00001",
        procedure_slug="xac-nhan-tinh-trang-hon-nhan",
        channel=Channel.ONLINE,
        applicant=services.ApplicantIn(kind="person", name="Phạm Thị D", id_number="001190054321"),
        documents=[],
        note="",
    )


@pytest.mark.parametrize("size", SIZES)
def test_lookup_by_code_and_secret_keeps_the_secret_out_of_every_url(
    window, live_server, dossier, size
):
    code, secret = dossier.dossier.code, dossier.secret
    page = window(**SIZES[size])
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("response", lambda response: asked.append(response.headers.get("location", "")))
    page.goto(f"{live_server.url}/lookup/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    assert page.locator("#dossier-status").inner_text() == "Mới nộp, chờ tiếp nhận"
    assert page.url == f"{live_server.url}/lookup/{code}/"
    page.reload()  # the result page is a GET: a reload shows it again, nothing re-posted
    assert page.locator("#dossier-status").inner_text() == "Mới nộp, chờ tiếp nhận"
    page.go_back()
    page.go_forward()
    assert all(secret not in url and secret.lower() not in url for url in asked), asked
    assert any(url.endswith(f"/lookup/{code}/") for url in asked)
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


def test_back_to_a_lookup_that_missed_asks_for_no_resubmission(window, live_server, dossier):
    """A miss, another page, Back: the history entry is a GET (``core.form_recall``) that shows
    the code typed and the reason again; the secret typed is in no URL and not in the form."""
    code = dossier.dossier.code
    wrong = "SAI" + dossier.secret[3:]
    page = window()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live_server.url}/lookup/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(wrong)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    reason = page.get_by_role("alert").inner_text()
    assert "Không tìm thấy hồ sơ" in reason
    assert back_from_elsewhere(page, live_server.url).status == 404
    assert page.url == f"{live_server.url}/lookup/?again=1"
    assert page.get_by_role("alert").inner_text() == reason
    assert page.get_by_label("Mã hồ sơ").input_value() == code
    assert page.get_by_label("Mã tra cứu").input_value() == ""
    assert all(wrong not in url and dossier.secret not in url for url in asked), asked
