"""The project timeline's lines under each decision: status changes and outcomes by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import template
from django.utils import timezone

from advisor.domain import excerpts
from advisor.models import Decision, Outcome, StatusChange

register = template.Library()


@dataclass(frozen=True, slots=True)
class Event:
    on: date
    change: StatusChange | None = None
    outcome: Outcome | None = None


@register.filter
def timeline_events(decision: Decision) -> list[Event]:
    """The decision's status changes and outcomes, oldest first, from the prefetched rows
    (advisor.selectors.project_timeline), so the page's query count stays flat."""
    events = [
        Event(on=timezone.localdate(change.created_at), change=change)
        for change in decision.status_changes.all()
    ]
    events += [Event(on=outcome.shipped_on, outcome=outcome) for outcome in decision.outcomes.all()]
    # sorted() is stable: on the same day, status changes keep their order before outcomes.
    return sorted(events, key=lambda event: event.on)


LIFECYCLE_BADGES = {
    Decision.Lifecycle.PROPOSED: "text-bg-info",
    Decision.Lifecycle.ACCEPTED: "text-bg-success",
    Decision.Lifecycle.REJECTED: "text-bg-danger",
    Decision.Lifecycle.SUPERSEDED: "text-bg-secondary",
    Decision.Lifecycle.DEPRECATED: "text-bg-dark",
}


@register.filter
def lifecycle_badge(lifecycle: str) -> str:
    """The badge colour of a lifecycle status; the badge's text says the status itself."""
    return LIFECYCLE_BADGES.get(lifecycle, "text-bg-light")


@register.filter
def excerpt(text: str | None, words: list[str]) -> str:
    """A short stretch of a matched note or comment around the first search word in it."""
    return excerpts.excerpt(text or "", words)
