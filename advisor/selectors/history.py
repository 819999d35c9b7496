"""Looking back: a project's timeline with its filters, and a team's dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, DateField, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from advisor.domain.engine import Approach
from advisor.models import Decision, Outcome, Project, StatusChange, Team
from advisor.selectors.lifecycle import reviews_overdue

OVERDUE_LIST_LIMIT = 10


DASHBOARD_MONTHS = 12


def project_history(*, project: Project) -> QuerySet[Decision]:
    """A project's decisions, newest first, with what the history table shows."""
    # Only the approach is needed from the snapshot, not its large JSON columns; and whether
    # the team is answering it, for the progress label.
    return project.decisions.select_related("created_by").annotate(
        approach=F("recommendation__approach"),
        round_state=Case(
            When(round__isnull=True, then=Value("")),
            When(round__closed_at__isnull=True, then=Value("open")),
            default=Value("closed"),
        ),
    )


def project_authors(*, project: Project) -> list[tuple[int, str]]:
    """The team's members who started decisions in the project, as (id, username) by name."""
    authors = get_user_model().objects.filter(
        decisions__project=project, memberships__team=project.team_id
    )
    return list(authors.distinct().order_by("username").values_list("pk", "username"))


def project_timeline(*, project: Project, filters: Mapping[str, Any]) -> QuerySet[Decision]:
    """The project's decisions, newest first, narrowed by HistoryFilterForm.filters(), each
    with its status changes and outcomes oldest first: two queries for any number of rows."""
    decisions = project_history(project=project)
    status = filters.get("status")
    if status == Decision.Status.IN_PROGRESS:
        decisions = decisions.filter(status=Decision.Status.IN_PROGRESS)
    elif status:
        decisions = decisions.filter(status=Decision.Status.COMPLETE, lifecycle=status)
    if approach := filters.get("approach"):
        decisions = decisions.filter(recommendation__approach=approach)
    if author := filters.get("author"):
        decisions = decisions.filter(created_by_id=author)
    if started_from := filters.get("started_from"):
        decisions = decisions.filter(created_at__date__gte=started_from)
    if started_to := filters.get("started_to"):
        decisions = decisions.filter(created_at__date__lte=started_to)
    return decisions.prefetch_related(
        Prefetch(
            "status_changes",
            queryset=StatusChange.objects.select_related("replaced_by").order_by(
                "created_at", "pk"
            ),
        ),
        Prefetch("outcomes", queryset=Outcome.objects.order_by("shipped_on", "pk")),
    )


def month_starts(today: date, count: int = DASHBOARD_MONTHS) -> list[date]:
    """The first days of the `count` months up to and including today's, oldest first."""
    months = today.year * 12 + today.month - 1
    return [date(m // 12, m % 12 + 1, 1) for m in range(months - count + 1, months + 1)]


def team_dashboard(*, team: Team, today: date) -> dict[str, Any]:
    """The team's completed decisions counted by approach, by status and by month, and its
    overdue reviews: four queries, however many decisions the team has."""
    decisions = Decision.objects.filter(project__team=team)
    complete = decisions.filter(status=Decision.Status.COMPLETE)
    # One query for both breakdowns, with a zero for every approach and status.
    counts = complete.aggregate(
        total=Count("pk"),
        **{
            f"approach_{a.value}": Count("pk", filter=Q(recommendation__approach=a))
            for a in Approach
        },
        **{f"status_{s.value}": Count("pk", filter=Q(lifecycle=s)) for s in Decision.Lifecycle},
    )
    months = month_starts(today)
    per_month = dict(
        complete.filter(completed_at__date__gte=months[0])
        .annotate(month=TruncMonth("completed_at", output_field=DateField()))
        .order_by("month")
        .values_list("month")
        .annotate(count=Count("pk"))
    )
    overdue = reviews_overdue(decisions, today=today).select_related("project")
    return {
        "total": counts["total"],
        "by_approach": [(a.label, counts[f"approach_{a.value}"]) for a in Approach],
        "by_status": [(s.label, counts[f"status_{s.value}"]) for s in Decision.Lifecycle],
        "by_month": [(f"{m:%b %Y}", per_month.get(m, 0)) for m in months],
        "overdue_count": overdue.count(),
        "overdue": overdue[:OVERDUE_LIST_LIMIT],
    }
