"""Issue an API token from the command line. Prints only the raw token, for scripts:

TOKEN=$(everydesk createtoken --email ada@example.com --name "nightly export")
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from everydesk.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create an API token for a user and print it (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The user the token acts as.")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the address {email}.")
        if not user.is_active:
            raise CommandError(f"{user.email} is deactivated; a token for it would not work.")
        name = name.strip()[:100]
        if not name:
            raise CommandError("Give the token a name with --name.")
        _, raw = ApiToken.issue(user=user, name=name)
        self.stdout.write(raw)
