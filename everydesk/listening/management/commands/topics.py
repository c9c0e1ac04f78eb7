"""`everydesk topics`: list the topics; `--regroup` and `--detect` run the hourly jobs now."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from everydesk.listening import alerting, regrouping
from everydesk.listening.topics import live_topics


class Command(BaseCommand):
    help = (
        "List live topics with their voice counts. --regroup groups the voices that wait "
        "for a topic (the hourly job); --detect judges every topic for emerging issues."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regroup", action="store_true", help="regroup topics now")
        parser.add_argument("--detect", action="store_true", help="detect emerging issues now")

    def handle(self, *args: Any, regroup: bool, detect: bool, **options: Any) -> None:
        if regroup:
            report = regrouping.regroup()
            self.stdout.write(
                f"Regrouped: {report.joined} voices joined existing topics, "
                f"{len(report.created)} new topics, {len(report.merged)} merged, "
                f"{report.waiting} voices still waiting."
            )
        if detect:
            found = alerting.run()
            self.stdout.write(
                f"Detection: {len(found.opened)} alerts opened, {len(found.updated)} updated, "
                f"{len(found.resolved)} resolved."
            )
        if regroup or detect:
            return
        for topic in live_topics().order_by("-voice_count", "pk"):
            pin = " (pinned)" if topic.is_pinned else ""
            self.stdout.write(f"{topic.pk:>6}  {topic.voice_count:>7}  {topic.name}{pin}")
