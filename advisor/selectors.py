"""The reads that pages share, and the one place where access is scoped.

Every object a request names by id is fetched through one of these, filtered to the teams
the user belongs to and annotated with their `role` there. An object of another team is
simply not found (404, so ids reveal nothing); a role too low for the action is refused
with a message (403, from advisor.permissions).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from advisor import permissions
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
    Team,
)

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
    the longest overdue first. Pass yesterday's date for the overdue ones only."""
    return decisions.filter(
        status=Decision.Status.COMPLETE,
        lifecycle=Decision.Lifecycle.ACCEPTED,
        review_by__lte=by,
    ).order_by("review_by", "pk")


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
