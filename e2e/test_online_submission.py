"""Online submission without files (papers ticked) and a wrong secret at the lookup. The full
journey with two attachments, supplement and rating, at two sizes: test_citizen_journey.py."""

import pytest

from cqdt.dossiers.models import Dossier
from cqdt.dossiers.reference import desks_load
from cqdt.testing import ProcedureFactory, reference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def procedure(transactional_db):
    reference.units()
    desks_load()
    return ProcedureFactory(
        marital=True,
        required_documents=[{"code": "to_khai", "name": "Tờ khai", "required": True}],
        result_type="Giấy xác nhận",
        legal_basis="Nghị định 123/2015/NĐ-CP",
    )


def test_citizen_submits_online_and_looks_the_dossier_up(window, live_server, procedure):
    page = window()
    page.goto(f"{live_server.url}/procedures/")
    page.get_by_role("link", name="Nộp hồ sơ Xác nhận tình trạng hôn nhân").click()
    page.get_by_label("Nộp tới UBND").select_option("00001")
    page.get_by_label("Họ và tên người nộp").fill("Phạm Thị D")
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill("001190054321")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Tờ khai *").check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Gửi hồ sơ").click()

    code = page.locator("#dossier-code").inner_text()
    secret = page.locator("#lookup-secret").inner_text()
    assert Dossier.objects.get(code=code).applicant_name == "Phạm Thị D"
    page.reload()  # refreshing the confirmation files nothing new (post/redirect/get)
    assert page.locator("#dossier-code").inner_text() == code
    assert Dossier.objects.count() == 1

    page.goto(f"{live_server.url}/lookup/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    assert page.locator("#dossier-status").inner_text() == "Mới nộp, chờ tiếp nhận"
    assert "001190054321" not in page.content()  # the public page never shows the citizen ID

    page.get_by_label("Mã tra cứu").fill("SAIMATRACUU")
    page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_role("alert").inner_text().startswith("Không tìm thấy hồ sơ")


def test_the_ward_filter_says_how_many_wards_are_left_as_one_types(window, live_server, procedure):
    """Seen at 320 px: typing "hong ha" left one ward in the chooser while the line under the
    filter (a live region) still said "126 đơn vị trong danh sách."."""
    page = window()
    page.goto(f"{live_server.url}/procedures/{procedure.slug}/submit/")
    found = page.locator("#id_unit-found")
    listed = (
        "document.querySelectorAll('#id_unit optgroup:not([hidden]) option:not([hidden])').length"
    )
    before = found.inner_text()
    assert before == f"{page.evaluate(listed)} đơn vị trong danh sách."
    page.get_by_label("Tìm xã, phường (có dấu hoặc không dấu)").fill("phuc xa")
    left = page.evaluate(listed)
    assert left > 0 and found.inner_text() != before
    assert found.inner_text() == f"{left} đơn vị trong danh sách."
    page.get_by_label("Tìm xã, phường (có dấu hoặc không dấu)").fill("")
    assert found.inner_text() == before
