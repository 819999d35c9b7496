"""The activity lists: a project's recent audit events, and a team's."""

from __future__ import annotations

from django.db.models import QuerySet

from advisor.models import AuditEvent, Project, Team

ACTIVITY_LIMIT = 15


def project_activity(*, project: Project) -> QuerySet[AuditEvent]:
    return project.audit_events.all()[:ACTIVITY_LIMIT]


# What the team page shows; the rest belongs to a project's page.
TEAM_ACTIONS = [
    AuditEvent.Action.TEAM_CREATED,
    AuditEvent.Action.TEAM_SETTINGS_CHANGED,
    AuditEvent.Action.INVITE_CREATED,
    AuditEvent.Action.INVITE_REVOKED,
    AuditEvent.Action.MEMBER_JOINED,
    AuditEvent.Action.ROLE_CHANGED,
    AuditEvent.Action.MEMBER_REMOVED,
    AuditEvent.Action.ACCOUNT_DELETED,
    AuditEvent.Action.PROJECT_DELETED,
]


def team_activity(*, team: Team) -> QuerySet[AuditEvent]:
    return team.audit_events.filter(action__in=TEAM_ACTIONS)[:ACTIVITY_LIMIT]
