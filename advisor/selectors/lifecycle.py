"""The lifecycle of a completed decision: its status history, the decisions it
supersedes or is superseded by, and the reviews that are due."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from advisor.domain import lifecycle
from advisor.models import Decision, Project, StatusChange, Team

# The team's "Due for review" page lists, after the overdue ones, those due this soon.
REVIEW_SOON_DAYS = 30


def reviews_due(decisions: QuerySet[Decision], *, by: date) -> QuerySet[Decision]:
    """The accepted decisions among `decisions` whose review date is on or before `by`,
    the longest overdue first."""
    return decisions.filter(
        status=Decision.Status.COMPLETE,
        lifecycle=Decision.Lifecycle.ACCEPTED,
        review_by__lte=by,
    ).order_by("review_by", "pk")


# The dashboard's buckets of accepted decisions by review date, and the search filter that
# lists each bucket: the same rule for both, so a bar's count is its list's length.
REVIEW_WINDOWS = {
    "overdue": "Overdue",
    "soon": f"Due within {REVIEW_SOON_DAYS} days",
    "later": "Due later",
}


def review_window(window: str, *, today: date) -> Q:
    """Accepted decisions whose review date falls in `window` (a key of REVIEW_WINDOWS):
    past (overdue), from today to REVIEW_SOON_DAYS ahead, or after that."""
    horizon = today + timedelta(days=REVIEW_SOON_DAYS)
    dates = {
        "overdue": Q(review_by__lt=today),
        "soon": Q(review_by__gte=today, review_by__lte=horizon),
        "later": Q(review_by__gt=horizon),
    }
    return Q(status=Decision.Status.COMPLETE, lifecycle=Decision.Lifecycle.ACCEPTED) & dates[window]


def reviews_overdue(decisions: QuerySet[Decision], *, today: date) -> QuerySet[Decision]:
    """Those whose review date has passed: a review due today is due, not yet overdue."""
    return reviews_due(decisions, by=today - timedelta(days=1))


def decision_status_history(*, decision: Decision) -> list[StatusChange]:
    """The decision's status changes, oldest first, with the decision that replaced it."""
    # No move leads back to proposed, so a proposed decision has no history to read.
    if decision.lifecycle == Decision.Lifecycle.PROPOSED:
        return []
    return list(decision.status_changes.select_related("replaced_by"))


def decision_supersede_links(*, decision: Decision) -> dict[str, Decision | None]:
    """The decision this one supersedes and the one that superseded it: one query at most,
    none when it has neither link (only a superseded decision has a successor)."""
    wanted = Q(pk=decision.supersedes_id) if decision.supersedes_id else Q()
    if decision.lifecycle == Decision.Lifecycle.SUPERSEDED:
        wanted |= Q(supersedes=decision)
    rows = list(Decision.objects.filter(wanted).only("pk", "title")) if wanted else []
    return {
        "supersedes": next((d for d in rows if d.pk == decision.supersedes_id), None),
        "superseded_by": next((d for d in rows if d.pk != decision.supersedes_id), None),
    }


def supersede_candidates(*, decision: Decision) -> QuerySet[Decision]:
    """The project's other completed decisions that may replace `decision`."""
    return (
        decision.project.decisions.filter(
            status=Decision.Status.COMPLETE,
            lifecycle__in=lifecycle.MAY_REPLACE,
            supersedes__isnull=True,
        )
        .exclude(pk=decision.pk)
        .order_by("-completed_at", "-pk")
    )


def _with_approach(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    return decisions.select_related("project__team").annotate(
        approach=F("recommendation__approach")
    )


def project_overdue_reviews(*, project: Project) -> QuerySet[Decision]:
    return _with_approach(reviews_overdue(project.decisions.all(), today=timezone.localdate()))


def team_reviews(*, team: Team, today: date) -> dict[str, list[Decision]]:
    """The team's accepted decisions past their review date, and those due within
    REVIEW_SOON_DAYS, each list the most pressing first (one query)."""
    horizon = today + timedelta(days=REVIEW_SOON_DAYS)
    due = list(_with_approach(reviews_due(Decision.objects.filter(project__team=team), by=horizon)))
    return {
        "overdue": [d for d in due if d.review_by < today],
        "due_soon": [d for d in due if d.review_by >= today],
    }
