"""`everydesk rotation build --quarter 2027Q1`: build (or top up) a quarter's rotation."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from everydesk.frontline import rotation
from everydesk.frontline.models import RotationBuild, RotationRule
from everydesk.frontline.rules import Quarter
from everydesk.lib.errors import ActionError


class Command(BaseCommand):
    help = "Build the front-line rotation for a quarter; run again to fill gaps only."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser("build", help="place every included person's shifts")
        build.add_argument("--quarter", required=True, help="e.g. 2027Q1")
        build.add_argument("--rule", help="the rule's name (default: every active rule)")
        build.add_argument("--seed", type=int, default=0, help="same seed, same rotation")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            quarter = Quarter.parse(options["quarter"])
        except ActionError as refused:
            raise CommandError(refused.message) from None
        chosen = RotationRule.objects.filter(active=True).order_by("pk")
        if options["rule"]:
            chosen = RotationRule.objects.filter(name=options["rule"])
        if not chosen.exists():
            raise CommandError("No such rule." if options["rule"] else "No active rule.")
        for rule in chosen:
            self._report(rotation.build(rule=rule, quarter=quarter, seed=options["seed"]))

    def _report(self, build: RotationBuild) -> None:
        self.stdout.write(
            f"{build.rule.name} {build.quarter}: {build.people} people, {build.placed} shifts "
            f"placed, {build.kept} kept, {len(build.unplaced)} could not be placed, "
            f"{len(build.thin_slots)} slots below the minimum."
        )
        for row in build.unplaced:
            self.stdout.write(f"  {row['name']}: {row['missing']} short. {row['reason']}")
