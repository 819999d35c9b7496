"""Writes to teams: creating them, inviting people, changing roles and membership."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from advisor.domain.people import removal_summary, role_change_summary
from advisor.domain.refusals import Refused
from advisor.models import AuditEvent, Invite, Membership, Role, Team
from advisor.models.teams import INVITE_DAYS
from advisor.services.audit import audit_record
from advisor.services.notifications import invite_notify


class InviteNotUsable(Refused):
    """The invite has expired, been revoked or been used (perhaps a moment ago, by someone
    else): it will never work, unlike the other refusals of `invite_accept`."""


@transaction.atomic
def team_create(*, user: AbstractBaseUser, name: str) -> Team:
    """A new team with its creator as the owner."""
    team = Team.objects.create(name=name)
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    audit_record(
        actor=user, team=team, action=AuditEvent.Action.TEAM_CREATED, summary=f"created “{name}”"
    )
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    """Delete a team with its projects, decisions, links, invites and trail.

    Nobody but its members could see any of it, and they are the ones deleting it.
    """
    team.delete()


@transaction.atomic
def team_settings_update(
    *,
    team: Team,
    user: AbstractBaseUser,
    time_zone: str,
    webhook_url: str,
    require_two_factor: bool,
) -> Team:
    """Change the team's time zone, chat webhook and whether its members need two-factor
    sign-in (the form has validated them)."""
    changes = []
    if time_zone != team.time_zone:
        changes.append(f"set the time zone to {time_zone}")
    if webhook_url != team.webhook_url:
        changes.append("set a chat webhook" if webhook_url else "removed the chat webhook")
    if require_two_factor != team.require_two_factor:
        changes.append(
            "required two-factor sign-in"
            if require_two_factor
            else "stopped requiring two-factor sign-in"
        )
    if not changes:
        return team
    team.time_zone, team.webhook_url = time_zone, webhook_url
    team.require_two_factor = require_two_factor
    team.save(update_fields=["time_zone", "webhook_url", "require_two_factor"])
    audit_record(
        actor=user,
        team=team,
        action=AuditEvent.Action.TEAM_SETTINGS_CHANGED,
        summary=" and ".join(changes),
    )
    return team


def personal_team_name(username: str) -> str:
    # Usernames may be longer than a team name can be.
    return f"{Truncator(username).chars(100)}'s team"


def team_create_personal(*, user: AbstractBaseUser) -> Team:
    return team_create(user=user, name=personal_team_name(user.get_username()))


@transaction.atomic
def invite_create(
    *, team: Team, user: AbstractBaseUser, role: str, note: str = "", email: str = ""
) -> Invite:
    """A new invite link; with `email`, it is also emailed there once this commits."""
    invite = Invite.objects.create(
        team=team,
        role=role,
        note=note,
        email=email,
        created_by=user,
        expires_at=timezone.now() + timedelta(days=INVITE_DAYS),
    )
    for_whom = f" for {note}" if note else ""
    audit_record(
        actor=user,
        team=team,
        action=AuditEvent.Action.INVITE_CREATED,
        summary=f"created an invite{for_whom} as {Role(role).label.lower()}",
    )
    if email:
        invite_notify(invite=invite)
    return invite


@transaction.atomic
def invite_revoke(*, invite: Invite, user: AbstractBaseUser) -> Invite:
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    if invite.accepted_at is not None:
        raise Refused("That invite has already been used, so there is nothing to revoke.")
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
        for_whom = f" for {invite.note}" if invite.note else ""
        audit_record(
            actor=user,
            team=invite.team,
            action=AuditEvent.Action.INVITE_REVOKED,
            summary=f"revoked an invite{for_whom}",
        )
    return invite


@transaction.atomic
def invite_accept(*, token: str, user: AbstractBaseUser) -> Membership:
    """Join the invite's team. An invite works once, before it expires, unless revoked."""
    invite = (
        Invite.objects.with_token(token)
        .select_for_update(of=("self",))
        .select_related("team")
        .first()
    )
    if invite is None or not invite.is_usable:
        raise InviteNotUsable(
            "This invite link cannot be used: it has expired, been revoked or been used "
            "already. Ask a team owner for a new one."
        )
    if Membership.objects.filter(team=invite.team, user=user).exists():
        raise Refused(f"You are already a member of “{invite.team.name}”.")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(team=invite.team, user=user, role=invite.role)
    except IntegrityError as error:  # joined through another invite at the same moment
        raise Refused(f"You are already a member of “{invite.team.name}”.") from error
    invite.accepted_at = timezone.now()
    invite.accepted_by = user
    invite.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        team=invite.team,
        action=AuditEvent.Action.MEMBER_JOINED,
        summary=f"joined as {membership.get_role_display().lower()} through an invite",
    )
    return membership


def _revoke_invites_by(membership: Membership) -> None:
    """Someone no longer an owner cannot let people in: their pending invites stop working."""
    Invite.objects.filter(
        team_id=membership.team_id,
        created_by_id=membership.user_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())


def _locked(membership: Membership) -> Membership:
    """The membership as stored, read after locking its team's row.

    Role changes and removals in one team then run one after another, so two owners
    demoting each other at once cannot both pass the last-owner check. One lock per team
    cannot deadlock; NO KEY UPDATE still lets rows that refer to the team be inserted.
    """
    Team.objects.select_for_update(no_key=True).filter(pk=membership.team_id).first()
    return Membership.objects.select_related("team", "user").get(pk=membership.pk)


def _ensure_another_owner(membership: Membership, message: str) -> None:
    owners = Membership.objects.filter(team_id=membership.team_id, role=Role.OWNER)
    if list(owners.values_list("pk", flat=True)) == [membership.pk]:
        raise Refused(message)


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, user: AbstractBaseUser
) -> Membership:
    membership = _locked(membership)
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER:
        _ensure_another_owner(
            membership,
            "A team needs at least one owner: make someone else an owner first.",
        )
    old = membership.get_role_display().lower()
    was_owner = membership.role == Role.OWNER
    membership.role = role
    membership.save(update_fields=["role"])
    if was_owner:
        _revoke_invites_by(membership)
    audit_record(
        actor=user,
        team=membership.team,
        action=AuditEvent.Action.ROLE_CHANGED,
        summary=role_change_summary(
            membership.user.get_username(), old, membership.get_role_display().lower()
        ),
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, user: AbstractBaseUser) -> None:
    """Remove a member, or leave when `membership` is the user's own."""
    membership = _locked(membership)
    leaving = membership.user_id == user.pk
    if membership.role == Role.OWNER:
        _ensure_another_owner(
            membership,
            "You are the team's last owner, so you cannot leave: make someone else an owner first."
            if leaving
            else "A team needs at least one owner: make someone else an owner first.",
        )
    membership.delete()
    _revoke_invites_by(membership)
    audit_record(
        actor=user,
        team=membership.team,
        action=AuditEvent.Action.MEMBER_REMOVED,
        summary="left the team" if leaving else removal_summary(membership.user.get_username()),
    )
