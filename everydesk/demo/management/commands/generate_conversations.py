"""`everydesk generate_conversations`: append generated customers and conversations."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from everydesk.demo.generate import generate


class Command(BaseCommand):
    help = (
        "Append realistic generated customers and conversations (for demos and benchmarks). "
        "Adds to existing data; never changes or removes it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--conversations", type=int, default=1000)
        parser.add_argument(
            "--customers",
            type=int,
            default=None,
            help="New customers to create (default: one per 5 conversations).",
        )
        parser.add_argument(
            "--messages",
            type=int,
            default=None,
            help="Messages per conversation (default: 1 to 5 at random).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--chunk", type=int, default=20_000, help="Conversations per transaction."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["conversations"] < 0 or (options["customers"] or 0) < 0:
            raise CommandError("Counts cannot be negative.")
        try:
            summary = generate(
                conversations=options["conversations"],
                customers=options["customers"],
                messages=options["messages"],
                seed=options["seed"],
                chunk_size=max(1, options["chunk"]),
                progress=not options["no_progress"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Added {summary.customers:,} customers, {summary.conversations:,} conversations, "
            f"{summary.messages:,} messages and {summary.events:,} events "
            f"in {summary.seconds:.1f} s ({summary.rows_per_second:,.0f} rows/s)."
        )
