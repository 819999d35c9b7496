"""The outbox of emails and webhook messages, and the kinds each person has turned off."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """What a message is about; a person may turn off each kind in `OPTIONAL_KINDS`."""

    INVITE = "invite", "Invitations to a team"
    ANSWERS_REQUESTED = "answers_requested", "Requests for your answers"
    DEADLINE_REMINDER = "deadline_reminder", "Reminders a day before an answer deadline"
    ALL_ANSWERED = "all_answered", "Everyone you asked has answered"
    REVIEW_DIGEST = "review_digest", "Daily digest of decisions due for review"
    COMMENT = "comment", "New comments on decisions you took part in"
    ACCOUNT = "account", "Account emails (password resets, address confirmations)"
    # Webhook messages go to a team's chat, not to a person.
    DECISION_COMPLETED = "decision_completed", "Decision completed (team webhook)"
    REVIEW_DUE = "review_due", "Reviews due (team webhook)"


# Account emails answer something the person just asked for, so they cannot be turned off.
OPTIONAL_KINDS = (
    Kind.INVITE,
    Kind.ANSWERS_REQUESTED,
    Kind.DEADLINE_REMINDER,
    Kind.ALL_ANSWERED,
    Kind.REVIEW_DIGEST,
    Kind.COMMENT,
)
WEBHOOK_KINDS = (Kind.DECISION_COMPLETED, Kind.REVIEW_DUE)


class Outbox(models.Model):
    """One email or webhook message, written in the transaction that caused it and sent by the
    worker. `key` names the notification itself, so the same one is never written twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed after the last try"

    kind = models.CharField(max_length=32, choices=Kind)
    # An email address, or the team's webhook URL for the webhook kinds.
    recipient = models.CharField(max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300, blank=True)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    # The one-click unsubscribe address for the List-Unsubscribe header; empty when none.
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "outbox"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient} ({self.status})"

    @property
    def is_webhook(self) -> bool:
        return self.kind in WEBHOOK_KINDS


class NotificationOptOut(models.Model):
    """A kind of email that `user` has turned off; no row means they get it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs"
    )
    kind = models.CharField(max_length=32, choices=Kind)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} turned off {self.kind}"
