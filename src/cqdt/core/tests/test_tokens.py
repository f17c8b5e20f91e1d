import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput
from cqdt.core.models import ApiToken
from cqdt.core.tokens import token_issue, token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="api", password="x")


def bearer(client, secret):
    return client.get("/api/v1/dossiers", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_token_is_stored_hashed_and_authenticates(client, user):
    token, secret = token_issue(actor=Actor.system("t"), user=user)
    assert secret not in token.key_hash and token.prefix == secret[:12]
    assert bearer(client, secret).status_code == 200


def test_expired_revoked_and_unknown_tokens_are_refused(client, user):
    token, secret = token_issue(actor=Actor.system("t"), user=user, days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert bearer(client, secret).status_code == 401
    token2, secret2 = token_issue(actor=Actor.system("t"), user=user)
    token_revoke(actor=Actor.system("t"), token=token2)
    assert bearer(client, secret2).status_code == 401
    assert bearer(client, "cqdt_not-a-token").status_code == 401


def test_token_lifetime_is_bounded(user):
    with pytest.raises(InvalidInput):
        token_issue(actor=Actor.system("t"), user=user, days=0)


def test_issue_token_command_prints_a_working_token(client, user, capsys):
    call_command("issue_token", "api", "--days", "7")
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("cqdt_")
    assert bearer(client, secret).status_code == 200


def test_login_locks_out_after_repeated_failures(client, user):
    for _ in range(5):
        client.post("/staff/login/", {"username": "api", "password": "wrong"})
    locked = client.post("/staff/login/", {"username": "api", "password": "x"})
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
