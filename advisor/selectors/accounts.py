"""A person's own account: everything of theirs to download, and what deleting it would do.

Both read only what names the signed-in person, in the teams they are a member of now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from advisor.domain.people import removal_summary, role_change_prefix
from advisor.models import (
    OPTIONAL_KINDS,
    AuditEvent,
    Comment,
    Decision,
    Kind,
    Membership,
    NotificationOptOut,
    Outcome,
    PersonalAnswer,
    Respondent,
    Role,
    Team,
)
from advisor.selectors.access import teams_of

ACCOUNT_DATA_FORMAT = "advisor-account-data"
ACCOUNT_DATA_VERSION = 1


def account_data(*, user: AbstractBaseUser) -> dict[str, Any]:
    """The person's data as one JSON-ready document (`docs/security.md` lists what it holds):
    eleven queries however much there is."""
    teams = list(Membership.objects.filter(user=user).values_list("team_id", flat=True))
    return {
        "format": ACCOUNT_DATA_FORMAT,
        "version": ACCOUNT_DATA_VERSION,
        "exported_at": _when(timezone.now()),
        "profile": _profile(user),
        "memberships": _memberships(user),
        "decisions_started": _decisions_started(user, teams),
        "comments": _comments(user, teams),
        "outcomes": _outcomes(user, teams),
        "answer_sets": _answer_sets(user, teams),
        "notification_settings": _notification_settings(user),
        "audit_entries": _audit_entries(user, teams),
    }


def _when(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "title": decision.title,
        "project": decision.project.name,
        "team": decision.project.team.name,
    }


def _profile(user: AbstractBaseUser) -> dict[str, Any]:
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return {
        "username": user.get_username(),
        "email_addresses": [
            {"email": a.email, "primary": a.primary, "verified": a.verified} for a in addresses
        ],
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
    }


def _memberships(user: AbstractBaseUser) -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(user=user).select_related("team").order_by("pk")
    return [
        {"team": m.team.name, "team_id": m.team_id, "role": m.role, "joined": _when(m.created_at)}
        for m in memberships
    ]


def _decisions_started(user: AbstractBaseUser, teams: list[int]) -> list[dict[str, Any]]:
    decisions = Decision.objects.filter(created_by=user, project__team__in=teams).select_related(
        "project__team"
    )
    return [
        _decision(d) | {"started_at": _when(d.created_at), "status": d.status}
        for d in decisions.order_by("created_at", "pk")
    ]


def _comments(user: AbstractBaseUser, teams: list[int]) -> list[dict[str, Any]]:
    comments = Comment.objects.filter(author=user, decision__project__team__in=teams)
    return [
        {"decision": _decision(c.decision), "text": c.body, "written_at": _when(c.created_at)}
        for c in comments.select_related("decision__project__team").order_by("created_at", "pk")
    ]


def _outcomes(user: AbstractBaseUser, teams: list[int]) -> list[dict[str, Any]]:
    outcomes = (
        Outcome.objects.filter(created_by=user, decision__project__team__in=teams)
        .select_related("decision__project__team")
        .prefetch_related("metrics")
        .order_by("created_at", "pk")
    )
    return [
        {
            "decision": _decision(o.decision),
            "approach": o.approach,
            "shipped_on": _when(o.shipped_on),
            "notes": o.notes,
            "recorded_at": _when(o.created_at),
            "metrics": [
                {"name": m.name, "value": str(m.value), "unit": m.unit} for m in o.metrics.all()
            ],
        }
        for o in outcomes
    ]


def _answer_sets(user: AbstractBaseUser, teams: list[int]) -> list[dict[str, Any]]:
    """The person's own answers in each round they were asked in, drafts included (they are
    the one who may read their drafts)."""
    respondents = (
        Respondent.objects.filter(user=user, round__decision__project__team__in=teams)
        .select_related("round__decision__project__team")
        .prefetch_related(Prefetch("answers", PersonalAnswer.objects.order_by("pk")))
        .order_by("asked_at", "pk")
    )
    return [
        {
            "decision": _decision(r.round.decision),
            "asked_at": _when(r.asked_at),
            "submitted_at": _when(r.submitted_at),
            "answers": [
                {"question": a.question, "value": a.value, "note": a.note} for a in r.answers.all()
            ],
        }
        for r in respondents
    ]


def _notification_settings(user: AbstractBaseUser) -> list[dict[str, Any]]:
    off = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [
        {"kind": kind, "label": Kind(kind).label, "on": kind not in off} for kind in OPTIONAL_KINDS
    ]


def _audit_entries(user: AbstractBaseUser, teams: list[int]) -> list[dict[str, Any]]:
    """What they did, and what others did to them (their role changed, removed from a team)."""
    name = user.get_username()
    named = Q(
        action=AuditEvent.Action.ROLE_CHANGED,
        summary__startswith=role_change_prefix(name),
    ) | Q(action=AuditEvent.Action.MEMBER_REMOVED, summary=removal_summary(name))
    events = AuditEvent.objects.filter(Q(actor=user) | named, team__in=teams)
    events = events.select_related("team")
    return [
        {
            "team": e.team.name,
            "action": e.action,
            "summary": f"{e.actor_name} {e.summary}",
            "at": _when(e.created_at),
        }
        for e in events.order_by("created_at", "pk")
    ]


@dataclass(frozen=True, slots=True)
class AccountDeletion:
    """What deleting the account would do to the person's teams.

    `deleted` are the teams they are the only member of (each with its `decision_count`), gone
    with the account; `blocking` are those they are the last owner of, with other members:
    they must hand them over or delete them first.
    """

    deleted: list[Team]
    blocking: list[Team]


def account_deletion(*, user: AbstractBaseUser) -> AccountDeletion:
    """The person's teams as deleting the account sees them, in one query."""
    teams = list(
        teams_of(user)
        .annotate(
            member_count=_count_per_team(Membership.objects.all()),
            owner_count=_count_per_team(Membership.objects.filter(role=Role.OWNER)),
            decision_count=_count_per_team(Decision.objects.all(), team="project__team"),
        )
        .order_by("name", "pk")
    )
    return AccountDeletion(
        deleted=[t for t in teams if t.member_count == 1],
        blocking=[
            t for t in teams if t.member_count > 1 and t.role == Role.OWNER and t.owner_count == 1
        ],
    )


def _count_per_team(queryset: QuerySet, *, team: str = "team") -> Coalesce:
    rows = queryset.filter(**{team: OuterRef("pk")}).values(team).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), 0)
