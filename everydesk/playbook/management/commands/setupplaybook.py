"""`everydesk setupplaybook`: create the built-in action types (refund, credit, ...)."""

from typing import Any

from django.core.management.base import BaseCommand

from everydesk.playbook.builtins import install_builtins


class Command(BaseCommand):
    help = "Create the built-in playbook action types that are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        types = install_builtins()
        self.stdout.write(f"Action types ready: {', '.join(t.name for t in types)}.")
