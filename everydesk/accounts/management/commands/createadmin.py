"""Create the first admin, or reset an admin's password.

The password comes from --password, else EVERYDESK_ADMIN_PASSWORD (for
unattended installs, where a flag would end up in the shell history), else
a prompt when someone is at the terminal.
"""

import os
import sys
from getpass import getpass
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from everydesk.accounts.models import Role, User

ENV_PASSWORD = "EVERYDESK_ADMIN_PASSWORD"  # noqa: S105 (the variable's name, not a password)
# Checked here whatever AUTH_PASSWORD_VALIDATORS says: an admin account guards everything.
VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


class Command(BaseCommand):
    help = "Create an admin, or make an existing user an admin and set their password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", help=f"Or set {ENV_PASSWORD}, or type it when asked.")

    def handle(self, *args: Any, email: str, password: str | None, **options: Any) -> None:
        email = self._checked_email(email)
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and user.role == Role.CUSTOMER:
            raise CommandError(
                f"{email} is a customer's portal sign-in. Use another address for the admin."
            )
        password = password or os.environ.get(ENV_PASSWORD) or self._prompt()
        candidate = user or User(username=email[:150], email=email)
        self._check_strength(password, candidate)
        created = user is None
        self._make_admin(candidate, password)
        verb = "Created admin" if created else "Updated admin"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {candidate.email}. Sign in at /accounts/login/.")
        )

    def _checked_email(self, email: str) -> str:
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid email address.") from None
        return email

    def _prompt(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(
                f"No password given. Use --password, set {ENV_PASSWORD}, "
                "or run this command in a terminal to type one."
            )
        password = getpass("Password: ")
        if password != getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was changed.")
        return password

    def _check_strength(self, password: str, user: User) -> None:
        if not password:
            raise CommandError("The password is empty; nothing was changed.")
        validators = password_validation.get_password_validators(VALIDATORS)
        try:
            password_validation.validate_password(password, user, validators)
        except ValidationError as error:
            reasons = " ".join(error.messages)
            raise CommandError(
                f"That password is too weak: {reasons} Nothing was changed."
            ) from None

    @transaction.atomic
    def _make_admin(self, user: User, password: str) -> None:
        user.role = Role.ADMIN
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
