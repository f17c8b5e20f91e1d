"""Every context registers its contributions through ``ContextConfig`` (core/registry.py): the
platform-wide commands see exactly these, in ``INSTALLED_APPS`` order."""

from django.apps import apps
from django.db.models.signals import post_save

from cqdt.core import refcache, registry


def test_every_context_contribution_is_registered_once_in_dependency_order() -> None:
    assert [r.context for r in registry.reference_loaders()] == [
        "units",
        "procedures",
        "dossiers",
        "feedback",
    ]
    periodic = [(p.context, p.name) for p in registry.periodic_tasks()]
    assert periodic[:5] == [
        ("core", "purge_rate_counters_task"),
        ("core", "purge_idempotency_keys_task"),
        ("core", "purge_pending_uploads_task"),
        ("core", "purge_expired_sessions_task"),
        ("core", "audit_checkpoint_task"),
    ]
    assert ("accounts", "close_ended_accounts_task") in periodic
    assert ("dossiers", "mark_at_risk_task") in periodic
    assert ("oversight", "escalate_petitions_task") in periodic
    assert ("monitoring", "refresh_rollups_task") in periodic
    assert ("feedback", "escalate_reports_task") in periodic
    assert len(periodic) == len(set(periodic))
    assert [context for context, _ in registry.worklists()] == ["dossiers", "oversight"]


def test_saving_a_cached_model_clears_the_reference_cache() -> None:
    for label, model in [
        ("units", "Unit"),
        ("units", "GovernanceModel"),
        ("units", "GovernanceAssignment"),
        ("procedures", "Procedure"),
        ("procedures", "LawConflict"),
        ("dossiers", "Desk"),
    ]:
        receivers = post_save._live_receivers(apps.get_model(label, model))
        flat = [r for group in receivers for r in (group if isinstance(group, list) else [group])]
        assert refcache.clear in flat, (label, model)


def test_a_context_declares_by_dotted_path_and_wires_the_rest_in_connect() -> None:
    declaring = [c.label for c in apps.get_app_configs() if isinstance(c, registry.ContextConfig)]
    assert declaring == [
        "core",
        "units",
        "accounts",
        "authority",  # registers units' check of delegable acts in connect() (b8533d5)
        "procedures",
        "dossiers",
        "documents",
        "oversight",
        "feedback",
        "monitoring",
    ]
    config = apps.get_app_config("accounts")
    assert config.login_gate == "cqdt.accounts.selectors.may_log_in"
    assert not isinstance(apps.get_app_config("staff"), registry.ContextConfig)
