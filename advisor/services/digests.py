"""The daily review digest: each team's accepted decisions whose review falls due, emailed to
its editors and owners and posted to its webhook, once per day of the team's own calendar."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from advisor import selectors
from advisor.domain import lifecycle
from advisor.models import Decision, Kind, Team
from advisor.services.notifications import notify, site_url, webhook_post


def digests_send(*, now: datetime | None = None) -> int:
    """Send today's digest of every team whose local time has reached the digest hour; the
    number of messages written. Run it as often as you like (cron, hourly): each message's key
    holds the team's local date, so a second run that day writes nothing."""
    now = now or timezone.now()
    written = 0
    for team in Team.objects.order_by("pk"):
        local = now.astimezone(zoneinfo.ZoneInfo(team.time_zone))
        if local.hour >= settings.DIGEST_HOUR:
            written += team_digest_send(team=team, today=local.date())
    return written


@transaction.atomic
def team_digest_send(*, team: Team, today: date) -> int:
    """The team's digest for `today` (its local date): nothing when no review falls due."""
    due = list(
        selectors.reviews_due(Decision.objects.filter(project__team=team), by=today).select_related(
            "project"
        )
    )
    if not due:
        return 0
    items = [
        {
            "title": decision.title,
            "project_name": decision.project.name,
            "review_by": decision.review_by,
            "phrase": lifecycle.review_phrase(decision.review_by, today=today),
            "url": site_url(decision.get_absolute_url()),
        }
        for decision in due
    ]
    context = {
        "team_name": team.name,
        "today": today,
        "decisions": items,
        "reviews_url": site_url(reverse("advisor:team_reviews", args=[team.pk])),
    }
    written = 0
    for person in selectors.team_digest_recipients(team=team):
        row = notify(
            kind=Kind.REVIEW_DIGEST,
            user=person,
            email=person.email,
            key=f"digest-{team.pk}-{person.pk}-{today:%Y-%m-%d}",
            template="review_digest",
            context=context,
        )
        written += row is not None
    text = render_to_string("emails/review_due_webhook.txt", context).strip()
    key = f"review-due-{team.pk}-{today:%Y-%m-%d}"
    written += webhook_post(team=team, kind=Kind.REVIEW_DUE, key=key, text=text) is not None
    return written
