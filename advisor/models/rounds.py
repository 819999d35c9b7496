"""A team's round of answers on one decision: who was asked, each person's own answers, and
how the editor settled each question."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from advisor.models.decisions import ANSWER_KEYS, NOTE_MAX_LENGTH, Decision

SETTLE_NOTE_MAX_LENGTH = 500


class AnswerRound(models.Model):
    """An editor's request for independent answers to one decision, open until closed.

    While it is open each person asked answers the wizard as their own answer set; once it is
    closed the editor settles each question, which writes the decision's own answers.
    """

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="round")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    deadline = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Round on {self.decision_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Respondent(models.Model):
    """One person asked in a round: a grant to answer that decision, whatever their role."""

    round = models.ForeignKey(AnswerRound, on_delete=models.CASCADE, related_name="respondents")
    # Null once the person's account is deleted: answers they submitted stay in the team's
    # round as "a former member"'s (services.account_delete drops unsubmitted drafts).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="respondents",
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_respondent_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in round {self.round_id}"

    @property
    def has_submitted(self) -> bool:
        return self.submitted_at is not None


class PersonalAnswer(models.Model):
    """A respondent's own answer to a question or a refine key, as `Answer` holds the
    decision's; nobody else reads it until they have submitted theirs or the round closed."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=32, choices=ANSWER_KEYS)
    value = models.CharField(max_length=32)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question"], name="one_personal_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.value}"


class Settlement(models.Model):
    """The answer an editor took for one question of a closed round, and why."""

    round = models.ForeignKey(AnswerRound, on_delete=models.CASCADE, related_name="settlements")
    question = models.CharField(max_length=32, choices=ANSWER_KEYS)
    value = models.CharField(max_length=32)
    note = models.CharField(max_length=SETTLE_NOTE_MAX_LENGTH, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # As named then, for the snapshot and the exports.
    settled_by_name = models.CharField(max_length=150)
    settled_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "question"], name="one_settlement_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.value} in round {self.round_id}"
