"""Every field explains itself (admin and OpenAPI read these), and the seeded rules are there."""

import datetime as dt

import pytest
from django.apps import apps

from cqdt.oversight import rules, selectors
from cqdt.oversight.models import OversightRule


def test_every_field_has_a_verbose_name_and_help_text():
    missing = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("oversight").get_models()
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created
        if not field.verbose_name or not str(field.help_text)
    ]
    assert missing == []


@pytest.mark.django_db
def test_the_migration_seeds_every_rule_from_the_pilot_start_with_its_source():
    seeded = {r.key: r for r in OversightRule.objects.filter(valid_from=rules.PILOT_START)}
    assert set(seeded) == set(rules.DEFAULTS)
    for key, default in rules.DEFAULTS.items():
        assert seeded[key].value == default.value
        assert seeded[key].source
    on = selectors.rules_on(dt.date(2024, 1, 1))
    assert (on.notice_days, on.conferences_per_year, on.petition_answer_days) == (7, 2, 30)
    assert "[C]" in on.sources[rules.PETITION_ANSWER_DAYS]
