"""Enqueue the hourly notification run for the worker: today's review digests of the teams
whose digest hour has come (in each team's time zone), and outbox messages whose task was lost.

Meant for cron, every hour; it only enqueues, so it returns at once. Running it more often, or
on two machines, sends nothing twice: each digest's key holds the team's local date.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from advisor.tasks import digests_run


class Command(BaseCommand):
    help = "Enqueue today's review digests and the retry of lost outbox messages for the worker."

    def handle(self, *args, **options) -> None:
        result = digests_run.enqueue()
        self.stdout.write(f"Enqueued the digest run ({result.id}); the worker sends it.")
