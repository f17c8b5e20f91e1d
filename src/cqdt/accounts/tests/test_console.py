"""The console pages of accounts, with real requests and CSRF enforced."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cqdt.accounts.models import Invitation
from cqdt.accounts.tests.test_lifecycle import PASSWORD, csrf_client, logged_in, login
from cqdt.config.tests.world import NOW, build_world
from cqdt.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_district_officer_invites_imports_and_the_official_activates(
    reference_data, django_user_model
):
    with time_machine.travel(NOW, tick=False):
        world = build_world(django_user_model)
        ward = world.wards["A"]
        officer = logged_in("bd_chair")
        page = officer.get(f"/staff/units/{ward.code}/accounts/")
        assert page.status_code == 200
        assert "Tài khoản cán bộ, công chức" in page.content.decode()

        # Other users: the ward desk sees the ward but does not decide accounts; another
        # district's ward is not found, like a missing one.
        desk = logged_in("a_desk")
        assert desk.get(f"/staff/units/{ward.code}/accounts/").status_code == 403
        assert officer.get("/staff/units/00037/accounts/").status_code == 404
        assert officer.get("/staff/units/09999/accounts/").status_code == 404

        vice = ward.team["vice"]
        token = officer.cookies["csrftoken"].value
        body = {"official": str(vice.public_id), "email": "pho@example.vn"}
        assert officer.post(f"/staff/units/{ward.code}/accounts/", body).status_code == 403
        issued = officer.post(
            f"/staff/units/{ward.code}/accounts/", body | {"csrfmiddlewaretoken": token}
        )
        assert issued.status_code == 200
        link = re.search(r"<code>(http://[^<]+)</code>", issued.content.decode()).group(1)
        path = link.replace("http://testserver", "").replace("&amp;", "&")

        # The chairman's account was never activated (no password yet): the import invites it;
        # the desk officer's is active with a password: refused (QA Q4).
        django_user_model.objects.filter(username="a_chair").update(password="!")
        desk_official = ward.team["desk"]
        csv_text = (
            "civil_service_code,full_name,email\n"
            f"{desk_official.civil_service_code},{desk_official.full_name},\n"
            f"{ward.team['chair'].civil_service_code},{ward.team['chair'].full_name},ct@example.vn\n"
            f"{world.wards['C'].team['desk'].civil_service_code},Người phường khác,\n"
            "KHONG-CO,Không có,\n"
            f"{ward.team['chair'].civil_service_code},Lặp lại,\n"
        )
        upload = SimpleUploadedFile("staff.csv", csv_text.encode("utf-8"), "text/csv")
        report = officer.post(
            f"/staff/units/{ward.code}/accounts/", {"file": upload, "csrfmiddlewaretoken": token}
        )
        assert report.status_code == 200
        html = report.content.decode()
        assert "1 dòng được cấp, 4 dòng bị từ chối" in html
        assert "đã kích hoạt (đã có mật khẩu)" in html
        assert "Không giữ chức danh nào tại đơn vị 00001" in html
        assert "Chưa có cán bộ, công chức mã" in html
        assert "lặp lại trong tệp" in html
        assert Invitation.objects.count() == 2

        citizen = csrf_client()
        form = citizen.get(path)
        assert form.status_code == 200 and vice.civil_service_code in form.content.decode()
        csrf = citizen.cookies["csrftoken"].value
        weak = citizen.post(
            path, {"new_password1": "123", "new_password2": "123", "csrfmiddlewaretoken": csrf}
        )
        assert weak.status_code == 422
        done = citizen.post(
            path,
            {"new_password1": PASSWORD, "new_password2": PASSWORD, "csrfmiddlewaretoken": csrf},
        )
        assert done.status_code == 200 and "Đã đặt mật khẩu" in done.content.decode()
        assert citizen.get(path).status_code == 404
        assert login(csrf_client(), vice.civil_service_code, PASSWORD) == 302
        assert AuditEvent.objects.filter(action="account.activate").count() == 1
        assert Client().get("/staff/account/activate/?t=nothing-at-all").status_code == 404
