"""Looking back: a project's timeline with its filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, F, OuterRef, Prefetch, QuerySet, Value, When

from advisor.models import Decision, Outcome, Project, StatusChange


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
    """The team's members who started decisions in the project, as (id, username) by name.

    Asked member by member (a team has few) whether they started one, which the index on
    (project, created_by) answers at once: a project of 10,000 decisions costs no more than
    one of ten, where joining the decisions and keeping the distinct authors read them all.
    """
    started = Decision.objects.filter(project=project, created_by=OuterRef("pk"))
    authors = get_user_model().objects.filter(memberships__team=project.team_id)
    return list(authors.filter(Exists(started)).order_by("username").values_list("pk", "username"))


def project_timeline(*, project: Project, filters: Mapping[str, Any]) -> QuerySet[Decision]:
    """The project's decisions, newest first, narrowed by HistoryFilterForm.filters(), each
    with its status changes and outcomes oldest first as plain lists (`timeline_changes`,
    `timeline_outcomes`: no related manager and queryset made per row to read them): two
    queries for any number of rows."""
    decisions = _filtered(project_history(project=project), filters)
    return decisions.prefetch_related(
        Prefetch(
            "status_changes",
            queryset=StatusChange.objects.select_related("replaced_by").order_by(
                "created_at", "pk"
            ),
            to_attr="timeline_changes",
        ),
        Prefetch(
            "outcomes",
            queryset=Outcome.objects.order_by("shipped_on", "pk"),
            to_attr="timeline_outcomes",
        ),
    )


def project_timeline_count(*, project: Project, filters: Mapping[str, Any]) -> int:
    """How many decisions `project_timeline` lists, counted without the joins its rows need
    (a count keeps the joins of the annotations it drops)."""
    return _filtered(project.decisions.all(), filters).count()


def _filtered(decisions: QuerySet[Decision], filters: Mapping[str, Any]) -> QuerySet[Decision]:
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
    return decisions
