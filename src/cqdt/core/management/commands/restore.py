from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `cqdt backup` into an empty database (default: the "
        "configured one; --database-url for another) and the media folder, then check it: "
        "every table's row count, every file's hash, the audit chain up to the recorded tip."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="Target database (must be empty).")
        parser.add_argument("--media-root", help="Where the media files go (default MEDIA_ROOT).")
        parser.add_argument(
            "--checkpoint-dir", help="Where the audit checkpoints go (default the configured one)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database_url"] or _configured_url()
        try:
            report = restore(
                Path(options["archive"]),
                database_url=url,
                media_root=Path(options["media_root"]) if options["media_root"] else None,
                checkpoint_dir=(
                    Path(options["checkpoint_dir"]) if options["checkpoint_dir"] else None
                ),
                say=lambda m: self.stderr.write(f"restore: {m}…"),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            problems = [
                f"table {t}: expected {e}, found {f}" for t, (e, f) in report.mismatched.items()
            ]
            problems += [f"file {p} differs" for p in report.missing_files]
            if not report.chain.ok:
                problems.append(
                    f"audit chain broken at event {report.chain.first_broken_id}: {report.chain.reason}"
                )
            if not report.tip_ok:
                problems.append("the audit chain does not end at the tip the manifest recorded")
            raise CommandError("Restore does not match its manifest: " + "; ".join(problems))
        self.stdout.write(
            f"Restored {sum(report.counts.values()):,} rows in {len(report.counts)} tables and "
            f"{len(report.manifest.data['files'])} files; row counts equal the manifest's; audit "
            f"chain intact ({report.chain.checked} events, tip as recorded)."
        )


def _configured_url() -> str:
    db = settings.DATABASES["default"]
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"
