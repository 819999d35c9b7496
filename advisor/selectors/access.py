"""The one place where access is scoped.

Every object a request names by id is fetched through one of these, filtered to the teams
the user belongs to and annotated with their `role` there. An object of another team is
simply not found (404, so ids reveal nothing); a role too low for the action is refused
with a message (403, from advisor.selectors.permissions). The other selectors start from
these querysets, or from an object already fetched through them.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from advisor.models import Decision, Project, Role, Team
from advisor.selectors import permissions

User = AbstractBaseUser | AnonymousUser


def teams_of(user: User) -> QuerySet[Team]:
    """The user's teams, each with the user's `role` in it."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).annotate(role=F("memberships__role"))


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


def team_get(*, user: User, pk: int, need: Role = Role.VIEWER) -> Team:
    team = get_object_or_404(teams_of(user), pk=pk)
    permissions.require(team.role, need)
    return team


def project_get(*, user: User, pk: int, need: Role = Role.VIEWER) -> Project:
    project = get_object_or_404(projects_visible_to(user).select_related("team"), pk=pk)
    permissions.require(project.role, need)
    return project


def decision_get(*, user: User, pk: int, need: Role = Role.VIEWER) -> Decision:
    # The round (if the team was asked) comes in the same query: the wizard and the decision
    # page both ask whether there is one.
    decisions = decisions_visible_to(user).select_related("project__team", "created_by", "round")
    decision = get_object_or_404(decisions, pk=pk)
    permissions.require(decision.role, need)
    return decision
