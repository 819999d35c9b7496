"""Print the accepted decisions past their review date, across all teams, one per line.

Meant for cron: it always exits 0 when it ran, so a mail from cron means there is something to
read. `--days N` adds those due within N days; `--team ID` keeps one team's.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from advisor import selectors, services
from advisor.domain import lifecycle
from advisor.models import Decision, Team


class Command(BaseCommand):
    help = "List accepted decisions whose review date has passed (or is within --days days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=0,
            help="Also list those due within this many days from today.",
        )
        parser.add_argument("--team", type=int, help="Only this team's decisions (its id).")

    def handle(self, *args, days: int, team: int | None, **options) -> None:
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        decisions = Decision.objects.all()
        if team is not None:
            if not Team.objects.filter(pk=team).exists():
                raise CommandError(f"There is no team with id {team}.")
            decisions = decisions.filter(project__team_id=team)
        today = timezone.localdate()
        due = (
            selectors.reviews_due(decisions, by=today + timedelta(days=days))
            if days
            else selectors.reviews_overdue(decisions, today=today)
        ).select_related("project__team")
        lines = [self._line(decision, today) for decision in due]
        if not lines:
            within = f" or due within {days} days" if days else ""
            self.stdout.write(f"Nothing is overdue{within}.")
        for line in lines:
            self.stdout.write(line)

    def _line(self, decision: Decision, today) -> str:
        return " | ".join(
            [
                decision.project.team.name,
                decision.project.name,
                decision.title,
                f"review by {decision.review_by:%Y-%m-%d}",
                lifecycle.review_phrase(decision.review_by, today=today),
                services.site_url(decision.get_absolute_url()),
            ]
        )
