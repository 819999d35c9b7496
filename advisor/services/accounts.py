"""Deleting a person's account: the teams keep their work, and the person's name leaves it.

Every reference to the account is either deleted with it (memberships, email settings, email
addresses, unsubmitted drafts, their email in the outbox, the teams they were alone in) or
kept under the name "a former member": the foreign keys become null (`on_delete=SET_NULL`),
and this service rewrites the names stored as text in the same transaction, the frozen
snapshots' team answers included. `docs/security.md` lists both sides.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advisor import selectors
from advisor.domain.people import FORMER_MEMBER, removal_summary, role_change_summary
from advisor.domain.refusals import Refused
from advisor.domain.schemas.team_answers import renamed
from advisor.models import (
    WEBHOOK_KINDS,
    AnswerRound,
    AuditEvent,
    Comment,
    Decision,
    Invite,
    Membership,
    Outbox,
    Outcome,
    Recommendation,
    Respondent,
    Role,
    Settlement,
    StatusChange,
    Team,
)
from advisor.services import pagecache
from advisor.services.round_notifications import all_answered_notify


def account_delete_refusal(*, user: AbstractBaseUser) -> Refused | None:
    """Why the account cannot be deleted yet, or None: the teams it is the last owner of
    where other people are members, which would be left with nobody to manage them."""
    blocking = selectors.account_deletion(user=user).blocking
    return _last_owner(user, blocking) if blocking else None


def _last_owner(user: AbstractBaseUser, teams: list[Team]) -> Refused:
    names = ", ".join(f"“{team.name}”" for team in teams)
    return Refused(
        f"{user.get_username()} is the last owner of {names}, where other people are "
        "members. Make one of them an owner, or delete the team, before deleting the account."
    )


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> list[Team]:
    """Delete the account and the teams it was the only member of (returned, deleted).

    Refused, changing nothing, while the person is the last owner of a team that has other
    members: that team would have nobody to manage it. The admin deletes through here too.
    """
    # The teams' rows are locked first, as role changes lock them, so a co-owner leaving at
    # the same moment cannot leave a team without an owner.
    team_ids = list(Membership.objects.filter(user=user).values_list("team_id", flat=True))
    list(Team.objects.select_for_update(no_key=True).filter(pk__in=team_ids).order_by("pk"))
    plan = selectors.account_deletion(user=user)
    if plan.blocking:
        raise _last_owner(user, plan.blocking)
    gone = {team.pk for team in plan.deleted}
    Team.objects.filter(pk__in=gone).delete()
    _erase_names(user)
    _drop_drafts(user)
    _forget_messages(user)
    Invite.objects.filter(
        created_by=user, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    Invite.objects.filter(accepted_by=user).update(email="")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            team_id=pk,
            actor_name=FORMER_MEMBER,
            action=AuditEvent.Action.ACCOUNT_DELETED,
            summary="left by deleting their account",
        )
        for pk in team_ids
        if pk not in gone
    )
    user.delete()
    return plan.deleted


def _erase_names(user: AbstractBaseUser) -> None:
    """Every name of the person stored as text says "a former member" instead."""
    name = user.get_username()
    completed = AuditEvent.objects.filter(
        actor=user,
        action__in=[AuditEvent.Action.DECISION_COMPLETED, AuditEvent.Action.DECISION_IMPORTED],
    ).values("decision")
    Decision.objects.filter(pk__in=completed, completed_by_name=name).update(
        completed_by_name=FORMER_MEMBER
    )
    _erase_from_snapshots(user, name)
    AuditEvent.objects.filter(actor=user).update(actor_name=FORMER_MEMBER)
    # The two summaries that name the member acted on, as services.teams writes them.
    roles = [role.label.lower() for role in Role]
    for old in roles:
        for new in roles:
            AuditEvent.objects.filter(
                action=AuditEvent.Action.ROLE_CHANGED, summary=role_change_summary(name, old, new)
            ).update(summary=role_change_summary(FORMER_MEMBER, old, new))
    AuditEvent.objects.filter(
        action=AuditEvent.Action.MEMBER_REMOVED, summary=removal_summary(name)
    ).update(summary=removal_summary(FORMER_MEMBER))
    StatusChange.objects.filter(actor=user).update(actor_name=FORMER_MEMBER)
    Outcome.objects.filter(created_by=user).update(author_name=FORMER_MEMBER)
    Comment.objects.filter(author=user).update(author_name=FORMER_MEMBER)
    Settlement.objects.filter(settled_by=user).update(settled_by_name=FORMER_MEMBER)


def _erase_from_snapshots(user: AbstractBaseUser, name: str) -> None:
    """The team answers of the snapshots the person took part in, renamed.

    A snapshot is otherwise never updated (`Recommendation.save` refuses): an erasure is the
    one exception, written past `save` with `bulk_update`.
    """
    rounds = AnswerRound.objects.filter(
        Q(asked_by=user) | Q(respondents__user=user) | Q(settlements__settled_by=user)
    ).values("decision")
    snapshots = list(Recommendation.objects.filter(decision__in=rounds, team_answers__isnull=False))
    for snapshot in snapshots:
        snapshot.team_answers = renamed(snapshot.team_answers, name=name, to=FORMER_MEMBER)
    Recommendation.objects.bulk_update(snapshots, ["team_answers"])
    pagecache.snapshots_forget([snapshot.pk for snapshot in snapshots])


def _drop_drafts(user: AbstractBaseUser) -> None:
    """The person is no longer asked in the rounds still open where they had not submitted:
    a draft is theirs alone. If that leaves everyone else answered, the asker hears so."""
    drafts = Respondent.objects.filter(
        user=user, submitted_at__isnull=True, round__closed_at__isnull=True
    )
    rounds = list(
        AnswerRound.objects.filter(respondents__in=drafts)
        .exclude(asked_by=user)
        .select_related("decision__project__team", "asked_by")
    )
    drafts.delete()
    for answer_round in rounds:
        people = answer_round.respondents
        if people.exists() and not people.filter(submitted_at__isnull=True).exists():
            all_answered_notify(decision=answer_round.decision, answer_round=answer_round)


def _forget_messages(user: AbstractBaseUser) -> None:
    """The outbox's emails to the person go, sent or not: nothing more is sent to them."""
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    addresses.append(user.email)
    # Account emails (confirmations, resets) name no user, only the address.
    to_them = Q(user=user) | Q(recipient__in=[a for a in addresses if a])
    Outbox.objects.filter(to_them).exclude(kind__in=WEBHOOK_KINDS).delete()
