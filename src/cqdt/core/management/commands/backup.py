from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.core.backup import BackupError, backup, default_archive_path


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump custom format in one snapshot; SQLite: the "
        "online backup API) with the media files and the audit checkpoints into one archive "
        "with a manifest (row counts, audit chain tip, file hashes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", help="Archive path (default <CQDT_VAR_DIR>/backups/cqdt-<UTC time>.tar)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]) if options["output"] else default_archive_path()
        try:
            manifest = backup(output, say=lambda m: self.stderr.write(f"backup: {m}…"))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        data = manifest.data
        self.stdout.write(
            f"Backup written: {output} ({data['engine']}, {sum(manifest.counts.values()):,} rows "
            f"in {len(manifest.counts)} tables, {len(data['files'])} files, audit chain "
            f"{manifest.audit['count']} events, tip {manifest.audit['tip_hash'][:16] or '-'})."
        )
