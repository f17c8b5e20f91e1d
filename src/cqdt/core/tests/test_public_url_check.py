"""Review R5: ``check --deploy`` refuses a public address that is not https (the development
default would put http://127.0.0.1:8000 links, with their secrets, in officials' e-mails)."""

from django.core import checks

from cqdt.core.links import public_url, public_url_check


def test_the_deploy_check_wants_an_https_public_address(settings):
    settings.CQDT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    found = public_url_check()
    assert [e.id for e in found] == ["cqdt.E002"]
    assert "cqdt.E002" in {e.id for e in checks.run_checks(include_deployment_checks=True)}
    settings.CQDT_PUBLIC_BASE_URL = "https://dichvucong.example.vn/"
    assert public_url_check() == []
    assert public_url("/verify/x") == "https://dichvucong.example.vn/verify/x"
