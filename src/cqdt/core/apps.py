from cqdt.core import registry


class CoreConfig(registry.ContextConfig):
    name = "cqdt.core"
    verbose_name = "Core"
    periodic = (
        "cqdt.core.tasks.purge_rate_counters_task",
        "cqdt.core.tasks.purge_idempotency_keys_task",
        "cqdt.core.tasks.purge_pending_uploads_task",
        "cqdt.core.tasks.purge_expired_sessions_task",
        "cqdt.core.tasks.audit_checkpoint_task",
    )

    def ready(self) -> None:
        from cqdt.core import logs

        logs.configure()  # before any other module logs
        super().ready()

    def connect(self) -> None:
        from cqdt.core import (
            links,  # noqa: F401 - registers its deploy check
            migration_state,  # noqa: F401 - registers its database check
        )
