"""What happened to a decision after it was made: status changes, outcomes and comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from advisor.domain.engine import Approach
from advisor.models.decisions import Decision

REASON_MAX_LENGTH = 1000
OUTCOME_NOTES_MAX_LENGTH = 4000
COMMENT_MAX_LENGTH = 4000


class StatusChange(models.Model):
    """One move of a decision's lifecycle, with who made it, when and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Decision.Lifecycle)
    to_status = models.CharField(max_length=20, choices=Decision.Lifecycle)
    # For a supersede: the decision that replaced this one.
    replaced_by = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The name at the time, so the history still says who after the account is deleted.
    actor_name = models.CharField(max_length=150)
    reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["decision", "created_at"])]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Outcome(models.Model):
    """What the team actually shipped after the decision, and how it went."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="outcomes")
    approach = models.CharField(max_length=32, choices=Approach.choices())
    shipped_on = models.DateField()
    notes = models.TextField(blank=True, max_length=OUTCOME_NOTES_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shipped_on", "pk"]
        indexes = [models.Index(fields=["decision", "shipped_on"])]

    def __str__(self) -> str:
        return f"{self.get_approach_display()} shipped {self.shipped_on}"


class OutcomeMetric(models.Model):
    """A named figure measured after shipping ("p95 latency" = 640 ms)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=80)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    unit = models.CharField(max_length=20, blank=True)
    # The key of the decision's pilot metric this figure measures ("recall_at_5"), or "": the
    # outcome then shows whether the pilot's threshold was met.
    pilot_key = models.CharField(max_length=32, blank=True, default="", db_default="")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} = {self.value} {self.unit}".strip()


class Comment(models.Model):
    """A member's plain-text remark on a decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["decision", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"
