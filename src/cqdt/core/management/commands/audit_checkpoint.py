from django.core.management.base import BaseCommand, CommandError

from cqdt.core.checkpoints import CheckpointError, checkpoint_dir, take_checkpoint


class Command(BaseCommand):
    help = (
        "Verify the audit events appended since the last checkpoint, then write a signed "
        "checkpoint of the chain's tip to CQDT_AUDIT_CHECKPOINT_DIR and to the log "
        "(also run periodically by `cqdt run_periodic`)."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            checkpoint = take_checkpoint()
        except CheckpointError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Audit checkpoint written to {checkpoint_dir()}: {checkpoint.count} events, "
            f"tip event {checkpoint.last_id} ({checkpoint.tip_hash[:16]}…)."
        )
