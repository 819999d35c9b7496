"""Reads behind notifications: who hears about a decision, who has turned what off, whom a
team's digest goes to."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from advisor.models import AuditEvent, Comment, Decision, Invite, NotificationOptOut, Role, Team
from advisor.selectors.access import with_second_factor


def decision_participants(decision: Decision) -> QuerySet:
    """The people who took part in `decision`: who started it, commented on it, submitted
    their answers to it, settled one of its questions or completed it, and are still members
    of its team (someone who left hears no more of it)."""
    commenters = Comment.objects.filter(decision=decision).values("author_id")
    completers = AuditEvent.objects.filter(
        decision=decision,
        action__in=[
            AuditEvent.Action.DECISION_COMPLETED,
            AuditEvent.Action.ROUND_ANSWERED,
            AuditEvent.Action.QUESTION_SETTLED,
        ],
    ).values("actor_id")
    took_part = Q(pk=decision.created_by_id) | Q(pk__in=commenters) | Q(pk__in=completers)
    people = get_user_model().objects.filter(
        took_part, memberships__team_id=decision.project.team_id
    )
    return with_second_factor(people, decision.project.team).order_by("pk")


def notification_kinds_off(*, user: AbstractBaseUser) -> set[str]:
    return set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))


def notification_is_off(*, user: AbstractBaseUser, kind: str) -> bool:
    return NotificationOptOut.objects.filter(user=user, kind=kind).exists()


def team_digest_recipients(*, team: Team) -> QuerySet:
    """The team's editors and owners: those who can act on a review that falls due."""
    people = get_user_model().objects.filter(
        memberships__team=team, memberships__role__in=[Role.EDITOR, Role.OWNER]
    )
    return with_second_factor(people, team).order_by("pk")


def team_accepted_invites(*, team: Team) -> QuerySet[Invite]:
    """The invites that were used, with the account that used each, newest first."""
    return team.invites.filter(accepted_at__isnull=False).select_related("accepted_by")
