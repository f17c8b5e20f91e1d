from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.core.audit import audit_verify
from cqdt.core.checkpoints import CheckpointError, checkpoint_dir, latest_checkpoint


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and name the first broken link; the chain must also "
        "reach the newest signed checkpoint of its tip (CQDT_AUDIT_CHECKPOINT_DIR), so deleted "
        "newest events and a truncated table are found too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="Check the links only, ignoring the checkpoints (tail deletion then goes unseen).",
        )

    def handle(self, *args: object, **options: object) -> None:
        checkpoint = None
        if not options["no_checkpoint"]:
            try:
                checkpoint = latest_checkpoint()
            except CheckpointError as exc:
                raise CommandError(f"Audit checkpoint not trusted: {exc}") from exc
        report = audit_verify(checkpoint=checkpoint)
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event {report.first_broken_id}: {report.reason} "
                f"({report.checked} events verified before it)."
            )
        if checkpoint is None:
            against = f"no checkpoint in {checkpoint_dir()} (tail deletion cannot be seen)"
        else:
            against = (
                f"reaches the checkpoint of {checkpoint.taken_at} "
                f"({checkpoint.count} events, tip event {checkpoint.last_id})"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.checked} events; {against}.")
        )
