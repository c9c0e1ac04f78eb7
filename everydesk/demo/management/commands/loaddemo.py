"""`everydesk loaddemo`: load the demo set once; `everydesk demo` runs it before serving."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from everydesk.demo.setup import load_demo


class Command(BaseCommand):
    help = (
        "Load demo staff (with printed passwords), teams, macros, customers and conversations "
        "into a database that has no conversations yet. Never use on a real installation."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--customers", type=int, default=400)
        parser.add_argument("--conversations", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["customers"] < 1 or options["conversations"] < 0:
            raise CommandError("Give at least one customer and no negative counts.")
        demo = load_demo(
            customers=options["customers"],
            conversations=options["conversations"],
            seed=options["seed"],
            progress=not options["no_progress"],
        )
        if demo.summary is None:
            self.stdout.write("The database has conversations already; no demo data added.")
        else:
            s = demo.summary
            self.stdout.write(
                f"Demo data loaded: {s.customers:,} customers, {s.conversations:,} "
                f"conversations, {s.messages:,} messages ({s.seconds:.1f} s)."
            )
