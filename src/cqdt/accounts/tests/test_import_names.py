"""QA Q25: the account import compares each row's full_name with the official its code names —
a mistyped code invited another official's account to the row's address. Real requests: the
district chairman's bearer token."""

from __future__ import annotations

import pytest
import time_machine

from cqdt import testing
from cqdt.accounts import rules
from cqdt.accounts.models import Invitation
from cqdt.config.tests.world import NOW
from cqdt.core.models import OutboxMessage
from cqdt.core.text import fold

pytestmark = pytest.mark.django_db


def _import(client, unit: str, rows: list[str]):
    text = "civil_service_code,full_name,email\n" + "".join(f"{r}\n" for r in rows)
    return testing.json_ok(
        client.post(
            f"/api/v1/units/{unit}/accounts/import",
            {"csv": text},
            content_type="application/json",
        )
    )


def test_a_row_whose_name_is_not_the_official_s_is_refused_and_nothing_is_sent(built_world):
    with time_machine.travel(NOW, tick=False):
        ward = built_world.wards["A"]
        vice = ward.team["vice"]
        officer = testing.bearer_client(built_world.users["district_chair"])
        report = _import(
            officer, ward.code, [f"{vice.civil_service_code},Tên Sai Khác,x@example.vn"]
        )
        assert (report["invited"], report["rejected"]) == (0, 1)
        row = report["rows"][0]
        assert (row["status"], row["field"]) == ("rejected", "full_name")
        assert vice.full_name in row["message"]
        assert not Invitation.objects.filter(official=vice).exists()
        assert not OutboxMessage.objects.filter(recipient="x@example.vn").exists()
        # the same name typed in capitals, without marks and with extra spaces is the official's
        typed = "  ".join(fold(vice.full_name).upper().split())
        report = _import(officer, ward.code, [f"{vice.civil_service_code},{typed},x@example.vn"])
        assert (report["invited"], report["rejected"]) == (1, 0)
        assert Invitation.objects.filter(official=vice).count() == 1


def test_the_name_rule():
    assert rules.name_mismatch_refusal("C1", "Mai  phương LINH", "Mai Phương Linh") is None
    refused = rules.name_mismatch_refusal("C1", "Mai Phương Lan", "Mai Phương Linh")
    assert refused is not None and refused.field == "full_name"
    assert refused.vi.startswith("Họ tên “Mai Phương Lan” không khớp")


def test_an_active_account_with_a_password_is_not_invited_again(built_world):
    """QA Q4: an invitation to an account in use answered 200 "Your CQĐT account is ready" and
    gave whoever holds the mailbox a second way in."""
    from cqdt.core.models import AuditEvent

    with time_machine.travel(NOW, tick=False):
        justice = built_world.wards["A"].team["justice"]  # a_justice: active, password set
        admin = testing.bearer_client(built_world.users["admin"])
        events = AuditEvent.objects.count()
        answer = admin.post(
            f"/api/v1/officials/{justice.public_id}/account/invitation",
            {"email": "hong.bn@example.vn"},
            content_type="application/json",
        )
        assert answer.status_code == 409, answer.content
        body = answer.json()
        assert (body["code"], body["field"]) == ("account_active", "official")
        assert "Quên mật khẩu?" in body["messages"]["vi"]
        assert not Invitation.objects.filter(official=justice).exists()
        assert not OutboxMessage.objects.filter(recipient="hong.bn@example.vn").exists()
        assert AuditEvent.objects.count() == events
        user = built_world.users["ward_justice"]
        user.refresh_from_db()
        assert user.email != "hong.bn@example.vn" and user.has_usable_password()
