"""Make the clearly-labelled TEST certification authority used in development and tests."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from cqdt.documents import testca


class Command(BaseCommand):
    help = (
        "Tạo CA THỬ NGHIỆM (không có giá trị pháp lý) để ký văn bản khi phát triển và kiểm thử. "
        "Makes the TEST CA (no legal effect) for development and tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=str(settings.CQDT_SIGNING_DIR), help="Directory.")
        parser.add_argument("--force", action="store_true", help="Replace an existing test CA.")

    def handle(self, *args: object, **options: object) -> None:
        directory = Path(str(options["dir"]))
        made = testca.create(directory, force=bool(options["force"]))
        state = "created" if made else "already present"
        self.stdout.write(f"{testca.CA_NAME}: {state} in {directory}")
        self.stdout.write("Chỉ dùng để thử nghiệm — chữ ký không có giá trị pháp lý.")
