"""The audit trail's one writer; every service that changes something calls it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from advisor.models import AuditEvent, Decision, Project, Team


def audit_record(
    *,
    actor: AbstractBaseUser,
    team: Team,
    action: AuditEvent.Action,
    summary: str,
    project: Project | None = None,
    decision: Decision | None = None,
) -> AuditEvent:
    """Record who did what. Call inside the transaction of the change it describes."""
    return AuditEvent.objects.create(
        team=team,
        project=project,
        decision=decision,
        actor=actor,
        actor_name=actor.get_username(),
        action=action,
        summary=summary,
    )
