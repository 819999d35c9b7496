"""Who did what, and when: kept when the people, projects or decisions involved are gone."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from advisor.models.teams import Team


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        PROJECT_CREATED = "project_created", "Created a project"
        PROJECT_EDITED = "project_edited", "Edited a project"
        PROJECT_DELETED = "project_deleted", "Deleted a project"
        DECISION_STARTED = "decision_started", "Started a decision"
        DECISION_COMPLETED = "decision_completed", "Completed a decision"
        DECISION_IMPORTED = "decision_imported", "Imported a decision"
        ROUND_ASKED = "round_asked", "Asked for the team's answers"
        ROUND_ANSWERED = "round_answered", "Submitted their answers"
        ROUND_CLOSED = "round_closed", "Closed the team's answers"
        QUESTION_SETTLED = "question_settled", "Settled a question"
        STATUS_CHANGED = "status_changed", "Changed a decision's status"
        REVIEW_DATE_SET = "review_date_set", "Set a review date"
        OUTCOME_RECORDED = "outcome_recorded", "Recorded an outcome"
        OUTCOME_DELETED = "outcome_deleted", "Deleted an outcome"
        COMMENT_ADDED = "comment_added", "Commented"
        COMMENT_DELETED = "comment_deleted", "Deleted a comment"
        SHARE_CREATED = "share_created", "Shared a decision"
        SHARE_REVOKED = "share_revoked", "Revoked a share link"
        TEAM_CREATED = "team_created", "Created the team"
        TEAM_SETTINGS_CHANGED = "team_settings_changed", "Changed the team's settings"
        INVITE_CREATED = "invite_created", "Invited someone"
        INVITE_REVOKED = "invite_revoked", "Revoked an invite"
        MEMBER_JOINED = "member_joined", "Joined the team"
        ROLE_CHANGED = "role_changed", "Changed a role"
        MEMBER_REMOVED = "member_removed", "Removed a member"
        ACCOUNT_DELETED = "account_deleted", "Left by deleting their account"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="audit_events")
    project = models.ForeignKey(
        "advisor.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    decision = models.ForeignKey(
        "advisor.Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The name at the time, so the trail still says who after the account is deleted.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=32, choices=Action)
    # A sentence with the names as they were then ("shared “Q3 support bot”, expires never").
    summary = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["project", "-created_at"]),
            models.Index(fields=["team", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.summary}"
