"""The reads that pages share, and the one place where access is scoped.

Every object a request names by id is fetched through one of these, filtered to the teams
the user belongs to and annotated with their `role` there. An object of another team is
simply not found (404, so ids reveal nothing); a role too low for the action is refused
with a message (403, from advisor.selectors.permissions).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Count,
    DateField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from advisor.domain import lifecycle
from advisor.domain.compare import compare
from advisor.domain.engine import APPROACH_LABELS, Approach
from advisor.models import (
    Answer,
    AuditEvent,
    Comment,
    Decision,
    Invite,
    Membership,
    Outcome,
    OutcomeMetric,
    Project,
    Recommendation,
    Role,
    ShareLink,
    StatusChange,
    Team,
)
from advisor.selectors import permissions, search

ACTIVITY_LIMIT = 15

User = AbstractBaseUser | AnonymousUser


def teams_of(user: User) -> QuerySet[Team]:
    """The user's teams, each with the user's `role` in it."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).annotate(role=F("memberships__role"))


def team_list(*, user: User) -> QuerySet[Team]:
    """The user's teams with their member counts."""
    # A subquery: counting over teams_of's join would count only the user's own membership.
    members = (
        Membership.objects.filter(team=OuterRef("pk"))
        .values("team")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return teams_of(user).annotate(member_count=Subquery(members))


def projects_visible_to(user: User) -> QuerySet[Project]:
    """Projects of the user's teams, each with the user's `role` in its team."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(team__memberships__user=user).annotate(
        role=F("team__memberships__role")
    )


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    if not user.is_authenticated:
        return Decision.objects.none()
    return Decision.objects.filter(project__team__memberships__user=user).annotate(
        role=F("project__team__memberships__role")
    )


def project_list(
    *, user: User, archived: bool = False, team_id: int | None = None
) -> QuerySet[Project]:
    """Projects with their decision count, latest recommended approach and last activity."""
    latest = Recommendation.objects.filter(decision__project=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    projects = projects_visible_to(user).filter(archived=archived).select_related("team")
    if team_id is not None:
        projects = projects.filter(team_id=team_id)
    return projects.annotate(
        decision_count=Count("decisions"),
        latest_approach=Subquery(latest.values("approach")[:1]),
        last_activity=Greatest("updated_at", Coalesce(Max("decisions__updated_at"), "updated_at")),
    )


def team_get(*, user: User, pk: int, need: Role = Role.VIEWER) -> Team:
    team = get_object_or_404(teams_of(user), pk=pk)
    permissions.require(team.role, need)
    return team


def project_get(*, user: User, pk: int, need: Role = Role.VIEWER) -> Project:
    project = get_object_or_404(projects_visible_to(user).select_related("team"), pk=pk)
    permissions.require(project.role, need)
    return project


def decision_get(*, user: User, pk: int, need: Role = Role.VIEWER) -> Decision:
    decisions = decisions_visible_to(user).select_related("project__team", "created_by")
    decision = get_object_or_404(decisions, pk=pk)
    permissions.require(decision.role, need)
    return decision


def membership_get(*, team: Team, pk: int) -> Membership:
    return get_object_or_404(team.memberships.select_related("user"), pk=pk)


def invite_get(*, team: Team, pk: int) -> Invite:
    return get_object_or_404(team.invites, pk=pk)


def share_link_get(*, decision: Decision, pk: int) -> ShareLink:
    return get_object_or_404(decision.share_links.select_related("decision__project__team"), pk=pk)


def project_history(*, project: Project) -> QuerySet[Decision]:
    """A project's decisions, newest first, with what the history table shows."""
    # Only the approach is needed from the snapshot, not its large JSON columns.
    return project.decisions.select_related("created_by").annotate(
        approach=F("recommendation__approach")
    )


def project_activity(*, project: Project) -> QuerySet[AuditEvent]:
    return project.audit_events.all()[:ACTIVITY_LIMIT]


# What the team page shows; the rest belongs to a project's page.
TEAM_ACTIONS = [
    AuditEvent.Action.TEAM_CREATED,
    AuditEvent.Action.INVITE_CREATED,
    AuditEvent.Action.INVITE_REVOKED,
    AuditEvent.Action.MEMBER_JOINED,
    AuditEvent.Action.ROLE_CHANGED,
    AuditEvent.Action.MEMBER_REMOVED,
    AuditEvent.Action.PROJECT_DELETED,
]


def team_activity(*, team: Team) -> QuerySet[AuditEvent]:
    return team.audit_events.filter(action__in=TEAM_ACTIONS)[:ACTIVITY_LIMIT]


def team_counts(*, team: Team) -> dict[str, int]:
    """What deleting the team would take with it."""
    return team.projects.aggregate(
        projects=Count("pk", distinct=True), decisions=Count("decisions", distinct=True)
    ) | {"members": team.memberships.count()}


def team_members(*, team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("user__username")


def team_pending_invites(*, team: Team) -> QuerySet[Invite]:
    """Invites that still work: not used, not revoked, not expired."""
    return team.invites.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def invite_open(*, token: str) -> Invite | None:
    """The usable invite with this token, with its team; None for any other."""
    invite = Invite.objects.select_related("team").filter(token=token).first()
    return invite if invite is not None and invite.is_usable else None


def share_links(*, decision: Decision) -> QuerySet[ShareLink]:
    return decision.share_links.select_related("created_by")


def share_link_open(*, token: str) -> ShareLink | None:
    """The live link with this token, with its decision and snapshot; None for any other."""
    return (
        ShareLink.objects.live()
        .filter(token=token, decision__status=Decision.Status.COMPLETE)
        .select_related("decision__project", "decision__recommendation")
        .order_by()  # the token is unique: no sort needed
        .first()
    )


def decision_answers(*, decision: Decision) -> dict[str, Answer]:
    return {answer.question: answer for answer in decision.answers.all()}


def teams_for_new_project(*, user: User) -> QuerySet[Team]:
    """Teams where the user may create projects (editor or owner)."""
    if not user.is_authenticated:
        return Team.objects.none()
    # One filter() call, so both conditions apply to the same membership row.
    return Team.objects.filter(
        memberships__user=user, memberships__role__in=[Role.EDITOR, Role.OWNER]
    )


def reviews_due(decisions: QuerySet[Decision], *, by: date) -> QuerySet[Decision]:
    """The accepted decisions among `decisions` whose review date is on or before `by`,
    the longest overdue first."""
    return decisions.filter(
        status=Decision.Status.COMPLETE,
        lifecycle=Decision.Lifecycle.ACCEPTED,
        review_by__lte=by,
    ).order_by("review_by", "pk")


def reviews_overdue(decisions: QuerySet[Decision], *, today: date) -> QuerySet[Decision]:
    """Those whose review date has passed: a review due today is due, not yet overdue."""
    return reviews_due(decisions, by=today - timedelta(days=1))


# --- revisit and compare ---

# The snapshot columns advisor.domain.compare reads.
COMPARED_FIELDS = ("answers", "rationale", "approach", "ladder_step", "rules_version", "headline")


def project_completed_decisions(*, project: Project) -> QuerySet[Decision]:
    """The project's completed decisions, newest first, with what a choice list shows."""
    return (
        project.decisions.filter(status=Decision.Status.COMPLETE)
        .only("pk", "title", "completed_at", "project_id")
        .annotate(approach=F("recommendation__approach"))
        .order_by("-completed_at", "-pk")
    )


def decisions_compared(*, project: Project, pks: tuple[int, int]) -> dict:
    """Two completed decisions of the project, the earlier first, and their comparison.

    Only the project's own completed decisions are found; the caller has checked the ids
    against project_completed_decisions, so both are there.
    """
    found = list(
        project.decisions.filter(status=Decision.Status.COMPLETE, pk__in=pks)
        .select_related("recommendation")
        .order_by("completed_at", "pk")
    )
    # One decision when the same one was chosen twice.
    earlier, later = found[0], found[-1]
    return _compared(earlier, later) | {"same": earlier.pk == later.pk}


def decision_revisits(*, decision: Decision) -> dict:
    """For a result page: the decisions revisiting this one, and, when this one revisits an
    earlier decision of its project, that decision and the comparison with it (one query)."""
    linked = Q(revisit_of=decision)
    if decision.revisit_of_id:
        linked |= Q(pk=decision.revisit_of_id, status=Decision.Status.COMPLETE)
    related = (
        Decision.objects.filter(linked, project_id=decision.project_id)
        .select_related("recommendation")
        .order_by("created_at", "pk")
    )
    context: dict = {"revisited_by": []}
    for other in related:
        if other.pk == decision.revisit_of_id and decision.is_complete:
            context |= _compared(other, decision)
        elif other.revisit_of_id == decision.pk:
            context["revisited_by"].append(other)
    return context


def _compared(earlier: Decision, later: Decision) -> dict:
    return {
        "earlier": earlier,
        "later": later,
        "comparison": compare(_snapshot_of(earlier), _snapshot_of(later)),
    }


def _snapshot_of(decision: Decision) -> dict:
    recommendation = decision.recommendation
    return {field: getattr(recommendation, field) for field in COMPARED_FIELDS}


# --- exports ---


def project_export_rows(*, project: Project) -> QuerySet[Decision]:
    """A project's decisions for the CSV, oldest first, in one query."""
    return (
        project.decisions.select_related("created_by")
        .annotate(
            approach=F("recommendation__approach"),
            rules_version=F("recommendation__rules_version"),
        )
        .order_by("created_at", "pk")
    )


def decision_for_export(*, user: User, pk: int) -> Decision:
    """A decision the user may read, with what its export reads fetched up front, so the
    export takes the same number of queries however many outcomes and changes it has."""
    decisions = (
        decisions_visible_to(user)
        .select_related("project__team", "recommendation", "supersedes", "revisit_of")
        .prefetch_related("answers", "status_changes", "outcomes__metrics")
    )
    return get_object_or_404(decisions, pk=pk)


# --- history, search and the team dashboard ---

OVERDUE_LIST_LIMIT = 10
DASHBOARD_MONTHS = 12


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


def decision_search(*, user: User, query: str) -> QuerySet[Decision]:
    """Decisions of all the user's teams whose title, a note or a comment matches `query`,
    best first (see advisor/search.py), with their project, team and approach."""
    decisions = (
        decisions_visible_to(user)
        .select_related("project__team")
        .annotate(approach=F("recommendation__approach"))
    )
    return search.decisions_matching(decisions, query)


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
        "by_approach": [(APPROACH_LABELS[a], counts[f"approach_{a.value}"]) for a in Approach],
        "by_status": [(s.label, counts[f"status_{s.value}"]) for s in Decision.Lifecycle],
        "by_month": [(f"{m:%b %Y}", per_month.get(m, 0)) for m in months],
        "overdue_count": overdue.count(),
        "overdue": overdue[:OVERDUE_LIST_LIMIT],
    }


# --- lifecycle ---

# The team's "Due for review" page lists, after the overdue ones, those due this soon.
REVIEW_SOON_DAYS = 30


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


# --- outcomes and comments ---


def decision_followups(*, decision: Decision) -> Decision:
    """Load what the decision page shows after the result: the outcomes, oldest shipped
    first, with their metrics, and the comments, oldest first. One query each (metrics only
    when there are outcomes); templates then read `decision.outcomes.all` from memory."""
    prefetch_related_objects(
        [decision],
        Prefetch(
            "outcomes",
            queryset=Outcome.objects.order_by("shipped_on", "pk").prefetch_related(
                Prefetch("metrics", queryset=OutcomeMetric.objects.order_by("pk"))
            ),
        ),
        Prefetch("comments", queryset=Comment.objects.order_by("created_at", "pk")),
    )
    return decision


def outcome_get(*, decision: Decision, pk: int) -> Outcome:
    """An outcome of this decision; one of another decision is not found."""
    return get_object_or_404(decision.outcomes.select_related("decision__project__team"), pk=pk)


def comment_get(*, decision: Decision, pk: int) -> Comment:
    """A comment on this decision; one on another decision is not found."""
    return get_object_or_404(decision.comments.select_related("decision__project__team"), pk=pk)
