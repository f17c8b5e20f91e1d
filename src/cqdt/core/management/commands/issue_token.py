from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.tokens import DEFAULT_DAYS, token_issue


class Command(BaseCommand):
    help = "Issue an API bearer token for USERNAME and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help="Lifetime in days (1-365)."
        )
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: object, **options: object) -> None:
        username = str(options["username"])
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        try:
            token, secret = token_issue(
                actor=Actor.system("issue_token"),
                user=user,
                days=int(str(options["days"])),
                name=str(options["name"]),
            )
        except DomainError as exc:
            raise CommandError(exc.en) from exc
        self.stdout.write(secret)
        self.stderr.write(
            f"Expires {token.expires_at:%Y-%m-%d %H:%M %Z}. Send as 'Authorization: Bearer <token>'."
        )
