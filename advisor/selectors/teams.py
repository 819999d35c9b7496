"""Teams, their members and their invites."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from advisor.models import Invite, Membership, Role, Team
from advisor.selectors.access import User, teams_of, two_factor_met


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


def membership_get(*, team: Team, pk: int) -> Membership:
    return get_object_or_404(team.memberships.select_related("user"), pk=pk)


def invite_get(*, team: Team, pk: int) -> Invite:
    return get_object_or_404(team.invites, pk=pk)


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
    invite = Invite.objects.with_token(token).select_related("team").first()
    return invite if invite is not None and invite.is_usable else None


def teams_for_new_project(*, user: User) -> QuerySet[Team]:
    """Teams where the user may create projects (editor or owner)."""
    if not user.is_authenticated:
        return Team.objects.none()
    # One filter() call, so both conditions apply to the same membership row.
    return Team.objects.filter(
        two_factor_met(user),
        memberships__user=user,
        memberships__role__in=[Role.EDITOR, Role.OWNER],
    )


def team_has_member(*, team: Team, user: User) -> bool:
    return team.memberships.filter(user=user).exists()
