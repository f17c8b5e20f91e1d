"""/admin/ refuses a governance model that lists as delegable an act the chairman may not
delegate — one the committee does not decide (residence registration: the commune-level police,
Law on Residence 2020), an act of no catalogue — naming the act and its legal source, in
Vietnamese and in English. ``GovernanceModel.clean()`` refused only patterns
(``sign_result:*``), so an administrator could save ``decide_residence`` as delegable: the
grant was refused later (``authority.acts.not_delegable_refusal``, af30beb), but the model said
what the law does not (DOMAIN §8: only acts a source allows). As an administrator saves it: a
session, the test client enforcing CSRF."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from cqdt.testing import logged_in
from cqdt.units.models import GovernanceModel

pytestmark = pytest.mark.django_db

SLUG = "hanoi-urban-pilot-2021"
TEXT_FIELDS = (
    "slug",
    "name",
    "name_en",
    "legal_basis",
    "regime",
    "chairman_selection",
    "supervisor",
    "budget_status",
)
JSON_FIELDS = (
    "signature_templates",
    "max_vice_chairmen",
    "staffing_norm",
    "chairman_approval",
    "delegable_acts",
    "rule_sources",
)


@pytest.fixture
def admin(reference_data):
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    return logged_in(root)


def _save(client, delegable: list[str], language: str = "vi"):
    model = GovernanceModel.objects.get(slug=SLUG)
    url = f"/admin/units/governancemodel/{model.pk}/change/"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    data = {name: getattr(model, name) for name in TEXT_FIELDS}
    data |= {name: json.dumps(getattr(model, name), ensure_ascii=False) for name in JSON_FIELDS}
    data["delegable_acts"] = json.dumps(delegable)
    if model.has_people_council:
        data["has_people_council"] = "on"
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)


def test_an_act_the_committee_does_not_decide_is_refused_naming_it_and_its_source(admin):
    before = GovernanceModel.objects.get(slug=SLUG).delegable_acts
    page = _save(admin, ["certify_copy", "decide_residence"]).content.decode()
    assert "decide_residence" in page
    assert "Công an cấp xã" in page and "Luật Cư trú 2020" in page
    assert "Nghị định 32/2021/NĐ-CP" in page
    english = _save(admin, ["certify_copy", "decide_residence"], "en").content.decode()
    assert "decide_residence" in english and "commune-level police" in english
    assert "Decree 32/2021/NĐ-CP" in english
    assert GovernanceModel.objects.get(slug=SLUG).delegable_acts == before


def test_an_act_of_no_catalogue_is_refused_naming_it(admin):
    page = _save(admin, ["certify_copy", "certify_moon"]).content.decode()
    assert "certify_moon" in page and "errorlist" in page
    assert "certify_moon" not in GovernanceModel.objects.get(slug=SLUG).delegable_acts


def test_a_pattern_is_still_refused_and_a_list_of_sourced_acts_is_saved(admin):
    assert "sign_result:*" in _save(admin, ["sign_result:*"]).content.decode()
    saved = _save(admin, ["certify_copy"])
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert GovernanceModel.objects.get(slug=SLUG).delegable_acts == ["certify_copy"]
