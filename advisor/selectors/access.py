"""The one place where access is scoped.

Every object a request names by id is fetched through one of these, filtered to the teams
the user belongs to and annotated with their `role` there. An object of another team is
simply not found (404, so ids reveal nothing); a role too low for the action is refused
with a message (403, from advisor.selectors.permissions). A team that requires two-factor
sign-in opens to no member without it (advisor.web.twofactor sends them to set it up). The
other selectors start from these querysets, or from an object already fetched through them.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet
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


def has_two_factor(user: User) -> bool:
    """Whether the user signs in with a second factor (an authenticator app)."""
    return user.is_authenticated and is_mfa_enabled(user)


def two_factor_met(user: User, team: str = "") -> Q:
    """Rows of the teams (at the path `team`, "" for Team itself) whose two-factor requirement
    `user` meets: those that do not require it, and all of them once the user has a second
    factor; in the query itself, so a list costs no extra round trip. Lists and emails leave
    out what the pages of such a team would not show."""
    second_factor = Authenticator.objects.filter(user_id=user.pk)
    return Q(**{f"{team}require_two_factor": False}) | Q(Exists(second_factor))


def with_second_factor(people: QuerySet, team: Team) -> QuerySet:
    """`people` (users) who may read `team`'s pages: all of them, or when the team requires
    two-factor sign-in, those who have it; what emails about the team go to."""
    if not team.require_two_factor:
        return people
    return people.filter(Exists(Authenticator.objects.filter(user_id=OuterRef("pk"))))


def two_factor_check(*, user: User, team: Team) -> None:
    """Raise TwoFactorRequired if the team requires two-factor sign-in and the user has none.
    Every object a URL names passes here, so no page of such a team opens without it."""
    if team.require_two_factor and not has_two_factor(user):
        raise permissions.TwoFactorRequired(team.name)


def team_get(*, user: User, pk: int, need: Role = Role.VIEWER) -> Team:
    team = get_object_or_404(teams_of(user), pk=pk)
    two_factor_check(user=user, team=team)
    permissions.require(team.role, need)
    return team


def project_get(*, user: User, pk: int, need: Role = Role.VIEWER) -> Project:
    project = get_object_or_404(projects_visible_to(user).select_related("team"), pk=pk)
    two_factor_check(user=user, team=project.team)
    permissions.require(project.role, need)
    return project


def decision_get(*, user: User, pk: int, need: Role = Role.VIEWER, lock: bool = False) -> Decision:
    """The decision, scoped to the user's teams, with their `role`. The round (if the team was
    asked) and the snapshot (once complete) come in the same query: the wizard and the
    decision page both ask whether there is a round, and nearly every page of a completed
    decision shows its snapshot. With `lock` (inside a transaction, for a write of the wizard)
    the decision's row is locked by that same statement, so the write pays one round trip for
    the access check and the lock; it brings the team and the round only, all the wizard's
    next step needs."""
    if lock:
        decisions = decisions_visible_to(user).select_related("project__team", "round")
        decisions = decisions.select_for_update(of=("self",))
    else:
        decisions = decisions_visible_to(user).select_related(
            "project__team", "created_by", "round", "recommendation"
        )
    decision = get_object_or_404(decisions, pk=pk)
    two_factor_check(user=user, team=decision.project.team)
    permissions.require(decision.role, need)
    return decision
