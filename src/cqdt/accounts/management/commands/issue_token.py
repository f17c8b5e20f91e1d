from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.accounts.keys import scope_unit_check
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.tokens import DEFAULT_DAYS, MAX_DAYS, token_issue


class Command(BaseCommand):
    help = (
        "Issue an API bearer token for USERNAME and print it (it is shown only once). "
        "By default it may read and write everywhere the account may; --read-only and --scope "
        "narrow it, as the console's key page does."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help=f"Lifetime in days (1-{MAX_DAYS})."
        )
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--read-only",
            action="store_true",
            help="Refuse every write (only GET, HEAD and OPTIONS are accepted).",
        )
        parser.add_argument(
            "--scope",
            metavar="UNIT_CODE",
            default="",
            help="Limit the token to this unit (in force today) and the units under it.",
        )

    def handle(self, *args: object, **options: object) -> None:
        username = str(options["username"])
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        scope = str(options["scope"] or "").strip()
        try:
            if scope:
                scope_unit_check(scope)
            token, secret = token_issue(
                actor=Actor.system("issue_token"),
                user=user,
                days=int(str(options["days"])),
                name=str(options["name"]),
                read_only=bool(options["read_only"]),
                scope_unit_code=scope,
            )
        except DomainError as exc:
            raise CommandError(exc.en) from exc
        self.stdout.write(secret)
        limits = [
            "read-only" if token.read_only else "read-write",
            f"limited to unit {token.scope_unit_code} and the units under it"
            if token.scope_unit_code
            else "not limited to a unit",
        ]
        self.stderr.write(
            f"Expires {token.expires_at:%Y-%m-%d %H:%M %Z}; {', '.join(limits)}. "
            "Send as 'Authorization: Bearer <token>'."
        )
