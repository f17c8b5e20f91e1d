from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cqdt.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from cqdt.core import logs, registry

        logs.configure()
        from cqdt.core.tasks import (
            audit_checkpoint_task,
            purge_idempotency_keys_task,
            purge_pending_uploads_task,
            purge_rate_counters_task,
        )

        registry.add_periodic(
            "core",
            purge_rate_counters_task,
            purge_idempotency_keys_task,
            purge_pending_uploads_task,
            audit_checkpoint_task,
        )
